// Package wire holds what cardkit's provider adapters share: the strict JSON
// codec they decode and encode with, mapping tables between a provider's
// spellings and the domain's values that can be listed, the capture and
// listing of JSON members an adapter does not know, and the note an adapter
// makes about a field the neutral model cannot hold.
//
// # JSON
//
// The codec is the Go team's JSON v2 engine (github.com/go-json-experiment/json,
// which becomes encoding/json in Go 1.27), chosen over encoding/json by
// measurement (see BenchmarkJSONEngine in package adapters) and because it
// does by default what a provider's wire format needs: object member names
// are matched case-sensitively, a duplicate member name is an error, and
// members no field names are kept in a field tagged `json:",embed"` of type
// jsontext.Value, so that they are reported and, on a round trip through the
// same provider, written back.
//
// Every error Unmarshal returns is a *card.Error of kind card.ErrInvalid
// whose field path is in the provider's JSON names ("shipping.address.city",
// "cards[2].id"); it never echoes a JSON value, which could be a card number.
//
// # The fast path
//
// The engine finds a struct's fields by reflection on every call. A Codec
// reads and writes a wire struct by a literal table of its members instead
// (checked against the struct's tags), which takes a provider's seed
// document through cardkit in about half the time of encoding/json's
// Unmarshal and Marshal of the same struct. It handles what providers send
// and hands anything else, and every error, to the engine: the values, the
// errors and the bytes are the engine's, which each adapter's tests check
// by fuzzing the two against each other.
package wire

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/cardkit/cardkit/card"
)

// Unmarshal decodes data into v, a pointer to a wire struct: names match
// case-sensitively, a duplicate name is an error, and unknown members go to
// the struct's embedded fallback field. op names the operation in errors.
func Unmarshal(op string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return jsonError(op, err)
	}
	return nil
}

// UnmarshalLenient decodes data into v, a non-nil pointer to a wire
// struct, as far as it reads: a document Unmarshal refuses is read again
// from the start, member by member (in the order of their names), each
// top-level member that decodes on its own kept whole, invalid UTF-8 in a
// string read as U+FFFD, numbers as written; a member with a duplicate
// name inside is left out. The fallback field of unknown members holds
// valid JSON only. It is for a body of which a part is worth more than
// nothing, such as a provider's error body, whose one odd member (a
// timestamp written as a number) would otherwise lose its code and
// message. It reports whether data is an object at all.
func UnmarshalLenient(data []byte, v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || jsontext.Value(data).Kind() != '{' {
		return false
	}
	if json.Unmarshal(data, v) == nil {
		return true
	}
	rv.Elem().SetZero() // what the refused pass wrote is dropped
	loose := json.JoinOptions(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))
	var members map[string]jsontext.Value
	if json.Unmarshal(data, &members, loose) != nil || members == nil {
		return false
	}
	var one []byte
	for _, name := range slices.Sorted(maps.Keys(members)) {
		raw := members[name]
		if !raw.IsValid() {
			// Made valid first, so that no fragment of it reaches the
			// fallback field.
			var ok bool
			if raw, ok = rewritten(raw); !ok {
				continue
			}
		}
		one, _ = jsontext.AppendQuote(append(one[:0], '{'), name)
		one = append(append(append(one, ':'), raw...), '}')
		// Tried on a zero value first: a member that fails part way would
		// leave in v what it wrote before; it is left out whole.
		if json.Unmarshal(one, reflect.New(rv.Type().Elem()).Interface()) == nil {
			_ = json.Unmarshal(one, v)
		}
	}
	return true
}

// rewritten is raw written again token by token, its invalid UTF-8 as
// U+FFFD and its numbers as they were; false where it does not read, or
// holds a duplicate name.
func rewritten(raw jsontext.Value) (jsontext.Value, bool) {
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))
	var out bytes.Buffer
	enc := jsontext.NewEncoder(&out, jsontext.AllowInvalidUTF8(true))
	for {
		tok, err := dec.ReadToken()
		if err == io.EOF {
			break
		}
		if err != nil || enc.WriteToken(tok) != nil {
			return nil, false
		}
	}
	v := jsontext.Value(bytes.TrimSpace(out.Bytes()))
	return v, v.IsValid()
}

// Marshal encodes v compactly, map keys sorted so that output is stable. A
// Number is written as the number itself: the wire format demands it.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v, json.Deterministic(true), revealNumbers)
}

// MarshalIndent encodes v indented by two spaces, map keys sorted, a
// Number as the number itself.
func MarshalIndent(v any) ([]byte, error) {
	return json.Marshal(v, json.Deterministic(true), jsontext.WithIndent("  "), revealNumbers)
}

// revealNumbers writes a Number as the number itself, for the wire only:
// any other encoder (encoding/json, a slog JSON handler) writes it masked.
var revealNumbers = json.WithMarshalers(json.MarshalToFunc(func(enc *jsontext.Encoder, n Number) error {
	return enc.WriteToken(jsontext.String(n.Reveal()))
}))

// jsonError turns an error of the JSON engine into a *card.Error naming the
// member where it happened. It never includes the JSON value itself.
func jsonError(op string, err error) error {
	var p card.Problems
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		field := fieldPath(syn.JSONPointer)
		switch {
		case errors.Is(syn.Err, jsontext.ErrDuplicateName):
			name := syn.JSONPointer.LastToken()
			p.AddValue(field, card.CodeDuplicate, name, "a member name appears twice in one object")
		default:
			p.Add(field, card.CodeFormat, "not valid JSON at byte "+strconv.FormatInt(syn.ByteOffset, 10)+": "+syntaxReason(syn.Err))
		}
	case errors.As(err, &sem):
		field := fieldPath(sem.JSONPointer)
		var inner *card.Error
		if errors.As(sem.Err, &inner) {
			p.Merge(field, inner)
			break
		}
		msg := "a JSON " + kindName(sem.JSONKind) + " where " + goKind(sem) + " is expected"
		if sem.JSONKind == 0 {
			msg = "cannot be decoded as " + goKind(sem)
		}
		p.Add(field, card.CodeFormat, msg)
	default:
		p.Add("", card.CodeFormat, "not valid JSON")
	}
	return p.Err(op)
}

// fieldPath is Path for an error: the pointer is made of the document's
// member names, and a name (an unknown member's, a metadata key) can be a
// card number, which an error never shows.
func fieldPath(ptr jsontext.Pointer) string {
	return card.RedactNumbers(Path(ptr))
}

// syntaxReason is the engine's description of a syntax error with anything
// quoted from the input cut off, so that no input text is echoed.
func syntaxReason(err error) string {
	if err == nil {
		return "syntax error"
	}
	s := err.Error()
	if i := strings.IndexAny(s, "'\"`"); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

func goKind(sem *json.SemanticError) string {
	if sem.GoType == nil {
		return "the expected type"
	}
	switch sem.GoType.Kind().String() {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "ptr":
		return "a " + sem.GoType.Elem().Kind().String()
	}
	return "a " + sem.GoType.Kind().String()
}

// Path renders a JSON pointer ("/shipping/address/0/city") as a field path
// in the style of card.FieldError ("shipping.address[0].city"). A token made
// only of digits is taken as an array index.
func Path(ptr jsontext.Pointer) string {
	var b strings.Builder
	for tok := range ptr.Tokens() {
		if tok != "" && allDigits(tok) {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Join joins field path parts, skipping empty ones.
func Join(parts ...string) string {
	out := ""
	for _, p := range parts {
		switch {
		case p == "":
		case out == "":
			out = p
		case p[0] == '[':
			out += p
		default:
			out += "." + p
		}
	}
	return out
}

// MarshalNeutral encodes a domain value (card.Card, account.Account) in
// cardkit's neutral JSON, indented by two spaces. The domain's tags follow
// encoding/json's meaning of omitempty (a false, a 0 and an empty string are
// left out), which the engine is told to keep.
func MarshalNeutral(v any) ([]byte, error) {
	return json.Marshal(v, json.Deterministic(true), jsonv1.OmitEmptyWithLegacySemantics(true), jsontext.WithIndent("  "))
}

// UnmarshalNeutral decodes cardkit's neutral JSON strictly: names match
// case-sensitively, and a duplicate or unknown member is an error, since
// cardkit documents every member of its own format.
func UnmarshalNeutral(op string, data []byte, v any) error {
	if err := json.Unmarshal(data, v, json.RejectUnknownMembers(true)); err != nil {
		return jsonError(op, err)
	}
	return nil
}

// MarshalNulls is Marshal for a provider that writes an unset list or
// object as null: a nil slice or map is written null, an empty one [] or
// {}.
func MarshalNulls(v any) ([]byte, error) {
	return json.Marshal(v, json.Deterministic(true), json.FormatNilSliceAsNull(true), json.FormatNilMapAsNull(true), revealNumbers)
}

// Decode unmarshals data into a new wire struct W and maps it with from:
// the shape of every adapter's DecodeX.
func Decode[W, D, R any](op string, data []byte, from func(*W) (D, R, error)) (D, R, error) {
	var w W
	if err := Unmarshal(op, data, &w); err != nil {
		var d D
		var r R
		return d, r, err
	}
	return from(&w)
}

// Encode maps v with to and marshals the wire struct: the shape of every
// adapter's EncodeX.
func Encode[W, D, R any](v *D, r R, to func(*D, R) (*W, error), marshal func(any) ([]byte, error)) ([]byte, error) {
	w, err := to(v, r)
	if err != nil {
		return nil, err
	}
	return marshal(w)
}

// Nil is the error of a function of op given a nil what (such as "card")
// to translate: a *card.Error of kind card.ErrInvalid naming what.
func Nil(op, what string) error {
	var p card.Problems
	p.Add(what, card.CodeRequired, "nil")
	return p.Err(op)
}
