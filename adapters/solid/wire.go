package solid

import (
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// CardRequest is the body of POST /v1/card. Solid sends and takes money
// as decimal strings ("120.00") and merchant categories as 4-digit
// strings; leaving allowedCategories out allows every category.
type CardRequest struct {
	CardType          string    `json:"cardType"` // required: physical, virtual
	Label             string    `json:"label,omitempty"`
	AccountID         string    `json:"accountId,omitempty"`
	Currency          string    `json:"currency,omitempty"`
	LimitAmount       string    `json:"limitAmount,omitempty"`
	LimitInterval     string    `json:"limitInterval,omitempty"`
	BillingAddress    *Address  `json:"billingAddress,omitzero"`
	Shipping          *Shipping `json:"shipping,omitzero"`
	AllowedCategories []string  `json:"allowedCategories,omitzero"`
	BlockedCategories []string  `json:"blockedCategories,omitzero"`
	BIN               string    `json:"bin,omitempty"` // the program: credit, debit
	EmbossingPerson   string    `json:"embossingPerson,omitempty"`
	EmbossingBusiness string    `json:"embossingBusiness,omitempty"`

	// Members newer v1 samples show (providers/solid.md §3).
	ATMAccess        *bool          `json:"atmAccess,omitzero"`
	AllowedMerchants jsontext.Value `json:"allowedMerchants,omitzero"`
	BlockedMerchants jsontext.Value `json:"blockedMerchants,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Card is Solid's card object (the response of POST /v1/card and of the
// replace call). Solid writes an unset timestamp as "" and an unset list or
// object as null (see MarshalNulls); every id carries a prefix (crd-, acc-, bus-, prg-, chd-,
// per-, shp-) and is kept as given.
type Card struct {
	ID                string            `json:"id"`
	AccountID         string            `json:"accountId"`
	BusinessID        string            `json:"businessId"`
	ProgramID         string            `json:"programId"`
	Cardholder        *Cardholder       `json:"cardholder,omitzero"`
	CardType          string            `json:"cardType"`
	Label             string            `json:"label"`
	LimitAmount       string            `json:"limitAmount"`
	LimitInterval     string            `json:"limitInterval"`
	Shipping          *Shipping         `json:"shipping"` // null for a virtual card
	Currency          string            `json:"currency"`
	ExpiryMonth       string            `json:"expiryMonth"` // "12"
	ExpiryYear        string            `json:"expiryYear"`  // "2022"
	Last4             string            `json:"last4"`
	CardStatus        string            `json:"cardStatus"`
	ActivatedAt       string            `json:"activatedAt"` // "" until activated
	CreatedAt         string            `json:"createdAt"`
	ModifiedAt        string            `json:"modifiedAt"`
	CreatedPersonID   string            `json:"createdPersonId"`
	Metadata          map[string]string `json:"metadata"`
	BIN               string            `json:"bin"`
	AllowedCategories []string          `json:"allowedCategories"`
	AvailableLimit    string            `json:"availableLimit"`
	BlockedCategories []string          `json:"blockedCategories"`
	EmbossingPerson   string            `json:"embossingPerson"`
	EmbossingBusiness string            `json:"embossingBusiness"`
	Theme             string            `json:"theme"`

	// Members newer v1 samples show (providers/solid.md §3).
	ATMAccess        *bool          `json:"atmAccess,omitzero"`
	AllowedMerchants jsontext.Value `json:"allowedMerchants,omitzero"`
	BlockedMerchants jsontext.Value `json:"blockedMerchants,omitzero"`
	FamilyID         *string        `json:"familyId,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Cardholder is the person a card is issued to.
type Cardholder struct {
	ID             string   `json:"id"`
	PersonID       string   `json:"personId"`
	BillingAddress *Address `json:"billingAddress,omitzero"`
	CreatedAt      string   `json:"createdAt"`
	ModifiedAt     string   `json:"modifiedAt"`
	Name           string   `json:"name"`

	Unknown jsontext.Value `json:",embed"`
}

// Shipping is where and how a physical card travels.
type Shipping struct {
	ID              string   `json:"id,omitempty"`
	ShippingAddress *Address `json:"shippingAddress,omitzero"`
	ETA             *string  `json:"eta,omitzero"` // "" until known
	DeliveryStatus  string   `json:"deliveryStatus,omitempty"`
	CreatedAt       *string  `json:"createdAt,omitzero"`
	ModifiedAt      *string  `json:"modifiedAt,omitzero"`
	DeliveryPartner *string  `json:"deliveryPartner,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Address is Solid's address; country is ISO 3166-1 alpha-2 and line2 is
// sent as "" when there is none.
type Address struct {
	AddressType string `json:"addressType"` // billing, shipping
	Line1       string `json:"line1"`
	Line2       string `json:"line2"`
	City        string `json:"city"`
	State       string `json:"state"`
	Country     string `json:"country"`
	PostalCode  string `json:"postalCode"`

	Unknown jsontext.Value `json:",embed"`
}

// ReplaceRequest is the body of POST /v1/card/{cardId}/replace, which
// reissues a card.
type ReplaceRequest struct {
	Reason   string    `json:"reason"` // lost, stolen, damaged, expired
	Shipping *Shipping `json:"shipping,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// The codecs of the wire structs: each table lists the struct's members in
// the order of its fields, as its json tags say (TestCodecs checks them).
var (
	addressJSON = wire.NewCodec(func(w *Address) *jsontext.Value { return &w.Unknown },
		wire.String("addressType", wire.Keep, func(w *Address) *string { return &w.AddressType }),
		wire.String("line1", wire.Keep, func(w *Address) *string { return &w.Line1 }),
		wire.String("line2", wire.Keep, func(w *Address) *string { return &w.Line2 }),
		wire.String("city", wire.Keep, func(w *Address) *string { return &w.City }),
		wire.String("state", wire.Keep, func(w *Address) *string { return &w.State }),
		wire.String("country", wire.Keep, func(w *Address) *string { return &w.Country }),
		wire.String("postalCode", wire.Keep, func(w *Address) *string { return &w.PostalCode }),
	)
	shippingJSON = wire.NewCodec(func(w *Shipping) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.OmitEmpty, func(w *Shipping) *string { return &w.ID }),
		wire.Object("shippingAddress", wire.OmitZero, func(w *Shipping) **Address { return &w.ShippingAddress }, addressJSON),
		wire.StringPtr("eta", wire.OmitZero, func(w *Shipping) **string { return &w.ETA }),
		wire.String("deliveryStatus", wire.OmitEmpty, func(w *Shipping) *string { return &w.DeliveryStatus }),
		wire.StringPtr("createdAt", wire.OmitZero, func(w *Shipping) **string { return &w.CreatedAt }),
		wire.StringPtr("modifiedAt", wire.OmitZero, func(w *Shipping) **string { return &w.ModifiedAt }),
		wire.StringPtr("deliveryPartner", wire.OmitZero, func(w *Shipping) **string { return &w.DeliveryPartner }),
	)
	cardholderJSON = wire.NewCodec(func(w *Cardholder) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.Keep, func(w *Cardholder) *string { return &w.ID }),
		wire.String("personId", wire.Keep, func(w *Cardholder) *string { return &w.PersonID }),
		wire.Object("billingAddress", wire.OmitZero, func(w *Cardholder) **Address { return &w.BillingAddress }, addressJSON),
		wire.String("createdAt", wire.Keep, func(w *Cardholder) *string { return &w.CreatedAt }),
		wire.String("modifiedAt", wire.Keep, func(w *Cardholder) *string { return &w.ModifiedAt }),
		wire.String("name", wire.Keep, func(w *Cardholder) *string { return &w.Name }),
	)
	cardRequestJSON = wire.NewCodec(func(w *CardRequest) *jsontext.Value { return &w.Unknown },
		wire.String("cardType", wire.Keep, func(w *CardRequest) *string { return &w.CardType }),
		wire.String("label", wire.OmitEmpty, func(w *CardRequest) *string { return &w.Label }),
		wire.String("accountId", wire.OmitEmpty, func(w *CardRequest) *string { return &w.AccountID }),
		wire.String("currency", wire.OmitEmpty, func(w *CardRequest) *string { return &w.Currency }),
		wire.String("limitAmount", wire.OmitEmpty, func(w *CardRequest) *string { return &w.LimitAmount }),
		wire.String("limitInterval", wire.OmitEmpty, func(w *CardRequest) *string { return &w.LimitInterval }),
		wire.Object("billingAddress", wire.OmitZero, func(w *CardRequest) **Address { return &w.BillingAddress }, addressJSON),
		wire.Object("shipping", wire.OmitZero, func(w *CardRequest) **Shipping { return &w.Shipping }, shippingJSON),
		wire.Strings("allowedCategories", wire.OmitZero, func(w *CardRequest) *[]string { return &w.AllowedCategories }),
		wire.Strings("blockedCategories", wire.OmitZero, func(w *CardRequest) *[]string { return &w.BlockedCategories }),
		wire.String("bin", wire.OmitEmpty, func(w *CardRequest) *string { return &w.BIN }),
		wire.String("embossingPerson", wire.OmitEmpty, func(w *CardRequest) *string { return &w.EmbossingPerson }),
		wire.String("embossingBusiness", wire.OmitEmpty, func(w *CardRequest) *string { return &w.EmbossingBusiness }),
		wire.BoolPtr("atmAccess", wire.OmitZero, func(w *CardRequest) **bool { return &w.ATMAccess }),
		wire.Raw("allowedMerchants", wire.OmitZero, func(w *CardRequest) *jsontext.Value { return &w.AllowedMerchants }),
		wire.Raw("blockedMerchants", wire.OmitZero, func(w *CardRequest) *jsontext.Value { return &w.BlockedMerchants }),
	)
	cardJSON = wire.NewCodec(func(w *Card) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.Keep, func(w *Card) *string { return &w.ID }),
		wire.String("accountId", wire.Keep, func(w *Card) *string { return &w.AccountID }),
		wire.String("businessId", wire.Keep, func(w *Card) *string { return &w.BusinessID }),
		wire.String("programId", wire.Keep, func(w *Card) *string { return &w.ProgramID }),
		wire.Object("cardholder", wire.OmitZero, func(w *Card) **Cardholder { return &w.Cardholder }, cardholderJSON),
		wire.String("cardType", wire.Keep, func(w *Card) *string { return &w.CardType }),
		wire.String("label", wire.Keep, func(w *Card) *string { return &w.Label }),
		wire.String("limitAmount", wire.Keep, func(w *Card) *string { return &w.LimitAmount }),
		wire.String("limitInterval", wire.Keep, func(w *Card) *string { return &w.LimitInterval }),
		wire.Object("shipping", wire.Keep, func(w *Card) **Shipping { return &w.Shipping }, shippingJSON),
		wire.String("currency", wire.Keep, func(w *Card) *string { return &w.Currency }),
		wire.String("expiryMonth", wire.Keep, func(w *Card) *string { return &w.ExpiryMonth }),
		wire.String("expiryYear", wire.Keep, func(w *Card) *string { return &w.ExpiryYear }),
		wire.String("last4", wire.Keep, func(w *Card) *string { return &w.Last4 }),
		wire.String("cardStatus", wire.Keep, func(w *Card) *string { return &w.CardStatus }),
		wire.String("activatedAt", wire.Keep, func(w *Card) *string { return &w.ActivatedAt }),
		wire.String("createdAt", wire.Keep, func(w *Card) *string { return &w.CreatedAt }),
		wire.String("modifiedAt", wire.Keep, func(w *Card) *string { return &w.ModifiedAt }),
		wire.String("createdPersonId", wire.Keep, func(w *Card) *string { return &w.CreatedPersonID }),
		wire.StringMap("metadata", wire.Keep, func(w *Card) *map[string]string { return &w.Metadata }),
		wire.String("bin", wire.Keep, func(w *Card) *string { return &w.BIN }),
		wire.Strings("allowedCategories", wire.Keep, func(w *Card) *[]string { return &w.AllowedCategories }),
		wire.String("availableLimit", wire.Keep, func(w *Card) *string { return &w.AvailableLimit }),
		wire.Strings("blockedCategories", wire.Keep, func(w *Card) *[]string { return &w.BlockedCategories }),
		wire.String("embossingPerson", wire.Keep, func(w *Card) *string { return &w.EmbossingPerson }),
		wire.String("embossingBusiness", wire.Keep, func(w *Card) *string { return &w.EmbossingBusiness }),
		wire.String("theme", wire.Keep, func(w *Card) *string { return &w.Theme }),
		wire.BoolPtr("atmAccess", wire.OmitZero, func(w *Card) **bool { return &w.ATMAccess }),
		wire.Raw("allowedMerchants", wire.OmitZero, func(w *Card) *jsontext.Value { return &w.AllowedMerchants }),
		wire.Raw("blockedMerchants", wire.OmitZero, func(w *Card) *jsontext.Value { return &w.BlockedMerchants }),
		wire.StringPtr("familyId", wire.OmitZero, func(w *Card) **string { return &w.FamilyID }),
	)
)

// HeaderPersonID is the header that names the person a call acts for: to
// create a card for a business or family member who is not the account
// owner, pass their personId in it.
const HeaderPersonID = "sd-person-id"

// PersonID is a Solid person id, such as "per-3ebfa3d2-5d36-411d-984a-9e3a328011c5",
// the value of the sd-person-id header.
type PersonID string

// ParsePersonID checks that s looks like a Solid person id: "per-" and
// more.
func ParsePersonID(s string) (PersonID, error) {
	if !strings.HasPrefix(s, "per-") || len(s) == len("per-") {
		var p card.Problems
		p.Add(HeaderPersonID, card.CodeFormat, "a Solid person id such as per-3ebfa3d2-…")
		return "", p.Err("solid.ParsePersonID")
	}
	return PersonID(s), nil
}

// EachUnknown calls visit for each object of the request; see
// wire.Objects.
func (w *CardRequest) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.BillingAddress != nil {
		visit("billingAddress", &w.BillingAddress.Unknown)
	}
	w.Shipping.eachUnknown(visit)
}

// EachUnknown calls visit for each object of the card; see wire.Objects.
func (w *Card) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if h := w.Cardholder; h != nil {
		visit("cardholder", &h.Unknown)
		if h.BillingAddress != nil {
			visit("cardholder.billingAddress", &h.BillingAddress.Unknown)
		}
	}
	w.Shipping.eachUnknown(visit)
}

// EachUnknown calls visit for each object of the request; see
// wire.Objects.
func (w *ReplaceRequest) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	w.Shipping.eachUnknown(visit)
}

func (s *Shipping) eachUnknown(visit func(string, *jsontext.Value)) {
	if s == nil {
		return
	}
	visit("shipping", &s.Unknown)
	if s.ShippingAddress != nil {
		visit("shipping.shippingAddress", &s.ShippingAddress.Unknown)
	}
}
