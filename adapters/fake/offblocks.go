package fake

import (
	"crypto/ecdsa"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/fakeapi"
	"github.com/cardkit/cardkit/adapters/internal/httpsig"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// OffBlocks is a fake of OffBlocks' API v1: POST /v1/auth/token, POST
// /v1/accounts/{accountId}/cards, GET /v1/cards/{cardId}, PATCH
// /v1/cards/{cardId}/deactivate and /activate, DELETE /v1/cards/{cardId},
// and the sandbox simulator's PATCH /v1/simulator/cards/{cardId}/issue and
// /fail. Every request must be signed (RFC 9421, ecdsa-p384-sha384, with
// the registered key id, covering @method and @target-uri, and
// content-digest when there is a body, created within five minutes, not
// past an expires it gives) and every body must match its Content-Digest:
// otherwise 400 "Invalid request signature.". Every call but the token exchange needs a bearer token the
// fake issued; every modifying call an Idempotency-Key that is a UUID. A
// card is issuing until the simulator issues (active) or fails
// (issue_failed) it, and shows no number, network or expiry until then; an
// account has at most one live virtual card. Errors are {status,
// description}; a key reused with another body is a 422, a key in flight a
// 409.
type OffBlocks struct {
	server
	apiKey, apiSecret httpapi.Secret // printed "[redacted]", as the fake itself may be
	keyID             string
	verifier          httpsig.Verifier
	tokens            fakeapi.Tokens
	cards             map[string]*offblocksCard
	// byAccount lists each account's cards, for the one-live-card rule.
	byAccount map[string][]*offblocksCard
}

type offblocksCard struct {
	c      card.Card   // as OffBlocks shows it now
	pan    card.PAN    // assigned at issue, shown once issued
	expiry card.Expiry // likewise
}

// NewOffBlocks makes the fake; apiKey (a UUID) and apiSecret are the
// programme's credentials, pub and keyID the uploaded signing key.
func NewOffBlocks(apiKey, apiSecret string, pub *ecdsa.PublicKey, keyID string, opts ...Option) (*OffBlocks, error) {
	v, err := httpsig.ECDSAVerifier(pub)
	if err != nil {
		return nil, err
	}
	f := &OffBlocks{apiKey: httpapi.NewSecret(apiKey), apiSecret: httpapi.NewSecret(apiSecret), keyID: keyID, verifier: v, tokens: fakeapi.Tokens{TTL: time.Hour},
		cards: map[string]*offblocksCard{}, byAccount: map[string][]*offblocksCard{}}
	f.server = newServer("53051800", fakeapi.Rules{
		Authorize: f.authorize,
		Key: func(r *http.Request, keyed bool) (string, *fakeapi.Answer) {
			if !keyed {
				return "", nil
			}
			k := r.Header.Get(offblocks.HeaderIdempotencyKey)
			if _, err := offblocks.ParseIdempotencyKey(k); err != nil {
				a := offblocksError(http.StatusBadRequest, "Invalid request: Idempotency-Key must be a UUID")
				return "", &a
			}
			return k, nil
		},
		Error: func(status int, _, message, _ string) fakeapi.Answer { return offblocksError(status, message) },
		Reused: func() fakeapi.Answer {
			return offblocksError(http.StatusUnprocessableEntity, "Idempotency-Key reused with a different payload")
		},
		InFlight: func() fakeapi.Answer {
			return offblocksError(http.StatusConflict, "Idempotency-Key Concurrency Conflict")
		},
		KeyTTL: time.Hour, // a key is valid for one hour
	}, opts)
	f.route("POST "+offblocks.TokenPath, fakeapi.Endpoint{Op: OpToken, Handle: f.token})
	f.route("POST /v1/accounts/{accountId}/cards", fakeapi.Endpoint{Op: OpIssue, Keyed: true, Handle: f.issue})
	f.route("GET /v1/cards/{id}", fakeapi.Endpoint{Op: OpGet, Handle: f.get})
	f.route("PATCH /v1/cards/{id}/deactivate", fakeapi.Endpoint{Op: OpSuspend, Keyed: true, Handle: f.move("active", "inactive")})
	f.route("PATCH /v1/cards/{id}/activate", fakeapi.Endpoint{Op: OpActivate, Keyed: true, Handle: f.move("inactive", "active")})
	f.route("DELETE /v1/cards/{id}", fakeapi.Endpoint{Op: OpTerminate, Keyed: true, Handle: f.terminate})
	f.route("PATCH /v1/simulator/cards/{id}/issue", fakeapi.Endpoint{Op: OpSimulate, Keyed: true, Handle: f.simulate("active")})
	f.route("PATCH /v1/simulator/cards/{id}/fail", fakeapi.Endpoint{Op: OpSimulate, Keyed: true, Handle: f.simulate("issue_failed")})
	return f, nil
}

// Cards is how many cards the fake holds.
func (f *OffBlocks) Cards() int {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	return len(f.cards)
}

// SetTokenTTL sets the lifetime of the tokens the fake issues from now on.
func (f *OffBlocks) SetTokenTTL(d time.Duration) {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	f.tokens.TTL = d
}

func offblocksError(status int, description string) fakeapi.Answer {
	b, _ := wire.Marshal(&offblocks.ErrorBody{Status: status, Description: description})
	return fakeapi.JSON(status, b)
}

// errSignature is why a signature is refused, for the fake's answer.
var errSignature = errors.New("Invalid request signature.")

// verify checks r's signature and digest as OffBlocks requires them.
func (f *OffBlocks) verify(r *http.Request, body []byte) error {
	m := httpsig.FromRequest(r)
	s, err := httpsig.Verify(&m, "", f.verifier)
	if err != nil {
		return err
	}
	created, _ := s.Param("created").(int64)
	now := f.now()
	age := now.Sub(time.Unix(created, 0))
	// expires, when given, must be an integer still ahead (RFC 9421 §2.3).
	expired := false
	if v := s.Param("expires"); v != nil {
		e, ok := v.(int64)
		expired = !ok || !now.Before(time.Unix(e, 0))
	}
	switch {
	case s.Param("keyid") != f.keyID:
		return errors.New("unknown keyid")
	case s.Param("alg") != nil && s.Param("alg") != httpsig.AlgECDSAP384SHA384:
		return errors.New("alg must be ecdsa-p384-sha384")
	case created == 0 || age > 5*time.Minute || age < -5*time.Minute:
		return errors.New("created is missing or too far from now")
	case expired:
		return errors.New("expires is not an integer or has passed")
	case !s.Covers("@method") || !(s.Covers("@target-uri") || s.Covers("@path") && s.Covers("@authority")):
		return errors.New("the signature must cover the method and the target")
	case len(body) > 0 && !s.Covers("content-digest"):
		return errors.New("the signature must cover content-digest")
	}
	if len(body) > 0 {
		// Every field line, as the signature covers them.
		return httpsig.VerifyContentDigest(strings.Join(r.Header.Values(httpsig.HeaderContentDigest), ", "), body)
	}
	return nil
}

func (f *OffBlocks) authorize(r *http.Request, body []byte) *fakeapi.Answer {
	if err := f.verify(r, body); err != nil {
		a := offblocksError(http.StatusBadRequest, errSignature.Error())
		return &a
	}
	if r.URL.Path == offblocks.TokenPath {
		return nil
	}
	auth := r.Header.Get("Authorization")
	f.base.Mu.Lock()
	ok := f.tokens.Valid(auth, f.now())
	f.base.Mu.Unlock()
	if !ok {
		a := offblocksError(http.StatusUnauthorized, "Not authorised")
		return &a
	}
	return nil
}

func (f *OffBlocks) token(_ *http.Request, body []byte) fakeapi.Answer {
	var w offblocks.TokenRequest
	if err := wire.Unmarshal("fake.offblocks", body, &w); err != nil {
		return offblocksError(http.StatusBadRequest, "Invalid request")
	}
	if w.APIKey != f.apiKey.Reveal() || w.APISecret != f.apiSecret.Reveal() {
		return offblocksError(http.StatusUnauthorized, "Invalid credentials")
	}
	tok, exp := f.tokens.Issue(f.now())
	out, _ := wire.Marshal(&offblocksToken{Token: tok, ExpiresAt: exp.Unix(), TokenType: "Bearer"})
	return fakeapi.JSON(http.StatusOK, out)
}

func (f *OffBlocks) answer(status int, e *offblocksCard) fakeapi.Answer {
	a, _ := f.encode(status, e)
	return a
}

// encode is e's JSON as the answer, or, if the document's limits refuse
// e, OffBlocks' 400, and false.
func (f *OffBlocks) encode(status int, e *offblocksCard) (fakeapi.Answer, bool) {
	b, err := offblocks.EncodeCard(&e.c, nil)
	return encoded(status, b, err, offblocksInvalid, func() fakeapi.Answer {
		return offblocksError(http.StatusInternalServerError, "Internal error")
	})
}

// offblocksInvalid is OffBlocks' 400 for a request err refuses.
func offblocksInvalid(err error) fakeapi.Answer {
	_, msg := firstProblem(err)
	return offblocksError(http.StatusBadRequest, "Invalid request: "+msg)
}

func (f *OffBlocks) issue(r *http.Request, body []byte) fakeapi.Answer {
	account := r.PathValue("accountId")
	if _, err := uuid.Parse(account); err != nil {
		return offblocksError(http.StatusNotFound, "Account not found")
	}
	c, _, err := offblocks.DecodeCardRequest(body)
	if err != nil {
		return offblocksInvalid(err)
	}
	for _, e := range f.byAccount[account] {
		if !e.c.Status.Final() {
			return offblocksError(http.StatusBadRequest, "Invalid request: the account already has a virtual card")
		}
	}
	i, id := f.next()
	now := f.now()
	c.AccountID, c.CreatedAt, c.UpdatedAt = account, now, now
	c.ProviderRefs = map[string]string{offblocks.Name: id}
	c.Status = card.StatusPending // issuing
	e := &offblocksCard{c: c, pan: f.number(i), expiry: f.expiry()}
	// Written before it is kept: a card the document's limits refuse
	// leaves nothing behind.
	a, ok := f.encode(http.StatusCreated, e)
	if ok {
		f.cards[id] = e
		f.byAccount[account] = append(f.byAccount[account], e)
	}
	return a
}

func (f *OffBlocks) find(r *http.Request) (*offblocksCard, *fakeapi.Answer) {
	e, ok := f.cards[r.PathValue("id")]
	if !ok {
		a := offblocksError(http.StatusNotFound, "Card not found")
		return nil, &a
	}
	return e, nil
}

func (f *OffBlocks) get(r *http.Request, _ []byte) fakeapi.Answer {
	e, a := f.find(r)
	if a != nil {
		return *a
	}
	return f.answer(http.StatusOK, e)
}

// wireStatus is e's status as OffBlocks spells it, through the adapter's
// table.
func (f *OffBlocks) wireStatus(e *offblocksCard) string {
	w, _ := offblocks.StatusOf(e.c) // "" for a status OffBlocks has no word for
	return w
}

// set moves e to OffBlocks' status w, read through the adapter's table.
func (f *OffBlocks) set(e *offblocksCard, w string) {
	s, r, by, err := offblocks.StatusFromWire(w)
	if err != nil {
		panic("fake: OffBlocks status " + w) // the statuses are constants of this file
	}
	e.c.Status, e.c.StatusReason, e.c.HeldBy, e.c.UpdatedAt = s, r, by, f.now()
}

func (f *OffBlocks) simulate(to string) func(*http.Request, []byte) fakeapi.Answer {
	return func(r *http.Request, _ []byte) fakeapi.Answer {
		e, a := f.find(r)
		if a != nil {
			return *a
		}
		if e.c.Status != card.StatusPending {
			return offblocksError(http.StatusBadRequest, "Invalid request: the card is not issuing")
		}
		f.set(e, to)
		if to == "active" {
			e.c.SetNumber(e.pan)
			e.c.PANLength = 0 // OffBlocks shows the masked number only
			e.c.Expiry, e.c.Brand, e.c.ActivatedAt = e.expiry, card.BrandMastercard, f.now()
			e.c.NameOnCard = "CARD HOLDER"
		}
		return fakeapi.Answer{Status: http.StatusAccepted}
	}
}

func (f *OffBlocks) move(from, to string) func(*http.Request, []byte) fakeapi.Answer {
	return func(r *http.Request, _ []byte) fakeapi.Answer {
		e, a := f.find(r)
		if a != nil {
			return *a
		}
		if f.wireStatus(e) != from {
			return offblocksError(http.StatusBadRequest, "Invalid request: the card is "+f.wireStatus(e))
		}
		f.set(e, to)
		return fakeapi.Answer{Status: http.StatusAccepted}
	}
}

func (f *OffBlocks) terminate(r *http.Request, _ []byte) fakeapi.Answer {
	e, a := f.find(r)
	if a != nil {
		return *a
	}
	switch f.wireStatus(e) {
	case "active", "inactive", "suspended":
	default:
		return offblocksError(http.StatusBadRequest, "Invalid request: the card is "+f.wireStatus(e))
	}
	f.set(e, "terminated")
	return fakeapi.Answer{Status: http.StatusNoContent}
}

// offblocksToken is OffBlocks' token answer as the wire carries it: an
// offblocks.TokenResponse without the methods that redact it.
type offblocksToken offblocks.TokenResponse
