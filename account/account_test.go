package account_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/enumtest"
)

const number = "4111111111111111"

var t0 = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)

func key(t testing.TB) card.FingerprintKey {
	k, err := card.NewFingerprintKey(bytes.Repeat([]byte{3}, 32))
	require.NoError(t, err)
	return k
}

func integrated() account.Account {
	return account.Account{
		ID:        uuid.MustParse("7d08a89d-2ac5-4ed3-a6ca-ad7c974c994e"),
		Tenant:    "acme",
		Kind:      account.KindIntegrated,
		Name:      "Debit Card",
		Holder:    account.Holder{Kind: account.HolderCustomer, ID: "6d0b12d8-6e9d-4021-85da-b42ab3845f11"},
		Subtype:   card.TypeDebit,
		Currency:  card.CurrencyUSD,
		State:     account.StateActive,
		CreatedBy: account.Actor{Type: account.ActorEmployee, ID: "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
		UpdatedBy: account.Actor{Type: account.ActorInternal},
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func external(t testing.TB) account.Account {
	a := integrated()
	a.Kind = account.KindExternal
	a.Name = "My other bank's card"
	a.Subtype = card.TypeCredit
	a.Verification = account.Verification{Status: account.VerificationPending, Method: account.MethodPrenote}
	pan, err := account.ParseCardNumber(number)
	require.NoError(t, err)
	a.External = &account.ExternalCard{
		FirstName: "Mark", MiddleName: "David", LastName: "Strong",
		Expiry: card.Expiry{Year: 2027, Month: time.December},
		BillingAddress: card.Address{
			Line1: "625 Queen St", City: "Vancouver", Region: "BC", PostalCode: "V5K 0A1", Country: card.CountryCA,
		},
	}
	a.External.SetPAN(pan, key(t))
	return a
}

func TestEnums(t *testing.T) {
	t.Run("Kind", func(t *testing.T) {
		enumtest.Check(t, account.KindValues(), account.ParseKind, (*account.Kind).UnmarshalText, 2)
	})
	t.Run("State", func(t *testing.T) {
		enumtest.Check(t, account.StateValues(), account.ParseState, (*account.State).UnmarshalText, 3)
	})
	t.Run("VerificationStatus", func(t *testing.T) {
		enumtest.Check(t, account.VerificationStatusValues(), account.ParseVerificationStatus, (*account.VerificationStatus).UnmarshalText, 7)
	})
	t.Run("VerificationMethod", func(t *testing.T) {
		enumtest.Check(t, account.VerificationMethodValues(), account.ParseVerificationMethod, (*account.VerificationMethod).UnmarshalText, 2)
	})
	t.Run("HolderKind", func(t *testing.T) {
		enumtest.Check(t, account.HolderKindValues(), account.ParseHolderKind, (*account.HolderKind).UnmarshalText, 3)
	})
	t.Run("ActorType", func(t *testing.T) {
		enumtest.Check(t, account.ActorTypeValues(), account.ParseActorType, (*account.ActorType).UnmarshalText, 4)
	})
}

func TestValidAccounts(t *testing.T) {
	a := integrated()
	require.NoError(t, a.Validate())
	b := external(t)
	require.NoError(t, b.Validate())

	// At rest an external card is known by last four and fingerprint.
	b.External.PAN = card.PAN{}
	require.NoError(t, b.Validate())
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name  string
		base  func(testing.TB) account.Account
		edit  func(*account.Account)
		field string
		code  card.Code
	}{
		{"no name", ext, func(a *account.Account) { a.Name = "" }, "name", card.CodeRequired},
		{"long name", ext, func(a *account.Account) { a.Name = strings.Repeat("n", 101) }, "name", card.CodeTooLong},
		{"no kind", ext, func(a *account.Account) { a.Kind = 0 }, "kind", card.CodeRequired},
		{"no holder id", ext, func(a *account.Account) { a.Holder.ID = "" }, "holder.id", card.CodeRequired},
		{"unknown holder kind", ext, func(a *account.Account) { a.Holder.Kind = 9 }, "holder.kind", card.CodeUnknownValue},
		{"recipient of an integrated account", integ, func(a *account.Account) { a.Holder.Kind = account.HolderRecipient }, "holder.kind", card.CodeNotAllowed},
		{"prepaid external", ext, func(a *account.Account) { a.Subtype = card.TypePrepaid }, "subtype", card.CodeNotAllowed},
		{"no subtype", ext, func(a *account.Account) { a.Subtype = 0 }, "subtype", card.CodeRequired},
		{"no currency", ext, func(a *account.Account) { a.Currency = 0 }, "currency", card.CodeRequired},
		{"unknown currency", ext, func(a *account.Account) { a.Currency = 200 }, "currency", card.CodeUnknownValue},
		{"no state", ext, func(a *account.Account) { a.State = 0 }, "state", card.CodeRequired},
		{"integrated with a linked card", integ, func(a *account.Account) { a.External = &account.ExternalCard{} }, "external", card.CodeNotAllowed},
		{"external without a card", ext, func(a *account.Account) { a.External = nil }, "external", card.CodeRequired},
		{"no first name", ext, func(a *account.Account) { a.External.FirstName = "" }, "external.first_name", card.CodeRequired},
		{"long last name", ext, func(a *account.Account) { a.External.LastName = strings.Repeat("x", 41) }, "external.last_name", card.CodeTooLong},
		{"no number", ext, func(a *account.Account) {
			a.External.PAN, a.External.LastFour = card.PAN{}, ""
		}, "external.card_number", card.CodeRequired},
		{"number and last four disagree", ext, func(a *account.Account) { a.External.LastFour = "0000" }, "external.card_number", card.CodeMismatch},
		{"bad last four", ext, func(a *account.Account) { a.External.PAN, a.External.LastFour = card.PAN{}, "12a4" }, "external.last_four", card.CodeFormat},
		{"whole number as BIN", ext, func(a *account.Account) { a.External.PAN, a.External.BIN = card.PAN{}, "4111111111111111" }, "external.bin", card.CodeFormat},
		{"short BIN", ext, func(a *account.Account) { a.External.PAN, a.External.BIN = card.PAN{}, "4111" }, "external.bin", card.CodeFormat},
		{"actor id not UTF-8", ext, func(a *account.Account) { a.CreatedBy = account.Actor{Type: account.ActorEmployee, ID: "emp\xff1"} }, "created_by.id", card.CodeCharset},
		{"actor id over 255", ext, func(a *account.Account) {
			a.UpdatedBy = account.Actor{Type: account.ActorEmployee, ID: strings.Repeat("e", 256)}
		}, "updated_by.id", card.CodeTooLong},
		{"no expiry", ext, func(a *account.Account) { a.External.Expiry = card.Expiry{} }, "external.expiry", card.CodeRequired},
		{"bad expiry", ext, func(a *account.Account) { a.External.Expiry.Month = 0 }, "external.expiry.month", card.CodeOutOfRange},
		{"no billing address", ext, func(a *account.Account) { a.External.BillingAddress = card.Address{} }, "external.billing_address", card.CodeRequired},
		{"billing line over 50", ext, func(a *account.Account) {
			a.External.BillingAddress.Line1 = strings.Repeat("a", 51)
		}, "external.billing_address.line1", card.CodeTooLong},
		{"billing city over 25", ext, func(a *account.Account) {
			a.External.BillingAddress.City = strings.Repeat("c", 26)
		}, "external.billing_address.city", card.CodeTooLong},
		{"no province in Canada", ext, func(a *account.Account) { a.External.BillingAddress.Region = "" }, "external.billing_address.region", card.CodeRequired},
		{"bad US ZIP", ext, func(a *account.Account) {
			a.External.BillingAddress = card.Address{Line1: "1 Main", City: "Wentzville", Region: "MO", PostalCode: "6336", Country: card.CountryUS}
		}, "external.billing_address.postal_code", card.CodeFormat},
		{"unknown verification", ext, func(a *account.Account) { a.Verification.Status = 42 }, "verification.status", card.CodeUnknownValue},
		{"verified integrated account", integ, func(a *account.Account) { a.Verification.Status = account.VerificationApproved }, "verification", card.CodeNotAllowed},
		{"internal actor with an id", ext, func(a *account.Account) { a.UpdatedBy.ID = "x" }, "updated_by.id", card.CodeNotAllowed},
		{"employee without an id", ext, func(a *account.Account) { a.CreatedBy.ID = "" }, "created_by.id", card.CodeRequired},
		{"updated before created", ext, func(a *account.Account) { a.UpdatedAt = t0.Add(-time.Hour) }, "updated_at", card.CodeOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.base(t)
			tt.edit(&a)
			err := a.Validate()
			require.ErrorIs(t, err, card.ErrInvalid)
			var e *card.Error
			require.ErrorAs(t, err, &e)
			assert.True(t, e.Has(tt.field, tt.code), "want %s %s, got %v", tt.field, tt.code, err)
			assert.NotContains(t, err.Error(), number)
		})
	}
}

func ext(t testing.TB) account.Account { return external(t) }

func integ(testing.TB) account.Account { return integrated() }

func TestParseCardNumber(t *testing.T) {
	_, err := account.ParseCardNumber("4111111111111112")
	var e *card.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "external.card_number", e.Fields[0].Field)
	assert.Equal(t, card.CodeChecksum, e.Fields[0].Code)
	assert.NotContains(t, err.Error(), "4111111111111112")
	// External cards may have 11 digits, as documented; a short number shows
	// no BIN, so that four digits stay hidden.
	p, err := account.ParseCardNumber("41111111112")
	require.NoError(t, err)
	assert.Equal(t, 11, p.Len())
	assert.Equal(t, "", p.BIN())
	assert.Equal(t, "*******1112", p.Masked())
	_, err = account.ParseCardNumber("4111111110")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, card.CodeTooShort, e.Fields[0].Code)
}

func TestAccountNeverShowsTheNumber(t *testing.T) {
	a := external(t)
	js, err := json.Marshal(a)
	require.NoError(t, err)
	assert.NotContains(t, string(js), number)
	assert.Contains(t, string(js), `"last_four":"1111"`)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, a), number, verb)
		assert.NotContains(t, fmt.Sprintf(verb, *a.External), number, verb)
	}

	var back account.Account
	require.NoError(t, json.Unmarshal(js, &back))
	want := a.Clone()
	want.External.PAN = card.PAN{}
	assert.Equal(t, want, back)
}

func TestClone(t *testing.T) {
	a := external(t)
	a.ProviderRefs = map[string]string{"rocketkor": "x"}
	b := a.Clone()
	b.External.LastName = "changed"
	b.ProviderRefs["rocketkor"] = "changed"
	assert.Equal(t, "Strong", a.External.LastName)
	assert.Equal(t, "x", a.ProviderRefs["rocketkor"])
}

func TestCardHolder(t *testing.T) {
	h, ok := account.Holder{Kind: account.HolderCustomer, ID: "c1"}.CardHolder()
	assert.True(t, ok)
	assert.Equal(t, card.Holder{CustomerID: "c1"}, h)
	h, ok = account.Holder{Kind: account.HolderBusiness, ID: "b1"}.CardHolder()
	assert.True(t, ok)
	assert.Equal(t, card.Holder{BusinessID: "b1"}, h)
	_, ok = account.Holder{Kind: account.HolderRecipient, ID: "r1"}.CardHolder()
	assert.False(t, ok)
}

func TestDefaults(t *testing.T) {
	usd1, usd2, cad := integrated(), integrated(), integrated()
	usd2.ID, cad.ID = uuid.New(), uuid.New()
	cad.Currency = card.CurrencyCAD
	other := integrated()
	other.ID, other.Holder.ID = uuid.New(), "someone-else"
	usd1.Default, cad.Default, other.Default = true, true, true
	accounts := []account.Account{usd1, usd2, cad, other}
	require.NoError(t, account.CheckDefaults(accounts), "one default per holder and currency")

	accounts[1].Default = true
	err := account.CheckDefaults(accounts)
	var e *card.Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Fields, 1)
	assert.Equal(t, "[1].default", e.Fields[0].Field)
	assert.Equal(t, card.CodeConflict, e.Fields[0].Code)

	accounts[1].Default = false
	changed := account.SetDefault(accounts, 1, t0.Add(time.Hour))
	assert.Equal(t, []int{0, 1}, changed, "the old default is cleared, the new one set")
	assert.False(t, accounts[0].Default)
	assert.True(t, accounts[1].Default)
	assert.True(t, accounts[2].Default, "another currency is untouched")
	assert.True(t, accounts[3].Default, "another holder is untouched")
	assert.Equal(t, int64(1), accounts[0].Version)
	assert.Equal(t, t0.Add(time.Hour), accounts[1].UpdatedAt)
	require.NoError(t, account.CheckDefaults(accounts))

	assert.Empty(t, account.SetDefault(accounts, 1, t0), "already the default")
	assert.Nil(t, account.SetDefault(accounts, 9, t0))
}

func TestCheckCardIssue(t *testing.T) {
	suspended := integrated()
	suspended.State = account.StateSuspended
	recipient := integrated()
	recipient.Holder = account.Holder{Kind: account.HolderRecipient, ID: "r1"}
	named := card.Holder{CustomerID: "c9"}
	for _, tt := range []struct {
		name   string
		a      account.Account
		holder card.Holder
		want   []string // "field=value"
	}{
		{"integrated, its own holder", integrated(), card.Holder{}, nil},
		{"external", external(t), card.Holder{}, []string{"account_id=EXTERNAL"}},
		{"suspended", suspended, card.Holder{}, []string{"account_id=SUSPENDED"}},
		{"a recipient holds no card", recipient, card.Holder{}, []string{"holder=RECIPIENT"}},
		{"a recipient's account, a holder named", recipient, named, nil},
		{"a recipient's account, a name but no holder", recipient, card.Holder{Name: card.PersonName{First: "Jane"}}, []string{"holder=RECIPIENT"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p card.Problems
			tt.a.CheckCardIssue(&p, "account_id", "holder", tt.holder)
			var got []string
			if err := p.Err("test"); err != nil {
				var e *card.Error
				require.ErrorAs(t, err, &e)
				for _, f := range e.Fields {
					got = append(got, f.Field+"="+f.Value)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestCardHolderFor: a holder that names a customer or a business is kept;
// one that names neither takes the account's, keeping its name.
func TestCardHolderFor(t *testing.T) {
	a := integrated()
	own, ok := a.Holder.CardHolder()
	require.True(t, ok)
	named := card.Holder{BusinessID: "b9"}
	got, ok := a.CardHolderFor(named)
	assert.True(t, ok)
	assert.Equal(t, named, got)

	nameOnly := card.Holder{Name: card.PersonName{First: "Jane"}}
	got, ok = a.CardHolderFor(nameOnly)
	assert.True(t, ok)
	assert.Equal(t, own.CustomerID, got.CustomerID)
	assert.Equal(t, own.BusinessID, got.BusinessID)
	assert.Equal(t, "Jane", got.Name.First)

	a.Holder = account.Holder{Kind: account.HolderRecipient, ID: "r1"}
	_, ok = a.CardHolderFor(nameOnly)
	assert.False(t, ok)
}
