package card

import (
	"strconv"
	"sync"

	"github.com/cardkit/cardkit/internal/enum"
)

// Country is an ISO 3166-1 country. Providers write countries as alpha-2
// ("US") or alpha-3 ("USA"); cardkit keeps one table that converts between
// the two for the countries in use, and refuses codes it does not list.
type Country uint8

// Countries in the table. The zero Country means "not given".
const (
	CountryAD Country = iota + 1
	CountryAE
	CountryAR
	CountryAT
	CountryAU
	CountryBE
	CountryBG
	CountryBR
	CountryCA
	CountryCH
	CountryCL
	CountryCN
	CountryCO
	CountryCY
	CountryCZ
	CountryDE
	CountryDK
	CountryEE
	CountryES
	CountryFI
	CountryFR
	CountryGB
	CountryGG
	CountryGI
	CountryGR
	CountryHK
	CountryHR
	CountryHU
	CountryIE
	CountryIL
	CountryIM
	CountryIN
	CountryIS
	CountryIT
	CountryJE
	CountryJP
	CountryKR
	CountryLI
	CountryLT
	CountryLU
	CountryLV
	CountryMC
	CountryMT
	CountryMX
	CountryMY
	CountryNL
	CountryNO
	CountryNZ
	CountryPE
	CountryPH
	CountryPL
	CountryPR
	CountryPT
	CountryRO
	CountrySA
	CountrySE
	CountrySG
	CountrySI
	CountrySK
	CountryTH
	CountryTR
	CountryTW
	CountryUS
	CountryUY
	CountryVN
	CountryZA
)

// countryEnum names each country by its alpha-2 code.
var countryEnum = enum.Enum[Country]{Type: "card.Country", Entries: []enum.Entry{
	CountryAD: {Name: "AD", Doc: "Andorra"},
	CountryAE: {Name: "AE", Doc: "United Arab Emirates"},
	CountryAR: {Name: "AR", Doc: "Argentina"},
	CountryAT: {Name: "AT", Doc: "Austria"},
	CountryAU: {Name: "AU", Doc: "Australia"},
	CountryBE: {Name: "BE", Doc: "Belgium"},
	CountryBG: {Name: "BG", Doc: "Bulgaria"},
	CountryBR: {Name: "BR", Doc: "Brazil"},
	CountryCA: {Name: "CA", Doc: "Canada"},
	CountryCH: {Name: "CH", Doc: "Switzerland"},
	CountryCL: {Name: "CL", Doc: "Chile"},
	CountryCN: {Name: "CN", Doc: "China"},
	CountryCO: {Name: "CO", Doc: "Colombia"},
	CountryCY: {Name: "CY", Doc: "Cyprus"},
	CountryCZ: {Name: "CZ", Doc: "Czechia"},
	CountryDE: {Name: "DE", Doc: "Germany"},
	CountryDK: {Name: "DK", Doc: "Denmark"},
	CountryEE: {Name: "EE", Doc: "Estonia"},
	CountryES: {Name: "ES", Doc: "Spain"},
	CountryFI: {Name: "FI", Doc: "Finland"},
	CountryFR: {Name: "FR", Doc: "France"},
	CountryGB: {Name: "GB", Doc: "United Kingdom"},
	CountryGG: {Name: "GG", Doc: "Guernsey"},
	CountryGI: {Name: "GI", Doc: "Gibraltar"},
	CountryGR: {Name: "GR", Doc: "Greece"},
	CountryHK: {Name: "HK", Doc: "Hong Kong"},
	CountryHR: {Name: "HR", Doc: "Croatia"},
	CountryHU: {Name: "HU", Doc: "Hungary"},
	CountryIE: {Name: "IE", Doc: "Ireland"},
	CountryIL: {Name: "IL", Doc: "Israel"},
	CountryIM: {Name: "IM", Doc: "Isle of Man"},
	CountryIN: {Name: "IN", Doc: "India"},
	CountryIS: {Name: "IS", Doc: "Iceland"},
	CountryIT: {Name: "IT", Doc: "Italy"},
	CountryJE: {Name: "JE", Doc: "Jersey"},
	CountryJP: {Name: "JP", Doc: "Japan"},
	CountryKR: {Name: "KR", Doc: "South Korea"},
	CountryLI: {Name: "LI", Doc: "Liechtenstein"},
	CountryLT: {Name: "LT", Doc: "Lithuania"},
	CountryLU: {Name: "LU", Doc: "Luxembourg"},
	CountryLV: {Name: "LV", Doc: "Latvia"},
	CountryMC: {Name: "MC", Doc: "Monaco"},
	CountryMT: {Name: "MT", Doc: "Malta"},
	CountryMX: {Name: "MX", Doc: "Mexico"},
	CountryMY: {Name: "MY", Doc: "Malaysia"},
	CountryNL: {Name: "NL", Doc: "Netherlands"},
	CountryNO: {Name: "NO", Doc: "Norway"},
	CountryNZ: {Name: "NZ", Doc: "New Zealand"},
	CountryPE: {Name: "PE", Doc: "Peru"},
	CountryPH: {Name: "PH", Doc: "Philippines"},
	CountryPL: {Name: "PL", Doc: "Poland"},
	CountryPR: {Name: "PR", Doc: "Puerto Rico"},
	CountryPT: {Name: "PT", Doc: "Portugal"},
	CountryRO: {Name: "RO", Doc: "Romania"},
	CountrySA: {Name: "SA", Doc: "Saudi Arabia"},
	CountrySE: {Name: "SE", Doc: "Sweden"},
	CountrySG: {Name: "SG", Doc: "Singapore"},
	CountrySI: {Name: "SI", Doc: "Slovenia"},
	CountrySK: {Name: "SK", Doc: "Slovakia"},
	CountryTH: {Name: "TH", Doc: "Thailand"},
	CountryTR: {Name: "TR", Doc: "Türkiye"},
	CountryTW: {Name: "TW", Doc: "Taiwan"},
	CountryUS: {Name: "US", Doc: "United States"},
	CountryUY: {Name: "UY", Doc: "Uruguay"},
	CountryVN: {Name: "VN", Doc: "Viet Nam"},
	CountryZA: {Name: "ZA", Doc: "South Africa"},
}}

// countryAlpha3 holds each country's alpha-3 code, indexed by Country.
var countryAlpha3 = [...]string{
	CountryAD: "AND", CountryAE: "ARE", CountryAR: "ARG", CountryAT: "AUT", CountryAU: "AUS",
	CountryBE: "BEL", CountryBG: "BGR", CountryBR: "BRA", CountryCA: "CAN", CountryCH: "CHE",
	CountryCL: "CHL", CountryCN: "CHN", CountryCO: "COL", CountryCY: "CYP", CountryCZ: "CZE",
	CountryDE: "DEU", CountryDK: "DNK", CountryEE: "EST", CountryES: "ESP", CountryFI: "FIN",
	CountryFR: "FRA", CountryGB: "GBR", CountryGG: "GGY", CountryGI: "GIB", CountryGR: "GRC",
	CountryHK: "HKG", CountryHR: "HRV", CountryHU: "HUN", CountryIE: "IRL", CountryIL: "ISR",
	CountryIM: "IMN", CountryIN: "IND", CountryIS: "ISL", CountryIT: "ITA", CountryJE: "JEY",
	CountryJP: "JPN", CountryKR: "KOR", CountryLI: "LIE", CountryLT: "LTU", CountryLU: "LUX",
	CountryLV: "LVA", CountryMC: "MCO", CountryMT: "MLT", CountryMX: "MEX", CountryMY: "MYS",
	CountryNL: "NLD", CountryNO: "NOR", CountryNZ: "NZL", CountryPE: "PER", CountryPH: "PHL",
	CountryPL: "POL", CountryPR: "PRI", CountryPT: "PRT", CountryRO: "ROU", CountrySA: "SAU",
	CountrySE: "SWE", CountrySG: "SGP", CountrySI: "SVN", CountrySK: "SVK", CountryTH: "THA",
	CountryTR: "TUR", CountryTW: "TWN", CountryUS: "USA", CountryUY: "URY", CountryVN: "VNM",
	CountryZA: "ZAF",
}

// ParseCountry parses an upper-case ISO 3166-1 alpha-2 ("CA") or alpha-3
// ("CAN") code. A code not in the table is an error.
func ParseCountry(code string) (Country, error) {
	if len(code) == 3 {
		if c, ok := countryByAlpha3()[code]; ok {
			return c, nil
		}
	}
	return parseEnum(&countryEnum, "country", code)
}

// countryByAlpha3 indexes countryAlpha3, once: addresses from providers are
// parsed on every card they send.
var countryByAlpha3 = sync.OnceValue(func() map[string]Country {
	m := make(map[string]Country, len(countryAlpha3))
	for c := len(countryAlpha3) - 1; c >= 1; c-- { // the first of equal codes wins, as in a scan
		m[countryAlpha3[c]] = Country(c)
	}
	return m
})

// CountryValues lists every Country in the table.
func CountryValues() []Country { return countryEnum.Values() }

// Alpha2 is the two-letter code, such as "CA".
func (c Country) Alpha2() string { return countryEnum.Name(c) }

// Alpha3 is the three-letter code, such as "CAN".
func (c Country) Alpha3() string {
	if !countryEnum.Valid(c) {
		return c.Alpha2()
	}
	return countryAlpha3[c]
}

// Name is the English short name.
func (c Country) Name() string { return countryEnum.Doc(c) }

// Valid reports whether c is one of the named values.
func (c Country) Valid() bool { return countryEnum.Valid(c) }

// String returns the alpha-2 code.
func (c Country) String() string { return c.Alpha2() }

// MarshalText encodes the alpha-2 code.
func (c Country) MarshalText() ([]byte, error) { return marshalEnum(&countryEnum, "country", c) }

// UnmarshalText decodes an alpha-2 or alpha-3 code; "" decodes to zero.
func (c *Country) UnmarshalText(b []byte) error { return decodeText(c, b, ParseCountry) }

// Address is a postal address.
type Address struct {
	Line1      string  `json:"line1,omitempty"`
	Line2      string  `json:"line2,omitempty"`
	Line3      string  `json:"line3,omitempty"`
	City       string  `json:"city,omitempty"`
	Region     string  `json:"region,omitempty"` // state, province or territory code, such as "CA" or "BC"
	PostalCode string  `json:"postal_code,omitempty"`
	Country    Country `json:"country,omitzero"`
}

// IsZero reports whether no part of the address is given.
func (a Address) IsZero() bool { return a == Address{} }

// Validate checks a; see Check.
func (a Address) Validate() error {
	var p Problems
	a.Check(&p, "")
	return p.Err("card.Address")
}

// Check records in p, under prefix, every rule a breaks: line 1, the city
// and the country are required; each line and the city have at most 100
// characters; a region (2 or 3 of A-Z 0-9) and a postal code are required in
// the United States and Canada; a US postal code is 5 digits or 5-4 digits,
// any other at most 10 characters.
func (a Address) Check(p *Problems, prefix string) { a.check(p, prefix, RuleAddressLine, RuleCity) }

// CheckBilling is Check with the tighter limits documented for the billing
// address of a linked card: lines of at most 50 characters, a city of at
// most 25.
func (a Address) CheckBilling(p *Problems, prefix string) {
	a.check(p, prefix, RuleBillingLine, RuleBillingCity)
}

func (a Address) check(p *Problems, prefix string, line, city TextRule) {
	at := func(f string) string { return joinPath(prefix, f) }
	required := func(field, v string, rule TextRule) {
		if v == "" {
			p.Add(at(field), CodeRequired, rule.Doc()+" is required")
			return
		}
		rule.Check(p, at(field), v)
	}
	optional := func(field, v string, rule TextRule) {
		if v != "" {
			rule.Check(p, at(field), v)
		}
	}
	required("line1", a.Line1, line)
	optional("line2", a.Line2, line)
	optional("line3", a.Line3, line)
	required("city", a.City, city)
	switch {
	case a.Country == 0:
		p.Add(at("country"), CodeRequired, "a country is required")
	case !countryEnum.Valid(a.Country):
		p.AddValue(at("country"), CodeUnknownValue, strconv.Itoa(int(a.Country)), "not a card.Country")
	}
	northAmerica := a.Country == CountryUS || a.Country == CountryCA
	if northAmerica {
		required("region", a.Region, RuleRegion)
	} else {
		optional("region", a.Region, RuleRegion)
	}
	switch {
	case a.Country == CountryUS:
		if a.PostalCode == "" {
			p.Add(at("postal_code"), CodeRequired, "a US address needs a ZIP code")
		} else if !usZIP(a.PostalCode) {
			p.Add(at("postal_code"), CodeFormat, "a ZIP code is 5 digits or 5-4 digits")
		}
	case northAmerica:
		required("postal_code", a.PostalCode, RulePostalCode)
	default:
		optional("postal_code", a.PostalCode, RulePostalCode)
	}
}

// usZIP reports whether s is 12345 or 12345-6789.
func usZIP(s string) bool {
	switch len(s) {
	case 5:
		return allDigits(s)
	case 10:
		return allDigits(s[:5]) && s[5] == '-' && allDigits(s[6:])
	}
	return false
}
