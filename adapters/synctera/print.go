package synctera

import (
	"fmt"
	"log/slog"

	"github.com/cardkit/cardkit/adapters/wire"
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
func (w EmbossName) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w EmbossName) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w PendingReasons) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w PendingReasons) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Shipping) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Shipping) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Address) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Address) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w RecipientName) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w RecipientName) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w FulfillmentDetails) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w FulfillmentDetails) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w CardEditRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w CardEditRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ActivationRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ActivationRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Problem) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Problem) LogValue() slog.Value { return wire.LogValue(w) }

// A Residue prints, logs and encodes as JSON as any struct, but with the
// provider's text as wire.Redact leaves it: a card number in it redacted.

type residueShown Residue

func (r Residue) shown() residueShown { return wire.Redact(residueShown(r)) }

// GoString returns r as %#v prints it, redacted.
func (r Residue) GoString() string { return shown.GoString(r.shown(), "synctera.Residue") }

// Format writes r as the verb writes a struct, redacted.
func (r Residue) Format(f fmt.State, verb rune) { shown.Format(f, verb, r.shown(), "synctera.Residue") }

// LogValue logs r, redacted.
func (r Residue) LogValue() slog.Value { return shown.LogValue(r.shown()) }

// MarshalJSON encodes r, redacted.
func (r Residue) MarshalJSON() ([]byte, error) { return shown.JSON(r.shown()) }
