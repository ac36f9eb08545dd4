package rocketkor

import (
	"fmt"
	"log/slog"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/shown"
)

// Every wire struct prints and logs through wire.Format: as fmt prints a
// struct, but its unknown members by name only, never by value. (A nil
// pointer to one logs as slog logs a LogValue that panicked: the method
// has a value receiver, so that a value logs through it too.)

// Format prints w through wire.Format.
func (w IssueRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w IssueRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format, its starting number cut to six
// digits, as a Residue prints it: for a short card number the starting
// number shows, with the last four, all of it.
func (w CardDetails) Format(f fmt.State, verb rune) {
	w.StartingNumber = shownStart(w.StartingNumber)
	wire.Format(f, verb, w)
}

// LogValue logs w as Format prints it with %+v.
func (w CardDetails) LogValue() slog.Value {
	w.StartingNumber = shownStart(w.StartingNumber)
	return wire.LogValue(w)
}

// Format prints w through wire.Format.
func (w IssuedCardAccount) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w IssuedCardAccount) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w IssuedCard) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w IssuedCard) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Embedded) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Embedded) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ProviderDetails) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ProviderDetails) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ExternalBankAccount) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ExternalBankAccount) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ExternalCardAccount) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ExternalCardAccount) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ExternalCard) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ExternalCard) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Address) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Address) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Actor) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Actor) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w SuspendRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w SuspendRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ReissueRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ReissueRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ErrorBody) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ErrorBody) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w FieldError) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w FieldError) LogValue() slog.Value { return wire.LogValue(w) }

// A Residue prints, logs and encodes as JSON as any struct, but for a
// starting number kept aside, shown by its first six digits only (kept
// for a short card number, it shows with the last four all of the
// number), and the provider's text as wire.Redact leaves it.

type residueShown Residue

func (r Residue) shown() residueShown {
	v := wire.Redact(residueShown(r))
	v.Terms.StartingNumber = shownStart(v.Terms.StartingNumber)
	return v
}

// shownStart is a starting number as printed: its first six digits.
func shownStart(s string) string {
	if n := len(s); n > 6 {
		return card.MaskDigits(s[:6], "", n)
	}
	return s
}

// GoString returns r as %#v prints it, the starting number cut to six.
func (r Residue) GoString() string { return shown.GoString(r.shown(), "rocketkor.Residue") }

// Format writes r as the verb writes a struct, the starting number cut to
// six digits.
func (r Residue) Format(f fmt.State, verb rune) {
	shown.Format(f, verb, r.shown(), "rocketkor.Residue")
}

// LogValue logs r, the starting number cut to six digits.
func (r Residue) LogValue() slog.Value { return shown.LogValue(r.shown()) }

// MarshalJSON encodes r, the starting number cut to six digits.
func (r Residue) MarshalJSON() ([]byte, error) { return shown.JSON(r.shown()) }
