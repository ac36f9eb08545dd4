package solid_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/solid"
)

const liveKey = "sd_live_SECRET"

func liveClient(t *testing.T, base string, more ...httpapi.Option) *solid.Client {
	c, err := solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret(liveKey), PersonID: "per-3ebfa3d2-5d36-411d-984a-9e3a328011c5"},
		append([]httpapi.Option{httpapi.WithBaseURL(base), httpapi.WithRetry(httpapi.Retry{Attempts: 1})}, more...)...)
	require.NoError(t, err)
	return c
}

// TestRedirectIsNotFollowed answers a call with a redirect to another
// host: the client does not follow it, with its own http.Client or one
// given, so Solid's API key (which net/http, unlike Authorization, would
// carry there) stays home, and the 307 is a final error (found by a
// review).
func TestRedirectIsNotFollowed(t *testing.T) {
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get(solid.HeaderAPIKey))
		w.WriteHeader(http.StatusNotFound)
	}))
	defer other.Close()
	elsewhere := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // another host
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere+"/collect", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	for name, c := range map[string]*solid.Client{
		"own client":   liveClient(t, srv.URL),
		"given client": liveClient(t, srv.URL, httpapi.WithHTTPClient(&http.Client{})),
	} {
		_, err := c.Card(context.Background(), "crd-1")
		var e *httpapi.Error
		require.ErrorAs(t, err, &e, name)
		assert.Equal(t, http.StatusTemporaryRedirect, e.Status, name)
		assert.False(t, e.Retryable(), name)
	}
	assert.Empty(t, leaked, "nothing reached the other host")
}

// TestEchoedKeyIsNotInTheError answers 401 with a message that echoes the
// API key, as a gateway might: the error does not carry it (found by a
// review).
func TestEchoedKeyIsNotInTheError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"requestId":"req-6","status":401,"code":"EC_UNAUTHORIZED","message":"invalid sd-api-key ` +
			r.Header.Get(solid.HeaderAPIKey) + `","sysMessage":"apiKey_invalid"}`))
	}))
	defer srv.Close()
	_, err := liveClient(t, srv.URL).Card(context.Background(), "crd-1")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), liveKey)
	assert.Contains(t, err.Error(), "invalid sd-api-key [redacted]")
}
