package wire_test

import (
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

type doc struct {
	Name  string  `json:"name"`
	Inner *inner  `json:"inner,omitzero"`
	List  []inner `json:"list,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

type inner struct {
	On bool `json:"on"`

	Unknown jsontext.Value `json:",embed"`
}

func (d *doc) EachUnknown(visit func(string, *jsontext.Value)) {
	visit("", &d.Unknown)
	if d.Inner != nil {
		visit("inner", &d.Inner.Unknown)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, field string
		code            card.Code
	}{
		{"duplicate", `{"name":"a","name":"b"}`, "name", card.CodeDuplicate},
		{"wrong type", `{"inner":{"on":"yes"}}`, "inner.on", card.CodeFormat},
		{"in a list", `{"list":[{"on":true},{"on":1}]}`, "list[1].on", card.CodeFormat},
		{"syntax", `{"name":`, "name", card.CodeFormat},
		{"invalid UTF-8", "{\"name\":\"\xff\"}", "name", card.CodeFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := wire.Unmarshal("test", []byte(tc.in), &d)
			require.ErrorIs(t, err, card.ErrInvalid)
			var e *card.Error
			require.ErrorAs(t, err, &e)
			assert.True(t, e.Has(tc.field, tc.code), "%v", err)
		})
	}
}

func TestErrorsNeverEchoValues(t *testing.T) {
	var d doc
	err := wire.Unmarshal("test", []byte(`{"inner":{"on":"4111111111111111"}}`), &d)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "4111111111111111")
	err = wire.Unmarshal("test", []byte(`{"name":4111111111111111x}`), &d)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "4111111111111111")
}

func TestNamesAreCaseSensitive(t *testing.T) {
	var d doc
	require.NoError(t, wire.Unmarshal("test", []byte(`{"Name":"a","name":"b"}`), &d))
	assert.Equal(t, "b", d.Name)
	u := wire.TakeUnknown(&d)
	assert.Equal(t, []string{"Name"}, u.Paths())
}

func TestUnknownTakeAndPut(t *testing.T) {
	var d doc
	require.NoError(t, wire.Unmarshal("test", []byte(`{"name":"a","x":1,"inner":{"on":true,"y":[1,2],"z":null}}`), &d))
	u := wire.TakeUnknown(&d)
	assert.Equal(t, []string{"inner.y", "inner.z", "x"}, u.Paths())
	assert.Empty(t, d.Unknown)
	out, err := wire.Marshal(&d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"a","inner":{"on":true}}`, string(out))
	assert.Empty(t, u.PutUnknown(&d))
	out, err = wire.Marshal(&d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"a","x":1,"inner":{"on":true,"y":[1,2],"z":null}}`, string(out))
	// An object that is gone cannot take its members back.
	d.Inner = nil
	assert.Equal(t, []string{"inner"}, u.PutUnknown(&d))
	var none doc
	require.NoError(t, wire.Unmarshal("test", []byte(`{"name":"a"}`), &none))
	assert.Nil(t, wire.TakeUnknown(&none))
}

func TestTable(t *testing.T) {
	tbl := wire.Table[string, card.Form]{Field: "kind", What: "test form", Rows: []wire.Row[string, card.Form]{
		{Wire: "plastic", Domain: card.FormPhysical},
		{Wire: "card", Domain: card.FormPhysical, Dir: wire.In},
		{Wire: "plastic", Domain: card.FormVirtual, Dir: wire.Out},
	}}
	f, err := tbl.Decode("card")
	require.NoError(t, err)
	assert.Equal(t, card.FormPhysical, f)
	_, err = tbl.Decode("metal")
	var e *card.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Has("kind", card.CodeUnknownValue))
	assert.Equal(t, "metal", e.Fields[0].Value)
	w, err := tbl.Encode(card.FormVirtual)
	require.NoError(t, err)
	assert.Equal(t, "plastic", w)
	_, err = tbl.Decode("plastic")
	require.NoError(t, err)
	var p card.Problems
	assert.Equal(t, "", tbl.Out(&p, "a", 0, false))
	tbl.Out(&p, "a", 0, true)
	tbl.In(&p, "a", "x", false)
	require.ErrorAs(t, p.Err("t"), &e)
	assert.True(t, e.Has("a.kind", card.CodeRequired))
	assert.True(t, e.Has("a.kind", card.CodeUnknownValue))
	assert.Equal(t, []string{"kind: plastic ⇄ PHYSICAL", "kind: card → PHYSICAL", "kind: plastic ← VIRTUAL"}, strs(tbl.Mappings()))
}

func strs(ms []wire.Mapping) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

func TestStatusTable(t *testing.T) {
	tbl := wire.StatusTable[string]{Field: "status", What: "test status", Rows: []wire.StatusRow[string]{
		{Wire: "on", Status: card.StatusActive, Reason: card.ReasonNEW, Also: card.NoReason | card.ReasonsOf(card.ReasonACT)},
		{Wire: "off", Status: card.StatusSuspended, Reason: card.ReasonREQ},
	}}
	for _, tc := range []struct {
		s    card.Status
		r    card.StatusReason
		want string
	}{{card.StatusActive, card.ReasonNEW, "on"}, {card.StatusActive, 0, "on"}, {card.StatusActive, card.ReasonACT, "on"}, {card.StatusSuspended, card.ReasonREQ, "off"}} {
		got, err := tbl.Encode(tc.s, tc.r)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
	_, err := tbl.Encode(card.StatusSuspended, card.ReasonFRD)
	var e *card.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "SUSPENDED/FRD", e.Fields[0].Value)
	s, r, err := tbl.Decode("off")
	require.NoError(t, err)
	assert.Equal(t, card.StatusSuspended, s)
	assert.Equal(t, card.ReasonREQ, r)
	assert.Equal(t, []string{"status: on ⇄ ACTIVE/NEW", "status: on ← ACTIVE", "status: on ← ACTIVE/ACT", "status: off ⇄ SUSPENDED/REQ"}, strs(tbl.Mappings()))
}

func TestParseAmount(t *testing.T) {
	var p card.Problems
	assert.Equal(t, "120", wire.ParseAmount(&p, "a", "120.00").String())
	assert.Zero(t, p.Len())
	for _, bad := range []string{"1e9", "-5", "1.", ".5", "12,00", "123456789012345678901234567"} {
		wire.ParseAmount(&p, "a", bad)
	}
	assert.Equal(t, 6, p.Len())
}

func TestMemberNames(t *testing.T) {
	assert.Equal(t, []string{"name", "inner", "list"}, wire.MemberNames(doc{}))
}

func TestUnsupported(t *testing.T) {
	err := wire.Unsupported("solid", "suspend", "Solid v1 documents no lock call")
	require.ErrorIs(t, err, wire.ErrUnsupported)
	var u *wire.UnsupportedError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "solid", u.Provider)
	assert.Equal(t, "suspend", u.Op)
	assert.False(t, u.Retryable())
	assert.Equal(t, "solid: suspend: unsupported by provider (Solid v1 documents no lock call)", err.Error())
	assert.Equal(t, "offblocks: reissue: unsupported by provider", wire.Unsupported("offblocks", "reissue", "").Error())
}

// TestUnmarshalLenient reads what it can of a body Unmarshal refuses: the
// members that decode on their own, invalid UTF-8 as U+FFFD; a body that
// is no object reads as nothing.
func TestUnmarshalLenient(t *testing.T) {
	type body struct {
		Code    string               `json:"code"`
		Message string               `json:"message"`
		Errors  []struct{ P string } `json:"errors"`
		Unknown jsontext.Value       `json:",embed"`
	}
	var b body
	require.True(t, wire.UnmarshalLenient([]byte("{\"code\":7,\"message\":\"bad \xff\",\"errors\":[{\"P\":\"q\"}],\"z\":3}"), &b))
	assert.Empty(t, b.Code, "a number is no code")
	assert.Equal(t, "bad \uFFFD", b.Message)
	assert.Equal(t, "q", b.Errors[0].P)
	assert.JSONEq(t, `{"z":3}`, string(b.Unknown))
	b = body{}
	require.True(t, wire.UnmarshalLenient([]byte("\n {\"code\":\"C\",\"message\":[]}"), &b), "space before the object")
	assert.Equal(t, "C", b.Code)
	// The fallback field holds valid JSON only, whatever the refused pass
	// wrote (found by a second review).
	for _, in := range []string{`{"a":1,"code":7}`, `{"code":1,"x":{"a":1,"a":2}}`, "{\"code\":\"A\xff\",\"x\":\"B\xff\"}"} {
		var b body
		require.True(t, wire.UnmarshalLenient([]byte(in), &b), in)
		assert.True(t, len(b.Unknown) == 0 || b.Unknown.IsValid(), "%q: fallback %q", in, b.Unknown)
	}
	b = body{}
	require.True(t, wire.UnmarshalLenient([]byte("{\"code\":\"A\xff\",\"x\":{\"a\":1,\"a\":2},\"y\":{\"id\":12345678901234567891,\"n\":\"\xff\"}}"), &b))
	assert.Equal(t, "A\uFFFD", b.Code)
	// A duplicate name leaves its member out; a number keeps its digits
	// (found by a third review: they went through float64).
	assert.JSONEq(t, `{"y":{"id":12345678901234567891,"n":"\uFFFD"}}`, string(b.Unknown))
	assert.Contains(t, string(b.Unknown), "12345678901234567891")
	// A member that fails part way is left out whole (found by a fourth
	// review: a list kept its first element).
	b = body{}
	require.True(t, wire.UnmarshalLenient([]byte(`{"code":"C","errors":[{"P":"a"},{"P":5}]}`), &b))
	assert.Equal(t, "C", b.Code)
	assert.Empty(t, b.Errors)
	var m map[string]string
	require.True(t, wire.UnmarshalLenient([]byte("{\"a\":\"\xff\",\"d\":5}"), &m))
	assert.Equal(t, map[string]string{"a": "\uFFFD"}, m)
	assert.False(t, wire.UnmarshalLenient([]byte(`{"code":"C"}`), b), "not a pointer")
	for _, in := range []string{"", "Internal error", "[1,2]", "null", `{"code":`} {
		var b body
		assert.False(t, wire.UnmarshalLenient([]byte(in), &b), in)
	}
}
