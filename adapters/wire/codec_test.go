package wire_test

import (
	"testing"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/wire"
)

// every is a wire struct with a member of every kind the codec reads.
type every struct {
	S   string            `json:"s"`
	SE  string            `json:"se,omitempty"`
	Sec wire.Number       `json:"sec,omitempty"`
	P   *string           `json:"p"`
	PZ  *string           `json:"pz,omitzero"`
	PE  *string           `json:"pe,omitempty"`
	B   *bool             `json:"b"`
	BZ  *bool             `json:"bz,omitzero"`
	M   map[string]string `json:"m"`
	MZ  map[string]string `json:"mz,omitzero"`
	ME  map[string]string `json:"me,omitempty"`
	L   []string          `json:"l"`
	LZ  []string          `json:"lz,omitzero"`
	LE  []string          `json:"le,omitempty"`
	R   jsontext.Value    `json:"r,omitzero"`
	O   *outer            `json:"o"`
	OZ  *outer            `json:"oz,omitzero"`
	OE  *outer            `json:"oe,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// outer embeds base, whose fallback is outer's.
type outer struct {
	base
	Extra string `json:"extra,omitempty"`
	Deep  *leaf  `json:"deep,omitzero"`
}

type base struct {
	Name string `json:"name,omitempty"`
	Leaf *leaf  `json:"leaf,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

type leaf struct {
	On *bool `json:"on,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

var (
	leafJSON = wire.NewCodec(func(w *leaf) *jsontext.Value { return &w.Unknown },
		wire.BoolPtr("on", wire.OmitZero, func(w *leaf) **bool { return &w.On }),
	)
	baseJSON = wire.NewCodec(func(w *base) *jsontext.Value { return &w.Unknown },
		wire.String("name", wire.OmitEmpty, func(w *base) *string { return &w.Name }),
		wire.Object("leaf", wire.OmitZero, func(w *base) **leaf { return &w.Leaf }, leafJSON),
	)
	outerJSON = wire.NewCodec(func(w *outer) *jsontext.Value { return &w.Unknown },
		wire.Embed(func(w *outer) *base { return &w.base }, baseJSON),
		wire.String("extra", wire.OmitEmpty, func(w *outer) *string { return &w.Extra }),
		wire.Object("deep", wire.OmitZero, func(w *outer) **leaf { return &w.Deep }, leafJSON),
	)
	everyJSON = wire.NewCodec(func(w *every) *jsontext.Value { return &w.Unknown },
		wire.String("s", wire.Keep, func(w *every) *string { return &w.S }),
		wire.String("se", wire.OmitEmpty, func(w *every) *string { return &w.SE }),
		wire.Secret("sec", wire.OmitEmpty, func(w *every) *wire.Number { return &w.Sec }),
		wire.StringPtr("p", wire.Keep, func(w *every) **string { return &w.P }),
		wire.StringPtr("pz", wire.OmitZero, func(w *every) **string { return &w.PZ }),
		wire.StringPtr("pe", wire.OmitEmpty, func(w *every) **string { return &w.PE }),
		wire.BoolPtr("b", wire.Keep, func(w *every) **bool { return &w.B }),
		wire.BoolPtr("bz", wire.OmitZero, func(w *every) **bool { return &w.BZ }),
		wire.StringMap("m", wire.Keep, func(w *every) *map[string]string { return &w.M }),
		wire.StringMap("mz", wire.OmitZero, func(w *every) *map[string]string { return &w.MZ }),
		wire.StringMap("me", wire.OmitEmpty, func(w *every) *map[string]string { return &w.ME }),
		wire.Strings("l", wire.Keep, func(w *every) *[]string { return &w.L }),
		wire.Strings("lz", wire.OmitZero, func(w *every) *[]string { return &w.LZ }),
		wire.Strings("le", wire.OmitEmpty, func(w *every) *[]string { return &w.LE }),
		wire.Raw("r", wire.OmitZero, func(w *every) *jsontext.Value { return &w.R }),
		wire.Object("o", wire.Keep, func(w *every) **outer { return &w.O }, outerJSON),
		wire.Object("oz", wire.OmitZero, func(w *every) **outer { return &w.OZ }, outerJSON),
		wire.Object("oe", wire.OmitEmpty, func(w *every) **outer { return &w.OE }, outerJSON),
	)
)

// codecSamples are documents of the shapes a provider sends, and of the
// shapes the codec leaves to the engine.
var codecSamples = []string{
	`{}`,
	`{"s":"a","se":"b","sec":"4111111111111111","p":"c","pz":"","pe":"","b":true,"bz":false,"m":{"k":"v","a":"b"},"mz":{},"me":{},"l":["x","y"],"lz":[],"le":[],"o":{"name":"n","leaf":{"on":true},"extra":"e","deep":{}},"oz":{},"oe":{}}`,
	` { "s" : "a" ,
	  "o" : { "deep" : { "on" : null } , "leaf" : null } } `,
	`{"s":null,"p":null,"b":null,"m":null,"l":null,"o":null}`,
	`{"x":1,"s":"a","y":{"z":[1,2,{"w":null}]},"o":{"u":"v","leaf":{"t":true}}}`,
	`{"s":"caf\u00e9 \"q\" \\ \n","m":{"\u00e9":"\t"},"l":["\u2028"]}`,
	`{"s":"café ☕","sec":"x"}`,
	`{"o":{"name":"a"},"o":{"name":"b"}}`,
	`{"m":{"a":"1","a":"2"}}`,
	`{"x":1,"x":2}`,
	`{"x":{"a":1,"a":2}}`,
	`{"s":1}`,
	`{"s":"a",}`,
	`{"s":"a"} x`,
	`{"s":"\ud800"}`,
	"{\"s\":\"\xff\"}",
	"{\"x\":\"\xff\"}",
	`{"r":[1, 2]}`,
	`{"S":"a"}`,
	`{"s\u0000":"a"}`,
	`{"se":"a","pe":"b","me":{"k":"v"},"le":["v"],"oe":{"extra":"x"}}`,
	`null`,
	`[]`,
	``,
	`{"l":[null]}`,
	`{"m":{"a":null}}`,
	`{"b":tru}`,
	`{"x":01}`,
	`{"x":-}`,
	`{"o":{"leaf":{"on":true,"on":false}}}`,
}

func TestCodecSameAsEngine(t *testing.T) {
	for _, s := range codecSamples {
		adaptertest.SameAsEngine(t, everyJSON, []byte(s))
	}
}

func FuzzCodec(f *testing.F) {
	for _, s := range codecSamples {
		f.Add([]byte(s))
	}
	for _, c := range edgeCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		adaptertest.SameAsEngine(t, everyJSON, in)
		adaptertest.SameUnknown[every, *every](t, everyJSON, in)
	})
}

func TestCodecCheck(t *testing.T) {
	require.NoError(t, everyJSON.Check())
	require.NoError(t, outerJSON.Check())
	bad := []*wire.Codec[leaf]{
		wire.NewCodec[leaf](nil, wire.BoolPtr("on", wire.OmitZero, func(w *leaf) **bool { return &w.On })),
		wire.NewCodec(func(w *leaf) *jsontext.Value { return &w.Unknown }),
		wire.NewCodec(func(w *leaf) *jsontext.Value { return &w.Unknown },
			wire.BoolPtr("On", wire.OmitZero, func(w *leaf) **bool { return &w.On })),
		wire.NewCodec(func(w *leaf) *jsontext.Value { return &w.Unknown },
			wire.BoolPtr("on", wire.Keep, func(w *leaf) **bool { return &w.On })),
		wire.NewCodec(func(w *leaf) *jsontext.Value { return &w.Unknown },
			wire.BoolPtr("on", wire.OmitZero, func(w *leaf) **bool { return new(*bool) })),
		wire.NewCodec(func(w *leaf) *jsontext.Value { return &w.Unknown },
			wire.BoolPtr("on", wire.OmitZero, func(w *leaf) **bool { return &w.On }),
			wire.BoolPtr("off", wire.OmitZero, func(w *leaf) **bool { return &w.On })),
	}
	for i, c := range bad {
		assert.Error(t, c.Check(), "table %d", i)
		// A table that disagrees leaves the work to the engine.
		adaptertest.SameAsEngine(t, c, []byte(`{"on":true,"off":false}`))
	}
}

func TestCodecWritesAsEngine(t *testing.T) {
	s, empty := "x", ""
	yes := true
	for _, w := range []every{
		{},
		{S: "\xff"},
		{M: map[string]string{"\xff": "a"}},
		{L: []string{"a\xffb"}},
		{S: "<&>\u2028\x7f\x00\x1f"},
		{P: &empty, PZ: &empty, PE: &empty, B: &yes},
		{R: jsontext.Value(`[1, 2]`)},
		{R: jsontext.Value(`[1,`)},
		{Unknown: jsontext.Value(`{"x": 1}`)},
		{Unknown: jsontext.Value(`{"s": 1}`)},
		{O: &outer{base: base{Unknown: jsontext.Value(`{"x":1}`)}}},
		{OE: &outer{}, O: &outer{Deep: &leaf{}}},
		{PE: &s, M: map[string]string{"b": "1", "a": "2", "c": "3"}, L: []string{}, ME: map[string]string{}, LE: []string{}},
	} {
		for _, nulls := range []bool{false, true} {
			engine, fast := wire.Marshal, everyJSON.Marshal
			if nulls {
				engine, fast = wire.MarshalNulls, everyJSON.MarshalNulls
			}
			want, werr := engine(&w)
			got, gerr := fast(&w)
			if werr != nil {
				assert.Error(t, gerr, "%+v", w)
				continue
			}
			require.NoError(t, gerr)
			assert.Equal(t, string(want), string(got))
		}
	}
}

// TestCodecSecretHasItsOwnMemory checks that the text of a secret member
// is not in the memory that holds the other members' text.
func TestCodecSecretHasItsOwnMemory(t *testing.T) {
	var w every
	require.NoError(t, everyJSON.Unmarshal("test", []byte(`{"s":"abc","sec":"4111111111111111","se":"def"}`), &w))
	require.Equal(t, "4111111111111111", w.Sec.Reveal())
	// The other texts share one allocation, "abcdef"; the secret is not
	// in it.
	lo := uintptr(unsafe.Pointer(unsafe.StringData(w.S)))
	sec := uintptr(unsafe.Pointer(unsafe.StringData(w.Sec.Reveal())))
	assert.False(t, sec >= lo && sec < lo+uintptr(len(w.S)+len(w.SE)), "the secret shares the others' memory")
	assert.Equal(t, unsafe.StringData(w.S), (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(w.SE)), -3)),
		"the other texts share one allocation")
}

func TestCodecNames(t *testing.T) {
	assert.Equal(t, []string{"name", "leaf", "extra", "deep"}, outerJSON.Names())
}

func (w *every) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &w.Unknown)
	for _, o := range []struct {
		path string
		o    *outer
	}{{"o", w.O}, {"oz", w.OZ}, {"oe", w.OE}} {
		if o.o == nil {
			continue
		}
		visit(o.path, &o.o.Unknown)
		if o.o.Leaf != nil {
			visit(o.path+".leaf", &o.o.Leaf.Unknown)
		}
		if o.o.Deep != nil {
			visit(o.path+".deep", &o.o.Deep.Unknown)
		}
	}
}

func TestCodecTakeUnknown(t *testing.T) {
	for _, s := range codecSamples {
		adaptertest.SameUnknown[every, *every](t, everyJSON, []byte(s))
	}
}
