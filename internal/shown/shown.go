// Package shown writes a value in place of another through fmt, slog and
// JSON: for a type that prints as a copy of itself with some fields hidden
// (a card number as printed, a provider's value that shows much of a short
// number), and whose text came from outside. What it writes is redacted as
// a whole (card.RedactCardNumbers), so that groups of digits from several
// fields, which fmt joins with spaces, cannot make a card number either.
package shown

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/card"
)

// Format writes view as verb and f's flags would write it, redacted; %#v
// names the type as typeName instead of view's own type, which is
// unexported.
func Format(f fmt.State, verb rune, view any, typeName string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, GoString(view, typeName))
		return
	}
	_, _ = io.WriteString(f, card.RedactCardNumbers(fmt.Sprintf(fmt.FormatString(f, verb), view)))
}

// GoString is %#v of view, with typeName in place of view's type name,
// redacted.
func GoString(view any, typeName string) string {
	s := strings.Replace(fmt.Sprintf("%#v", view), fmt.Sprintf("%T", view), typeName, 1)
	return card.RedactCardNumbers(s)
}

// JSON is json.Marshal of view, with every string (names too) redacted
// and every number that could be a card's written as the string
// "[redacted]".
func JSON(view any) ([]byte, error) {
	b, err := json.Marshal(view)
	if err != nil {
		return nil, err
	}
	return RedactJSON(b), nil
}

// RedactJSON returns the JSON value raw, token by token, with every string
// (names too) redacted as card.RedactNumbers does, and every number that
// could be a card's (its digits, or a value of twelve digits or more
// written any way, 4.5e15 say) as the string "[redacted]": still JSON, and
// with no escape left to hide a digit. raw that is not one JSON value
// comes back as "[redacted]", whole.
func RedactJSON(raw []byte) []byte {
	dec := jsontext.NewDecoder(bytes.NewReader(raw))
	var out bytes.Buffer
	enc := jsontext.NewEncoder(&out)
	// Numbers side by side in an array are held back: short ones, written
	// with commas between them, may read as one card number.
	var run []string
	flush := func() error {
		// The run as it would be written, each number that shows on its
		// own already a string: do the others read as a card number?
		kept := make([]string, len(run))
		for i, lit := range run {
			kept[i] = lit
			if numberShows(lit) {
				kept[i] = `"[redacted]"`
			}
		}
		whole := card.HoldsCardNumber(strings.Join(kept, ","))
		for _, lit := range run {
			var err error
			if whole || numberShows(lit) {
				err = enc.WriteToken(jsontext.String("[redacted]"))
			} else {
				err = enc.WriteValue(jsontext.Value(lit))
			}
			if err != nil {
				return err
			}
		}
		run = run[:0]
		return nil
	}
	for done := false; ; done = dec.StackDepth() == 0 {
		tok, err := dec.ReadToken()
		if err == io.EOF && done {
			break
		}
		if err != nil || done { // not JSON, or a second value
			return []byte(`"[redacted]"`)
		}
		if tok.Kind() == '0' {
			run = append(run, tok.String())
			continue
		}
		if err := flush(); err != nil {
			return []byte(`"[redacted]"`)
		}
		if tok.Kind() == '"' {
			tok = jsontext.String(card.RedactNumbers(tok.String()))
		}
		if err := enc.WriteToken(tok); err != nil {
			return []byte(`"[redacted]"`)
		}
	}
	if err := flush(); err != nil {
		return []byte(`"[redacted]"`)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

// numberShows reports whether the JSON number lit could be a card number.
func numberShows(lit string) bool {
	if card.HasNumber(lit) {
		return true
	}
	f, err := strconv.ParseFloat(lit, 64)
	return err == nil && (f >= 1e11 || f <= -1e11)
}

// LogValue is a slog value for view: slog's text handler writes it as
// Format does with %+v, its JSON handler as JSON does.
func LogValue(view any) slog.Value { return slog.AnyValue(logged{view}) }

type logged struct{ view any }

func (l logged) Format(f fmt.State, verb rune) { Format(f, verb, l.view, fmt.Sprintf("%T", l.view)) }
func (l logged) MarshalJSON() ([]byte, error)  { return JSON(l.view) }
