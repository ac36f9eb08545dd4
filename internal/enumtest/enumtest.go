// Package enumtest checks that an enum of cardkit's domain packages behaves
// as all of them must: every value round-trips through String, its parser
// and the text and JSON encodings; unknown and empty names are refused with a
// *card.Error naming the value; the zero value encodes as "".
package enumtest

import (
	"encoding"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

// Value is what every enum offers.
type Value interface {
	comparable
	fmt.Stringer
	encoding.TextMarshaler
	Valid() bool
}

// Check runs the checks over values, which must have want members.
func Check[T Value](t *testing.T, values []T, parse func(string) (T, error), unmarshal func(*T, []byte) error, want int) {
	t.Helper()
	var zero T
	require.Len(t, values, want)
	seen := map[string]bool{}
	for _, v := range values {
		name := v.String()
		require.NotEmpty(t, name)
		require.True(t, v.Valid(), name)
		require.False(t, seen[name], "duplicate name %s", name)
		seen[name] = true

		got, err := parse(name)
		require.NoError(t, err)
		assert.Equal(t, v, got)

		text, err := v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(text))
		var back T
		require.NoError(t, unmarshal(&back, text))
		assert.Equal(t, v, back)

		js, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, `"`+name+`"`, string(js))
	}
	for _, bad := range []string{"", "nope", "active", " ACTIVE", "ACTIVE ", "\x00"} {
		if seen[bad] {
			continue
		}
		_, err := parse(bad)
		require.ErrorIs(t, err, card.ErrInvalid, "%q", bad)
		var e *card.Error
		require.ErrorAs(t, err, &e)
		require.Len(t, e.Fields, 1)
		if bad != "" {
			assert.Equal(t, card.CodeUnknownValue, e.Fields[0].Code)
			assert.Equal(t, bad, e.Fields[0].Value)
		}
	}
	assert.False(t, zero.Valid())
	text, err := zero.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, text)
	var back T
	require.NoError(t, unmarshal(&back, nil))
	assert.Equal(t, zero, back)
	require.Error(t, unmarshal(&back, []byte("nope")))
}
