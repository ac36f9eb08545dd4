package solid_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/solid"
)

// transport answers every request itself, without a network.
type transport func(*http.Request) (*http.Response, error)

func (f transport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answering is a client whose every call gets status and body.
func answering(t testing.TB, status int, body []byte) *solid.Client {
	hc := &http.Client{Transport: transport(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
	})}
	c, err := solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret("sd_test"), PersonID: "per-3ebfa3d2-5d36-411d-984a-9e3a328011c5"},
		httpapi.WithHTTPClient(hc), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	require.NoError(t, err)
	return c
}

// solidErrors are Solid's error bodies (providers/solid.md §5) and what
// the typed error keeps of each: the code, and the field sysMessage names
// before _missing or _invalid.
var solidErrors = []struct {
	name      string
	status    int
	body      string
	kind      error
	code      string
	field     string
	requestID string
	message   string
	retryable bool
}{
	{"the documented example", 400, `{"requestId":"req-1f3c","method":"GET","status":400,"code":"EC_PERSON_ID_HEADER_REQUIRED","message":"sd-person-id header is required","sysMessage":"personId_missing"}`,
		httpapi.ErrInvalid, "EC_PERSON_ID_HEADER_REQUIRED", "personId", "req-1f3c", "sd-person-id header is required", false},
	{"a field that is wrong", 400, `{"requestId":"req-2","method":"PATCH","status":400,"code":"EC_INVALID_CARD_DETAILS","message":"last4 or expiry do not match the card","sysMessage":"last4_invalid"}`,
		httpapi.ErrInvalid, "EC_INVALID_CARD_DETAILS", "last4", "req-2", "last4 or expiry do not match the card", false},
	{"a nested field", 400, `{"requestId":"req-3","method":"POST","status":400,"code":"EC_INVALID_REQUEST","message":"required: a physical card is shipped","sysMessage":"shipping.shippingAddress_invalid"}`,
		httpapi.ErrInvalid, "EC_INVALID_REQUEST", "shipping.shippingAddress", "req-3", "required: a physical card is shipped", false},
	{"sysMessage without a field", 500, `{"requestId":"req-4","method":"POST","status":500,"code":"EC_INTERNAL","message":"internal error","sysMessage":"internal_error"}`,
		httpapi.ErrUnavailable, "EC_INTERNAL", "", "req-4", "internal error", true},
	{"reused key", 409, `{"requestId":"req-5","method":"POST","status":409,"code":"EC_IDEMPOTENCY_KEY_CONFLICT","message":"the idempotency key was used for another request","sysMessage":"idempotencyKey_invalid"}`,
		httpapi.ErrConflict, "EC_IDEMPOTENCY_KEY_CONFLICT", "idempotencyKey", "req-5", "the idempotency key was used for another request", false},
	{"bad key", 401, `{"requestId":"req-6","method":"GET","status":401,"code":"EC_UNAUTHORIZED","message":"a valid API key is required","sysMessage":"apiKey_invalid"}`,
		httpapi.ErrUnauthorized, "EC_UNAUTHORIZED", "apiKey", "req-6", "a valid API key is required", false},
	{"not found", 404, `{"requestId":"req-7","method":"GET","status":404,"code":"EC_CARD_NOT_FOUND","message":"card not found","sysMessage":"cardId_invalid"}`,
		httpapi.ErrNotFound, "EC_CARD_NOT_FOUND", "cardId", "req-7", "card not found", false},
	{"members not documented are read past", 429, `{"requestId":"req-8","status":429,"code":"EC_RATE_LIMITED","message":"slow down","extra":{"a":1}}`,
		httpapi.ErrRateLimited, "EC_RATE_LIMITED", "", "req-8", "slow down", true},
	{"a number echoed is scrubbed", 400, `{"requestId":"req-9","status":400,"code":"EC_INVALID_REQUEST","message":"card 4111111111111111 is invalid","sysMessage":"4111111111111111_invalid"}`,
		httpapi.ErrInvalid, "EC_INVALID_REQUEST", "[digits]", "req-9", "card [digits] is invalid", false},
	{"not JSON", 503, `Service Unavailable`, httpapi.ErrUnavailable, "", "", "", "", true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode and ProviderField the issuance service keeps.
func TestErrorBodyCodeAndField(t *testing.T) {
	for _, tt := range solidErrors {
		t.Run(tt.name, func(t *testing.T) {
			_, err := answering(t, tt.status, []byte(tt.body)).Card(context.Background(), "crd-1")
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.ProviderCode())
			assert.Equal(t, tt.field, e.ProviderField())
			assert.Equal(t, tt.requestID, e.RequestID)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.retryable, e.Retryable())
			assert.NotContains(t, err.Error(), "4111111111111111")
		})
	}
}

// FuzzErrorBody sends any body with any error status: the answer is always
// an *httpapi.Error of the status, and no run of digits that could be a
// card number reaches its text.
func FuzzErrorBody(f *testing.F) {
	for _, tt := range solidErrors {
		f.Add(tt.status, []byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200
		_, err := answering(t, status, body).Card(context.Background(), "crd-1")
		var e *httpapi.Error
		if !errors.As(err, &e) || e.Status != status {
			t.Fatalf("status %d: %v, not an *httpapi.Error of the status", status, err)
		}
		if hasCardNumber(err.Error()) || hasCardNumber(e.Code) || hasCardNumber(e.Field) || hasCardNumber(e.RequestID) {
			t.Fatalf("a run of digits in %q", err.Error())
		}
	})
}

// hasCardNumber reports whether s holds a run of 11 or more digits.
func hasCardNumber(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run >= 11 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}
