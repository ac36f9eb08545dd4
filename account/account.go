// Package account is cardkit's provider-neutral model of the financial
// account behind a card: an integrated account (the issued card's own
// account at the issuing provider) or an external one (a card issued
// elsewhere and linked as a funding account), its holder, its state and
// verification, who created and last changed it, and the rule that a holder
// has at most one default account per currency.
//
// Like package card it does no I/O and names no provider; it reuses card's
// value types (card.Type for the subtype, card.Currency, card.PAN,
// card.Expiry, card.Address) and card's error type, so that every problem is
// a *card.Error with a field path.
package account

import (
	"errors"
	"maps"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
)

// Account is a financial account a card draws on.
//
// The JSON encoding is cardkit's neutral encoding; like a Card's, it never
// holds a full card number.
type Account struct {
	ID      uuid.UUID `json:"id,omitzero"`
	Tenant  string    `json:"tenant,omitempty"`
	Kind    Kind      `json:"kind,omitzero"`
	Name    string    `json:"name,omitempty"` // an informal name, 1 to 100 characters
	Holder  Holder    `json:"holder,omitzero"`
	Subtype card.Type `json:"subtype,omitzero"` // the kind of card: DEBIT, CREDIT, PREPAID, GIFT
	Default bool      `json:"default,omitempty"`
	State   State     `json:"state,omitzero"`
	// Currency is the account's ISO 4217 currency.
	Currency card.Currency `json:"currency,omitzero"`

	// External is the linked card of an external account; nil otherwise.
	External     *ExternalCard `json:"external,omitempty"`
	Verification Verification  `json:"verification,omitzero"`

	// ProviderRefs maps a provider's name to its id for this account.
	ProviderRefs map[string]string `json:"provider_refs,omitempty"`

	CreatedBy Actor     `json:"created_by,omitzero"`
	UpdatedBy Actor     `json:"updated_by,omitzero"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	Version   int64     `json:"version,omitempty"`
}

// Holder is the party that owns an account.
type Holder struct {
	Kind HolderKind `json:"kind,omitzero"`
	ID   string     `json:"id,omitempty"` // opaque: cardkit's id or the provider's
}

// IsZero reports whether no holder is set.
func (h Holder) IsZero() bool { return h == Holder{} }

// CardHolder is who a card drawing on the account is issued to. A recipient
// holds no cards, so ok is false for one.
func (h Holder) CardHolder() (holder card.Holder, ok bool) {
	switch h.Kind {
	case HolderCustomer:
		return card.Holder{CustomerID: h.ID}, true
	case HolderBusiness:
		return card.Holder{BusinessID: h.ID}, true
	}
	return card.Holder{}, false
}

// CardHolderFor is the holder of a card issued on a for h: h itself if it
// names a customer or a business, else h with a's own holder's id (its
// name and address kept); ok is false when h names neither and a's holder
// cannot hold a card.
func (a *Account) CardHolderFor(h card.Holder) (holder card.Holder, ok bool) {
	if h.CustomerID != "" || h.BusinessID != "" {
		return h, true
	}
	own, ok := a.Holder.CardHolder()
	h.CustomerID, h.BusinessID = own.CustomerID, own.BusinessID
	return h, ok
}

// CheckCardIssue records in p why a card cannot be issued on a, to holder
// (one that names no customer or business: a's own holder, see
// CardHolderFor): cards are issued on integrated accounts that are not
// suspended, to a customer or a business. The problems name accountField
// and holderField, the caller's paths.
func (a *Account) CheckCardIssue(p *card.Problems, accountField, holderField string, holder card.Holder) {
	if a.Kind != KindIntegrated {
		p.AddValue(accountField, card.CodeNotAllowed, a.Kind.String(), "cards are issued on integrated accounts")
	}
	if a.State == StateSuspended {
		p.AddValue(accountField, card.CodeNotAllowed, a.State.String(), "the account is suspended")
	}
	if _, ok := a.CardHolderFor(holder); !ok {
		p.AddValue(holderField, card.CodeRequired, a.Holder.Kind.String(), "the account's holder cannot hold a card; name one")
	}
}

// Actor is who created or last changed an account.
type Actor struct {
	Type ActorType `json:"type,omitzero"`
	ID   string    `json:"id,omitempty"` // blank for ActorInternal
}

// IsZero reports whether no actor is set.
func (a Actor) IsZero() bool { return a == Actor{} }

// Verification is how far the check that an external card belongs to its
// holder has come.
type Verification struct {
	Status VerificationStatus `json:"status,omitzero"`
	Method VerificationMethod `json:"method,omitzero"`
}

// IsZero reports whether nothing is known of the verification.
func (v Verification) IsZero() bool { return v == Verification{} }

// ExternalCard is a card issued elsewhere and linked as a funding account.
type ExternalCard struct {
	FirstName  string `json:"first_name,omitempty"`
	MiddleName string `json:"middle_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`

	// PAN is the full number when known in memory (when the card is being
	// linked); it is never encoded. At rest the card is known by BIN,
	// LastFour and Fingerprint; see SetPAN.
	PAN         card.PAN         `json:"-"`
	BIN         string           `json:"bin,omitempty"`
	LastFour    string           `json:"last_four,omitempty"`
	Fingerprint card.Fingerprint `json:"fingerprint,omitzero"`

	Expiry         card.Expiry  `json:"expiry,omitzero"`
	BillingAddress card.Address `json:"billing_address,omitzero"`
}

// SetPAN records p as the linked card's number: the PAN itself (kept in
// memory only), its BIN and last four, and its fingerprint under k.
func (e *ExternalCard) SetPAN(p card.PAN, k card.FingerprintKey) {
	e.PAN, e.BIN, e.LastFour, e.Fingerprint = p, p.BIN(), p.LastFour(), p.Fingerprint(k)
}

// Clone returns a deep copy that shares nothing mutable with a.
func (a Account) Clone() Account {
	if a.External != nil {
		e := *a.External
		a.External = &e
	}
	if a.ProviderRefs != nil {
		a.ProviderRefs = maps.Clone(a.ProviderRefs)
	}
	return a
}

// Validate checks every rule an account must keep and returns nil or a
// *card.Error of kind card.ErrInvalid that lists every problem found.
func (a *Account) Validate() error {
	var p card.Problems
	a.Check(&p)
	return p.Err("account.Validate")
}

// Check records in p every rule a breaks:
//   - an id, a tenant, a kind, a name of 1 to 100 characters, a holder, a
//     subtype, a currency and a state;
//   - an integrated account is held by a customer or a business, and has no
//     external card or verification;
//   - an external account is a DEBIT or CREDIT card with its holder's first
//     and last names (1 to 40 characters each), its number (or, as a
//     provider returns it, its last four), an expiry and a billing address
//     (line 1 to 50 characters, city 1 to 25, a state code in the United
//     States and Canada, a US ZIP of 5 or 5-4 digits);
//   - an actor has an id unless it is the provider's internal service.
func (a *Account) Check(p *card.Problems) {
	if a.ID == uuid.Nil {
		p.Add("id", card.CodeRequired, "an account needs an id")
	}
	card.RuleTenant.Check(p, "tenant", a.Tenant)
	card.CheckEnum(p, "kind", a.Kind, true)
	card.RuleAccountName.Check(p, "name", a.Name)
	a.checkHolder(p)
	a.checkSubtype(p)
	card.CheckEnum(p, "currency", a.Currency, true)
	card.CheckEnum(p, "state", a.State, true)
	switch a.Kind {
	case KindIntegrated:
		if a.External != nil {
			p.Add("external", card.CodeNotAllowed, "an integrated account links no external card")
		}
		if !a.Verification.IsZero() {
			p.Add("verification", card.CodeNotAllowed, "an integrated account is not verified")
		}
	case KindExternal:
		if a.External == nil {
			p.Add("external", card.CodeRequired, "an external account links a card")
		} else {
			a.External.check(p, "external")
		}
		card.CheckEnum(p, "verification.status", a.Verification.Status, false)
		card.CheckEnum(p, "verification.method", a.Verification.Method, false)
	}
	checkActor(p, "created_by", a.CreatedBy)
	checkActor(p, "updated_by", a.UpdatedBy)
	card.CheckProviderRefs(p, "provider_refs", a.ProviderRefs)
	if !a.UpdatedAt.IsZero() && a.UpdatedAt.Before(a.CreatedAt) {
		p.Add("updated_at", card.CodeOutOfRange, "not before created_at")
	}
	if a.Version < 0 {
		p.Add("version", card.CodeOutOfRange, "a version is not negative")
	}
}

func (a *Account) checkHolder(p *card.Problems) {
	card.CheckEnum(p, "holder.kind", a.Holder.Kind, true)
	card.TextLimit{Min: 1, Max: 255}.Check(p, "holder.id", a.Holder.ID)
	if a.Kind == KindIntegrated && a.Holder.Kind == HolderRecipient {
		p.AddValue("holder.kind", card.CodeNotAllowed, a.Holder.Kind.String(), "an integrated account belongs to a customer or a business")
	}
}

func (a *Account) checkSubtype(p *card.Problems) {
	if !a.Subtype.Valid() {
		card.CheckEnum(p, "subtype", a.Subtype, true)
		return
	}
	if a.Kind == KindExternal && a.Subtype != card.TypeDebit && a.Subtype != card.TypeCredit {
		p.AddValue("subtype", card.CodeNotAllowed, a.Subtype.String(), "an external card is DEBIT or CREDIT")
	}
}

func (e *ExternalCard) check(p *card.Problems, prefix string) {
	card.RulePersonName.Check(p, prefix+".first_name", e.FirstName)
	if e.MiddleName != "" {
		card.RulePersonName.Check(p, prefix+".middle_name", e.MiddleName)
	}
	card.RulePersonName.Check(p, prefix+".last_name", e.LastName)
	switch {
	case !e.PAN.IsZero():
		if e.BIN != e.PAN.BIN() || e.LastFour != e.PAN.LastFour() || e.Fingerprint.IsZero() {
			p.Add(prefix+".card_number", card.CodeMismatch, "BIN, last four and fingerprint come from the number; see SetPAN")
		}
	case e.LastFour == "":
		p.Add(prefix+".card_number", card.CodeRequired, "a linked card is known by its number, or at least its last four")
	default:
		card.CheckLastFour(p, prefix+".last_four", e.LastFour)
		card.CheckBIN(p, prefix+".bin", e.BIN)
	}
	if e.Expiry.IsZero() {
		p.Add(prefix+".expiry", card.CodeRequired, "a linked card needs its expiry")
	} else {
		p.Merge(prefix, e.Expiry.Validate())
	}
	if e.BillingAddress.IsZero() {
		p.Add(prefix+".billing_address", card.CodeRequired, "a linked card needs its billing address")
	} else {
		e.BillingAddress.CheckBilling(p, prefix+".billing_address")
	}
}

// MinCardNumberLength is the shortest number of a card to link, as
// documented for external cards (card.ParsePAN takes 12 or more).
const MinCardNumberLength = 11

// ParseCardNumber parses the number of a card to link: 11 to 19 digits with
// a valid check digit. Errors name the field "external.card_number" and
// never repeat the digits.
func ParseCardNumber(s string) (card.PAN, error) {
	p, err := card.ParsePANMin(s, MinCardNumberLength)
	if err != nil {
		var e *card.Error
		if errors.As(err, &e) {
			out := &card.Error{Op: "account.ParseCardNumber", Kind: e.Kind}
			for _, f := range e.Fields {
				f.Field = "external.card_number"
				out.Fields = append(out.Fields, f)
			}
			return card.PAN{}, out
		}
		return card.PAN{}, err
	}
	return p, nil
}

func checkActor(p *card.Problems, field string, a Actor) {
	if a.IsZero() {
		return
	}
	card.CheckEnum(p, field+".type", a.Type, true)
	switch {
	case a.Type == ActorInternal && a.ID != "":
		p.Add(field+".id", card.CodeNotAllowed, "an internal actor has no id")
	case a.Type != ActorInternal:
		card.TextLimit{Min: 1, Max: 255}.Check(p, field+".id", a.ID)
	}
}

// CheckCardNumbers records in p, at its path, every text field of a (its
// tenant, name and holder's id, the ids of who made and last changed it and
// at the providers, the linked card's holder names and billing address)
// that could hold a whole card number (card.HoldsCardNumber), without its
// other rules.
func (a *Account) CheckCardNumbers(p *card.Problems) {
	card.NoCardNumber(p, "tenant", a.Tenant)
	card.NoCardNumber(p, "name", a.Name)
	card.NoCardNumber(p, "holder.id", a.Holder.ID)
	card.NoCardNumber(p, "created_by.id", a.CreatedBy.ID)
	card.NoCardNumber(p, "updated_by.id", a.UpdatedBy.ID)
	card.CheckMapCardNumbers(p, "provider_refs", a.ProviderRefs)
	if e := a.External; e != nil {
		card.NoCardNumber(p, "external.first_name", e.FirstName)
		card.NoCardNumber(p, "external.middle_name", e.MiddleName)
		card.NoCardNumber(p, "external.last_name", e.LastName)
		e.BillingAddress.CheckCardNumbers(p, "external.billing_address")
	}
}
