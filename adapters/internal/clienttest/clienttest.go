// Package clienttest is what the tests of the providers' HTTP clients
// share: a transport that answers without a network, and the checks that
// every client reads its provider's error bodies and token responses into
// an *httpapi.Error without a card number in it. Only tests import it.
package clienttest

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
)

// Transport answers every request itself, without a network.
type Transport func(*http.Request) *http.Response

// RoundTrip implements http.RoundTripper.
func (f Transport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r), nil }

// HTTPClient is an *http.Client whose every request answer answers.
func HTTPClient(answer func(*http.Request) *http.Response) *http.Client {
	return &http.Client{Transport: Transport(answer)}
}

// Response answers r with status and body, of contentType.
func Response(r *http.Request, status int, contentType string, body []byte) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}
}

// ErrorBody is one of a provider's error bodies and what the typed error
// keeps of it.
type ErrorBody struct {
	Name      string
	Status    int
	Body      string
	Kind      error // what the error Is
	Code      string
	Field     string
	RequestID string
	Message   string
	Retryable bool
}

// Call makes one call of a client whose provider answers it with status and
// body (and a token call, where there is one, with a good token).
type Call func(t testing.TB, status int, body []byte) error

// ErrorBodies reads each body through call into the typed error, whose
// ProviderCode and ProviderField the issuance service keeps.
func ErrorBodies(t *testing.T, bodies []ErrorBody, call Call) {
	for _, tt := range bodies {
		t.Run(tt.Name, func(t *testing.T) {
			err := call(t, tt.Status, []byte(tt.Body))
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.Kind)
			assert.Equal(t, tt.Status, e.Status)
			assert.Equal(t, tt.Code, e.ProviderCode())
			assert.Equal(t, tt.Field, e.ProviderField())
			assert.Equal(t, tt.RequestID, e.RequestID)
			assert.Equal(t, tt.Message, e.Message)
			assert.Equal(t, tt.Retryable, e.Retryable())
			assert.False(t, HasCardNumber(err.Error()), "a run of digits in %q", err)
		})
	}
}

// FuzzErrorBodies sends any body with any error status, seeded with
// bodies: the answer is always an *httpapi.Error of the status, and no run
// of digits that could be a card number reaches its text.
func FuzzErrorBodies(f *testing.F, bodies []ErrorBody, call Call) {
	for _, tt := range bodies {
		f.Add(tt.Status, []byte(tt.Body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 400 + (status%200+200)%200
		err := call(t, status, body)
		var e *httpapi.Error
		if !errors.As(err, &e) || e.Status != status {
			t.Fatalf("status %d: %v, not an *httpapi.Error of the status", status, err)
		}
		if HasCardNumber(err.Error()) || HasCardNumber(e.Code) || HasCardNumber(e.Field) || HasCardNumber(e.RequestID) {
			t.Fatalf("a run of digits in %q", err.Error())
		}
	})
}

// TokenCall gets a card from a client whose token call is answered with
// status and body and whose card call is answered 404. It returns the
// Authorization header the card call carried, if it was made.
type TokenCall func(t testing.TB, status int, body []byte) (auth string, err error)

// FuzzTokenResponses answers the token call with any status and body (seed
// f first): the call that needed the token ends in an *httpapi.Error (the
// token call's, or, with a token, the card's 404), and a token read is sent
// as a bearer token.
func FuzzTokenResponses(f *testing.F, call TokenCall) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 200 + (status%400+400)%400
		auth, err := call(t, status, body)
		var e *httpapi.Error
		if !errors.As(err, &e) {
			t.Fatalf("%v: not an *httpapi.Error", err)
		}
		switch e.Op {
		case "token":
		case "get":
			if e.Status != http.StatusNotFound || !strings.HasPrefix(auth, "Bearer ") || len(auth) == len("Bearer ") {
				t.Fatalf("the card call: %v with Authorization %q", err, auth)
			}
		default:
			t.Fatalf("op %q: %v", e.Op, err)
		}
		if HasCardNumber(err.Error()) {
			t.Fatalf("a run of digits in %q", err.Error())
		}
	})
}

// cardNumber is what could be a card number: 11 or more digits, single
// spaces or hyphens between them allowed. A regular expression, not
// card.HasNumber, so that the check does not share the code it checks.
var cardNumber = regexp.MustCompile(`[0-9](?:[ -]?[0-9]){10,}`)

// HasCardNumber reports whether s holds what could be a card number.
func HasCardNumber(s string) bool { return cardNumber.MatchString(s) }
