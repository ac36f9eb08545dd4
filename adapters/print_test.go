package adapters_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/internal/showtest"
)

// wireStructs are every adapter's wire structs, by package directory.
var wireStructs = map[string][]any{
	"synctera": {synctera.CardRequest{}, synctera.Card{}, synctera.EmbossName{}, synctera.PendingReasons{},
		synctera.Shipping{}, synctera.Address{}, synctera.RecipientName{}, synctera.FulfillmentDetails{}},
	"solid": {solid.CardRequest{}, solid.Card{}, solid.Cardholder{}, solid.Shipping{}, solid.Address{}, solid.ReplaceRequest{}},
	"rocketkor": {rocketkor.IssueRequest{}, rocketkor.CardDetails{}, rocketkor.IssuedCardAccount{}, rocketkor.IssuedCard{},
		rocketkor.Embedded{}, rocketkor.ProviderDetails{}, rocketkor.ExternalBankAccount{}, rocketkor.ExternalCardAccount{},
		rocketkor.ExternalCard{}, rocketkor.Address{}, rocketkor.Actor{}},
	"offblocks": {offblocks.CardRequest{}, offblocks.Card{}, offblocks.Address{}},
}

// TestWireStructsListed: wireStructs names every struct type of each
// adapter's wire.go, so that a new one is checked below.
func TestWireStructsListed(t *testing.T) {
	for dir, listed := range wireStructs {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "wire.go"), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		var declared, names []string
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						if _, ok := ts.Type.(*ast.StructType); ok {
							declared = append(declared, ts.Name.Name)
						}
					}
				}
			}
		}
		for _, v := range listed {
			names = append(names, reflect.TypeOf(v).Name())
		}
		slices.Sort(declared)
		slices.Sort(names)
		assert.Equal(t, declared, names, dir)
	}
}

// TestWireStructsPrintNoUnknownValue: a provider may send a member its
// documents do not show, holding a card number; a wire struct keeps it as
// sent, for its JSON, but prints and logs it by name only, through every
// fmt verb and slog, and so does every wire struct nested in it.
func TestWireStructsPrintNoUnknownValue(t *testing.T) {
	const number = "4539578763621486"
	for _, listed := range wireStructs {
		for _, v := range listed {
			p := reflect.New(reflect.TypeOf(v))
			fill(p.Elem(), `{"pan":"`+number+`","4111111111111111":1}`, 0)
			w := p.Elem().Interface()
			name := fmt.Sprintf("%T", v)
			for _, out := range append(showtest.Printed(w), showtest.Printed(p.Interface())...) {
				assert.NotContains(t, out, number, name)
				assert.NotContains(t, out, "4111111111111111", name)
			}
			plus := fmt.Sprintf("%+v", w)
			assert.Contains(t, plus, "unknown members [", name)
			assert.Contains(t, plus, "pan", name)
			assert.Contains(t, plus, "known", name) // the text every string field was given
			assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", w), reflect.TypeOf(v).String()+"{"), name)
		}
	}
}

// fill gives every string field of v "known", every field for unknown
// members raw, and every nested wire struct a value filled alike.
func fill(v reflect.Value, raw string, depth int) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case !f.CanSet():
		case f.Type() == reflect.TypeFor[jsontext.Value]():
			f.Set(reflect.ValueOf(jsontext.Value(raw)))
		case f.Kind() == reflect.String:
			f.SetString("known")
		case f.Kind() == reflect.Struct && f.Type().PkgPath() != "time":
			fill(f, raw, depth+1)
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Struct && depth < 3:
			f.Set(reflect.New(f.Type().Elem()))
			fill(f.Elem(), raw, depth+1)
		}
	}
}
