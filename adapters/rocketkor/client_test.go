package rocketkor_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/card"
)

// transport answers every request itself, without a network.
type transport func(*http.Request) (*http.Response, error)

func (f transport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func response(r *http.Request, status int, body []byte) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}
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
			httpapi.WithHTTPClient(&http.Client{Transport: transport(func(r *http.Request) (*http.Response, error) { return answer(r), nil })})}, opts...)...)
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
var rocketkorErrors = []struct {
	name      string
	status    int
	body      string
	kind      error
	code      string
	field     string
	requestID string
	message   string
	retryable bool
}{
	{"older revision", 404, `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-1","error":"NOT_FOUND","message":"Financial Account not found"}`,
		httpapi.ErrNotFound, "NOT_FOUND", "", "t-1", "Financial Account not found", false},
	{"newer revision with a path", 400, `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-2","message":"invalid","errorCode":"VALIDATION_ERROR","errors":[{"path":"card.programId","message":"required","errorCode":"REQUIRED"}]}`,
		httpapi.ErrInvalid, "VALIDATION_ERROR", "card.programId", "t-2", "invalid: required", false},
	{"newer revision, several paths: the first", 400, `{"traceId":"t-3","message":"invalid","errorCode":"VALIDATION_ERROR","errors":[{"path":"name","errorCode":"REQUIRED"},{"path":"currency","errorCode":"NOT_ALLOWED"}]}`,
		httpapi.ErrInvalid, "VALIDATION_ERROR", "name", "t-3", "invalid", false},
	{"the path's code when the body has none", 422, `{"traceId":"t-4","errors":[{"path":"card.limits.amount","message":"limit exceeded","errorCode":"LIMIT_EXCEEDED"}]}`,
		httpapi.ErrInvalid, "LIMIT_EXCEEDED", "card.limits.amount", "t-4", "limit exceeded", false},
	{"newer revision without paths", 409, `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-5","message":"the provided idempotency key was already used for another request","errorCode":"IDEMPOTENCY_KEY_ALREADY_USED"}`,
		httpapi.ErrConflict, "IDEMPOTENCY_KEY_ALREADY_USED", "", "t-5", "the provided idempotency key was already used for another request", false},
	{"missing permission", 403, `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-6","error":"FORBIDDEN","message":"Unauthorized"}`,
		httpapi.ErrUnauthorized, "FORBIDDEN", "", "t-6", "Unauthorized", false},
	{"retry after a short interval", 503, `{"message":"try again"}`, httpapi.ErrUnavailable, "", "", "", "try again", true},
	{"members not documented are read past", 429, `{"traceId":"t-7","errorCode":"RATE_LIMITED","message":"slow down","hint":"x","errors":[{"path":"p","extra":1}]}`,
		httpapi.ErrRateLimited, "RATE_LIMITED", "p", "t-7", "slow down", true},
	{"a number echoed is scrubbed", 400, `{"traceId":"t-8","errorCode":"VALIDATION_ERROR","message":"card 4111111111111111","errors":[{"path":"card.4111111111111111","message":"bad"}]}`,
		httpapi.ErrInvalid, "VALIDATION_ERROR", "card.[digits]", "t-8", "card [digits]: bad", false},
	{"not JSON", 500, `Internal Server Error`, httpapi.ErrUnavailable, "", "", "", "", true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode and ProviderField the issuance service keeps.
func TestErrorBodyCodeAndField(t *testing.T) {
	for _, tt := range rocketkorErrors {
		t.Run(tt.name, func(t *testing.T) {
			_, err := answering(t, tt.status, []byte(tt.body)).Card(context.Background(), "fa-1")
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.ProviderCode())
			assert.Equal(t, tt.field, e.ProviderField())
			assert.Equal(t, tt.requestID, e.RequestID)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.retryable, e.Retryable())
			assert.NotContains(t, err.Error(), "4111111111111111")
		})
	}
}

// FuzzErrorBody sends any body with any error status: the answer is always
// an *httpapi.Error of the status, and no run of digits that could be a
// card number reaches its text.
func FuzzErrorBody(f *testing.F) {
	for _, tt := range rocketkorErrors {
		f.Add(tt.status, []byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200
		_, err := answering(t, status, body).Card(context.Background(), "fa-1")
		var e *httpapi.Error
		if !errors.As(err, &e) || e.Status != status {
			t.Fatalf("status %d: %v, not an *httpapi.Error of the status", status, err)
		}
		if hasCardNumber(err.Error()) || hasCardNumber(e.Code) || hasCardNumber(e.Field) || hasCardNumber(e.RequestID) {
			t.Fatalf("a run of digits in %q", err.Error())
		}
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
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 200 + (status%400+400)%400
		var auth string
		c := client(t, func(r *http.Request) *http.Response {
			if r.URL.Path == rocketkor.TokenPath {
				return response(r, status, body)
			}
			auth = r.Header.Get("Authorization")
			return response(r, http.StatusNotFound, []byte(`{"error":"NOT_FOUND"}`))
		})
		_, err := c.Card(context.Background(), "fa-1")
		var e *httpapi.Error
		if !errors.As(err, &e) {
			t.Fatalf("%v: not an *httpapi.Error", err)
		}
		switch e.Op {
		case "token":
		case "get":
			if e.Status != http.StatusNotFound || !strings.HasPrefix(auth, "Bearer ") || len(auth) == len("Bearer ") {
				t.Fatalf("the card call: %v with Authorization %q", err, auth)
			}
		default:
			t.Fatalf("op %q: %v", e.Op, err)
		}
		if hasCardNumber(err.Error()) {
			t.Fatalf("a run of digits in %q", err.Error())
		}
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

// hasCardNumber reports whether s holds a run of 11 or more digits.
func hasCardNumber(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run >= 11 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}
