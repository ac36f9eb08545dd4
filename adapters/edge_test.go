package adapters_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/card"
)

// cardNumbers are the full card numbers of the samples, and one the
// mutations below add.
var cardNumbers = []string{"412345987442231477", "4242424242424242", "4111111111111111"}

// mutation turns a sample into a document at an edge of what a wire
// format reads. field is where the error must be ("" for any), or ok says
// that the document decodes.
type mutation struct {
	name  string
	edit  func(t *testing.T, in []byte) []byte
	ok    bool
	field string
}

// insert puts members at the start of the sample's top-level object.
func insert(members string) func(*testing.T, []byte) []byte {
	return func(t *testing.T, in []byte) []byte {
		i := bytes.IndexByte(in, '{')
		require.GreaterOrEqual(t, i, 0)
		return append(append(append([]byte{}, in[:i+1]...), members...), in[i+1:]...)
	}
}

// firstMember returns the sample's first top-level member, as sent.
func firstMember(t *testing.T, in []byte) (name string, member string) {
	dec := jsontext.NewDecoder(bytes.NewReader(in))
	_, err := dec.ReadToken()
	require.NoError(t, err)
	tok, err := dec.ReadToken()
	require.NoError(t, err)
	name = tok.String()
	v, err := dec.ReadValue()
	require.NoError(t, err)
	q, err := jsontext.AppendQuote(nil, name)
	require.NoError(t, err)
	return name, string(q) + ":" + string(v)
}

// cardNumbersAs replaces each sample's card number, as a JSON string, by
// what with makes of it; a sample without one is skipped.
func cardNumbersAs(with func(string) string) func(*testing.T, []byte) []byte {
	return func(t *testing.T, in []byte) []byte {
		out := in
		for _, n := range cardNumbers {
			out = bytes.ReplaceAll(out, []byte(`"`+n+`"`), []byte(with(n)))
		}
		if bytes.Equal(out, in) {
			t.Skip("no card number")
		}
		return out
	}
}

var mutations = []mutation{
	{name: "trailing garbage", edit: func(_ *testing.T, in []byte) []byte { return append(bytes.TrimSpace(in), 'x') }},
	{name: "truncated", edit: func(_ *testing.T, in []byte) []byte { in = bytes.TrimSpace(in); return in[:len(in)-1] }},
	{name: "trailing comma", edit: func(_ *testing.T, in []byte) []byte {
		in = bytes.TrimSpace(in)
		return append(append(in[:len(in)-1:len(in)-1], ','), '}')
	}},
	{name: "duplicate first member", edit: func(t *testing.T, in []byte) []byte {
		_, m := firstMember(t, in)
		return insert(m+",")(t, in)
	}},
	{name: "duplicate unknown named by a card number", edit: insert(`"4111111111111111":1,"4111111111111111":2,`)},
	{name: "syntax error under a card number", edit: insert(`"4111111111111111":[1,],`)},
	{name: "lone surrogate", edit: insert(`"zz":"\ud800",`), field: "zz"},
	{name: "invalid UTF-8", edit: insert("\"zz\":\"\xff\","), field: "zz"},
	{name: "raw control character", edit: insert("\"zz\":\"\x01\","), field: "zz"},
	{name: "card number as a number", edit: cardNumbersAs(func(n string) string { return n })},
	{name: "card number with invalid UTF-8", edit: cardNumbersAs(func(n string) string { return `"` + n + "\xff\"" })},
	{name: "card number with a lone surrogate", edit: cardNumbersAs(func(n string) string { return `"` + n + `\udc00"` })},
	{name: "card number twice", edit: cardNumbersAs(func(n string) string { return `"` + n + `","cardNumber":"` + n + `"` })},
	{name: "unknown named by a card number", edit: insert(`"4111111111111111":"x",`), ok: true},
	{name: "deep unknown", edit: insert(`"zz":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `,`), ok: true},
	{name: "huge number", edit: insert(`"zz":1e999999999,"zy":` + strings.Repeat("7", 300) + `,`), ok: true},
	{name: "other case", edit: func(t *testing.T, in []byte) []byte {
		name, m := firstMember(t, in)
		return insert(strings.Replace(m, `"`+name+`"`, `"`+strings.ToUpper(name[:1])+name[1:]+`"`, 1)+",")(t, in)
	}, ok: true},
}

// TestEdgesOfEveryFormat runs each mutation of every sample through its
// own format: an error is a *card.Error that names the field and never
// shows a card number; a document that decodes reports its unknown members
// without a card number and translates to a fixed point.
func TestEdgesOfEveryFormat(t *testing.T) {
	for _, s := range samples(t) {
		for _, m := range mutations {
			t.Run(s.file+"/"+m.name, func(t *testing.T) {
				in := m.edit(t, bytes.Clone(s.data))
				res, err := adapters.Translate(s.format, s.format, s.kind, in)
				if !m.ok {
					require.Error(t, err)
					require.ErrorIs(t, err, card.ErrInvalid)
					var e *card.Error
					require.True(t, errors.As(err, &e), "%T", err)
					if m.field != "" {
						assert.True(t, e.Has(m.field, ""), "want a problem at %q: %v", m.field, err)
					}
					for _, n := range cardNumbers {
						assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), n)
					}
					return
				}
				require.NoError(t, err)
				for _, n := range cardNumbers {
					assert.NotContains(t, fmt.Sprintf("%v", res.Report), n)
				}
				assert.NotEmpty(t, res.Report.Unknown)
				again, err := adapters.Translate(s.format, s.format, s.kind, res.Output)
				require.NoError(t, err)
				assert.Equal(t, string(res.Output), string(again.Output))
			})
		}
	}
}
