package card

import (
	"maps"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Card is a payment card as cardkit holds it, whichever provider issued it.
//
// References to other things (the account, the holder, the product, the
// cards of a reissue) are opaque strings: cardkit's own ids for a card in a
// cardkit store, the provider's ids, kept exactly as given, for a card
// decoded from a provider's payload. The card's own ID is cardkit's.
//
// The JSON encoding of a Card (snake_case names, enums by canonical name)
// is cardkit's neutral encoding. It never holds the full number: PAN is left
// out and the number is known by BIN, LastFour and Fingerprint.
type Card struct {
	ID        uuid.UUID `json:"id,omitzero"`
	Tenant    string    `json:"tenant,omitempty"`
	AccountID string    `json:"account_id,omitempty"` // the account the card draws on
	Holder    Holder    `json:"holder,omitzero"`
	Type      Type      `json:"type,omitzero"`
	Form      Form      `json:"form,omitzero"`
	Brand     Brand     `json:"brand,omitzero"` // zero until the provider says
	ProductID string    `json:"product_id,omitempty"`
	Label     string    `json:"label,omitempty"`    // a name the holder gives the card
	Currency  Currency  `json:"currency,omitzero"`  // what the card spends in, where the provider says
	ImageID   string    `json:"image_id,omitempty"` // a custom card image, where the program uses one

	Status       Status       `json:"status,omitzero"`
	StatusReason StatusReason `json:"status_reason,omitzero"`
	Memo         string       `json:"memo,omitempty"` // free text about the last status change
	// HeldBy is who placed the hold of a SUSPENDED card; zero when not known,
	// which counts as the provider. It decides who may lift the hold.
	HeldBy Actor `json:"held_by,omitzero"`
	// Pending says what a PENDING card waits for, where the provider says.
	Pending PendingReasons `json:"pending,omitzero"`

	// PAN is the full number when it is known in memory. It is never
	// encoded; see SetPAN.
	PAN         PAN         `json:"-"`
	BIN         string      `json:"bin,omitempty"`
	LastFour    string      `json:"last_four,omitempty"`
	PANLength   int         `json:"pan_length,omitempty"` // digits in the number; 0 when not known
	Fingerprint Fingerprint `json:"fingerprint,omitzero"`
	Expiry      Expiry      `json:"expiry,omitzero"`

	NameOnCard string          `json:"name_on_card,omitempty"`
	Emboss     Emboss          `json:"emboss,omitzero"`
	Shipping   *Shipping       `json:"shipping,omitempty"` // physical cards only
	Controls   Controls        `json:"controls,omitzero"`
	Language   string          `json:"language,omitempty"` // such as "en" or "en_US"
	Alerts     AlertPreference `json:"alerts,omitzero"`
	PINSet     bool            `json:"pin_set,omitempty"` // whether a PIN was set; the PIN itself is never held
	PINSetAt   time.Time       `json:"pin_set_at,omitzero"`

	Reissue ReissueLink `json:"reissue,omitzero"`

	// ProviderRefs maps a provider's name to its id for this card.
	ProviderRefs map[string]string `json:"provider_refs,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"`

	ActivatedAt time.Time `json:"activated_at,omitzero"` // first activation
	CreatedAt   time.Time `json:"created_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
	// Version counts the changes made to the card; every change the domain
	// makes adds one. Stores use it for optimistic concurrency.
	Version int64 `json:"version,omitempty"`
}

// Holder is who a card is issued to: a customer, a business, or a customer
// inside a business (at least one of the ids is set), with the name and
// billing address the card is registered under.
type Holder struct {
	CustomerID     string     `json:"customer_id,omitempty"`
	BusinessID     string     `json:"business_id,omitempty"`
	Name           PersonName `json:"name,omitzero"`
	BillingAddress Address    `json:"billing_address,omitzero"`
}

// IsZero reports whether nothing of the holder is set.
func (h Holder) IsZero() bool { return h == Holder{} }

// PersonName is a person's name in parts.
type PersonName struct {
	First  string `json:"first,omitempty"`
	Middle string `json:"middle,omitempty"`
	Last   string `json:"last,omitempty"`
}

// IsZero reports whether no part is set.
func (n PersonName) IsZero() bool { return n == PersonName{} }

// String joins the parts that are set with single spaces.
func (n PersonName) String() string {
	s := n.First
	for _, part := range []string{n.Middle, n.Last} {
		if part != "" {
			if s != "" {
				s += " "
			}
			s += part
		}
	}
	return s
}

// PendingReasons says what a PENDING card waits for.
type PendingReasons struct {
	BulkShipment bool `json:"bulk_shipment,omitempty"` // to ship with a bulk order
	Image        bool `json:"image,omitempty"`         // approval of its custom image
	PIN          bool `json:"pin,omitempty"`           // the holder to set a PIN
}

// IsZero reports whether the card waits for nothing in particular.
func (p PendingReasons) IsZero() bool { return p == PendingReasons{} }

// Emboss is the text printed or embossed on a physical card besides the
// number: usually the holder's name, then a second line such as a business
// name (what some providers call the fourth embossing line).
type Emboss struct {
	Line1 string `json:"line1,omitempty"`
	Line2 string `json:"line2,omitempty"`
}

// IsZero reports whether no line is set.
func (e Emboss) IsZero() bool { return e == Emboss{} }

// check records the lines that break a rule, at the paths given (whole
// paths, so that a valid Emboss costs no allocation): each keeps the emboss
// text rules, and a second line needs a first.
func (e Emboss) check(p *Problems, line1, line2 string) {
	optionalText(p, line1, e.Line1, RuleEmbossLine.Limit())
	optionalText(p, line2, e.Line2, RuleEmbossLine.Limit())
	if e.Line1 == "" && e.Line2 != "" {
		p.Add(line1, CodeRequired, "line 2 needs a line 1")
	}
}

// Shipping is how and where a physical card travels.
type Shipping struct {
	Method         ShippingMethod `json:"method,omitzero"`
	Address        Address        `json:"address,omitzero"`
	Recipient      Recipient      `json:"recipient,omitzero"`
	Status         DeliveryStatus `json:"status,omitzero"`
	TrackingNumber string         `json:"tracking_number,omitempty"`
	ShippedAt      time.Time      `json:"shipped_at,omitzero"`
	ETA            time.Time      `json:"eta,omitzero"`
}

// Recipient is who a card is shipped to, when not the holder at the
// holder's address.
type Recipient struct {
	FirstName  string `json:"first_name,omitempty"`
	MiddleName string `json:"middle_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	CareOf     string `json:"care_of,omitempty"`
	Phone      string `json:"phone,omitempty"` // E.164, such as "+14155550123"
}

// IsZero reports whether no part is set.
func (r Recipient) IsZero() bool { return r == Recipient{} }

// ReissueLink ties a card into its reissue chain. From and To hold the
// other card's id as the card's source knows it: cardkit's id for a card
// a store keeps (the issuance service writes those), the provider's id for
// a card decoded from a provider's format. A provider's encoder writes
// them as they are, so a stored card's links name cardkit's ids in any
// format.
type ReissueLink struct {
	From   string        `json:"from,omitempty"`  // the card this one replaced
	To     string        `json:"to,omitempty"`    // the card that replaced this one (not a second replacement AdoptReissue recorded)
	Reason ReissueReason `json:"reason,omitzero"` // why this card replaced From
	Keep   Keep          `json:"keep,omitzero"`   // what this card kept of From
}

// IsZero reports whether the card is in no reissue chain.
func (l ReissueLink) IsZero() bool { return l == ReissueLink{} }

// SetPAN records p as the card's number: the PAN itself (kept in memory
// only), its BIN, last four and length, and its fingerprint under k.
func (c *Card) SetPAN(p PAN, k FingerprintKey) {
	c.SetNumber(p)
	c.Fingerprint = p.Fingerprint(k)
}

// SetNumber records p as the card's number as a provider shows it: the PAN
// (in memory only), its BIN, last four and length; no fingerprint, which
// needs the program's key (see SetPAN).
func (c *Card) SetNumber(p PAN) {
	c.PAN, c.BIN, c.LastFour, c.PANLength = p, p.BIN(), p.LastFour(), p.Len()
}

// MaskedPAN shows the number as far as it may be shown: BIN and last four.
func (c *Card) MaskedPAN() string {
	if !c.PAN.IsZero() {
		return c.PAN.Masked()
	}
	if c.BIN == "" && c.LastFour == "" {
		return ""
	}
	return MaskDigits(c.BIN, c.LastFour, c.PANLength)
}

// Expired reports whether the card has expired at instant t.
func (c *Card) Expired(t time.Time) bool { return c.Expiry.Expired(t) }

// Clone returns a deep copy that shares nothing mutable with c.
func (c Card) Clone() Card {
	if c.Shipping != nil {
		s := *c.Shipping
		c.Shipping = &s
	}
	c.Controls = c.Controls.Clone()
	c.ProviderRefs = cloneMap(c.ProviderRefs)
	c.Metadata = cloneMap(c.Metadata)
	return c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	return maps.Clone(m)
}

// Limits on the size of a card's maps.
const (
	MaxMetadataKeys = 50
	MaxProviderRefs = 16
)

// Validate checks every rule a stored card must keep and returns nil or an
// *Error of kind ErrInvalid that lists every problem found.
func (c *Card) Validate() error {
	var p Problems
	c.Check(&p)
	return p.Err("card.Validate")
}

// Check records in p every rule c breaks; see Validate.
func (c *Card) Check(p *Problems) {
	if c.ID == uuid.Nil {
		p.Add("id", CodeRequired, "a card needs an id")
	}
	requiredText(p, "tenant", c.Tenant, RuleTenant.Limit())
	requiredText(p, "account_id", c.AccountID, TextLimit{Min: 1, Max: 255})
	c.checkHolder(p)
	CheckEnum(p, "type", c.Type, true)
	CheckEnum(p, "form", c.Form, true)
	CheckEnum(p, "brand", c.Brand, false)
	optionalText(p, "product_id", c.ProductID, TextLimit{Max: 255})
	optionalText(p, "label", c.Label, RuleLabel.Limit())
	CheckEnum(p, "currency", c.Currency, false)
	optionalText(p, "image_id", c.ImageID, TextLimit{Max: 255})
	c.checkStatus(p)
	c.checkNumber(p)
	if !c.Expiry.IsZero() {
		p.Merge("", c.Expiry.Validate())
	}
	optionalText(p, "name_on_card", c.NameOnCard, RuleNameOnCard.Limit())
	c.Emboss.check(p, "emboss.line1", "emboss.line2")
	c.checkShipping(p)
	c.Controls.Check(p, "controls")
	if c.Language != "" && !languageTag(c.Language) {
		p.Add("language", CodeFormat, "a language code such as en or en_US")
	}
	CheckEnum(p, "alerts", c.Alerts, false)
	if !c.PINSetAt.IsZero() && !c.PINSet {
		p.Add("pin_set", CodeConflict, "a PIN set at a time is set")
	}
	c.checkReissue(p)
	CheckProviderRefs(p, "provider_refs", c.ProviderRefs)
	checkMetadata(p, c.Metadata)
	if !c.UpdatedAt.IsZero() && c.UpdatedAt.Before(c.CreatedAt) {
		p.Add("updated_at", CodeOutOfRange, "not before created_at")
	}
	if c.Version < 0 {
		p.Add("version", CodeOutOfRange, "a version is not negative")
	}
}

func (c *Card) checkHolder(p *Problems) {
	h := c.Holder
	if h.CustomerID == "" && h.BusinessID == "" {
		p.Add("holder", CodeRequired, "a customer, a business or both")
	}
	optionalText(p, "holder.customer_id", h.CustomerID, TextLimit{Max: 255})
	optionalText(p, "holder.business_id", h.BusinessID, TextLimit{Max: 255})
	optionalText(p, "holder.name.first", h.Name.First, RulePersonName.Limit())
	optionalText(p, "holder.name.middle", h.Name.Middle, RulePersonName.Limit())
	optionalText(p, "holder.name.last", h.Name.Last, RulePersonName.Limit())
	if !h.BillingAddress.IsZero() {
		h.BillingAddress.Check(p, "holder.billing_address")
	}
}

// ValidBIN reports whether bin is a BIN: 6 or 8 digits. It is the rule for
// every BIN kept apart from its number: a longer one could be the whole
// number.
func ValidBIN(bin string) bool { return allDigits(bin) && (len(bin) == 6 || len(bin) == 8) }

// CheckBIN records in p, at field, a BIN that is not ValidBIN; the empty
// BIN (not known) passes.
func CheckBIN(p *Problems, field, bin string) {
	if bin != "" && !ValidBIN(bin) {
		p.Add(field, CodeFormat, "a BIN is 6 or 8 digits")
	}
}

// CheckLastFour records in p, at field, last four digits that are not 4
// digits; the empty string (not known) passes.
func CheckLastFour(p *Problems, field, s string) {
	if s != "" && (len(s) != 4 || !allDigits(s)) {
		p.Add(field, CodeFormat, "4 digits")
	}
}

func (c *Card) checkStatus(p *Problems) {
	CheckEnum(p, "status", c.Status, true)
	CheckEnum(p, "status_reason", c.StatusReason, false)
	switch {
	case c.Status == StatusSuspended && c.StatusReason == 0:
		p.Add("status_reason", CodeRequired, "a suspended card says why")
	case c.Status.Valid() && c.StatusReason.Valid() && !c.Status.Reasons().Has(c.StatusReason):
		p.AddValue("status_reason", CodeConflict, c.StatusReason.String(), "no move into "+c.Status.String()+" gives this reason")
	}
	CheckEnum(p, "held_by", c.HeldBy, false)
	switch {
	case c.HeldBy != 0 && c.Status != StatusSuspended:
		p.Add("held_by", CodeConflict, "only a suspended card is held")
	case c.HeldBy == ActorSystem:
		p.Add("held_by", CodeNotAllowed, "cardkit places no holds")
	}
	optionalText(p, "memo", c.Memo, RuleMemo.Limit())
}

func (c *Card) checkNumber(p *Problems) {
	CheckBIN(p, "bin", c.BIN)
	CheckLastFour(p, "last_four", c.LastFour)
	if c.PANLength != 0 && (c.PANLength < MinPANFloor || c.PANLength > MaxPANLength) {
		p.Add("pan_length", CodeOutOfRange, "a card number has 8 to 19 digits")
	}
	if c.PANLength != 0 && c.BIN != "" && len(c.BIN)+len(c.LastFour) >= c.PANLength {
		// BIN and last four would show the whole number. (What cardkit
		// reads from a provider is cut to BINLength; a card an earlier
		// version kept with a longer BIN that still hides some digits
		// stays valid, so that it can still be changed.)
		p.Add("bin", CodeConflict, "with the last four it shows every digit of a number of "+strconv.Itoa(c.PANLength))
	}
	if c.PAN.IsZero() {
		return
	}
	if c.PANLength != c.PAN.Len() {
		p.Add("pan_length", CodeMismatch, "does not match the card number")
	}
	if c.BIN != c.PAN.BIN() {
		p.Add("bin", CodeMismatch, "does not match the card number")
	}
	if c.LastFour != c.PAN.LastFour() {
		p.Add("last_four", CodeMismatch, "does not match the card number")
	}
	if c.Fingerprint.IsZero() {
		p.Add("fingerprint", CodeRequired, "a card with a number keeps its fingerprint; see SetPAN")
	}
}

func (c *Card) checkShipping(p *Problems) {
	s := c.Shipping
	if s == nil {
		return
	}
	if c.Form == FormVirtual {
		p.Add("shipping", CodeNotAllowed, "a virtual card is not shipped")
	}
	CheckEnum(p, "shipping.method", s.Method, false)
	CheckEnum(p, "shipping.status", s.Status, false)
	if !s.Address.IsZero() {
		s.Address.Check(p, "shipping.address")
	}
	r := s.Recipient
	optionalText(p, "shipping.recipient.first_name", r.FirstName, RulePersonName.Limit())
	optionalText(p, "shipping.recipient.middle_name", r.MiddleName, RulePersonName.Limit())
	optionalText(p, "shipping.recipient.last_name", r.LastName, RulePersonName.Limit())
	optionalText(p, "shipping.recipient.care_of", r.CareOf, RuleAddressLine.Limit())
	if r.Phone != "" && !e164(r.Phone) {
		p.Add("shipping.recipient.phone", CodeFormat, "an E.164 number such as +14155550123")
	}
	optionalText(p, "shipping.tracking_number", s.TrackingNumber, TextLimit{Max: 100})
}

func (c *Card) checkReissue(p *Problems) {
	l := c.Reissue
	CheckEnum(p, "reissue.reason", l.Reason, false)
	CheckEnum(p, "reissue.keep", l.Keep, false)
	switch {
	case l.From != "" && l.Reason == 0:
		p.Add("reissue.reason", CodeRequired, "a card that replaced another says why")
	case l.From == "" && (l.Reason != 0 || l.Keep != 0):
		p.Add("reissue.from", CodeRequired, "a reissue reason needs the card it replaced")
	}
	self := c.ID.String()
	if l.From != "" && l.From == self {
		p.Add("reissue.from", CodeConflict, "a card cannot replace itself")
	}
	if l.To != "" && (l.To == self || l.To == l.From) {
		p.Add("reissue.to", CodeConflict, "a card cannot be replaced by itself or its predecessor")
	}
	optionalText(p, "reissue.from", l.From, TextLimit{Max: 255})
	optionalText(p, "reissue.to", l.To, TextLimit{Max: 255})
}

// CheckProviderRefs records in p, under field, every problem with a map of
// provider names to ids: at most 16 providers, each named by 1 to 32 of
// a-z 0-9 _ -, each id 1 to 255 printable characters.
func CheckProviderRefs(p *Problems, field string, refs map[string]string) {
	if len(refs) > MaxProviderRefs {
		p.Add(field, CodeTooLong, "at most "+strconv.Itoa(MaxProviderRefs)+" providers")
	}
	for name, id := range refs {
		at := mapPath(field, name)
		if !providerName(name) {
			p.Add(at, CodeFormat, "a provider name is 1 to 32 of a-z 0-9 _ -")
		}
		requiredText(p, at, id, TextLimit{Min: 1, Max: 255})
	}
}

func checkMetadata(p *Problems, md map[string]string) {
	if len(md) > MaxMetadataKeys {
		p.Add("metadata", CodeTooLong, "at most "+strconv.Itoa(MaxMetadataKeys)+" keys")
	}
	for k, v := range md {
		at := mapPath("metadata", k)
		if utf8.ValidString(k) {
			RuleMetadataKey.Check(p, at, k)
		} else {
			p.Add("metadata", CodeCharset, "a key is not valid UTF-8")
		}
		RuleMetadataValue.Check(p, at, v)
	}
}

func requiredText(p *Problems, field, s string, l TextLimit) {
	if s == "" {
		p.Add(field, CodeRequired, "")
		return
	}
	l.Check(p, field, s)
}

func optionalText(p *Problems, field, s string, l TextLimit) {
	if s != "" {
		l.Check(p, field, s)
	}
}

// providerName reports whether s is 1 to 32 of a-z 0-9 _ -.
func providerName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if (b < 'a' || b > 'z') && (b < '0' || b > '9') && b != '_' && b != '-' {
			return false
		}
	}
	return true
}

// languageTag reports whether s looks like "en", "eng", "en_US" or "en-US".
func languageTag(s string) bool {
	lower := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < 'a' || s[i] > 'z' {
				return false
			}
		}
		return true
	}
	upper := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < 'A' || s[i] > 'Z' {
				return false
			}
		}
		return true
	}
	switch len(s) {
	case 2, 3:
		return lower(s)
	case 5:
		return lower(s[:2]) && (s[2] == '_' || s[2] == '-') && upper(s[3:])
	}
	return false
}

// e164 reports whether s is + then 2 to 15 digits, the first not zero.
func e164(s string) bool {
	return len(s) >= 3 && len(s) <= 16 && s[0] == '+' && s[1] != '0' && allDigits(s[1:])
}
