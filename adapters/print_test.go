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

// wireStructs are every adapter's wire structs (a struct type with a field
// for unknown members), by package directory.
var wireStructs = map[string][]any{
	"synctera": {synctera.CardRequest{}, synctera.Card{}, synctera.EmbossName{}, synctera.PendingReasons{},
		synctera.Shipping{}, synctera.Address{}, synctera.RecipientName{}, synctera.FulfillmentDetails{},
		synctera.CardEditRequest{}, synctera.ActivationRequest{}, synctera.Problem{}},
	"solid": {solid.CardRequest{}, solid.Card{}, solid.Cardholder{}, solid.Shipping{}, solid.Address{}, solid.ReplaceRequest{},
		solid.ActivateRequest{}, solid.StatusResponse{}, solid.ErrorBody{}},
	"rocketkor": {rocketkor.IssueRequest{}, rocketkor.CardDetails{}, rocketkor.IssuedCardAccount{}, rocketkor.IssuedCard{},
		rocketkor.Embedded{}, rocketkor.ProviderDetails{}, rocketkor.ExternalBankAccount{}, rocketkor.ExternalCardAccount{},
		rocketkor.ExternalCard{}, rocketkor.Address{}, rocketkor.Actor{},
		rocketkor.SuspendRequest{}, rocketkor.ReissueRequest{}, rocketkor.ErrorBody{}, rocketkor.FieldError{}},
	"offblocks": {offblocks.CardRequest{}, offblocks.Card{}, offblocks.Address{}, offblocks.ErrorBody{}},
}

// secretBodies are wire structs that carry a secret, which print
// "[redacted]" whole.
var secretBodies = map[string][]any{
	"rocketkor": {rocketkor.TokenResponse{}, rocketkor.ActivateRequest{}},
	"offblocks": {offblocks.TokenRequest{}, offblocks.TokenResponse{}},
}

// TestWireStructsListed: wireStructs and secretBodies name every exported
// struct type with a field for unknown members (`json:",embed"`), or an
// embedded struct, in each adapter's files, so that a new one is checked
// below.
func TestWireStructsListed(t *testing.T) {
	for dir, listed := range wireStructs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		var declared, names []string
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() {
					return true
				}
				if st, ok := ts.Type.(*ast.StructType); ok && hasEmbed(st) {
					declared = append(declared, ts.Name.Name)
				}
				return false
			})
		}
		for _, v := range append(listed, secretBodies[dir]...) {
			names = append(names, reflect.TypeOf(v).Name())
		}
		slices.Sort(declared)
		slices.Sort(names)
		assert.Equal(t, declared, names, dir)
	}
}

// hasEmbed reports whether st has a field tagged `json:",embed"`, or
// embeds another struct (whose Format it would otherwise take as its own).
func hasEmbed(st *ast.StructType) bool {
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 || f.Tag != nil && strings.Contains(f.Tag.Value, `json:",embed"`) {
			return true
		}
	}
	return false
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
	for _, listed := range secretBodies {
		for _, v := range listed {
			p := reflect.New(reflect.TypeOf(v))
			fill(p.Elem(), `{"pan":"`+number+`"}`, 0)
			for _, out := range append(showtest.Printed(p.Elem().Interface()), showtest.Printed(p.Interface())...) {
				assert.NotContains(t, out, number, "%T", v)
			}
		}
	}
}

// TestRawMemberPrintsRedacted: a member documented as any JSON prints as
// sent, but with a card number in it redacted, and is not taken for the
// unknown members.
func TestRawMemberPrintsRedacted(t *testing.T) {
	c := solid.Card{ID: "crd-1", AllowedMerchants: jsontext.Value(`["m1","4539578763621486"]`)}
	out := fmt.Sprintf("%+v", c)
	assert.Contains(t, out, `AllowedMerchants:["m1","[redacted]"]`)
	assert.NotContains(t, out, "unknown members")
}

// fill gives every string field of v "known", every field for unknown
// members raw, and every nested wire struct a value filled alike.
func fill(v reflect.Value, raw string, depth int) { fillWith(v, "known", raw, depth) }

// fillWith is fill with text for the string fields.
func fillWith(v reflect.Value, text, raw string, depth int) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case !f.CanSet():
		case f.Type() == reflect.TypeFor[jsontext.Value]():
			f.Set(reflect.ValueOf(jsontext.Value(raw)))
		case f.Kind() == reflect.String:
			f.SetString(text)
		case f.Type() == reflect.TypeFor[*string]():
			f.Set(reflect.ValueOf(&text))
		case f.Kind() == reflect.Struct && f.Type().PkgPath() != "time":
			fillWith(f, text, raw, depth+1)
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Struct && depth < 3:
			f.Set(reflect.New(f.Type().Elem()))
			fillWith(f.Elem(), text, raw, depth+1)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct && depth < 3:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
			fillWith(f.Index(0), text, raw, depth+1)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf([]string{text}).Convert(f.Type()))
		}
	}
}

// TestResiduesPrintNoNumber: a residue keeps a provider's text (a
// fulfillment method, a merchant list, an actor's id) as sent; it prints,
// logs and encodes it with any card number redacted.
func TestResiduesPrintNoNumber(t *testing.T) {
	const number = "4539578763621486"
	for _, r := range []any{&synctera.Residue{}, &solid.Residue{}, &rocketkor.Residue{}, &offblocks.Residue{}} {
		v := reflect.ValueOf(r).Elem()
		fillWith(v, number, `["m1","`+number+`"]`, 0)
		for _, out := range append(showtest.Renderings(t, r), showtest.Renderings(t, v.Interface())...) {
			assert.NotContains(t, out, number, "%T", r)
		}
		if _, masked := r.(*offblocks.Residue); !masked { // its one text prints by its last four
			assert.Contains(t, fmt.Sprintf("%+v", r), "[redacted]", "%T", r)
		}
	}
}

// TestStartingNumberPrintsCut: RocketKOR's starting number prints by its
// first six digits, wherever a wire struct holds it: for a 12-digit card
// number its first eight digits and the last four are all of it.
func TestStartingNumberPrintsCut(t *testing.T) {
	d := rocketkor.CardDetails{StartingNumber: "41234598"}
	w := rocketkor.IssuedCardAccount{Embedded: &rocketkor.Embedded{ProviderDetails: &rocketkor.ProviderDetails{CardDetails: d}}}
	for _, v := range []any{d, w, rocketkor.IssueRequest{Card: &d}} {
		for _, out := range showtest.Printed(v) {
			assert.NotContains(t, out, "41234598", "%T", v)
		}
		assert.Contains(t, fmt.Sprintf("%+v", v), "412345**", "%T", v)
	}
}

// TestRawMemberEscapesRedacted: digits written as escapes do not hide a
// card number in a raw member from the redaction.
func TestRawMemberEscapesRedacted(t *testing.T) {
	c := solid.Card{AllowedMerchants: jsontext.Value(`["453\u0039578\u0037636\u0032148\u0036"]`)}
	out := fmt.Sprintf("%+v", c)
	assert.Contains(t, out, `AllowedMerchants:["[redacted]"]`)
	assert.NotContains(t, out, `\u`)
}
