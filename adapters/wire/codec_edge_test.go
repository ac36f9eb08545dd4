package wire_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// nest is an unknown member x holding n nested arrays.
func nest(n int) string {
	return `{"x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
}

// edgeCase is a document at the edge of what the codec reads: either it
// decodes (ok), or it fails with a *card.Error naming field.
type edgeCase struct {
	name  string
	in    string
	ok    bool
	field string // the problem's field path when !ok; "?" for any
	check func(t *testing.T, w *every)
}

const pan = "4111111111111111"

var edgeCases = []edgeCase{
	// Empty input and top-level values that are not an object.
	{name: "empty", in: ``, field: ""},
	{name: "only space", in: " \n\t\r", field: ""},
	{name: "top null", in: `null`, ok: true, check: func(t *testing.T, w *every) { assert.Equal(t, every{}, *w) }},
	{name: "top array", in: `[]`, field: ""},
	{name: "top array of object", in: `[{}]`, field: ""},
	{name: "top string", in: `"x"`, field: ""},
	{name: "top number", in: `1`, field: ""},
	{name: "top true", in: `true`, field: ""},
	{name: "top false", in: `false`, field: ""},

	// Leading and trailing garbage.
	{name: "space around", in: " \t\r\n{\"s\":\"a\"}\n ", ok: true},
	{name: "BOM", in: "\xef\xbb\xbf{}", field: ""},
	{name: "leading x", in: `x{}`, field: ""},
	{name: "trailing x", in: `{}x`, field: ""},
	{name: "two objects", in: `{} {}`, field: ""},
	{name: "extra brace", in: `{}}`, field: ""},
	{name: "extra bracket", in: `{}]`, field: ""},
	{name: "trailing comma after object", in: `{},`, field: ""},
	{name: "trailing NUL", in: "{\"s\":\"a\"}\x00", field: ""},
	{name: "trailing form feed", in: "{}\f", field: ""},
	{name: "trailing comment", in: `{"s":"a"}//`, field: ""},
	{name: "truncated", in: `{"s":"a"`, field: ""},
	{name: "truncated in string", in: `{"s":"a`, field: "?"},
	{name: "truncated after backslash", in: `{"s":"a\`, field: "?"},

	// Trailing and stray commas.
	{name: "comma object", in: `{"s":"a",}`, field: ""},
	{name: "comma nested object", in: `{"o":{"name":"a",}}`, field: "o"},
	{name: "comma list", in: `{"l":["a",]}`, field: "l"},
	{name: "comma map", in: `{"m":{"a":"b",}}`, field: "m"},
	{name: "comma unknown array", in: `{"x":[1,]}`, field: "x"},
	{name: "comma unknown object", in: `{"x":{"a":1,}}`, field: "x"},
	{name: "lone comma", in: `{,}`, field: ""},
	{name: "double comma", in: `{"s":"a",,"se":"b"}`, field: ""},
	{name: "leading comma list", in: `{"l":[,"a"]}`, field: "l"},

	// null for members that are not pointers: the zero value, as the engine.
	{name: "null string", in: `{"s":null,"se":null,"sec":null}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "", w.S)
	}},
	{name: "null map and list", in: `{"m":null,"l":null,"mz":null,"lz":null}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Nil(t, w.M)
		assert.Nil(t, w.L)
	}},
	{name: "null pointers", in: `{"p":null,"b":null,"o":null}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Nil(t, w.P)
		assert.Nil(t, w.B)
		assert.Nil(t, w.O)
	}},
	{name: "null nested", in: `{"o":{"name":null,"leaf":null}}`, ok: true},
	{name: "null in list", in: `{"l":[null]}`, ok: true},
	{name: "null map value", in: `{"m":{"a":null}}`, ok: true},
	{name: "nul", in: `{"s":nul}`, field: "s"},
	{name: "nullx", in: `{"s":nullx}`, field: ""}, // the engine's pointer: after a whole value
	{name: "NULL", in: `{"s":NULL}`, field: "s"},

	// Absent and empty stay apart where the struct has a pointer.
	{name: "empty pointer", in: `{"p":"","pz":"","pe":""}`, ok: true, check: func(t *testing.T, w *every) {
		require.NotNil(t, w.PZ)
		assert.Equal(t, "", *w.PZ)
	}},
	{name: "empty map and list", in: `{"m":{},"l":[],"mz":{},"lz":[]}`, ok: true, check: func(t *testing.T, w *every) {
		assert.NotNil(t, w.MZ)
		assert.NotNil(t, w.LZ)
	}},

	// Wrong types.
	{name: "number for string", in: `{"s":1}`, field: "s"},
	{name: "bool for string", in: `{"s":true}`, field: "s"},
	{name: "object for string", in: `{"s":{}}`, field: "s"},
	{name: "string for bool", in: `{"b":"true"}`, field: "b"},
	{name: "number for bool", in: `{"b":0}`, field: "b"},
	{name: "number in list", in: `{"l":[1]}`, field: "l[0]"},
	{name: "number map value", in: `{"m":{"k":1}}`, field: "m.k"},
	{name: "list for map", in: `{"m":[]}`, field: "m"},
	{name: "string for object", in: `{"o":"x"}`, field: "o"},

	// Numbers, in unknown members (kept as sent) and where a string is.
	{name: "huge exponent", in: `{"x":1e999999999}`, ok: true},
	{name: "many digits", in: `{"x":` + strings.Repeat("9", 400) + `}`, ok: true},
	{name: "negative zero", in: `{"x":-0.0e-0}`, ok: true},
	{name: "leading zero", in: `{"x":01}`, field: ""}, // after a whole value, 0
	{name: "bare point", in: `{"x":1.}`, field: "x"},
	{name: "point first", in: `{"x":.5}`, field: "x"},
	{name: "plus", in: `{"x":+1}`, field: "x"},
	{name: "bare exponent", in: `{"x":1e}`, field: "x"},
	{name: "NaN", in: `{"x":NaN}`, field: "x"},
	{name: "Infinity", in: `{"x":-Infinity}`, field: "x"},
	{name: "huge number for string", in: `{"s":1e999}`, field: "s"},

	// Duplicate names, known and unknown, at every level.
	{name: "duplicate known", in: `{"s":"a","s":"b"}`, field: "s"},
	{name: "duplicate null", in: `{"s":null,"s":null}`, field: "s"},
	{name: "duplicate unknown", in: `{"x":1,"x":1}`, field: "x"},
	{name: "duplicate nested", in: `{"o":{"name":"a","extra":"b","name":"c"}}`, field: "o.name"},
	{name: "duplicate map key", in: `{"m":{"k":"a","k":"b"}}`, field: "m.k"},
	{name: "duplicate escaped", in: `{"s":"a","\u0073":"b"}`, field: "s"},
	{name: "duplicate in unknown", in: `{"x":{"y":1,"y":2}}`, field: "x.y"},
	{name: "duplicate deep unknown", in: `{"o":{"leaf":{"z":[{"y":1,"y":2}]}}}`, field: "o.leaf.z[0].y"},

	// Names match case-sensitively; another case is an unknown member.
	{name: "other case", in: `{"S":"a"}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "", w.S)
		assert.Equal(t, `{"S":"a"}`, string(w.Unknown))
	}},
	{name: "both cases", in: `{"s":"a","S":"b"}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "a", w.S)
		assert.Equal(t, `{"S":"b"}`, string(w.Unknown))
	}},
	{name: "other case nested", in: `{"o":{"Name":"a"}}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "", w.O.Name)
		assert.Equal(t, `{"Name":"a"}`, string(w.O.Unknown))
	}},

	// Escapes.
	{name: "escape", in: `{"s":"caf\u00e9"}`, ok: true, check: func(t *testing.T, w *every) { assert.Equal(t, "café", w.S) }},
	{name: "surrogate pair", in: `{"s":"\ud83d\ude00","l":["\uD83D\uDE00"]}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "😀", w.S)
		assert.Equal(t, []string{"😀"}, w.L)
	}},
	{name: "short escapes", in: `{"s":"\b\f\n\r\t\"\\\/"}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "\b\f\n\r\t\"\\/", w.S)
	}},
	{name: "escaped NUL", in: `{"s":"a\u0000b"}`, ok: true, check: func(t *testing.T, w *every) { assert.Equal(t, "a\x00b", w.S) }},
	{name: "escaped name", in: `{"\u0073":"a"}`, ok: true, check: func(t *testing.T, w *every) { assert.Equal(t, "a", w.S) }},
	{name: "escaped unknown name", in: `{"\u0078":"a"}`, ok: true, check: func(t *testing.T, w *every) {
		assert.Equal(t, "x", strings.Join(wire.Unknown{"": w.Unknown}.Paths(), ","))
	}},
	{name: "lone high surrogate", in: `{"s":"\ud800"}`, field: "s"},
	{name: "lone low surrogate", in: `{"s":"\udc00"}`, field: "s"},
	{name: "high then letter", in: `{"s":"\ud800\u0041"}`, field: "s"},
	{name: "high then high", in: `{"s":"\ud800\ud800"}`, field: "s"},
	{name: "high then text", in: `{"s":"\ud800x"}`, field: "s"},
	{name: "low then high", in: `{"s":"\udc00\ud800"}`, field: "s"},
	{name: "lone surrogate in list", in: `{"l":["\ud800"]}`, field: "l[0]"},
	{name: "lone surrogate map key", in: `{"m":{"\ud800":"a"}}`, field: "?"},
	{name: "lone surrogate name", in: `{"\ud800":1}`, field: "?"},
	{name: "lone surrogate unknown", in: `{"x":"\udfff"}`, field: "x"},
	{name: "lone surrogate nested unknown", in: `{"x":["\ud800"]}`, field: "x[0]"},
	{name: "bad escape", in: `{"s":"\x"}`, field: "s"},
	{name: "short unicode escape", in: `{"s":"\u00"}`, field: "s"},
	{name: "bad hex", in: `{"s":"\u00g0"}`, field: "s"},
	{name: "capital U", in: `{"s":"\U00e9"}`, field: "s"},
	{name: "single quote escape", in: `{"s":"\'"}`, field: "s"},

	// Invalid UTF-8, raw and next to an escape.
	{name: "invalid byte", in: "{\"s\":\"\xff\"}", field: "s"},
	{name: "overlong", in: "{\"s\":\"\xc0\xaf\"}", field: "s"},
	{name: "encoded surrogate", in: "{\"s\":\"\xed\xa0\x80\"}", field: "s"},
	{name: "truncated sequence", in: "{\"s\":\"\xe2\x82\"}", field: "s"},
	{name: "past U+10FFFF", in: "{\"s\":\"\xf4\x90\x80\x80\"}", field: "s"},
	{name: "invalid after escape", in: "{\"s\":\"\\u00e9\xff\"}", field: "s"},
	{name: "invalid in name", in: "{\"\xff\":1}", field: "?"},
	{name: "invalid in unknown", in: "{\"x\":\"\xff\"}", field: "x"},
	{name: "invalid after escape in unknown", in: "{\"x\":[\"\\n\xff\"]}", field: "x[0]"},
	{name: "invalid map key", in: "{\"m\":{\"\xff\":\"a\"}}", field: "?"},
	{name: "invalid list element", in: "{\"l\":[\"a\xffb\"]}", field: "l[0]"},
	{name: "invalid secret", in: "{\"sec\":\"" + pan + "\xff\"}", field: "sec"},
	{name: "valid multibyte", in: "{\"s\":\"caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x98\x80\"}", ok: true},

	// Control characters: refused raw, kept escaped; DEL and U+2028 are text.
	{name: "raw NUL", in: "{\"s\":\"a\x00\"}", field: "s"},
	{name: "raw 0x01", in: "{\"s\":\"a\x01\"}", field: "s"},
	{name: "raw 0x1f", in: "{\"s\":\"a\x1f\"}", field: "s"},
	{name: "raw newline", in: "{\"s\":\"a\nb\"}", field: "s"},
	{name: "raw tab", in: "{\"s\":\"a\tb\"}", field: "s"},
	{name: "raw tab in name", in: "{\"s\t\":\"a\"}", field: "?"},
	{name: "raw control in unknown", in: "{\"x\":\"\x02\"}", field: "x"},
	{name: "raw control after escape", in: "{\"s\":\"\\n\x02\"}", field: "s"},
	{name: "DEL", in: "{\"s\":\"a\x7f\"}", ok: true},
	{name: "U+2028", in: "{\"s\":\"a\xe2\x80\xa8\"}", ok: true},
	{name: "escaped control", in: `{"s":"\u001f"}`, ok: true, check: func(t *testing.T, w *every) { assert.Equal(t, "\x1f", w.S) }},

	// Deep nesting: the fast path stops at 64 levels, the engine at 10000.
	{name: "nest 63", in: nest(63), ok: true},
	{name: "nest 64", in: nest(64), ok: true},
	{name: "nest 65", in: nest(65), ok: true},
	{name: "nest 9999", in: nest(9999), ok: true},
	{name: "nest 10000", in: nest(10000), field: "?"},
	{name: "nest 50000 open", in: `{"x":` + strings.Repeat("[", 50000), field: "?"},
	{name: "nest objects", in: `{"x":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat("}", 5000) + `}`, ok: true},
	{name: "nest in nested object", in: `{"o":{"leaf":{"z":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}}}`, ok: true},
	{name: "nest unbalanced", in: `{"x":[[[]]}`, field: "?"},
}

// TestCodecEdgeCases runs each edge case through the codec and the engine
// (the same value or the same error, the same bytes), and checks what the
// adapters need of the result: a typed error naming the field, never a
// card number in it; a value that re-encodes to a fixed point.
func TestCodecEdgeCases(t *testing.T) {
	for _, tc := range edgeCases {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(tc.in)
			if len(in) <= adaptertest.MaxFuzzInput {
				adaptertest.SameAsEngine(t, everyJSON, in)
			} else {
				var want, got every
				werr, gerr := wire.Unmarshal("test", in, &want), everyJSON.Unmarshal("test", in, &got)
				require.Equal(t, fmt.Sprint(werr), fmt.Sprint(gerr))
				require.Equal(t, want, got)
			}
			var w every
			err := everyJSON.Unmarshal("test", in, &w)
			if !tc.ok {
				require.Error(t, err)
				require.ErrorIs(t, err, card.ErrInvalid)
				var e *card.Error
				require.True(t, errors.As(err, &e), "%T", err)
				require.NotEmpty(t, e.Fields)
				if tc.field != "?" {
					assert.True(t, e.Has(tc.field, ""), "want a problem at %q: %v", tc.field, err)
				}
				assert.NotContains(t, err.Error(), pan)
				return
			}
			require.NoError(t, err)
			if tc.check != nil {
				tc.check(t, &w)
			}
			fixedPoint(t, &w)
		})
	}
}

// fixedPoint checks that w, once written, reads back to what writes the
// same bytes, with Marshal and with MarshalNulls.
func fixedPoint(t *testing.T, w *every) {
	t.Helper()
	for _, marshal := range []func(*every) ([]byte, error){everyJSON.Marshal, everyJSON.MarshalNulls} {
		out1, err := marshal(w)
		require.NoError(t, err)
		var w2 every
		require.NoError(t, everyJSON.Unmarshal("test", out1, &w2), "%s", out1)
		out2, err := marshal(&w2)
		require.NoError(t, err)
		require.Equal(t, string(out1), string(out2))
	}
}

// TestCodecErrorsHideCardNumbers checks that no error shows a card number,
// wherever the document puts it: in a value, in a member name (of an
// unknown member, of a map), known or unknown, in a failing document.
func TestCodecErrorsHideCardNumbers(t *testing.T) {
	spaced := "4111 1111 1111 1111"
	for _, in := range []string{
		`{"` + pan + `":1,"` + pan + `":2}`,
		`{"` + pan + `":[1,}`,
		`{"` + pan + `":"\ud800"}`,
		`{"x":{"` + pan + `":"\ud800"}}`,
		`{"m":{"` + pan + `":1}}`,
		`{"m":{"` + pan + `":"a","` + pan + `":"b"}}`,
		`{"m":{"` + spaced + `":1}}`,
		`{"o":{"` + pan + `":{"a":1,"a":2}}}`,
		`{"sec":"` + pan + `","sec":"x"}`,
		`{"sec":` + pan + `}`,
		`{"sec":"` + pan + `\u0000` + "\xff" + `"}`,
		`{"sec":"` + pan + `"`,
		`{"sec":"` + pan + `",}`,
		`{"l":["` + pan + `",1]}`,
		`{"s":"` + pan + `"} ` + pan,
		`{"` + pan + `"}`,
		`{"` + spaced + `":[}`,
		`{"4111-1111-1111-1111":[}`,
	} {
		for _, decode := range []func([]byte, *every) error{
			func(b []byte, w *every) error { return everyJSON.Unmarshal("test", b, w) },
			func(b []byte, w *every) error { return wire.Unmarshal("test", b, w) },
		} {
			var w every
			err := decode([]byte(in), &w)
			require.Error(t, err, in)
			require.ErrorIs(t, err, card.ErrInvalid)
			for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				for _, n := range []string{pan, spaced, "4111-1111-1111-1111"} {
					assert.NotContains(t, s, n, "%s", in)
				}
			}
		}
	}
}

// TestUnknownPathsHideCardNumbers checks that a member name that could be
// a card number is not repeated in the report of unknown members.
func TestUnknownPathsHideCardNumbers(t *testing.T) {
	var w every
	require.NoError(t, everyJSON.Unmarshal("test", []byte(`{"`+pan+`":1,"x":2,"o":{"`+pan+`":3}}`), &w))
	u := everyJSON.TakeUnknown(&w)
	paths := u.Paths()
	assert.Equal(t, []string{"[redacted]", "o.[redacted]", "x"}, paths)
	var n wire.Notes
	n.Unknown(u, "Test")
	for _, f := range n {
		assert.NotContains(t, f.String(), pan)
	}
}

// holder has an object that badJSON's table leaves out.
type holder struct {
	In *leaf `json:"in,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

func (w *holder) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	if w.In != nil {
		visit("in", &w.In.Unknown)
	}
}

var badJSON = wire.NewCodec(func(w *holder) *jsontext.Value { return &w.Unknown })

// TestCodecTakeUnknownBadTable checks that a codec whose table disagrees
// with its struct, which leaves decoding to the engine, still reports the
// unknown members of the objects its table does not name.
func TestCodecTakeUnknownBadTable(t *testing.T) {
	require.Error(t, badJSON.Check())
	var w holder
	require.NoError(t, badJSON.Unmarshal("test", []byte(`{"in":{"z":1}}`), &w))
	assert.Equal(t, wire.Unknown{"in": jsontext.Value(`{"z":1}`)}, badJSON.TakeUnknown(&w))
	assert.Nil(t, w.In.Unknown)
}
