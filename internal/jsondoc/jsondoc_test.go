package jsondoc_test

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/internal/jsondoc"
)

type doc struct {
	Name    string            `json:"name,omitempty"`
	LastTwo string            `json:"last_two"`
	Tags    map[string]string `json:"tags"`
	At      time.Time         `json:"at"`
	Next    *doc              `json:"next,omitempty"`
	List    []item            `json:"list"`
}

type item struct {
	A string `json:"a"`
	B string `json:"b"`
}

// TestDecodeAsEncodingJSON: what encoding/json reads, in documents it did
// not write too (names in another case, a repeated name, invalid UTF-8,
// nulls, times written loosely), Decode reads alike, into a value that is
// empty or already holds something. Stores' own tests check their types
// (storage/sqlite's TestDocsDecodeAsEncodingJSON, issuance's
// TestResultDecodesAsJSONUnmarshal).
func TestDecodeAsEncodingJSON(t *testing.T) {
	held := doc{Name: "held", LastTwo: "99", Tags: map[string]string{"h": "1"}, At: time.Unix(1, 0).UTC(),
		Next: &doc{Name: "next"}, List: []item{{A: "a0", B: "b0"}}}
	for _, in := range []string{
		`{"name":"a","last_two":"12","tags":{"k":"v"},"at":"2026-04-01T12:00:00.5+01:00","next":{"name":"b"},"list":[{"a":"1"},{"b":"2"}]}`,
		`{"NAME":"a","Last_Two":"12","LASTTWO":"34"}`,
		`{"name":"a","name":"b","tags":{"k":"1","k":"2"}}`,
		`{"name":"a","name":null,"list":[{"a":"1"}],"list":[{"b":"2"}]}`,
		"{\"name\":\"in\xffvalid\",\"last_two\":\"\\ud800\"}",
		`{"name":null,"tags":null,"at":null,"next":null,"list":null}`,
		`null`,
		`{"next":{"last_two":"5"},"tags":{"k":"v"},"list":[{"b":"2"}]}`,
		`{"at":"2026-04-01T1:00:00Z"}`,
		`{"at":"2026-04-01T12:00:00,5Z"}`,
		`{"unknown":{"deep":[1,{"x":null}]},"name":"a"}`,
	} {
		t.Run(in, func(t *testing.T) {
			var want, got doc
			require.NoError(t, json.Unmarshal([]byte(in), &want))
			require.NoError(t, jsondoc.Decode([]byte(in), &got))
			require.Equal(t, want, got)

			want, got = clone(held), clone(held)
			require.NoError(t, json.Unmarshal([]byte(in), &want))
			require.NoError(t, jsondoc.Decode([]byte(in), &got))
			require.Equal(t, want, got, "into a value that holds something")
		})
	}
	var v doc
	require.Error(t, jsondoc.Decode([]byte(`{"name":`), &v), "a cut document")
	require.Error(t, jsondoc.Decode([]byte(`{"list":"x"}`), &v), "a value of the wrong kind")
}

// clone is a deep copy of d, so that what one decode merges into is not
// seen by the other.
func clone(d doc) doc {
	d.Tags = maps.Clone(d.Tags)
	next := *d.Next
	d.Next = &next
	d.List = append([]item(nil), d.List...)
	return d
}
