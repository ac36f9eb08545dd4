package storage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage"
)

func TestKeyStateNames(t *testing.T) {
	require.Len(t, storage.KeyStateValues(), 2)
	for _, s := range storage.KeyStateValues() {
		got, err := storage.ParseKeyState(s.String())
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	assert.Equal(t, "IN_PROGRESS", storage.KeyInProgress.String())
	_, err := storage.ParseKeyState("DONE")
	assert.ErrorIs(t, err, card.ErrInvalid)
	assert.False(t, storage.KeyState(9).Valid())
}
