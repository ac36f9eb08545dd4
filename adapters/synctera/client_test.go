package synctera_test

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
	"github.com/cardkit/cardkit/adapters/synctera"
)

// transport answers every request itself, without a network.
type transport func(*http.Request) (*http.Response, error)

func (f transport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answering is a client whose every call gets status and body.
func answering(t testing.TB, status int, body []byte) *synctera.Client {
	hc := &http.Client{Transport: transport(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/problem+json"}},
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
	})}
	c, err := synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret("sk_test")},
		httpapi.WithHTTPClient(hc), httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	require.NoError(t, err)
	return c
}

// syncteraErrors are Synctera's problem+json bodies (providers/synctera.md
// §7) and what the typed error keeps of each.
var syncteraErrors = []struct {
	name      string
	status    int
	body      string
	kind      error
	code      string
	field     string
	message   string
	retryable bool
}{
	{"type names the code, detail the fields", 400,
		`{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"missing required fields: first_name, dob"}`,
		httpapi.ErrInvalid, "BAD_REQUEST_BODY", "first_name", "Bad Request Body: missing required fields: first_name, dob", false},
	{"one field", 400, `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"invalid fields: emboss_name.line_1"}`,
		httpapi.ErrInvalid, "BAD_REQUEST_BODY", "emboss_name.line_1", "Bad Request Body: invalid fields: emboss_name.line_1", false},
	{"code wins over type", 422, `{"type":"https://dev.synctera.com/errors/conflict","title":"Conflict","status":422,"code":"IDEMPOTENCY_INVALID_REUSE"}`,
		httpapi.ErrInvalid, "IDEMPOTENCY_INVALID_REUSE", "", "Conflict", false},
	{"key in flight is retried", 422, `{"type":"https://dev.synctera.com/errors/conflict","title":"Conflict","status":422,"code":"IDEMPOTENCY_CONCURRENT_USE"}`,
		httpapi.ErrInvalid, "IDEMPOTENCY_CONCURRENT_USE", "", "Conflict", true},
	{"referenced resource missing", 400, `{"type":"https://dev.synctera.com/errors/not-found","title":"Not Found","status":400,"code":"CUSTOMER_NOT_FOUND","detail":"customer not found"}`,
		httpapi.ErrInvalid, "CUSTOMER_NOT_FOUND", "", "Not Found: customer not found", false},
	{"unknown id", 404, `{"type":"https://dev.synctera.com/errors/resource-not-found","title":"Resource Not Found","status":404}`,
		httpapi.ErrNotFound, "RESOURCE_NOT_FOUND", "", "Resource Not Found", false},
	{"rule violation", 422, `{"type":"https://dev.synctera.com/errors/rule-violation","title":"Rule Violation","status":422,"code":"INVALID_STATUS","detail":"the card is TERMINATED"}`,
		httpapi.ErrInvalid, "INVALID_STATUS", "", "Rule Violation: the card is TERMINATED", false},
	{"type without a path", 401, `{"type":"unauthenticated","title":"Unauthenticated","status":401}`,
		httpapi.ErrUnauthorized, "UNAUTHENTICATED", "", "Unauthenticated", false},
	{"members not documented are read past", 403, `{"type":"https://dev.synctera.com/errors/forbidden","title":"Forbidden","status":403,"instance":"/v0/cards/1","trace":"t"}`,
		httpapi.ErrUnauthorized, "FORBIDDEN", "", "Forbidden", false},
	{"rate limited", 429, `{"type":"https://dev.synctera.com/errors/too-many-requests","title":"Too Many Requests","status":429}`,
		httpapi.ErrRateLimited, "TOO_MANY_REQUESTS", "", "Too Many Requests", true},
	{"vendor timeout", 504, `{"type":"https://dev.synctera.com/errors/vendor-timeout","title":"Vendor Timeout","status":504,"code":"VENDOR_TIMEOUT"}`,
		httpapi.ErrUnavailable, "VENDOR_TIMEOUT", "", "Vendor Timeout", true},
	{"a number echoed is scrubbed everywhere", 400, `{"type":"https://dev.synctera.com/errors/bad-request-body","title":"Bad Request Body","status":400,"detail":"card 4111111111111111 invalid; fields: 4111111111111111, pan"}`,
		httpapi.ErrInvalid, "BAD_REQUEST_BODY", "[digits]", "Bad Request Body: card [digits] invalid; fields: [digits], pan", false},
	{"not problem+json", 500, `<html>Internal Server Error</html>`, httpapi.ErrUnavailable, "", "", "", true},
	{"empty", 502, ``, httpapi.ErrUnavailable, "", "", "", true},
}

// TestErrorBodyCodeAndField reads each error body into the typed error,
// whose ProviderCode and ProviderField the issuance service keeps.
func TestErrorBodyCodeAndField(t *testing.T) {
	for _, tt := range syncteraErrors {
		t.Run(tt.name, func(t *testing.T) {
			_, err := answering(t, tt.status, []byte(tt.body)).Card(context.Background(), "c-1")
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.ProviderCode())
			assert.Equal(t, tt.field, e.ProviderField())
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
	for _, tt := range syncteraErrors {
		f.Add(tt.status, []byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200
		_, err := answering(t, status, body).Card(context.Background(), "c-1")
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
