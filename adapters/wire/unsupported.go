package wire

import "github.com/cardkit/cardkit/card"

// ErrUnsupported is card.ErrUnsupported: the provider has no call for what
// was asked (a Solid v1 card cannot be suspended, an OffBlocks card cannot
// be reissued, ...). Every provider client returns an *UnsupportedError for
// it, so that one errors.Is test covers all four, and the issuance service
// keeps it through a replay.
var ErrUnsupported = card.ErrUnsupported

// UnsupportedError names the provider and the operation it lacks. It is
// final: the same call will never succeed at that provider.
type UnsupportedError struct {
	Provider string // such as "solid"
	Op       string // such as "suspend"
	Why      string // what the provider's document offers instead, if anything
}

// Unsupported returns the error for op, which provider does not offer.
func Unsupported(provider, op, why string) error {
	return &UnsupportedError{Provider: provider, Op: op, Why: why}
}

// Error says which provider lacks which operation.
func (e *UnsupportedError) Error() string {
	s := e.Provider + ": " + e.Op + ": " + ErrUnsupported.Error()
	if e.Why != "" {
		s += " (" + e.Why + ")"
	}
	return s
}

// Unwrap returns ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// Retryable is false: asking again will not help.
func (e *UnsupportedError) Retryable() bool { return false }
