package rocketkor

import (
	"github.com/go-json-experiment/json/jsontext"
	"strings"

	"github.com/cardkit/cardkit/adapters/wire"
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

	CardNumber              wire.Number          `json:"cardNumber,omitempty"` // the full number, 11..19 digits
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
	BankName          string      `json:"bankName,omitempty"`
	RoutingNo         string      `json:"routingNo,omitempty"`
	AccountNumber     wire.Number `json:"accountNumber,omitempty"`
	AccountNumberTail string      `json:"accountNumberTail,omitempty"`
	NameOnAccount     string      `json:"nameOnAccount,omitempty"`
	BusinessName      string      `json:"businessName,omitempty"`

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
	FirstName      string      `json:"firstName,omitempty"`
	MiddleName     string      `json:"middleName,omitempty"`
	LastName       string      `json:"lastName,omitempty"`
	CardNumber     wire.Number `json:"cardNumber,omitempty"`
	CardNumberTail string      `json:"cardNumberTail,omitempty"`
	Expiry         string      `json:"expiry,omitempty"` // yyyy-MM
	BillingAddress *Address    `json:"billingAddress,omitzero"`

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

// The codecs of the wire structs: each table lists the struct's members in
// the order of its fields, as its json tags say (TestCodecs checks them). A
// full card number, and a bank account's number, is a wire.Secret.
var (
	addressJSON = wire.NewCodec(func(w *Address) *jsontext.Value { return &w.Unknown },
		wire.String("addressLine1", wire.Keep, func(w *Address) *string { return &w.AddressLine1 }),
		wire.String("addressLine2", wire.Keep, func(w *Address) *string { return &w.AddressLine2 }),
		wire.String("addressLine3", wire.Keep, func(w *Address) *string { return &w.AddressLine3 }),
		wire.String("city", wire.Keep, func(w *Address) *string { return &w.City }),
		wire.String("stateCode", wire.Keep, func(w *Address) *string { return &w.StateCode }),
		wire.String("countryCode", wire.Keep, func(w *Address) *string { return &w.CountryCode }),
		wire.String("postalCode", wire.Keep, func(w *Address) *string { return &w.PostalCode }),
	)
	actorJSON = wire.NewCodec(func(w *Actor) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.Keep, func(w *Actor) *string { return &w.ID }),
		wire.String("type", wire.Keep, func(w *Actor) *string { return &w.Type }),
	)
	cardDetailsJSON = wire.NewCodec(func(w *CardDetails) *jsontext.Value { return &w.Unknown },
		wire.String("solution", wire.OmitEmpty, func(w *CardDetails) *string { return &w.Solution }),
		wire.String("startingNumber", wire.OmitEmpty, func(w *CardDetails) *string { return &w.StartingNumber }),
		wire.String("programId", wire.OmitEmpty, func(w *CardDetails) *string { return &w.ProgramID }),
		wire.String("shippingMethod", wire.OmitEmpty, func(w *CardDetails) *string { return &w.ShippingMethod }),
		wire.StringPtr("extraEmbossingLine", wire.OmitZero, func(w *CardDetails) **string { return &w.ExtraEmbossingLine }),
		wire.BoolPtr("usCitizen", wire.OmitZero, func(w *CardDetails) **bool { return &w.UsCitizen }),
		wire.StringPtr("referralSource", wire.OmitZero, func(w *CardDetails) **string { return &w.ReferralSource }),
		wire.String("acceptedTermsDate", wire.OmitEmpty, func(w *CardDetails) *string { return &w.AcceptedTermsDate }),
		wire.String("readPrivacyPolicyDate", wire.OmitEmpty, func(w *CardDetails) *string { return &w.ReadPrivacyPolicyDate }),
		wire.BoolPtr("acceptedAgreement", wire.OmitZero, func(w *CardDetails) **bool { return &w.AcceptedAgreement }),
		wire.String("alertType", wire.OmitEmpty, func(w *CardDetails) *string { return &w.AlertType }),
		wire.String("alertTypes", wire.OmitEmpty, func(w *CardDetails) *string { return &w.AlertTypes }),
		wire.String("issuedLanguageCode", wire.OmitEmpty, func(w *CardDetails) *string { return &w.IssuedLanguageCode }),
		wire.String("nameOnCard", wire.OmitEmpty, func(w *CardDetails) *string { return &w.NameOnCard }),
	)
	issueRequestJSON = wire.NewCodec(func(w *IssueRequest) *jsontext.Value { return &w.Unknown },
		wire.String("name", wire.Keep, func(w *IssueRequest) *string { return &w.Name }),
		wire.String("subtype", wire.Keep, func(w *IssueRequest) *string { return &w.Subtype }),
		wire.BoolPtr("defaultFlag", wire.OmitZero, func(w *IssueRequest) **bool { return &w.DefaultFlag }),
		wire.String("currency", wire.Keep, func(w *IssueRequest) *string { return &w.Currency }),
		wire.String("accountHolderId", wire.Keep, func(w *IssueRequest) *string { return &w.AccountHolderID }),
		wire.Object("card", wire.Keep, func(w *IssueRequest) **CardDetails { return &w.Card }, cardDetailsJSON),
	)
	issuedCardJSON = wire.NewCodec(func(w *IssuedCard) *jsontext.Value { return &w.Unknown },
		wire.String("firstName", wire.OmitEmpty, func(w *IssuedCard) *string { return &w.FirstName }),
		wire.String("middleName", wire.OmitEmpty, func(w *IssuedCard) *string { return &w.MiddleName }),
		wire.String("lastName", wire.OmitEmpty, func(w *IssuedCard) *string { return &w.LastName }),
		wire.String("cardNumberTail", wire.OmitEmpty, func(w *IssuedCard) *string { return &w.CardNumberTail }),
		wire.String("expiry", wire.OmitEmpty, func(w *IssuedCard) *string { return &w.Expiry }),
		wire.Object("billingAddress", wire.OmitZero, func(w *IssuedCard) **Address { return &w.BillingAddress }, addressJSON),
	)
	externalBankAccountJSON = wire.NewCodec(func(w *ExternalBankAccount) *jsontext.Value { return &w.Unknown },
		wire.String("bankName", wire.OmitEmpty, func(w *ExternalBankAccount) *string { return &w.BankName }),
		wire.String("routingNo", wire.OmitEmpty, func(w *ExternalBankAccount) *string { return &w.RoutingNo }),
		wire.Secret("accountNumber", wire.OmitEmpty, func(w *ExternalBankAccount) *wire.Number { return &w.AccountNumber }),
		wire.String("accountNumberTail", wire.OmitEmpty, func(w *ExternalBankAccount) *string { return &w.AccountNumberTail }),
		wire.String("nameOnAccount", wire.OmitEmpty, func(w *ExternalBankAccount) *string { return &w.NameOnAccount }),
		wire.String("businessName", wire.OmitEmpty, func(w *ExternalBankAccount) *string { return &w.BusinessName }),
	)
	providerDetailsJSON = wire.NewCodec(func(w *ProviderDetails) *jsontext.Value { return &w.Unknown },
		wire.Embed(func(w *ProviderDetails) *CardDetails { return &w.CardDetails }, cardDetailsJSON),
		wire.Secret("cardNumber", wire.OmitEmpty, func(w *ProviderDetails) *wire.Number { return &w.CardNumber }),
		wire.String("expiry", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.Expiry }),
		wire.String("issuedDateTime", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.IssuedDateTime }),
		wire.String("reissueDateTime", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.ReissueDateTime }),
		wire.String("reissueType", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.ReissueType }),
		wire.String("reissueReason", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.ReissueReason }),
		wire.Object("externalBankAccount", wire.OmitZero, func(w *ProviderDetails) **ExternalBankAccount { return &w.ExternalBankAccount }, externalBankAccountJSON),
		wire.String("externalCardReferenceId", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.ExternalCardReferenceID }),
		wire.String("fulfillmentHouse", wire.OmitEmpty, func(w *ProviderDetails) *string { return &w.FulfillmentHouse }),
	)
	embeddedJSON = wire.NewCodec(func(w *Embedded) *jsontext.Value { return &w.Unknown },
		wire.Object("providerDetails", wire.OmitZero, func(w *Embedded) **ProviderDetails { return &w.ProviderDetails }, providerDetailsJSON),
	)
	issuedCardAccountJSON = wire.NewCodec(func(w *IssuedCardAccount) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.ID }),
		wire.String("businessAccountId", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.BusinessAccountID }),
		wire.String("name", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.Name }),
		wire.String("category", wire.Keep, func(w *IssuedCardAccount) *string { return &w.Category }),
		wire.String("type", wire.Keep, func(w *IssuedCardAccount) *string { return &w.Type }),
		wire.String("subtype", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.Subtype }),
		wire.BoolPtr("defaultFlag", wire.OmitZero, func(w *IssuedCardAccount) **bool { return &w.DefaultFlag }),
		wire.String("currency", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.Currency }),
		wire.String("accountHolderId", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.AccountHolderID }),
		wire.String("accountHolderType", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.AccountHolderType }),
		wire.String("state", wire.Keep, func(w *IssuedCardAccount) *string { return &w.State }),
		wire.String("stateReason", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.StateReason }),
		wire.String("maskedAccountNumber", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.MaskedAccountNumber }),
		wire.Object("createdBy", wire.OmitZero, func(w *IssuedCardAccount) **Actor { return &w.CreatedBy }, actorJSON),
		wire.String("createdAt", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.CreatedAt }),
		wire.Object("updatedBy", wire.OmitZero, func(w *IssuedCardAccount) **Actor { return &w.UpdatedBy }, actorJSON),
		wire.String("updatedAt", wire.OmitEmpty, func(w *IssuedCardAccount) *string { return &w.UpdatedAt }),
		wire.Object("card", wire.OmitZero, func(w *IssuedCardAccount) **IssuedCard { return &w.Card }, issuedCardJSON),
		wire.Object("_embedded", wire.OmitZero, func(w *IssuedCardAccount) **Embedded { return &w.Embedded }, embeddedJSON),
	)
	externalCardJSON = wire.NewCodec(func(w *ExternalCard) *jsontext.Value { return &w.Unknown },
		wire.String("firstName", wire.OmitEmpty, func(w *ExternalCard) *string { return &w.FirstName }),
		wire.String("middleName", wire.OmitEmpty, func(w *ExternalCard) *string { return &w.MiddleName }),
		wire.String("lastName", wire.OmitEmpty, func(w *ExternalCard) *string { return &w.LastName }),
		wire.Secret("cardNumber", wire.OmitEmpty, func(w *ExternalCard) *wire.Number { return &w.CardNumber }),
		wire.String("cardNumberTail", wire.OmitEmpty, func(w *ExternalCard) *string { return &w.CardNumberTail }),
		wire.String("expiry", wire.OmitEmpty, func(w *ExternalCard) *string { return &w.Expiry }),
		wire.Object("billingAddress", wire.OmitZero, func(w *ExternalCard) **Address { return &w.BillingAddress }, addressJSON),
	)
	externalCardAccountJSON = wire.NewCodec(func(w *ExternalCardAccount) *jsontext.Value { return &w.Unknown },
		wire.String("id", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.ID }),
		wire.String("businessAccountId", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.BusinessAccountID }),
		wire.String("name", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.Name }),
		wire.String("category", wire.Keep, func(w *ExternalCardAccount) *string { return &w.Category }),
		wire.String("type", wire.Keep, func(w *ExternalCardAccount) *string { return &w.Type }),
		wire.String("subtype", wire.Keep, func(w *ExternalCardAccount) *string { return &w.Subtype }),
		wire.BoolPtr("defaultFlag", wire.OmitZero, func(w *ExternalCardAccount) **bool { return &w.DefaultFlag }),
		wire.String("currency", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.Currency }),
		wire.String("accountHolderId", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.AccountHolderID }),
		wire.String("accountHolderType", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.AccountHolderType }),
		wire.String("state", wire.Keep, func(w *ExternalCardAccount) *string { return &w.State }),
		wire.String("maskedAccountNumber", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.MaskedAccountNumber }),
		wire.String("verificationStatus", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.VerificationStatus }),
		wire.String("verificationMethod", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.VerificationMethod }),
		wire.Object("createdBy", wire.OmitZero, func(w *ExternalCardAccount) **Actor { return &w.CreatedBy }, actorJSON),
		wire.String("createdAt", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.CreatedAt }),
		wire.Object("updatedBy", wire.OmitZero, func(w *ExternalCardAccount) **Actor { return &w.UpdatedBy }, actorJSON),
		wire.String("updatedAt", wire.OmitEmpty, func(w *ExternalCardAccount) *string { return &w.UpdatedAt }),
		wire.Object("card", wire.OmitZero, func(w *ExternalCardAccount) **ExternalCard { return &w.Card }, externalCardJSON),
	)
)

// HeaderIdempotencyKey is the header of the issue, activate, suspend,
// unsuspend and reissue calls.
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
	if strings.Trim(s, " \t") != s {
		// HTTP drops it: the key sent would be shorter, or none.
		p.Add(HeaderIdempotencyKey, card.CodeFormat, "no space or tab at either end")
	}
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
