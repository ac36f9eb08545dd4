package synctera

import (
	"slices"
	"strings"
	"time"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Name is the provider's name in card.Card.ProviderRefs and in the registry.
const Name = "synctera"

// The mapping tables. Synctera's statuses and reason codes are the domain's
// own; the three reasons the domain adds for other providers go out as the
// code that says the most of them.
var (
	statusTable = wire.Table[string, card.Status]{Field: "card_status", What: "Synctera card status", Rows: []wire.Row[string, card.Status]{
		{Wire: "ACTIVE", Domain: card.StatusActive},
		{Wire: "IMAGE_PENDING", Domain: card.StatusImagePending},
		{Wire: "IMAGE_REJECTED", Domain: card.StatusImageRejected},
		{Wire: "PENDING", Domain: card.StatusPending},
		{Wire: "REJECTED", Domain: card.StatusRejected},
		{Wire: "SUSPENDED", Domain: card.StatusSuspended},
		{Wire: "TERMINATED", Domain: card.StatusTerminated},
		{Wire: "UNACTIVATED", Domain: card.StatusUnactivated},
	}}
	reasonTable = wire.Table[string, card.StatusReason]{Field: "status_reason", What: "Synctera status reason", Rows: []wire.Row[string, card.StatusReason]{
		{Wire: "ACT", Domain: card.ReasonACT}, {Wire: "ADD", Domain: card.ReasonADD},
		{Wire: "AUX", Domain: card.ReasonAUX}, {Wire: "CLO", Domain: card.ReasonCLO},
		{Wire: "COM", Domain: card.ReasonCOM}, {Wire: "DOB", Domain: card.ReasonDOB},
		{Wire: "EML", Domain: card.ReasonEML}, {Wire: "EXP", Domain: card.ReasonEXP},
		{Wire: "FRD", Domain: card.ReasonFRD}, {Wire: "FUL", Domain: card.ReasonFUL},
		{Wire: "INA", Domain: card.ReasonINA}, {Wire: "INF", Domain: card.ReasonINF},
		{Wire: "ISS", Domain: card.ReasonISS}, {Wire: "KYC", Domain: card.ReasonKYC},
		{Wire: "LOS", Domain: card.ReasonLOS}, {Wire: "MAT", Domain: card.ReasonMAT},
		{Wire: "NAM", Domain: card.ReasonNAM}, {Wire: "NEG", Domain: card.ReasonNEG},
		{Wire: "NEW", Domain: card.ReasonNEW}, {Wire: "OTH", Domain: card.ReasonOTH},
		{Wire: "OUT", Domain: card.ReasonOUT}, {Wire: "PHO", Domain: card.ReasonPHO},
		{Wire: "PIN", Domain: card.ReasonPIN}, {Wire: "PRC", Domain: card.ReasonPRC},
		{Wire: "REQ", Domain: card.ReasonREQ}, {Wire: "REV", Domain: card.ReasonREV},
		{Wire: "SSN", Domain: card.ReasonSSN}, {Wire: "STO", Domain: card.ReasonSTO},
		{Wire: "SUS", Domain: card.ReasonSUS}, {Wire: "TMP", Domain: card.ReasonTMP},
		{Wire: "UNK", Domain: card.ReasonUNK},
		// Activated as a replacement: Synctera says NEW for any activation.
		{Wire: "NEW", Domain: card.ReasonRIS, Dir: wire.Out},
		// Lost or stolen, "not captured": Synctera does not say whether.
		{Wire: "LOS", Domain: card.ReasonLNC, Dir: wire.Out},
		{Wire: "STO", Domain: card.ReasonSNC, Dir: wire.Out},
	}}
	typeTable = wire.Table[string, card.Type]{Field: "type", What: "Synctera card type", Rows: []wire.Row[string, card.Type]{
		{Wire: "DEBIT", Domain: card.TypeDebit},
		{Wire: "PREPAID", Domain: card.TypePrepaid},
		// A gift card is a prepaid card of a fixed amount.
		{Wire: "PREPAID", Domain: card.TypeGift, Dir: wire.Out},
	}}
	formTable = wire.Table[string, card.Form]{Field: "form", What: "Synctera card form", Rows: []wire.Row[string, card.Form]{
		{Wire: "PHYSICAL", Domain: card.FormPhysical},
		{Wire: "VIRTUAL", Domain: card.FormVirtual},
	}}
	brandTable = wire.Table[string, card.Brand]{Field: "card_brand", What: "Synctera card brand", Rows: []wire.Row[string, card.Brand]{
		{Wire: "MASTERCARD", Domain: card.BrandMastercard},
		{Wire: "VISA", Domain: card.BrandVisa},
	}}
	methodTable = wire.Table[string, card.ShippingMethod]{Field: "method", What: "Synctera shipping method", Rows: []wire.Row[string, card.ShippingMethod]{
		{Wire: "LOCAL_MAIL", Domain: card.ShippingNormal}, // the default: standard domestic mail
		{Wire: "LOCAL_PRIORITY", Domain: card.ShippingPriority},
		{Wire: "TWO_DAY", Domain: card.ShippingTwoDay},
		{Wire: "OVERNIGHT", Domain: card.ShippingOvernight},
		{Wire: "INTERNATIONAL", Domain: card.ShippingInternational},
		{Wire: "INTERNATIONAL_GROUND", Domain: card.ShippingInternationalGround},
		{Wire: "INTERNATIONAL_PRIORITY", Domain: card.ShippingInternationalPriority},
	}}
	deliveryTable = wire.Table[string, card.DeliveryStatus]{Field: "card_fulfillment_status", What: "Synctera fulfillment status", Rows: []wire.Row[string, card.DeliveryStatus]{
		{Wire: "DIGITALLY_PRESENTED", Domain: card.DeliveryDigitallyPresented},
		{Wire: "ISSUED", Domain: card.DeliveryIssued},
		{Wire: "ORDERED", Domain: card.DeliveryOrdered},
		{Wire: "REISSUED", Domain: card.DeliveryReissued},
		{Wire: "REJECTED", Domain: card.DeliveryRejected},
		{Wire: "REORDERED", Domain: card.DeliveryReordered},
		{Wire: "SHIPPED", Domain: card.DeliveryShipped},
	}}
	reissueTable = wire.Table[string, card.ReissueReason]{Field: "reissue_reason", What: "Synctera reissue reason", Rows: []wire.Row[string, card.ReissueReason]{
		{Wire: "APPEARANCE", Domain: card.ReissueReasonAppearance},
		{Wire: "DAMAGED", Domain: card.ReissueReasonDamaged},
		{Wire: "EXPIRATION", Domain: card.ReissueReasonExpiration},
		{Wire: "LOST", Domain: card.ReissueReasonLost},
		{Wire: "NAME_CHANGE", Domain: card.ReissueReasonNameChange},
		{Wire: "PRODUCT_CHANGE", Domain: card.ReissueReasonProductChange},
		{Wire: "STOLEN", Domain: card.ReissueReasonStolen},
		{Wire: "VIRTUAL_TO_PHYSICAL", Domain: card.ReissueReasonVirtualToPhysical},
	}}
)

// Limits Synctera adds to the domain's rules.
var (
	recipientLimit = card.TextLimit{Max: 30}  // shipping.recipient_name parts
	addressLimit   = card.TextLimit{Max: 100} // shipping.address lines
	memoLimit      = card.RuleMemo.Limit()    // 255, as the domain's
)

// Mappings lists every mapping table of the package, row by row.
func Mappings() []wire.Mapping {
	var out []wire.Mapping
	out = append(out, statusTable.Mappings()...)
	out = append(out, reasonTable.Mappings()...)
	out = append(out, typeTable.Mappings()...)
	out = append(out, formTable.Mappings()...)
	out = append(out, brandTable.Mappings()...)
	out = append(out, wire.Prefix("shipping", methodTable.Mappings())...)
	out = append(out, deliveryTable.Mappings()...)
	out = append(out, reissueTable.Mappings()...)
	return out
}

// Fields lists where each field of the neutral card sits in Synctera's
// card JSON, for reports that name a Synctera field.
func Fields() []wire.Field {
	return []wire.Field{
		{Domain: "provider_refs", Wire: "id"},
		{Domain: "tenant", Wire: "tenant"},
		{Domain: "account_id", Wire: "account_id"},
		{Domain: "holder.customer_id", Wire: "customer_id"},
		{Domain: "holder.business_id", Wire: "business_id"},
		{Domain: "type", Wire: "type"},
		{Domain: "form", Wire: "form"},
		{Domain: "brand", Wire: "card_brand"},
		{Domain: "product_id", Wire: "card_product_id"},
		{Domain: "image_id", Wire: "card_image_id"},
		{Domain: "status", Wire: "card_status"},
		{Domain: "status_reason", Wire: "status_reason"},
		{Domain: "memo", Wire: "memo"},
		{Domain: "pending.bulk_shipment", Wire: "pending_reasons.is_waiting_for_bulk_shipment"},
		{Domain: "pending.image", Wire: "pending_reasons.is_waiting_for_image"},
		{Domain: "pending.pin", Wire: "pending_reasons.is_waiting_for_pin"},
		{Domain: "bin", Wire: "bin"},
		{Domain: "last_four", Wire: "last_four"},
		{Domain: "expiry", Wire: "expiration_month"},
		{Domain: "emboss.line1", Wire: "emboss_name.line_1"},
		{Domain: "emboss.line2", Wire: "emboss_name.line_2"},
		{Domain: "shipping.method", Wire: "shipping.method"},
		{Domain: "shipping.address.line1", Wire: "shipping.address.address_line_1"},
		{Domain: "shipping.address.line2", Wire: "shipping.address.address_line_2"},
		{Domain: "shipping.address.city", Wire: "shipping.address.city"},
		{Domain: "shipping.address.region", Wire: "shipping.address.state"},
		{Domain: "shipping.address.postal_code", Wire: "shipping.address.postal_code"},
		{Domain: "shipping.address.country", Wire: "shipping.address.country_code"},
		{Domain: "shipping.recipient.first_name", Wire: "shipping.recipient_name.first_name"},
		{Domain: "shipping.recipient.middle_name", Wire: "shipping.recipient_name.middle_name"},
		{Domain: "shipping.recipient.last_name", Wire: "shipping.recipient_name.last_name"},
		{Domain: "shipping.recipient.care_of", Wire: "shipping.care_of_line"},
		{Domain: "shipping.recipient.phone", Wire: "shipping.phone_number"},
		{Domain: "shipping.status", Wire: "card_fulfillment_status"},
		{Domain: "shipping.tracking_number", Wire: "fulfillment_details.tracking_number"},
		{Domain: "shipping.shipped_at", Wire: "fulfillment_details.ship_date"},
		{Domain: "pin_set", Wire: "is_pin_set"},
		{Domain: "pin_set_at", Wire: "timestamp_pin_set"},
		{Domain: "reissue.from", Wire: "reissued_from_id"},
		{Domain: "reissue.to", Wire: "reissued_to_id"},
		{Domain: "reissue.reason", Wire: "reissue_reason"},
		{Domain: "metadata", Wire: "metadata"},
		{Domain: "created_at", Wire: "creation_time"},
		{Domain: "updated_at", Wire: "last_modified_time"},
	}
}

// Residue is what a Synctera document holds that the neutral card does not:
// kept beside the card so that a round trip through Synctera gives back the
// same JSON, and listed (Dropped) when the card goes to another provider.
type Residue struct {
	Unknown wire.Unknown // members this package does not know

	ExpirationTime         string          // expiration_time: the instant the card expires
	BIN                    string          // bin when it is not 6 or 8 digits, such as "<string>"
	PendingReasons         *PendingReasons // pending_reasons as sent, when the three flags do not say it all
	NoPINFlag              bool            // is_pin_set was absent
	TrackingNumber         string          // tracking_number: the deprecated free text
	PhysicalCardFormat     string          // physical_card_format: CHIP, CONTACTLESS, ...
	IsExpeditedFulfillment *bool           // shipping.is_expedited_fulfillment: deprecated
	FulfillmentMethod      string          // fulfillment_details.shipping_method: the carrier's words

	// How creation_time, last_modified_time and timestamp_pin_set were
	// spelled.
	created, modified, pinSet wire.Stamp
	// The emboss lines as sent: Synctera's own, not checked again when
	// they go back unchanged.
	emboss card.Emboss
}

// Dropped lists every field the residue holds, with the Synctera JSON path
// and why the neutral card has no place for it.
func (r *Residue) Dropped() []card.FieldError {
	if r == nil {
		return nil
	}
	var out wire.Notes
	add := out.Add
	add(r.ExpirationTime != "", "expiration_time", "Synctera's exact expiry instant; the neutral card keeps the month")
	add(r.BIN != "", "bin", "not a BIN of 6 or 8 digits")
	add(r.PendingReasons != nil, "pending_reasons", "flags sent as false or absent are not kept")
	add(r.TrackingNumber != "", "tracking_number", "Synctera's deprecated free-text tracking line")
	add(r.PhysicalCardFormat != "", "physical_card_format", "Synctera's plastic format; no neutral field")
	add(r.IsExpeditedFulfillment != nil, "shipping.is_expedited_fulfillment", "deprecated by Synctera; the method says it")
	add(r.FulfillmentMethod != "", "fulfillment_details.shipping_method", "the carrier's own words for the method")
	out.Unknown(r.Unknown, "Synctera")
	return out
}

// DecodeCard decodes a Synctera card response into the neutral card and
// what it holds beyond it. The card's own ID is left zero; Synctera's id is
// ProviderRefs["synctera"].
func DecodeCard(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("synctera.DecodeCard", cardJSON, data, CardFromWire)
}

// EncodeCard encodes c as a Synctera card response; r, from DecodeCard,
// may be nil.
func EncodeCard(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, CardToWire, cardJSON.Marshal)
}

// DecodeCardRequest decodes the body of POST /v0/cards into the card it
// asks for.
func DecodeCardRequest(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("synctera.DecodeCardRequest", cardRequestJSON, data, RequestFromWire)
}

// EncodeCardRequest encodes the body of POST /v0/cards that asks for c.
func EncodeCardRequest(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, RequestToWire, cardRequestJSON.Marshal)
}

// CardFromWire maps a decoded Synctera card to the neutral card. It takes
// the unknown members out of w into the residue.
func CardFromWire(w *Card) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("synctera.CardFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: cardJSON.TakeUnknown(w)}
	c := card.Card{
		Tenant:    w.Tenant,
		AccountID: w.AccountID,
		Holder:    card.Holder{CustomerID: w.CustomerID, BusinessID: w.BusinessID},
		ProductID: w.CardProductID,
		ImageID:   w.CardImageID,
		Memo:      w.Memo,
		LastFour:  wire.LastFour(&p, "last_four", w.LastFour),
		Metadata:  w.Metadata,
	}
	if w.ID != "" {
		c.ProviderRefs = map[string]string{Name: w.ID}
	}
	c.Status = statusTable.In(&p, "", w.CardStatus, true)
	c.StatusReason = reasonTable.In(&p, "", w.StatusReason, false)
	if c.Status == card.StatusSuspended && c.StatusReason == card.ReasonREQ {
		c.HeldBy = card.ActorProgram // "Requested by you": the program placed the hold
	}
	c.Type = typeTable.In(&p, "", w.Type, true)
	c.Form = formTable.In(&p, "", w.Form, true)
	c.Brand = brandTable.In(&p, "", w.CardBrand, false)
	if pr := w.PendingReasons; pr != nil {
		c.Pending = card.PendingReasons{BulkShipment: isTrue(pr.IsWaitingForBulkShipment), Image: isTrue(pr.IsWaitingForImage), PIN: isTrue(pr.IsWaitingForPIN)}
		if !pendingOf(c.Pending).equal(pr) {
			r.PendingReasons = wire.Fresh(pr)
		}
	}
	if card.ValidBIN(w.BIN) {
		c.BIN = w.BIN
	} else {
		r.BIN = wire.NoNumber(&p, "bin", w.BIN)
	}
	if w.ExpirationMonth != "" || w.ExpirationYear != "" {
		m := wire.ParseMonth(&p, "expiration_month", w.ExpirationMonth)
		y := wire.ParseYear(&p, "expiration_year", w.ExpirationYear, 2)
		c.Expiry = wire.Expiry(&p, "expiration_year", y, m)
	}
	r.ExpirationTime = w.ExpirationTime
	if w.ExpirationTime != "" {
		wire.ParseTime(&p, "expiration_time", w.ExpirationTime)
	}
	if e := w.EmbossName; e != nil {
		c.Emboss = card.Emboss{Line1: e.Line1, Line2: e.Line2}
		r.emboss = c.Emboss
	}
	c.PINSet, r.NoPINFlag = isTrue(w.IsPINSet), w.IsPINSet == nil
	c.PINSetAt = r.pinSet.Parse(&p, "timestamp_pin_set", w.TimestampPINSet)
	c.Reissue = card.ReissueLink{From: w.ReissuedFromID, To: w.ReissuedToID}
	c.Reissue.Reason = reissueTable.In(&p, "", w.ReissueReason, w.ReissuedFromID != "") // required with the card replaced
	c.CreatedAt = r.created.Parse(&p, "creation_time", w.CreationTime)
	c.UpdatedAt = r.modified.Parse(&p, "last_modified_time", w.LastModifiedTime)

	c.Shipping = shippingFromWire(&p, w.Shipping, r)
	if w.CardFulfillmentStatus != "" || w.FulfillmentDetails != nil {
		if c.Shipping == nil {
			c.Shipping = &card.Shipping{}
		}
		c.Shipping.Status = deliveryTable.In(&p, "", w.CardFulfillmentStatus, false)
		if fd := w.FulfillmentDetails; fd != nil {
			c.Shipping.TrackingNumber = fd.TrackingNumber
			r.FulfillmentMethod = fd.ShippingMethod
			if fd.ShipDate != "" {
				t, err := time.Parse(wire.LayoutDate, fd.ShipDate)
				if err != nil {
					p.AddValue("fulfillment_details.ship_date", card.CodeFormat, fd.ShipDate, "a date yyyy-MM-dd")
				}
				c.Shipping.ShippedAt = t
			}
		}
	}
	r.TrackingNumber = w.TrackingNumber
	r.PhysicalCardFormat = physicalFormat(&p, w.PhysicalCardFormat)
	if err := p.Err("synctera.DecodeCard"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// CardToWire maps the neutral card to a Synctera card response. r may be
// nil. A value Synctera cannot express, or a text over Synctera's limits,
// is an error naming the Synctera field.
func CardToWire(c *card.Card, r *Residue) (*Card, error) {
	if c == nil {
		return nil, wire.Nil("synctera.CardToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &Card{
		Tenant:        c.Tenant,
		AccountID:     c.AccountID,
		CustomerID:    c.Holder.CustomerID,
		BusinessID:    c.Holder.BusinessID,
		CardProductID: c.ProductID,
		CardImageID:   c.ImageID,
		Memo:          c.Memo,
		ID:            c.ProviderRefs[Name],
		LastFour:      wire.LastFour(&p, "last_four", c.LastFour),
		Metadata:      c.Metadata,
		BIN:           wire.Or(wire.NoNumber(&p, "bin", r.BIN), wire.NoNumber(&p, "bin", c.BIN)),
	}
	wire.Text(&p, "memo", c.Memo, memoLimit)
	w.CardStatus = statusTable.Out(&p, "", c.Status, true)
	w.StatusReason = reasonTable.Out(&p, "", c.StatusReason, false)
	w.Type = typeTable.Out(&p, "", c.Type, true)
	w.Form = formTable.Out(&p, "", c.Form, true)
	w.CardBrand = brandTable.Out(&p, "", c.Brand, false)
	switch {
	case r.PendingReasons != nil:
		w.PendingReasons = wire.Fresh(r.PendingReasons)
	case !c.Pending.IsZero():
		w.PendingReasons = pendingOf(c.Pending)
	}
	if !c.Expiry.IsZero() {
		w.ExpirationMonth = wire.Pad2(int(c.Expiry.Month))
		w.ExpirationYear = wire.Pad2(c.Expiry.Year % 100)
	}
	w.ExpirationTime = r.ExpirationTime
	w.EmbossName = embossToWire(&p, c.Emboss, r.emboss)
	if !r.NoPINFlag || c.PINSet {
		set := c.PINSet // a copy: a pointer into c would move the card to the heap
		w.IsPINSet = &set
	}
	w.TimestampPINSet = r.pinSet.Format(c.PINSetAt, wire.LayoutNano)
	w.ReissuedFromID, w.ReissuedToID = c.Reissue.From, c.Reissue.To
	w.ReissueReason = reissueTable.Out(&p, "", c.Reissue.Reason, c.Reissue.From != "")
	w.CreationTime = r.created.Format(c.CreatedAt, wire.LayoutNano)
	w.LastModifiedTime = r.modified.Format(c.UpdatedAt, wire.LayoutNano)
	if s := c.Shipping; s != nil {
		w.Shipping = shippingToWire(&p, s, r)
		w.CardFulfillmentStatus = deliveryTable.Out(&p, "", s.Status, false)
		if s.TrackingNumber != "" || !s.ShippedAt.IsZero() || r.FulfillmentMethod != "" {
			w.FulfillmentDetails = &FulfillmentDetails{
				ShipDate:       wire.FormatTime(s.ShippedAt, wire.LayoutDate),
				ShippingMethod: r.FulfillmentMethod,
				TrackingNumber: s.TrackingNumber,
			}
		}
	}
	w.TrackingNumber = r.TrackingNumber
	w.PhysicalCardFormat = physicalFormat(&p, r.PhysicalCardFormat)
	if err := p.Err("synctera.EncodeCard"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// RequestFromWire maps a decoded issue request to the card it asks for.
// It takes the unknown members out of w into the residue.
func RequestFromWire(w *CardRequest) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("synctera.RequestFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: cardRequestJSON.TakeUnknown(w)}
	c := card.Card{
		AccountID: w.AccountID,
		Holder:    card.Holder{CustomerID: w.CustomerID, BusinessID: w.BusinessID},
		ProductID: w.CardProductID,
		ImageID:   w.CardImageID,
		Metadata:  w.Metadata,
		Reissue:   card.ReissueLink{From: w.ReissuedFromID},
	}
	if w.AccountID == "" {
		p.Add("account_id", card.CodeRequired, "")
	}
	if w.CardProductID == "" {
		p.Add("card_product_id", card.CodeRequired, "")
	}
	c.Type = typeTable.In(&p, "", w.Type, true)
	c.Form = formTable.In(&p, "", w.Form, true)
	c.Reissue.Reason = reissueTable.In(&p, "", w.ReissueReason, w.ReissuedFromID != "") // required with the card replaced
	if e := w.EmbossName; e != nil {
		// Optional (the customer's name by default), but line_1 is
		// required in one.
		if e.Line1 == "" {
			p.Add("emboss_name.line_1", card.CodeRequired, "")
		}
		c.Emboss = card.Emboss{Line1: e.Line1, Line2: e.Line2}
	}
	c.Shipping = shippingFromWire(&p, w.Shipping, r)
	if err := p.Err("synctera.DecodeCardRequest"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// RequestToWire maps the card asked for to the body of POST /v0/cards.
// Synctera requires the account, the card product, the type and the form.
func RequestToWire(c *card.Card, r *Residue) (*CardRequest, error) {
	if c == nil {
		return nil, wire.Nil("synctera.RequestToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &CardRequest{
		AccountID:      c.AccountID,
		CardProductID:  c.ProductID,
		CustomerID:     c.Holder.CustomerID,
		BusinessID:     c.Holder.BusinessID,
		CardImageID:    c.ImageID,
		Metadata:       c.Metadata,
		ReissuedFromID: c.Reissue.From,
	}
	if c.AccountID == "" {
		p.Add("account_id", card.CodeRequired, "Synctera issues a card on an account")
	}
	if c.ProductID == "" {
		p.Add("card_product_id", card.CodeRequired, "Synctera issues a card of a card product")
	}
	w.Type = typeTable.Out(&p, "", c.Type, true)
	w.Form = formTable.Out(&p, "", c.Form, true)
	w.ReissueReason = reissueTable.Out(&p, "", c.Reissue.Reason, c.Reissue.From != "")
	w.EmbossName = embossToWire(&p, c.Emboss, card.Emboss{})
	if c.Shipping != nil {
		w.Shipping = shippingToWire(&p, c.Shipping, r)
	}
	if err := p.Err("synctera.EncodeCardRequest"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// embossToWire writes e, checked against Synctera's limit unless it is
// sent, what Synctera itself sent.
func embossToWire(p *card.Problems, e, sent card.Emboss) *EmbossName {
	if e.IsZero() {
		return nil
	}
	if e == sent {
		return &EmbossName{Line1: e.Line1, Line2: e.Line2}
	}
	if e.Line1 == "" {
		p.Add("emboss_name.line_1", card.CodeRequired, "Synctera needs line 1 with a line 2")
	}
	card.RuleEmbossLine.Check(p, "emboss_name.line_1", e.Line1)
	wire.Text(p, "emboss_name.line_2", e.Line2, card.RuleEmbossLine.Limit())
	return &EmbossName{Line1: e.Line1, Line2: e.Line2}
}

func shippingFromWire(p *card.Problems, w *Shipping, r *Residue) *card.Shipping {
	if w == nil {
		return nil
	}
	s := &card.Shipping{
		Recipient: card.Recipient{CareOf: w.CareOfLine, Phone: w.PhoneNumber},
	}
	s.Method = methodTable.In(p, "shipping", w.Method, false)
	r.IsExpeditedFulfillment = w.IsExpeditedFulfillment
	if n := w.RecipientName; n != nil {
		s.Recipient.FirstName, s.Recipient.MiddleName, s.Recipient.LastName = n.FirstName, n.MiddleName, n.LastName
	}
	if a := w.Address; a != nil {
		s.Address = card.Address{Line1: a.AddressLine1, Line2: a.AddressLine2, City: a.City, Region: a.State, PostalCode: a.PostalCode}
		s.Address.Country = country(p, "shipping.address.country_code", a.CountryCode)
	}
	return s
}

func shippingToWire(p *card.Problems, s *card.Shipping, r *Residue) *Shipping {
	if s.Method == 0 && s.Address.IsZero() && s.Recipient.IsZero() && r.IsExpeditedFulfillment == nil {
		return nil
	}
	w := &Shipping{
		CareOfLine:             s.Recipient.CareOf,
		PhoneNumber:            s.Recipient.Phone,
		IsExpeditedFulfillment: r.IsExpeditedFulfillment,
	}
	w.Method = methodTable.Out(p, "shipping", s.Method, false)
	if n := s.Recipient; n.FirstName != "" || n.MiddleName != "" || n.LastName != "" {
		w.RecipientName = &RecipientName{FirstName: n.FirstName, MiddleName: n.MiddleName, LastName: n.LastName}
		wire.Text(p, "shipping.recipient_name.first_name", n.FirstName, recipientLimit)
		wire.Text(p, "shipping.recipient_name.middle_name", n.MiddleName, recipientLimit)
		wire.Text(p, "shipping.recipient_name.last_name", n.LastName, recipientLimit)
	}
	if a := s.Address; !a.IsZero() {
		w.Address = &Address{AddressLine1: a.Line1, AddressLine2: a.Line2, City: a.City, State: a.Region, PostalCode: a.PostalCode, CountryCode: a.Country.Alpha2()}
		wire.Text(p, "shipping.address.address_line_1", a.Line1, addressLimit)
		wire.Text(p, "shipping.address.address_line_2", a.Line2, addressLimit)
		for _, m := range [...]struct{ name, value string }{
			{"address_line_1", w.Address.AddressLine1}, {"city", w.Address.City}, {"state", w.Address.State},
			{"postal_code", w.Address.PostalCode}, {"country_code", w.Address.CountryCode},
		} {
			if m.value == "" { // Synctera requires each of these in a shipping address
				p.Add("shipping.address."+m.name, card.CodeRequired, "")
			}
		}
	}
	return w
}

// physicalFormats are the plastic formats Synctera lists.
var physicalFormats = []string{"CHIP", "CONTACT", "CONTACTLESS", "MAGNETIC_STRIPE", "PHYSICAL_COMBO"}

// physicalFormat is s, a physical_card_format kept as sent, if Synctera
// lists it or it is empty.
func physicalFormat(p *card.Problems, s string) string {
	if s != "" && !slices.Contains(physicalFormats, s) {
		p.AddValue("physical_card_format", card.CodeUnknownValue, s, "one of "+strings.Join(physicalFormats, ", "))
		return ""
	}
	return s
}

func country(p *card.Problems, field, code string) card.Country {
	if code == "" {
		return 0
	}
	c, err := card.ParseCountry(code)
	if err != nil {
		p.AddValue(field, card.CodeUnknownValue, code, "not a country cardkit knows")
	}
	return c
}

func isTrue(b *bool) bool { return b != nil && *b }

// pendingOf writes the three flags as Synctera sends them: each one.
func pendingOf(pr card.PendingReasons) *PendingReasons {
	return &PendingReasons{
		IsWaitingForBulkShipment: &pr.BulkShipment,
		IsWaitingForImage:        &pr.Image,
		IsWaitingForPIN:          &pr.PIN,
	}
}

func (a *PendingReasons) equal(b *PendingReasons) bool {
	same := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return same(a.IsWaitingForBulkShipment, b.IsWaitingForBulkShipment) &&
		same(a.IsWaitingForImage, b.IsWaitingForImage) &&
		same(a.IsWaitingForPIN, b.IsWaitingForPIN) && len(b.Unknown) == 0
}

// UnknownMembers is the members of the decoded document this package does
// not know, by the path of their object.
func (r *Residue) UnknownMembers() wire.Unknown {
	if r == nil {
		return nil
	}
	return r.Unknown
}
