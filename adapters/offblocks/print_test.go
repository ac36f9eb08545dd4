package offblocks_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
)

// TestSecretBodiesPrintRedacted: the wire bodies that carry a secret (the
// token exchange and its answer, RocketKOR's PIN block) print and log
// "[redacted]", whatever the verb.
func TestSecretBodiesPrintRedacted(t *testing.T) {
	for _, v := range []any{
		offblocks.TokenRequest{APIKey: "key-sekrit", APISecret: "secret-sekrit"},
		offblocks.TokenResponse{Token: "token-sekrit"},
		rocketkor.TokenResponse{AccessToken: "token-sekrit"},
		rocketkor.ActivateRequest{NewPIN: "pin-sekrit"},
	} {
		var logged strings.Builder
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("body", "v", v)
		for _, out := range []string{fmt.Sprintf("%v %+v %#v %s %q %x", v, v, v, v, v, v), fmt.Sprintf("%+v", []any{v}), logged.String()} {
			assert.NotContains(t, out, "sekrit", "%T", v)
		}
	}
}
