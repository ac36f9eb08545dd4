package adaptertest

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/wire"
)

var valueType = reflect.TypeFor[jsontext.Value]()

// CheckObjects checks a wire struct's hand-written EachUnknown against the
// struct's shape: with every nested object present (new(T) filled by
// reflection), EachUnknown visits exactly the paths of the fields tagged
// `json:",embed"` that reflection finds.
func CheckObjects(t *testing.T, newWire func() wire.Objects) {
	t.Helper()
	w := newWire()
	var want []string
	fill(reflect.ValueOf(w), "", &want)
	var got []string
	w.EachUnknown(func(path string, _ *jsontext.Value) { got = append(got, path) })
	sort.Strings(want)
	sort.Strings(got)
	assert.Equal(t, want, got, "EachUnknown of %T does not visit every object", w)
}

// fill allocates every nil pointer to a struct below v and records the path
// of every unknown-member field.
func fill(v reflect.Value, path string, out *[]string) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || v.Type().PkgPath() == "time" {
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.Type == valueType {
			if opts == "embed" {
				*out = append(*out, path)
			}
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && f.Type().Elem().Kind() != reflect.Struct {
			continue
		}
		if sf.Anonymous && name == "" {
			fill(f, path, out)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fill(f, wire.Join(path, name), out)
	}
}
