package wire

import (
	"strings"

	"github.com/shopspring/decimal"
	"strconv"
	"time"

	"github.com/cardkit/cardkit/card"
)

// Layouts of the timestamps the providers send.
const (
	// RFC3339 with as many fraction digits as needed, none for whole
	// seconds: Synctera, Solid and OffBlocks (which sends nanoseconds).
	LayoutNano = time.RFC3339Nano
	// RFC3339 with exactly three fraction digits: RocketKOR's
	// yyyy-MM-dd'T'HH:mm:ss.SSSz.
	LayoutMillis = "2006-01-02T15:04:05.000Z07:00"
	// A calendar date: yyyy-MM-dd.
	LayoutDate = "2006-01-02"
)

// ParseTime parses an RFC 3339 timestamp found at field; "" is the zero
// time. The error names the field and echoes the text, which is never a
// card number.
func ParseTime(p *card.Problems, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p.AddValue(field, card.CodeFormat, s, "an RFC 3339 date-time")
		return time.Time{}
	}
	return t
}

// ParseTimePtr is ParseTime for an optional member.
func ParseTimePtr(p *card.Problems, field string, s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	return ParseTime(p, field, *s)
}

// FormatTime writes t with layout, or "" for the zero time.
func FormatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// TimePtr writes t with layout, or nil for the zero time.
func TimePtr(t time.Time, layout string) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(layout)
	return &s
}

// Differs returns raw when it is not what derive would write, and "" when
// it is. An adapter keeps such a raw value beside the domain value, so that
// a field the provider repeats or derives (a masked number, an expiry sent
// twice) comes back as sent even when the sample contradicts itself.
func Differs(raw, derived string) string {
	if raw == derived {
		return ""
	}
	return raw
}

// Or returns kept when it is set and derived otherwise.
func Or(kept, derived string) string {
	if kept != "" {
		return kept
	}
	return derived
}

// Ptr returns a pointer to s, or nil for "".
func Ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Deref returns *s, or "" for nil.
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Digits reports whether s is n digits (any number of them for n = 0).
func Digits(s string, n int) bool {
	return allDigits(s) && (n == 0 || len(s) == n)
}

// LastFour is s as a card's last four digits, or "" with a problem at
// field when s is not four digits: a provider's last-four field that holds
// a whole number must not carry it into the neutral card, and the error
// does not repeat it.
func LastFour(p *card.Problems, field, s string) string {
	if s == "" || Digits(s, 4) {
		return s
	}
	p.Add(field, card.CodeFormat, "4 digits")
	return ""
}

// NoNumber is s, or "" with a problem at field when s could be a whole card
// number (card.HasNumber): text a residue keeps as the provider sent it,
// such as a masked number or a BIN that is not one, must not carry a whole
// number, and the error does not repeat it.
func NoNumber(p *card.Problems, field, s string) string {
	if !card.HasNumber(s) {
		return s
	}
	p.Add(field, card.CodeFormat, "holds what could be a whole card number")
	return ""
}

// Currency parses an ISO 4217 code found at field: "" is no currency, and
// a code cardkit does not know is a problem.
func Currency(p *card.Problems, field, s string) card.Currency {
	if s == "" {
		return 0
	}
	c, err := card.ParseCurrency(s)
	if err != nil {
		p.AddValue(field, card.CodeUnknownValue, s, "not a currency cardkit knows")
	}
	return c
}

// ParseMonth parses a two-digit month "01" to "12" found at field.
func ParseMonth(p *card.Problems, field, s string) time.Month {
	n, err := strconv.Atoi(s)
	if len(s) != 2 || !allDigits(s) || err != nil || n < 1 || n > 12 {
		p.AddValue(field, card.CodeFormat, s, "a month 01 to 12")
		return 0
	}
	return time.Month(n)
}

// ParseYear parses a year of digits digits found at field: two ("25",
// read as 2025) or four ("2025").
func ParseYear(p *card.Problems, field, s string, digits int) int {
	n, err := strconv.Atoi(s)
	if len(s) != digits || !allDigits(s) || err != nil {
		p.AddValue(field, card.CodeFormat, s, strconv.Itoa(digits)+" digits")
		return 0
	}
	if digits == 2 {
		n += 2000
	}
	return n
}

// Expiry checks a month and year that were parsed at field and returns the
// domain expiry, recording a problem when they do not make one.
func Expiry(p *card.Problems, field string, year int, month time.Month) card.Expiry {
	if year == 0 || month == 0 {
		return card.Expiry{}
	}
	e, err := card.NewExpiry(year, month)
	if err != nil {
		p.Add(field, card.CodeOutOfRange, "an expiry between 2000-01 and 2099-12")
		return card.Expiry{}
	}
	return e
}

// Pad2 writes n with at least two digits.
func Pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Text checks s, bound for the provider's field, against a text rule of the
// domain (a provider's limit is one of the domain's rules, or a length the
// provider adds).
func Text(p *card.Problems, field, s string, limit card.TextLimit) {
	if s != "" {
		limit.Check(p, field, s)
	}
}

// TextAt is Text for the member name of the object at ("card" and
// "nameOnCard": "card.nameOnCard"). The field's path is made only for a
// problem, so that a text within its limit costs no allocation.
func TextAt(p *card.Problems, at, name, s string, limit card.TextLimit) {
	if s == "" {
		return
	}
	var q card.Problems
	if limit.Check(&q, name, s); q.Len() > 0 {
		limit.Check(p, Join(at, name), s)
	}
}

// ParseAmount parses a decimal amount as providers send it, such as
// "120.00": digits, at most one point, at most 24 characters. Exponents
// ("1e9") are refused, so that no amount can grow to a billion digits
// when it is written back.
func ParseAmount(p *card.Problems, field, s string) decimal.Decimal {
	whole, frac, _ := strings.Cut(s, ".")
	if len(s) > 24 || !allDigits(whole) || (frac != "" && !allDigits(frac)) || strings.HasSuffix(s, ".") {
		p.AddValue(field, card.CodeFormat, s, "a decimal amount such as 120.00")
		return decimal.Decimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		p.AddValue(field, card.CodeFormat, s, "a decimal amount such as 120.00")
	}
	return d
}

// Stamp keeps how a timestamp was spelled, so that a time the domain did
// not change is written back as it was sent (".300Z" stays ".300Z", a
// provider's own precision stays), without being formatted again.
type Stamp struct {
	raw string
	t   time.Time
}

// Parse parses raw as ParseTime does and remembers its spelling.
func (s *Stamp) Parse(p *card.Problems, field, raw string) time.Time {
	t := ParseTime(p, field, raw)
	s.raw, s.t = raw, t
	return t
}

// Format writes t: as it was spelled when it is the time Parse read, and
// with layout otherwise ("" for the zero time).
func (s Stamp) Format(t time.Time, layout string) string {
	if s.raw != "" && t.Equal(s.t) {
		return s.raw
	}
	return FormatTime(t, layout)
}
