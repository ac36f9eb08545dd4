package card

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// PAN is a card number. It is checked on the way in (digits only, 12 to 19
// of them, a valid Luhn check digit) and masked on every way out: String,
// Format (every fmt verb), GoString, LogValue, MarshalJSON and MarshalText
// all show at most the BIN and the last four digits.
//
// The digits sit behind a pointer to a string, so that fmt, which cannot
// call methods on a PAN kept in an unexported field of another struct, prints
// an address there and never the number: fmt dereferences pointers to
// structs, slices and maps when it reports a bad verb, but never a pointer to
// a string. The string is sealed (scrambled), so that printers which do
// follow pointers, such as the diffs of test libraries, and memory dumps
// show bytes that are not the number either. The clear number comes only
// from RevealDigits.
//
// PANs are compared with Equal, not ==. The zero PAN means "no number".
type PAN struct {
	d *string // sealed digits
}

// sealMask scrambles digits in memory; seal is its own inverse.
const sealMask = "\x5a\xc3\x96\x3f\xe1\x27\x8b\x44\x19\xd2\x6e\xa5\x70\x0b\xbc\x33\xf4\x81\x4d"

func seal(s string) string {
	b := make([]byte, len(s))
	for i := range len(s) {
		b[i] = s[i] ^ sealMask[i%len(sealMask)]
	}
	return string(b)
}

// unsealInto writes the clear digits of d into buf and returns them.
func unsealInto(buf []byte, d string) []byte {
	buf = buf[:len(d)]
	for i := range len(d) {
		buf[i] = d[i] ^ sealMask[i%len(sealMask)]
	}
	return buf
}

// PAN lengths allowed by ParsePAN, and the shortest any PAN may have.
const (
	MinPANLength = 12
	MaxPANLength = 19
	MinPANFloor  = 8
)

// ParsePAN checks s and returns it as a PAN. The error, an *Error of kind
// ErrInvalid with field "pan", names every rule s breaks and never repeats
// its digits.
func ParsePAN(s string) (PAN, error) { return ParsePANMin(s, MinPANLength) }

// ParsePANMin is ParsePAN for a document that allows numbers shorter than
// 12 digits, down to minDigits (at least 8): some providers accept linked
// cards of 11.
func ParsePANMin(s string, minDigits int) (PAN, error) {
	minDigits = max(minDigits, MinPANFloor)
	var p Problems
	digits := true
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			digits = false
			break
		}
	}
	switch {
	case s == "":
		p.Add("pan", CodeRequired, "a card number is required")
	case !digits:
		p.Add("pan", CodeCharset, "a card number has digits only")
	}
	switch {
	case s == "":
	case len(s) < minDigits:
		p.Add("pan", CodeTooShort, "a card number has at least "+strconv.Itoa(minDigits)+" digits")
	case len(s) > MaxPANLength:
		p.Add("pan", CodeTooLong, "a card number has at most 19 digits")
	}
	if p.Len() == 0 && !luhnValid(s) {
		p.Add("pan", CodeChecksum, "the Luhn check digit does not match")
	}
	if err := p.Err("card.ParsePAN"); err != nil {
		return PAN{}, err
	}
	sealed := seal(s)
	return PAN{d: &sealed}, nil
}

// CompletePAN appends the Luhn check digit to prefix, which must hold 11 to
// 18 digits, and returns the PAN. It is how test numbers and sandbox cards
// are made.
func CompletePAN(prefix string) (PAN, error) {
	for i := 0; i < len(prefix); i++ {
		if prefix[i] < '0' || prefix[i] > '9' {
			var p Problems
			p.Add("pan", CodeCharset, "a card number has digits only")
			return PAN{}, p.Err("card.CompletePAN")
		}
	}
	return ParsePAN(prefix + string('0'+luhnDigit(prefix)))
}

// luhnDigit is the check digit that makes payload+digit pass the Luhn test.
func luhnDigit(payload string) byte {
	sum := 0
	double := true // the digit left of the check digit is doubled
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte((10 - sum%10) % 10)
}

func luhnValid(s string) bool {
	return len(s) > 1 && luhnDigit(s[:len(s)-1]) == s[len(s)-1]-'0'
}

// IsZero reports whether p holds no number.
func (p PAN) IsZero() bool { return p.d == nil }

// Len is the number of digits.
func (p PAN) Len() int {
	if p.d == nil {
		return 0
	}
	return len(*p.d)
}

// BIN is the issuer identification number as far as cardkit shows it: the
// first 8 digits of a number of 16 digits or more, the first 6 of one of 14
// or 15, and none of a shorter one, so that wherever a BIN and the last four
// are shown or kept together at least four digits stay hidden.
func (p PAN) BIN() string {
	if p.d == nil {
		return ""
	}
	var buf [MaxPANLength]byte
	return string(unsealInto(buf[:], (*p.d)[:BINLength(len(*p.d))]))
}

// BINLength is how many leading digits of a number of n digits cardkit
// shows as its BIN; see PAN.BIN.
func BINLength(n int) int {
	switch {
	case n >= 16:
		return 8
	case n >= 14:
		return 6
	}
	return 0
}

// ShownBIN is as much of bin as a number of n digits shows as its BIN
// (BINLength): with the last four, more would show all of a short number,
// or all but a few digits. bin comes back as it is when n is 0 (not known).
func ShownBIN(bin string, n int) string {
	if m := BINLength(n); n != 0 && len(bin) > m {
		return bin[:m]
	}
	return bin
}

// LastFour is the last four digits.
func (p PAN) LastFour() string {
	if p.d == nil {
		return ""
	}
	var buf [4]byte
	d := *p.d
	for i := range 4 {
		j := len(d) - 4 + i
		buf[i] = d[j] ^ sealMask[j%len(sealMask)]
	}
	return string(buf[:])
}

// Masked is the BIN, a '*' for each hidden digit and the last four, such as
// "41111111****1111"; "" for the zero PAN.
func (p PAN) Masked() string {
	if p.d == nil {
		return ""
	}
	return MaskDigits(p.BIN(), p.LastFour(), len(*p.d))
}

// MaskDigits renders a number known only by its BIN, last four and length
// the way PAN.Masked does. With an unknown length (0) it shows four '*'.
func MaskDigits(bin, lastFour string, length int) string {
	hidden := length - len(bin) - len(lastFour)
	if length == 0 || hidden < 0 {
		hidden = 4
	}
	b := make([]byte, 0, len(bin)+hidden+len(lastFour))
	b = append(b, bin...)
	for range hidden {
		b = append(b, '*')
	}
	return string(append(b, lastFour...))
}

// RevealDigits returns the clear card number. It is the only way to read it;
// every call is a place where a PAN leaves the type, so keep them few and
// easy to find (grep RevealDigits). Only a provider's wire format that
// demands the number may carry it.
func (p PAN) RevealDigits() string {
	if p.d == nil {
		return ""
	}
	var buf [MaxPANLength]byte
	return string(unsealInto(buf[:], *p.d))
}

// Equal reports whether p and q hold the same number, in constant time.
func (p PAN) Equal(q PAN) bool {
	if p.d == nil || q.d == nil {
		return p.d == q.d
	}
	return subtle.ConstantTimeCompare([]byte(*p.d), []byte(*q.d)) == 1 // both sealed alike
}

// String returns the masked number.
func (p PAN) String() string { return p.Masked() }

// GoString returns the masked number as Go syntax, for %#v.
func (p PAN) GoString() string { return "card.PAN(" + strconv.Quote(p.Masked()) + ")" }

// Format writes the masked number for every verb and flag, so that no fmt
// verb (%d and %x included) can print the digits.
func (p PAN) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		_, _ = io.WriteString(f, strconv.Quote(p.Masked()))
	default:
		if verb == 'v' && f.Flag('#') {
			_, _ = io.WriteString(f, p.GoString())
			return
		}
		_, _ = io.WriteString(f, p.Masked())
	}
}

// LogValue logs the masked number.
func (p PAN) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// MarshalText encodes the masked number. There is no UnmarshalText: a
// masked number cannot become a PAN again.
func (p PAN) MarshalText() ([]byte, error) { return []byte(p.Masked()), nil }

// MarshalJSON encodes the masked number as a JSON string.
func (p PAN) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(p.Masked())), nil }

// FingerprintKey is the secret key under which PANs are fingerprinted. It
// prints as "[redacted]" everywhere.
type FingerprintKey struct {
	k *string // a pointer to a string, for the reason PAN gives
}

// MinFingerprintKeyLength is the shortest key NewFingerprintKey accepts, in
// bytes.
const MinFingerprintKeyLength = 32

// NewFingerprintKey copies key, which must be at least 32 random bytes.
func NewFingerprintKey(key []byte) (FingerprintKey, error) {
	if len(key) < MinFingerprintKeyLength {
		var p Problems
		p.Add("fingerprint_key", CodeTooShort, "a fingerprint key has at least 32 bytes")
		return FingerprintKey{}, p.Err("card.NewFingerprintKey")
	}
	k := seal(string(key))
	return FingerprintKey{k: &k}, nil
}

// IsZero reports whether k holds no key.
func (k FingerprintKey) IsZero() bool { return k.k == nil }

const redacted = "[redacted]"

// String returns "[redacted]".
func (k FingerprintKey) String() string { return redacted }

// GoString returns "[redacted]".
func (k FingerprintKey) GoString() string { return redacted }

// Format writes "[redacted]" for every verb.
func (k FingerprintKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue logs "[redacted]".
func (k FingerprintKey) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes "[redacted]".
func (k FingerprintKey) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Fingerprint is the keyed HMAC-SHA-256 of a card number: the same number
// under the same key always gives the same fingerprint, so cards can be found
// by number without the number being stored.
type Fingerprint [sha256.Size]byte

// Fingerprint computes p's fingerprint under k. The zero PAN or the zero key
// give the zero Fingerprint.
func (p PAN) Fingerprint(k FingerprintKey) Fingerprint {
	var f Fingerprint
	if p.d == nil || k.k == nil {
		return f
	}
	m := hmac.New(sha256.New, []byte(seal(*k.k)))
	var buf [MaxPANLength]byte
	_, _ = m.Write(unsealInto(buf[:], *p.d))
	m.Sum(f[:0])
	return f
}

// IsZero reports whether f is the zero fingerprint (no number).
func (f Fingerprint) IsZero() bool { return f == Fingerprint{} }

// String returns f in lower-case hex.
func (f Fingerprint) String() string { return hex.EncodeToString(f[:]) }

// MarshalText encodes f in lower-case hex; "" for the zero fingerprint.
func (f Fingerprint) MarshalText() ([]byte, error) {
	if f.IsZero() {
		return []byte{}, nil
	}
	return []byte(f.String()), nil
}

// UnmarshalText decodes 64 hex digits; "" decodes to the zero fingerprint.
func (f *Fingerprint) UnmarshalText(b []byte) error { return decodeText(f, b, ParseFingerprint) }

// ParseFingerprint decodes 64 hex digits.
func ParseFingerprint(s string) (Fingerprint, error) {
	var f Fingerprint
	if len(s) == 2*len(f) {
		if _, err := hex.Decode(f[:], []byte(s)); err == nil {
			return f, nil
		}
	}
	var p Problems
	p.Add("fingerprint", CodeFormat, "a fingerprint is 64 hex digits")
	return Fingerprint{}, p.Err("card.ParseFingerprint")
}
