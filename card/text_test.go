package card_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

func TestEmbossLineRule(t *testing.T) {
	tests := []struct {
		in    string
		codes []card.Code
	}{
		{"JANE SMITH", nil},
		{"Jane O'Neil-Smith", nil},
		{"ACME & SONS, INC./NY", nil},
		{strings.Repeat("A", 21), nil},
		{strings.Repeat("A", 22), []card.Code{card.CodeTooLong}},
		{"", []card.Code{card.CodeRequired}},
		{"José", []card.Code{card.CodeCharset}},
		{"Jane\tSmith", []card.Code{card.CodeCharset}},
		{"Jane_Smith!", []card.Code{card.CodeCharset}},
		{"ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ", []card.Code{card.CodeCharset, card.CodeTooLong}},
		{"\xff", []card.Code{card.CodeCharset}},
	}
	for _, tt := range tests {
		err := card.RuleEmbossLine.Validate("emboss.line1", tt.in)
		if tt.codes == nil {
			assert.NoError(t, err, "%q", tt.in)
			continue
		}
		var e *card.Error
		require.ErrorAs(t, err, &e, "%q", tt.in)
		var got []card.Code
		for _, f := range e.Fields {
			assert.Equal(t, "emboss.line1", f.Field)
			got = append(got, f.Code)
		}
		assert.Equal(t, tt.codes, got, "%q", tt.in)
	}
}

func TestTextRules(t *testing.T) {
	// The documented limits, as data an adapter can read.
	want := map[card.TextRule]card.TextLimit{
		card.RuleEmbossLine:  {Min: 1, Max: 21, Charset: card.CharsetEmboss},
		card.RuleNameOnCard:  {Min: 1, Max: 60},
		card.RulePersonName:  {Min: 1, Max: 40},
		card.RuleAccountName: {Min: 1, Max: 100},
		card.RuleAddressLine: {Min: 1, Max: 100},
		card.RuleCity:        {Min: 1, Max: 100},
		card.RuleBillingLine: {Min: 1, Max: 50},
		card.RuleBillingCity: {Min: 1, Max: 25},
		card.RuleMemo:        {Max: 255},
		card.RuleTenant:      {Min: 1, Max: 64},
	}
	for r, l := range want {
		assert.Equal(t, l, r.Limit(), r.String())
	}
	for _, r := range card.TextRuleValues() {
		assert.NotEmpty(t, r.String())
		assert.NotEmpty(t, r.Doc())
		assert.NotZero(t, r.Limit().Max, r.String())
	}
	assert.Equal(t, card.TextLimit{}, card.TextRule(99).Limit())

	// Name on card counts characters, not bytes.
	assert.NoError(t, card.RuleNameOnCard.Validate("name_on_card", strings.Repeat("é", 60)))
	assert.Error(t, card.RuleNameOnCard.Validate("name_on_card", strings.Repeat("é", 61)))
	assert.Error(t, card.RuleNameOnCard.Validate("name_on_card", "a\nb"))

	// A provider's own limit, written with the domain's machinery.
	recipient := card.TextLimit{Max: 30}
	assert.Error(t, recipient.Validate("recipient.first_name", strings.Repeat("x", 31)))
	assert.NoError(t, recipient.Validate("recipient.first_name", ""))
}

func TestCharsets(t *testing.T) {
	assert.True(t, card.CharsetEmboss.Allows('&'))
	assert.False(t, card.CharsetEmboss.Allows('_'))
	assert.True(t, card.CharsetDigits.Allows('7'))
	assert.False(t, card.CharsetDigits.Allows('a'))
	assert.True(t, card.CharsetPrintable.Allows('é'))
	assert.False(t, card.CharsetPrintable.Allows('\n'))
	assert.False(t, card.Charset(42).Allows('a'))
	assert.Equal(t, "digits only", card.CharsetDigits.String())
	assert.Equal(t, "card.Charset(42)", card.Charset(42).String())
}

func TestHoldsCardNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"4111111111111111":                       true,
		"card 4111 1111 1111 1111 please":        true,
		"4111-1111-1111-1111":                    true,
		"４１１１１１１１１１１１１１１１":                       true,
		"4111%201111%201111%201111":              true,
		"378282246310005":                        true, // American Express, 15 digits
		"6011111111111117 and more":              true,
		"PAN: 4111111111111111.":                 true,
		"4111 1111 1111 1111 4111111111111111":   true, // two numbers in one run
		"4111 1111 1111 1111 12/27":              true, // with its expiry
		"4111111111111111 12/27 123":             true,
		"ref 1234 4111111111111111":              true,
		"card-4111111111111111":                  true,
		"Visa-4111-1111-1111-1111":               true,
		"4111,1111,1111,1111":                    true,
		"4111111111111111, 5411":                 true,
		"4111111111111112":                       false, // fails the Luhn check
		"411111111111111":                        false, // 15 digits: no Visa number is
		"+1 415 555 0100":                        false,
		"+44 7911 123456":                        false, // a phone number, though it passes the Luhn check
		"+49 30 901820 12":                       false,
		"1765101631676":                          false, // milliseconds
		"100000000008":                           false, // an account id
		"order 12345678901234567890":             false, // 20 digits
		"at 2024-01-12 15:12:26.123456":          false,
		"41111111****1111":                       false, // masked
		"":                                       false,
		"Jane Smith":                             false,
		"x4111111111111111":                      false, // part of a word
		"sha 41111111111111119f00":               false,
		"blocked 5411, 5812, 5999, 4110":         false, // a list: 16 digits passing the Luhn check, across commas
		"4111 1111 1111 1111 2nd card":           true,
		"card 4111111111111111 - 3x":             true,
		"Ref A1 4111 1111 1111 1111":             true,
		"3782 822463 10005":                      true, // American Express, 4-6-5
		"Tel 468-555-7968 / 416-555-8121":        false,
		"4111111111111":                          false, // 13 digits: no Visa is issued so now
		"q=card%204111111111111111":              true,
		"pan%3D4111111111111111":                 true,
		"IBAN FR76 3000 6000 0112 3456 7890 189": false,
		"DE89 3704 0044 0532 0130 00":            false,
		"NO93 8601 1117 947":                     false,
		"PL61 1090 1014 0000 0712 1981 2874":     false,
		// After an IBAN, or after what only looks like one (found by a
		// review: the whole run was excused).
		"DE89 3704 0044 0532 0130 00 4111 1111 1111 1111": true,
		"AB12 4111 1111 1111 1111":                        true,
		// After a real country's code, but no whole IBAN that passes its
		// check (found by a review).
		"DE12 4539 5787 6362 1486":      true,
		"memo DE12 4539 5787 6362 1486": true,
		"FR76 4539 5787 6362 1486":      true,
		"DE89 3782 822463 10005":        true,
		"DE89 3704 4539 5787 6362 1486": true,
		"PL61 1090 4539 5787 6362 1486": true,
		"RS35 2600 0560 1001 6113 79":   false,
		// The IBAN registry's examples with letters in the account part.
		"GB29 NWBK 6016 1331 9268 19":                               false,
		"IT60 X054 2811 1010 0000 0123 456":                         false,
		"JO94 CBJO 0010 0000 0000 0131 0003 02":                     false,
		"LC55 HEMM 0001 0001 0012 0012 0002 3015":                   false,
		"MT84 MALT 0110 0001 2345 MTLC AST0 01S":                    false,
		"IBAN: KW81 CBKU 0000 0000 0000 1234 5601 01, BIC CBKUKWKW": false,
		"GB29 NWBK 6016 1331 9268 19 4111 1111 1111 1111":           true,
		"rs35 2600 0560 1001 6113 79":                               false, // written in lowercase
		"gb29 nwbk 6016 1331 9268 19":                               false,
	} {
		assert.Equal(t, want, card.HoldsCardNumber(s), "%q", s)
	}
	// Ids, hashes, phone numbers, amounts and dates, though their digits run
	// long and pass the Luhn check now and then, are not read as card
	// numbers: they are not written as card numbers are.
	r := rand.New(rand.NewPCG(1, 2))
	d := func(n int) string { // n random digits
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	for i := range 20000 {
		sum := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		for _, s := range []string{
			uuid.New().String(),
			hex.EncodeToString(sum[:]),
			"+44 7" + d(3) + " " + d(6),
			"+49 15" + d(1) + " " + d(8),
			"+63 9" + d(2) + " " + d(3) + " " + d(4),
			"Tel " + d(3) + "-" + d(3) + "-" + d(4) + " / " + d(3) + "-" + d(3) + "-" + d(4),
			"paid " + d(1) + "," + d(3) + "." + d(2) + " " + d(1) + "," + d(3) + "." + d(2) + " " + d(1) + "," + d(3) + "." + d(2),
			"from 3" + d(1) + "/0" + d(1) + "/20" + d(2) + " - 1" + d(1) + "/1" + d(1) + "/20" + d(2),
			"at " + d(13) + " ms",
			printedIBAN("FR", d(23)),
			// Letters after the check digits, digits after them.
			printedIBAN("IT", "X"+d(22)),
			printedIBAN("JO", "CBJO"+d(22)),
			printedIBAN("LC", "HEMM"+d(24)),
			printedIBAN("GB", "NWBK"+d(14)),
			printedIBAN("RU", d(29)),
		} {
			require.False(t, card.HoldsCardNumber(s), "%q", s)
		}
		iban := "pay to " + printedIBAN("FR", d(23)) + " today"
		require.Equal(t, iban, card.RedactCardNumbers(iban), "a printed IBAN is left as it is")
	}
	// A card number that starts inside an IBAN and runs on past it (found
	// by a review: only the digits after the IBAN were judged).
	for _, s := range []string{
		printedIBAN("BE", "453957876362") + " 1486",
		printedIBAN("AT", "0000000000004539") + " 5787 6362 1486",
		printedIBAN("AT", "0000000000004539") + "-5787-6362-1486",
	} {
		assert.True(t, card.HoldsCardNumber(s), "%q", s)
		assert.NotEqual(t, s, card.RedactCardNumbers(s), "%q", s)
	}
	// Redacting a run that goes on past an IBAN breaks the IBAN, and the
	// run before it then reads as a card number: redacted too (found by a
	// review).
	crafted := "pay to " + strings.TrimPrefix(printedIBAN("RU", "4539578763621486"+"00A0000000000"), "IBAN ") + " 4111 1111 1111 1111 thanks"
	out := card.RedactCardNumbers(crafted)
	assert.False(t, card.HoldsCardNumber(out), "%q", out)
	assert.Equal(t, out, card.RedactCardNumbers(out), "redacting again changes nothing")
}

// TestCardNumbersInFreeText: CheckCardNumbers names every free-text field
// of a card or an address that could hold a whole card number, without
// repeating it. The text rules do not refuse it: a card kept before the
// check existed stays valid.
func TestCardNumbersInFreeText(t *testing.T) {
	const pan = "4111 1111 1111 1111"
	c := activeCard(t)
	c.Label, c.Memo, c.Metadata = "my "+pan, "lost "+pan, map[string]string{"note": pan, "ok": "x"}
	c.Holder.Name.Last = pan
	c.Shipping.Address = card.Address{Line1: "1 Main St", Line2: "c/o " + pan, City: "Austin", Region: "TX", PostalCode: "78701", Country: card.CountryUS}
	require.NoError(t, c.Validate(), "valid, as a card kept before")
	var p card.Problems
	c.CheckCardNumbers(&p)
	err := p.Err("x")
	var ce *card.Error
	require.ErrorAs(t, err, &ce)
	for _, f := range []string{"label", "memo", `metadata["note"]`, "holder.name.last", "shipping.address.line2"} {
		assert.True(t, ce.Has(f, card.CodeNotAllowed), "%s: %v", f, err)
	}
	assert.Len(t, ce.Fields, 5)
	assert.NotContains(t, strings.ReplaceAll(err.Error(), " ", ""), "4111111111111111")
}

// printedIBAN is the IBAN of country with the account part bban, and the
// check digits that make it pass, printed in groups of four after "IBAN ".
func printedIBAN(country, bban string) string {
	r := 0
	for _, c := range bban + country + "00" {
		if c >= 'A' {
			r = (r*100 + int(c-'A') + 10) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	compact := fmt.Sprintf("%s%02d", country, 98-r) + bban
	var b strings.Builder
	b.WriteString("IBAN ")
	for i := 0; i < len(compact); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(compact[i:min(i+4, len(compact))])
	}
	return b.String()
}
