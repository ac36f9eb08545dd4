package synctera

import (
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters/wire"
)

// CardRequest is the body of POST /v0/cards, which issues a card and, with
// reissued_from_id and reissue_reason, reissues one. The seed shows the
// virtual request; shipping and card_image_id are the physical request's
// (providers/synctera.md §3).
type CardRequest struct {
	AccountID      string            `json:"account_id"`      // required, uuid
	CardProductID  string            `json:"card_product_id"` // required, uuid
	Type           string            `json:"type"`            // required: DEBIT, PREPAID
	Form           string            `json:"form"`            // required: PHYSICAL, VIRTUAL
	BusinessID     string            `json:"business_id,omitempty"`
	CustomerID     string            `json:"customer_id,omitempty"`
	EmbossName     *EmbossName       `json:"emboss_name,omitzero"`
	Metadata       map[string]string `json:"metadata,omitzero"`
	ReissueReason  string            `json:"reissue_reason,omitempty"`
	ReissuedFromID string            `json:"reissued_from_id,omitempty"`
	CardImageID    string            `json:"card_image_id,omitempty"` // physical
	Shipping       *Shipping         `json:"shipping,omitzero"`       // physical

	Unknown jsontext.Value `json:",embed"`
}

// Card is the card_response of POST /v0/cards, GET and PATCH /v0/cards/{id}:
// the virtual card's members, and for a physical card its shipping and
// fulfilment.
type Card struct {
	CardStatus     string          `json:"card_status"` // required
	Memo           string          `json:"memo,omitempty"`
	PendingReasons *PendingReasons `json:"pending_reasons,omitzero"`
	StatusReason   string          `json:"status_reason,omitempty"` // a three-letter code

	AccountID        string            `json:"account_id,omitempty"`
	BusinessID       string            `json:"business_id,omitempty"`
	CardProductID    string            `json:"card_product_id,omitempty"`
	CreationTime     string            `json:"creation_time,omitempty"` // RFC 3339
	CustomerID       string            `json:"customer_id,omitempty"`
	EmbossName       *EmbossName       `json:"emboss_name,omitzero"`
	ExpirationMonth  string            `json:"expiration_month,omitempty"` // "06"
	ExpirationTime   string            `json:"expiration_time,omitempty"`  // RFC 3339
	ExpirationYear   string            `json:"expiration_year,omitempty"`  // "25"
	ID               string            `json:"id,omitempty"`
	IsPINSet         *bool             `json:"is_pin_set,omitzero"`
	LastFour         string            `json:"last_four,omitempty"`
	LastModifiedTime string            `json:"last_modified_time,omitempty"` // RFC 3339
	Metadata         map[string]string `json:"metadata,omitzero"`
	ReissueReason    string            `json:"reissue_reason,omitempty"`
	ReissuedFromID   string            `json:"reissued_from_id,omitempty"`
	ReissuedToID     string            `json:"reissued_to_id,omitempty"`
	TimestampPINSet  string            `json:"timestamp_pin_set,omitempty"` // RFC 3339
	Type             string            `json:"type"`
	Form             string            `json:"form"`
	BIN              string            `json:"bin,omitempty"`
	CardBrand        string            `json:"card_brand,omitempty"`
	Tenant           string            `json:"tenant,omitempty"`

	// Physical cards only.
	CardImageID           string              `json:"card_image_id,omitempty"`
	Shipping              *Shipping           `json:"shipping,omitzero"`
	CardFulfillmentStatus string              `json:"card_fulfillment_status,omitempty"`
	FulfillmentDetails    *FulfillmentDetails `json:"fulfillment_details,omitzero"`
	TrackingNumber        string              `json:"tracking_number,omitempty"` // deprecated free text
	PhysicalCardFormat    string              `json:"physical_card_format,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// EmbossName is what is embossed on the card: at most 21 characters of
// A-Z a-z 0-9 space . , / - & '.
type EmbossName struct {
	Line1 string `json:"line_1"`
	Line2 string `json:"line_2,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// PendingReasons says what a PENDING card waits for.
type PendingReasons struct {
	IsWaitingForBulkShipment *bool `json:"is_waiting_for_bulk_shipment,omitzero"`
	IsWaitingForImage        *bool `json:"is_waiting_for_image,omitzero"`
	IsWaitingForPIN          *bool `json:"is_waiting_for_pin,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Shipping is how and where a physical card is shipped.
type Shipping struct {
	Address                *Address       `json:"address,omitzero"`
	CareOfLine             string         `json:"care_of_line,omitempty"`
	IsExpeditedFulfillment *bool          `json:"is_expedited_fulfillment,omitzero"` // deprecated
	Method                 string         `json:"method,omitempty"`                  // default LOCAL_MAIL
	PhoneNumber            string         `json:"phone_number,omitempty"`            // E.164
	RecipientName          *RecipientName `json:"recipient_name,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Address is Synctera's address1: country_code is ISO 3166-1 alpha-2.
type Address struct {
	AddressLine1 string `json:"address_line_1"`
	AddressLine2 string `json:"address_line_2,omitempty"`
	City         string `json:"city"`
	State        string `json:"state"`
	PostalCode   string `json:"postal_code"`
	CountryCode  string `json:"country_code"`

	Unknown jsontext.Value `json:",embed"`
}

// RecipientName is who a physical card is shipped to; each part at most 30
// characters.
type RecipientName struct {
	FirstName  string `json:"first_name"`
	MiddleName string `json:"middle_name,omitempty"`
	LastName   string `json:"last_name"`

	Unknown jsontext.Value `json:",embed"`
}

// FulfillmentDetails is what the card manufacturer reports of a shipment.
type FulfillmentDetails struct {
	ShipDate       string `json:"ship_date,omitempty"` // yyyy-MM-dd
	ShippingMethod string `json:"shipping_method,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// The codecs of the wire structs: each table lists the struct's members in
// the order of its fields, as its json tags say (TestCodecs checks them).
var (
	embossNameJSON = wire.NewCodec(func(w *EmbossName) *jsontext.Value { return &w.Unknown },
		wire.String("line_1", wire.Keep, func(w *EmbossName) *string { return &w.Line1 }),
		wire.String("line_2", wire.OmitEmpty, func(w *EmbossName) *string { return &w.Line2 }),
	)
	pendingReasonsJSON = wire.NewCodec(func(w *PendingReasons) *jsontext.Value { return &w.Unknown },
		wire.BoolPtr("is_waiting_for_bulk_shipment", wire.OmitZero, func(w *PendingReasons) **bool { return &w.IsWaitingForBulkShipment }),
		wire.BoolPtr("is_waiting_for_image", wire.OmitZero, func(w *PendingReasons) **bool { return &w.IsWaitingForImage }),
		wire.BoolPtr("is_waiting_for_pin", wire.OmitZero, func(w *PendingReasons) **bool { return &w.IsWaitingForPIN }),
	)
	addressJSON = wire.NewCodec(func(w *Address) *jsontext.Value { return &w.Unknown },
		wire.String("address_line_1", wire.Keep, func(w *Address) *string { return &w.AddressLine1 }),
		wire.String("address_line_2", wire.OmitEmpty, func(w *Address) *string { return &w.AddressLine2 }),
		wire.String("city", wire.Keep, func(w *Address) *string { return &w.City }),
		wire.String("state", wire.Keep, func(w *Address) *string { return &w.State }),
		wire.String("postal_code", wire.Keep, func(w *Address) *string { return &w.PostalCode }),
		wire.String("country_code", wire.Keep, func(w *Address) *string { return &w.CountryCode }),
	)
	recipientNameJSON = wire.NewCodec(func(w *RecipientName) *jsontext.Value { return &w.Unknown },
		wire.String("first_name", wire.Keep, func(w *RecipientName) *string { return &w.FirstName }),
		wire.String("middle_name", wire.OmitEmpty, func(w *RecipientName) *string { return &w.MiddleName }),
		wire.String("last_name", wire.Keep, func(w *RecipientName) *string { return &w.LastName }),
	)
	shippingJSON = wire.NewCodec(func(w *Shipping) *jsontext.Value { return &w.Unknown },
		wire.Object("address", wire.OmitZero, func(w *Shipping) **Address { return &w.Address }, addressJSON),
		wire.String("care_of_line", wire.OmitEmpty, func(w *Shipping) *string { return &w.CareOfLine }),
		wire.BoolPtr("is_expedited_fulfillment", wire.OmitZero, func(w *Shipping) **bool { return &w.IsExpeditedFulfillment }),
		wire.String("method", wire.OmitEmpty, func(w *Shipping) *string { return &w.Method }),
		wire.String("phone_number", wire.OmitEmpty, func(w *Shipping) *string { return &w.PhoneNumber }),
		wire.Object("recipient_name", wire.OmitZero, func(w *Shipping) **RecipientName { return &w.RecipientName }, recipientNameJSON),
	)
	fulfillmentDetailsJSON = wire.NewCodec(func(w *FulfillmentDetails) *jsontext.Value { return &w.Unknown },
		wire.String("ship_date", wire.OmitEmpty, func(w *FulfillmentDetails) *string { return &w.ShipDate }),
		wire.String("shipping_method", wire.OmitEmpty, func(w *FulfillmentDetails) *string { return &w.ShippingMethod }),
		wire.String("tracking_number", wire.OmitEmpty, func(w *FulfillmentDetails) *string { return &w.TrackingNumber }),
	)
	cardRequestJSON = wire.NewCodec(func(w *CardRequest) *jsontext.Value { return &w.Unknown },
		wire.String("account_id", wire.Keep, func(w *CardRequest) *string { return &w.AccountID }),
		wire.String("card_product_id", wire.Keep, func(w *CardRequest) *string { return &w.CardProductID }),
		wire.String("type", wire.Keep, func(w *CardRequest) *string { return &w.Type }),
		wire.String("form", wire.Keep, func(w *CardRequest) *string { return &w.Form }),
		wire.String("business_id", wire.OmitEmpty, func(w *CardRequest) *string { return &w.BusinessID }),
		wire.String("customer_id", wire.OmitEmpty, func(w *CardRequest) *string { return &w.CustomerID }),
		wire.Object("emboss_name", wire.OmitZero, func(w *CardRequest) **EmbossName { return &w.EmbossName }, embossNameJSON),
		wire.StringMap("metadata", wire.OmitZero, func(w *CardRequest) *map[string]string { return &w.Metadata }),
		wire.String("reissue_reason", wire.OmitEmpty, func(w *CardRequest) *string { return &w.ReissueReason }),
		wire.String("reissued_from_id", wire.OmitEmpty, func(w *CardRequest) *string { return &w.ReissuedFromID }),
		wire.String("card_image_id", wire.OmitEmpty, func(w *CardRequest) *string { return &w.CardImageID }),
		wire.Object("shipping", wire.OmitZero, func(w *CardRequest) **Shipping { return &w.Shipping }, shippingJSON),
	)
	cardJSON = wire.NewCodec(func(w *Card) *jsontext.Value { return &w.Unknown },
		wire.String("card_status", wire.Keep, func(w *Card) *string { return &w.CardStatus }),
		wire.String("memo", wire.OmitEmpty, func(w *Card) *string { return &w.Memo }),
		wire.Object("pending_reasons", wire.OmitZero, func(w *Card) **PendingReasons { return &w.PendingReasons }, pendingReasonsJSON),
		wire.String("status_reason", wire.OmitEmpty, func(w *Card) *string { return &w.StatusReason }),
		wire.String("account_id", wire.OmitEmpty, func(w *Card) *string { return &w.AccountID }),
		wire.String("business_id", wire.OmitEmpty, func(w *Card) *string { return &w.BusinessID }),
		wire.String("card_product_id", wire.OmitEmpty, func(w *Card) *string { return &w.CardProductID }),
		wire.String("creation_time", wire.OmitEmpty, func(w *Card) *string { return &w.CreationTime }),
		wire.String("customer_id", wire.OmitEmpty, func(w *Card) *string { return &w.CustomerID }),
		wire.Object("emboss_name", wire.OmitZero, func(w *Card) **EmbossName { return &w.EmbossName }, embossNameJSON),
		wire.String("expiration_month", wire.OmitEmpty, func(w *Card) *string { return &w.ExpirationMonth }),
		wire.String("expiration_time", wire.OmitEmpty, func(w *Card) *string { return &w.ExpirationTime }),
		wire.String("expiration_year", wire.OmitEmpty, func(w *Card) *string { return &w.ExpirationYear }),
		wire.String("id", wire.OmitEmpty, func(w *Card) *string { return &w.ID }),
		wire.BoolPtr("is_pin_set", wire.OmitZero, func(w *Card) **bool { return &w.IsPINSet }),
		wire.String("last_four", wire.OmitEmpty, func(w *Card) *string { return &w.LastFour }),
		wire.String("last_modified_time", wire.OmitEmpty, func(w *Card) *string { return &w.LastModifiedTime }),
		wire.StringMap("metadata", wire.OmitZero, func(w *Card) *map[string]string { return &w.Metadata }),
		wire.String("reissue_reason", wire.OmitEmpty, func(w *Card) *string { return &w.ReissueReason }),
		wire.String("reissued_from_id", wire.OmitEmpty, func(w *Card) *string { return &w.ReissuedFromID }),
		wire.String("reissued_to_id", wire.OmitEmpty, func(w *Card) *string { return &w.ReissuedToID }),
		wire.String("timestamp_pin_set", wire.OmitEmpty, func(w *Card) *string { return &w.TimestampPINSet }),
		wire.String("type", wire.Keep, func(w *Card) *string { return &w.Type }),
		wire.String("form", wire.Keep, func(w *Card) *string { return &w.Form }),
		wire.String("bin", wire.OmitEmpty, func(w *Card) *string { return &w.BIN }),
		wire.String("card_brand", wire.OmitEmpty, func(w *Card) *string { return &w.CardBrand }),
		wire.String("tenant", wire.OmitEmpty, func(w *Card) *string { return &w.Tenant }),
		wire.String("card_image_id", wire.OmitEmpty, func(w *Card) *string { return &w.CardImageID }),
		wire.Object("shipping", wire.OmitZero, func(w *Card) **Shipping { return &w.Shipping }, shippingJSON),
		wire.String("card_fulfillment_status", wire.OmitEmpty, func(w *Card) *string { return &w.CardFulfillmentStatus }),
		wire.Object("fulfillment_details", wire.OmitZero, func(w *Card) **FulfillmentDetails { return &w.FulfillmentDetails }, fulfillmentDetailsJSON),
		wire.String("tracking_number", wire.OmitEmpty, func(w *Card) *string { return &w.TrackingNumber }),
		wire.String("physical_card_format", wire.OmitEmpty, func(w *Card) *string { return &w.PhysicalCardFormat }),
	)
)

// IdempotencyKey is the value of the optional Idempotency-Key header of
// POST /v0/cards, PATCH /v0/cards/{id} and POST /v0/cards/activate: an
// arbitrary unique value, a UUID recommended. It belongs to the call, not
// to the body.
type IdempotencyKey string

// HeaderIdempotencyKey is the header's name.
const HeaderIdempotencyKey = "Idempotency-Key"

// EachUnknown calls visit for each object of the request; see
// wire.Objects.
func (w *CardRequest) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.EmbossName != nil {
		visit("emboss_name", &w.EmbossName.Unknown)
	}
	w.Shipping.eachUnknown(visit)
}

// EachUnknown calls visit for each object of the card; see wire.Objects.
func (w *Card) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.EmbossName != nil {
		visit("emboss_name", &w.EmbossName.Unknown)
	}
	if w.PendingReasons != nil {
		visit("pending_reasons", &w.PendingReasons.Unknown)
	}
	w.Shipping.eachUnknown(visit)
	if w.FulfillmentDetails != nil {
		visit("fulfillment_details", &w.FulfillmentDetails.Unknown)
	}
}

func (s *Shipping) eachUnknown(visit func(string, *jsontext.Value)) {
	if s == nil {
		return
	}
	visit("shipping", &s.Unknown)
	if s.Address != nil {
		visit("shipping.address", &s.Address.Unknown)
	}
	if s.RecipientName != nil {
		visit("shipping.recipient_name", &s.RecipientName.Unknown)
	}
}
