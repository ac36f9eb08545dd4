package adaptertest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/wire"
)

// SameAsEngine checks a wire.Codec against the JSON engine on one input:
// the codec reads it as the engine does (the same value, or the same
// error), and writes what it read as the engine does, byte for byte, with
// Marshal and with MarshalNulls.
func SameAsEngine[T any](t *testing.T, c *wire.Codec[T], in []byte) {
	t.Helper()
	if len(in) > MaxFuzzInput {
		t.Skip()
	}
	var want, got T
	werr := wire.Unmarshal("test", in, &want)
	gerr := c.Unmarshal("test", in, &got)
	if werr != nil || gerr != nil {
		require.Error(t, gerr, "the engine refuses %q", in)
		require.Error(t, werr, "the engine accepts %q", in)
		assert.Equal(t, werr.Error(), gerr.Error())
		return
	}
	require.Equal(t, want, got, "read %q", in)
	for _, m := range []struct {
		name         string
		engine, fast func(*T) ([]byte, error)
	}{
		{"Marshal", func(w *T) ([]byte, error) { return wire.Marshal(w) }, c.Marshal},
		{"MarshalNulls", func(w *T) ([]byte, error) { return wire.MarshalNulls(w) }, c.MarshalNulls},
	} {
		wout, werr := m.engine(&want)
		gout, gerr := m.fast(&got)
		if werr != nil {
			require.Error(t, gerr, "%s: the engine refuses what %q reads as", m.name, in)
			continue
		}
		require.NoError(t, gerr, m.name)
		require.Equal(t, string(wout), string(gout), "%s of what %q reads as", m.name, in)
	}
}

// SameUnknown checks Codec.TakeUnknown against wire.TakeUnknown on what
// in decodes to, when it decodes: the same members, and both clear them.
func SameUnknown[T any, P interface {
	*T
	wire.Objects
}](t *testing.T, c *wire.Codec[T], in []byte) {
	t.Helper()
	if len(in) > MaxFuzzInput {
		t.Skip()
	}
	var a, b T
	if c.Unmarshal("test", in, &a) != nil {
		return
	}
	require.NoError(t, c.Unmarshal("test", in, &b))
	require.Equal(t, wire.TakeUnknown(P(&a)), c.TakeUnknown(&b), "unknown members of %q", in)
	require.Equal(t, a, b, "what is left of %q", in)
}
