package fake_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
)

// TestFaultNames: the faults of the fakes and of the sandbox read back the
// names they print, and refuse others.
func TestFaultNames(t *testing.T) {
	require.Len(t, fake.FaultValues(), 5)
	for _, f := range fake.FaultValues() {
		got, err := fake.ParseFault(f.String())
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	assert.Equal(t, "DROP", fake.Drop.String())
	require.Len(t, sandbox.FaultValues(), 3)
	for _, f := range sandbox.FaultValues() {
		got, err := sandbox.ParseFault(f.String())
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	_, err := fake.ParseFault("SOMETIMES")
	assert.ErrorIs(t, err, card.ErrInvalid)
	_, err = sandbox.ParseFault("")
	assert.ErrorIs(t, err, card.ErrInvalid)
}
