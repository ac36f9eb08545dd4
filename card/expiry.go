package card

import (
	"strconv"
	"time"
)

// Expiry is the month and year printed on a card. The zero Expiry means
// "not known yet" (a physical card before production, for instance).
type Expiry struct {
	Year  int        // four digits, 2000 to 2099
	Month time.Month // 1 to 12
}

// Years an Expiry may name.
const (
	MinExpiryYear = 2000
	MaxExpiryYear = 2099
)

// NewExpiry checks year and month and returns the Expiry.
func NewExpiry(year int, month time.Month) (Expiry, error) {
	e := Expiry{Year: year, Month: month}
	if err := e.Validate(); err != nil {
		return Expiry{}, err
	}
	return e, nil
}

// ParseExpiry parses the neutral form "2027-12".
func ParseExpiry(s string) (Expiry, error) {
	if len(s) != 7 || s[4] != '-' || !allDigits(s[:4]) || !allDigits(s[5:]) {
		var p Problems
		p.Add("expiry", CodeFormat, "an expiry is written yyyy-MM")
		return Expiry{}, p.Err("card.ParseExpiry")
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:])
	return NewExpiry(y, time.Month(m))
}

// IsZero reports whether e is unknown.
func (e Expiry) IsZero() bool { return e == Expiry{} }

// Validate checks the month and the year.
func (e Expiry) Validate() error {
	var p Problems
	if e.Year < MinExpiryYear || e.Year > MaxExpiryYear {
		p.Add("expiry.year", CodeOutOfRange, "an expiry year is between 2000 and 2099")
	}
	if e.Month < time.January || e.Month > time.December {
		p.Add("expiry.month", CodeOutOfRange, "an expiry month is between 1 and 12")
	}
	return p.Err("card.Expiry")
}

// String returns the neutral form "2027-12"; "" for the zero Expiry.
func (e Expiry) String() string {
	if e.IsZero() {
		return ""
	}
	var a [16]byte // "yyyy-mm" in one allocation, the string's
	b := appendPadded(a[:0], e.Year, 4)
	b = append(b, '-')
	return string(appendPadded(b, int(e.Month), 2))
}

// End is the first instant the card is no longer valid: a card is good
// through the last day of its expiry month, and cardkit reads that day in
// UTC.
func (e Expiry) End() time.Time {
	return time.Date(e.Year, e.Month+1, 1, 0, 0, 0, 0, time.UTC)
}

// Expired reports whether a card with expiry e has expired at instant t. An
// unknown expiry never expires.
func (e Expiry) Expired(t time.Time) bool {
	return !e.IsZero() && !t.Before(e.End())
}

// MarshalText encodes the neutral form.
func (e Expiry) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText decodes the neutral form; "" decodes to the zero Expiry.
func (e *Expiry) UnmarshalText(b []byte) error { return decodeText(e, b, ParseExpiry) }

// decodeText is the UnmarshalText of a type with a parser: "" decodes to
// the zero value, and on error v is unchanged.
func decodeText[T any](v *T, b []byte, parse func(string) (T, error)) error {
	if len(b) == 0 {
		var zero T
		*v = zero
		return nil
	}
	x, err := parse(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// appendPadded appends n in decimal, left-padded with zeros to width.
func appendPadded(b []byte, n, width int) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
