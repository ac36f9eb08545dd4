package rocketkor_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/clienttest"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/card"
)

func response(r *http.Request, status int, body []byte) *http.Response {
	return clienttest.Response(r, status, "application/json", body)
}

const goodToken = `{"access_token":"tok-1","expires_in":3600,"token_type":"Bearer"}`

// client is a client of a RocketKOR answered by answer.
func client(t testing.TB, answer func(r *http.Request) *http.Response, opts ...httpapi.Option) *rocketkor.Client {
	yes := true
	c, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("rk_key"), APISecret: httpapi.NewSecret("rk_secret")},
		rocketkor.Program{Terms: func(card.Card) rocketkor.Terms {
			return rocketkor.Terms{Solution: "card-issuing", StartingNumber: "412345", UsCitizen: &yes,
				AcceptedTermsDate: "2023-02-09", ReadPrivacyPolicyDate: "2023-02-09", AcceptedAgreement: &yes}
		}},
		append([]httpapi.Option{httpapi.WithBaseURL("https://kor.example"), httpapi.WithRetry(httpapi.Retry{Attempts: 1}),
			httpapi.WithHTTPClient(clienttest.HTTPClient(answer))}, opts...)...)
	require.NoError(t, err)
	return c
}

// answering answers the token exchange with a token and every other call
// with status and body.
func answering(t testing.TB, status int, body []byte) *rocketkor.Client {
	return client(t, func(r *http.Request) *http.Response {
		if r.URL.Path == rocketkor.TokenPath {
			return response(r, http.StatusOK, []byte(goodToken))
		}
		return response(r, status, body)
	})
}

// rocketkorErrors are RocketKOR's error bodies in both revisions
// (providers/rocketkor.md, Errors) and what the typed error keeps of each.
var rocketkorErrors = []clienttest.ErrorBody{
	{Name: "older revision", Status: 404, Body: `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-1","error":"NOT_FOUND","message":"Financial Account not found"}`, Kind: httpapi.ErrNotFound, Code: "NOT_FOUND", RequestID: "t-1", Message: "Financial Account not found"},
	{Name: "newer revision with a path", Status: 400, Body: `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-2","message":"invalid","errorCode":"VALIDATION_ERROR","errors":[{"path":"card.programId","message":"required","errorCode":"REQUIRED"}]}`, Kind: httpapi.ErrInvalid, Code: "VALIDATION_ERROR", Field: "card.programId", RequestID: "t-2", Message: "invalid: required"},
	{Name: "newer revision, several paths: the first", Status: 400, Body: `{"traceId":"t-3","message":"invalid","errorCode":"VALIDATION_ERROR","errors":[{"path":"name","errorCode":"REQUIRED"},{"path":"currency","errorCode":"NOT_ALLOWED"}]}`, Kind: httpapi.ErrInvalid, Code: "VALIDATION_ERROR", Field: "name", RequestID: "t-3", Message: "invalid"},
	{Name: "the path's code when the body has none", Status: 422, Body: `{"traceId":"t-4","errors":[{"path":"card.limits.amount","message":"limit exceeded","errorCode":"LIMIT_EXCEEDED"}]}`, Kind: httpapi.ErrInvalid, Code: "LIMIT_EXCEEDED", Field: "card.limits.amount", RequestID: "t-4", Message: "limit exceeded"},
	{Name: "newer revision without paths", Status: 409, Body: `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-5","message":"the provided idempotency key was already used for another request","errorCode":"IDEMPOTENCY_KEY_ALREADY_USED"}`, Kind: httpapi.ErrConflict, Code: "IDEMPOTENCY_KEY_ALREADY_USED", RequestID: "t-5", Message: "the provided idempotency key was already used for another request"},
	{Name: "missing permission", Status: 403, Body: `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-6","error":"FORBIDDEN","message":"Unauthorized"}`, Kind: httpapi.ErrUnauthorized, Code: "FORBIDDEN", RequestID: "t-6", Message: "Unauthorized"},
	{Name: "retry after a short interval", Status: 503, Body: `{"message":"try again"}`, Kind: httpapi.ErrUnavailable, Message: "try again", Retryable: true},
	{Name: "members not documented are read past", Status: 429, Body: `{"traceId":"t-7","errorCode":"RATE_LIMITED","message":"slow down","hint":"x","errors":[{"path":"p","extra":1}]}`, Kind: httpapi.ErrRateLimited, Code: "RATE_LIMITED", Field: "p", RequestID: "t-7", Message: "slow down", Retryable: true},
	{Name: "a number echoed is scrubbed", Status: 400, Body: `{"traceId":"t-8","errorCode":"VALIDATION_ERROR","message":"card 4111111111111111","errors":[{"path":"card.4111111111111111","message":"bad"}]}`, Kind: httpapi.ErrInvalid, Code: "VALIDATION_ERROR", Field: "card.[redacted]", RequestID: "t-8", Message: "card [redacted]: bad"},
	{Name: "not JSON", Status: 500, Body: `Internal Server Error`, Kind: httpapi.ErrUnavailable, Retryable: true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode and ProviderField the issuance service keeps.
func TestErrorBodyCodeAndField(t *testing.T) {
	clienttest.ErrorBodies(t, rocketkorErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, status, body).Card(context.Background(), "fa-1")
		return err
	})
}

// FuzzErrorBody sends any body with any error status: the answer is always
// an *httpapi.Error of the status, and no run of digits that could be a
// card number reaches its text.
func FuzzErrorBody(f *testing.F) {
	clienttest.FuzzErrorBodies(f, rocketkorErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, status, body).Card(context.Background(), "fa-1")
		return err
	})
}

// FuzzTokenResponse answers the token exchange with any status and body:
// the call that needed the token ends in an *httpapi.Error (the exchange's,
// or, with a token, the card's 404), and a token read is sent as a bearer
// token.
func FuzzTokenResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, goodToken}, {200, `{"access_token":"tok","expires_in":60}`}, {200, `{"access_token":"","expires_in":3600}`},
		{200, `{"access_token":"tok","expires_in":0}`}, {200, `{"access_token":"tok","expires_in":-5}`},
		{200, `{"access_token":"tok","expires_in":9223372036854775807}`}, {200, `{"access_token":"tok","expires_in":"3600"}`},
		{200, `{"access_token":"tok","expires_in":3600,"token_type":"Bearer","scope":"cards"}`}, {200, `{"access_token":"tok","access_token":"x","expires_in":1}`},
		{200, `[]`}, {200, ``}, {201, goodToken}, {401, `{"errorCode":"INVALID_CREDENTIALS","message":"the API key or secret is wrong"}`},
		{500, `oops`},
	} {
		f.Add(s.status, []byte(s.body))
	}
	clienttest.FuzzTokenResponses(f, func(t testing.TB, status int, body []byte) (auth string, err error) {
		c := client(t, func(r *http.Request) *http.Response {
			if r.URL.Path == rocketkor.TokenPath {
				return response(r, status, body)
			}
			auth = r.Header.Get("Authorization")
			return response(r, http.StatusNotFound, []byte(`{"error":"NOT_FOUND"}`))
		})
		_, err = c.Card(context.Background(), "fa-1")
		return auth, err
	})
}

// TestBaseURLWithPrefix puts RocketKOR behind a path prefix: the exchange
// and the card calls go below it, the exchange carries the key and secret
// and no token (it does not ask for one: that would call itself), and
// happens once.
func TestBaseURLWithPrefix(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	answer := read(t, "issue-card.response.json")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("rk_key:rk_secret"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, r.Method+" "+r.URL.Path+" "+strings.Fields(r.Header.Get("Authorization") + " none")[0])
		mu.Unlock()
		switch {
		case r.URL.Path == "/prefix/v1/api-keys/exchange" && r.Header.Get("Authorization") == basic:
			_, _ = w.Write([]byte(goodToken))
		case r.Header.Get("Authorization") != "Bearer tok-1":
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/prefix/v1/integrated-cards" || r.URL.Path == "/prefix/v1/financial-accounts/fa-1":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(answer)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	in, res, err := rocketkor.DecodeIssueRequest(read(t, "issue-card.request.json"))
	require.NoError(t, err)
	c, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("rk_key"), APISecret: httpapi.NewSecret("rk_secret")},
		rocketkor.Program{Terms: func(card.Card) rocketkor.Terms { return res.Terms }},
		httpapi.WithBaseURL(srv.URL+"/prefix"), httpapi.WithHTTPClient(srv.Client()), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	require.NoError(t, err)

	ctx := context.Background()
	_, err = c.IssueCard(ctx, uuid.NewString(), in)
	require.NoError(t, err)
	_, err = c.Card(ctx, "fa-1")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"POST /prefix/v1/api-keys/exchange Basic",
		"POST /prefix/v1/integrated-cards Bearer",
		"GET /prefix/v1/financial-accounts/fa-1 Bearer",
	}, calls)
	assert.Equal(t, 1, c.TokenFetches())
}

// TestActivateRequestPIN: an empty PIN block is one problem, required; a
// short one is too short.
func TestActivateRequestPIN(t *testing.T) {
	_, err := rocketkor.ActivateRequestFor("")
	var e *card.Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Fields, 1)
	assert.True(t, e.Has("newPin", card.CodeRequired))
	_, err = rocketkor.ActivateRequestFor("123")
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Has("newPin", card.CodeTooShort))
	_, err = rocketkor.ActivateRequestFor("1234")
	require.NoError(t, err)
}

// TestReadAfterChangeFollowsItsEffect: RocketKOR answers a lifted hold
// without the account, which the client then reads. The read's failure,
// even a 503, follows a change the provider made: it must not say that the
// provider did not act (NotActed), or the service would judge the call
// again as if nothing had happened.
func TestReadAfterChangeFollowsItsEffect(t *testing.T) {
	var lifted bool
	c := client(t, func(r *http.Request) *http.Response {
		switch {
		case r.URL.Path == rocketkor.TokenPath:
			return response(r, http.StatusOK, []byte(goodToken))
		case r.Method == http.MethodPut:
			lifted = true
			return response(r, http.StatusNoContent, nil)
		}
		return response(r, http.StatusServiceUnavailable, []byte(`{"message":"try again"}`))
	})
	cd := card.Card{Status: card.StatusSuspended, ProviderRefs: map[string]string{rocketkor.Name: "fa-1"}}
	_, err := c.ChangeStatus(context.Background(), "key-123456", cd, card.Move{To: card.StatusActive, Reason: card.ReasonREQ, By: card.ActorHolder})
	require.True(t, lifted)
	var na interface{ NotActed() bool }
	require.ErrorAs(t, err, &na)
	assert.False(t, na.NotActed(), "the hold was lifted: %v", err)
}
