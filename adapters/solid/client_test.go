package solid_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/clienttest"
	"github.com/cardkit/cardkit/adapters/solid"
)

// answering is a client whose every call gets status and body.
func answering(t testing.TB, status int, body []byte) *solid.Client {
	hc := clienttest.HTTPClient(func(r *http.Request) *http.Response { return clienttest.Response(r, status, "application/json", body) })
	c, err := solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret("sd_test"), PersonID: "per-3ebfa3d2-5d36-411d-984a-9e3a328011c5"},
		httpapi.WithHTTPClient(hc), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	require.NoError(t, err)
	return c
}

// solidErrors are Solid's error bodies (providers/solid.md §5) and what
// the typed error keeps of each: the code, and the field sysMessage names
// before _missing or _invalid.
var solidErrors = []clienttest.ErrorBody{
	{Name: "the documented example", Status: 400, Body: `{"requestId":"req-1f3c","method":"GET","status":400,"code":"EC_PERSON_ID_HEADER_REQUIRED","message":"sd-person-id header is required","sysMessage":"personId_missing"}`, Kind: httpapi.ErrInvalid, Code: "EC_PERSON_ID_HEADER_REQUIRED", Field: "personId", RequestID: "req-1f3c", Message: "sd-person-id header is required"},
	{Name: "a field that is wrong", Status: 400, Body: `{"requestId":"req-2","method":"PATCH","status":400,"code":"EC_INVALID_CARD_DETAILS","message":"last4 or expiry do not match the card","sysMessage":"last4_invalid"}`, Kind: httpapi.ErrInvalid, Code: "EC_INVALID_CARD_DETAILS", Field: "last4", RequestID: "req-2", Message: "last4 or expiry do not match the card"},
	{Name: "a nested field", Status: 400, Body: `{"requestId":"req-3","method":"POST","status":400,"code":"EC_INVALID_REQUEST","message":"required: a physical card is shipped","sysMessage":"shipping.shippingAddress_invalid"}`, Kind: httpapi.ErrInvalid, Code: "EC_INVALID_REQUEST", Field: "shipping.shippingAddress", RequestID: "req-3", Message: "required: a physical card is shipped"},
	{Name: "sysMessage without a field", Status: 500, Body: `{"requestId":"req-4","method":"POST","status":500,"code":"EC_INTERNAL","message":"internal error","sysMessage":"internal_error"}`, Kind: httpapi.ErrUnavailable, Code: "EC_INTERNAL", RequestID: "req-4", Message: "internal error", Retryable: true},
	{Name: "reused key", Status: 409, Body: `{"requestId":"req-5","method":"POST","status":409,"code":"EC_IDEMPOTENCY_KEY_CONFLICT","message":"the idempotency key was used for another request","sysMessage":"idempotencyKey_invalid"}`, Kind: httpapi.ErrConflict, Code: "EC_IDEMPOTENCY_KEY_CONFLICT", Field: "idempotencyKey", RequestID: "req-5", Message: "the idempotency key was used for another request"},
	{Name: "bad key", Status: 401, Body: `{"requestId":"req-6","method":"GET","status":401,"code":"EC_UNAUTHORIZED","message":"a valid API key is required","sysMessage":"apiKey_invalid"}`, Kind: httpapi.ErrUnauthorized, Code: "EC_UNAUTHORIZED", Field: "apiKey", RequestID: "req-6", Message: "a valid API key is required"},
	{Name: "not found", Status: 404, Body: `{"requestId":"req-7","method":"GET","status":404,"code":"EC_CARD_NOT_FOUND","message":"card not found","sysMessage":"cardId_invalid"}`, Kind: httpapi.ErrNotFound, Code: "EC_CARD_NOT_FOUND", Field: "cardId", RequestID: "req-7", Message: "card not found"},
	{Name: "members not documented are read past", Status: 429, Body: `{"requestId":"req-8","status":429,"code":"EC_RATE_LIMITED","message":"slow down","extra":{"a":1}}`, Kind: httpapi.ErrRateLimited, Code: "EC_RATE_LIMITED", RequestID: "req-8", Message: "slow down", Retryable: true},
	{Name: "a number echoed is scrubbed", Status: 400, Body: `{"requestId":"req-9","status":400,"code":"EC_INVALID_REQUEST","message":"card 4111111111111111 is invalid","sysMessage":"4111111111111111_invalid"}`, Kind: httpapi.ErrInvalid, Code: "EC_INVALID_REQUEST", Field: "[redacted]", RequestID: "req-9", Message: "card [redacted] is invalid"},
	{Name: "not JSON", Status: 503, Body: `Service Unavailable`, Kind: httpapi.ErrUnavailable, Retryable: true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode and ProviderField the issuance service keeps.
func TestErrorBodyCodeAndField(t *testing.T) {
	clienttest.ErrorBodies(t, solidErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, status, body).Card(context.Background(), "crd-1")
		return err
	})
}

// FuzzErrorBody sends any body with any error status: the answer is always
// an *httpapi.Error of the status, and no run of digits that could be a
// card number reaches its text.
func FuzzErrorBody(f *testing.F) {
	clienttest.FuzzErrorBodies(f, solidErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, status, body).Card(context.Background(), "crd-1")
		return err
	})
}
