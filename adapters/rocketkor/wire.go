package rocketkor

import (
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/card"
)

// IssueRequest is the body of POST /v1/integrated-cards, which issues a
// card and the integrated Financial Account it draws on.
type IssueRequest struct {
	Name            string       `json:"name"`    // required, 1..100: the account's informal name
	Subtype         string       `json:"subtype"` // required: DEBIT, CREDIT, PREPAID, GIFT
	DefaultFlag     *bool        `json:"defaultFlag,omitzero"`
	Currency        string       `json:"currency"`        // required: USD or CAD
	AccountHolderID string       `json:"accountHolderId"` // required: the Customer Account
	Card            *CardDetails `json:"card"`            // required

	Unknown jsontext.Value `json:",embed"`
}

// CardDetails is the issue request's card; the issued account's provider
// details repeat it.
type CardDetails struct {
	Solution              string  `json:"solution,omitempty"`       // required in the request
	StartingNumber        string  `json:"startingNumber,omitempty"` // required: BIN and program digits
	ProgramID             string  `json:"programId,omitempty"`      // required
	ShippingMethod        string  `json:"shippingMethod,omitempty"` // default NORMAL
	ExtraEmbossingLine    *string `json:"extraEmbossingLine,omitzero"`
	UsCitizen             *bool   `json:"usCitizen,omitzero"` // required in the request
	ReferralSource        *string `json:"referralSource,omitzero"`
	AcceptedTermsDate     string  `json:"acceptedTermsDate,omitempty"`     // required, yyyy-MM-dd
	ReadPrivacyPolicyDate string  `json:"readPrivacyPolicyDate,omitempty"` // required, yyyy-MM-dd
	AcceptedAgreement     *bool   `json:"acceptedAgreement,omitzero"`      // required
	// The request and the seed spell it alertType; the provider details
	// object's page spells it alertTypes. Both are read, and written back
	// as they came.
	AlertType          string `json:"alertType,omitempty"`
	AlertTypes         string `json:"alertTypes,omitempty"`
	IssuedLanguageCode string `json:"issuedLanguageCode,omitempty"`
	NameOnCard         string `json:"nameOnCard,omitempty"` // 1..60

	Unknown jsontext.Value `json:",embed"`
}

// IssuedCardAccount is the Issued Card Financial Account: the response of
// the issue, activate and reissue calls. It is RocketKOR's card resource.
type IssuedCardAccount struct {
	ID                  string      `json:"id,omitempty"`
	BusinessAccountID   string      `json:"businessAccountId,omitempty"`
	Name                string      `json:"name,omitempty"`
	Category            string      `json:"category"` // INTEGRATED
	Type                string      `json:"type"`     // CARD
	Subtype             string      `json:"subtype,omitempty"`
	DefaultFlag         *bool       `json:"defaultFlag,omitzero"`
	Currency            string      `json:"currency,omitempty"`
	AccountHolderID     string      `json:"accountHolderId,omitempty"`
	AccountHolderType   string      `json:"accountHolderType,omitempty"` // CUSTOMER
	State               string      `json:"state"`
	StateReason         string      `json:"stateReason,omitempty"`
	MaskedAccountNumber string      `json:"maskedAccountNumber,omitempty"`
	CreatedBy           *Actor      `json:"createdBy,omitzero"`
	CreatedAt           string      `json:"createdAt,omitempty"` // yyyy-MM-dd'T'HH:mm:ss.SSSz
	UpdatedBy           *Actor      `json:"updatedBy,omitzero"`
	UpdatedAt           string      `json:"updatedAt,omitempty"`
	Card                *IssuedCard `json:"card,omitzero"`
	Embedded            *Embedded   `json:"_embedded,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// IssuedCard is the card part of the Issued Card Financial Account.
type IssuedCard struct {
	FirstName      string   `json:"firstName,omitempty"`
	MiddleName     string   `json:"middleName,omitempty"`
	LastName       string   `json:"lastName,omitempty"`
	CardNumberTail string   `json:"cardNumberTail,omitempty"`
	Expiry         string   `json:"expiry,omitempty"` // yyyy-MM
	BillingAddress *Address `json:"billingAddress,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Embedded holds the objects embedded in a Financial Account.
type Embedded struct {
	ProviderDetails *ProviderDetails `json:"providerDetails,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// ProviderDetails is the Issued Card Provider Details object: the issue
// request's card details and what the provider adds.
type ProviderDetails struct {
	CardDetails // its members, and its fallback for unknown members

	CardNumber              string               `json:"cardNumber,omitempty"` // the full number, 11..19 digits
	Expiry                  string               `json:"expiry,omitempty"`     // yyyy-MM
	IssuedDateTime          string               `json:"issuedDateTime,omitempty"`
	ReissueDateTime         string               `json:"reissueDateTime,omitempty"`
	ReissueType             string               `json:"reissueType,omitempty"`
	ReissueReason           string               `json:"reissueReason,omitempty"`
	ExternalBankAccount     *ExternalBankAccount `json:"externalBankAccount,omitzero"`
	ExternalCardReferenceID string               `json:"externalCardReferenceId,omitempty"`
	FulfillmentHouse        string               `json:"fulfillmentHouse,omitempty"`
}

// ExternalBankAccount is a bank account the provider details name.
type ExternalBankAccount struct {
	BankName          string `json:"bankName,omitempty"`
	RoutingNo         string `json:"routingNo,omitempty"`
	AccountNumber     string `json:"accountNumber,omitempty"`
	AccountNumberTail string `json:"accountNumberTail,omitempty"`
	NameOnAccount     string `json:"nameOnAccount,omitempty"`
	BusinessName      string `json:"businessName,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// ExternalCardAccount is the External Card Financial Account: a card
// issued elsewhere, linked as a funding account.
type ExternalCardAccount struct {
	ID                  string        `json:"id,omitempty"`
	BusinessAccountID   string        `json:"businessAccountId,omitempty"`
	Name                string        `json:"name,omitempty"`
	Category            string        `json:"category"` // EXTERNAL
	Type                string        `json:"type"`     // CARD
	Subtype             string        `json:"subtype"`  // DEBIT, CREDIT (older pages: PREPAID)
	DefaultFlag         *bool         `json:"defaultFlag,omitzero"`
	Currency            string        `json:"currency,omitempty"`
	AccountHolderID     string        `json:"accountHolderId,omitempty"`   // omitted for a Business Account
	AccountHolderType   string        `json:"accountHolderType,omitempty"` // CUSTOMER, RECIPIENT
	State               string        `json:"state"`
	MaskedAccountNumber string        `json:"maskedAccountNumber,omitempty"`
	VerificationStatus  string        `json:"verificationStatus,omitempty"`
	VerificationMethod  string        `json:"verificationMethod,omitempty"`
	CreatedBy           *Actor        `json:"createdBy,omitzero"`
	CreatedAt           string        `json:"createdAt,omitempty"`
	UpdatedBy           *Actor        `json:"updatedBy,omitzero"`
	UpdatedAt           string        `json:"updatedAt,omitempty"`
	Card                *ExternalCard `json:"card,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// ExternalCard is the linked card: its full number is sent when the card
// is linked.
type ExternalCard struct {
	FirstName      string   `json:"firstName,omitempty"`
	MiddleName     string   `json:"middleName,omitempty"`
	LastName       string   `json:"lastName,omitempty"`
	CardNumber     string   `json:"cardNumber,omitempty"`
	CardNumberTail string   `json:"cardNumberTail,omitempty"`
	Expiry         string   `json:"expiry,omitempty"` // yyyy-MM
	BillingAddress *Address `json:"billingAddress,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// Address is RocketKOR's address: countryCode is ISO 3166-1 alpha-3,
// stateCode an ISO 3166-2 subdivision.
type Address struct {
	AddressLine1 string `json:"addressLine1"`
	AddressLine2 string `json:"addressLine2"`
	AddressLine3 string `json:"addressLine3"`
	City         string `json:"city"`
	StateCode    string `json:"stateCode"`
	CountryCode  string `json:"countryCode"`
	PostalCode   string `json:"postalCode"`

	Unknown jsontext.Value `json:",embed"`
}

// Actor is who created or last updated a Financial Account; id is blank
// for type internal.
type Actor struct {
	ID   string `json:"id"`
	Type string `json:"type"` // employee, internal, kor_employee, service-account

	Unknown jsontext.Value `json:",embed"`
}

// HeaderIdempotencyKey is the header of the issue, activate and reissue
// calls.
const HeaderIdempotencyKey = "Idempotency-Key"

// IdempotencyKey is the value of the Idempotency-Key header: a v4 UUID or
// any other unique string of 6 to 255 characters. RocketKOR looks back 24
// hours.
type IdempotencyKey string

// idempotencyKeyLimit is RocketKOR's rule for the key.
var idempotencyKeyLimit = card.TextLimit{Min: 6, Max: 255}

// ParseIdempotencyKey checks s against RocketKOR's rule.
func ParseIdempotencyKey(s string) (IdempotencyKey, error) {
	var p card.Problems
	if s == "" {
		p.Add(HeaderIdempotencyKey, card.CodeRequired, "")
	}
	idempotencyKeyLimit.Check(&p, HeaderIdempotencyKey, s)
	if err := p.Err("rocketkor.ParseIdempotencyKey"); err != nil {
		return "", err
	}
	return IdempotencyKey(s), nil
}

// EachUnknown calls visit for each object of the request; see
// wire.Objects.
func (w *IssueRequest) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.Card != nil {
		visit("card", &w.Card.Unknown)
	}
}

// EachUnknown calls visit for each object of the account; see
// wire.Objects.
func (w *IssuedCardAccount) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	eachActor(visit, w.CreatedBy, w.UpdatedBy)
	if k := w.Card; k != nil {
		visit("card", &k.Unknown)
		if k.BillingAddress != nil {
			visit("card.billingAddress", &k.BillingAddress.Unknown)
		}
	}
	if e := w.Embedded; e != nil {
		visit("_embedded", &e.Unknown)
		if d := e.ProviderDetails; d != nil {
			visit("_embedded.providerDetails", &d.Unknown)
			if d.ExternalBankAccount != nil {
				visit("_embedded.providerDetails.externalBankAccount", &d.ExternalBankAccount.Unknown)
			}
		}
	}
}

// EachUnknown calls visit for each object of the account; see
// wire.Objects.
func (w *ExternalCardAccount) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	eachActor(visit, w.CreatedBy, w.UpdatedBy)
	if k := w.Card; k != nil {
		visit("card", &k.Unknown)
		if k.BillingAddress != nil {
			visit("card.billingAddress", &k.BillingAddress.Unknown)
		}
	}
}

func eachActor(visit func(string, *jsontext.Value), created, updated *Actor) {
	if created != nil {
		visit("createdBy", &created.Unknown)
	}
	if updated != nil {
		visit("updatedBy", &updated.Unknown)
	}
}
