package offblocks_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
)

// OffBlocks' token exchange carries the API key and secret in its body,
// not in a header: a 401 that echoes them has them taken out of the
// *Error the card call returns (found by a second review).
func TestEchoedExchangeCredentialsAreRedacted(t *testing.T) {
	creds := credentials(t)
	creds.APISecret = httpapi.NewSecret("ob_secret_kQz7vWx")
	c := client(t, creds, func(r *http.Request) *http.Response {
		if r.URL.Path == "/v1/auth/token" {
			return response(r, http.StatusUnauthorized, []byte(`{"status":401,"description":"invalid apiSecret ob_secret_kQz7vWx for apiKey `+creds.APIKey.Reveal()+`"}`))
		}
		return response(r, http.StatusOK, []byte(`{}`))
	})
	_, err := c.Card(context.Background(), "card-1")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "ob_secret_kQz7vWx")
	assert.NotContains(t, err.Error(), creds.APIKey.Reveal())
}
