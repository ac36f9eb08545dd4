package offblocks_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/clienttest"
	"github.com/cardkit/cardkit/adapters/internal/httpsig"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/card"
)

func response(r *http.Request, status int, body []byte) *http.Response {
	return clienttest.Response(r, status, "application/json", body)
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
		httpapi.WithHTTPClient(clienttest.HTTPClient(answer)))
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
var offblocksErrors = []clienttest.ErrorBody{
	{Name: "not found", Status: 404, Body: `{"status":404,"description":"Card not found"}`, Kind: httpapi.ErrNotFound, Message: "Card not found"},
	{Name: "invalid, with a code", Status: 400, Body: `{"status":400,"description":"Invalid request","code":"VALIDATION_FAILED"}`, Kind: httpapi.ErrInvalid, Code: "VALIDATION_FAILED", Message: "Invalid request"},
	{Name: "invalid signature", Status: 400, Body: `{"status":400,"description":"Invalid request signature."}`, Kind: httpapi.ErrInvalid, Message: "Invalid request signature."},
	{Name: "key in flight", Status: 409, Body: `{"status":409,"description":"Idempotency-Key Concurrency Conflict"}`, Kind: httpapi.ErrConflict, Message: "Idempotency-Key Concurrency Conflict", Retryable: true},
	{Name: "key reused", Status: 422, Body: `{"status":422,"description":"Idempotency-Key reused with a different payload"}`, Kind: httpapi.ErrInvalid, Message: "Idempotency-Key reused with a different payload"},
	{Name: "not authorised, after one new token", Status: 401, Body: `{"status":401,"description":"Not authorised"}`, Kind: httpapi.ErrUnauthorized, Message: "Not authorised"},
	{Name: "members not documented are read past", Status: 403, Body: `{"status":403,"description":"Forbidden","code":"FORBIDDEN","traceId":"x"}`, Kind: httpapi.ErrUnauthorized, Code: "FORBIDDEN", Message: "Forbidden"},
	{Name: "a number echoed is scrubbed", Status: 400, Body: `{"status":400,"description":"card 4111111111111111 refused","code":"4111111111111111"}`, Kind: httpapi.ErrInvalid, Code: "[redacted]", Message: "card [redacted] refused"},
	{Name: "not JSON", Status: 500, Body: `Internal error`, Kind: httpapi.ErrUnavailable, Retryable: true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode the issuance service keeps; ProviderField stays empty.
func TestErrorBodyCodeAndField(t *testing.T) {
	creds := credentials(t)
	clienttest.ErrorBodies(t, offblocksErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, creds, status, body).Card(context.Background(), "c-1")
		return err
	})
}

// FuzzErrorBody sends any body with any error status: the answer is always
// an *httpapi.Error of the status, and no run of digits that could be a
// card number reaches its text.
func FuzzErrorBody(f *testing.F) {
	creds := credentials(f)
	clienttest.FuzzErrorBodies(f, offblocksErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, creds, status, body).Card(context.Background(), "c-1")
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
		{200, goodToken}, {200, `{"token":"tok","expiresAt":1}`}, {200, `{"token":"","expiresAt":4102444800}`},
		{200, `{"token":"tok","expiresAt":0}`}, {200, `{"token":"tok","expiresAt":-1}`}, {200, `{"token":"tok","expiresAt":9223372036854775807}`},
		{200, `{"token":"tok","expiresAt":"4102444800"}`}, {200, `{"token":"tok","expiresAt":4102444800,"tokenType":"Bearer","scope":"x"}`},
		{200, `{"token":"a","token":"b","expiresAt":4102444800}`}, {200, `null`}, {200, ``}, {201, goodToken},
		{401, `{"status":401,"description":"Invalid credentials"}`}, {500, `Internal error`},
	} {
		f.Add(s.status, []byte(s.body))
	}
	creds := credentials(f)
	clienttest.FuzzTokenResponses(f, func(t testing.TB, status int, body []byte) (auth string, err error) {
		c := client(t, creds, func(r *http.Request) *http.Response {
			if r.URL.Path == offblocks.TokenPath {
				return response(r, status, body)
			}
			auth = r.Header.Get("Authorization")
			return response(r, http.StatusNotFound, []byte(`{"status":404,"description":"Card not found"}`))
		})
		_, err = c.Card(context.Background(), "c-1")
		return auth, err
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

// hsmKey is a key that signs only through crypto.Signer, as one in an
// HSM does.
type hsmKey struct{ k *ecdsa.PrivateKey }

func (h hsmKey) Public() crypto.PublicKey { return h.k.Public() }
func (h hsmKey) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return h.k.Sign(r, digest, opts)
}

// TestNewSigner signs through a crypto.Signer that is not an
// *ecdsa.PrivateKey: the r||s signature verifies with its public half.
// A key that is not ECDSA on P-384 is refused.
func TestNewSigner(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	sk, err := offblocks.NewSigner(hsmKey{k})
	require.NoError(t, err)
	assert.True(t, sk.Public().Equal(&k.PublicKey))
	v, err := httpsig.ECDSAVerifier(sk.Public())
	require.NoError(t, err)
	for range 20 { // r and s of every length: a short one is padded
		sig, err := sk.Sign([]byte("base"))
		require.NoError(t, err)
		require.Len(t, sig, 96)
		require.NoError(t, v.Verify([]byte("base"), sig))
	}

	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	for _, s := range []crypto.Signer{nil, p256, hsmKey{p256}, ed, (*ecdsa.PrivateKey)(nil), &ecdsa.PrivateKey{}} {
		_, err := offblocks.NewSigner(s)
		assert.ErrorIs(t, err, card.ErrInvalid, "%T", s)
	}
	_, err = offblocks.NewSigningKey(nil)
	assert.ErrorIs(t, err, card.ErrInvalid)
	_, err = offblocks.NewSigningKey(&ecdsa.PrivateKey{})
	assert.ErrorIs(t, err, card.ErrInvalid)
	// The zero key holds nothing to sign with, and says so.
	_, err = offblocks.SigningKey{}.Sign([]byte("base"))
	assert.ErrorIs(t, err, card.ErrInvalid)
	r, err := http.NewRequest(http.MethodGet, "https://api.offblocks.xyz/v1/cards", nil)
	require.NoError(t, err)
	assert.Error(t, offblocks.Sign(r, nil, offblocks.SigningKey{}, "key-1", time.Now()))
	// No request to sign: an error, not a panic.
	assert.ErrorIs(t, offblocks.Sign(nil, nil, offblocks.SigningKey{}, "key-1", time.Now()), card.ErrInvalid)
}

// TestReadAfterChangeFollowsItsEffect: a deactivation answered with a 204
// is read back; the read's failure (a 503, or no connection at all: the
// provider went away after the change) follows a change the provider made,
// so it must not say that the provider did not act (NotActed).
func TestReadAfterChangeFollowsItsEffect(t *testing.T) {
	for _, gone := range []bool{false, true} {
		var patched atomic.Bool
		var srv *httptest.Server
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			switch {
			case r.URL.Path == offblocks.TokenPath:
				_, _ = w.Write([]byte(goodToken))
			case r.Method == http.MethodPatch:
				patched.Store(true)
				if gone {
					w.Header().Set("Connection", "close")
					w.WriteHeader(http.StatusNoContent)
					srv.Listener.Close() // nothing listens any more
					return
				}
				w.WriteHeader(http.StatusNoContent)
			default:
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}))
		c, err := offblocks.NewClient(credentials(t), httpapi.WithBaseURL(srv.URL), httpapi.WithClock(func() time.Time { return t0 }),
			httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
		require.NoError(t, err)
		cd := card.Card{ProviderRefs: map[string]string{offblocks.Name: "fc4912aa-cac9-4bb0-a6a7-6ec50bf45879"}, Status: card.StatusActive}
		_, err = c.ChangeStatus(context.Background(), "k-123", cd, card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: card.ActorHolder})
		srv.Close()
		require.True(t, patched.Load(), "the provider deactivated the card")
		var na interface{ NotActed() bool }
		require.ErrorAs(t, err, &na)
		assert.False(t, na.NotActed(), "provider gone: %v; the deactivation reached it, which acted: %v", gone, err)
	}
}

// TestSimulatedIssueFollowsTheCard: with the simulator, IssueCard made the card before the simulated
// issue and the read back: a 503 on either must not say NotActed.
func TestSimulatedIssueFollowsTheCard(t *testing.T) {
	issuing, err := os.ReadFile("testdata/card-issuing.response.json")
	require.NoError(t, err)
	for _, failOn := range []string{http.MethodPatch, http.MethodGet} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			switch {
			case r.URL.Path == offblocks.TokenPath:
				_, _ = w.Write([]byte(goodToken))
			case r.Method == failOn:
				w.WriteHeader(http.StatusServiceUnavailable)
			case r.Method == http.MethodPost:
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write(issuing)
			case r.Method == http.MethodPatch:
				w.WriteHeader(http.StatusNoContent)
			default:
				w.WriteHeader(http.StatusNotFound)
			}
		}))
		c, err := offblocks.NewClient(credentials(t), httpapi.WithBaseURL(srv.URL), httpapi.WithSandboxSimulator(),
			httpapi.WithClock(func() time.Time { return t0 }), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
		require.NoError(t, err)
		in, _, err := offblocks.DecodeCardRequest([]byte(`{"type":"virtual","billingAddress":{"firstLine":"1 Test Avenue","city":"London","country":"GB","postCode":"SW1 1AA"}}`))
		require.NoError(t, err)
		in.AccountID = "ae61c362-4136-49af-8e01-544457fe265b"
		_, err = c.IssueCard(context.Background(), uuid.NewString(), in)
		srv.Close()
		var na interface{ NotActed() bool }
		require.ErrorAs(t, err, &na, "503 on %s", failOn)
		assert.False(t, na.NotActed(), "503 on %s after the card was made: %v", failOn, err)
	}
}
