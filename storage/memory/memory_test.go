package memory_test

import (
	"testing"

	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/memory"
	"github.com/cardkit/cardkit/storage/storagetest"
)

func TestContract(t *testing.T) {
	storagetest.Run(t, func(*testing.T) storage.Store { return memory.New() })
}
