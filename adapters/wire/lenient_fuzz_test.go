package wire_test

import (
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters/wire"
)

// FuzzUnmarshalLenient reads any input without panicking, and leaves the
// fallback field empty or valid JSON.
func FuzzUnmarshalLenient(f *testing.F) {
	for _, seed := range []string{`{"code":"C","message":"m"}`, `{"code":7,"x":{"a":1,"a":2}}`, "{\"code\":\"A\xff\",\"y\":{\"id\":12345678901234567891}}", `[1]`, ``, `{"code":`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var b struct {
			Code    string               `json:"code"`
			Errors  []struct{ P string } `json:"errors"`
			Unknown jsontext.Value       `json:",embed"`
		}
		wire.UnmarshalLenient(in, &b)
		if len(b.Unknown) > 0 && !b.Unknown.IsValid() {
			t.Fatalf("fallback %q is no valid JSON", b.Unknown)
		}
	})
}
