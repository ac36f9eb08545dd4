package fake_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/rocketkor"
)

// The fakes against their providers' documents, call by call: what the
// seeds' samples and ../shared/providers say a request gets.

// call serves one request on h and returns the answer's status and body.
func call(h http.Handler, method, path string, header map[string]string, body string) (int, string) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// member reads the string at path (names joined by dots) in a JSON body.
func member(t *testing.T, body, path string) string {
	var v any
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	for name := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		require.True(t, ok, "%s in %s", path, body)
		v = m[name]
	}
	s, _ := v.(string)
	return s
}

func syncteraFake() *fake.Synctera {
	return fake.NewSynctera("k", fake.WithClock(func() time.Time { return t0 }))
}

var syncteraAuth = map[string]string{"Authorization": "Bearer k"}

// syncteraRequest is a Synctera issue request for account, of form, with
// more members.
func syncteraRequest(account, form, more string) string {
	return `{"account_id":"` + account + `","card_product_id":"7d943c51-e4ff-4e57-9558-08cab6b963c7",` +
		`"customer_id":"7d943c51-e4ff-4e57-9558-08cab6b963c7","type":"DEBIT","form":"` + form + `"` + more + `}`
}

// TestSyncteraSeedRequest issues the seed's sample request as it is: it
// has no emboss_name, which defaults to the customer's name (a stand-in,
// in the fake), and the answer has one, as the response's schema
// requires. An emboss_name sent needs its line_1.
func TestSyncteraSeedRequest(t *testing.T) {
	in, err := os.ReadFile("../synctera/testdata/issue-card.request.json")
	require.NoError(t, err)
	code, body := call(syncteraFake(), http.MethodPost, "/v0/cards", syncteraAuth, string(in))
	assert.Equal(t, http.StatusCreated, code, body)
	assert.NotEmpty(t, member(t, body, "emboss_name.line_1"))

	for _, emboss := range []string{`{"line_2":"ACME"}`, `{}`, `{"line_1":""}`} {
		code, body = call(syncteraFake(), http.MethodPost, "/v0/cards", syncteraAuth,
			syncteraRequest(uuid.NewString(), "VIRTUAL", `,"emboss_name":`+emboss))
		assert.Equal(t, http.StatusBadRequest, code, "%s: line_1 is required in an emboss_name", emboss)
		assert.Contains(t, body, "emboss_name.line_1")
	}
}

// TestOverLimitRequestsLeaveNothing sends requests past a documented
// limit the fake's own checks do not name (the wire encoder holds it)
// twice under one key: each is the provider's 400 naming the field, and
// no card is kept. They once were kept, and answered 500, which no key
// records: each retry made another card.
func TestOverLimitRequestsLeaveNothing(t *testing.T) {
	rk, rkAuth := rocketkorFake(t)
	rkSeed, err := os.ReadFile("../rocketkor/testdata/issue-card.request.json")
	require.NoError(t, err)
	tests := []struct {
		name, path, body, field string
		fake                    interface {
			http.Handler
			Cards() int
		}
		header map[string]string
	}{
		{"synctera emboss line_1 of 25", "/v0/cards", syncteraRequest(uuid.NewString(), "PHYSICAL", `,"emboss_name":{"line_1":"ACME INCORPORATED LIMITED"}`),
			"emboss_name.line_1", syncteraFake(), syncteraAuth},
		{"synctera emboss line_2 of 25", "/v0/cards", syncteraRequest(uuid.NewString(), "PHYSICAL", `,"emboss_name":{"line_1":"JANE","line_2":"ACME INCORPORATED LIMITED"}`),
			"emboss_name.line_2", syncteraFake(), syncteraAuth},
		{"synctera recipient first_name of 31", "/v0/cards", syncteraRequest(uuid.NewString(), "PHYSICAL",
			`,"shipping":{"recipient_name":{"first_name":"`+strings.Repeat("A", 31)+`","last_name":"B"}}`),
			"shipping.recipient_name.first_name", syncteraFake(), syncteraAuth},
		{"rocketkor nameOnCard of 61", "/v1/integrated-cards", strings.Replace(string(rkSeed), `"issuedLanguageCode": "en_US"`,
			`"issuedLanguageCode": "en_US", "nameOnCard": "`+strings.Repeat("A", 61)+`"`, 1),
			"card.nameOnCard", rk, rkAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{"Idempotency-Key": "key-000001"}
			for k, v := range tt.header {
				header[k] = v
			}
			for range 2 {
				code, body := call(tt.fake, http.MethodPost, tt.path, header, tt.body)
				assert.Equal(t, http.StatusBadRequest, code, body)
				assert.Contains(t, body, tt.field)
				assert.Zero(t, tt.fake.Cards(), "nothing kept")
			}
		})
	}
}

// TestSyncteraCardsPerAccount holds an account to one physical card and
// nine active virtual ones; a replacement takes its old card's place, and
// an ended card frees its own.
func TestSyncteraCardsPerAccount(t *testing.T) {
	f := syncteraFake()
	account := uuid.NewString()
	issue := func(form, more string) (int, string) {
		return call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(account, form, more))
	}
	code, body := issue("PHYSICAL", "")
	require.Equal(t, http.StatusCreated, code, body)
	first := member(t, body, "id")
	code, body = issue("PHYSICAL", "")
	assert.Equal(t, http.StatusBadRequest, code, "a second physical card")
	assert.Contains(t, body, "account_id")

	code, body = issue("PHYSICAL", `,"reissued_from_id":"`+first+`","reissue_reason":"DAMAGED"`)
	assert.Equal(t, http.StatusCreated, code, "a replacement: %s", body)

	for i := range 9 {
		code, body = issue("VIRTUAL", "")
		require.Equal(t, http.StatusCreated, code, "virtual card %d: %s", i+1, body)
	}
	last := member(t, body, "id")
	code, _ = issue("VIRTUAL", "")
	assert.Equal(t, http.StatusBadRequest, code, "a tenth active virtual card")

	code, body = call(f, http.MethodPatch, "/v0/cards/"+last, syncteraAuth, `{"card_status":"TERMINATED","reason":"REQ"}`)
	require.Equal(t, http.StatusOK, code, body)
	code, body = issue("VIRTUAL", "")
	assert.Equal(t, http.StatusCreated, code, "one ended, one more: %s", body)
	live := member(t, body, "id")

	code, body = call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(uuid.NewString(), "PHYSICAL", ""))
	assert.Equal(t, http.StatusCreated, code, "another account: %s", body)

	// Found by a second review: none of these is one card's replacement
	// by another in its place.
	for _, spelling := range []string{strings.ToUpper(account), "{" + account + "}", "urn:uuid:" + account, strings.ReplaceAll(account, "-", "")} {
		code, _ = call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(spelling, "PHYSICAL", ""))
		assert.Equal(t, http.StatusBadRequest, code, "%s: the same account spelled otherwise", spelling)
	}
	code, _ = issue("PHYSICAL", `,"reissued_from_id":"`+live+`","reissue_reason":"DAMAGED"`)
	assert.Equal(t, http.StatusBadRequest, code, "a virtual card replaced by a second physical one")
	_, body = call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(uuid.NewString(), "PHYSICAL", ""))
	code, _ = issue("PHYSICAL", `,"reissued_from_id":"`+member(t, body, "id")+`","reissue_reason":"LOST"`)
	assert.Equal(t, http.StatusBadRequest, code, "another account's card replaced into this one")
}

// TestSyncteraResumeTenthVirtual resumes a suspended virtual card while
// nine others are active: refused, as the tenth (found by a review).
func TestSyncteraResumeTenthVirtual(t *testing.T) {
	f := syncteraFake()
	account := uuid.NewString()
	var first string
	for i := range 9 {
		code, body := call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(account, "VIRTUAL", ""))
		require.Equal(t, http.StatusCreated, code, body)
		if i == 0 {
			first = member(t, body, "id")
		}
	}
	code, body := call(f, http.MethodPatch, "/v0/cards/"+first, syncteraAuth, `{"card_status":"SUSPENDED","reason":"REQ"}`)
	require.Equal(t, http.StatusOK, code, body)
	code, body = call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(account, "VIRTUAL", ""))
	require.Equal(t, http.StatusCreated, code, body)
	code, body = call(f, http.MethodPatch, "/v0/cards/"+first, syncteraAuth, `{"card_status":"ACTIVE","reason":"REQ"}`)
	assert.Equal(t, http.StatusBadRequest, code, body)
	assert.Equal(t, "SUSPENDED", member(t, mustGet(t, f, first), "card_status"), "left as it was")
	// Nor is it replaced by an active one (found by a third review).
	code, body = call(f, http.MethodPost, "/v0/cards", syncteraAuth,
		syncteraRequest(account, "VIRTUAL", `,"reissued_from_id":"`+first+`","reissue_reason":"DAMAGED"`))
	assert.Equal(t, http.StatusBadRequest, code, "a tenth active virtual card: %s", body)
}

// mustGet is Synctera's card id, read from f.
func mustGet(t *testing.T, f http.Handler, id string) string {
	code, body := call(f, http.MethodGet, "/v0/cards/"+id, syncteraAuth, "")
	require.Equal(t, http.StatusOK, code, body)
	return body
}

// TestSyncteraErrorTypes answers the codes whose type is not their own
// name with the status and type Synctera's list of codes gives them.
func TestSyncteraErrorTypes(t *testing.T) {
	f := syncteraFake()
	code, body := call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(uuid.NewString(), "PHYSICAL", ""))
	require.Equal(t, http.StatusCreated, code, body)
	activation := `{"activation_code":"` + f.ActivationCode(member(t, body, "id")) + `","customer_id":"` + uuid.NewString() + `"}`
	code, body = call(f, http.MethodPost, "/v0/cards/activate", syncteraAuth, activation)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "CUSTOMER_NOT_FOUND", member(t, body, "code"))
	assert.Equal(t, "https://dev.synctera.com/errors/not-found", member(t, body, "type"))

	f.FailNext(fake.OpIssue, fake.InFlight, 1)
	code, body = call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(uuid.NewString(), "VIRTUAL", ""))
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Equal(t, "IDEMPOTENCY_CONCURRENT_USE", member(t, body, "code"))
	assert.Equal(t, "https://dev.synctera.com/errors/conflict", member(t, body, "type"))
}

// rocketkorFake is a RocketKOR fake and the headers of a call it takes.
func rocketkorFake(t *testing.T) (*fake.RocketKOR, map[string]string) {
	f := fake.NewRocketKOR("kk", "ss", fake.WithClock(func() time.Time { return t0 }))
	code, body := call(f, http.MethodPost, rocketkor.TokenPath, map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("kk:ss"))}, "")
	require.Equal(t, http.StatusOK, code, body)
	return f, map[string]string{"Authorization": "Bearer " + member(t, body, "access_token")}
}

// TestRocketKORStartingNumber answers the seed's request with its
// startingNumber as sent, as the seed's response does, and a card number
// that starts with it; a reissue to a new number keeps it.
func TestRocketKORStartingNumber(t *testing.T) {
	f, auth := rocketkorFake(t)
	in, err := os.ReadFile("../rocketkor/testdata/issue-card.request.json")
	require.NoError(t, err)
	auth["Idempotency-Key"] = "key-000001"
	code, body := call(f, http.MethodPost, "/v1/integrated-cards", auth, string(in))
	require.Equal(t, http.StatusCreated, code, body)
	assert.Equal(t, "412345", member(t, body, "_embedded.providerDetails.startingNumber"))
	c, _, err := rocketkor.DecodeCard([]byte(body))
	require.NoError(t, err)
	assert.Equal(t, "412345", c.BIN)
	assert.True(t, strings.HasPrefix(c.PAN.RevealDigits(), "412345"), "the number starts with the starting number")

	auth["Idempotency-Key"] = "key-000002"
	code, body = call(f, http.MethodPost, "/v1/integrated-cards/"+c.ProviderRefs[rocketkor.Name]+"/reissue", auth,
		`{"reissueReason":"LOST_STOLEN","changeCardNumber":true,"changeExpiryDate":true}`)
	require.Equal(t, http.StatusOK, code, body)
	n, _, err := rocketkor.DecodeCard([]byte(body))
	require.NoError(t, err)
	assert.NotEqual(t, c.LastFour+c.PAN.BIN(), n.LastFour+n.PAN.BIN(), "a new number")
	assert.True(t, strings.HasPrefix(n.PAN.RevealDigits(), "412345"), "under the same starting number")
}

// TestTimeoutNeverAnswers holds a call past the fake's hang limit, and
// drops one, over HTTP/1 and HTTP/2: neither gets an answer (a timeout
// once got an empty 200 there, and over HTTP/2 a drop got the answer).
func TestTimeoutNeverAnswers(t *testing.T) {
	for _, http2 := range []bool{false, true} {
		for _, fault := range []fake.Fault{fake.Timeout, fake.Drop} {
			t.Run(fmt.Sprintf("%s/http2=%t", fault, http2), func(t *testing.T) {
				f := syncteraFake()
				srv := httptest.NewUnstartedServer(f)
				srv.EnableHTTP2 = http2
				if http2 {
					srv.StartTLS()
				} else {
					srv.Start()
				}
				defer srv.Close()
				f.SetHang(20 * time.Millisecond)
				f.FailNext(fake.OpGet, fault, 1)
				r, err := http.NewRequest(http.MethodGet, srv.URL+"/v0/cards/x", nil)
				require.NoError(t, err)
				r.Header.Set("Authorization", "Bearer k")
				resp, err := srv.Client().Do(r)
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got an answer over %s: %s", resp.Proto, resp.Status)
				}
			})
		}
	}
}

// TestSyncteraReplacementOfAReplacement refuses to replace a card whose own
// old card has not ended: that one would stay live beside the newest, a
// second physical card on the account (found by a fourth review). Once the
// first replacement is activated, and its old card ended, it may be
// replaced.
func TestSyncteraReplacementOfAReplacement(t *testing.T) {
	f := syncteraFake()
	account := uuid.NewString()
	issue := func(more string) (int, string) {
		return call(f, http.MethodPost, "/v0/cards", syncteraAuth, syncteraRequest(account, "PHYSICAL", more))
	}
	activate := func(id string) {
		code, body := call(f, http.MethodPatch, "/v0/cards/"+id, syncteraAuth, `{"card_status":"ACTIVE"}`)
		require.Equal(t, http.StatusOK, code, body)
	}
	code, body := issue("")
	require.Equal(t, http.StatusCreated, code, body)
	p1 := member(t, body, "id")
	activate(p1)
	code, body = issue(`,"reissued_from_id":"` + p1 + `","reissue_reason":"DAMAGED"`)
	require.Equal(t, http.StatusCreated, code, body)
	p2 := member(t, body, "id")
	code, body = issue(`,"reissued_from_id":"` + p2 + `","reissue_reason":"DAMAGED"`)
	assert.Equal(t, http.StatusUnprocessableEntity, code, body)

	activate(p2)
	assert.Equal(t, "TERMINATED", member(t, mustGet(t, f, p1), "card_status"))
	code, body = issue(`,"reissued_from_id":"` + p2 + `","reissue_reason":"DAMAGED"`)
	assert.Equal(t, http.StatusCreated, code, body)
}
