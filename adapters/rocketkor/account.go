package rocketkor

import (
	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

var (
	// The seed's object says DEBIT or CREDIT; older pages add PREPAID.
	externalSubtypeTable = wire.Table[string, card.Type]{Field: "subtype", What: "RocketKOR external card subtype", Rows: []wire.Row[string, card.Type]{
		{Wire: "DEBIT", Domain: card.TypeDebit},
		{Wire: "CREDIT", Domain: card.TypeCredit},
		{Wire: "PREPAID", Domain: card.TypePrepaid},
	}}
	stateTable = wire.Table[string, account.State]{Field: "state", What: "RocketKOR account state", Rows: []wire.Row[string, account.State]{
		{Wire: "PENDING", Domain: account.StatePending},
		{Wire: "ACTIVE", Domain: account.StateActive},
		{Wire: "SUSPENDED", Domain: account.StateSuspended},
	}}
	holderTypeTable = wire.Table[string, account.HolderKind]{Field: "accountHolderType", What: "RocketKOR account holder type", Rows: []wire.Row[string, account.HolderKind]{
		{Wire: "CUSTOMER", Domain: account.HolderCustomer},
		{Wire: "RECIPIENT", Domain: account.HolderRecipient},
	}}
	verificationTable = wire.Table[string, account.VerificationStatus]{Field: "verificationStatus", What: "RocketKOR verification status", Rows: []wire.Row[string, account.VerificationStatus]{
		{Wire: "UNVERIFIED", Domain: account.VerificationUnverified},
		{Wire: "PENDING", Domain: account.VerificationPending},
		{Wire: "PROCESSING", Domain: account.VerificationProcessing},
		{Wire: "REVIEW", Domain: account.VerificationReview},
		{Wire: "DECLINED", Domain: account.VerificationDeclined},
		{Wire: "APPROVED", Domain: account.VerificationApproved},
		{Wire: "ERROR", Domain: account.VerificationError},
	}}
	methodVerificationTable = wire.Table[string, account.VerificationMethod]{Field: "verificationMethod", What: "RocketKOR verification method", Rows: []wire.Row[string, account.VerificationMethod]{
		{Wire: "PRENOTE", Domain: account.MethodPrenote},
		{Wire: "AGGREGATION", Domain: account.MethodAggregation},
	}}
	actorTable = wire.Table[string, account.ActorType]{Field: "type", What: "RocketKOR actor type", Rows: []wire.Row[string, account.ActorType]{
		{Wire: "employee", Domain: account.ActorEmployee},
		{Wire: "internal", Domain: account.ActorInternal},
		{Wire: "kor_employee", Domain: account.ActorProviderEmployee},
		{Wire: "service-account", Domain: account.ActorServiceAccount},
	}}
)

// AccountMappings lists every mapping table of the External Card Financial
// Account, row by row.
func AccountMappings() []wire.Mapping {
	var out []wire.Mapping
	out = append(out, externalSubtypeTable.Mappings()...)
	out = append(out, stateTable.Mappings()...)
	out = append(out, holderTypeTable.Mappings()...)
	out = append(out, verificationTable.Mappings()...)
	out = append(out, methodVerificationTable.Mappings()...)
	out = append(out, wire.Prefix("createdBy", actorTable.Mappings())...)
	return out
}

// AccountFields lists where each field of the neutral account sits in the
// External Card Financial Account's JSON.
func AccountFields() []wire.Field {
	return []wire.Field{
		{Domain: "provider_refs", Wire: "id"},
		{Domain: "tenant", Wire: "businessAccountId"},
		{Domain: "name", Wire: "name"},
		{Domain: "kind", Wire: "category"},
		{Domain: "subtype", Wire: "subtype"},
		{Domain: "default", Wire: "defaultFlag"},
		{Domain: "currency", Wire: "currency"},
		{Domain: "holder.id", Wire: "accountHolderId"},
		{Domain: "holder.kind", Wire: "accountHolderType"},
		{Domain: "state", Wire: "state"},
		{Domain: "verification.status", Wire: "verificationStatus"},
		{Domain: "verification.method", Wire: "verificationMethod"},
		{Domain: "created_by", Wire: "createdBy"},
		{Domain: "updated_by", Wire: "updatedBy"},
		{Domain: "created_at", Wire: "createdAt"},
		{Domain: "updated_at", Wire: "updatedAt"},
		{Domain: "external.first_name", Wire: "card.firstName"},
		{Domain: "external.middle_name", Wire: "card.middleName"},
		{Domain: "external.last_name", Wire: "card.lastName"},
		{Domain: "external.last_four", Wire: "card.cardNumberTail"},
		{Domain: "external.bin", Wire: "card.cardNumber"},
		{Domain: "external.pan", Wire: "card.cardNumber"},
		{Domain: "external.expiry", Wire: "card.expiry"},
		{Domain: "external.billing_address.line1", Wire: "card.billingAddress.addressLine1"},
		{Domain: "external.billing_address.line2", Wire: "card.billingAddress.addressLine2"},
		{Domain: "external.billing_address.line3", Wire: "card.billingAddress.addressLine3"},
		{Domain: "external.billing_address.city", Wire: "card.billingAddress.city"},
		{Domain: "external.billing_address.region", Wire: "card.billingAddress.stateCode"},
		{Domain: "external.billing_address.country", Wire: "card.billingAddress.countryCode"},
		{Domain: "external.billing_address.postal_code", Wire: "card.billingAddress.postalCode"},
	}
}

// DecodeAccount decodes an External Card Financial Account into the
// neutral account (kind EXTERNAL). The account's own ID is left zero;
// RocketKOR's id is ProviderRefs["rocketkor"]. An account whose holder is
// a Business Account (no accountHolderId) is held by the business named by
// businessAccountId.
func DecodeAccount(data []byte) (account.Account, *Residue, error) {
	return wire.DecodeWith("rocketkor.DecodeAccount", externalCardAccountJSON, data, AccountFromWire)
}

// EncodeAccount encodes a as an External Card Financial Account; r may be
// nil. The linked card's number is written in full when it is known.
func EncodeAccount(a *account.Account, r *Residue) ([]byte, error) {
	return wire.EncodeWith(a, r, AccountToWire, externalCardAccountJSON.Marshal)
}

// AccountFromWire maps a decoded External Card Financial Account to the
// neutral account.
// It takes the unknown members out of w into the residue.
func AccountFromWire(w *ExternalCardAccount) (account.Account, *Residue, error) {
	if w == nil {
		return account.Account{}, nil, wire.Nil("rocketkor.AccountFromWire", "wire")
	}
	var p card.Problems
	r := &Residue{Unknown: externalCardAccountJSON.TakeUnknown(w), NoDefaultFlag: w.DefaultFlag == nil}
	a := account.Account{
		Tenant: w.BusinessAccountID,
		Kind:   account.KindExternal,
		Name:   w.Name,
	}
	if w.ID != "" {
		a.ProviderRefs = map[string]string{Name: w.ID}
	}
	if w.DefaultFlag != nil {
		a.Default = *w.DefaultFlag
	}
	constant(&p, "category", w.Category, categoryExternal)
	constant(&p, "type", w.Type, typeCard)
	a.Subtype = externalSubtypeTable.In(&p, "", w.Subtype, true)
	a.Currency = wire.Currency(&p, "currency", w.Currency) // any ISO 4217 code, where a card has one of two (currencyTable)
	if w.AccountHolderID == "" && w.AccountHolderType == "" {
		a.Holder = account.Holder{Kind: account.HolderBusiness, ID: w.BusinessAccountID}
	} else {
		a.Holder = account.Holder{ID: w.AccountHolderID, Kind: holderTypeTable.In(&p, "", w.AccountHolderType, true)}
	}
	a.State = stateTable.In(&p, "", w.State, true)
	a.Verification.Status = verificationTable.In(&p, "", w.VerificationStatus, false)
	a.Verification.Method = methodVerificationTable.In(&p, "", w.VerificationMethod, false)
	a.CreatedBy = actorFromWire(&p, "createdBy", w.CreatedBy)
	a.UpdatedBy = actorFromWire(&p, "updatedBy", w.UpdatedBy)
	a.CreatedAt = r.created.Parse(&p, "createdAt", w.CreatedAt)
	a.UpdatedAt = r.updated.Parse(&p, "updatedAt", w.UpdatedAt)
	if k := w.Card; k != nil {
		e := &account.ExternalCard{
			FirstName: k.FirstName, MiddleName: k.MiddleName, LastName: k.LastName,
			LastFour:       wire.LastFour(&p, "card.cardNumberTail", k.CardNumberTail),
			Expiry:         expiry(&p, "card.expiry", k.Expiry),
			BillingAddress: addressFromWire(&p, "card.billingAddress", k.BillingAddress),
		}
		if !k.CardNumber.IsZero() {
			pan, err := card.ParsePANMin(k.CardNumber.Reveal(), account.MinCardNumberLength) // RocketKOR links 11..19 digits
			if err != nil {
				p.Merge("card", renamePAN(err, "cardNumber"))
			}
			e.PAN, e.BIN = pan, pan.BIN()
			if e.LastFour == "" {
				e.LastFour = pan.LastFour()
			}
		}
		a.External = e
	}
	shown := wire.NoNumber(&p, "maskedAccountNumber", w.MaskedAccountNumber)
	if a.External != nil {
		r.MaskedAccountNumber = maskedDiffers(shown, a.External.LastFour)
	} else {
		r.MaskedAccountNumber = shown
	}
	if err := p.Err("rocketkor.DecodeAccount"); err != nil {
		return account.Account{}, nil, err
	}
	return a, r, nil
}

// AccountToWire maps the neutral account to an External Card Financial
// Account. An integrated account, a GIFT subtype, or a value RocketKOR
// cannot express is an error naming the RocketKOR field.
func AccountToWire(a *account.Account, r *Residue) (*ExternalCardAccount, error) {
	if a == nil {
		return nil, wire.Nil("rocketkor.AccountToWire", "account")
	}
	if r == nil {
		r = &Residue{}
	}
	var p card.Problems
	w := &ExternalCardAccount{
		ID:                a.ProviderRefs[Name],
		BusinessAccountID: a.Tenant,
		Name:              a.Name,
		Category:          categoryExternal,
		Type:              typeCard,
	}
	if a.Kind != account.KindExternal {
		p.AddValue("category", card.CodeNotAllowed, a.Kind.String(), "this object is the External Card Financial Account")
	}
	wire.Text(&p, "name", a.Name, nameLimit)
	if a.Default || !r.NoDefaultFlag {
		def := a.Default // a copy: a pointer into a would move the account to the heap
		w.DefaultFlag = &def
	}
	w.Subtype = externalSubtypeTable.Out(&p, "", a.Subtype, true)
	if a.Currency != 0 {
		w.Currency = a.Currency.String()
	}
	if a.Holder.Kind != account.HolderBusiness {
		w.AccountHolderID = a.Holder.ID
		w.AccountHolderType = holderTypeTable.Out(&p, "", a.Holder.Kind, false)
	}
	w.State = stateTable.Out(&p, "", a.State, true)
	w.VerificationStatus = verificationTable.Out(&p, "", a.Verification.Status, false)
	w.VerificationMethod = methodVerificationTable.Out(&p, "", a.Verification.Method, false)
	w.CreatedBy = actorToWire(&p, "createdBy", a.CreatedBy)
	w.UpdatedBy = actorToWire(&p, "updatedBy", a.UpdatedBy)
	w.CreatedAt = r.created.Format(a.CreatedAt, wire.LayoutMillis)
	w.UpdatedAt = r.updated.Format(a.UpdatedAt, wire.LayoutMillis)
	w.MaskedAccountNumber = r.MaskedAccountNumber
	if e := a.External; e != nil {
		w.Card = &ExternalCard{
			FirstName: e.FirstName, MiddleName: e.MiddleName, LastName: e.LastName,
			CardNumberTail: e.LastFour, Expiry: e.Expiry.String(),
			BillingAddress: addressToWire(&p, "card.billingAddress", e.BillingAddress),
		}
		checkName(&p, "card", card.PersonName{First: e.FirstName, Middle: e.MiddleName, Last: e.LastName})
		if !e.PAN.IsZero() {
			w.Card.CardNumber = wire.NewNumber(e.PAN.RevealDigits()) // RocketKOR links an external card by its full number
		}
		w.MaskedAccountNumber = wire.Or(r.MaskedAccountNumber, masked(e.LastFour))
	}
	if err := p.Err("rocketkor.EncodeAccount"); err != nil {
		return nil, err
	}
	r.Unknown.PutUnknown(w)
	return w, nil
}

func actorFromWire(p *card.Problems, at string, w *Actor) account.Actor {
	if w == nil {
		return account.Actor{}
	}
	return account.Actor{ID: w.ID, Type: actorTable.In(p, at, w.Type, true)}
}

func actorToWire(p *card.Problems, at string, a account.Actor) *Actor {
	if a.IsZero() {
		return nil
	}
	return &Actor{ID: a.ID, Type: actorTable.Out(p, at, a.Type, true)}
}
