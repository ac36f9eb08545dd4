package wire

import (
	"encoding/json"
	"reflect"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/shown"
)

// Redact returns a copy of v, a struct of a provider's values (a residue,
// or its printed view), in which every text a provider chose (every
// string, and raw JSON, in v and in what it holds through pointers,
// interfaces, lists, arrays, maps and structs) has each number that could
// be a card's replaced by "[redacted]", as card.RedactNumbers does. v
// itself is left as it was. It is for printing: a provider may fill any
// member with anything, a card number too.
func Redact[T any](v T) T {
	out, _ := redacted(reflect.ValueOf(&v).Elem(), 0).Interface().(T)
	return out
}

// maxRedactDepth bounds how deep Redact follows nested structs, so that a
// value that refers to itself ends.
const maxRedactDepth = 8

var (
	unknownType    = reflect.TypeFor[Unknown]()
	numberType     = reflect.TypeFor[Number]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
)

// redacted returns v, or a redacted copy of it: never v's own memory
// changed. It follows pointers, interfaces, slices, arrays, maps (keys
// too) and structs' exported fields; other bytes than raw JSON, and
// unexported fields, are left as they are (the printers redact their
// whole output besides).
func redacted(v reflect.Value, depth int) reflect.Value {
	t := v.Type()
	switch {
	case depth > maxRedactDepth || t == unknownType || t == numberType:
		return v // Unknown prints names, Number masked, by themselves
	case t == valueType || t == rawMessageType:
		return reflect.ValueOf(redactJSON(v.Bytes())).Convert(t)
	}
	switch t.Kind() {
	case reflect.String:
		return reflect.ValueOf(card.RedactNumbers(v.String())).Convert(t)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return v
		}
		if t.Kind() == reflect.Pointer {
			p := reflect.New(t.Elem())
			p.Elem().Set(redacted(v.Elem(), depth+1))
			return p
		}
		i := reflect.New(t).Elem()
		i.Set(redacted(v.Elem(), depth+1))
		return i
	case reflect.Slice:
		if v.IsNil() || t.Elem().Kind() == reflect.Uint8 {
			return v
		}
		s := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(redacted(v.Index(i), depth+1))
		}
		return s
	case reflect.Array:
		a := reflect.New(t).Elem()
		for i := range v.Len() {
			a.Index(i).Set(redacted(v.Index(i), depth+1))
		}
		return a
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		m := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(redacted(it.Key(), depth+1), redacted(it.Value(), depth+1))
		}
		return m
	case reflect.Struct:
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

// redactJSON is raw redacted token by token (shown.RedactJSON): still
// JSON, and with no escape left to hide a digit.
func redactJSON(raw []byte) jsontext.Value {
	if len(raw) == 0 {
		return jsontext.Value(raw)
	}
	return jsontext.Value(shown.RedactJSON(raw))
}
