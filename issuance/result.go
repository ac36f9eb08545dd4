package issuance

import (
	"errors"
	"fmt"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/jsondoc"
	"github.com/cardkit/cardkit/storage"
)

// Kinds of final error a key record keeps.
const (
	errInvalid           = "invalid"
	errCannotReissue     = "cannot_reissue"
	errIllegalTransition = "illegal_transition"
	errNotFound          = "not_found"
	errProvider          = "provider"
	errSuperseded        = "superseded"
)

// storedError is a final error as a key record keeps it, enough to replay
// it as the same typed error.
type storedError struct {
	Kind       string            `json:"kind"`
	Message    string            `json:"message"`
	Op         string            `json:"op,omitempty"`
	Fields     []card.FieldError `json:"fields,omitempty"`
	Transition *transition       `json:"transition,omitempty"`
	Provider   string            `json:"provider,omitempty"`
	Code       string            `json:"code,omitempty"`
	Field      string            `json:"field,omitempty"`
	// Unsupported marks a provider error saying the provider lacks the call.
	Unsupported bool `json:"unsupported,omitempty"`
}

type transition struct {
	From   card.Status       `json:"from"`
	HeldBy card.Actor        `json:"held_by,omitzero"`
	To     card.Status       `json:"to"`
	Reason card.StatusReason `json:"reason,omitzero"`
	By     card.Actor        `json:"by,omitzero"`
	Why    string            `json:"why"`
}

// final reports whether err is an answer to the request that a retry would
// get again: a domain refusal, a missing card, a provider's final no.
func final(err error) bool {
	var pe *ProviderError
	if errors.As(err, &pe) {
		return !pe.Retryable
	}
	return errors.Is(err, card.ErrInvalid) || errors.Is(err, card.ErrCannotReissue) ||
		errors.Is(err, card.ErrIllegalTransition) || errors.Is(err, storage.ErrNotFound) || errors.Is(err, ErrSuperseded)
}

func storeError(err error) *storedError {
	var (
		ce *card.Error
		te *card.TransitionError
		pe *ProviderError
	)
	switch {
	case errors.As(err, &pe):
		return &storedError{Kind: errProvider, Message: pe.Message, Op: pe.Op, Provider: pe.Provider, Code: pe.Code, Field: pe.Field, Unsupported: pe.Unsupported}
	case errors.As(err, &te):
		return &storedError{Kind: errIllegalTransition, Message: te.Error(), Transition: &transition{
			From: te.From, HeldBy: te.HeldBy, To: te.To, Reason: te.Reason, By: te.By, Why: te.Why}}
	case errors.As(err, &ce):
		kind := errInvalid
		if errors.Is(ce, card.ErrCannotReissue) {
			kind = errCannotReissue
		}
		return &storedError{Kind: kind, Message: ce.Error(), Op: ce.Op, Fields: ce.Fields}
	case errors.Is(err, storage.ErrNotFound):
		return &storedError{Kind: errNotFound, Message: card.RedactNumbers(err.Error())}
	case errors.Is(err, ErrSuperseded):
		return &storedError{Kind: errSuperseded, Message: err.Error()}
	}
	return &storedError{Kind: errInvalid, Message: err.Error()}
}

// replay rebuilds what a completed call returned.
func replay(b []byte) ([]card.Card, error) {
	var r result
	if err := jsondoc.Decode(b, &r); err != nil {
		return nil, fmt.Errorf("issuance: a stored result does not decode: %w", err)
	}
	if r.Err == nil {
		if len(r.Cards) == 0 {
			return nil, errors.New("issuance: a stored result holds no card")
		}
		return r.Cards, nil
	}
	return nil, r.Err.err()
}

// err rebuilds the error e keeps, as the same typed error.
func (e *storedError) err() error {
	switch e.Kind {
	case errProvider:
		return &ProviderError{Provider: e.Provider, Op: e.Op, Code: e.Code, Field: e.Field, Message: e.Message, Unsupported: e.Unsupported}
	case errIllegalTransition:
		if t := e.Transition; t != nil {
			return &card.TransitionError{From: t.From, HeldBy: t.HeldBy, To: t.To, Reason: t.Reason, By: t.By, Why: t.Why}
		}
	case errNotFound:
		return kept{e.Message, storage.ErrNotFound}
	case errSuperseded:
		return kept{e.Message, ErrSuperseded}
	case errCannotReissue:
		return &card.Error{Op: e.Op, Kind: card.ErrCannotReissue, Fields: e.Fields}
	}
	return &card.Error{Op: e.Op, Kind: card.ErrInvalid, Fields: e.Fields}
}

// kept is a replayed sentinel error (storage.ErrNotFound, ErrSuperseded)
// with its first message.
type kept struct {
	msg string
	is  error
}

func (e kept) Error() string { return e.msg }
func (e kept) Unwrap() error { return e.is }
