package wire_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/wire"
)

// TestUnknownPrintsNoValue: the members a provider sent beyond its
// format are printed by path, never by value, whatever the verb.
func TestUnknownPrintsNoValue(t *testing.T) {
	u := wire.Unknown{"": jsontext.Value(`{"pan":"4539578763621486","4111111111111111":1}`)}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("residue", "unknown", u)
	for _, out := range []string{fmt.Sprint(u), fmt.Sprintf("%v %+v %#v %s %q %x", u, u, u, u, u, u),
		fmt.Sprintf("%+v", struct{ U wire.Unknown }{u}), logged.String()} {
		assert.NotContains(t, out, "4539578763621486")
		assert.NotContains(t, out, "4111111111111111")
		assert.Contains(t, out, "pan")
	}
}
