package synctera_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/clienttest"
	"github.com/cardkit/cardkit/adapters/synctera"
)

// answering is a client whose every call gets status and body.
func answering(t testing.TB, status int, body []byte) *synctera.Client {
	hc := clienttest.HTTPClient(func(r *http.Request) *http.Response {
		return clienttest.Response(r, status, "application/problem+json", body)
	})
	c, err := synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret("sk_test")},
		httpapi.WithHTTPClient(hc), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	require.NoError(t, err)
	return c
}

// syncteraErrors are Synctera's problem+json bodies (providers/synctera.md
// §7) and what the typed error keeps of each.
var syncteraErrors = []clienttest.ErrorBody{
	{Name: "type names the code, detail the fields", Status: 400, Body: `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"missing required fields: first_name, dob"}`, Kind: httpapi.ErrInvalid, Code: "BAD_REQUEST_BODY", Field: "first_name", Message: "Bad Request Body: missing required fields: first_name, dob"},
	{Name: "one field", Status: 400, Body: `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"invalid fields: emboss_name.line_1"}`, Kind: httpapi.ErrInvalid, Code: "BAD_REQUEST_BODY", Field: "emboss_name.line_1", Message: "Bad Request Body: invalid fields: emboss_name.line_1"},
	{Name: "code wins over type", Status: 422, Body: `{"type":"https://dev.synctera.com/errors/conflict","title":"Conflict","status":422,"code":"IDEMPOTENCY_INVALID_REUSE"}`, Kind: httpapi.ErrInvalid, Code: "IDEMPOTENCY_INVALID_REUSE", Message: "Conflict"},
	{Name: "key in flight is retried", Status: 422, Body: `{"type":"https://dev.synctera.com/errors/conflict","title":"Conflict","status":422,"code":"IDEMPOTENCY_CONCURRENT_USE"}`, Kind: httpapi.ErrInvalid, Code: "IDEMPOTENCY_CONCURRENT_USE", Message: "Conflict", Retryable: true},
	{Name: "referenced resource missing", Status: 400, Body: `{"type":"https://dev.synctera.com/errors/not-found","title":"Not Found","status":400,"code":"CUSTOMER_NOT_FOUND","detail":"customer not found"}`, Kind: httpapi.ErrInvalid, Code: "CUSTOMER_NOT_FOUND", Message: "Not Found: customer not found"},
	{Name: "unknown id", Status: 404, Body: `{"type":"https://dev.synctera.com/errors/resource-not-found","title":"Resource Not Found","status":404}`, Kind: httpapi.ErrNotFound, Code: "RESOURCE_NOT_FOUND", Message: "Resource Not Found"},
	{Name: "rule violation", Status: 422, Body: `{"type":"https://dev.synctera.com/errors/rule-violation","title":"Rule Violation","status":422,"code":"INVALID_STATUS","detail":"the card is TERMINATED"}`, Kind: httpapi.ErrInvalid, Code: "INVALID_STATUS", Message: "Rule Violation: the card is TERMINATED"},
	{Name: "type without a path", Status: 401, Body: `{"type":"unauthenticated","title":"Unauthenticated","status":401}`, Kind: httpapi.ErrUnauthorized, Code: "UNAUTHENTICATED", Message: "Unauthenticated"},
	{Name: "members not documented are read past", Status: 403, Body: `{"type":"https://dev.synctera.com/errors/forbidden","title":"Forbidden","status":403,"instance":"/v0/cards/1","trace":"t"}`, Kind: httpapi.ErrUnauthorized, Code: "FORBIDDEN", Message: "Forbidden"},
	{Name: "rate limited", Status: 429, Body: `{"type":"https://dev.synctera.com/errors/too-many-requests","title":"Too Many Requests","status":429}`, Kind: httpapi.ErrRateLimited, Code: "TOO_MANY_REQUESTS", Message: "Too Many Requests", Retryable: true},
	{Name: "vendor timeout", Status: 504, Body: `{"type":"https://dev.synctera.com/errors/vendor-timeout","title":"Vendor Timeout","status":504,"code":"VENDOR_TIMEOUT"}`, Kind: httpapi.ErrUnavailable, Code: "VENDOR_TIMEOUT", Message: "Vendor Timeout", Retryable: true},
	{Name: "a number echoed is scrubbed everywhere", Status: 400, Body: `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"card 4111111111111111 invalid; fields: 4111111111111111, pan"}`, Kind: httpapi.ErrInvalid, Code: "BAD_REQUEST_BODY", Field: "[redacted]", Message: "Bad Request Body: card [redacted] invalid; fields: [redacted], pan"},
	{Name: "a number in the type, written with hyphens, is scrubbed before they become underscores", Status: 400, Body: `{"type":"https://dev.synctera.com/errors/card-4539-5787-6362-1486","title":"Bad Request","status":400}`, Kind: httpapi.ErrInvalid, Code: "CARD_[REDACTED]", Message: "Bad Request"},
	{Name: "not problem+json", Status: 500, Body: `<html>Internal Server Error</html>`, Kind: httpapi.ErrUnavailable, Retryable: true},
	{Name: "empty", Status: 502, Body: ``, Kind: httpapi.ErrUnavailable, Retryable: true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode and ProviderField the issuance service keeps.
func TestErrorBodyCodeAndField(t *testing.T) {
	clienttest.ErrorBodies(t, syncteraErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, status, body).Card(context.Background(), "c-1")
		return err
	})
}

// FuzzErrorBody sends any body with any error status: the answer is always
// an *httpapi.Error of the status, and no run of digits that could be a
// card number reaches its text.
func FuzzErrorBody(f *testing.F) {
	clienttest.FuzzErrorBodies(f, syncteraErrors, func(t testing.TB, status int, body []byte) error {
		_, err := answering(t, status, body).Card(context.Background(), "c-1")
		return err
	})
}
