// Package showtest renders a value every way a program may show it, for
// tests that a value hides what it must (a card number, a secret).
package showtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
)

// Verbs are the fmt verbs Renderings uses.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"}

// Renderings returns v as each of Verbs formats it, as Println writes it,
// as slog's JSON and text handlers log it, and as json.Marshal encodes it.
func Renderings(t testing.TB, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%T): %v", v, err)
	}
	return append(Printed(v), string(b))
}

// Printed is Renderings without json.Marshal: for a provider's wire
// struct, whose JSON is the provider's.
func Printed(v any) []string {
	var out []string
	for _, verb := range Verbs {
		out = append(out, fmt.Sprintf(verb, v))
	}
	out = append(out, fmt.Sprintln(v))
	for _, h := range []func(io.Writer) slog.Handler{
		func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("shown", "v", v)
		out = append(out, buf.String())
	}
	return out
}
