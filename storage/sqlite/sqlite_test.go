package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/sqlite"
	"github.com/cardkit/cardkit/storage/storagetest"
)

func TestContractFile(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cardkit.db"))
		require.NoError(t, err)
		return s
	})
}

func TestContractMemory(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := sqlite.Open(context.Background(), ":memory:")
		require.NoError(t, err)
		return s
	})
}

func TestNewRefusesNil(t *testing.T) {
	s, err := sqlite.New(context.Background(), nil)
	require.Error(t, err)
	require.Nil(t, s)
}
