package solid

import (
	"fmt"
	"log/slog"

	"github.com/cardkit/cardkit/adapters/wire"
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
