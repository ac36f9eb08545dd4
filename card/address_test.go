package card_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

func TestCountryCodes(t *testing.T) {
	alpha3 := map[string]bool{}
	for _, c := range card.CountryValues() {
		require.Len(t, c.Alpha2(), 2)
		require.Len(t, c.Alpha3(), 3)
		require.NotEmpty(t, c.Name())
		require.False(t, alpha3[c.Alpha3()], "alpha-3 %s twice", c.Alpha3())
		alpha3[c.Alpha3()] = true
		for _, code := range []string{c.Alpha2(), c.Alpha3()} {
			got, err := card.ParseCountry(code)
			require.NoError(t, err)
			assert.Equal(t, c, got)
		}
	}
	for a2, a3 := range map[string]string{"US": "USA", "CA": "CAN", "GB": "GBR", "MX": "MEX", "DE": "DEU", "CH": "CHE"} {
		c, err := card.ParseCountry(a2)
		require.NoError(t, err)
		assert.Equal(t, a3, c.Alpha3())
	}
	for _, bad := range []string{"", "us", "usa", "XX", "XXX", "UK", "U", "USAA"} {
		_, err := card.ParseCountry(bad)
		assert.ErrorIs(t, err, card.ErrInvalid, bad)
	}
	var c card.Country
	require.NoError(t, c.UnmarshalText([]byte("CAN")))
	assert.Equal(t, card.CountryCA, c)
	assert.Equal(t, "CA", c.String())
}

func TestAddressRules(t *testing.T) {
	good := card.Address{Line1: "625 Queen St", City: "Vancouver", Region: "BC", PostalCode: "V5K 0A1", Country: card.CountryCA}
	require.NoError(t, good.Validate())
	tests := []struct {
		name  string
		edit  func(*card.Address)
		field string
		code  card.Code
	}{
		{"no line 1", func(a *card.Address) { a.Line1 = "" }, "line1", card.CodeRequired},
		{"long line", func(a *card.Address) { a.Line2 = string(make([]byte, 51)) }, "line2", card.CodeCharset},
		{"long line 3", func(a *card.Address) { a.Line3 = strings.Repeat("x", 101) }, "line3", card.CodeTooLong},
		{"no city", func(a *card.Address) { a.City = "" }, "city", card.CodeRequired},
		{"long city", func(a *card.Address) { a.City = strings.Repeat("c", 101) }, "city", card.CodeTooLong},
		{"no country", func(a *card.Address) { a.Country = 0 }, "country", card.CodeRequired},
		{"unknown country", func(a *card.Address) { a.Country = 250 }, "country", card.CodeUnknownValue},
		{"no province in Canada", func(a *card.Address) { a.Region = "" }, "region", card.CodeRequired},
		{"lower-case province", func(a *card.Address) { a.Region = "bc" }, "region", card.CodeCharset},
		{"no postal code in Canada", func(a *card.Address) { a.PostalCode = "" }, "postal_code", card.CodeRequired},
		{"long postal code", func(a *card.Address) { a.PostalCode = "V5K 0A1 123" }, "postal_code", card.CodeTooLong},
		{"US ZIP+4 with a space", func(a *card.Address) { a.Country, a.Region, a.PostalCode = card.CountryUS, "MO", "63368 5555" }, "postal_code", card.CodeFormat},
		{"US ZIP of 4", func(a *card.Address) { a.Country, a.Region, a.PostalCode = card.CountryUS, "MO", "6336" }, "postal_code", card.CodeFormat},
		{"US without ZIP", func(a *card.Address) { a.Country, a.Region, a.PostalCode = card.CountryUS, "MO", "" }, "postal_code", card.CodeRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := good
			tt.edit(&a)
			var e *card.Error
			require.ErrorAs(t, a.Validate(), &e)
			assert.True(t, e.Has(tt.field, tt.code), "%v", e)
		})
	}
	// A linked card's billing address has tighter, documented limits.
	long := good
	long.Line1, long.City = strings.Repeat("a", 51), "Llanfairpwllgwyngyllgogerychwyrndrobwll"
	require.NoError(t, long.Validate(), "50 and 25 are not the general limits")
	var p card.Problems
	long.CheckBilling(&p, "billing")
	e, ok := p.Err("test").(*card.Error)
	require.True(t, ok)
	assert.True(t, e.Has("billing.line1", card.CodeTooLong))
	assert.True(t, e.Has("billing.city", card.CodeTooLong))

	for _, ok := range []card.Address{
		{Line1: "1 Test Avenue", City: "London", PostalCode: "SW1 1AA", Country: card.CountryGB},
		{Line1: "1 Test Avenue", City: "Dublin", Country: card.CountryIE},
		{Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS},
		{Line1: "Main St", City: "St. Peters", Region: "MO", PostalCode: "63368-5555", Country: card.CountryUS},
	} {
		assert.NoError(t, ok.Validate(), "%+v", ok)
	}
}
