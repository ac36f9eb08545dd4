package wire

import "github.com/cardkit/cardkit/card"

// countries finds a country by the codes card.ParseCountry reads: its
// alpha-3 code, then its alpha-2 code. It is built once from the domain's
// table and never written: card.ParseCountry scans the table, some 250
// comparisons for "US", on every address a provider sends.
var countries = func() map[string]card.Country {
	m := map[string]card.Country{}
	for _, c := range card.CountryValues() {
		m[c.Alpha2()] = c
	}
	for _, c := range card.CountryValues() {
		if a3 := c.Alpha3(); len(a3) == 3 {
			m[a3] = c // as card.ParseCountry: an alpha-3 code first
		}
	}
	return m
}()

// ParseCountry is card.ParseCountry, the same result and the same error,
// found in a map.
func ParseCountry(code string) (card.Country, error) {
	if c, ok := countries[code]; ok {
		return c, nil
	}
	return card.ParseCountry(code)
}
