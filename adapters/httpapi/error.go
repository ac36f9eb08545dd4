package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cardkit/cardkit/card"
)

// Kinds of failure, for errors.Is on an *Error: every provider's error body
// maps to one of them by its HTTP status.
var (
	ErrInvalid      = errors.New("request refused as invalid")              // 400, 422
	ErrUnauthorized = errors.New("not authorised")                          // 401, 403
	ErrNotFound     = errors.New("not found")                               // 404
	ErrConflict     = errors.New("conflict")                                // 409
	ErrRateLimited  = errors.New("rate limited")                            // 429
	ErrUnavailable  = errors.New("provider unavailable")                    // 5xx, a timeout, a dropped connection
	ErrFailed       = errors.New("provider refused the request")            // any other status
	ErrBadResponse  = errors.New("provider sent a response we cannot read") // a 2xx body that does not decode
)

// Error is a provider's failure: its HTTP status, the provider's own code
// and message and the field it names, from the provider's error body, and
// whether the same call with the same idempotency key may succeed later.
// It shows no credential (after a 401 it keeps the refused Authorization,
// redacted, for Reauthorize), and its message is scrubbed of anything that
// could be a card number.
type Error struct {
	Provider string // "synctera", "solid", "rocketkor", "offblocks"
	Op       string // the client's operation: "issue", "get", "activate", ...
	Status   int    // the HTTP status; 0 when no answer came
	Code     string // the provider's error code, such as "IDEMPOTENCY_INVALID_REUSE"
	Field    string // the field path the provider names, where it names one
	Message  string // the provider's message, for people
	// RequestID is the provider's id of the failed request, where its body
	// or headers carry one.
	RequestID string
	// RetryAfter is how long the provider asked to wait (429, 503).
	RetryAfter time.Duration
	// Err is the cause: the transport's error when no answer came.
	Err error
	// Transient is true when the same call, with the same key, may succeed:
	// a timeout, a dropped connection, a 5xx, a 429, an idempotency key
	// still in flight.
	Transient bool

	earlier       bool   // an earlier attempt of the call may have taken effect
	unsent        bool   // no connection was made: the request never left
	authorization Secret // the refused request's Authorization header, for Reauthorize
}

// Retryable reports whether the same call, with the same key, may succeed.
func (e *Error) Retryable() bool { return e.Transient }

// LogValue logs e as Error says it, scrubbed: its cause (Err) may hold the
// request's URL, whose path may name what a program put in it.
func (e *Error) LogValue() slog.Value { return slog.StringValue(e.Error()) }

// MarshalJSON encodes e as Error says it, scrubbed, as LogValue does.
func (e *Error) MarshalJSON() ([]byte, error) { return json.Marshal(e.Error()) }

// NotActed reports whether the provider cannot have acted on the call: it
// answered that it did not take the call up (a 429 or a 503), or no
// connection to it was made (its name did not resolve, the dial failed),
// and no earlier attempt of the call may have taken effect. Any other
// failure, an answer that never came above all, may follow the provider's
// effect.
func (e *Error) NotActed() bool {
	if e.earlier {
		return false
	}
	return e.unsent || e.Err == nil && (e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable)
}

// AfterEffect marks err, the error of a call made after one the provider
// acted on (the read that follows a change answered without the card, say),
// as an error after an effect: its NotActed reports false, whatever the
// second call's failure was. Other errors come back as they are.
func AfterEffect(err error) error {
	var e *Error
	if errors.As(err, &e) && e != nil {
		e.earlier = true
	}
	return err
}

// Error says which provider call failed, how, and whether it may be
// retried.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider + " " + e.Op + ": ")
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status) + " " + http.StatusText(e.Status))
	} else {
		b.WriteString("no answer")
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Field != "" {
		b.WriteString(" at " + e.Field)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil && e.Status == 0 {
		b.WriteString(": " + Scrub(e.Err.Error()))
	}
	if e.Transient {
		b.WriteString(" (retryable)")
	}
	return b.String()
}

// ProviderCode is the provider's error code; the issuance service keeps it
// with a final error.
func (e *Error) ProviderCode() string { return e.Code }

// ProviderField is the field path the provider named, if any; the issuance
// service keeps it with a final error.
func (e *Error) ProviderField() string { return e.Field }

// Unwrap returns the kind (ErrNotFound, ...) and the cause.
func (e *Error) Unwrap() []error {
	out := []error{e.kind()}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

func (e *Error) kind() error {
	switch s := e.Status; {
	case s == 0 || s >= 500:
		return ErrUnavailable
	case s == http.StatusBadRequest || s == http.StatusUnprocessableEntity:
		return ErrInvalid
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return ErrUnauthorized
	case s == http.StatusNotFound:
		return ErrNotFound
	case s == http.StatusConflict:
		return ErrConflict
	case s == http.StatusTooManyRequests:
		return ErrRateLimited
	case s < 300:
		return ErrBadResponse
	}
	return ErrFailed
}

// StatusRetryable is the retry rule every provider shares: 408, 425, 429
// and every 5xx but 501 and 505 (what the server will never do) may
// succeed later; a provider adds its own in-flight code.
func StatusRetryable(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	case http.StatusNotImplemented, http.StatusHTTPVersionNotSupported:
		return false
	}
	return status >= 500
}

// Scrub is card.RedactNumbers: every run of digits that could be a card
// number (11 or more, counted across the separators a number is written
// out with) becomes "[redacted]", so that a provider's message that echoes
// a value cannot carry a PAN into an error or a log. Percent-encoded text
// (a URL's path or query: "4111%2F1111%2F1111%2F1111") is read as what it
// encodes, to three levels of encoding; where that holds such a number,
// Scrub returns it decoded (to the deepest level that held one) and
// redacted.
func Scrub(s string) string {
	out := card.RedactNumbers(s)
	d := out
	for range 3 {
		next := percentDecoded(d)
		if next == d {
			break
		}
		d = card.RedactNumbers(next)
		if d != next {
			out = d // each level is read on, redacted: another number may need more decoding
		}
	}
	return out
}

// percentDecoded is s with each %XX escape as its byte and each '+' as a
// space (as a query writes one); a '%' that starts no escape stays.
func percentDecoded(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0:
			b = append(b, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// unhex is the value of the hex digit c, or -1.
func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// maxDuration is the longest time.Duration.
const maxDuration = time.Duration(1<<63 - 1)

// RetryAfter reads a Retry-After header: delay-seconds or an HTTP date,
// relative to now. Zero when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 || errors.Is(err, strconv.ErrRange) && v[0] != '-' {
		if err != nil || n > int64(maxDuration/time.Second) {
			return maxDuration // a wait longer than any context: the caller's deadline ends it
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
