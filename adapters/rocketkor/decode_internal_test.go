package rocketkor

import (
	"testing"

	"github.com/cardkit/cardkit/adapters/httpapi"
)

// TestDecodeErrorOnceMessage: a body whose message and first error's
// message are the same says it once.
func TestDecodeErrorOnceMessage(t *testing.T) {
	for body, want := range map[string]string{
		`{"message":"required","errors":[{"path":"Idempotency-Key","message":"required"}]}`: "required",
		`{"message":"invalid","errors":[{"path":"card.expiry","message":"must be MM/YY"}]}`: "invalid: must be MM/YY",
	} {
		var e httpapi.Error
		decodeError(&e, nil, []byte(body))
		if e.Message != want {
			t.Errorf("%s: message %q, want %q", body, e.Message, want)
		}
	}
}
