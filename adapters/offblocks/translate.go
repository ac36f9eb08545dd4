package offblocks

import (
	"strings"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Name is the provider's name in card.Card.ProviderRefs and in the registry.
const Name = "offblocks"

var (
	// OffBlocks' seven statuses (providers/offblocks.md, Card states). On
	// the way out, a hold the program may lift is "inactive" and one only
	// the provider may lift (suspected or confirmed fraud, a sanctions
	// match, the processor's, issuer's or a third party's) is "suspended".
	statusTable = wire.StatusTable[string]{Field: "status", What: "OffBlocks card status", Rows: []wire.StatusRow[string]{
		{Wire: "issuing", Status: card.StatusPending, Also: card.AnyReason},
		{Wire: "issue_failed", Status: card.StatusRejected, Also: card.AnyReason},
		{Wire: "active", Status: card.StatusActive, Reason: card.ReasonNEW, Also: card.AnyReason},
		{Wire: "inactive", Status: card.StatusSuspended, Reason: card.ReasonREQ, Also: card.ReasonsOf(
			card.ReasonTMP, card.ReasonLOS, card.ReasonSTO, card.ReasonLNC, card.ReasonSNC, card.ReasonINA,
			card.ReasonNEG, card.ReasonOUT, card.ReasonPIN, card.ReasonKYC, card.ReasonREV, card.ReasonADD,
			card.ReasonNAM, card.ReasonSSN, card.ReasonDOB, card.ReasonEML, card.ReasonPHO, card.ReasonFUL,
			card.ReasonUNK, card.ReasonEXP, card.ReasonOTH), HeldBy: card.ActorProgram},
		{Wire: "suspended", Status: card.StatusSuspended, Reason: card.ReasonSUS, Also: card.ReasonsOf(
			card.ReasonFRD, card.ReasonMAT, card.ReasonPRC, card.ReasonISS, card.ReasonAUX, card.ReasonCLO, card.ReasonCOM),
			HeldBy: card.ActorProvider},
		{Wire: "blocked", Status: card.StatusTerminated, Reason: card.ReasonFRD},
		{Wire: "terminated", Status: card.StatusTerminated, Also: card.AnyReason &^ card.ReasonsOf(card.ReasonFRD)},
	}}
	// OffBlocks issues virtual cards only ("physical cards are not
	// supported at the moment").
	typeTable = wire.Table[string, card.Form]{Field: "type", What: "OffBlocks card type", Rows: []wire.Row[string, card.Form]{
		{Wire: "virtual", Domain: card.FormVirtual},
	}}
	networkTable = wire.Table[string, card.Brand]{Field: "network", What: "OffBlocks card network", Rows: []wire.Row[string, card.Brand]{
		{Wire: "visa", Domain: card.BrandVisa},
		{Wire: "mastercard", Domain: card.BrandMastercard},
	}}
)

// Mappings lists every mapping table of the package, row by row.
func Mappings() []wire.Mapping {
	var out []wire.Mapping
	out = append(out, statusTable.Mappings()...)
	out = append(out, typeTable.Mappings()...)
	out = append(out, networkTable.Mappings()...)
	return out
}

// Fields lists where each field of the neutral card sits in OffBlocks'
// card JSON.
func Fields() []wire.Field {
	return []wire.Field{
		{Domain: "provider_refs", Wire: "id"},
		{Domain: "account_id", Wire: "accountId"},
		{Domain: "form", Wire: "type"},
		{Domain: "name_on_card", Wire: "name"},
		{Domain: "brand", Wire: "network"},
		{Domain: "bin", Wire: "maskedPan"},
		{Domain: "last_four", Wire: "maskedPan"},
		{Domain: "expiry", Wire: "expirationDate"},
		{Domain: "holder.billing_address.line1", Wire: "billingAddress.firstLine"},
		{Domain: "holder.billing_address.line2", Wire: "billingAddress.secondLine"},
		{Domain: "holder.billing_address.city", Wire: "billingAddress.city"},
		{Domain: "holder.billing_address.region", Wire: "billingAddress.state"},
		{Domain: "holder.billing_address.country", Wire: "billingAddress.country"},
		{Domain: "holder.billing_address.postal_code", Wire: "billingAddress.postCode"},
		{Domain: "shipping.address.line1", Wire: "shippingAddress.firstLine"},
		{Domain: "shipping.address.line2", Wire: "shippingAddress.secondLine"},
		{Domain: "shipping.address.city", Wire: "shippingAddress.city"},
		{Domain: "shipping.address.region", Wire: "shippingAddress.state"},
		{Domain: "shipping.address.country", Wire: "shippingAddress.country"},
		{Domain: "shipping.address.postal_code", Wire: "shippingAddress.postCode"},
		{Domain: "status", Wire: "status"},
		{Domain: "status_reason", Wire: "status"},
		{Domain: "created_at", Wire: "createdAt"},
		{Domain: "updated_at", Wire: "updatedAt"},
	}
}

// Residue is what an OffBlocks document holds that the neutral card does
// not.
type Residue struct {
	Unknown   wire.Unknown // members this package does not know
	MaskedPAN string       // maskedPan as sent, when BIN and last four would not write it back the same

	created, updated wire.Stamp // how createdAt and updatedAt were spelled
}

// Dropped lists every field the residue holds, with the OffBlocks JSON path
// and why the neutral card has no place for it.
func (r *Residue) Dropped() []card.FieldError {
	if r == nil {
		return nil
	}
	var out wire.Notes
	out.Add(r.MaskedPAN != "", "maskedPan", "the number's length is not kept, only its BIN and last four")
	out.Unknown(r.Unknown, "OffBlocks")
	return out
}

// DecodeCard decodes an OffBlocks card into the neutral card. The card's
// own ID is left zero; OffBlocks' id is ProviderRefs["offblocks"].
func DecodeCard(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("offblocks.DecodeCard", cardJSON, data, CardFromWire)
}

// EncodeCard encodes c as an OffBlocks card; r may be nil.
func EncodeCard(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, CardToWire, cardJSON.Marshal)
}

// DecodeCardRequest decodes the body of the issue call.
func DecodeCardRequest(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("offblocks.DecodeCardRequest", cardRequestJSON, data, RequestFromWire)
}

// EncodeCardRequest encodes the body of the issue call for c. The account
// goes in the path (IssuePath), not the body.
func EncodeCardRequest(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, RequestToWire, cardRequestJSON.Marshal)
}

// CardFromWire maps a decoded OffBlocks card to the neutral card.
// It takes the unknown members out of w into the residue.
func CardFromWire(w *Card) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("offblocks.CardFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: cardJSON.TakeUnknown(w)}
	c := card.Card{AccountID: w.AccountID, NameOnCard: w.Name}
	if w.ID != "" {
		c.ProviderRefs = map[string]string{Name: w.ID}
	}
	c.Form = typeTable.In(&p, "", w.Type, true)
	c.Brand = networkTable.In(&p, "", w.Network, false)
	c.Status, c.StatusReason = statusTable.In(&p, "", w.Status)
	c.HeldBy = statusTable.HeldBy(w.Status) // a client deactivates, OffBlocks suspends
	if w.MaskedPAN != "" {
		bin, last, ok := splitMasked(w.MaskedPAN)
		if !ok {
			p.Add("maskedPan", card.CodeFormat, "6 digits, '*'s and 4 digits")
		}
		bin = card.ShownBIN(bin, len(w.MaskedPAN)) // the mask is as long as the number
		c.BIN, c.LastFour = bin, last
		r.MaskedPAN = wire.Differs(w.MaskedPAN, card.MaskDigits(bin, last, 0))
	}
	c.Expiry = parseExpiry(&p, w.ExpirationDate)
	c.Holder.BillingAddress = addressFromWire(&p, "billingAddress", w.BillingAddress)
	c.CreatedAt = r.created.Parse(&p, "createdAt", w.CreatedAt)
	c.UpdatedAt = r.updated.Parse(&p, "updatedAt", w.UpdatedAt)
	if err := p.Err("offblocks.DecodeCard"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// CardToWire maps the neutral card to an OffBlocks card. A physical card,
// or a status OffBlocks does not have, is an error naming the field.
func CardToWire(c *card.Card, r *Residue) (*Card, error) {
	if c == nil {
		return nil, wire.Nil("offblocks.CardToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &Card{ID: c.ProviderRefs[Name], AccountID: c.AccountID, Name: c.NameOnCard}
	w.Type = typeTable.Out(&p, "", c.Form, true)
	w.Network = networkTable.Out(&p, "", c.Brand, false)
	w.Status = statusTable.Out(&p, "", c.Status, c.StatusReason)
	switch {
	case !c.PAN.IsZero():
		// OffBlocks shows six leading digits; a number of 12 or 13 digits
		// shows none (card.BINLength), and is masked but for its last four.
		bin := c.PAN.BIN()
		w.MaskedPAN = wire.Or(r.MaskedPAN, card.MaskDigits(bin[:min(6, len(bin))], c.PAN.LastFour(), c.PAN.Len()))
	case card.ValidBIN(c.BIN) && wire.Digits(c.LastFour, 4):
		// OffBlocks shows the first six; a number known by its last four
		// only has no maskedPan, and a translation reports the last four.
		w.MaskedPAN = wire.Or(r.MaskedPAN, card.MaskDigits(c.BIN[:6], c.LastFour, 0))
	case c.LastFour != "" && strings.HasSuffix(r.MaskedPAN, c.LastFour):
		// A short number, whose BIN is not kept: its mask as OffBlocks sent it.
		w.MaskedPAN = r.MaskedPAN
	}
	if !c.Expiry.IsZero() {
		w.ExpirationDate = wire.Pad2(int(c.Expiry.Month)) + "/" + c.Expiry.String()[:4]
	}
	w.BillingAddress = addressToWire(&p, "billingAddress", c.Holder.BillingAddress)
	w.CreatedAt = r.created.Format(c.CreatedAt, wire.LayoutNano)
	w.UpdatedAt = r.updated.Format(c.UpdatedAt, wire.LayoutNano)
	if err := p.Err("offblocks.EncodeCard"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// RequestFromWire maps a decoded issue request to the card it asks for.
// It takes the unknown members out of w into the residue.
func RequestFromWire(w *CardRequest) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("offblocks.RequestFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: cardRequestJSON.TakeUnknown(w)}
	var c card.Card
	c.Form = typeTable.In(&p, "", w.Type, true)
	c.Holder.BillingAddress = addressFromWire(&p, "billingAddress", w.BillingAddress)
	if w.ShippingAddress != nil {
		c.Shipping = &card.Shipping{Address: addressFromWire(&p, "shippingAddress", w.ShippingAddress)}
	}
	if err := p.Err("offblocks.DecodeCardRequest"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// RequestToWire maps the card asked for to the body of the issue call.
func RequestToWire(c *card.Card, r *Residue) (*CardRequest, error) {
	if c == nil {
		return nil, wire.Nil("offblocks.RequestToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &CardRequest{}
	w.Type = typeTable.Out(&p, "", c.Form, true)
	w.BillingAddress = addressToWire(&p, "billingAddress", c.Holder.BillingAddress)
	if c.Shipping != nil {
		w.ShippingAddress = addressToWire(&p, "shippingAddress", c.Shipping.Address)
	}
	if err := p.Err("offblocks.EncodeCardRequest"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

func addressFromWire(p *card.Problems, at string, a *Address) card.Address {
	if a == nil {
		return card.Address{}
	}
	out := card.Address{Line1: a.FirstLine, Line2: a.SecondLine, City: a.City, Region: a.State, PostalCode: a.PostCode}
	if a.Country != "" {
		c, err := card.ParseCountry(a.Country)
		if err != nil || len(a.Country) != 2 {
			p.AddValue(at+".country", card.CodeUnknownValue, a.Country, "an ISO 3166-1 alpha-2 country cardkit knows")
		}
		out.Country = c
	}
	return out
}

func addressToWire(p *card.Problems, at string, a card.Address) *Address {
	if a.IsZero() {
		return nil
	}
	return &Address{FirstLine: a.Line1, SecondLine: a.Line2, City: a.City, State: a.Region, Country: a.Country.Alpha2(), PostCode: a.PostalCode}
}

// splitMasked reads "530518******9871": 6 digits, at least one '*', 4
// digits.
func splitMasked(s string) (bin, last string, ok bool) {
	if len(s) < 11 || !wire.Digits(s[:6], 6) || !wire.Digits(s[len(s)-4:], 4) {
		return "", "", false
	}
	if strings.Trim(s[6:len(s)-4], "*") != "" {
		return "", "", false
	}
	return s[:6], s[len(s)-4:], true
}

// parseExpiry reads MM/YYYY.
func parseExpiry(p *card.Problems, s string) card.Expiry {
	if s == "" {
		return card.Expiry{}
	}
	if len(s) != 7 || s[2] != '/' {
		p.AddValue("expirationDate", card.CodeFormat, s, "MM/YYYY")
		return card.Expiry{}
	}
	m := wire.ParseMonth(p, "expirationDate", s[:2])
	y := wire.ParseYear(p, "expirationDate", s[3:], 4)
	return wire.Expiry(p, "expirationDate", y, m)
}

// UnknownMembers is the members of the decoded document this package does
// not know, by the path of their object.
func (r *Residue) UnknownMembers() wire.Unknown {
	if r == nil {
		return nil
	}
	return r.Unknown
}

// StatusOf writes a card's status and reason as OffBlocks spells them.
func StatusOf(c card.Card) (string, error) {
	var p card.Problems
	s := statusTable.Out(&p, "", c.Status, c.StatusReason)
	return s, p.Err("offblocks.StatusOf")
}

// StatusFromWire reads OffBlocks' status w: the domain's status and reason,
// and who holds a card in it.
func StatusFromWire(w string) (card.Status, card.StatusReason, card.Actor, error) {
	var p card.Problems
	s, r := statusTable.In(&p, "", w)
	return s, r, statusTable.HeldBy(w), p.Err("offblocks.StatusFromWire")
}
