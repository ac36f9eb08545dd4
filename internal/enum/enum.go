// Package enum holds the one table-driven implementation behind cardkit's
// typed enums, so that String, Parse, Values and the text encoding of every
// enum are derived from a single literal table and cannot drift apart.
package enum

import (
	"strconv"
	"sync"
)

// Entry is one value of an enum: its canonical name and what it means.
type Entry struct {
	Name string
	Doc  string
}

// Enum describes an enum whose values are small unsigned integers used as
// indexes into Entries. Entries[0] is the zero value, which means "unset" and
// has no name.
type Enum[T ~uint8] struct {
	Type    string // Go name of the type, for String of values outside the table
	Entries []Entry

	once  sync.Once
	index map[string]T // names of a long table, built on its first Lookup
}

// scanMax is the longest table Lookup scans; a longer one (countries,
// currencies) is looked up in an index instead.
const scanMax = 16

// Valid reports whether v is a named value (not zero, not out of range).
func (e *Enum[T]) Valid(v T) bool {
	return v != 0 && int(v) < len(e.Entries)
}

// Name is the canonical name of v: "" for the zero value and Type(n) for a
// value outside the table.
func (e *Enum[T]) Name(v T) string {
	if v == 0 {
		return ""
	}
	if int(v) < len(e.Entries) {
		return e.Entries[v].Name
	}
	return e.Type + "(" + strconv.Itoa(int(v)) + ")"
}

// Doc is the documented meaning of v, or "" when v is not a named value.
func (e *Enum[T]) Doc(v T) string {
	if !e.Valid(v) {
		return ""
	}
	return e.Entries[v].Doc
}

// Lookup finds the value whose canonical name is exactly s.
func (e *Enum[T]) Lookup(s string) (T, bool) {
	if len(e.Entries) > scanMax {
		e.once.Do(func() {
			e.index = make(map[string]T, len(e.Entries))
			for i := len(e.Entries) - 1; i >= 1; i-- { // the first of equal names wins, as in a scan
				e.index[e.Entries[i].Name] = T(i)
			}
		})
		v, ok := e.index[s]
		return v, ok
	}
	for i := 1; i < len(e.Entries); i++ {
		if e.Entries[i].Name == s {
			return T(i), true
		}
	}
	return 0, false
}

// Values lists every named value in table order.
func (e *Enum[T]) Values() []T {
	out := make([]T, 0, len(e.Entries)-1)
	for i := 1; i < len(e.Entries); i++ {
		out = append(out, T(i))
	}
	return out
}

// Refuse builds the error for value, found at field, which is not a name of
// the enum typ. The domain packages supply it, so that every enum error is a
// domain error.
type Refuse func(field, value, typ string) error

// Parse looks s up, or refuses it.
func (e *Enum[T]) Parse(field, s string, refuse Refuse) (T, error) {
	if v, ok := e.Lookup(s); ok {
		return v, nil
	}
	return 0, refuse(field, s, e.Type)
}

// MarshalText is the text encoding of every enum: the canonical name, ""
// for the zero value, a refusal for a value outside the table.
func (e *Enum[T]) MarshalText(field string, v T, refuse Refuse) ([]byte, error) {
	if v != 0 && !e.Valid(v) {
		return nil, refuse(field, e.Name(v), e.Type)
	}
	return []byte(e.Name(v)), nil
}

// UnmarshalText decodes a canonical name into v; "" decodes to zero. On
// error v is unchanged.
func (e *Enum[T]) UnmarshalText(field string, v *T, b []byte, refuse Refuse) error {
	if len(b) == 0 {
		*v = 0
		return nil
	}
	x, err := e.Parse(field, string(b), refuse)
	if err != nil {
		return err
	}
	*v = x
	return nil
}
