package wire_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/internal/showtest"
)

// TestUnknownPrintsNoValue: the members a provider sent beyond its
// format are printed by path, never by value, whatever the verb.
func TestUnknownPrintsNoValue(t *testing.T) {
	u := wire.Unknown{"": jsontext.Value(`{"pan":"4539578763621486","4111111111111111":1}`)}
	type residue struct{ Unknown wire.Unknown }
	for _, v := range []any{u, residue{u}, &residue{u}} {
		for _, out := range showtest.Renderings(t, v) {
			assert.NotContains(t, out, "4539578763621486")
			assert.NotContains(t, out, "4111111111111111")
		}
	}
	assert.Contains(t, fmt.Sprint(u), "pan")
	b, err := json.Marshal(residue{u})
	require.NoError(t, err)
	assert.Equal(t, `{"Unknown":["[redacted]","pan"]}`, string(b), "the paths, as String lists them")
}

// TestRedactCopies: Redact redacts every kind of text a provider's struct
// holds, in a copy, and leaves the value it was given as it was.
func TestRedactCopies(t *testing.T) {
	const number = "4539578763621486"
	type inner struct{ Note string }
	type kept struct {
		Text  string
		Ptr   *string
		List  []string
		Map   map[string]string
		Raw   jsontext.Value
		In    *inner
		Ins   []inner
		Num   wire.Number
		Count int
	}
	n := number
	v := kept{Text: "id " + number, Ptr: &n, List: []string{number}, Map: map[string]string{number: number},
		Raw: jsontext.Value(`{"a":"45395787\u00363621486"}`), In: &inner{number}, Ins: []inner{{number}}, Num: wire.NewNumber(number), Count: 7}
	before := fmt.Sprintf("%#v %v %v %v %s %v %v", v, *v.Ptr, v.List, v.Map, v.Raw, *v.In, v.Ins)
	r := wire.Redact(v)
	assert.Equal(t, before, fmt.Sprintf("%#v %v %v %v %s %v %v", v, *v.Ptr, v.List, v.Map, v.Raw, *v.In, v.Ins), "v is as it was")
	got := fmt.Sprintf("%v %v %v %v %s %v %v %v", r.Text, *r.Ptr, r.List, r.Map, r.Raw, *r.In, r.Ins, r.Num)
	assert.NotContains(t, got, number)
	assert.Equal(t, "id [redacted]", r.Text)
	assert.JSONEq(t, `{"a":"[redacted]"}`, string(r.Raw))
	assert.Equal(t, 7, r.Count)
	assert.Equal(t, number, r.Num.Reveal(), "a Number masks itself when printed")
	assert.Equal(t, jsontext.Value(`"[redacted]"`), wire.Redact(kept{Raw: jsontext.Value(`{"a":`)}).Raw, "raw JSON that does not read")
	assert.Nil(t, wire.Redact(kept{}).Ptr)
}
