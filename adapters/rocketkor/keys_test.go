package rocketkor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/card"
)

// rk is a RocketKOR client of h with the API key key.
func rk(t *testing.T, key string, h http.HandlerFunc) *rocketkor.Client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret(key), APISecret: httpapi.NewSecret("rk_secret_value")},
		rocketkor.Program{Terms: func(card.Card) rocketkor.Terms { return rocketkor.Terms{} }},
		httpapi.WithBaseURL(srv.URL), httpapi.WithSleep(func(context.Context, time.Duration) error { return nil }))
	require.NoError(t, err)
	return c
}

// TestKeyWithSpaceAtAnEndIsRefused: HTTP drops a space at either end of a
// header, so such a key would reach RocketKOR shorter than sent, or as
// none, and a resent POST could act twice. It is refused before any call
// (found by a review: six spaces went out as no key, four times).
func TestKeyWithSpaceAtAnEndIsRefused(t *testing.T) {
	for _, key := range []string{"      ", " abcdef", "abcdef\t"} {
		_, err := rocketkor.ParseIdempotencyKey(key)
		var ce *card.Error
		require.ErrorAs(t, err, &ce, "%q", key)
		assert.True(t, ce.Has(rocketkor.HeaderIdempotencyKey, card.CodeFormat), "%q", key)
	}
	var calls int
	c := rk(t, "rk_key_0001", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != rocketkor.TokenPath {
			calls++
		}
		_, _ = w.Write([]byte(goodToken))
	})
	cd := card.Card{Status: card.StatusActive, ProviderRefs: map[string]string{rocketkor.Name: "fa-1"}}
	_, err := c.ChangeStatus(context.Background(), "      ", cd, card.Move{To: card.StatusSuspended, Reason: card.ReasonLOS, By: card.ActorHolder})
	require.Error(t, err)
	assert.Zero(t, calls)
}

// TestAPIKeyNotInError answers a call with a body that echoes the API key:
// the error does not carry it (found by a review).
func TestAPIKeyNotInError(t *testing.T) {
	const apiKey = "rk_live_7f3a9c2e5b"
	c := rk(t, apiKey, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == rocketkor.TokenPath {
			_, _ = w.Write([]byte(goodToken))
			return
		}
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"FORBIDDEN","message":"API key ` + apiKey + ` and rk_secret_value lack cards:read"}`))
	})
	_, err := c.Card(context.Background(), "fa-1")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), apiKey)
	assert.NotContains(t, err.Error(), "rk_secret_value")
}

// TestReissueRefsDiffer: two reissues of one card under keys that begin
// alike get two references (found by a review: the first 8 bytes were
// kept, and the second card was refused as a duplicate).
func TestReissueRefsDiffer(t *testing.T) {
	a, b := rocketkor.ReissueRef("fa-1", "reissue-2026-11-01"), rocketkor.ReissueRef("fa-1", "reissue-2026-11-02")
	assert.NotEqual(t, a, b)
	assert.Equal(t, a, rocketkor.ReissueRef("fa-1/reissue/0123", "reissue-2026-11-01"), "the account's, whichever card of it")
	assert.Regexp(t, `^fa-1/reissue/[0-9a-f]{16}$`, a)
}
