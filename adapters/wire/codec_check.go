package wire

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Check reports where c's table disagrees with the json tags of T, as the
// engine reads them: a member missing, added or out of order, another
// name or omit option, another type, an accessor that reaches another
// field, a tag option the codec does not handle. NewCodec runs it, and a
// codec whose table disagrees leaves every document to the engine; each
// adapter's tests call it so that the disagreement is found.
func (c *Codec[T]) Check() error {
	return c.check(reflect.TypeFor[T]().String(), 0)
}

// maxCheckDepth bounds the nesting Check follows, so that a table that
// refers to itself ends.
const maxCheckDepth = 16

// tagged is a field of a wire struct as the engine sees it.
type tagged struct {
	name  string
	omit  Omit
	index []int
	typ   reflect.Type
}

var isZeroerType = reflect.TypeFor[interface{ IsZero() bool }]()

func (c *Codec[T]) check(path string, depth int) error {
	if depth > maxCheckDepth {
		return fmt.Errorf("wire: %s: nested too deep", path)
	}
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("wire: %s is not a struct", path)
	}
	if m := jsonMethod(t); m != "" {
		return fmt.Errorf("wire: %s has a %s method, which the engine calls", path, m)
	}
	var want []tagged
	var fallback []int
	if err := taggedFields(t, nil, &want, &fallback, path); err != nil {
		return err
	}
	w := new(T)
	v := reflect.ValueOf(w).Elem()
	switch {
	case fallback == nil && c.unknown != nil:
		return fmt.Errorf("wire: %s has no field tagged `json:\",embed\"`", path)
	case fallback != nil && c.unknown == nil:
		return fmt.Errorf("wire: %s: the table does not name the field tagged `json:\",embed\"`", path)
	case fallback != nil && !same(c.unknown(w), v.FieldByIndex(fallback)):
		return fmt.Errorf("wire: %s: the table's fallback is another field", path)
	}
	for i, f := range want {
		if i >= len(c.members) {
			return fmt.Errorf("wire: %s: the table lacks %q", path, f.name)
		}
		m := c.members[i]
		at := path + "." + f.name
		if m.name != f.name {
			return fmt.Errorf("wire: %s: the table has %q where the struct has %q", path, m.name, f.name)
		}
		if m.omit != f.omit {
			return fmt.Errorf("wire: %s: the table's omit option is not the tag's", at)
		}
		field := v.FieldByIndex(f.index)
		var got any
		var k kind
		switch f.typ {
		case reflect.TypeFor[string]():
			k, got = kindString, m.str
		case reflect.TypeFor[Number]():
			k, got = kindNumber, m.num
		case reflect.TypeFor[*string]():
			k, got = kindStringPtr, m.strPtr
		case reflect.TypeFor[*bool]():
			k, got = kindBoolPtr, m.boolPtr
		case reflect.TypeFor[map[string]string]():
			k, got = kindStringMap, m.strMap
		case reflect.TypeFor[[]string]():
			k, got = kindStrings, m.strs
		case reflect.TypeFor[jsontext.Value]():
			k, got = kindRaw, m.raw
		default:
			if m.kind != kindObject {
				return fmt.Errorf("wire: %s: a field of type %v is not one the codec reads", at, f.typ)
			}
			if err := m.obj.check(f.typ, at, depth+1); err != nil {
				return err
			}
			if !same(m.obj.field(w), field) {
				return fmt.Errorf("wire: %s: the table reaches another field", at)
			}
			continue
		}
		if m.kind != k {
			return fmt.Errorf("wire: %s: the table reads it as another type than %v", at, f.typ)
		}
		var p any
		switch k {
		case kindString:
			p = m.str(w)
		case kindNumber:
			p = m.num(w)
		case kindStringPtr:
			p = m.strPtr(w)
		case kindBoolPtr:
			p = m.boolPtr(w)
		case kindStringMap:
			p = m.strMap(w)
		case kindStrings:
			p = m.strs(w)
		case kindRaw:
			p = m.raw(w)
		}
		if got == nil || !same(p, field) {
			return fmt.Errorf("wire: %s: the table reaches another field", at)
		}
	}
	if len(c.members) > len(want) {
		return fmt.Errorf("wire: %s: the table has %q, which the struct does not", path, c.members[len(want)].name)
	}
	return nil
}

// same reports whether p, a pointer, is the address of field.
func same(p any, field reflect.Value) bool {
	pv := reflect.ValueOf(p)
	return pv.Kind() == reflect.Pointer && !pv.IsNil() && pv.Type().Elem() == field.Type() &&
		pv.Pointer() == field.Addr().Pointer()
}

// taggedFields lists the fields of t in the engine's order (depth first,
// embedded structs flattened) and finds the fallback for unknown members.
// A tag option the codec does not handle, or a type with its own IsZero,
// is an error.
func taggedFields(t reflect.Type, index []int, out *[]tagged, fallback *[]int, path string) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		// As the engine: an unexported field is ignored unless it embeds
		// a struct, whose exported fields are the parent's.
		if !sf.IsExported() && !sf.Anonymous || name == "-" && opts == "" {
			continue
		}
		f := tagged{name: name, index: idx, typ: sf.Type}
		embed := false
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "":
			case "omitempty":
				f.omit = OmitEmpty
			case "omitzero":
				f.omit = OmitZero
			case "embed":
				if sf.Type != reflect.TypeFor[jsontext.Value]() || name != "" || *fallback != nil {
					return fmt.Errorf("wire: %s.%s: an embedded field the codec does not handle", path, sf.Name)
				}
				*fallback, embed = idx, true
			default:
				return fmt.Errorf("wire: %s.%s: tag option %q is not one the codec handles", path, sf.Name, o)
			}
		}
		if strings.Contains(opts, "omitempty") && strings.Contains(opts, "omitzero") {
			return fmt.Errorf("wire: %s.%s: both omitempty and omitzero", path, sf.Name)
		}
		// Number's IsZero is the codec's own rule for it: no text.
		if sf.Type != reflect.TypeFor[Number]() && (sf.Type.Implements(isZeroerType) || reflect.PointerTo(sf.Type).Implements(isZeroerType) ||
			sf.Type.Kind() == reflect.Pointer && sf.Type.Elem().Implements(isZeroerType)) {
			return fmt.Errorf("wire: %s.%s: a type with its own IsZero", path, sf.Name)
		}
		switch {
		case embed:
		case sf.Anonymous && name == "":
			if sf.Type.Kind() != reflect.Struct || opts != "" || jsonMethod(sf.Type) != "" {
				return fmt.Errorf("wire: %s.%s: an embedded field the codec does not handle", path, sf.Name)
			}
			if err := taggedFields(sf.Type, idx, out, fallback, path); err != nil {
				return err
			}
		default:
			if f.name == "" {
				f.name = sf.Name
			}
			*out = append(*out, f)
		}
	}
	return nil
}

// jsonMethod names a method of t or *t that the engine would call instead
// of reading the struct's fields, or returns "".
func jsonMethod(t reflect.Type) string {
	for _, name := range []string{"MarshalJSON", "MarshalJSONTo", "MarshalText", "AppendText", "UnmarshalJSON", "UnmarshalJSONFrom", "UnmarshalText"} {
		if _, ok := t.MethodByName(name); ok {
			return name
		}
		if _, ok := reflect.PointerTo(t).MethodByName(name); ok {
			return name
		}
	}
	return ""
}
