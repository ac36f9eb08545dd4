package wire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/wire"
)

func TestNumberPrintsMasked(t *testing.T) {
	type holder struct {
		Number wire.Number `json:"number"`
		P      *wire.Number
	}
	n := wire.NewNumber("4111111111111111")
	h := holder{Number: n, P: &n}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%T %v", "%t"} {
		out := fmt.Sprintf(verb, h) + fmt.Sprintf(verb, n) + fmt.Sprintf(verb, &n)
		assert.NotContains(t, out, "4111111111111111", verb)
		assert.NotContains(t, out, "34313131", verb) // hex of "4111"
	}
	assert.Equal(t, "************1111", n.String())
	assert.Equal(t, "***", wire.NewNumber("123").String())

	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "n", n, "h", h, "list", []wire.Number{n})
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "n", n, "h", h)
	assert.NotContains(t, logged.String(), "4111111111111111")

	// Only the wire's encoders carry the number, as the provider demands;
	// any other writes it masked.
	for name, marshal := range map[string]func(any) ([]byte, error){
		"encoding/json": json.Marshal, "json v2": func(v any) ([]byte, error) { return jsonv2.Marshal(v) },
	} {
		b, err := marshal(holder{Number: n, P: &n})
		require.NoError(t, err)
		assert.Equal(t, `{"number":"************1111","P":"************1111"}`, string(b), name)
	}
	for name, marshal := range map[string]func(any) ([]byte, error){
		"Marshal": wire.Marshal, "MarshalNulls": wire.MarshalNulls, "MarshalIndent": func(v any) ([]byte, error) {
			b, err := wire.MarshalIndent(v)
			var c bytes.Buffer
			err = errors.Join(err, json.Compact(&c, b))
			return c.Bytes(), err
		},
	} {
		b, err := marshal(holder{Number: n, P: &n})
		require.NoError(t, err)
		assert.Contains(t, string(b), `"number":"4111111111111111"`, name)
		assert.Contains(t, string(b), `"P":"4111111111111111"`, name)
		b, err = marshal(holder{})
		require.NoError(t, err)
		assert.Contains(t, string(b), `"number":""`, name)
	}
	for name, unmarshal := range map[string]func([]byte, any) error{
		"encoding/json": json.Unmarshal, "json v2": func(b []byte, v any) error { return jsonv2.Unmarshal(b, v) },
	} {
		var h holder
		require.NoError(t, unmarshal([]byte(`{"number":"4111111111111111","P":null}`), &h), name)
		assert.Equal(t, "4111111111111111", h.Number.Reveal(), name)
		assert.Error(t, unmarshal([]byte(`{"number":4111111111111111}`), &h), name)
		require.NoError(t, unmarshal([]byte(`{"number":null}`), &h), name)
		assert.True(t, h.Number.IsZero(), name)
	}
}
