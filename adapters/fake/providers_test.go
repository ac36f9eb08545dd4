package fake_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/httpsig"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// TestOffBlocksRefusesBadSignatures sends requests the fake must refuse:
// signed by another key, unsigned, with a body that does not match its
// digest, with a stale created time.
func TestOffBlocksRefusesBadSignatures(t *testing.T) {
	ob := newOffBlocks(t, fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, ob.fake)
	ctx := context.Background()
	other, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	otherKey, err := offblocks.NewSigningKey(other)
	require.NoError(t, err)

	post := func(sign func(r *http.Request, body []byte)) int {
		body := []byte(`{"apiKey":"x","apiSecret":"y"}`)
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+offblocks.TokenPath, bytes.NewReader(body))
		require.NoError(t, err)
		sign(r, body)
		resp, err := srv.Client().Do(r)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	good := func(r *http.Request, body []byte) {
		require.NoError(t, offblocks.Sign(r, body, ob.creds.SigningKey, "key-1", t0))
	}
	assert.Equal(t, http.StatusUnauthorized, post(good), "signed well: the fake reads the (wrong) credentials")
	for name, sign := range map[string]func(*http.Request, []byte){
		"another key": func(r *http.Request, body []byte) { require.NoError(t, offblocks.Sign(r, body, otherKey, "key-1", t0)) },
		"unknown key id": func(r *http.Request, body []byte) {
			require.NoError(t, offblocks.Sign(r, body, ob.creds.SigningKey, "key-2", t0))
		},
		"unsigned": func(*http.Request, []byte) {},
		"stale": func(r *http.Request, body []byte) {
			require.NoError(t, offblocks.Sign(r, body, ob.creds.SigningKey, "key-1", t0.Add(-time.Hour)))
		},
		"digest of another body": func(r *http.Request, body []byte) {
			require.NoError(t, offblocks.Sign(r, []byte(`{}`), ob.creds.SigningKey, "key-1", t0))
		},
		"no digest": func(r *http.Request, body []byte) {
			good(r, body)
			r.Header.Del(httpsig.HeaderContentDigest)
		},
	} {
		assert.Equal(t, http.StatusBadRequest, post(sign), name)
	}
}

// TestOffBlocksDerivesUUIDKeys sends a key that is not a UUID: the client
// derives one, the same on every call, and the fake accepts it.
func TestOffBlocksDerivesUUIDKeys(t *testing.T) {
	h := offblocksHarness(t)
	ctx := context.Background()
	c := h.newCard()
	a, err := h.client.IssueCard(ctx, "order-42", c)
	require.NoError(t, err)
	b, err := h.client.IssueCard(ctx, "order-42", c)
	require.NoError(t, err)
	assert.Equal(t, a.ProviderRefs[offblocks.Name], b.ProviderRefs[offblocks.Name])
	assert.Equal(t, offblocks.KeyFor("order-42", ""), offblocks.KeyFor("order-42", ""))
	assert.NotEqual(t, offblocks.KeyFor("order-42", ""), offblocks.KeyFor("order-42", "simulate-issue"))
	u := uuid.NewString()
	assert.Equal(t, u, offblocks.KeyFor(u, "").String(), "a UUID goes through as it is")
}

// TestOffBlocksWithoutSimulator leaves the card issuing until the
// simulator is called.
func TestOffBlocksWithoutSimulator(t *testing.T) {
	ob := newOffBlocks(t, fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, ob.fake)
	w := &waits{}
	c, err := offblocks.NewClient(ob.creds, options(srv, "", w)...)
	require.NoError(t, err)
	ctx := context.Background()
	in := offblocksHarness(t).newCard()
	got, err := c.IssueCard(ctx, uuid.NewString(), in)
	require.NoError(t, err)
	assert.Equal(t, card.StatusPending, got.Status, "issuing")
	assert.Empty(t, got.LastFour, "no number while issuing")
	require.NoError(t, c.SimulateFail(ctx, uuid.NewString(), got.ProviderRefs[offblocks.Name]))
	failed, err := c.Card(ctx, got.ProviderRefs[offblocks.Name])
	require.NoError(t, err)
	assert.Equal(t, card.StatusRejected, failed.Status, "issue_failed")
	err = c.SimulateIssue(ctx, uuid.NewString(), got.ProviderRefs[offblocks.Name])
	assert.ErrorIs(t, err, httpapi.ErrInvalid, "issue_failed is final")

	_, err = c.ChangeStatus(ctx, uuid.NewString(), failed, card.Move{To: card.StatusSuspended, Reason: card.ReasonSUS, By: card.ActorProgram})
	assert.ErrorContains(t, err, "only OffBlocks suspends", "a client cannot place OffBlocks' own hold")
}

// TestTokensAreRefreshed lets the fakes' tokens run short: the clients
// fetch new ones before the old lapse, and after a 401.
func TestTokensAreRefreshed(t *testing.T) {
	now := t0
	clock := func() time.Time { return now }
	ctx := context.Background()

	rk := fake.NewRocketKOR("rk_key_0001", "rk_secret", fake.WithClock(clock))
	rk.SetTokenTTL(10 * time.Minute)
	srv := serve(t, rk)
	w := &waits{}
	h := rocketkorHarness(t)
	c, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("rk_key_0001"), APISecret: httpapi.NewSecret("rk_secret")},
		rocketkor.Program{Terms: func(card.Card) rocketkor.Terms { return termsOf(h) }}, append(options(srv, "", w), httpapi.WithClock(clock))...)
	require.NoError(t, err)
	issued, err := c.IssueCard(ctx, uuid.NewString(), h.newCard())
	require.NoError(t, err)
	ref := issued.ProviderRefs[rocketkor.Name]
	for range 7 {
		now = now.Add(3 * time.Minute)
		_, err := c.Card(ctx, ref)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, c.TokenFetches(), "a new token before each one lapses: at 0, 9 and 18 minutes")
	assert.Equal(t, 3, rk.Calls(fake.OpToken))
}

func termsOf(h harness) rocketkor.Terms {
	yes := true
	return rocketkor.Terms{Solution: "card-issuing", StartingNumber: "412345", UsCitizen: &yes,
		AcceptedTermsDate: "2026-11-01", ReadPrivacyPolicyDate: "2026-11-01", AcceptedAgreement: &yes}
}

// TestRocketKORKeyLength refuses, before any call, a key RocketKOR would
// refuse; the fake refuses it too.
func TestRocketKORKeyLength(t *testing.T) {
	h := rocketkorHarness(t)
	_, err := h.client.IssueCard(context.Background(), "abc", h.newCard())
	require.Error(t, err)
	var ce *card.Error
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Has(rocketkor.HeaderIdempotencyKey, card.CodeTooShort))
	assert.Zero(t, h.fake.Calls(fake.OpIssue))
}

// TestRocketKORRefusals refuses, before any call, a suspension for a hold
// RocketKOR has no reason for, and an activation without a PIN block.
func TestRocketKORRefusals(t *testing.T) {
	h := rocketkorHarness(t)
	ctx := context.Background()
	c, err := h.client.IssueCard(ctx, uuid.NewString(), h.newCard())
	require.NoError(t, err)
	_, err = h.client.ChangeStatus(ctx, uuid.NewString(), c, card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: card.ActorHolder})
	var ce *card.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "stateReason", ce.Fields[0].Field)
	assert.Zero(t, h.fake.Calls(fake.OpSuspend))

	noPIN, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("a"), APISecret: httpapi.NewSecret("b")},
		rocketkor.Program{Terms: func(card.Card) rocketkor.Terms { return termsOf(h) }}, httpapi.WithBaseURL("http://127.0.0.1:1"))
	require.NoError(t, err)
	_, err = noPIN.ChangeStatus(ctx, uuid.NewString(), c, card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: card.ActorHolder})
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Has("program.pin_block", card.CodeRequired))
	_, err = rocketkor.NewClient(rocketkor.Credentials{}, rocketkor.Program{})
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Has("base_url", card.CodeRequired), "RocketKOR documents no host")
}

// TestSyncteraActivateWithCode activates a physical card by the code its
// holder received.
func TestSyncteraActivateWithCode(t *testing.T) {
	f := fake.NewSynctera("k", fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, f)
	w := &waits{}
	c, err := synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret("k")}, options(srv, "/v0", w)...)
	require.NoError(t, err)
	h := syncteraHarness(t)
	in := h.newCard()
	ctx := context.Background()
	got, err := c.IssueCard(ctx, uuid.NewString(), in)
	require.NoError(t, err)
	require.Equal(t, card.StatusUnactivated, got.Status)
	code := f.ActivationCode(got.ProviderRefs[synctera.Name])
	_, err = c.ActivateWithCode(ctx, uuid.NewString(), code, uuid.NewString())
	assert.ErrorIs(t, err, httpapi.ErrInvalid, "another customer's card")
	a, err := c.ActivateWithCode(ctx, uuid.NewString(), code, in.Holder.CustomerID)
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, a.Status)
	_, err = c.ActivateWithCode(ctx, "", "", "")
	var ce *card.Error
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Has("activation_code", card.CodeRequired))

	_, err = c.ChangeStatus(ctx, uuid.NewString(), a, card.Move{To: card.StatusUnactivated, By: card.ActorProgram})
	assert.ErrorContains(t, err, "unsupported by provider")
}

// TestSolidPersonHeader refuses a call without sd-person-id as Solid does.
func TestSolidPersonHeader(t *testing.T) {
	f := fake.NewSolid("k")
	srv := serve(t, f)
	r, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/card/crd-1", nil)
	require.NoError(t, err)
	r.Header.Set(solid.HeaderAPIKey, "k")
	resp, err := srv.Client().Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, b.String(), `"code":"EC_PERSON_ID_HEADER_REQUIRED"`)

	_, err = solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret("k"), PersonID: "nobody"})
	assert.ErrorIs(t, err, card.ErrInvalid)
}

// TestNoSecretOrNumberLeaks runs each client with a logger through a
// lifecycle and its errors: no credential and no full card number is in the
// logs or in any error, and credentials print redacted.
func TestNoSecretOrNumberLeaks(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	ob := newOffBlocks(t)
	srv := serve(t, ob.fake)
	c, err := offblocks.NewClient(ob.creds, httpapi.WithBaseURL(srv.URL), httpapi.WithLogger(logger), httpapi.WithSandboxSimulator())
	require.NoError(t, err)
	in := offblocksHarness(t).newCard()
	ctx := context.Background()
	got, err := c.IssueCard(ctx, uuid.NewString(), in)
	require.NoError(t, err)
	_, err = c.Card(ctx, uuid.NewString())
	require.Error(t, err)

	rk := fake.NewRocketKOR("rk_key_0001", "rk_secret")
	rsrv := serve(t, rk)
	h := rocketkorHarness(t)
	rc, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("rk_key_0001"), APISecret: httpapi.NewSecret("rk_secret")},
		rocketkor.Program{Terms: func(card.Card) rocketkor.Terms { return termsOf(h) }}, httpapi.WithBaseURL(rsrv.URL), httpapi.WithLogger(logger))
	require.NoError(t, err)
	rcard, err := rc.IssueCard(ctx, uuid.NewString(), h.newCard())
	require.NoError(t, err)
	require.False(t, rcard.PAN.IsZero(), "RocketKOR sends the full number")
	pan := rcard.PAN.RevealDigits()

	out := logs.String() + fmt.Sprintf("%v %+v %#v %v %+v", ob.creds, ob.creds, ob.creds, rcard, got) + err2s(c.ChangeStatus(ctx, "", card.Card{}, card.Move{}))
	for _, secret := range []string{"ob_secret", "rk_secret", ob.creds.APIKey.Reveal(), pan} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, logs.String(), "method=POST path=/v1/integrated-cards status=201")
	assert.True(t, strings.Contains(fmt.Sprint(ob.creds.SigningKey), "[redacted]"))
}

func err2s(_ card.Card, err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestErrorBodies reads each provider's documented error body, in every
// revision, into the typed error: status, code, field, request id,
// retryable.
func TestErrorBodies(t *testing.T) {
	tests := []struct {
		provider  string
		status    int
		body      string
		code      string
		field     string
		requestID string
		retry     bool
	}{
		{synctera.Name, 400, `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"missing required fields: first_name, dob"}`,
			"BAD_REQUEST_BODY", "first_name", "", false},
		{synctera.Name, 422, `{"type":"https://dev.synctera.com/errors/conflict","title":"Conflict","status":422,"code":"IDEMPOTENCY_CONCURRENT_USE"}`,
			"IDEMPOTENCY_CONCURRENT_USE", "", "", true},
		{solid.Name, 400, `{"requestId":"req-1","method":"GET","status":400,"code":"EC_PERSON_ID_HEADER_REQUIRED","message":"sd-person-id header is required","sysMessage":"personId_missing"}`,
			"EC_PERSON_ID_HEADER_REQUIRED", "personId", "req-1", false},
		{rocketkor.Name, 404, `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-1","error":"NOT_FOUND","message":"Financial Account not found"}`,
			"NOT_FOUND", "", "t-1", false},
		{rocketkor.Name, 400, `{"timestamp":"2026-01-01T00:00:00.000Z","traceId":"t-2","message":"invalid","errorCode":"VALIDATION_ERROR","errors":[{"path":"card.programId","message":"required","errorCode":"REQUIRED"}]}`,
			"VALIDATION_ERROR", "card.programId", "t-2", false},
		{rocketkor.Name, 503, `{"message":"try again"}`, "", "", "", true},
		{offblocks.Name, 404, `{"status":404,"description":"Card not found"}`, "", "", "", false},
		{offblocks.Name, 409, `{"status":409,"description":"Idempotency-Key Concurrency Conflict"}`, "", "", "", true},
		{offblocks.Name, 500, `Internal error`, "", "", "", true},
		{offblocks.Name, 409, `{"status":409,"description":"Idempotency-Key reused with a different payload"}`, "", "", "", false},
		{offblocks.Name, 409, `Conflict`, "", "", "", true},
		// A member of another type than documented, or invalid UTF-8 in
		// one, loses that member only, not the body (found by a review).
		{rocketkor.Name, 400, `{"timestamp":1767225600000,"traceId":"t-3","message":"invalid","errorCode":"VALIDATION_ERROR","errors":[{"path":"card.programId","message":"required","errorCode":"REQUIRED"}]}`,
			"VALIDATION_ERROR", "card.programId", "t-3", false},
		{synctera.Name, 400, `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":"400","detail":"missing required fields: first_name","code":"BAD_REQUEST_BODY"}`,
			"BAD_REQUEST_BODY", "first_name", "", false},
		{solid.Name, 400, "{\"requestId\":\"req-2\",\"status\":400,\"code\":\"EC_INVALID\",\"message\":\"bad \xff\",\"sysMessage\":\"label_invalid\"}",
			"EC_INVALID", "label", "req-2", false},
		{offblocks.Name, 404, `{"status":"404","code":"NOT_FOUND","description":"Card not found"}`, "NOT_FOUND", "", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.provider, tt.status), func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case rocketkor.TokenPath:
					_, _ = w.Write([]byte(`{"access_token":"t","expires_in":3600}`))
				case offblocks.TokenPath:
					_, _ = w.Write([]byte(`{"token":"t","expiresAt":4102444800,"tokenType":"Bearer"}`))
				default:
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
				}
			}))
			c := clientOf(t, tt.provider, srv, false, httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
			_, err := c.ChangeStatus(context.Background(), uuid.NewString(), card.Card{Status: card.StatusActive, LastFour: "1234", Expiry: card.Expiry{Year: 2030, Month: 1},
				ProviderRefs: map[string]string{tt.provider: "id-1"}}, card.Move{To: card.StatusTerminated, Reason: card.ReasonREQ, By: card.ActorProgram})
			if tt.provider == rocketkor.Name { // RocketKOR cannot terminate: read the card instead
				_, err = c.(*rocketkor.Client).Card(context.Background(), "id-1")
			}
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.field, e.Field)
			assert.Equal(t, tt.requestID, e.RequestID)
			assert.Equal(t, tt.retry, e.Retryable())
		})
	}
}

// TestOffBlocksForgetsKeysAfterAnHour reuses a key after its hour: the
// fake has forgotten it and acts again, as OffBlocks documents.
func TestOffBlocksForgetsKeysAfterAnHour(t *testing.T) {
	now := t0
	clock := func() time.Time { return now }
	ob := newOffBlocks(t, fake.WithClock(clock))
	srv := serve(t, ob.fake)
	c, err := offblocks.NewClient(ob.creds, append(options(srv, "", &waits{}), httpapi.WithClock(clock))...)
	require.NoError(t, err)
	ctx := context.Background()
	k := uuid.NewString()
	in := offblocksHarness(t).newCard()
	a, err := c.IssueCard(ctx, k, in)
	require.NoError(t, err)
	now = now.Add(59 * time.Minute)
	b, err := c.IssueCard(ctx, k, in)
	require.NoError(t, err)
	assert.Equal(t, a.ProviderRefs[offblocks.Name], b.ProviderRefs[offblocks.Name], "within the hour: the same answer")
	now = now.Add(2 * time.Minute)
	_, err = c.IssueCard(ctx, k, in)
	assert.ErrorIs(t, err, httpapi.ErrInvalid, "after the hour the key is new: the account already has its card")
	assert.Equal(t, 1, ob.fake.Cards())
}

// TestOffBlocksRefusesExpiredSignatures signs with an expires parameter
// (RFC 9421 §2.3): a signature past it is refused however recent its
// created time, and one before it is accepted.
func TestOffBlocksRefusesExpiredSignatures(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	signer, err := httpsig.ECDSAP384Signer(k)
	require.NoError(t, err)
	f, err := fake.NewOffBlocks(uuid.NewString(), "ob_secret", &k.PublicKey, "key-1", fake.WithClock(func() time.Time { return t0 }))
	require.NoError(t, err)
	body := []byte(`{"apiKey":"x","apiSecret":"y"}`)
	signed := func(p httpsig.Params) *http.Request {
		r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080"+offblocks.TokenPath, bytes.NewReader(body))
		require.NoError(t, err)
		d, err := httpsig.ContentDigest(httpsig.DigestSHA256, body)
		require.NoError(t, err)
		r.Header.Set(httpsig.HeaderContentDigest, d)
		m := httpsig.FromRequest(r)
		in, sig, err := httpsig.Sign(&m, "sig", []httpsig.Component{httpsig.C("@method"), httpsig.C("@target-uri"), httpsig.C("content-digest")}, p, signer)
		require.NoError(t, err)
		r.Header.Set(httpsig.HeaderSignatureInput, in)
		r.Header.Set(httpsig.HeaderSignature, sig)
		return r
	}
	p := httpsig.Params{Created: t0.Add(-time.Minute).Unix(), KeyID: "key-1", Alg: httpsig.AlgECDSAP384SHA384}
	require.NoError(t, f.Verify(signed(p), body), "no expires")
	p.Expires = t0.Add(time.Minute).Unix()
	assert.NoError(t, f.Verify(signed(p), body), "not expired yet")
	p.Expires = t0.Add(-time.Second).Unix()
	assert.Error(t, f.Verify(signed(p), body), "expired")
	p.Expires = t0.Unix()
	assert.Error(t, f.Verify(signed(p), body), "expires now")
	p.Expires, p.Order = 0, []httpsig.Param{{Name: "created", Value: p.Created}, {Name: "expires", Value: "soon"}, {Name: "keyid", Value: "key-1"}}
	assert.Error(t, f.Verify(signed(p), body), "expires not an integer")

	// The signature covers every Content-Digest field line (joined); the
	// digest check reads them all as well, not the first only.
	p = httpsig.Params{Created: t0.Unix(), KeyID: "key-1", Alg: httpsig.AlgECDSAP384SHA384}
	r := signed(p)
	r.Header.Add(httpsig.HeaderContentDigest, "sha-512=:"+strings.Repeat("A", 86)+"==:")
	m := httpsig.FromRequest(r)
	in, sig, err := httpsig.Sign(&m, "sig", []httpsig.Component{httpsig.C("@method"), httpsig.C("@target-uri"), httpsig.C("content-digest")}, p, signer)
	require.NoError(t, err)
	r.Header.Set(httpsig.HeaderSignatureInput, in)
	r.Header.Set(httpsig.HeaderSignature, sig)
	assert.Error(t, f.Verify(r, body), "a second Content-Digest line that does not match")
}
