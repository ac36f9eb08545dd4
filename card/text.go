package card

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cardkit/cardkit/internal/enum"
)

// Charset is a set of characters a text may use.
type Charset uint8

// Character sets. The zero Charset allows any printable character.
const (
	CharsetPrintable  Charset = iota // any printable character; no tabs, newlines or other controls
	CharsetEmboss                    // A-Z a-z 0-9 space . , / - & '
	CharsetDigits                    // 0-9
	CharsetPostal                    // A-Z a-z 0-9 space -
	CharsetUpperAlnum                // A-Z 0-9
)

// charsetASCII lists, for every Charset but the zero one, the ASCII
// characters it allows; no set beyond the zero one allows anything else.
var charsetASCII = [...]string{
	CharsetEmboss:     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,/-&'",
	CharsetDigits:     "0123456789",
	CharsetPostal:     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -",
	CharsetUpperAlnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
}

var charsetDoc = [...]string{
	CharsetPrintable:  "printable characters only",
	CharsetEmboss:     "only A-Z a-z 0-9 space . , / - & '",
	CharsetDigits:     "digits only",
	CharsetPostal:     "only A-Z a-z 0-9 space -",
	CharsetUpperAlnum: "only A-Z 0-9",
}

// Allows reports whether r is in the set.
func (c Charset) Allows(r rune) bool {
	if c == CharsetPrintable {
		return r != utf8.RuneError && unicode.IsPrint(r)
	}
	if int(c) >= len(charsetASCII) || r >= utf8.RuneSelf {
		return false
	}
	return strings.IndexByte(charsetASCII[c], byte(r)) >= 0
}

// String says what the set allows, such as "digits only".
func (c Charset) String() string {
	if int(c) < len(charsetDoc) {
		return charsetDoc[c]
	}
	return "card.Charset(" + strconv.Itoa(int(c)) + ")"
}

// TextLimit is a length and character-set rule for a text field. Lengths
// count characters (runes), not bytes. Min applies to a value that is given:
// whether a field may be left empty is the caller's rule.
type TextLimit struct {
	Min     int     // fewest characters; 0 for no floor
	Max     int     // most characters; 0 for no ceiling
	Charset Charset // allowed characters
}

// Check records in p every way s breaks the limit, against field.
func (l TextLimit) Check(p *Problems, field, s string) {
	if !utf8.ValidString(s) {
		p.Add(field, CodeCharset, "not valid UTF-8")
		return
	}
	n, bad := 0, false
	for _, r := range s {
		n++
		if !bad && !l.Charset.Allows(r) {
			bad = true
		}
	}
	if bad {
		p.Add(field, CodeCharset, l.Charset.String())
	}
	switch {
	case n == 0 && l.Min > 0:
		p.Add(field, CodeRequired, "at least "+strconv.Itoa(l.Min)+" characters")
	case n < l.Min:
		p.Add(field, CodeTooShort, "at least "+strconv.Itoa(l.Min)+" characters")
	case l.Max > 0 && n > l.Max:
		p.Add(field, CodeTooLong, "at most "+strconv.Itoa(l.Max)+" characters")
	}
}

// Validate returns the problems Check finds as an *Error, or nil.
func (l TextLimit) Validate(field, s string) error {
	var p Problems
	l.Check(&p, field, s)
	return p.Err("card.TextLimit")
}

// TextRule names a documented text rule, so that an adapter checks a value
// against a provider's limit with the domain's data rather than its own.
type TextRule uint8

// Text rules.
const (
	RuleEmbossLine TextRule = iota + 1
	RuleNameOnCard
	RulePersonName
	RuleAccountName
	RuleAddressLine
	RuleCity
	RuleBillingLine
	RuleBillingCity
	RuleRegion
	RulePostalCode
	RuleMemo
	RuleLabel
	RuleMetadataKey
	RuleMetadataValue
	RuleTenant
)

var textRuleEnum = enum.Enum[TextRule]{Type: "card.TextRule", Entries: []enum.Entry{
	RuleEmbossLine:    {Name: "EMBOSS_LINE", Doc: "a line embossed or printed on a card"},
	RuleNameOnCard:    {Name: "NAME_ON_CARD", Doc: "the holder's name as it appears on the card"},
	RulePersonName:    {Name: "PERSON_NAME", Doc: "a first, middle or last name on a card"},
	RuleAccountName:   {Name: "ACCOUNT_NAME", Doc: "the informal name of a financial account"},
	RuleAddressLine:   {Name: "ADDRESS_LINE", Doc: "a street address line"},
	RuleCity:          {Name: "CITY", Doc: "a city"},
	RuleBillingLine:   {Name: "BILLING_LINE", Doc: "a billing address line of a linked card"},
	RuleBillingCity:   {Name: "BILLING_CITY", Doc: "the billing city of a linked card"},
	RuleRegion:        {Name: "REGION", Doc: "a state, province or territory code (ISO 3166-2 subdivision)"},
	RulePostalCode:    {Name: "POSTAL_CODE", Doc: "a ZIP or postal code"},
	RuleMemo:          {Name: "MEMO", Doc: "free text about a status change"},
	RuleLabel:         {Name: "LABEL", Doc: "a name the holder gives a card"},
	RuleMetadataKey:   {Name: "METADATA_KEY", Doc: "a metadata key"},
	RuleMetadataValue: {Name: "METADATA_VALUE", Doc: "a metadata value"},
	RuleTenant:        {Name: "TENANT", Doc: "the tenant that owns a record"},
}}

// textLimits holds each rule's limit, indexed by rule.
var textLimits = [...]TextLimit{
	RuleEmbossLine:    {Min: 1, Max: 21, Charset: CharsetEmboss},
	RuleNameOnCard:    {Min: 1, Max: 60},
	RulePersonName:    {Min: 1, Max: 40},
	RuleAccountName:   {Min: 1, Max: 100},
	RuleAddressLine:   {Min: 1, Max: 100},
	RuleCity:          {Min: 1, Max: 100},
	RuleBillingLine:   {Min: 1, Max: 50},
	RuleBillingCity:   {Min: 1, Max: 25},
	RuleRegion:        {Min: 2, Max: 3, Charset: CharsetUpperAlnum},
	RulePostalCode:    {Min: 1, Max: 10, Charset: CharsetPostal},
	RuleMemo:          {Max: 255},
	RuleLabel:         {Max: 100},
	RuleMetadataKey:   {Min: 1, Max: 40},
	RuleMetadataValue: {Max: 500},
	RuleTenant:        {Min: 1, Max: 64},
}

// String returns the canonical name, such as "EMBOSS_LINE".
func (r TextRule) String() string { return textRuleEnum.Name(r) }

// Doc says what the rule is for.
func (r TextRule) Doc() string { return textRuleEnum.Doc(r) }

// Valid reports whether r is one of the named values.
func (r TextRule) Valid() bool { return textRuleEnum.Valid(r) }

// TextRuleValues lists every TextRule.
func TextRuleValues() []TextRule { return textRuleEnum.Values() }

// ParseTextRule reads a TextRule by its name, as String writes it.
func ParseTextRule(s string) (TextRule, error) { return parseEnum(&textRuleEnum, "rule", s) }

// Limit is the rule's length and character set.
func (r TextRule) Limit() TextLimit {
	if !textRuleEnum.Valid(r) {
		return TextLimit{}
	}
	return textLimits[r]
}

// Check records in p every way s breaks the rule, against field.
func (r TextRule) Check(p *Problems, field, s string) { r.Limit().Check(p, field, s) }

// Validate returns the problems Check finds as an *Error, or nil.
func (r TextRule) Validate(field, s string) error { return r.Limit().Validate(field, s) }

// CheckCardNumbers records in p, at its path, every text field of c that
// could hold a whole card number (HoldsCardNumber): what a person writes
// (label, memo, names, emboss lines, addresses, phone, metadata) and the ids
// and codes a source fills in (tenant, account, holder, product, image,
// language, reissue links, provider ids), since any of them is written out
// again. A carrier's tracking number is not judged: one in 20 of USPS's,
// printed in groups, holds a span that reads as a card number. An id cannot
// be told from a card number when it is one: a numeric id of 12 to 19 digits
// that passes the Luhn check and starts as a network's numbers do is refused
// too (about 4 in 100 random 16-digit numeric ids; no UUID in 20,000). It is
// not part of Validate: it judges what comes in (a request to the issuance
// service, a translation), so that a card kept before the check existed
// stays one that can change.
func (c *Card) CheckCardNumbers(p *Problems) {
	NoCardNumber(p, "tenant", c.Tenant)
	NoCardNumber(p, "account_id", c.AccountID)
	NoCardNumber(p, "holder.customer_id", c.Holder.CustomerID)
	NoCardNumber(p, "holder.business_id", c.Holder.BusinessID)
	NoCardNumber(p, "product_id", c.ProductID)
	NoCardNumber(p, "image_id", c.ImageID)
	NoCardNumber(p, "language", c.Language)
	NoCardNumber(p, "reissue.from", c.Reissue.From)
	NoCardNumber(p, "reissue.to", c.Reissue.To)
	NoCardNumber(p, "label", c.Label)
	NoCardNumber(p, "memo", c.Memo)
	NoCardNumber(p, "name_on_card", c.NameOnCard)
	NoCardNumber(p, "emboss.line1", c.Emboss.Line1)
	NoCardNumber(p, "emboss.line2", c.Emboss.Line2)
	c.Holder.Name.CheckCardNumbers(p, "holder.name")
	c.Holder.BillingAddress.CheckCardNumbers(p, "holder.billing_address")
	if s := c.Shipping; s != nil {
		r := s.Recipient
		NoCardNumber(p, "shipping.recipient.first_name", r.FirstName)
		NoCardNumber(p, "shipping.recipient.middle_name", r.MiddleName)
		NoCardNumber(p, "shipping.recipient.last_name", r.LastName)
		NoCardNumber(p, "shipping.recipient.care_of", r.CareOf)
		NoCardNumber(p, "shipping.recipient.phone", r.Phone)
		s.Address.CheckCardNumbers(p, "shipping.address")
	}
	CheckMapCardNumbers(p, "provider_refs", c.ProviderRefs)
	CheckMapCardNumbers(p, "metadata", c.Metadata)
}

// CheckMapCardNumbers records in p, at field["key"], every entry of m whose
// key or value could hold a whole card number.
func CheckMapCardNumbers(p *Problems, field string, m map[string]string) {
	for k, v := range m {
		if HoldsCardNumber(k) || HoldsCardNumber(v) { // the path only then: it costs an allocation
			addCardNumber(p, mapPath(field, k))
		}
	}
}

// CheckCardNumbers records in p every part of n, at prefix, that could
// hold a whole card number.
func (n PersonName) CheckCardNumbers(p *Problems, prefix string) {
	noCardNumberAt(p, prefix, "first", n.First)
	noCardNumberAt(p, prefix, "middle", n.Middle)
	noCardNumberAt(p, prefix, "last", n.Last)
}

// CheckCardNumbers records in p every part of a, at prefix, that could
// hold a whole card number.
func (a Address) CheckCardNumbers(p *Problems, prefix string) {
	noCardNumberAt(p, prefix, "line1", a.Line1)
	noCardNumberAt(p, prefix, "line2", a.Line2)
	noCardNumberAt(p, prefix, "line3", a.Line3)
	noCardNumberAt(p, prefix, "city", a.City)
	noCardNumberAt(p, prefix, "region", a.Region)
	noCardNumberAt(p, prefix, "postal_code", a.PostalCode)
}

// noCardNumberAt is NoCardNumber at prefix.name, a path made only when it
// is needed: checking costs no allocation.
func noCardNumberAt(p *Problems, prefix, name, s string) {
	if HoldsCardNumber(s) {
		addCardNumber(p, prefix+"."+name)
	}
}

// NoCardNumber records a problem at field when s could hold a whole card
// number (HoldsCardNumber); the problem does not repeat s.
func NoCardNumber(p *Problems, field, s string) {
	if HoldsCardNumber(s) {
		addCardNumber(p, field)
	}
}

// addCardNumber records that field holds what could be a card number.
func addCardNumber(p *Problems, field string) {
	p.Add(field, CodeNotAllowed, "could hold a whole card number, which is never kept")
}
