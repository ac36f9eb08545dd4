package card

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinels for the kinds of error the domain returns. Test for them with
// errors.Is; use errors.As with *Error or *TransitionError for the detail.
var (
	// ErrInvalid: a value breaks a rule (a field is missing, too long, of
	// an unknown value, ...). The *Error lists every problem found.
	ErrInvalid = errors.New("invalid")
	// ErrIllegalTransition: the lifecycle table does not allow the move.
	ErrIllegalTransition = errors.New("illegal transition")
	// ErrCannotReissue: the card cannot be reissued (it is final, not yet
	// issued, or already replaced).
	ErrCannotReissue = errors.New("cannot reissue")
	// ErrUnsupported: the rules allow the operation but the provider
	// offers no call for it (a Solid card cannot be suspended, an OffBlocks
	// card cannot be reissued). Asking again will not help.
	ErrUnsupported = errors.New("unsupported by provider")
)

// Code says which rule a field broke, in a form a program can switch on.
type Code string

// The codes a FieldError carries.
const (
	CodeRequired        Code = "required"         // missing or empty
	CodeTooShort        Code = "too_short"        // fewer characters or digits than the rule allows
	CodeTooLong         Code = "too_long"         // more characters or digits than the rule allows
	CodeCharset         Code = "charset"          // a character outside the rule's set
	CodeFormat          Code = "format"           // not in the expected shape
	CodeChecksum        Code = "checksum"         // a check digit does not match
	CodeUnknownValue    Code = "unknown_value"    // not one of the documented values
	CodeOutOfRange      Code = "out_of_range"     // a number outside its bounds
	CodeDuplicate       Code = "duplicate"        // the same value twice where it must be unique
	CodeConflict        Code = "conflict"         // contradicts another field
	CodeMismatch        Code = "mismatch"         // disagrees with a value it is derived from
	CodeNotAllowed      Code = "not_allowed"      // valid on its own, not allowed here
	CodeFinalStatus     Code = "final_status"     // the card is in a status with no exit
	CodeAlreadyReissued Code = "already_reissued" // the card was already replaced
)

// FieldError is one problem with one field.
type FieldError struct {
	// Field is the path of the field in the neutral encoding, such as
	// "shipping.address.postal_code" or "controls.limits[1].amount".
	Field string
	Code  Code
	// Value is the offending value where echoing it is harmless (enum names,
	// codes). It is never set for a card number, a CVV or a PIN.
	Value string
	// Message says what the rule is, for people.
	Message string
}

// String renders the problem as "field: code \"value\" (message)".
func (f FieldError) String() string {
	var b strings.Builder
	if f.Field != "" { // a problem with the whole document names no field
		b.WriteString(f.Field)
		b.WriteString(": ")
	}
	b.WriteString(string(f.Code))
	if f.Value != "" {
		b.WriteString(" ")
		b.WriteString(quote(f.Value))
	}
	if f.Message != "" {
		b.WriteString(" (")
		b.WriteString(f.Message)
		b.WriteString(")")
	}
	return b.String()
}

// Error reports every problem found in one operation.
type Error struct {
	Op     string       // what was being done, such as "card.Validate"
	Kind   error        // one of the sentinels: ErrInvalid, ErrCannotReissue, ...
	Fields []FieldError // every problem found, in the order found
}

// Error lists the operation, the kind and every problem.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Unwrap returns the kind, so that errors.Is(err, ErrInvalid) holds.
func (e *Error) Unwrap() error { return e.Kind }

// Redacted returns a copy of e with anything like a card number taken out
// of its texts (op, field paths, codes, values, messages), as RedactNumbers
// does: for an error made outside cardkit, such as a provider client's,
// before it is kept or shown.
func (e *Error) Redacted() *Error {
	out := &Error{Op: RedactNumbers(e.Op), Kind: e.Kind, Fields: make([]FieldError, len(e.Fields))}
	if e.Kind != nil && RedactNumbers(e.Kind.Error()) != e.Kind.Error() {
		out.Kind = redactedKind{e.Kind} // still errors.Is its sentinel
	}
	for i, f := range e.Fields {
		out.Fields[i] = FieldError{Field: RedactNumbers(f.Field), Code: Code(RedactNumbers(string(f.Code))),
			Value: RedactNumbers(f.Value), Message: RedactNumbers(f.Message)}
	}
	return out
}

// redactedKind is an Error's Kind whose text holds what could be a card
// number: shown redacted, and unwrapping to it.
type redactedKind struct{ err error }

func (k redactedKind) Error() string { return RedactNumbers(k.err.Error()) }
func (k redactedKind) Unwrap() error { return k.err }

// Has reports whether a problem with the field path and code is listed.
// An empty code matches any code.
func (e *Error) Has(field string, code Code) bool {
	for _, f := range e.Fields {
		if f.Field == field && (code == "" || f.Code == code) {
			return true
		}
	}
	return false
}

// Problems collects field problems while a value is checked, so that all of
// them are reported at once. The zero value is ready to use.
type Problems struct {
	list []FieldError
}

// Add records a problem with field.
func (p *Problems) Add(field string, code Code, message string) {
	p.list = append(p.list, FieldError{Field: field, Code: code, Message: message})
}

// AddValue records a problem with field and echoes value, unless value
// could be a card number (a run of 11 or more digits), in which case it is
// left out.
func (p *Problems) AddValue(field string, code Code, value, message string) {
	if HasNumber(value) {
		value = ""
		message = joinMessage(message, "the value is not repeated: it could be a card number")
	}
	p.list = append(p.list, FieldError{Field: field, Code: code, Value: value, Message: message})
}

// HasNumber reports whether s holds a run of 11 or more digits, counting
// across the separators a number is written out with ("4111 1111 1111
// 1111", "4111.1111.1111.1111", "4111+1111%201111\u00a01111", full-width
// digits; see separators): what a card number looks like, and what a
// date, a time to the microsecond or a UUID does not.
// RedactNumbers removes exactly these runs.
func HasNumber(s string) bool {
	_, _, ok := nextNumber(s, 0)
	return ok
}

// HoldsCardNumber reports whether s holds what could be a whole card
// number: 12 to 19 digits that pass the Luhn check, start and run as a card
// network's numbers do (issuers), and are written as card numbers are: in
// one piece, or in groups of four (the last may be shorter), or 4-6-5 or
// 4-6-4, with any of the separators RedactNumbers reads between them. A
// group of digits touching a letter belongs to a word (an id, a hash), and
// a comma followed by a space ends a number (a list). Digits that are all
// in an IBAN (whole, of a country that has IBANs, passing its check) are
// not a card number; a run that goes on past one is judged whole. Phone
// numbers, amounts, dates, timestamps and ids, though long, are not
// written so.
func HoldsCardNumber(s string) bool {
	var groups [][]byte // the digit groups of one number, ASCII
	for from := 0; ; {
		start, end, ok := nextNumber(s, from)
		if !ok {
			return false
		}
		from = end
		if runHolds(s, start, end, &groups, true) {
			return true
		}
	}
}

// runHolds reports whether the run s[start:end] that nextNumber found
// holds a card number, read with the text around it in s (a URL escape it
// starts with, an IBAN it is part of, and with words, a letter before or
// after that makes a group part of a word). groups is a buffer to reuse.
func runHolds(s string, start, end int, groups *[][]byte, words bool) bool {
	if q, ok := ibanEnd(s, start); ok {
		// An IBAN's digits are not a card number. A run that goes on past
		// the IBAN is judged whole, though: a number may start inside it.
		for q < end && digitAt(s, q) == 0 {
			w, _ := separatorAt(s, q)
			q += max(w, 1)
		}
		if q >= end {
			return false
		}
	}
	*groups = (*groups)[:0]
	inWord := words && letterAt(s, start-1) // the first group is part of a word
	// The digits of a URL escape ("%20", "%3D") that the run starts
	// with are not the number's.
	switch {
	case start >= 1 && s[start-1] == '%':
		start, inWord = min(start+2, end), false
	case start >= 2 && s[start-2] == '%' && hexDigit(s[start-1]):
		start, inWord = start+1, false
	}
	push := func(g []byte) {
		if inWord {
			inWord = false
			return
		}
		*groups = append(*groups, g)
	}
	var g []byte
	for i := start; i < end; {
		if w := digitAt(s, i); w > 0 {
			g = append(g, '0'+s[i+w-1]&0x0F) // the last byte of a full-width digit counts from 0x90
			i += w
			continue
		}
		push(g)
		g = nil
		j := i
		for j < end && digitAt(s, j) == 0 {
			w, _ := separatorAt(s, j)
			j += max(w, 1)
		}
		if strings.Contains(s[i:j], ", ") {
			if spansCardNumber(*groups) {
				return true
			}
			*groups = (*groups)[:0]
		}
		i = j
	}
	if !words || !letterAt(s, end) { // else the last group is part of a word
		push(g)
	}
	return spansCardNumber(*groups)
}

// spansCardNumber reports whether some consecutive groups, written as a
// card number is, make a number that could be a card's.
func spansCardNumber(groups [][]byte) bool {
	for i := range groups {
		var d []byte
		for j, g := range groups[i:] {
			if d = append(d, g...); len(d) > 19 {
				break
			}
			if len(d) >= 12 && cardGrouping(groups[i:i+j+1]) && issued(d) && luhnValid(string(d)) {
				return true
			}
		}
	}
	return false
}

// cardGrouping reports whether groups are written as a card number is: one
// group, groups of four with a last one of one to four, or 4-6-5 or 4-6-4
// (American Express, Diners Club).
func cardGrouping(groups [][]byte) bool {
	n := len(groups)
	if n == 1 {
		return true
	}
	if n == 3 && len(groups[0]) == 4 && len(groups[1]) == 6 && (len(groups[2]) == 5 || len(groups[2]) == 4) {
		return true
	}
	for _, g := range groups[:n-1] {
		if len(g) != 4 {
			return false
		}
	}
	return len(groups[n-1]) >= 1 && len(groups[n-1]) <= 4
}

// issuers are the card networks' ranges of leading digits (lo to hi, as
// long as each other) and the lengths of their numbers (bit n set for n
// digits): Visa, Mastercard, American Express, Diners Club, Discover, JCB,
// UnionPay, Maestro, Mir, RuPay. The lengths are those issued today: no
// Visa of 13 digits nor Maestro under 16 is, and leaving them out spares
// many phone numbers and ids.
var issuers = [...]struct {
	lo, hi  string
	lengths uint32
}{
	{"4", "4", 1<<16 | 1<<19},
	{"51", "55", 1 << 16}, {"2221", "2720", 1 << 16},
	{"34", "34", 1 << 15}, {"37", "37", 1 << 15},
	{"300", "305", lengths(14, 19)}, {"36", "36", lengths(14, 19)}, {"38", "39", lengths(16, 19)},
	{"6011", "6011", lengths(16, 19)}, {"644", "649", lengths(16, 19)}, {"65", "65", lengths(16, 19)},
	{"3528", "3589", lengths(16, 19)},
	{"62", "62", lengths(16, 19)},
	{"50", "50", lengths(16, 19)}, {"56", "58", lengths(16, 19)}, {"63", "63", lengths(16, 19)}, {"67", "67", lengths(16, 19)},
	{"2200", "2204", lengths(16, 19)},
	{"60", "60", 1 << 16}, {"81", "82", 1 << 16},
}

// lengths is the set of lengths from shortest to longest.
func lengths(shortest, longest int) uint32 { return 1<<(longest+1) - 1<<shortest }

// issued reports whether the digits d start in a network's range and are as
// long as its numbers are.
func issued(d []byte) bool {
	for _, r := range issuers {
		if n := len(r.lo); len(d) >= n && string(d[:n]) >= r.lo && string(d[:n]) <= r.hi && r.lengths&(1<<len(d)) != 0 {
			return true
		}
	}
	return false
}

// letterAt reports whether s[i] is an ASCII letter, and not one of the
// hexadecimal digits of a URL escape such as "%3D".
func letterAt(s string, i int) bool {
	if i < 0 || i >= len(s) || s[i]|0x20 < 'a' || s[i]|0x20 > 'z' {
		return false
	}
	escaped := i >= 1 && s[i-1] == '%' && i+1 < len(s) && hexDigit(s[i+1]) ||
		i >= 2 && s[i-2] == '%' && hexDigit(s[i-1])
	return !(escaped && hexDigit(s[i]))
}

func hexDigit(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// ibanLengths lists each country's IBAN length, as the IBAN registry
// (ISO 13616) gives it: the country code, then two digits.
const ibanLengths = "AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24" +
	"DE22DJ27DK18DO28EE20EG29ES24FI18FK18FO18FR27GB22GE22GI23GL18GR27GT28" +
	"HN28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20LU20LV21" +
	"LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15PK24PL28PS29PT25QA29" +
	"OM23RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25SV28TL23TN24TR26" +
	"UA29VA22VG24XK20YE30"

// ibanLength is the length of country's IBANs, or 0 for a country that
// has none.
func ibanLength(country string) int {
	for i := 0; i+4 <= len(ibanLengths); i += 4 {
		if ibanLengths[i:i+2] == country {
			return int(ibanLengths[i+2]-'0')*10 + int(ibanLengths[i+3]-'0')
		}
	}
	return 0
}

// maxIBANText is how many bytes before a run an IBAN that covers it may
// start: 34 characters at the most, with a space between groups of four.
const maxIBANText = 34 + 9

// ibanEnd returns where an IBAN printed in s ends, when one covers s[at]
// (a run of digits that starts inside it): the two letters of a country
// that has IBANs (in either case, not the end of a word), then letters and
// digits, in one piece or in groups with single spaces between them, as
// many as that country's IBANs have, and no more, passing the ISO 13616
// mod-97 check. False when none does: a made-up prefix, or a broken IBAN,
// excuses nothing.
func ibanEnd(s string, at int) (int, bool) {
	latin := func(i int) bool { return i >= 0 && i < len(s) && s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z' }
	for p := max(0, at-maxIBANText); p+2 <= at && p+4 <= len(s); p++ {
		if !latin(p) || !latin(p+1) || letterAt(s, p-1) || !isDigit(s[p+2]) || !isDigit(s[p+3]) {
			continue
		}
		country := string([]byte{s[p] &^ 0x20, s[p+1] &^ 0x20}) // in capitals
		if q, ok := readIBAN(s, p, ibanLength(country)); ok && q > at {
			return q, true
		}
	}
	return 0, false
}

// readIBAN reads the IBAN of n characters that starts at s[p] and returns
// where it ends, if it is one that passes its check.
func readIBAN(s string, p, n int) (int, bool) {
	if n == 0 {
		return 0, false
	}
	var buf [34]byte
	chars, i := buf[:0], p
	for len(chars) < n && i < len(s) {
		switch c := s[i]; {
		case isDigit(c):
			chars = append(chars, c)
			i++
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			chars = append(chars, c&^0x20) // in capitals, as the check reads it
			i++
		case c == ' ' && len(chars) > 0 && i+1 < len(s) && s[i+1] != ' ':
			i++
		default:
			return 0, false
		}
	}
	if len(chars) < n || i < len(s) && (digitAt(s, i) > 0 || letterAt(s, i)) {
		return 0, false // too short, or longer than the country's
	}
	// The check: the account part, then the country and check digits,
	// letters as numbers (A is 10), read as one number, leaves 1 mod 97.
	r := 0
	for _, c := range append(chars[4:], chars[:4]...) {
		if c >= 'A' {
			v := int(c-'A') + 10
			r = (r*100 + v) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return i, r == 1
}

// RedactNumbers returns s with every run HasNumber finds replaced by
// "[redacted]": what to do to text from outside, such as a provider's error
// message, before it is kept or logged. s comes back as it is, without a
// copy, when it has none.
func RedactNumbers(s string) string {
	return redactRuns(s, func(int, int) bool { return true })
}

// redactRuns returns s with every run nextNumber finds that redact
// accepts replaced by "[redacted]"; s as it is, without a copy, when
// none is.
func redactRuns(s string, redact func(start, end int) bool) string {
	var b []byte // nil until a run is replaced
	kept := 0    // s[:kept] is in b already
	for from := 0; ; {
		start, end, ok := nextNumber(s, from)
		if !ok {
			break
		}
		from = end
		if !redact(start, end) {
			continue
		}
		b = append(append(b, s[kept:start]...), "[redacted]"...)
		kept = end
	}
	if b == nil {
		return s
	}
	return string(append(b, s[kept:]...))
}

// RedactCardNumbers is RedactNumbers for only the runs that
// HoldsCardNumber accepts, read in place or alone: for a whole rendering
// put together from fields
// (dates, ids and amounts side by side make long runs of digits that are
// not one number), in which a card number must still not show, even one
// made of digits from several fields.
func RedactCardNumbers(s string) string {
	// Until nothing changes: a run redacted inside an IBAN breaks it, and
	// a run the IBAN excused may then read as a number. Each pass that
	// changes s takes digits out of it, so the passes end.
	for {
		out := redactCardNumbersOnce(s)
		if out == s {
			return s
		}
		s = out
	}
}

// redactCardNumbersOnce is one pass of RedactCardNumbers.
func redactCardNumbersOnce(s string) string {
	var groups [][]byte
	return redactRuns(s, func(start, end int) bool {
		// Judged as HoldsCardNumber does, and again with no letter around
		// it taken to make a group part of a word: a word in one field
		// and a number in the next are joined here.
		return runHolds(s, start, end, &groups, true) || runHolds(s, start, end, &groups, false)
	})
}

// nextNumber finds the first run of s[from:] that could be a card number:
// 11 digits or more (12 across a dot), with separators between them (a
// run of up to eight of them, mixed as they come: see separators). Full-width
// digits count as digits. It returns where the run starts and ends in s.
func nextNumber(s string, from int) (start, end int, ok bool) {
	for i := from; i < len(s); {
		w := digitAt(s, i)
		if w == 0 {
			i++
			continue
		}
		start, digits, dotted := i, 0, false
		for i < len(s) {
			if w = digitAt(s, i); w > 0 {
				digits++
				i += w
				continue
			}
			j, dot := i, false
			for n := 0; n < maxSeparators; n++ {
				sw, d := separatorAt(s, j)
				if sw == 0 {
					break
				}
				j, dot = j+sw, dot || d
			}
			if j == i || digitAt(s, j) == 0 {
				break // separators that end the run are not part of it
			}
			i, dotted = j, dotted || dot
		}
		// Seconds and nanoseconds ("26.923705379") are 11 digits across a
		// dot; no card number is shorter than 12.
		if digits >= 11 && !dotted || digits >= 12 {
			return start, i, true
		}
	}
	return 0, 0, false
}

// digitAt is the width in bytes of the digit at s[i]: 1 for an ASCII
// digit, 3 for a full-width one (U+FF10 to U+FF19), 0 for no digit.
func digitAt(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case isDigit(s[i]):
		return 1
	case i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99:
		return 3
	}
	return 0
}

// maxSeparators is how many separators may stand between two digits of one
// number.
const maxSeparators = 8

// separators are what may stand between the digits of a number written
// out, as people, forms, input methods and URLs write them: spaces of every
// width (the no-break, figure, thin, narrow and ideographic ones, and the
// zero-width one), tabs and line breaks, hyphens and dashes (the minus sign
// and the full-width hyphen too), dots, commas, slashes, underscores, and a
// URL's "+" and "%20". The first two entries, the dots, mark a run
// "dotted". A colon is not one: times are written with it.
var separators = [...]string{".", "\uff0e",
	" ", "\t", "\n", "\r", "\u00a0", "\u2007", "\u2009", "\u200b", "\u202f", "\u3000",
	"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uff0d",
	",", "/", "\uff0f", "_", "+", "%20"}

// separatorAt is the width in bytes of the separator at s[i] (0 for none),
// and whether it is a dot. A plain ASCII byte, the common case, is judged
// without the table.
func separatorAt(s string, i int) (width int, dot bool) {
	if i >= len(s) {
		return 0, false
	}
	switch c := s[i]; {
	case c == '.':
		return 1, true
	case c == '%':
		if strings.HasPrefix(s[i:], "%20") {
			return 3, false
		}
		return 0, false
	case c < utf8.RuneSelf:
		if strings.IndexByte(" \t\n\r-,/_+", c) >= 0 {
			return 1, false
		}
		return 0, false
	}
	for k, sep := range separators {
		if strings.HasPrefix(s[i:], sep) {
			return len(sep), k < 2
		}
	}
	return 0, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func joinMessage(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// mapPath names the entry key of the map at field, as field["key"], or
// field[…] for a key that could be a card number.
func mapPath(field, key string) string {
	if HasNumber(key) {
		return field + "[…]"
	}
	return field + "[" + strconv.Quote(key) + "]"
}

// Merge adds the problems of err, a nested check, with prefix put in front of
// each field path ("shipping.address" + "." + "city"). An error that is not
// an *Error is recorded against prefix itself.
func (p *Problems) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		p.Add(prefix, CodeFormat, err.Error())
		return
	}
	for _, f := range e.Fields {
		f.Field = joinPath(prefix, f.Field)
		p.list = append(p.list, f)
	}
}

// Len is the number of problems recorded.
func (p *Problems) Len() int { return len(p.list) }

// Err returns nil when nothing was recorded, and otherwise an *Error of kind
// ErrInvalid listing every problem.
func (p *Problems) Err(op string) error {
	return p.ErrKind(op, ErrInvalid)
}

// ErrKind is Err with another kind.
func (p *Problems) ErrKind(op string, kind error) error {
	if len(p.list) == 0 {
		return nil
	}
	return &Error{Op: op, Kind: kind, Fields: append([]FieldError(nil), p.list...)}
}

// UnknownValue is the error for value, found at field, which is not one of
// what's documented values: an *Error of kind ErrInvalid with code
// CodeUnknownValue that echoes the value, or CodeRequired when value is
// empty. Never pass it a card number.
func UnknownValue(op, field, value, what string) error {
	var p Problems
	if value == "" {
		p.Add(field, CodeRequired, "empty "+what)
	} else {
		p.AddValue(field, CodeUnknownValue, value, "not a "+what)
	}
	return p.Err(op)
}

// Nest returns err with prefix put in front of every field path. It is how a
// caller that parsed a value out of a larger document names where it was.
func Nest(prefix string, err error) error {
	var e *Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	out := &Error{Op: e.Op, Kind: e.Kind, Fields: make([]FieldError, len(e.Fields))}
	for i, f := range e.Fields {
		f.Field = joinPath(prefix, f.Field)
		out.Fields[i] = f
	}
	return out
}

func joinPath(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case field[0] == '[':
		return prefix + field
	}
	return prefix + "." + field
}

// index renders path[i].
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// quote renders a value for an error message: quoted, cut to a readable
// length, invalid UTF-8 escaped.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

// TransitionError says why the lifecycle table refused a move.
type TransitionError struct {
	From   Status       // the card's status
	HeldBy Actor        // who placed the card's hold, if it is SUSPENDED; zero if not known
	To     Status       // the status asked for
	Reason StatusReason // the reason given for the move
	By     Actor        // who asked
	Why    string       // which part of the rule was not met
}

// Error says which move was refused and why.
func (e *TransitionError) Error() string {
	var b strings.Builder
	b.WriteString("card: illegal transition ")
	b.WriteString(e.From.String())
	if e.HeldBy != 0 {
		b.WriteString(" (held by " + e.HeldBy.String() + ")")
	}
	b.WriteString(" -> ")
	b.WriteString(e.To.String())
	b.WriteString(" (reason ")
	if e.Reason == 0 {
		b.WriteString("none")
	} else {
		b.WriteString(e.Reason.String())
	}
	b.WriteString(", by ")
	if e.By == 0 {
		b.WriteString("nobody")
	} else {
		b.WriteString(e.By.String())
	}
	b.WriteString("): ")
	b.WriteString(e.Why)
	return b.String()
}

// Unwrap returns ErrIllegalTransition.
func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }
