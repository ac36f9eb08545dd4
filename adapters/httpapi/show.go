package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
)

// A Request or a Response prints as a summary, through String, GoString,
// every fmt verb, slog and JSON: its body (a card number a provider's
// document asks for, a token exchange's secret), its query values and its
// header values are left out, and only their size or names are shown; a
// path is shown with anything like a card number taken out, as the log
// line shows it.

// String returns r's summary, such as
// `httpapi.Request{Op: "issue", Method: "POST", Path: "/cards", Body: 234 bytes}`.
func (r Request) String() string {
	var b strings.Builder
	b.WriteString("httpapi.Request{Op: " + strconv.Quote(r.Op) + ", Method: " + strconv.Quote(r.Method) + ", Path: " + strconv.Quote(Scrub(r.Path)))
	if len(r.Query) > 0 {
		b.WriteString(", Query: " + names(r.Query))
	}
	if r.Body != nil {
		b.WriteString(", Body: " + strconv.Itoa(len(r.Body)) + " bytes")
	}
	if r.Key != "" {
		b.WriteString(", Key: set")
	}
	if len(r.Header) > 0 {
		b.WriteString(", Header: " + names(r.Header))
	}
	if r.NoRetry {
		b.WriteString(", NoRetry")
	}
	if r.Exchange {
		b.WriteString(", Exchange")
	}
	return b.String() + "}"
}

// GoString returns r's summary.
func (r Request) GoString() string { return r.String() }

// Format writes r's summary for every verb.
func (r Request) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue logs r's summary.
func (r Request) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON encodes r's summary as a JSON string.
func (r Request) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// String returns r's summary, such as
// `httpapi.Response{Status: 201, Body: 562 bytes}`.
func (r Response) String() string {
	s := "httpapi.Response{Status: " + strconv.Itoa(r.Status)
	if len(r.Header) > 0 {
		s += ", Header: " + names(r.Header)
	}
	return s + ", Body: " + strconv.Itoa(len(r.Body)) + " bytes}"
}

// GoString returns r's summary.
func (r Response) GoString() string { return r.String() }

// Format writes r's summary for every verb.
func (r Response) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue logs r's summary.
func (r Response) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON encodes r's summary as a JSON string.
func (r Response) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// names lists m's keys, sorted, without their values.
func names[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return "[" + strings.Join(keys, " ") + "]"
}
