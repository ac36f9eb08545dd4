package wire_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/internal/showtest"
)

// TestUnknownPrintsNoValue: the members a provider sent beyond its
// format are printed by path, never by value, whatever the verb.
func TestUnknownPrintsNoValue(t *testing.T) {
	u := wire.Unknown{"": jsontext.Value(`{"pan":"4539578763621486","4111111111111111":1}`)}
	type residue struct{ Unknown wire.Unknown }
	for _, v := range []any{u, residue{u}, &residue{u}} {
		for _, out := range showtest.Renderings(t, v) {
			assert.NotContains(t, out, "4539578763621486")
			assert.NotContains(t, out, "4111111111111111")
		}
	}
	assert.Contains(t, fmt.Sprint(u), "pan")
	b, err := json.Marshal(residue{u})
	require.NoError(t, err)
	assert.Equal(t, `{"Unknown":["[redacted]","pan"]}`, string(b), "the paths, as String lists them")
}
