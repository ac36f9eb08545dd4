package fake

import (
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/internal/fakeapi"
)

// TestNextIsNameBasedUUID pins next's ids to uuid.NewSHA1 of the BIN, the
// seed and the index, which next computes without the hash.Hash.
func TestNextIsNameBasedUUID(t *testing.T) {
	for _, seed := range []uint64{0, 1, 42, 1<<64 - 1} {
		s := newServer("53051800", fakeapi.Rules{}, []Option{WithSeed(seed)})
		for want := range 20 {
			i, id := s.next()
			assert.Equal(t, want, i)
			name := "53051800/" + strconv.FormatUint(seed, 10) + "/" + strconv.Itoa(i)
			assert.Equal(t, uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)).String(), id)
		}
	}
}
