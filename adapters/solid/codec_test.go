package solid

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
)

// TestCodecs checks each codec's table against its struct's json tags.
func TestCodecs(t *testing.T) {
	for _, c := range []interface{ Check() error }{
		cardJSON, cardRequestJSON, cardholderJSON, shippingJSON, addressJSON,
	} {
		require.NoError(t, c.Check())
	}
}

// FuzzCodecs checks the codecs against the JSON engine: the same values,
// the same errors, the same bytes.
func FuzzCodecs(f *testing.F) {
	adaptertest.Seeds(f, ".json")
	f.Fuzz(func(t *testing.T, in []byte) {
		adaptertest.SameAsEngine(t, cardJSON, in)
		adaptertest.SameAsEngine(t, cardRequestJSON, in)
		adaptertest.SameUnknown[Card, *Card](t, cardJSON, in)
		adaptertest.SameUnknown[CardRequest, *CardRequest](t, cardRequestJSON, in)
	})
}
