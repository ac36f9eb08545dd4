package solid

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
func (w Cardholder) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Cardholder) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Shipping) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Shipping) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w Address) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w Address) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ReplaceRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ReplaceRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ActivateRequest) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ActivateRequest) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w StatusResponse) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w StatusResponse) LogValue() slog.Value { return wire.LogValue(w) }

// Format prints w through wire.Format.
func (w ErrorBody) Format(f fmt.State, verb rune) { wire.Format(f, verb, w) }

// LogValue logs w as Format prints it with %+v.
func (w ErrorBody) LogValue() slog.Value { return wire.LogValue(w) }

// A Residue prints, logs and encodes as JSON as any struct, but with the
// provider's text as wire.Redact leaves it: a card number in it redacted.

type residueShown Residue

func (r Residue) shown() residueShown { return wire.Redact(residueShown(r)) }

// GoString returns r as %#v prints it, redacted.
func (r Residue) GoString() string { return shown.GoString(r.shown(), "solid.Residue") }

// Format writes r as the verb writes a struct, redacted.
func (r Residue) Format(f fmt.State, verb rune) { shown.Format(f, verb, r.shown(), "solid.Residue") }

// LogValue logs r, redacted.
func (r Residue) LogValue() slog.Value { return shown.LogValue(r.shown()) }

// MarshalJSON encodes r, redacted.
func (r Residue) MarshalJSON() ([]byte, error) { return shown.JSON(r.shown()) }
