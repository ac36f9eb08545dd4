package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

func TestParseCountryIsTheDomains(t *testing.T) {
	codes := []string{"", "X", "XX", "XXX", "us", "USA ", "GBR", "GB", "CAN", "CA"}
	for _, c := range card.CountryValues() {
		codes = append(codes, c.Alpha2(), c.Alpha3(), c.String())
	}
	for _, code := range codes {
		want, werr := card.ParseCountry(code)
		got, gerr := wire.ParseCountry(code)
		assert.Equal(t, want, got, code)
		assert.Equal(t, werr, gerr, code)
	}
}
