package fake

import (
	"net/http"

	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/fakeapi"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Solid is a fake of Solid's card API v1 under /v1: POST /card, GET
// /card/{id}, PATCH /card/{id}/activate (last four and expiry), POST
// /card/{id}/replace, DELETE /card/{id}. Calls need sd-api-key and
// sd-person-id (a missing person id is EC_PERSON_ID_HEADER_REQUIRED).
// Physical cards are issued pendingActivation, virtual ones active; a
// replacement is pendingActivation, and the card it replaces is canceled
// at once for lost and stolen and when the replacement is activated
// otherwise. Errors are Solid's {requestId, method, status, code, message,
// sysMessage}; a reused idempotency key is a 409.
type Solid struct {
	server
	key   httpapi.Secret // printed "[redacted]", as the fake itself may be
	cards map[string]*card.Card
	// Solid's header names as net/http keys them, canonicalised once.
	apiKeyHeader, personHeader string
}

// NewSolid makes the fake; apiKey is the sd-api-key calls must carry.
func NewSolid(apiKey string, opts ...Option) *Solid {
	f := &Solid{key: httpapi.NewSecret(apiKey), cards: map[string]*card.Card{},
		apiKeyHeader: http.CanonicalHeaderKey(solid.HeaderAPIKey), personHeader: http.CanonicalHeaderKey(solid.HeaderPersonID)}
	f.server = newServer("42424242", fakeapi.Rules{
		Authorize: func(r *http.Request, _ []byte) *fakeapi.Answer {
			var a fakeapi.Answer
			person := header(r, f.personHeader)
			switch {
			case header(r, f.apiKeyHeader) != f.key.Reveal():
				a = solidError(r, http.StatusUnauthorized, "EC_UNAUTHORIZED", "a valid API key is required", "apiKey_invalid")
			case person == "":
				a = solidError(r, http.StatusBadRequest, "EC_PERSON_ID_HEADER_REQUIRED", "sd-person-id header is required", "personId_missing")
			default:
				if _, err := solid.ParsePersonID(person); err != nil {
					a = solidError(r, http.StatusBadRequest, "EC_INVALID_PERSON_ID", "sd-person-id is not a person id", "personId_invalid")
					break
				}
				return nil
			}
			return &a
		},
		Key: func(r *http.Request, _ bool) (string, *fakeapi.Answer) {
			return r.Header.Get(solid.HeaderIdempotencyKey), nil
		},
		Error: func(status int, code, message, field string) fakeapi.Answer {
			return solidError(nil, status, "EC_"+code, message, field)
		},
		// Solid documents one 409 for a reused key and no "in flight"
		// answer: both are that 409.
		Reused:   func() fakeapi.Answer { return solidReused() },
		InFlight: func() fakeapi.Answer { return solidReused() },
	}, opts)
	f.route("POST /v1/card", fakeapi.Endpoint{Op: OpIssue, Keyed: true, Handle: f.issue})
	f.route("GET /v1/card/{id}", fakeapi.Endpoint{Op: OpGet, Handle: f.get})
	f.route("PATCH /v1/card/{id}/activate", fakeapi.Endpoint{Op: OpActivate, Keyed: true, Handle: f.activate})
	f.route("POST /v1/card/{id}/replace", fakeapi.Endpoint{Op: OpReissue, Keyed: true, Handle: f.replace})
	f.route("DELETE /v1/card/{id}", fakeapi.Endpoint{Op: OpTerminate, Keyed: true, Handle: f.cancel})
	return f
}

// Cards is how many cards the fake holds.
func (f *Solid) Cards() int {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	return len(f.cards)
}

func solidReused() fakeapi.Answer {
	return solidError(nil, http.StatusConflict, "EC_IDEMPOTENCY_KEY_CONFLICT", "the idempotency key was used for another request", "idempotencyKey_invalid")
}

func solidError(r *http.Request, status int, code, message, sys string) fakeapi.Answer {
	method := ""
	if r != nil {
		method = r.Method
	}
	b, _ := wire.Marshal(&solid.ErrorBody{RequestID: "req-" + uuid.NewString(), Method: method, Status: status, Code: code, Message: message, SysMessage: sys})
	return fakeapi.JSON(status, b)
}

func solidInvalid(r *http.Request, err error) fakeapi.Answer {
	field, msg := firstProblem(err)
	return solidError(r, http.StatusBadRequest, "EC_INVALID_REQUEST", msg, field+"_invalid")
}

func (f *Solid) answer(r *http.Request, status int, c *card.Card) fakeapi.Answer {
	a, _ := f.encode(r, status, c)
	return a
}

// encode is c's JSON as the answer, or, if the document's limits refuse
// c, Solid's 400 naming the field, and false.
func (f *Solid) encode(r *http.Request, status int, c *card.Card) (fakeapi.Answer, bool) {
	b, err := solid.EncodeCard(c, nil)
	return encoded(status, b, err, func(err error) fakeapi.Answer { return solidInvalid(r, err) }, func() fakeapi.Answer {
		return solidError(r, http.StatusInternalServerError, "EC_INTERNAL", "the card cannot be written", "")
	})
}

func (f *Solid) issue(r *http.Request, body []byte) fakeapi.Answer {
	c, _, err := solid.DecodeCardRequest(body)
	if err != nil {
		return solidInvalid(r, err)
	}
	var p card.Problems
	if c.AccountID == "" {
		p.Add("accountId", card.CodeRequired, "")
	}
	card.RuleLabel.Check(&p, "label", c.Label)
	card.RuleEmbossLine.Check(&p, "embossingPerson", c.Emboss.Line1)
	if c.Form == card.FormPhysical && (c.Shipping == nil || c.Shipping.Address.IsZero()) {
		p.Add("shipping.shippingAddress", card.CodeRequired, "a physical card is shipped")
	}
	if err := p.Err("fake.solid"); err != nil {
		return solidInvalid(r, err)
	}
	i, id := f.next()
	c.Holder.CustomerID = header(r, f.personHeader)
	f.create(&c, id, f.number(i), f.expiry())
	// Written before it is kept: a card the document's limits refuse
	// leaves nothing behind.
	a, ok := f.encode(r, http.StatusOK, &c)
	if ok {
		f.cards[c.ProviderRefs[solid.Name]] = &c
	}
	return a
}

// create gives c its id (id with Solid's prefix), number, expiry and first
// status.
func (f *Solid) create(c *card.Card, id string, pan card.PAN, exp card.Expiry) {
	now := f.now()
	c.SetNumber(pan)
	c.BIN, c.PANLength = "", 0 // Solid's card shows the last four only
	c.Expiry, c.CreatedAt, c.UpdatedAt = exp, now, now
	c.ProviderRefs = map[string]string{solid.Name: "crd-" + id}
	c.Status, c.StatusReason = card.StatusActive, card.ReasonNEW
	if c.Form == card.FormPhysical {
		c.Status, c.StatusReason = card.StatusUnactivated, 0
		if c.Shipping == nil {
			c.Shipping = &card.Shipping{}
		}
		c.Shipping.Status = card.DeliveryPending
	} else {
		c.ActivatedAt = now
	}
}

func (f *Solid) find(r *http.Request) (*card.Card, *fakeapi.Answer) {
	c, ok := f.cards[r.PathValue("id")]
	if !ok {
		a := solidError(r, http.StatusNotFound, "EC_CARD_NOT_FOUND", "card not found", "cardId_invalid")
		return nil, &a
	}
	return c, nil
}

func (f *Solid) get(r *http.Request, _ []byte) fakeapi.Answer {
	c, a := f.find(r)
	if a != nil {
		return *a
	}
	return f.answer(r, http.StatusOK, c)
}

func (f *Solid) status(r *http.Request, c *card.Card, member string) fakeapi.Answer {
	s, err := solid.StatusOf(*c)
	if err != nil {
		return solidError(r, http.StatusInternalServerError, "EC_INTERNAL", "status", "")
	}
	w := solid.StatusResponse{ID: c.ProviderRefs[solid.Name]}
	if member == "status" {
		w.Status = s
	} else {
		w.CardStatus = s
	}
	b, _ := wire.Marshal(&w)
	return fakeapi.JSON(http.StatusOK, b)
}

func (f *Solid) activate(r *http.Request, body []byte) fakeapi.Answer {
	c, a := f.find(r)
	if a != nil {
		return *a
	}
	var w solid.ActivateRequest
	if err := wire.Unmarshal("fake.solid", body, &w); err != nil {
		return solidInvalid(r, err)
	}
	switch {
	case c.Status != card.StatusUnactivated:
		return solidError(r, http.StatusBadRequest, "EC_CARD_NOT_PENDING_ACTIVATION", "the card is not pending activation", "cardStatus_invalid")
	case !w.Matches(*c):
		return solidError(r, http.StatusBadRequest, "EC_INVALID_CARD_DETAILS", "last4 or expiry do not match the card", "last4_invalid")
	}
	now := f.now()
	c.Status, c.StatusReason, c.ActivatedAt, c.UpdatedAt = card.StatusActive, card.ReasonNEW, now, now
	if old, ok := f.cards[c.Reissue.From]; ok && c.EndsOnActivation(old) {
		old.Status, old.StatusReason, old.UpdatedAt = card.StatusTerminated, 0, now
	}
	return f.status(r, c, "status")
}

func (f *Solid) replace(r *http.Request, body []byte) fakeapi.Answer {
	old, a := f.find(r)
	if a != nil {
		return *a
	}
	var w solid.ReplaceRequest
	if err := wire.Unmarshal("fake.solid", body, &w); err != nil {
		return solidInvalid(r, err)
	}
	reason, ship, err := solid.ReplaceRequestFromWire(&w)
	if err != nil {
		return solidInvalid(r, err)
	}
	if old.Status.Final() || old.Reissue.To != "" {
		return solidError(r, http.StatusBadRequest, "EC_CARD_NOT_REPLACEABLE", "the card cannot be replaced", "cardStatus_invalid")
	}
	n := card.Card{AccountID: old.AccountID, Holder: old.Holder, Type: old.Type, Form: old.Form, Label: old.Label,
		Currency: old.Currency, Controls: old.Controls.Clone(), Emboss: old.Emboss}
	if n.Form == card.FormPhysical {
		n.Shipping = &card.Shipping{}
		if old.Shipping != nil {
			n.Shipping.Address = old.Shipping.Address
		}
		if ship != nil {
			n.Shipping.Address = ship.Address
		}
	}
	pan, exp := old.PAN, old.Expiry
	rule := reason.Rule()
	i, id := f.next()
	if !keepsNumber(reason) {
		pan = f.number(i)
	}
	if rule.Keep != card.KeepSamePANSameExpiry {
		exp = f.expiry()
	}
	f.create(&n, id, pan, exp)
	// The replacement waits for activation, virtual or not.
	n.Status, n.StatusReason, n.ActivatedAt = card.StatusUnactivated, 0, time.Time{}
	n.Reissue = card.ReissueLink{From: old.ProviderRefs[solid.Name], Reason: reason}
	ans, ok := f.encode(r, http.StatusOK, &n)
	if !ok {
		return ans
	}
	f.cards[n.ProviderRefs[solid.Name]] = &n
	old.Reissue.To = n.ProviderRefs[solid.Name]
	if rule.OldEnds == card.EndImmediately {
		old.Status, old.StatusReason, old.UpdatedAt = card.StatusTerminated, 0, f.now()
	}
	return ans
}

func (f *Solid) cancel(r *http.Request, _ []byte) fakeapi.Answer {
	c, a := f.find(r)
	if a != nil {
		return *a
	}
	c.Status, c.StatusReason, c.UpdatedAt = card.StatusTerminated, 0, f.now()
	return f.status(r, c, "cardStatus")
}

// header is r's first value of the header with the canonical name key
// (http.Header.Get without canonicalising key again).
func header(r *http.Request, key string) string {
	if vs := r.Header[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}
