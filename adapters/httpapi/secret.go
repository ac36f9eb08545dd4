package httpapi

import (
	"fmt"
	"io"
	"log/slog"
)

const redacted = "[redacted]"

// Secret is a credential: an API key, a secret, an access token. It prints
// as "[redacted]" through String, GoString, every fmt verb, slog and JSON.
//
// The value is held by a closure, not a field: fmt, slog's reflection and
// the diff printers of test libraries walk fields and follow pointers, but
// none of them can read what a func value captured (card.FingerprintKey
// seals a string behind a pointer for the same reason). The clear value
// comes only from Reveal, called where a header is written.
type Secret struct {
	v func() string
}

// NewSecret holds s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{v: func() string { return s }}
}

// Reveal returns the clear value: only for the header that carries it.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return s.v()
}

// IsZero reports whether no value is held.
func (s Secret) IsZero() bool { return s.v == nil }

// String returns "[redacted]".
func (s Secret) String() string { return redacted }

// GoString returns "[redacted]".
func (s Secret) GoString() string { return redacted }

// Format writes "[redacted]" for every verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue logs "[redacted]".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes "[redacted]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes "[redacted]", so that no text encoder shows the value
// either.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
