package offblocks

import (
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// CardRequest is the body of POST /v1/accounts/{accountId}/cards. The
// account is a path parameter, not a member (see IssuePath).
type CardRequest struct {
	Type            string   `json:"type"` // required: virtual
	BillingAddress  *Address `json:"billingAddress,omitzero"`
	ShippingAddress *Address `json:"shippingAddress,omitzero"` // physical cards, which OffBlocks does not issue yet

	Unknown jsontext.Value `json:",embed"`
}

// Card is OffBlocks' card: the 201 response of the issue call and the body
// of GET /v1/cards/{cardId}. While the card is issuing it comes without
// name, network, maskedPan and expirationDate.
type Card struct {
	ID             string   `json:"id,omitempty"`
	AccountID      string   `json:"accountId,omitempty"`
	Type           string   `json:"type"`
	Name           string   `json:"name,omitempty"`           // the cardholder's name
	Network        string   `json:"network,omitempty"`        // visa, mastercard
	MaskedPAN      string   `json:"maskedPan,omitempty"`      // first 6, '*'s, last 4
	ExpirationDate string   `json:"expirationDate,omitempty"` // MM/YYYY
	BillingAddress *Address `json:"billingAddress,omitzero"`
	Status         string   `json:"status"`
	CreatedAt      string   `json:"createdAt,omitempty"` // RFC 3339, nanoseconds
	UpdatedAt      string   `json:"updatedAt,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// Address is OffBlocks' address; country is ISO 3166-1 alpha-2.
type Address struct {
	FirstLine  string `json:"firstLine,omitempty"`
	SecondLine string `json:"secondLine,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country,omitempty"`
	PostCode   string `json:"postCode,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// The codecs of the wire structs: each table lists the struct's members in
// the order of its fields, as its json tags say (TestCodecs checks them).
var (
	addressJSON = wire.NewCodec(func(w *Address) *jsontext.Value { return &w.Unknown },
		wire.String("firstLine", wire.OmitEmpty, func(w *Address) *string { return &w.FirstLine }),
		wire.String("secondLine", wire.OmitEmpty, func(w *Address) *string { return &w.SecondLine }),
		wire.String("city", wire.OmitEmpty, func(w *Address) *string { return &w.City }),
		wire.String("state", wire.OmitEmpty, func(w *Address) *string { return &w.State }),
		wire.String("country", wire.OmitEmpty, func(w *Address) *string { return &w.Country }),
		wire.String("postCode", wire.OmitEmpty, func(w *Address) *string { return &w.PostCode }),
	)
	cardRequestJSON = wire.NewCodec(func(w *CardRequest) *jsontext.Value { return &w.Unknown },
		wire.String("type", wire.Keep, func(w *CardRequest) *string { return &w.Type }),
		wire.Object("billingAddress", wire.OmitZero, func(w *CardRequest) **Address { return &w.BillingAddress }, addressJSON),
		wire.Object("shippingAddress", wire.OmitZero, func(w *CardRequest) **Address { return &w.ShippingAddress }, addressJSON),
	)
	cardJSON = wire.NewCodec(func(w *Card) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.OmitEmpty, func(w *Card) *string { return &w.ID }),
		wire.String("accountId", wire.OmitEmpty, func(w *Card) *string { return &w.AccountID }),
		wire.String("type", wire.Keep, func(w *Card) *string { return &w.Type }),
		wire.String("name", wire.OmitEmpty, func(w *Card) *string { return &w.Name }),
		wire.String("network", wire.OmitEmpty, func(w *Card) *string { return &w.Network }),
		wire.String("maskedPan", wire.OmitEmpty, func(w *Card) *string { return &w.MaskedPAN }),
		wire.String("expirationDate", wire.OmitEmpty, func(w *Card) *string { return &w.ExpirationDate }),
		wire.Object("billingAddress", wire.OmitZero, func(w *Card) **Address { return &w.BillingAddress }, addressJSON),
		wire.String("status", wire.Keep, func(w *Card) *string { return &w.Status }),
		wire.String("createdAt", wire.OmitEmpty, func(w *Card) *string { return &w.CreatedAt }),
		wire.String("updatedAt", wire.OmitEmpty, func(w *Card) *string { return &w.UpdatedAt }),
	)
)

// HeaderIdempotencyKey is the header every modifying OffBlocks call needs.
const HeaderIdempotencyKey = "Idempotency-Key"

// IdempotencyKey is the value of the Idempotency-Key header, which
// OffBlocks requires on every POST, PUT, PATCH and DELETE: a UUID, valid
// for one hour.
type IdempotencyKey uuid.UUID

// ParseIdempotencyKey checks that s is a UUID.
func ParseIdempotencyKey(s string) (IdempotencyKey, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		var p card.Problems
		p.Add(HeaderIdempotencyKey, card.CodeFormat, "OffBlocks wants a UUID")
		return IdempotencyKey{}, p.Err("offblocks.ParseIdempotencyKey")
	}
	return IdempotencyKey(u), nil
}

// NewIdempotencyKey makes a random (version 4) key.
func NewIdempotencyKey() IdempotencyKey { return IdempotencyKey(uuid.New()) }

// String is the header value.
func (k IdempotencyKey) String() string { return uuid.UUID(k).String() }

// IssuePath is the path of the issue call for an account.
func IssuePath(accountID string) string { return "/v1/accounts/" + accountID + "/cards" }

// EachUnknown calls visit for each object of the request; see
// wire.Objects.
func (w *CardRequest) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.BillingAddress != nil {
		visit("billingAddress", &w.BillingAddress.Unknown)
	}
	if w.ShippingAddress != nil {
		visit("shippingAddress", &w.ShippingAddress.Unknown)
	}
}

// EachUnknown calls visit for each object of the card; see wire.Objects.
func (w *Card) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.BillingAddress != nil {
		visit("billingAddress", &w.BillingAddress.Unknown)
	}
}
