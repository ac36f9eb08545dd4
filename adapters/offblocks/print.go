package offblocks

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
func (w CardRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w CardRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Card) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Card) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Address) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Address) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ErrorBody) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ErrorBody) LogValue() slog.Value { return wire.LogValue(w) }

// A Residue prints, logs and encodes as JSON as any struct, but for its
// MaskedPAN, shown by its last four only (for a short number OffBlocks'
// mask shows all but a few digits), and the provider's text as
// wire.Redact leaves it.

type residueShown Residue

func (r Residue) shown() residueShown {
	v := wire.Redact(residueShown(r))
	if n := len(v.MaskedPAN); n > 4 {
		v.MaskedPAN = card.MaskDigits("", v.MaskedPAN[n-4:], n)
	}
	return v
}

// GoString returns r as %#v prints it, its MaskedPAN hidden but its last four.
func (r Residue) GoString() string { return shown.GoString(r.shown(), "offblocks.Residue") }

// Format writes r as the verb writes a struct, its MaskedPAN hidden but
// its last four.
func (r Residue) Format(f fmt.State, verb rune) {
	shown.Format(f, verb, r.shown(), "offblocks.Residue")
}

// LogValue logs r, its MaskedPAN hidden but its last four.
func (r Residue) LogValue() slog.Value { return shown.LogValue(r.shown()) }

// MarshalJSON encodes r, its MaskedPAN hidden but its last four.
func (r Residue) MarshalJSON() ([]byte, error) { return shown.JSON(r.shown()) }
