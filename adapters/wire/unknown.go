package wire

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Unknown holds the members of a decoded document that no field of the wire
// structs names, by the path of the object they were found in ("" for the
// top level). An adapter keeps them beside the domain value, so that they
// are reported, and written back on a round trip through the same provider.
type Unknown map[string]jsontext.Value

var valueType = reflect.TypeFor[jsontext.Value]()

// TakeUnknown moves the unknown members out of the wire struct v points to
// (every field tagged `json:",embed"` of type jsontext.Value, at any depth)
// into an Unknown, and clears them in v. It returns nil when there are
// none, which is the common case and allocates nothing.
func TakeUnknown(v any) Unknown {
	var u Unknown
	walk(reflect.ValueOf(v), "", func(path string, f reflect.Value) {
		if f.Len() == 0 {
			return
		}
		if u == nil {
			u = Unknown{}
		}
		u[path] = f.Bytes()
		f.SetBytes(nil)
	})
	return u
}

// PutUnknown writes u back into the wire struct v points to: each object's
// members into that object's fallback field, where the object exists.
// It returns the paths of the objects it found no place for.
func (u Unknown) PutUnknown(v any) (lost []string) {
	if len(u) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(u))
	walk(reflect.ValueOf(v), "", func(path string, f reflect.Value) {
		if m, ok := u[path]; ok {
			f.SetBytes(m)
			seen[path] = true
		}
	})
	for path := range u {
		if !seen[path] {
			lost = append(lost, path)
		}
	}
	sortStrings(lost)
	return lost
}

// Paths lists the path of every unknown member, such as
// "shipping.address.unit", sorted.
func (u Unknown) Paths() []string {
	var out []string
	for obj, raw := range u {
		dec := jsontext.NewDecoder(strings.NewReader(string(raw)))
		if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
			continue
		}
		for dec.PeekKind() == '"' {
			tok, err := dec.ReadToken()
			if err != nil {
				break
			}
			name := tok.String() // before the decoder moves on, which voids tok
			if dec.SkipValue() != nil {
				break
			}
			out = append(out, Join(obj, name))
		}
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// walk calls fn for every embedded fallback field of type jsontext.Value in
// the struct v holds (through pointers, nested structs and slices of
// them), with the JSON path of the object it belongs to.
func walk(v reflect.Value, path string, fn func(path string, f reflect.Value)) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Type() == valueType {
			return
		}
		for i := range v.Len() {
			walk(v.Index(i), path+"["+strconv.Itoa(i)+"]", fn)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" && opts == "" {
				continue
			}
			f := v.Field(i)
			if sf.Type == valueType {
				if opts == "embed" {
					fn(path, f)
				}
				continue
			}
			if sf.Anonymous && name == "" || strings.Contains(opts, "inline") || strings.Contains(opts, "embed") {
				walk(f, path, fn)
				continue
			}
			if name == "" {
				name = sf.Name
			}
			walk(f, Join(path, name), fn)
		}
	}
}

// MemberNames lists the JSON member names of the wire struct type of v
// (a struct or a pointer to one), those of embedded structs included, so
// that a document's unknown members can be told apart from members of
// another kind of document of the same provider.
func MemberNames(v any) []string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Type == valueType {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case sf.Anonymous && name == "":
			out = append(out, MemberNames(reflect.New(sf.Type).Interface())...)
		case name == "":
			out = append(out, sf.Name)
		default:
			out = append(out, name)
		}
	}
	return out
}
