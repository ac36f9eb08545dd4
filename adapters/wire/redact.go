package wire

import (
	"bytes"
	"reflect"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/card"
)

// Redact returns a copy of v, a struct of a provider's values (a residue,
// or its printed view), in which every text a provider chose (a string,
// a *string, a list or map of strings, raw JSON; in v and in the structs
// it holds, through pointers too) has each number that could be a card's
// replaced by "[redacted]", as card.RedactNumbers does. v itself is left
// as it was. It is for printing: a provider may fill any member with
// anything, a card number too.
func Redact[T any](v T) T {
	out, _ := redacted(reflect.ValueOf(&v).Elem(), 0).Interface().(T)
	return out
}

// maxRedactDepth bounds how deep Redact follows nested structs, so that a
// value that refers to itself ends.
const maxRedactDepth = 8

var (
	stringMapType = reflect.TypeFor[map[string]string]()
	unknownType   = reflect.TypeFor[Unknown]()
	numberType    = reflect.TypeFor[Number]()
)

// redacted returns v, or a redacted copy of it: never v's own memory
// changed.
func redacted(v reflect.Value, depth int) reflect.Value {
	t := v.Type()
	switch {
	case depth > maxRedactDepth || t == unknownType || t == numberType:
		return v // Unknown prints names, Number masked, by themselves
	case t == valueType:
		return reflect.ValueOf(redactJSON(v.Bytes())).Convert(t)
	case t.Kind() == reflect.String:
		return reflect.ValueOf(card.RedactNumbers(v.String())).Convert(t)
	case t.Kind() == reflect.Pointer && !v.IsNil() && (t.Elem().Kind() == reflect.String || t.Elem().Kind() == reflect.Struct):
		p := reflect.New(t.Elem())
		p.Elem().Set(redacted(v.Elem(), depth+1))
		return p
	case t.Kind() == reflect.Slice && !v.IsNil() && (t.Elem().Kind() == reflect.String || t.Elem().Kind() == reflect.Struct):
		s := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(redacted(v.Index(i), depth+1))
		}
		return s
	case t.ConvertibleTo(stringMapType) && t.Kind() == reflect.Map && !v.IsNil():
		m := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(redacted(it.Key(), depth+1), redacted(it.Value(), depth+1))
		}
		return m
	case t.Kind() == reflect.Struct:
		s := reflect.New(t).Elem()
		s.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				s.Field(i).Set(redacted(v.Field(i), depth+1))
			}
		}
		return s
	}
	return v
}

// redactJSON is raw with every card number in its text redacted, read in
// canonical form so that no escape (a digit as \u0039) hides one; raw
// JSON that does not read is "[redacted]" whole.
func redactJSON(raw []byte) jsontext.Value {
	if len(raw) == 0 {
		return jsontext.Value(raw)
	}
	v := jsontext.Value(bytes.Clone(raw))
	if err := v.Canonicalize(); err != nil {
		return jsontext.Value(`"[redacted]"`)
	}
	return jsontext.Value(card.RedactNumbers(string(v)))
}
