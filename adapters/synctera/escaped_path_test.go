package synctera_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/synctera"
)

// TestEscapedNumberInPathIsScrubbed asks for a card whose id is a card
// number written with slashes: the client escapes it into the path
// ("4111%2F1111%2F1111%2F1111"), and neither the log line nor the
// transport's error, its text or the *url.Error inside it, shows it (found
// by a review).
func TestEscapedNumberInPathIsScrubbed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	base := srv.URL
	srv.Close() // no answer: the transport's error names the URL
	var logs bytes.Buffer
	c, err := synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret("sk_test")},
		httpapi.WithBaseURL(base), httpapi.WithRetry(httpapi.Retry{Attempts: 1}),
		httpapi.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	_, err = c.Card(context.Background(), "4111/1111/1111/1111")
	require.Error(t, err)
	pan := regexp.MustCompile(`4111(%2F1111){3}`)
	assert.NotRegexp(t, pan, err.Error())
	assert.NotRegexp(t, pan, logs.String())
	var u *url.Error
	require.True(t, errors.As(err, &u), "the transport's error stays one")
	assert.NotRegexp(t, pan, u.Error())
}
