package wire

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/card"
)

// Number is a full card or bank account number in a wire struct, where the
// provider's document demands the number itself. Only the wire's encoders
// (Marshal, MarshalNulls, MarshalIndent, a Codec) write the number; fmt,
// through every verb, slog, and any other JSON encoder (encoding/json, a
// slog JSON handler) show only its last four digits. The digits sit behind
// a pointer, so that even where fmt prints a struct's fields without their
// methods (a verb a field does not take), it shows an address, not the
// number.
type Number struct{ d *string }

// NewNumber holds digits as a Number.
func NewNumber(digits string) Number {
	if digits == "" {
		return Number{}
	}
	return Number{d: &digits}
}

// Reveal returns the number in the clear, for the wire.
func (n Number) Reveal() string {
	if n.d == nil {
		return ""
	}
	return *n.d
}

// IsZero reports whether n holds no number.
func (n Number) IsZero() bool { return n.Reveal() == "" }

// Masked is a '*' for each character but the last four, such as
// "************1111"; all hidden when there are four or fewer.
func (n Number) Masked() string {
	s := n.Reveal()
	switch {
	case s == "":
		return ""
	case len(s) <= 4:
		return card.MaskDigits("", "", len(s))
	}
	return card.MaskDigits("", s[len(s)-4:], len(s))
}

// String returns n masked.
func (n Number) String() string { return n.Masked() }

// GoString returns n masked, as Go syntax.
func (n Number) GoString() string { return "wire.Number(" + strconv.Quote(n.Masked()) + ")" }

// Format writes n masked, whatever the verb.
func (n Number) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, n.GoString())
		return
	}
	_, _ = io.WriteString(f, n.Masked())
}

// LogValue logs n masked.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// MarshalJSON writes n masked: an encoder that is not the wire's (a log's,
// a program's) never writes the number. The wire's encoders write the
// number itself.
func (n Number) MarshalJSON() ([]byte, error) { return jsontext.AppendQuote(nil, n.Masked()) }

// UnmarshalJSON reads a JSON string, or null (no number).
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number{}
		return nil
	}
	if len(b) == 0 || b[0] != '"' {
		return fmt.Errorf("wire: a number is a JSON string")
	}
	s, err := jsontext.AppendUnquote(nil, b)
	if err != nil {
		return err
	}
	*n = NewNumber(string(s))
	return nil
}
