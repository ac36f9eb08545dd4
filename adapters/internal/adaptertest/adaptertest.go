// Package adaptertest holds the checks every provider adapter passes: its
// seed samples round-trip as the same JSON value, its decoded domain value
// matches a reviewed golden, its decoders survive arbitrary bytes and reach
// a fixed point, and every value of a domain enum is either mapped or
// refused with a typed error naming the provider's field.
package adaptertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Codec is one decode path of an adapter and its way back: D is the domain
// value (card.Card or account.Account), R the adapter's residue.
type Codec[D, R any] struct {
	Decode func([]byte) (D, R, error)
	Encode func(*D, R) ([]byte, error)
}

// Golden runs the round trip over the sample in testdata/<file>: decode,
// encode with the residue, and compare as parsed JSON with the sample. The
// decoded domain value, in cardkit's neutral JSON, is compared with
// testdata/<file minus .json>.domain.json, which update rewrites.
func Golden[D, R any](t *testing.T, file string, c Codec[D, R], update bool) {
	t.Helper()
	in, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(t, err)
	d, r, err := c.Decode(in)
	require.NoError(t, err)
	out, err := c.Encode(&d, r)
	require.NoError(t, err)
	assert.JSONEq(t, string(in), string(out), "wire → domain → wire changed the JSON")

	neutral, err := wire.MarshalNeutral(&d)
	require.NoError(t, err)
	neutral = append(neutral, '\n')
	golden := filepath.Join("testdata", strings.TrimSuffix(file, ".json")+".domain.json")
	if update {
		require.NoError(t, os.WriteFile(golden, neutral, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to write %s", golden)
	assert.JSONEq(t, string(want), string(neutral), "the domain value differs from %s", golden)
}

// Seeds adds every testdata/*.json sample whose name has the suffix (and is
// not a .domain.json golden) to the fuzz corpus.
func Seeds(f *testing.F, suffix string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"+suffix))
	require.NoError(f, err)
	require.NotEmpty(f, files)
	for _, name := range files {
		if strings.HasSuffix(name, ".domain.json") {
			continue
		}
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"a":1,"a":2}`))
}

// MaxFuzzInput caps what a fuzz target looks at, so that the engine spends
// its time on shapes rather than on long inputs.
const MaxFuzzInput = 64 << 10

// FixedPoint is the body of a fuzz target: decoding arbitrary bytes does not
// panic, an error is a *card.Error, and a payload that decodes encodes to
// JSON that decodes again and, on the second round, encodes to the same
// bytes.
func FixedPoint[D, R any](t *testing.T, c Codec[D, R], in []byte) {
	if len(in) > MaxFuzzInput {
		t.Skip()
	}
	d, r, err := c.Decode(in)
	if err != nil {
		var e *card.Error
		if !errors.As(err, &e) {
			t.Fatalf("decode error is not a *card.Error: %T %v", err, err)
		}
		return
	}
	out1, err := c.Encode(&d, r)
	if err != nil {
		// A payload may decode to a value its own provider cannot write
		// back (a text over a limit the provider checks only on the way
		// out); that is an error, never a panic.
		require.ErrorIs(t, err, card.ErrInvalid)
		return
	}
	d2, r2, err := c.Decode(out1)
	require.NoError(t, err, "what was encoded does not decode: %s", out1)
	out2, err := c.Encode(&d2, r2)
	require.NoError(t, err)
	if !bytes.Equal(out1, out2) {
		t.Fatalf("no fixed point:\n%s\n%s", out1, out2)
	}
}

// FieldErr checks that err is a *card.Error of kind card.ErrInvalid with a
// problem at field (and with value, when value is not "").
func FieldErr(t *testing.T, err error, field, value string) {
	t.Helper()
	require.ErrorIs(t, err, card.ErrInvalid)
	var e *card.Error
	require.ErrorAs(t, err, &e)
	for _, f := range e.Fields {
		if f.Field == field && (value == "" || f.Value == value) {
			return
		}
	}
	t.Fatalf("no problem at %q with value %q in %v", field, value, err)
}

// SameJSON reports whether a and b hold the same JSON value.
func SameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
