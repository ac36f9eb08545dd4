package solid

import (
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Name is the provider's name in card.Card.ProviderRefs and in the registry.
const Name = "solid"

var (
	// Solid's card statuses (providers/solid.md §4). Solid has one kind of
	// hold and one end, so every suspension goes out as inactive and every
	// termination as canceled.
	statusTable = wire.StatusTable[string]{Field: "cardStatus", What: "Solid card status", Rows: []wire.StatusRow[string]{
		{Wire: "pendingActivation", Status: card.StatusUnactivated, Also: card.AnyReason},
		{Wire: "active", Status: card.StatusActive, Reason: card.ReasonNEW, Also: card.AnyReason},
		{Wire: "inactive", Status: card.StatusSuspended, Reason: card.ReasonREQ, Also: card.AnyReason, HeldBy: card.ActorProgram},
		{Wire: "canceled", Status: card.StatusTerminated, Also: card.AnyReason},
	}}
	cardTypeTable = wire.Table[string, card.Form]{Field: "cardType", What: "Solid card type", Rows: []wire.Row[string, card.Form]{
		{Wire: "physical", Domain: card.FormPhysical},
		{Wire: "virtual", Domain: card.FormVirtual},
	}}
	// Solid's "bin" names the program's kind of card, not digits.
	binTable = wire.Table[string, card.Type]{Field: "bin", What: "Solid card program", Rows: []wire.Row[string, card.Type]{
		{Wire: "credit", Domain: card.TypeCredit},
		{Wire: "debit", Domain: card.TypeDebit},
	}}
	// Only the intervals Solid's documents show.
	intervalTable = wire.Table[string, card.Interval]{Field: "limitInterval", What: "Solid limit interval", Rows: []wire.Row[string, card.Interval]{
		{Wire: "allTime", Domain: card.IntervalAllTime},
		{Wire: "daily", Domain: card.IntervalDaily},
	}}
	deliveryTable = wire.Table[string, card.DeliveryStatus]{Field: "deliveryStatus", What: "Solid delivery status", Rows: []wire.Row[string, card.DeliveryStatus]{
		{Wire: "pending", Domain: card.DeliveryPending},
		{Wire: "delivered", Domain: card.DeliveryDelivered},
	}}
	replaceTable = wire.Table[string, card.ReissueReason]{Field: "reason", What: "Solid replace reason", Rows: []wire.Row[string, card.ReissueReason]{
		{Wire: "lost", Domain: card.ReissueReasonLost},
		{Wire: "stolen", Domain: card.ReissueReasonStolen},
		{Wire: "damaged", Domain: card.ReissueReasonDamaged},
		{Wire: "expired", Domain: card.ReissueReasonExpiration},
	}}
)

// Mappings lists every mapping table of the package, row by row.
func Mappings() []wire.Mapping {
	var out []wire.Mapping
	out = append(out, statusTable.Mappings()...)
	out = append(out, cardTypeTable.Mappings()...)
	out = append(out, binTable.Mappings()...)
	out = append(out, intervalTable.Mappings()...)
	out = append(out, wire.Prefix("shipping", deliveryTable.Mappings())...)
	out = append(out, replaceTable.Mappings()...)
	return out
}

// Fields lists where each field of the neutral card sits in Solid's card
// JSON.
func Fields() []wire.Field {
	return []wire.Field{
		{Domain: "provider_refs", Wire: "id"},
		{Domain: "account_id", Wire: "accountId"},
		{Domain: "holder.business_id", Wire: "businessId"},
		{Domain: "holder.customer_id", Wire: "cardholder.personId"},
		{Domain: "holder.name", Wire: "cardholder.name"},
		{Domain: "name_on_card", Wire: "cardholder.name"},
		{Domain: "holder.billing_address.line1", Wire: "cardholder.billingAddress.line1"},
		{Domain: "holder.billing_address.line2", Wire: "cardholder.billingAddress.line2"},
		{Domain: "holder.billing_address.city", Wire: "cardholder.billingAddress.city"},
		{Domain: "holder.billing_address.region", Wire: "cardholder.billingAddress.state"},
		{Domain: "holder.billing_address.country", Wire: "cardholder.billingAddress.country"},
		{Domain: "holder.billing_address.postal_code", Wire: "cardholder.billingAddress.postalCode"},
		{Domain: "product_id", Wire: "programId"},
		{Domain: "type", Wire: "bin"},
		{Domain: "form", Wire: "cardType"},
		{Domain: "label", Wire: "label"},
		{Domain: "currency", Wire: "currency"},
		{Domain: "controls.limits", Wire: "limitAmount"},
		{Domain: "controls.allowed_categories", Wire: "allowedCategories"},
		{Domain: "controls.blocked_categories", Wire: "blockedCategories"},
		{Domain: "shipping.address.line1", Wire: "shipping.shippingAddress.line1"},
		{Domain: "shipping.address.line2", Wire: "shipping.shippingAddress.line2"},
		{Domain: "shipping.address.city", Wire: "shipping.shippingAddress.city"},
		{Domain: "shipping.address.region", Wire: "shipping.shippingAddress.state"},
		{Domain: "shipping.address.country", Wire: "shipping.shippingAddress.country"},
		{Domain: "shipping.address.postal_code", Wire: "shipping.shippingAddress.postalCode"},
		{Domain: "shipping.eta", Wire: "shipping.eta"},
		{Domain: "shipping.status", Wire: "shipping.deliveryStatus"},
		{Domain: "expiry", Wire: "expiryMonth"},
		{Domain: "last_four", Wire: "last4"},
		{Domain: "status", Wire: "cardStatus"},
		{Domain: "status_reason", Wire: "cardStatus"},
		{Domain: "activated_at", Wire: "activatedAt"},
		{Domain: "created_at", Wire: "createdAt"},
		{Domain: "updated_at", Wire: "modifiedAt"},
		{Domain: "metadata", Wire: "metadata"},
		{Domain: "emboss.line1", Wire: "embossingPerson"},
		{Domain: "emboss.line2", Wire: "embossingBusiness"},
	}
}

// Residue is what a Solid document holds that the neutral card does not:
// the ids and timestamps of Solid's sub-objects, the available limit, the
// theme, and the members newer samples add.
type Residue struct {
	Unknown wire.Unknown // members this package does not know

	CardholderID         string
	CardholderCreatedAt  string
	CardholderModifiedAt string
	ShippingID           string
	ShippingCreatedAt    *string
	ShippingModifiedAt   *string
	DeliveryPartner      *string
	NoETA                bool   // shipping.eta was absent rather than ""
	CreatedPersonID      string // who created the card
	AvailableLimit       string // what is left of the limit: a balance, not a setting
	Theme                string
	ATMAccess            *bool
	AllowedMerchants     jsontext.Value
	BlockedMerchants     jsontext.Value
	FamilyID             *string
	AddressTypes         [2]string

	// How the timestamps, the limit and the category lists were spelled,
	// to write back what the domain did not change as it came.
	activated, created, modified, eta wire.Stamp
	limitAmount                       string
	allowed, blocked                  []string
}

// Dropped lists every field the residue holds, with the Solid JSON path
// and why the neutral card has no place for it.
func (r *Residue) Dropped() []card.FieldError {
	if r == nil {
		return nil
	}
	var out wire.Notes
	add := out.Add
	add(r.CardholderID != "", "cardholder.id", "Solid's id of the cardholder record")
	add(r.CardholderCreatedAt != "" || r.CardholderModifiedAt != "", "cardholder.createdAt", "timestamps of Solid's cardholder record")
	add(r.ShippingID != "", "shipping.id", "Solid's id of the shipment record")
	add(r.ShippingCreatedAt != nil || r.ShippingModifiedAt != nil, "shipping.createdAt", "timestamps of Solid's shipment record")
	add(r.DeliveryPartner != nil, "shipping.deliveryPartner", "the carrier; no neutral field")
	add(r.CreatedPersonID != "", "createdPersonId", "who created the card; no neutral field")
	add(r.AvailableLimit != "", "availableLimit", "a balance, not a setting of the card")
	add(r.Theme != "", "theme", "Solid's card design")
	add(r.ATMAccess != nil, "atmAccess", "no neutral control for ATM access")
	add(len(r.AllowedMerchants) > 0, "allowedMerchants", "merchant lists have no neutral field")
	add(len(r.BlockedMerchants) > 0, "blockedMerchants", "merchant lists have no neutral field")
	add(r.FamilyID != nil, "familyId", "Solid's family grouping")
	out.Unknown(r.Unknown, "Solid")
	return out
}

// DecodeCard decodes a Solid card into the neutral card. The card's own ID
// is left zero; Solid's id ("crd-…") is ProviderRefs["solid"].
func DecodeCard(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("solid.DecodeCard", cardJSON, data, CardFromWire)
}

// EncodeCard encodes c as a Solid card; r may be nil.
func EncodeCard(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, CardToWire, cardJSON.MarshalNulls)
}

// DecodeCardRequest decodes the body of POST /v1/card.
func DecodeCardRequest(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("solid.DecodeCardRequest", cardRequestJSON, data, RequestFromWire)
}

// EncodeCardRequest encodes the body of POST /v1/card for c.
func EncodeCardRequest(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, RequestToWire, cardRequestJSON.MarshalNulls)
}

// controls is what CardRequest and Card share about spending.
type controls struct {
	currency, amount, interval string
	allowed, blocked           []string
}

func controlsFromWire(p *card.Problems, w controls, r *Residue) (card.Currency, card.Controls) {
	r.limitAmount, r.allowed, r.blocked = w.amount, w.allowed, w.blocked
	cur := wire.Currency(p, "currency", w.currency)
	var out card.Controls
	if w.amount != "" || w.interval != "" {
		l := card.Limit{Currency: cur}
		if w.amount != "" {
			l.Amount = wire.ParseAmount(p, "limitAmount", w.amount)
		} else {
			// Read as 0 it would be a limit that stops every payment.
			p.Add("limitAmount", card.CodeRequired, "a limit interval comes with its amount")
		}
		l.Interval = intervalTable.In(p, "", w.interval, true)
		out.Limits = []card.Limit{l}
	}
	out.AllowedCategories = mccs(p, "allowedCategories", w.allowed)
	out.BlockedCategories = mccs(p, "blockedCategories", w.blocked)
	return cur, out
}

func controlsToWire(p *card.Problems, cur card.Currency, c card.Controls, r *Residue) controls {
	var w controls
	// Solid holds one limit; the others have no place, and a translation
	// reports them.
	if len(c.Limits) > 0 {
		l := c.Limits[0]
		if cur == 0 {
			cur = l.Currency
		}
		if l.Currency != 0 && l.Currency != cur {
			p.AddValue("limitAmount", card.CodeConflict, l.Currency.String(), "Solid's limit is in the card's currency")
		}
		places := int32(2)
		if cur != 0 {
			places = int32(cur.MinorUnits())
		}
		if r.limitAmount != "" && l.Amount.Equal(wire.ParseAmount(&card.Problems{}, "", r.limitAmount)) {
			w.amount = r.limitAmount
		} else {
			w.amount = l.Amount.StringFixed(places)
		}
		w.interval = intervalTable.Out(p, "", l.Interval, true)
	}
	if cur != 0 {
		w.currency = cur.String()
	}
	w.allowed = mccStrings(c.AllowedCategories, r.allowed)
	w.blocked = mccStrings(c.BlockedCategories, r.blocked)
	return w
}

// CardFromWire maps a decoded Solid card to the neutral card.
// It takes the unknown members out of w into the residue.
func CardFromWire(w *Card) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("solid.CardFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{
		Unknown:          cardJSON.TakeUnknown(w),
		CreatedPersonID:  w.CreatedPersonID,
		AvailableLimit:   w.AvailableLimit,
		Theme:            w.Theme,
		ATMAccess:        w.ATMAccess,
		AllowedMerchants: w.AllowedMerchants,
		BlockedMerchants: w.BlockedMerchants,
		FamilyID:         w.FamilyID,
	}
	c := card.Card{
		AccountID: w.AccountID,
		Holder:    card.Holder{BusinessID: w.BusinessID},
		ProductID: w.ProgramID,
		Label:     w.Label,
		LastFour:  wire.LastFour(&p, "last4", w.Last4),
		Metadata:  w.Metadata,
		Emboss:    card.Emboss{Line1: w.EmbossingPerson, Line2: w.EmbossingBusiness},
	}
	if w.ID != "" {
		c.ProviderRefs = map[string]string{Name: w.ID}
	}
	c.Form = cardTypeTable.In(&p, "", w.CardType, true)
	c.Type = binTable.In(&p, "", w.BIN, false)
	c.Status, c.StatusReason = statusTable.In(&p, "", w.CardStatus)
	c.HeldBy = statusTable.HeldBy(w.CardStatus) // "inactive" is the client's lock
	c.Currency, c.Controls = controlsFromWire(&p, controls{w.Currency, w.LimitAmount, w.LimitInterval, w.AllowedCategories, w.BlockedCategories}, r)
	if h := w.Cardholder; h != nil {
		c.Holder.CustomerID = h.PersonID
		c.NameOnCard = h.Name
		r.CardholderID, r.CardholderCreatedAt, r.CardholderModifiedAt = h.ID, h.CreatedAt, h.ModifiedAt
		c.Holder.BillingAddress = addressFromWire(&p, "cardholder.billingAddress", h.BillingAddress, "billing", &r.AddressTypes[0])
	}
	if s := w.Shipping; s != nil {
		c.Shipping = shippingFromWire(&p, s, r)
	}
	if w.ExpiryMonth != "" || w.ExpiryYear != "" {
		m := wire.ParseMonth(&p, "expiryMonth", w.ExpiryMonth)
		y := wire.ParseYear(&p, "expiryYear", w.ExpiryYear, 4)
		c.Expiry = wire.Expiry(&p, "expiryYear", y, m)
	}
	c.ActivatedAt = r.activated.Parse(&p, "activatedAt", w.ActivatedAt)
	c.CreatedAt = r.created.Parse(&p, "createdAt", w.CreatedAt)
	c.UpdatedAt = r.modified.Parse(&p, "modifiedAt", w.ModifiedAt)
	if err := p.Err("solid.DecodeCard"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// CardToWire maps the neutral card to a Solid card. A value Solid cannot
// express is an error naming the Solid field.
func CardToWire(c *card.Card, r *Residue) (*Card, error) {
	if c == nil {
		return nil, wire.Nil("solid.CardToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &Card{
		ID:                c.ProviderRefs[Name],
		AccountID:         c.AccountID,
		BusinessID:        c.Holder.BusinessID,
		ProgramID:         c.ProductID,
		Label:             c.Label,
		Last4:             wire.LastFour(&p, "last4", c.LastFour),
		Metadata:          c.Metadata,
		EmbossingPerson:   c.Emboss.Line1,
		EmbossingBusiness: c.Emboss.Line2,
		CreatedPersonID:   r.CreatedPersonID,
		AvailableLimit:    r.AvailableLimit,
		Theme:             r.Theme,
		ATMAccess:         r.ATMAccess,
		AllowedMerchants:  r.AllowedMerchants,
		BlockedMerchants:  r.BlockedMerchants,
		FamilyID:          r.FamilyID,
	}
	wire.Text(&p, "label", c.Label, card.RuleLabel.Limit())
	w.CardType = cardTypeTable.Out(&p, "", c.Form, true)
	w.BIN = binTable.Out(&p, "", c.Type, false)
	w.CardStatus = statusTable.Out(&p, "", c.Status, c.StatusReason)
	ctl := controlsToWire(&p, c.Currency, c.Controls, r)
	w.Currency, w.LimitAmount, w.LimitInterval = ctl.currency, ctl.amount, ctl.interval
	w.AllowedCategories, w.BlockedCategories = ctl.allowed, ctl.blocked
	name := c.NameOnCard
	if name == "" {
		name = c.Holder.Name.String()
	}
	if c.Holder.CustomerID != "" || name != "" || !c.Holder.BillingAddress.IsZero() || r.CardholderID != "" {
		w.Cardholder = &Cardholder{
			ID: r.CardholderID, PersonID: c.Holder.CustomerID, Name: name,
			CreatedAt: r.CardholderCreatedAt, ModifiedAt: r.CardholderModifiedAt,
			BillingAddress: addressToWire(&p, "cardholder.billingAddress", c.Holder.BillingAddress, "billing", r.AddressTypes[0]),
		}
	}
	if c.Shipping != nil {
		w.Shipping = shippingToWire(&p, c.Shipping, r)
	}
	if !c.Expiry.IsZero() {
		w.ExpiryMonth = wire.Pad2(int(c.Expiry.Month))
		w.ExpiryYear = c.Expiry.String()[:4]
	}
	w.ActivatedAt = r.activated.Format(c.ActivatedAt, wire.LayoutNano)
	w.CreatedAt = r.created.Format(c.CreatedAt, wire.LayoutNano)
	w.ModifiedAt = r.modified.Format(c.UpdatedAt, wire.LayoutNano)
	if err := p.Err("solid.EncodeCard"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// RequestFromWire maps a decoded POST /v1/card body to the card it asks
// for.
// It takes the unknown members out of w into the residue.
func RequestFromWire(w *CardRequest) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("solid.RequestFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: cardRequestJSON.TakeUnknown(w), ATMAccess: w.ATMAccess, AllowedMerchants: w.AllowedMerchants, BlockedMerchants: w.BlockedMerchants}
	c := card.Card{
		AccountID: w.AccountID,
		Label:     w.Label,
		Emboss:    card.Emboss{Line1: w.EmbossingPerson, Line2: w.EmbossingBusiness},
	}
	c.Form = cardTypeTable.In(&p, "", w.CardType, true)
	c.Type = binTable.In(&p, "", w.BIN, false)
	c.Currency, c.Controls = controlsFromWire(&p, controls{w.Currency, w.LimitAmount, w.LimitInterval, w.AllowedCategories, w.BlockedCategories}, r)
	c.Holder.BillingAddress = addressFromWire(&p, "billingAddress", w.BillingAddress, "billing", &r.AddressTypes[0])
	if w.Shipping != nil {
		c.Shipping = shippingFromWire(&p, w.Shipping, r)
	}
	if err := p.Err("solid.DecodeCardRequest"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// RequestToWire maps the card asked for to the body of POST /v1/card.
func RequestToWire(c *card.Card, r *Residue) (*CardRequest, error) {
	if c == nil {
		return nil, wire.Nil("solid.RequestToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &CardRequest{
		Label:             c.Label,
		AccountID:         c.AccountID,
		EmbossingPerson:   c.Emboss.Line1,
		EmbossingBusiness: c.Emboss.Line2,
		ATMAccess:         r.ATMAccess,
		AllowedMerchants:  r.AllowedMerchants,
		BlockedMerchants:  r.BlockedMerchants,
	}
	wire.Text(&p, "label", c.Label, card.RuleLabel.Limit())
	w.CardType = cardTypeTable.Out(&p, "", c.Form, true)
	w.BIN = binTable.Out(&p, "", c.Type, false)
	ctl := controlsToWire(&p, c.Currency, c.Controls, r)
	w.Currency, w.LimitAmount, w.LimitInterval = ctl.currency, ctl.amount, ctl.interval
	w.AllowedCategories, w.BlockedCategories = ctl.allowed, ctl.blocked
	w.BillingAddress = addressToWire(&p, "billingAddress", c.Holder.BillingAddress, "billing", r.AddressTypes[0])
	if c.Shipping != nil {
		w.Shipping = &Shipping{ShippingAddress: addressToWire(&p, "shipping.shippingAddress", c.Shipping.Address, "shipping", r.AddressTypes[1])}
	}
	if err := p.Err("solid.EncodeCardRequest"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// ReplaceRequestToWire writes the body of POST /v1/card/{cardId}/replace:
// why the card is replaced and, for a physical card, where the new one
// goes.
func ReplaceRequestToWire(reason card.ReissueReason, s *card.Shipping) (*ReplaceRequest, error) {
	var p card.Problems
	w := &ReplaceRequest{Reason: replaceTable.Out(&p, "", reason, true)}
	if s != nil && !s.Address.IsZero() {
		w.Shipping = &Shipping{ShippingAddress: addressToWire(&p, "shipping.shippingAddress", s.Address, "shipping", "")}
	}
	if err := p.Err("solid.EncodeReplaceRequest"); err != nil {
		return nil, err
	}
	return w, nil
}

// ReplaceRequestFromWire reads the body of the replace call.
func ReplaceRequestFromWire(w *ReplaceRequest) (card.ReissueReason, *card.Shipping, error) {
	if w == nil {
		return 0, nil, wire.Nil("solid.ReplaceRequestFromWire", "wire")
	}
	var p card.Problems
	reason := replaceTable.In(&p, "", w.Reason, true)
	var s *card.Shipping
	if w.Shipping != nil {
		var typ string
		s = &card.Shipping{Address: addressFromWire(&p, "shipping.shippingAddress", w.Shipping.ShippingAddress, "shipping", &typ)}
	}
	if err := p.Err("solid.DecodeReplaceRequest"); err != nil {
		return 0, nil, err
	}
	return reason, s, nil
}

func shippingFromWire(p *card.Problems, s *Shipping, r *Residue) *card.Shipping {
	out := &card.Shipping{}
	out.Address = addressFromWire(p, "shipping.shippingAddress", s.ShippingAddress, "shipping", &r.AddressTypes[1])
	out.Status = deliveryTable.In(p, "shipping", s.DeliveryStatus, false)
	if s.ETA != nil {
		out.ETA = r.eta.Parse(p, "shipping.eta", *s.ETA)
	}
	r.NoETA = s.ETA == nil
	r.ShippingID, r.ShippingCreatedAt, r.ShippingModifiedAt, r.DeliveryPartner = s.ID, s.CreatedAt, s.ModifiedAt, s.DeliveryPartner
	return out
}

func shippingToWire(p *card.Problems, s *card.Shipping, r *Residue) *Shipping {
	w := &Shipping{
		ID: r.ShippingID, CreatedAt: r.ShippingCreatedAt, ModifiedAt: r.ShippingModifiedAt, DeliveryPartner: r.DeliveryPartner,
		ShippingAddress: addressToWire(p, "shipping.shippingAddress", s.Address, "shipping", r.AddressTypes[1]),
	}
	w.DeliveryStatus = deliveryTable.Out(p, "shipping", s.Status, false)
	if !r.NoETA || !s.ETA.IsZero() {
		eta := r.eta.Format(s.ETA, wire.LayoutNano)
		w.ETA = &eta
	}
	return w
}

// addressFromWire reads an address whose addressType should be typ; a
// different addressType is kept in *kept.
func addressFromWire(p *card.Problems, at string, a *Address, typ string, kept *string) card.Address {
	if a == nil {
		return card.Address{}
	}
	*kept = wire.Differs(a.AddressType, typ)
	out := card.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, Region: a.State, PostalCode: a.PostalCode}
	if a.Country != "" {
		c, err := card.ParseCountry(a.Country)
		if err != nil || len(a.Country) != 2 {
			p.AddValue(at+".country", card.CodeUnknownValue, a.Country, "an ISO 3166-1 alpha-2 country cardkit knows")
		}
		out.Country = c
	}
	return out
}

func addressToWire(p *card.Problems, at string, a card.Address, typ, kept string) *Address {
	if a.IsZero() {
		return nil
	}
	return &Address{AddressType: wire.Or(kept, typ), Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.Region, Country: a.Country.Alpha2(), PostalCode: a.PostalCode}
}

func mccs(p *card.Problems, field string, ss []string) []card.MCC {
	if ss == nil {
		return nil
	}
	out := make([]card.MCC, 0, len(ss))
	for i, s := range ss {
		m, err := card.ParseMCC(s)
		if err != nil {
			p.AddValue(wire.Join(field, "["+strconv.Itoa(i)+"]"), card.CodeFormat, s, "a merchant category code of 4 digits")
		}
		out = append(out, m)
	}
	return out
}

// mccStrings writes ms, reusing kept when it spells the same codes.
func mccStrings(ms []card.MCC, kept []string) []string {
	if ms == nil {
		return nil
	}
	if len(kept) == len(ms) {
		same := true
		for i, s := range kept {
			if m, err := card.ParseMCC(s); err != nil || m != ms[i] {
				same = false
				break
			}
		}
		if same {
			return kept
		}
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

// UnknownMembers is the members of the decoded document this package does
// not know, by the path of their object.
func (r *Residue) UnknownMembers() wire.Unknown {
	if r == nil {
		return nil
	}
	return r.Unknown
}
