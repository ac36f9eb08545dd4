package wire

import (
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fastDoc struct {
	Name  string            `json:"name"`
	Opt   *string           `json:"opt,omitzero"`
	On    *bool             `json:"on,omitzero"`
	Tags  map[string]string `json:"tags,omitzero"`
	List  []string          `json:"list"`
	Inner *fastInner        `json:"inner,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

type fastInner struct {
	Name string `json:"name"`

	Unknown jsontext.Value `json:",embed"`
}

func fastDocJSON() *Codec[fastDoc] {
	inner := NewCodec(func(w *fastInner) *jsontext.Value { return &w.Unknown },
		String("name", Keep, func(w *fastInner) *string { return &w.Name }),
	)
	return NewCodec(func(w *fastDoc) *jsontext.Value { return &w.Unknown },
		String("name", Keep, func(w *fastDoc) *string { return &w.Name }),
		StringPtr("opt", OmitZero, func(w *fastDoc) **string { return &w.Opt }),
		BoolPtr("on", OmitZero, func(w *fastDoc) **bool { return &w.On }),
		StringMap("tags", OmitZero, func(w *fastDoc) *map[string]string { return &w.Tags }),
		Strings("list", Keep, func(w *fastDoc) *[]string { return &w.List }),
		Object("inner", OmitZero, func(w *fastDoc) **fastInner { return &w.Inner }, inner),
	)
}

// TestFastPath checks which documents the codec reads and writes itself:
// the shapes providers send, unknown members included; the rest is the
// engine's.
func TestFastPath(t *testing.T) {
	c := fastDocJSON()
	require.NoError(t, c.bad)
	for _, in := range []string{
		`{}`,
		`{"name":"a","opt":"b","on":true,"tags":{"k":"v"},"list":["x"],"inner":{"name":"c"}}`,
		"{\n  \"name\": \"caf\\u00e9\",\n  \"x\": [1, {\"y\": null}],\n  \"inner\": {\"z\": 1}\n}\n",
		`{"name":null,"opt":null,"on":null,"tags":null,"list":null,"inner":null}`,
	} {
		var w fastDoc
		assert.True(t, c.decode([]byte(in), &w, new(decoder)), "%s", in)
		_, ok := c.encodeObject(nil, &w, false)
		assert.Equal(t, len(w.Unknown) == 0 && (w.Inner == nil || len(w.Inner.Unknown) == 0), ok, "%s", in)
	}
	for _, in := range []string{
		`null`, `{"name":1}`, `{"name":"a","name":"b"}`, `{"x":1,"x":2}`, `{"na\u006de":"a"}`,
		`{"name":"a"}x`, `{"tags":{"k":null}}`, `{"list":[1]}`, `{"x":{"a":1,"a":1}}`,
	} {
		var w fastDoc
		assert.False(t, c.decode([]byte(in), &w, new(decoder)), "%s", in)
	}
}

// TestStop checks the table of bytes that end a plain run of text.
func TestStop(t *testing.T) {
	for c := range 256 {
		want := c < ' ' || c == '"' || c == '\\' || c >= 0x80
		assert.Equal(t, want, stop[c] != 0, "%#x", c)
	}
}
