package httpbody

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	long := strings.Repeat("x", 2000)
	for _, tt := range []struct {
		name          string
		body          string
		length, limit int64
		want          string
		wantCap       int // the buffer's capacity when the length is known; 0 to skip
	}{
		{"known length", "hello", 5, 100, "hello", 6},
		{"unknown length", long, -1, 4096, long, 0},
		{"longer than said", long, 5, 4096, long, 0},
		{"cut at the limit", long, -1, 10, long[:10], 0},
		{"said longer than the limit", long, 2000, 10, long[:10], 10},
		{"empty", "", 0, 100, "", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Read(iotest.HalfReader(strings.NewReader(tt.body)), tt.length, tt.limit)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			if tt.wantCap > 0 {
				assert.Equal(t, tt.wantCap, cap(b), "the buffer never grows")
			}
		})
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	b, err := Read(io.MultiReader(strings.NewReader("half"), iotest.ErrReader(boom)), 10, 100)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "half", string(b), "what was read comes back with the error")
}

// TestReadHugeLength is a Content-Length net/http accepts (up to 2⁶³−1)
// from a hostile peer: the buffer is bounded by limit, never a panic.
func TestReadHugeLength(t *testing.T) {
	for _, length := range []int64{math.MaxInt64, math.MaxInt64 - 1, 1 << 62} {
		b, err := Read(strings.NewReader("hello"), length, 100)
		require.NoError(t, err)
		assert.Equal(t, "hello", string(b))
		assert.LessOrEqual(t, cap(b), 100)
	}
}
