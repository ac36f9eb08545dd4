package offblocks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/internal/showtest"
)

// TestSecretBodiesPrintRedacted: the wire bodies that carry a secret (the
// token exchange and its answer, RocketKOR's PIN block) print, log and
// encode as JSON "[redacted]", whatever the verb, on their own or inside
// another value; only the clients and the fakes write them for the wire.
func TestSecretBodiesPrintRedacted(t *testing.T) {
	for _, v := range []any{
		offblocks.TokenRequest{APIKey: "key-sekrit", APISecret: "secret-sekrit"},
		offblocks.TokenResponse{Token: "token-sekrit"},
		rocketkor.TokenResponse{AccessToken: "token-sekrit"},
		rocketkor.ActivateRequest{NewPIN: "pin-sekrit"},
	} {
		type holder struct{ V any }
		for _, w := range []any{v, &v, []any{v}, holder{v}} {
			for _, out := range showtest.Renderings(t, w) {
				assert.NotContains(t, out, "sekrit", "%T", v)
			}
		}
	}
	body, err := rocketkor.ActivateRequestFor("pin-sekrit")
	require.NoError(t, err)
	assert.JSONEq(t, `{"newPin":"pin-sekrit"}`, string(body), "the wire carries it")
}
