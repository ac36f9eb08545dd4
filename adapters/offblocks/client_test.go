package offblocks_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/httpsig"
	"github.com/cardkit/cardkit/adapters/offblocks"
)

// transport answers every request itself, without a network.
type transport func(*http.Request) (*http.Response, error)

func (f transport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func response(r *http.Request, status int, body []byte) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}
}

const goodToken = `{"token":"tok-1","expiresAt":4102444800,"tokenType":"Bearer"}`

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// credentials are test credentials with a fresh P-384 key.
func credentials(t testing.TB) offblocks.Credentials {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	sk, err := offblocks.NewSigningKey(k)
	require.NoError(t, err)
	return offblocks.Credentials{APIKey: httpapi.NewSecret(uuid.NewString()), APISecret: httpapi.NewSecret("ob_secret"), SigningKey: sk, KeyID: "key-1"}
}

// client is a client of an OffBlocks answered by answer.
func client(t testing.TB, creds offblocks.Credentials, answer func(r *http.Request) *http.Response) *offblocks.Client {
	c, err := offblocks.NewClient(creds, httpapi.WithClock(func() time.Time { return t0 }), httpapi.WithRetry(httpapi.Retry{Attempts: 1}),
		httpapi.WithHTTPClient(&http.Client{Transport: transport(func(r *http.Request) (*http.Response, error) { return answer(r), nil })}))
	require.NoError(t, err)
	return c
}

// answering answers the token exchange with a token and every other call
// with status and body.
func answering(t testing.TB, creds offblocks.Credentials, status int, body []byte) *offblocks.Client {
	return client(t, creds, func(r *http.Request) *http.Response {
		if r.URL.Path == offblocks.TokenPath {
			return response(r, http.StatusOK, []byte(goodToken))
		}
		return response(r, status, body)
	})
}

// offblocksErrors are OffBlocks' error bodies: a status and a description
// (providers/offblocks.md, Errors), and a code where one is sent. OffBlocks
// names no field.
var offblocksErrors = []struct {
	name      string
	status    int
	body      string
	kind      error
	code      string
	message   string
	retryable bool
}{
	{"not found", 404, `{"status":404,"description":"Card not found"}`, httpapi.ErrNotFound, "", "Card not found", false},
	{"invalid, with a code", 400, `{"status":400,"description":"Invalid request","code":"VALIDATION_FAILED"}`, httpapi.ErrInvalid, "VALIDATION_FAILED", "Invalid request", false},
	{"invalid signature", 400, `{"status":400,"description":"Invalid request signature."}`, httpapi.ErrInvalid, "", "Invalid request signature.", false},
	{"key in flight", 409, `{"status":409,"description":"Idempotency-Key Concurrency Conflict"}`, httpapi.ErrConflict, "", "Idempotency-Key Concurrency Conflict", true},
	{"key reused", 422, `{"status":422,"description":"Idempotency-Key reused with a different payload"}`, httpapi.ErrInvalid, "", "Idempotency-Key reused with a different payload", false},
	{"not authorised, after one new token", 401, `{"status":401,"description":"Not authorised"}`, httpapi.ErrUnauthorized, "", "Not authorised", false},
	{"members not documented are read past", 403, `{"status":403,"description":"Forbidden","code":"FORBIDDEN","traceId":"x"}`, httpapi.ErrUnauthorized, "FORBIDDEN", "Forbidden", false},
	{"a number echoed is scrubbed", 400, `{"status":400,"description":"card 4111111111111111 refused","code":"4111111111111111"}`, httpapi.ErrInvalid, "[digits]", "card [digits] refused", false},
	{"not JSON", 500, `Internal error`, httpapi.ErrUnavailable, "", "", true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode the issuance service keeps; ProviderField stays empty.
func TestErrorBodyCodeAndField(t *testing.T) {
	creds := credentials(t)
	for _, tt := range offblocksErrors {
		t.Run(tt.name, func(t *testing.T) {
			_, err := answering(t, creds, tt.status, []byte(tt.body)).Card(context.Background(), "c-1")
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.ProviderCode())
			assert.Empty(t, e.ProviderField())
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
	for _, tt := range offblocksErrors {
		f.Add(tt.status, []byte(tt.body))
	}
	creds := credentials(f)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200
		_, err := answering(t, creds, status, body).Card(context.Background(), "c-1")
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
		{200, goodToken}, {200, `{"token":"tok","expiresAt":1}`}, {200, `{"token":"","expiresAt":4102444800}`},
		{200, `{"token":"tok","expiresAt":0}`}, {200, `{"token":"tok","expiresAt":-1}`}, {200, `{"token":"tok","expiresAt":9223372036854775807}`},
		{200, `{"token":"tok","expiresAt":"4102444800"}`}, {200, `{"token":"tok","expiresAt":4102444800,"tokenType":"Bearer","scope":"x"}`},
		{200, `{"token":"a","token":"b","expiresAt":4102444800}`}, {200, `null`}, {200, ``}, {201, goodToken},
		{401, `{"status":401,"description":"Invalid credentials"}`}, {500, `Internal error`},
	} {
		f.Add(s.status, []byte(s.body))
	}
	creds := credentials(f)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 200 + (status%400+400)%400
		var auth string
		c := client(t, creds, func(r *http.Request) *http.Response {
			if r.URL.Path == offblocks.TokenPath {
				return response(r, status, body)
			}
			auth = r.Header.Get("Authorization")
			return response(r, http.StatusNotFound, []byte(`{"status":404,"description":"Card not found"}`))
		})
		_, err := c.Card(context.Background(), "c-1")
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

// TestBaseURLWithPrefix puts OffBlocks behind a path prefix: the exchange
// and the card calls go below it, each signed over its full target URI
// (prefix included), the exchange with no token (it does not ask for one:
// that would call itself), and it happens once.
func TestBaseURLWithPrefix(t *testing.T) {
	creds := credentials(t)
	verifier, err := httpsig.ECDSAVerifier(creds.SigningKey.Public())
	require.NoError(t, err)
	issuing, err := os.ReadFile("testdata/card-issuing.response.json")
	require.NoError(t, err)
	var mu sync.Mutex
	var calls []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m := httpsig.FromRequest(r)
		signed, err := httpsig.Verify(&m, offblocks.SignatureLabel, verifier)
		if err == nil && len(body) > 0 {
			err = httpsig.VerifyContentDigest(r.Header.Get(httpsig.HeaderContentDigest), body)
		}
		mu.Lock()
		calls = append(calls, r.Method+" "+r.URL.Path+" "+strings.Fields(r.Header.Get("Authorization") + " none")[0])
		mu.Unlock()
		switch {
		case err != nil || !signed.Covers("@target-uri"):
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":400,"description":"Invalid request signature."}`))
		case r.URL.Path == "/prefix/v1/auth/token" && r.Header.Get("Authorization") == "":
			_, _ = w.Write([]byte(goodToken))
		case r.Header.Get("Authorization") != "Bearer tok-1":
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/prefix/v1/accounts/ae61c362-4136-49af-8e01-544457fe265b/cards" || r.URL.Path == "/prefix/v1/cards/fc4912aa-cac9-4bb0-a6a7-6ec50bf45879":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(issuing)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	c, err := offblocks.NewClient(creds, httpapi.WithBaseURL(srv.URL+"/prefix"), httpapi.WithHTTPClient(srv.Client()),
		httpapi.WithClock(func() time.Time { return t0 }), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	require.NoError(t, err)
	in, _, err := offblocks.DecodeCardRequest([]byte(`{"type":"virtual","billingAddress":{"firstLine":"1 Test Avenue","city":"London","country":"GB","postCode":"SW1 1AA"}}`))
	require.NoError(t, err)
	in.AccountID = "ae61c362-4136-49af-8e01-544457fe265b"

	ctx := context.Background()
	out, err := c.IssueCard(ctx, uuid.NewString(), in)
	require.NoError(t, err)
	_, err = c.Card(ctx, out.ProviderRefs[offblocks.Name])
	require.NoError(t, err)
	assert.Equal(t, []string{
		"POST /prefix/v1/auth/token none",
		"POST /prefix/v1/accounts/ae61c362-4136-49af-8e01-544457fe265b/cards Bearer",
		"GET /prefix/v1/cards/fc4912aa-cac9-4bb0-a6a7-6ec50bf45879 Bearer",
	}, calls)
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
