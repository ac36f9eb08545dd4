package card

import (
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/cardkit/cardkit/internal/enum"
)

// Currency is an ISO 4217 currency from cardkit's table of those in use.
type Currency uint8

// Currencies. The zero Currency means "not given".
const (
	CurrencyUSD Currency = iota + 1
	CurrencyCAD
	CurrencyEUR
	CurrencyGBP
	CurrencyAUD
	CurrencyNZD
	CurrencyCHF
	CurrencyJPY
	CurrencyMXN
	CurrencySEK
	CurrencyNOK
	CurrencyDKK
	CurrencyPLN
	CurrencyCZK
	CurrencyHUF
	CurrencyRON
	CurrencyBGN
	CurrencySGD
	CurrencyHKD
	CurrencyINR
	CurrencyBRL
	CurrencyZAR
	CurrencyKRW
	CurrencyCNY
	CurrencyAED
	CurrencyILS
	CurrencyTRY
	CurrencyISK
	CurrencyCLP
	CurrencyBHD
	CurrencyKWD
)

var currencyEnum = enum.Enum[Currency]{Type: "card.Currency", Entries: []enum.Entry{
	CurrencyUSD: {Name: "USD", Doc: "US dollar"},
	CurrencyCAD: {Name: "CAD", Doc: "Canadian dollar"},
	CurrencyEUR: {Name: "EUR", Doc: "Euro"},
	CurrencyGBP: {Name: "GBP", Doc: "Pound sterling"},
	CurrencyAUD: {Name: "AUD", Doc: "Australian dollar"},
	CurrencyNZD: {Name: "NZD", Doc: "New Zealand dollar"},
	CurrencyCHF: {Name: "CHF", Doc: "Swiss franc"},
	CurrencyJPY: {Name: "JPY", Doc: "Yen"},
	CurrencyMXN: {Name: "MXN", Doc: "Mexican peso"},
	CurrencySEK: {Name: "SEK", Doc: "Swedish krona"},
	CurrencyNOK: {Name: "NOK", Doc: "Norwegian krone"},
	CurrencyDKK: {Name: "DKK", Doc: "Danish krone"},
	CurrencyPLN: {Name: "PLN", Doc: "Zloty"},
	CurrencyCZK: {Name: "CZK", Doc: "Czech koruna"},
	CurrencyHUF: {Name: "HUF", Doc: "Forint"},
	CurrencyRON: {Name: "RON", Doc: "Romanian leu"},
	CurrencyBGN: {Name: "BGN", Doc: "Bulgarian lev"},
	CurrencySGD: {Name: "SGD", Doc: "Singapore dollar"},
	CurrencyHKD: {Name: "HKD", Doc: "Hong Kong dollar"},
	CurrencyINR: {Name: "INR", Doc: "Indian rupee"},
	CurrencyBRL: {Name: "BRL", Doc: "Brazilian real"},
	CurrencyZAR: {Name: "ZAR", Doc: "Rand"},
	CurrencyKRW: {Name: "KRW", Doc: "Won"},
	CurrencyCNY: {Name: "CNY", Doc: "Yuan renminbi"},
	CurrencyAED: {Name: "AED", Doc: "UAE dirham"},
	CurrencyILS: {Name: "ILS", Doc: "New Israeli sheqel"},
	CurrencyTRY: {Name: "TRY", Doc: "Turkish lira"},
	CurrencyISK: {Name: "ISK", Doc: "Iceland krona"},
	CurrencyCLP: {Name: "CLP", Doc: "Chilean peso"},
	CurrencyBHD: {Name: "BHD", Doc: "Bahraini dinar"},
	CurrencyKWD: {Name: "KWD", Doc: "Kuwaiti dinar"},
}}

// currencyMinor is each currency's ISO 4217 minor unit: the number of
// decimal places an amount may have.
var currencyMinor = [...]uint8{
	CurrencyUSD: 2, CurrencyCAD: 2, CurrencyEUR: 2, CurrencyGBP: 2, CurrencyAUD: 2,
	CurrencyNZD: 2, CurrencyCHF: 2, CurrencyJPY: 0, CurrencyMXN: 2, CurrencySEK: 2,
	CurrencyNOK: 2, CurrencyDKK: 2, CurrencyPLN: 2, CurrencyCZK: 2, CurrencyHUF: 2,
	CurrencyRON: 2, CurrencyBGN: 2, CurrencySGD: 2, CurrencyHKD: 2, CurrencyINR: 2,
	CurrencyBRL: 2, CurrencyZAR: 2, CurrencyKRW: 0, CurrencyCNY: 2, CurrencyAED: 2,
	CurrencyILS: 2, CurrencyTRY: 2, CurrencyISK: 0, CurrencyCLP: 0, CurrencyBHD: 3,
	CurrencyKWD: 3,
}

// ParseCurrency parses an upper-case ISO 4217 code such as "USD".
func ParseCurrency(code string) (Currency, error) { return parseEnum(&currencyEnum, "currency", code) }

// CurrencyValues lists every Currency in the table.
func CurrencyValues() []Currency { return currencyEnum.Values() }

// String returns the ISO 4217 code.
func (c Currency) String() string { return currencyEnum.Name(c) }

// Name is the currency's English name.
func (c Currency) Name() string { return currencyEnum.Doc(c) }

// Valid reports whether c is one of the named values.
func (c Currency) Valid() bool { return currencyEnum.Valid(c) }

// MinorUnits is the number of decimal places an amount may have.
func (c Currency) MinorUnits() int {
	if !currencyEnum.Valid(c) {
		return 0
	}
	return int(currencyMinor[c])
}

// MarshalText encodes the ISO 4217 code.
func (c Currency) MarshalText() ([]byte, error) { return marshalEnum(&currencyEnum, "currency", c) }

// UnmarshalText decodes an ISO 4217 code; "" decodes to zero.
func (c *Currency) UnmarshalText(b []byte) error {
	return unmarshalEnum(&currencyEnum, "currency", c, b)
}

// CheckAmount records in p, against field, an amount that is negative or has
// more decimal places than the currency allows.
func (c Currency) CheckAmount(p *Problems, field string, amount decimal.Decimal) {
	if amount.IsNegative() {
		p.Add(field, CodeOutOfRange, "an amount is not negative")
	}
	if currencyEnum.Valid(c) && !amount.Equal(amount.Truncate(int32(c.MinorUnits()))) {
		p.Add(field, CodeFormat, "at most "+strconv.Itoa(c.MinorUnits())+" decimal places in "+c.String())
	}
}

// MCC is a merchant category code: four digits, "0000" to "9999".
type MCC uint16

// ParseMCC parses exactly four digits, such as "5411" or "0742".
func ParseMCC(s string) (MCC, error) {
	if len(s) != 4 || !allDigits(s) {
		var p Problems
		p.Add("mcc", CodeFormat, "a merchant category code is 4 digits")
		return 0, p.Err("card.ParseMCC")
	}
	n, _ := strconv.Atoi(s)
	return MCC(n), nil
}

// Valid reports whether m is at most 9999.
func (m MCC) Valid() bool { return m <= 9999 }

// String returns the four digits.
func (m MCC) String() string { return string(appendPadded(nil, int(m), 4)) }

// MarshalText encodes the four digits.
func (m MCC) MarshalText() ([]byte, error) {
	if !m.Valid() {
		var p Problems
		p.AddValue("mcc", CodeOutOfRange, strconv.Itoa(int(m)), "a merchant category code is at most 9999")
		return nil, p.Err("card.MCC")
	}
	return appendPadded(nil, int(m), 4), nil
}

// UnmarshalText decodes four digits.
func (m *MCC) UnmarshalText(b []byte) error {
	x, err := ParseMCC(string(b))
	if err != nil {
		return err
	}
	*m = x
	return nil
}

// Limit caps spending over an interval.
type Limit struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency Currency        `json:"currency,omitzero"`
	Interval Interval        `json:"interval,omitzero"`
}

// Controls are a card's spending controls.
type Controls struct {
	Limits []Limit `json:"limits,omitempty"`
	// AllowedCategories, when not empty, are the only merchant categories
	// the card may be used at; empty allows all.
	AllowedCategories []MCC `json:"allowed_categories,omitempty"`
	// BlockedCategories are merchant categories the card may not be used at.
	BlockedCategories []MCC `json:"blocked_categories,omitempty"`
}

// IsZero reports whether no control is set.
func (c Controls) IsZero() bool {
	return len(c.Limits) == 0 && len(c.AllowedCategories) == 0 && len(c.BlockedCategories) == 0
}

// Clone returns a deep copy.
func (c Controls) Clone() Controls {
	return Controls{
		Limits:            slices.Clone(c.Limits),
		AllowedCategories: slices.Clone(c.AllowedCategories),
		BlockedCategories: slices.Clone(c.BlockedCategories),
	}
}

// Check records in p, under prefix, every rule c breaks: each limit has a
// currency, an interval and an amount the currency can express; no two
// limits share a currency and an interval; codes are valid, not repeated,
// and none is both allowed and blocked.
func (c Controls) Check(p *Problems, prefix string) {
	for i, l := range c.Limits {
		at := index(joinPath(prefix, "limits"), i)
		switch {
		case l.Currency == 0:
			p.Add(at+".currency", CodeRequired, "a limit needs a currency")
		case !currencyEnum.Valid(l.Currency):
			p.AddValue(at+".currency", CodeUnknownValue, l.Currency.String(), "not a card.Currency")
		}
		switch {
		case l.Interval == 0:
			p.Add(at+".interval", CodeRequired, "a limit needs an interval")
		case !intervalEnum.Valid(l.Interval):
			p.AddValue(at+".interval", CodeUnknownValue, l.Interval.String(), "not a card.Interval")
		}
		l.Currency.CheckAmount(p, at+".amount", l.Amount)
		for j := range i {
			if c.Limits[j].Currency == l.Currency && c.Limits[j].Interval == l.Interval {
				p.Add(at, CodeDuplicate, "one limit per currency and interval")
				break
			}
		}
	}
	checkMCCs(p, joinPath(prefix, "allowed_categories"), c.AllowedCategories)
	checkMCCs(p, joinPath(prefix, "blocked_categories"), c.BlockedCategories)
	for i, m := range c.BlockedCategories {
		if slices.Contains(c.AllowedCategories, m) {
			p.AddValue(index(joinPath(prefix, "blocked_categories"), i), CodeConflict, m.String(), "a category is either allowed or blocked")
		}
	}
}

func checkMCCs(p *Problems, path string, ms []MCC) {
	for i, m := range ms {
		if !m.Valid() {
			p.AddValue(index(path, i), CodeOutOfRange, strconv.Itoa(int(m)), "a merchant category code is at most 9999")
		}
		if slices.Contains(ms[:i], m) {
			p.AddValue(index(path, i), CodeDuplicate, m.String(), "listed twice")
		}
	}
}
