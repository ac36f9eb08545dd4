package rocketkor

import (
	"reflect"
	"time"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Name is the provider's name in ProviderRefs and in the registry.
const Name = "rocketkor"

// StateKey is an Issued Card Financial Account's state and state reason,
// which together say what the domain's status and reason say.
type StateKey struct {
	State, Reason string
}

// String writes "SUSPENDED/LOST_CARD", or the state alone without a reason.
func (k StateKey) String() string {
	if k.Reason == "" {
		return k.State
	}
	return k.State + "/" + k.Reason
}

var (
	statusTable = wire.StatusTable[StateKey]{Field: "state", What: "RocketKOR state and state reason", Rows: []wire.StatusRow[StateKey]{
		{Wire: StateKey{"PENDING", ""}, Status: card.StatusPending, Also: card.AnyReason},
		// A card is active once activated; a lifted hold is active again.
		{Wire: StateKey{"ACTIVE", "CARD_ACTIVATED"}, Status: card.StatusActive, Reason: card.ReasonNEW, Also: card.NoReason |
			card.ReasonsOf(card.ReasonACT, card.ReasonINF, card.ReasonREQ, card.ReasonISS, card.ReasonPRC, card.ReasonAUX, card.ReasonOTH)},
		{Wire: StateKey{"ACTIVE", "CARD_REISSUED"}, Status: card.StatusActive, Reason: card.ReasonRIS},
		// Issued and reissued cards ship inactive.
		{Wire: StateKey{"SUSPENDED", "ISSUED_INACTIVE"}, Status: card.StatusUnactivated, Also: card.AnyReason},
		{Wire: StateKey{"SUSPENDED", "LOST_CARD"}, Status: card.StatusSuspended, Reason: card.ReasonLOS},
		{Wire: StateKey{"SUSPENDED", "STOLEN_CARD"}, Status: card.StatusSuspended, Reason: card.ReasonSTO},
		{Wire: StateKey{"SUSPENDED", "LOST_CARD_NOT_CAPTURED"}, Status: card.StatusSuspended, Reason: card.ReasonLNC},
		{Wire: StateKey{"SUSPENDED", "STOLEN_CARD_NOT_CAPTURED"}, Status: card.StatusSuspended, Reason: card.ReasonSNC},
		// Suspected fraud, a cloned or compromised card: held as fraud.
		{Wire: StateKey{"SUSPENDED", "FRAUD_BLOCK"}, Status: card.StatusSuspended, Reason: card.ReasonFRD,
			Also: card.ReasonsOf(card.ReasonSUS, card.ReasonCLO, card.ReasonCOM)},
	}}
	subtypeTable = wire.Table[string, card.Type]{Field: "subtype", What: "RocketKOR card subtype", Rows: []wire.Row[string, card.Type]{
		{Wire: "DEBIT", Domain: card.TypeDebit},
		{Wire: "CREDIT", Domain: card.TypeCredit},
		{Wire: "PREPAID", Domain: card.TypePrepaid},
		{Wire: "GIFT", Domain: card.TypeGift},
	}}
	methodTable = wire.Table[string, card.ShippingMethod]{Field: "shippingMethod", What: "RocketKOR shipping method", Rows: []wire.Row[string, card.ShippingMethod]{
		{Wire: "NORMAL", Domain: card.ShippingNormal},
		{Wire: "URGENT", Domain: card.ShippingUrgent},
		{Wire: "VIP", Domain: card.ShippingVIP},
		{Wire: "BULK", Domain: card.ShippingBulk},
		{Wire: "BULK_URGENT", Domain: card.ShippingBulkUrgent},
		{Wire: "BULK_VIP", Domain: card.ShippingBulkVIP},
	}}
	alertTable = wire.Table[string, card.AlertPreference]{Field: "alertType", What: "RocketKOR alert type", Rows: []wire.Row[string, card.AlertPreference]{
		{Wire: "ADMIN_ONLY", Domain: card.AlertsAdminOnly},
		{Wire: "ADMIN_PROMO", Domain: card.AlertsAdminAndPromo},
		{Wire: "NEITHER", Domain: card.AlertsNone},
	}}
	reissueTypeTable = wire.Table[string, card.Keep]{Field: "reissueType", What: "RocketKOR reissue type", Rows: []wire.Row[string, card.Keep]{
		{Wire: "REISSUED_FOR_SAME_CARD_NUMBER", Domain: card.KeepSamePANSameExpiry},
		{Wire: "REISSUED_FOR_NEW_EXPIRY", Domain: card.KeepSamePANNewExpiry},
		{Wire: "REISSUED_FOR_NEW_CARD_NUMBER", Domain: card.KeepNewPAN},
	}}
	reissueReasonTable = wire.Table[string, card.ReissueReason]{Field: "reissueReason", What: "RocketKOR reissue reason", Rows: []wire.Row[string, card.ReissueReason]{
		{Wire: "DAMAGED", Domain: card.ReissueReasonDamaged},
		{Wire: "EXPIRED", Domain: card.ReissueReasonExpiration},
		{Wire: "LOST_STOLEN", Domain: card.ReissueReasonLostOrStolen},
		{Wire: "FRAUD_COMPROMISED", Domain: card.ReissueReasonCompromised},
		{Wire: "RETURN", Domain: card.ReissueReasonReturned},
		{Wire: "NEW_ENROLLMENT", Domain: card.ReissueReasonNewEnrollment},
		// RocketKOR does not tell lost from stolen.
		{Wire: "LOST_STOLEN", Domain: card.ReissueReasonLost, Dir: wire.Out},
		{Wire: "LOST_STOLEN", Domain: card.ReissueReasonStolen, Dir: wire.Out},
	}}
	// RocketKOR supports two currencies.
	currencyTable = wire.Table[string, card.Currency]{Field: "currency", What: "RocketKOR currency", Rows: []wire.Row[string, card.Currency]{
		{Wire: "USD", Domain: card.CurrencyUSD},
		{Wire: "CAD", Domain: card.CurrencyCAD},
	}}
)

// Limits RocketKOR adds to the domain's rules.
var nameLimit = card.RuleAccountName.Limit() // name: 1..100

const (
	categoryIntegrated = "INTEGRATED"
	categoryExternal   = "EXTERNAL"
	typeCard           = "CARD"
	holderCustomer     = "CUSTOMER"
	detailsPath        = "_embedded.providerDetails"
)

// Mappings lists every mapping table of the Issued Card Financial Account
// and the issue request, row by row; AccountMappings lists the External
// Card Financial Account's.
func Mappings() []wire.Mapping {
	var out []wire.Mapping
	out = append(out, statusTable.Mappings()...)
	out = append(out, subtypeTable.Mappings()...)
	out = append(out, currencyTable.Mappings()...)
	out = append(out, wire.Prefix("card", methodTable.Mappings())...)
	out = append(out, wire.Prefix("card", alertTable.Mappings())...)
	out = append(out, wire.Prefix(detailsPath, reissueTypeTable.Mappings())...)
	out = append(out, wire.Prefix(detailsPath, reissueReasonTable.Mappings())...)
	return out
}

// Fields lists where each field of the neutral card sits in the Issued
// Card Financial Account's JSON.
func Fields() []wire.Field {
	return []wire.Field{
		{Domain: "provider_refs", Wire: "id"},
		{Domain: "account_id", Wire: "id"},
		{Domain: "tenant", Wire: "businessAccountId"},
		{Domain: "label", Wire: "name"},
		{Domain: "type", Wire: "subtype"},
		{Domain: "currency", Wire: "currency"},
		{Domain: "holder.customer_id", Wire: "accountHolderId"},
		{Domain: "status", Wire: "state"},
		{Domain: "status_reason", Wire: "stateReason"},
		{Domain: "created_at", Wire: "createdAt"},
		{Domain: "updated_at", Wire: "updatedAt"},
		{Domain: "holder.name.first", Wire: "card.firstName"},
		{Domain: "holder.name.middle", Wire: "card.middleName"},
		{Domain: "holder.name.last", Wire: "card.lastName"},
		{Domain: "last_four", Wire: "card.cardNumberTail"},
		{Domain: "expiry", Wire: "card.expiry"},
		{Domain: "holder.billing_address.line1", Wire: "card.billingAddress.addressLine1"},
		{Domain: "holder.billing_address.line2", Wire: "card.billingAddress.addressLine2"},
		{Domain: "holder.billing_address.line3", Wire: "card.billingAddress.addressLine3"},
		{Domain: "holder.billing_address.city", Wire: "card.billingAddress.city"},
		{Domain: "holder.billing_address.region", Wire: "card.billingAddress.stateCode"},
		{Domain: "holder.billing_address.country", Wire: "card.billingAddress.countryCode"},
		{Domain: "holder.billing_address.postal_code", Wire: "card.billingAddress.postalCode"},
		{Domain: "bin", Wire: detailsPath + ".startingNumber"},
		{Domain: "pan", Wire: detailsPath + ".cardNumber"},
		{Domain: "product_id", Wire: detailsPath + ".programId"},
		{Domain: "shipping.method", Wire: detailsPath + ".shippingMethod"},
		{Domain: "emboss.line2", Wire: detailsPath + ".extraEmbossingLine"},
		{Domain: "alerts", Wire: detailsPath + ".alertType"},
		{Domain: "language", Wire: detailsPath + ".issuedLanguageCode"},
		{Domain: "name_on_card", Wire: detailsPath + ".nameOnCard"},
		{Domain: "reissue.keep", Wire: detailsPath + ".reissueType"},
		{Domain: "reissue.reason", Wire: detailsPath + ".reissueReason"},
	}
}

// Terms are the issue request's members about the customer's consent and
// the program, which the neutral card does not hold; the provider details
// repeat them.
type Terms struct {
	Solution              string
	StartingNumber        string // when it is not the card's BIN: not 6 or 8 digits, or more than the card's number lets show
	UsCitizen             *bool
	ReferralSource        *string
	AcceptedTermsDate     string
	ReadPrivacyPolicyDate string
	AcceptedAgreement     *bool
	AlertTypesSpelling    bool // the alert type came as alertTypes
	EmptyExtraLine        bool // extraEmbossingLine was sent as ""
}

// Residue is what a RocketKOR document holds that the neutral card (or
// account) does not.
type Residue struct {
	Unknown wire.Unknown // members this package does not know
	Terms   Terms

	DefaultFlag             *bool
	MaskedAccountNumber     string // when not "******" + the last four
	CreatedBy, UpdatedBy    *Actor
	DetailsExpiry           string // providerDetails.expiry when it differs from card.expiry
	IssuedDateTime          string
	ReissueDateTime         string
	ExternalBankAccount     *ExternalBankAccount
	ExternalCardReferenceID string
	FulfillmentHouse        string
	NoEmbedded              bool // _embedded was absent
	NoDefaultFlag           bool // defaultFlag was absent (external account)

	created, updated wire.Stamp // how createdAt and updatedAt were spelled
}

// Dropped lists every field the residue holds, with the RocketKOR JSON
// path and why the neutral model has no place for it. at is the path of
// the card details: "card" in a request, "_embedded.providerDetails" in a
// response.
func (r *Residue) Dropped() []card.FieldError {
	if r == nil {
		return nil
	}
	var out wire.Notes
	add := out.Add
	t := r.Terms
	at := "card"
	if !r.NoEmbedded && (r.CreatedBy != nil || r.IssuedDateTime != "" || r.ReissueDateTime != "" || r.FulfillmentHouse != "") {
		at = detailsPath
	}
	add(t.Solution != "", at+".solution", "RocketKOR's solution name")
	add(t.StartingNumber != "", at+".startingNumber", "not the card's BIN: not 6 or 8 digits, or more than its number lets show")
	add(t.UsCitizen != nil, at+".usCitizen", "the customer's citizenship; no neutral field")
	add(t.ReferralSource != nil, at+".referralSource", "where the request came from; no neutral field")
	add(t.AcceptedTermsDate != "", at+".acceptedTermsDate", "consent dates have no neutral field")
	add(t.ReadPrivacyPolicyDate != "", at+".readPrivacyPolicyDate", "consent dates have no neutral field")
	add(t.AcceptedAgreement != nil, at+".acceptedAgreement", "consent has no neutral field")
	add(r.DefaultFlag != nil, "defaultFlag", "the card has no default flag; its account does")
	add(r.MaskedAccountNumber != "", "maskedAccountNumber", "differs from the last four the card holds")
	add(r.CreatedBy != nil, "createdBy", "who created the account; no neutral card field")
	add(r.UpdatedBy != nil, "updatedBy", "who updated the account; no neutral card field")
	add(r.DetailsExpiry != "", detailsPath+".expiry", "differs from card.expiry, which the card holds")
	add(r.IssuedDateTime != "", detailsPath+".issuedDateTime", "RocketKOR's issue date; no neutral field")
	add(r.ReissueDateTime != "", detailsPath+".reissueDateTime", "RocketKOR's reissue date; no neutral field")
	add(r.ExternalBankAccount != nil, detailsPath+".externalBankAccount", "a bank account has no place on a card")
	add(r.ExternalCardReferenceID != "", detailsPath+".externalCardReferenceId", "RocketKOR's reference; no neutral field")
	add(r.FulfillmentHouse != "", detailsPath+".fulfillmentHouse", "the card manufacturer; no neutral field")
	out.Unknown(r.Unknown, "RocketKOR")
	return out
}

// DecodeCard decodes an Issued Card Financial Account into the neutral
// card. The account's id is both the card's AccountID and
// ProviderRefs["rocketkor"]: RocketKOR's card calls take it.
func DecodeCard(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("rocketkor.DecodeCard", issuedCardAccountJSON, data, CardFromWire)
}

// EncodeCard encodes c as an Issued Card Financial Account; r may be nil.
func EncodeCard(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, CardToWire, issuedCardAccountJSON.Marshal)
}

// DecodeIssueRequest decodes the body of POST /v1/integrated-cards.
func DecodeIssueRequest(data []byte) (card.Card, *Residue, error) {
	return wire.DecodeWith("rocketkor.DecodeIssueRequest", issueRequestJSON, data, RequestFromWire)
}

// EncodeIssueRequest encodes the body of POST /v1/integrated-cards for c.
func EncodeIssueRequest(c *card.Card, r *Residue) ([]byte, error) {
	return wire.EncodeWith(c, r, RequestToWire, issueRequestJSON.Marshal)
}

// CardFromWire maps a decoded Issued Card Financial Account to the neutral
// card. RocketKOR issues cards that ship: the card is PHYSICAL.
// It takes the unknown members out of w into the residue.
func CardFromWire(w *IssuedCardAccount) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("rocketkor.CardFromWire", "wire")
	}
	var p card.Problems
	// Kept as sent for RocketKOR, but only of the documented kinds.
	actorFromWire(&p, "createdBy", w.CreatedBy)
	actorFromWire(&p, "updatedBy", w.UpdatedBy)
	r := &Residue{
		Unknown:     issuedCardAccountJSON.TakeUnknown(w),
		DefaultFlag: w.DefaultFlag,
		CreatedBy:   wire.Fresh(w.CreatedBy),
		UpdatedBy:   wire.Fresh(w.UpdatedBy),
		NoEmbedded:  w.Embedded == nil,
	}
	c := card.Card{
		Tenant:    w.BusinessAccountID,
		AccountID: w.ID,
		Label:     w.Name,
		Form:      card.FormPhysical,
		Holder:    card.Holder{CustomerID: w.AccountHolderID},
	}
	if w.ID != "" {
		c.ProviderRefs = map[string]string{Name: w.ID}
	}
	constant(&p, "category", w.Category, categoryIntegrated)
	constant(&p, "type", w.Type, typeCard)
	if w.AccountHolderType != "" {
		constant(&p, "accountHolderType", w.AccountHolderType, holderCustomer)
	}
	c.Type = subtypeTable.In(&p, "", w.Subtype, false)
	c.Currency = currencyTable.In(&p, "", w.Currency, false)
	c.Status, c.StatusReason = statusTable.In(&p, "", StateKey{w.State, w.StateReason})
	c.CreatedAt = r.created.Parse(&p, "createdAt", w.CreatedAt)
	c.UpdatedAt = r.updated.Parse(&p, "updatedAt", w.UpdatedAt)
	if k := w.Card; k != nil {
		c.Holder.Name = card.PersonName{First: k.FirstName, Middle: k.MiddleName, Last: k.LastName}
		c.LastFour = wire.LastFour(&p, "card.cardNumberTail", k.CardNumberTail)
		c.Expiry = expiry(&p, "card.expiry", k.Expiry)
		c.Holder.BillingAddress = addressFromWire(&p, "card.billingAddress", k.BillingAddress)
	}
	if e := w.Embedded; e != nil && e.ProviderDetails != nil {
		d := e.ProviderDetails
		detailsFromWire(&p, detailsPath, &d.CardDetails, &c, r)
		if !d.CardNumber.IsZero() {
			pan, err := card.ParsePAN(d.CardNumber.Reveal())
			if err != nil {
				p.Merge(detailsPath, renamePAN(err, "cardNumber"))
			}
			c.PAN = pan
			if c.LastFour == "" {
				c.LastFour = pan.LastFour()
			}
			if !pan.IsZero() && card.ShownBIN(c.BIN, pan.Len()) != c.BIN {
				// The program's starting number is more than the number
				// shows: kept aside, for RocketKOR's own JSON.
				r.Terms.StartingNumber, c.BIN = c.BIN, pan.BIN()
			}
		}
		if c.Expiry.IsZero() {
			c.Expiry = expiry(&p, detailsPath+".expiry", d.Expiry)
		} else {
			if d.Expiry != c.Expiry.String() {
				r.DetailsExpiry = d.Expiry
			}
		}
		r.IssuedDateTime, r.ReissueDateTime = d.IssuedDateTime, d.ReissueDateTime
		c.Reissue.Keep = reissueTypeTable.In(&p, detailsPath, d.ReissueType, false)
		c.Reissue.Reason = reissueReasonTable.In(&p, detailsPath, d.ReissueReason, false)
		// A copy: the tail is checked on the residue's, never written
		// into the caller's wire struct.
		r.ExternalBankAccount, r.ExternalCardReferenceID, r.FulfillmentHouse = wire.Fresh(d.ExternalBankAccount), d.ExternalCardReferenceID, d.FulfillmentHouse
		if b := r.ExternalBankAccount; b != nil {
			b.AccountNumberTail = wire.NoNumber(&p, detailsPath+".externalBankAccount.accountNumberTail", b.AccountNumberTail)
		}
	}
	r.MaskedAccountNumber = maskedDiffers(wire.NoNumber(&p, "maskedAccountNumber", w.MaskedAccountNumber), c.LastFour)
	if err := p.Err("rocketkor.DecodeCard"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// CardToWire maps the neutral card to an Issued Card Financial Account.
// A status, currency or value RocketKOR cannot express is an error naming
// the RocketKOR field.
func CardToWire(c *card.Card, r *Residue) (*IssuedCardAccount, error) {
	if c == nil {
		return nil, wire.Nil("rocketkor.CardToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &IssuedCardAccount{
		ID:                wire.Or(c.ProviderRefs[Name], c.AccountID),
		BusinessAccountID: c.Tenant,
		Name:              c.Label,
		Category:          categoryIntegrated,
		Type:              typeCard,
		DefaultFlag:       r.DefaultFlag,
		AccountHolderID:   c.Holder.CustomerID,
		CreatedBy:         wire.Fresh(r.CreatedBy),
		UpdatedBy:         wire.Fresh(r.UpdatedBy),
	}
	if c.Holder.CustomerID != "" {
		w.AccountHolderType = holderCustomer
	}
	wire.Text(&p, "name", c.Label, nameLimit)
	w.Subtype = subtypeTable.Out(&p, "", c.Type, false)
	w.Currency = currencyTable.Out(&p, "", c.Currency, false)
	state := statusTable.Out(&p, "", c.Status, c.StatusReason)
	w.State, w.StateReason = state.State, state.Reason
	w.CreatedAt = r.created.Format(c.CreatedAt, wire.LayoutMillis)
	w.UpdatedAt = r.updated.Format(c.UpdatedAt, wire.LayoutMillis)
	last4 := wire.LastFour(&p, "card.cardNumberTail", c.LastFour)
	if last4 != "" {
		w.MaskedAccountNumber = wire.Or(wire.NoNumber(&p, "maskedAccountNumber", r.MaskedAccountNumber), masked(last4))
	}
	n := c.Holder.Name
	exp := c.Expiry.String()
	if !n.IsZero() || last4 != "" || !c.Expiry.IsZero() || !c.Holder.BillingAddress.IsZero() {
		w.Card = &IssuedCard{
			FirstName: n.First, MiddleName: n.Middle, LastName: n.Last,
			CardNumberTail: last4, Expiry: exp,
			BillingAddress: addressToWire(&p, "card.billingAddress", c.Holder.BillingAddress),
		}
		checkName(&p, "card", n)
	}
	d := &ProviderDetails{
		Expiry:                  wire.Or(r.DetailsExpiry, exp),
		IssuedDateTime:          r.IssuedDateTime,
		ReissueDateTime:         r.ReissueDateTime,
		ExternalBankAccount:     wire.Fresh(r.ExternalBankAccount),
		ExternalCardReferenceID: r.ExternalCardReferenceID,
		FulfillmentHouse:        r.FulfillmentHouse,
	}
	detailsToWire(&p, detailsPath, &d.CardDetails, c, r)
	if !c.PAN.IsZero() {
		d.CardNumber = wire.NewNumber(c.PAN.RevealDigits()) // RocketKOR's provider details carry the full number
	}
	d.ReissueType = reissueTypeTable.Out(&p, detailsPath, c.Reissue.Keep, false)
	d.ReissueReason = reissueReasonTable.Out(&p, detailsPath, c.Reissue.Reason, false)
	if !r.NoEmbedded && (!reflect.ValueOf(*d).IsZero() || len(r.Unknown[detailsPath]) > 0) {
		w.Embedded = &Embedded{ProviderDetails: d}
	}
	if err := p.Err("rocketkor.EncodeCard"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// RequestFromWire maps a decoded issue request to the card it asks for.
// It takes the unknown members out of w into the residue.
func RequestFromWire(w *IssueRequest) (card.Card, *Residue, error) {
	if w == nil {
		return card.Card{}, nil, wire.Nil("rocketkor.RequestFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: issueRequestJSON.TakeUnknown(w), DefaultFlag: w.DefaultFlag}
	c := card.Card{Label: w.Name, Form: card.FormPhysical, Holder: card.Holder{CustomerID: w.AccountHolderID}}
	c.Type = subtypeTable.In(&p, "", w.Subtype, true)
	c.Currency = currencyTable.In(&p, "", w.Currency, false)
	if w.Card != nil {
		detailsFromWire(&p, "card", w.Card, &c, r)
	}
	if err := p.Err("rocketkor.DecodeIssueRequest"); err != nil {
		return card.Card{}, nil, err
	}
	return c, r, nil
}

// RequestToWire maps the card asked for to the issue request. RocketKOR
// requires the account's name, the subtype, the currency, the customer,
// and the card's solution, starting number, program, citizenship, terms
// and privacy dates and agreement: the last five come only from a
// RocketKOR request's Residue, since no other format holds them.
func RequestToWire(c *card.Card, r *Residue) (*IssueRequest, error) {
	if c == nil {
		return nil, wire.Nil("rocketkor.RequestToWire", "card")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &IssueRequest{Name: c.Label, AccountHolderID: c.Holder.CustomerID, DefaultFlag: r.DefaultFlag, Card: &CardDetails{}}
	if c.Label == "" {
		p.Add("name", card.CodeRequired, "RocketKOR names the account it issues")
	}
	wire.Text(&p, "name", c.Label, nameLimit)
	w.Subtype = subtypeTable.Out(&p, "", c.Type, true)
	w.Currency = currencyTable.Out(&p, "", c.Currency, true)
	if c.Holder.CustomerID == "" {
		p.Add("accountHolderId", card.CodeRequired, "RocketKOR issues to a Customer Account")
	}
	detailsToWire(&p, "card", w.Card, c, r)
	d := w.Card
	for _, req := range []struct {
		field string
		ok    bool
	}{
		{"solution", d.Solution != ""}, {"startingNumber", d.StartingNumber != ""}, {"programId", d.ProgramID != ""},
		{"usCitizen", d.UsCitizen != nil}, {"acceptedTermsDate", d.AcceptedTermsDate != ""},
		{"readPrivacyPolicyDate", d.ReadPrivacyPolicyDate != ""}, {"acceptedAgreement", d.AcceptedAgreement != nil},
	} {
		if !req.ok {
			p.Add("card."+req.field, card.CodeRequired, "RocketKOR requires it to issue a card")
		}
	}
	if err := p.Err("rocketkor.EncodeIssueRequest"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

// detailsFromWire reads the card details of a request (at "card") or of
// the provider details (at "_embedded.providerDetails").
func detailsFromWire(p *card.Problems, at string, d *CardDetails, c *card.Card, r *Residue) {
	t := &r.Terms
	t.Solution, t.UsCitizen, t.ReferralSource = d.Solution, d.UsCitizen, d.ReferralSource
	t.AcceptedTermsDate, t.ReadPrivacyPolicyDate, t.AcceptedAgreement = d.AcceptedTermsDate, d.ReadPrivacyPolicyDate, d.AcceptedAgreement
	checkDate(p, at, "acceptedTermsDate", d.AcceptedTermsDate)
	checkDate(p, at, "readPrivacyPolicyDate", d.ReadPrivacyPolicyDate)
	if card.ValidBIN(d.StartingNumber) {
		c.BIN = d.StartingNumber
	} else {
		t.StartingNumber = wire.NoNumber(p, at+".startingNumber", d.StartingNumber)
	}
	c.ProductID = d.ProgramID
	if m := methodTable.In(p, at, d.ShippingMethod, false); m != 0 {
		c.Shipping = &card.Shipping{Method: m}
	}
	if d.ExtraEmbossingLine != nil {
		c.Emboss.Line2 = *d.ExtraEmbossingLine
		t.EmptyExtraLine = *d.ExtraEmbossingLine == ""
	}
	alert := d.AlertType
	if d.AlertTypes != "" {
		if d.AlertType != "" && d.AlertType != d.AlertTypes {
			p.AddValue(at+".alertTypes", card.CodeConflict, d.AlertTypes, "alertType and alertTypes disagree")
		}
		alert, t.AlertTypesSpelling = d.AlertTypes, d.AlertType == ""
	}
	if alert != "" {
		a, err := alertTable.Decode(alert)
		if err != nil {
			field := "alertType"
			if t.AlertTypesSpelling {
				field = "alertTypes"
			}
			p.AddValue(at+"."+field, card.CodeUnknownValue, alert, "not a RocketKOR alert type")
		}
		c.Alerts = a
	}
	c.Language = d.IssuedLanguageCode
	c.NameOnCard = d.NameOnCard
}

func detailsToWire(p *card.Problems, at string, d *CardDetails, c *card.Card, r *Residue) {
	t := r.Terms
	d.Solution, d.UsCitizen, d.ReferralSource = t.Solution, t.UsCitizen, t.ReferralSource
	d.AcceptedTermsDate, d.ReadPrivacyPolicyDate, d.AcceptedAgreement = t.AcceptedTermsDate, t.ReadPrivacyPolicyDate, t.AcceptedAgreement
	d.StartingNumber = wire.Or(wire.NoNumber(p, at+".startingNumber", t.StartingNumber), c.BIN)
	d.ProgramID = c.ProductID
	if c.Shipping != nil {
		d.ShippingMethod = methodTable.Out(p, at, c.Shipping.Method, false)
	}
	if c.Emboss.Line2 != "" || t.EmptyExtraLine {
		line := c.Emboss.Line2
		d.ExtraEmbossingLine = &line
	}
	alert := alertTable.Out(p, at, c.Alerts, false)
	if t.AlertTypesSpelling {
		d.AlertTypes = alert
	} else {
		d.AlertType = alert
	}
	d.IssuedLanguageCode = c.Language
	d.NameOnCard = c.NameOnCard
	wire.TextAt(p, at, "nameOnCard", c.NameOnCard, card.RuleNameOnCard.Limit())
}

// checkName checks the holder's name parts against RocketKOR's 1..40.
func checkName(p *card.Problems, at string, n card.PersonName) {
	wire.TextAt(p, at, "firstName", n.First, card.RulePersonName.Limit())
	wire.TextAt(p, at, "middleName", n.Middle, card.RulePersonName.Limit())
	wire.TextAt(p, at, "lastName", n.Last, card.RulePersonName.Limit())
}

func constant(p *card.Problems, field, got, want string) {
	if got != want {
		if got == "" {
			p.Add(field, card.CodeRequired, "must be "+want)
			return
		}
		p.AddValue(field, card.CodeUnknownValue, got, "must be "+want)
	}
}

func expiry(p *card.Problems, field, s string) card.Expiry {
	if s == "" {
		return card.Expiry{}
	}
	e, err := card.ParseExpiry(s)
	if err != nil {
		p.AddValue(field, card.CodeFormat, s, "yyyy-MM")
	}
	return e
}

// checkDate checks the member name of the object at: a date yyyy-MM-dd.
func checkDate(p *card.Problems, at, name, s string) {
	if s == "" {
		return
	}
	if t, err := time.Parse(wire.LayoutDate, s); err != nil || len(s) != len(wire.LayoutDate) || t.IsZero() {
		p.AddValue(wire.Join(at, name), card.CodeFormat, s, "a date yyyy-MM-dd")
	}
}

// masked is how RocketKOR masks an account number it knows by its last
// four.
func masked(lastFour string) string {
	if lastFour == "" {
		return ""
	}
	return "******" + lastFour
}

// maskedDiffers is wire.Differs(raw, masked(lastFour)), without writing
// the mask.
func maskedDiffers(raw, lastFour string) string {
	if lastFour == "" && raw == "" || lastFour != "" && len(raw) == 6+len(lastFour) && raw[:6] == "******" && raw[6:] == lastFour {
		return ""
	}
	return raw
}

// renamePAN puts the provider's field name on an error of card.ParsePAN,
// whose field is "pan". The error never holds the digits.
func renamePAN(err error, field string) error {
	var p card.Problems
	if e, ok := err.(*card.Error); ok {
		for _, f := range e.Fields {
			p.Add(field, f.Code, f.Message)
		}
		return p.Err(e.Op)
	}
	p.Add(field, card.CodeFormat, "not a card number")
	return p.Err("rocketkor")
}

func addressFromWire(p *card.Problems, at string, a *Address) card.Address {
	if a == nil {
		return card.Address{}
	}
	out := card.Address{Line1: a.AddressLine1, Line2: a.AddressLine2, Line3: a.AddressLine3, City: a.City, Region: a.StateCode, PostalCode: a.PostalCode}
	if a.CountryCode != "" {
		c, err := card.ParseCountry(a.CountryCode)
		if err != nil || len(a.CountryCode) != 3 {
			p.AddValue(at+".countryCode", card.CodeUnknownValue, a.CountryCode, "an ISO 3166-1 alpha-3 country cardkit knows")
		}
		out.Country = c
	}
	return out
}

// addressMembers names RocketKOR's member for each part of a domain
// address, as card.Address's checks name them.
var addressMembers = map[string]string{"line1": "addressLine1", "line2": "addressLine2", "line3": "addressLine3",
	"city": "city", "region": "stateCode", "postal_code": "postalCode", "country": "countryCode"}

func addressToWire(p *card.Problems, at string, a card.Address) *Address {
	if a.IsZero() {
		return nil
	}
	// RocketKOR's card billing address follows the domain's rule for one
	// (lines of 50, a city of 25, the state code and ZIP a US or Canadian
	// address needs), reported by RocketKOR's member names.
	var q card.Problems
	a.CheckBilling(&q, "")
	if e, ok := q.Err("").(*card.Error); ok {
		for _, f := range e.Fields {
			p.AddValue(wire.Join(at, addressMembers[f.Field]), f.Code, f.Value, f.Message)
		}
	}
	out := &Address{AddressLine1: a.Line1, AddressLine2: a.Line2, AddressLine3: a.Line3, City: a.City, StateCode: a.Region, PostalCode: a.PostalCode}
	if a.Country != 0 {
		out.CountryCode = a.Country.Alpha3()
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
