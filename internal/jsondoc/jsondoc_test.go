package jsondoc_test

import (
	"encoding/json"
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
	List    []int             `json:"list"`
}

// TestDecodeAsEncodingJSON: what encoding/json reads, in documents it did
// not write too (names in another case, a repeated name, invalid UTF-8,
// nulls), Decode reads alike. Stores' own tests check their types
// (storage/sqlite's TestDocsDecodeAsEncodingJSON, issuance's
// TestResultDecodesAsJSONUnmarshal).
func TestDecodeAsEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"name":"a","last_two":"12","tags":{"k":"v"},"at":"2026-04-01T12:00:00.5+01:00","next":{"name":"b"},"list":[1,2]}`,
		`{"NAME":"a","Last_Two":"12","LASTTWO":"34"}`,
		`{"name":"a","name":"b","tags":{"k":"1","k":"2"}}`,
		"{\"name\":\"in\xffvalid\",\"last_two\":\"\\ud800\"}",
		`{"name":null,"tags":null,"at":null,"next":null,"list":null}`,
		`{"unknown":{"deep":[1,{"x":null}]},"name":"a"}`,
	} {
		t.Run(in, func(t *testing.T) {
			var want, got doc
			require.NoError(t, json.Unmarshal([]byte(in), &want))
			require.NoError(t, jsondoc.Decode([]byte(in), &got))
			require.Equal(t, want, got)
		})
	}
	var v doc
	require.Error(t, jsondoc.Decode([]byte(`{"name":`), &v), "a cut document")
	require.Error(t, jsondoc.Decode([]byte(`{"list":"x"}`), &v), "a value of the wrong kind")
}
