package fake

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/fakeapi"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Synctera is a fake of Synctera's card API v0 under /v0: POST /cards
// (issue, and reissue with reissued_from_id), GET /cards/{id}, PATCH
// /cards/{id} (card_status ACTIVE, SUSPENDED, TERMINATED), POST
// /cards/activate (by activation code). Calls need "Authorization: Bearer
// <key>"; Idempotency-Key is optional, as Synctera documents it. Virtual
// cards are issued ACTIVE, physical ones UNACTIVATED; reissues follow
// Synctera's table (a lost or stolen card ends at once, the others when the
// new card is activated). Errors are problem+json bodies with Synctera's
// codes.
type Synctera struct {
	server
	key   httpapi.Secret // printed "[redacted]", as the fake itself may be
	cards map[string]*syncteraCard
	// byCode finds a physical card by the activation code its holder
	// received.
	byCode map[string]*syncteraCard
	// byAccount holds each account's cards, for its limits.
	byAccount map[string][]*syncteraCard
}

// Synctera's limits of cards per account: one physical card, and up to
// nine active virtual cards. A replacement (reissued_from_id) of a card
// they count, on its account and of its form, takes that card's place and
// is not refused by them.
const (
	syncteraPhysicalPerAccount = 1
	syncteraVirtualPerAccount  = 9
)

type syncteraCard struct {
	c    card.Card
	code string // the activation code the holder receives with a physical card
}

// NewSynctera makes the fake; apiKey is the key calls must carry.
func NewSynctera(apiKey string, opts ...Option) *Synctera {
	f := &Synctera{key: httpapi.NewSecret(apiKey), cards: map[string]*syncteraCard{}, byCode: map[string]*syncteraCard{},
		byAccount: map[string][]*syncteraCard{}}
	f.server = newServer("52222222", fakeapi.Rules{
		Authorize: func(r *http.Request, _ []byte) *fakeapi.Answer {
			if r.Header.Get("Authorization") != "Bearer "+f.key.Reveal() {
				a := syncteraProblem(http.StatusUnauthorized, "UNAUTHENTICATED", "a valid API key is required", "")
				return &a
			}
			return nil
		},
		Key: func(r *http.Request, _ bool) (string, *fakeapi.Answer) {
			return r.Header.Get(synctera.HeaderIdempotencyKey), nil
		},
		Error: syncteraProblem,
		Reused: func() fakeapi.Answer {
			return syncteraProblem(http.StatusUnprocessableEntity, synctera.CodeIdempotencyInvalidReuse, "the idempotency key was used for another request", "")
		},
		InFlight: func() fakeapi.Answer {
			return syncteraProblem(http.StatusUnprocessableEntity, synctera.CodeIdempotencyConcurrentUse, "a request with this idempotency key is in progress", "")
		},
	}, opts)
	f.route("POST /v0/cards", fakeapi.Endpoint{Op: OpIssue, Keyed: true, Handle: f.issue})
	f.route("GET /v0/cards/{id}", fakeapi.Endpoint{Op: OpGet, Handle: f.get})
	f.route("PATCH /v0/cards/{id}", fakeapi.Endpoint{Op: OpUpdate, Keyed: true, Handle: f.update})
	f.route("POST /v0/cards/activate", fakeapi.Endpoint{Op: OpActivate, Keyed: true, Handle: f.activateByCode})
	return f
}

// ActivationCode is the code the holder of a physical card receives with
// it, for POST /cards/activate.
func (f *Synctera) ActivationCode(id string) string {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	if e, ok := f.cards[id]; ok {
		return e.code
	}
	return ""
}

// Cards is how many cards the fake holds.
func (f *Synctera) Cards() int {
	f.base.Mu.Lock()
	defer f.base.Mu.Unlock()
	return len(f.cards)
}

// syncteraTypes are the error types (the end of a problem's type URI) of
// the codes whose type is not their own name, as Synctera's list of error
// codes gives them.
var syncteraTypes = map[string]string{
	"ACCOUNT_NOT_FOUND": "not-found", "CUSTOMER_NOT_FOUND": "not-found", "BUSINESS_NOT_FOUND": "not-found",
	"IMPROPER_ACCOUNT_STATUS": "rule-violation", "IMPROPER_CUSTOMER_STATUS": "rule-violation",
	synctera.CodeIdempotencyConcurrentUse: "conflict",
}

func syncteraProblem(status int, code, detail, field string) fakeapi.Answer {
	typ, ok := syncteraTypes[code]
	if !ok {
		typ = strings.ToLower(strings.ReplaceAll(code, "_", "-"))
	}
	if field != "" {
		detail += "; fields: " + field
	}
	b, _ := wire.Marshal(&synctera.Problem{Type: "https://dev.synctera.com/errors/" + typ, Title: http.StatusText(status), Status: status, Detail: detail, Code: code})
	a := fakeapi.JSON(status, b)
	a.Header = http.Header{"Content-Type": {"application/problem+json"}}
	return a
}

// invalid answers a *card.Error as Synctera's 400, naming the first field.
func syncteraInvalid(err error) fakeapi.Answer {
	field, msg := firstProblem(err)
	return syncteraProblem(http.StatusBadRequest, "BAD_REQUEST_BODY", msg, field)
}

func (f *Synctera) answer(status int, c *card.Card) fakeapi.Answer {
	a, _ := f.encode(status, c)
	return a
}

// encode is c's JSON as the answer, or, if the document's limits refuse
// c, Synctera's 400 naming the field, and false.
func (f *Synctera) encode(status int, c *card.Card) (fakeapi.Answer, bool) {
	b, err := synctera.EncodeCard(c, nil)
	return encoded(status, b, err, syncteraInvalid, func() fakeapi.Answer {
		return syncteraProblem(http.StatusInternalServerError, "INTERNAL_ERROR", "the card cannot be written", "")
	})
}

func (f *Synctera) issue(r *http.Request, body []byte) fakeapi.Answer {
	c, _, err := synctera.DecodeCardRequest(body)
	if err != nil {
		return syncteraInvalid(err)
	}
	var p card.Problems
	for _, id := range []struct{ field, v string }{{"account_id", c.AccountID}, {"card_product_id", c.ProductID}, {"customer_id", c.Holder.CustomerID}, {"business_id", c.Holder.BusinessID}} {
		if _, err := uuid.Parse(id.v); id.v != "" && err != nil {
			p.Add(id.field, card.CodeFormat, "a UUID")
		}
	}
	if c.Holder.CustomerID == "" && c.Holder.BusinessID == "" {
		p.Add("customer_id", card.CodeRequired, "a customer_id, or a business_id")
	}
	if c.Reissue.From != "" && c.Reissue.Reason == 0 {
		p.Add("reissue_reason", card.CodeRequired, "reissued_from_id needs reissue_reason")
	}
	if err := p.Err("fake.synctera"); err != nil {
		return syncteraInvalid(err)
	}
	var old *syncteraCard
	if from := c.Reissue.From; from != "" {
		var ok bool
		switch old, ok = f.cards[from]; {
		case !ok:
			return syncteraProblem(http.StatusBadRequest, "BAD_REQUEST_BODY", "reissued_from_id names no card", "reissued_from_id")
		case old.c.Status.Final() || old.c.Reissue.To != "":
			return syncteraProblem(http.StatusUnprocessableEntity, "INVALID_STATUS", "the card cannot be reissued", "")
		case f.live(old.c.Reissue.From):
			// A replacement whose old card has not ended yet: replacing it
			// too would leave that one live beside the newest (and two
			// physical cards on the account), as the domain's reissue
			// chain rule says.
			return syncteraProblem(http.StatusUnprocessableEntity, "INVALID_STATUS", "the card replaces one not ended yet", "reissued_from_id")
		}
	}
	// A replacement takes its old card's place: of the same account and
	// form, in place of one the limit counts, it is not one more.
	account := accountKey(c.AccountID)
	replaces := old != nil && accountKey(old.c.AccountID) == account && old.c.Form == c.Form && old.counted()
	if !replaces && f.full(account, c.Form, nil) {
		return syncteraFull(c.Form)
	}
	if c.Emboss.IsZero() {
		// Synctera embosses the customer's name; the fake keeps no
		// customers, and embosses a stand-in.
		c.Emboss.Line1 = syncteraStandInName
	}
	i, id := f.next()
	c.SetNumber(f.number(i))
	c.Expiry = f.expiry()
	if old != nil && keepsNumber(c.Reissue.Reason) {
		c.SetNumber(old.c.PAN)
		if c.Reissue.Reason.Rule().Keep == card.KeepSamePANSameExpiry {
			c.Expiry = old.c.Expiry
		}
	}
	now := f.now()
	c.ProviderRefs = map[string]string{synctera.Name: id}
	c.Tenant, c.Brand, c.CreatedAt, c.UpdatedAt = "fake_tenant", card.BrandMastercard, now, now
	c.Status, c.StatusReason = card.StatusActive, card.ReasonNEW
	e := &syncteraCard{c: c}
	if c.Form == card.FormPhysical {
		c.Status = card.StatusUnactivated
		// Unique per card (the last four alone repeat), so that a code
		// names one card.
		e.code = "AC" + c.LastFour + "-" + strconv.Itoa(i)
	} else {
		c.ActivatedAt = now
	}
	e.c = c
	// Written before anything is kept: a card the document's limits
	// refuse (an emboss line, a recipient's name too long) is the
	// request's fault, and leaves nothing behind.
	a, ok := f.encode(http.StatusCreated, &e.c)
	if !ok {
		return a
	}
	if old != nil {
		rule := c.Reissue.Reason.Rule()
		old.c.Reissue.To = id
		// A virtual replacement is ACTIVE at once: activated with its
		// issue, it ends the old card now under either rule.
		if rule.OldEnds == card.EndImmediately || c.Form != card.FormPhysical {
			old.c.Status, old.c.StatusReason = card.StatusTerminated, rule.OldReason
		}
	}
	f.cards[id] = e
	f.byAccount[account] = append(f.byAccount[account], e)
	if e.code != "" {
		f.byCode[e.code] = e
	}
	return a
}

// syncteraStandInName is what the fake embosses where a request names no
// one: Synctera embosses the customer's name, which the fake does not
// know.
const syncteraStandInName = "CARD HOLDER"

// syncteraFull is the refusal of a card past an account's limit. The
// document states the limit, not its error: Synctera's generic refusal of
// a request.
func syncteraFull(form card.Form) fakeapi.Answer {
	return syncteraProblem(http.StatusBadRequest, "BAD_REQUEST", "the account holds as many "+strings.ToLower(form.String())+" cards as it may", "account_id")
}

// accountKey is an account id as the fake files cards under it: a UUID in
// its one canonical spelling, whichever of those uuid.Parse reads was sent.
func accountKey(id string) string {
	u, err := uuid.Parse(id)
	if err != nil || len(id) == 36 && strings.ToLower(id) == id {
		return id // not a UUID, or already so spelled
	}
	return u.String()
}

// live reports whether the card id is held and not ended.
func (f *Synctera) live(id string) bool {
	e, ok := f.cards[id]
	return ok && !e.c.Status.Final()
}

// counted reports whether e counts towards its account's limit: a
// physical card not ended, an active virtual one.
func (e *syncteraCard) counted() bool {
	if e.c.Form == card.FormPhysical {
		return !e.c.Status.Final()
	}
	return e.c.Status == card.StatusActive
}

// full reports whether the account filed under key holds as many cards of
// form as Synctera allows (see counted), but for the card but.
func (f *Synctera) full(key string, form card.Form, but *syncteraCard) bool {
	n := 0
	for _, e := range f.byAccount[key] {
		if e != but && e.c.Form == form && e.counted() {
			n++
		}
	}
	if form == card.FormPhysical {
		return n >= syncteraPhysicalPerAccount
	}
	return n >= syncteraVirtualPerAccount
}

func (f *Synctera) find(r *http.Request) (*syncteraCard, *fakeapi.Answer) {
	e, ok := f.cards[r.PathValue("id")]
	if !ok {
		a := syncteraProblem(http.StatusNotFound, "RESOURCE_NOT_FOUND", "no card with this id", "")
		return nil, &a
	}
	return e, nil
}

func (f *Synctera) get(r *http.Request, _ []byte) fakeapi.Answer {
	e, a := f.find(r)
	if a != nil {
		return *a
	}
	return f.answer(http.StatusOK, &e.c)
}

func (f *Synctera) update(r *http.Request, body []byte) fakeapi.Answer {
	e, a := f.find(r)
	if a != nil {
		return *a
	}
	var w synctera.CardEditRequest
	if err := wire.Unmarshal("fake.synctera", body, &w); err != nil {
		return syncteraInvalid(err)
	}
	m, err := w.MoveOf()
	if err != nil {
		return syncteraInvalid(err)
	}
	switch e.c.Status {
	case card.StatusActive, card.StatusSuspended, card.StatusUnactivated:
	default:
		return syncteraProblem(http.StatusUnprocessableEntity, "INVALID_STATUS", "the card is "+e.c.Status.String(), "card_status")
	}
	if m.To == card.StatusActive && e.c.Form == card.FormVirtual && e.c.Status != card.StatusActive && f.full(accountKey(e.c.AccountID), card.FormVirtual, e) {
		return syncteraFull(card.FormVirtual) // a tenth active virtual card
	}
	e.c.Memo = m.Memo
	if m.To != 0 {
		if m.To == card.StatusActive && e.c.Status == card.StatusUnactivated {
			f.activate(e)
		} else {
			e.c.Status, e.c.StatusReason = m.To, m.Reason
		}
	}
	e.c.UpdatedAt = f.now()
	return f.answer(http.StatusOK, &e.c)
}

// activate makes e ACTIVE and ends the card it replaces where Synctera's
// table ends it on activation.
func (f *Synctera) activate(e *syncteraCard) {
	now := f.now()
	e.c.Status, e.c.StatusReason, e.c.ActivatedAt = card.StatusActive, card.ReasonNEW, now
	if old, ok := f.cards[e.c.Reissue.From]; ok && e.c.EndsOnActivation(&old.c) {
		rule := e.c.Reissue.Reason.Rule()
		old.c.Status, old.c.StatusReason, old.c.UpdatedAt = card.StatusTerminated, rule.OldReason, now
	}
}

func (f *Synctera) activateByCode(r *http.Request, body []byte) fakeapi.Answer {
	var w synctera.ActivationRequest
	if err := wire.Unmarshal("fake.synctera", body, &w); err != nil {
		return syncteraInvalid(err)
	}
	e := f.byCode[w.ActivationCode]
	switch {
	case e == nil:
		return syncteraInvalid(errors.New("activation_code: matches no card"))
	case e.c.Holder.CustomerID != w.CustomerID:
		return syncteraProblem(http.StatusBadRequest, "CUSTOMER_NOT_FOUND", "the card is not the customer's", "customer_id")
	case e.c.Status != card.StatusUnactivated:
		return syncteraProblem(http.StatusUnprocessableEntity, "INVALID_STATUS", "the card is "+e.c.Status.String(), "")
	}
	f.activate(e)
	return f.answer(http.StatusOK, &e.c)
}

// firstProblem is the field and message of an error: a *card.Error's
// first problem, or the text before a colon.
func firstProblem(err error) (field, msg string) {
	var ce *card.Error
	if errors.As(err, &ce) && len(ce.Fields) > 0 {
		f := ce.Fields[0]
		return f.Field, string(f.Code) + ": " + f.Message
	}
	field, msg, _ = strings.Cut(err.Error(), ": ")
	return field, msg
}
