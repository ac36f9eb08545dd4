package issuance

import (
	"context"
	"errors"

	"github.com/cardkit/cardkit/card"
)

// Provider is the issuing provider as the service calls it. It speaks only
// domain types, so that adapters implement it without importing this
// package.
//
// Every call carries an idempotency key, derived by the service from the
// caller's key: a call repeated with the same key must not have a second
// effect at the provider and must return what the first call returned.
//
// The card a call returns is the provider's view of it. The service takes
// from it only what the provider owns: its id (ProviderRefs[Name()]), the
// status and reason, the number (PAN, or BIN, last four and length), the
// expiry and the brand.
//
// An error that has a method Retryable() bool returning true (a timeout, a
// 5xx, a 429, a connection dropped after the request was sent) leaves the
// caller's key open for a retry; any other error is final, stored under the
// key and replayed. A context that ends is retryable. A retryable error
// that also has a method NotActed() bool returning true (a 429 or a 503,
// the provider did not take the call up; or no connection was made, so
// the request never left; never for a call that follows one the provider
// acted on, such as the read after a change) tells the service that this
// attempt did not act: unless an earlier attempt with the key may have, a
// retry is a new attempt, judged again. After any other, the provider may
// have acted, and a retry of Issue or Reissue finishes the call instead.
type Provider interface {
	// Name is the provider's name, the key of card.Card.ProviderRefs.
	Name() string
	// IssueCard orders c, which is PENDING, and returns it as issued.
	IssueCard(ctx context.Context, key string, c card.Card) (card.Card, error)
	// ChangeStatus asks the provider to make move m on c (activate,
	// suspend, resume, terminate) and returns c as the provider now has it.
	ChangeStatus(ctx context.Context, key string, c card.Card, m card.Move) (card.Card, error)
	// ReissueCard orders the replacement of old as plan says and returns
	// the new card. Where the plan ends the old card immediately the
	// provider ends it too.
	ReissueCard(ctx context.Context, key string, old card.Card, plan card.ReissuePlan) (card.Card, error)
}

// Sentinels; test with errors.Is.
var (
	// ErrKeyReused: the idempotency key was used before for another
	// request. Nothing was written.
	ErrKeyReused = errors.New("issuance: idempotency key reused for another request")
	// ErrKeyInUse: a call with the same key is still running. Retry later.
	ErrKeyInUse = errors.New("issuance: idempotency key in use by a call still running")
	// ErrProvider: the provider refused or failed the call; the
	// *ProviderError says whether a retry may succeed.
	ErrProvider = errors.New("issuance: provider call failed")
)

// ProviderError is a provider's failure as the service reports it.
type ProviderError struct {
	Provider string
	Op       string // "issue", "activate", "suspend", ..., "reissue"
	// Retryable is true when the same call with the same key may succeed
	// later; the key stays open. A final error is stored and replayed.
	Retryable bool
	// Code is the provider's own error code, when its error has a method
	// ProviderCode() string, cut and cleaned as Message is.
	Code string
	// Field is the path of the request field the provider named, when its
	// error has a method ProviderField() string, cut and cleaned as Message
	// is.
	Field string
	// Message is the provider's error text, cut to 500 characters, with
	// anything that could be a card number taken out.
	Message string
	// Unsupported is true when the provider has no call for the operation;
	// errors.Is(err, card.ErrUnsupported) then holds, on a replay too.
	Unsupported bool
	// Err is the client's error, for a retryable error only: a final one is
	// returned as it is kept and replayed, by Code and Message.
	Err error
}

// providerText is what is kept of a text from a provider's error (its
// message, code or field): a provider may echo a card number in any of
// them.
func providerText(s string) string {
	m := card.RedactNumbers(s)
	if r := []rune(m); len(r) > 500 {
		m = string(r[:500]) + "…"
	}
	return m
}

// Error says which provider call failed and how.
func (e *ProviderError) Error() string {
	kind := "final"
	if e.Retryable {
		kind = "retryable"
	}
	code := ""
	if e.Code != "" {
		code = " " + e.Code
	}
	return "issuance: " + e.Provider + " " + e.Op + " failed (" + kind + code + "): " + e.Message
}

// Unwrap returns ErrProvider, card.ErrUnsupported when the provider lacks
// the call, and the client's error when there is one.
func (e *ProviderError) Unwrap() []error {
	errs := []error{ErrProvider}
	if e.Unsupported {
		errs = append(errs, card.ErrUnsupported)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// retryable reports whether err says a retry may succeed.
func retryable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable()
}
