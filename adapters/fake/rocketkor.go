package fake

import (
	"encoding/base64"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/fakeapi"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// RocketKOR is a fake of RocketKOR's KOR API v1: the token exchange (POST
// /v1/api-keys/exchange, Basic auth), POST /v1/integrated-cards, GET
// /v1/financial-accounts/{id}, POST /v1/integrated-cards/{id}/activate
// (newPin, 4 to 12 characters), POST /v1/financial-accounts/{id}/suspend
// (stateReason; 204), PUT /v1/financial-accounts/{id}/unsuspend, POST
// /v1/integrated-cards/{id}/reissue. Every other call needs a bearer token
// the fake issued and that has not expired. Idempotency-Key is required on
// the issue, activate, suspend, unsuspend and reissue calls and is 6 to 255
// characters. Cards ship SUSPENDED/ISSUED_INACTIVE until activated,
// reissued ones too, and
// the answer carries the full test number in providerDetails.cardNumber, as
// RocketKOR's does. Errors are the newer body (errorCode, errors[].path); a
// reused key is a 409.
type RocketKOR struct {
	server
	key, secret httpapi.Secret // printed "[redacted]", as the fake itself may be
	tokens      fakeapi.Tokens
	accounts    map[string]*rocketkorAccount
}

type rocketkorAccount struct {
	c card.Card
	r *rocketkor.Residue
}

// NewRocketKOR makes the fake; key and secret are the Service Account's.
func NewRocketKOR(key, secret string, opts ...Option) *RocketKOR {
	f := &RocketKOR{key: httpapi.NewSecret(key), secret: httpapi.NewSecret(secret), tokens: fakeapi.Tokens{TTL: time.Hour}, accounts: map[string]*rocketkorAccount{}}
	f.server = newServer("41234599", fakeapi.Rules{
		Authorize: f.authorize,
		Key: func(r *http.Request, keyed bool) (string, *fakeapi.Answer) {
			k := r.Header.Get(rocketkor.HeaderIdempotencyKey)
			if !keyed {
				return "", nil
			}
			if _, err := rocketkor.ParseIdempotencyKey(k); err != nil {
				a := rocketkorInvalid(err)
				return "", &a
			}
			return k, nil
		},
		Error: func(status int, code, message, field string) fakeapi.Answer {
			return rocketkorError(status, code, message, field)
		},
		// RocketKOR documents one 409, for a key used for another
		// request, and no "in flight" answer: both are that 409.
		Reused:   rocketkorReused,
		InFlight: rocketkorReused,
		KeyTTL:   24 * time.Hour, // RocketKOR looks back 24 hours
	}, opts)
	f.route("POST "+rocketkor.TokenPath, fakeapi.Endpoint{Op: OpToken, Handle: f.token})
	f.route("POST /v1/integrated-cards", fakeapi.Endpoint{Op: OpIssue, Keyed: true, Handle: f.issue})
	f.route("GET /v1/financial-accounts/{id}", fakeapi.Endpoint{Op: OpGet, Handle: f.get})
	f.route("POST /v1/integrated-cards/{id}/activate", fakeapi.Endpoint{Op: OpActivate, Keyed: true, Handle: f.activate})
	f.route("POST /v1/financial-accounts/{id}/suspend", fakeapi.Endpoint{Op: OpSuspend, Keyed: true, Handle: f.suspend})
	f.route("PUT /v1/financial-accounts/{id}/unsuspend", fakeapi.Endpoint{Op: OpResume, Keyed: true, Handle: f.unsuspend})
	f.route("POST /v1/integrated-cards/{id}/reissue", fakeapi.Endpoint{Op: OpReissue, Keyed: true, Handle: f.reissue})
	return f
}

// SetTokenTTL sets the lifetime of the tokens the fake issues from now on.
func (f *RocketKOR) SetTokenTTL(d time.Duration) {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	f.tokens.TTL = d
}

// Cards is how many cards (integrated accounts) the fake holds.
func (f *RocketKOR) Cards() int {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	return len(f.accounts)
}

func (f *RocketKOR) authorize(r *http.Request, _ []byte) *fakeapi.Answer {
	auth := r.Header.Get("Authorization")
	if r.URL.Path == rocketkor.TokenPath {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.key.Reveal()+":"+f.secret.Reveal()))
		if auth != want {
			a := rocketkorError(http.StatusUnauthorized, "INVALID_CREDENTIALS", "the API key or secret is wrong", "")
			return &a
		}
		return nil
	}
	f.base.Mu.Lock()
	ok := f.tokens.Valid(auth, f.now())
	f.base.Mu.Unlock()
	if !ok {
		a := rocketkorError(http.StatusUnauthorized, "UNAUTHORIZED", "a valid access token is required", "")
		return &a
	}
	return nil
}

func rocketkorError(status int, code, message, path string) fakeapi.Answer {
	b := rocketkor.ErrorBody{Timestamp: time.Now().UTC().Format(wire.LayoutMillis), TraceID: uuid.NewString(), Message: message, ErrorCode: code}
	if path != "" {
		b.Errors = []rocketkor.FieldError{{Path: path, Message: message, ErrorCode: code}}
	}
	out, _ := wire.Marshal(&b)
	return fakeapi.JSON(status, out)
}

func rocketkorReused() fakeapi.Answer {
	return rocketkorError(http.StatusConflict, "IDEMPOTENCY_KEY_ALREADY_USED", "the provided idempotency key was already used for another request", "")
}

func rocketkorInvalid(err error) fakeapi.Answer {
	field, msg := firstProblem(err)
	return rocketkorError(http.StatusBadRequest, "VALIDATION_ERROR", msg, field)
}

func (f *RocketKOR) answer(status int, a *rocketkorAccount) fakeapi.Answer {
	ans, _ := f.encode(status, a)
	return ans
}

// encode is a's JSON as the answer, or, if the document's limits refuse
// a, RocketKOR's 400 naming the field, and false.
func (f *RocketKOR) encode(status int, a *rocketkorAccount) (fakeapi.Answer, bool) {
	b, err := rocketkor.EncodeCard(&a.c, a.r)
	return encoded(status, b, err, rocketkorInvalid, func() fakeapi.Answer {
		return rocketkorError(http.StatusInternalServerError, "INTERNAL_ERROR", "the account cannot be written", "")
	})
}

func (f *RocketKOR) token(*http.Request, []byte) fakeapi.Answer {
	tok, _ := f.tokens.Issue(f.now())
	out, _ := wire.Marshal(&rocketkorToken{AccessToken: tok, ExpiresIn: int64(f.tokens.TTL / time.Second), TokenType: "Bearer"})
	return fakeapi.JSON(http.StatusOK, out)
}

func (f *RocketKOR) issue(r *http.Request, body []byte) fakeapi.Answer {
	c, res, err := rocketkor.DecodeIssueRequest(body)
	if err != nil {
		return rocketkorInvalid(err)
	}
	var p card.Problems
	t := res.Terms
	for _, req := range []struct {
		field string
		ok    bool
	}{
		{"name", c.Label != ""}, {"accountHolderId", c.Holder.CustomerID != ""}, {"currency", c.Currency != 0},
		{"card.solution", t.Solution != ""}, {"card.startingNumber", c.BIN != "" || t.StartingNumber != ""},
		{"card.programId", c.ProductID != ""}, {"card.usCitizen", t.UsCitizen != nil},
		{"card.acceptedTermsDate", t.AcceptedTermsDate != ""}, {"card.readPrivacyPolicyDate", t.ReadPrivacyPolicyDate != ""},
		{"card.acceptedAgreement", t.AcceptedAgreement != nil},
	} {
		if !req.ok {
			p.Add(req.field, card.CodeRequired, "")
		}
	}
	if _, err := uuid.Parse(c.Holder.CustomerID); c.Holder.CustomerID != "" && err != nil {
		p.Add("accountHolderId", card.CodeFormat, "a UUID")
	}
	if c.Currency != 0 && c.Currency != card.CurrencyUSD && c.Currency != card.CurrencyCAD {
		p.AddValue("currency", card.CodeNotAllowed, c.Currency.String(), "USD or CAD")
	}
	card.RuleAccountName.Check(&p, "name", c.Label)
	if c.NameOnCard != "" {
		card.RuleNameOnCard.Check(&p, "card.nameOnCard", c.NameOnCard)
	}
	if err := p.Err("fake.rocketkor"); err != nil {
		return rocketkorInvalid(err)
	}
	i, id := f.next()
	now := f.now()
	// The number starts with the starting number sent, where that is a
	// BIN (one that is not stays in the residue); either way it echoes
	// back as sent.
	f.setNumber(&c, i)
	c.Expiry, c.CreatedAt, c.UpdatedAt = f.expiry(), now, now
	c.ProviderRefs = map[string]string{rocketkor.Name: id}
	c.AccountID, c.Tenant = id, "b535dce9-b71a-4f7b-b27f-73e47b13e7a5"
	c.Status, c.StatusReason = card.StatusUnactivated, 0 // shipped inactive
	res.IssuedDateTime = now.Format(wire.LayoutDate)
	a := &rocketkorAccount{c: c, r: res}
	// Written before it is kept: an account the document's limits refuse
	// (a name on the card too long) leaves nothing behind.
	ans, ok := f.encode(http.StatusCreated, a)
	if ok {
		f.accounts[id] = a
	}
	return ans
}

// setNumber gives c the number with index i under c's starting number,
// its BIN, and keeps that starting number as c's BIN; under the fake's
// own BIN if c has none.
func (f *RocketKOR) setNumber(c *card.Card, i int) {
	start := c.BIN
	pan, ok := f.numberFrom(start, i)
	if !ok {
		c.SetNumber(f.number(i))
		return
	}
	c.SetNumber(pan)
	c.BIN = start
}

func (f *RocketKOR) find(r *http.Request) (*rocketkorAccount, *fakeapi.Answer) {
	a, ok := f.accounts[r.PathValue("id")]
	if !ok {
		e := rocketkorError(http.StatusNotFound, "NOT_FOUND", "Financial Account not found", "")
		return nil, &e
	}
	return a, nil
}

func (f *RocketKOR) get(r *http.Request, _ []byte) fakeapi.Answer {
	a, e := f.find(r)
	if e != nil {
		return *e
	}
	return f.answer(http.StatusOK, a)
}

func (f *RocketKOR) activate(r *http.Request, body []byte) fakeapi.Answer {
	a, e := f.find(r)
	if e != nil {
		return *e
	}
	var w rocketkor.ActivateRequest
	if err := wire.Unmarshal("fake.rocketkor", body, &w); err != nil {
		return rocketkorInvalid(err)
	}
	if err := w.Check(); err != nil {
		return rocketkorInvalid(err)
	}
	if a.c.Status != card.StatusUnactivated {
		return rocketkorError(http.StatusUnprocessableEntity, "INVALID_STATE", "the card is not inactive", "")
	}
	now := f.now()
	a.c.Status, a.c.StatusReason, a.c.UpdatedAt = card.StatusActive, card.ReasonNEW, now
	if a.c.Reissue.Reason != 0 {
		a.c.StatusReason = card.ReasonRIS // ACTIVE/CARD_REISSUED
	}
	if a.c.ActivatedAt.IsZero() {
		a.c.ActivatedAt = now
	}
	return f.answer(http.StatusOK, a)
}

func (f *RocketKOR) suspend(r *http.Request, body []byte) fakeapi.Answer {
	a, e := f.find(r)
	if e != nil {
		return *e
	}
	var w rocketkor.SuspendRequest
	if err := wire.Unmarshal("fake.rocketkor", body, &w); err != nil {
		return rocketkorInvalid(err)
	}
	if w.StateReason == "" {
		return rocketkorError(http.StatusBadRequest, "VALIDATION_ERROR", "stateReason is required for integrated card accounts", "stateReason")
	}
	reason, err := w.Hold()
	if err != nil {
		return rocketkorInvalid(err)
	}
	if a.c.Status != card.StatusActive && a.c.Status != card.StatusSuspended {
		return rocketkorError(http.StatusUnprocessableEntity, "INVALID_STATE", "the account is not active", "")
	}
	a.c.Status, a.c.StatusReason, a.c.UpdatedAt = card.StatusSuspended, reason, f.now()
	return fakeapi.Answer{Status: http.StatusNoContent}
}

func (f *RocketKOR) unsuspend(r *http.Request, _ []byte) fakeapi.Answer {
	a, e := f.find(r)
	if e != nil {
		return *e
	}
	if a.c.Status != card.StatusSuspended {
		return rocketkorError(http.StatusUnprocessableEntity, "INVALID_STATE", "the account is not suspended", "")
	}
	a.c.Status, a.c.StatusReason, a.c.UpdatedAt = a.c.ResumeStatus(), card.ReasonNEW, f.now()
	if a.c.Status == card.StatusUnactivated {
		a.c.StatusReason = 0 // back to shipped-inactive
	}
	return f.answer(http.StatusOK, a)
}

func (f *RocketKOR) reissue(r *http.Request, body []byte) fakeapi.Answer {
	a, e := f.find(r)
	if e != nil {
		return *e
	}
	var w rocketkor.ReissueRequest
	if err := wire.Unmarshal("fake.rocketkor", body, &w); err != nil {
		return rocketkorInvalid(err)
	}
	reason, keep, err := w.Reason()
	if err != nil {
		return rocketkorInvalid(err)
	}
	if a.c.Status == card.StatusPending {
		return rocketkorError(http.StatusUnprocessableEntity, "INVALID_STATE", "the card is not issued yet", "")
	}
	i, _ := f.next()
	now := f.now()
	if keep == card.KeepNewPAN {
		f.setNumber(&a.c, i) // under the same starting number
	}
	if keep != card.KeepSamePANSameExpiry {
		a.c.Expiry = f.expiry()
	}
	a.c.Reissue = card.ReissueLink{Reason: reason, Keep: keep}
	if w.NewProgramID != "" {
		a.c.ProductID = w.NewProgramID
	}
	a.c.Status, a.c.StatusReason, a.c.UpdatedAt = card.StatusUnactivated, 0, now // ships inactive
	a.r.ReissueDateTime = now.Format(wire.LayoutDate)
	return f.answer(http.StatusOK, a)
}

// rocketkorToken is RocketKOR's token answer as the wire carries it: a
// rocketkor.TokenResponse without the methods that redact it.
type rocketkorToken rocketkor.TokenResponse
