package issuance

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
	"github.com/cardkit/cardkit/internal/jsondoc"
	"github.com/cardkit/cardkit/storage"
)

// TestResultEncodesAsJSONMarshal: a result is kept as json.Marshal writes
// it, whether its cards and order are written by hand or it holds an
// error.
func TestResultEncodesAsJSONMarshal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := anyResult().Draw(t, "result")
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.encode()
		if err != nil || string(got) != string(want) {
			t.Fatalf("encode: %s %v\njson.Marshal: %s", got, err, want)
		}
	})
}

// TestResultDecodesAsJSONUnmarshal: a kept result (and the progress inside
// a key record) is read as json.Unmarshal reads it, and replays as the
// cards or the typed error it keeps.
func TestResultDecodesAsJSONUnmarshal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := anyResult().Draw(t, "result")
		doc, err := r.encode()
		if err != nil {
			t.Fatal(err)
		}
		var want, got result
		if err := json.Unmarshal(doc, &want); err != nil {
			t.Fatal(err)
		}
		if err := jsondoc.Decode(doc, &got); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		require.Equal(t, want, got)

		cards, err := replay(doc)
		if r.Err != nil {
			require.Nil(t, cards)
			require.Equal(t, r.Err.err(), err)
			require.Equal(t, want.Err.err(), err)
			return
		}
		if len(r.Cards) == 0 {
			require.Error(t, err, "a result with neither cards nor an error")
			return
		}
		require.NoError(t, err)
		require.Equal(t, want.Cards, cards)
	})
	rapid.Check(t, func(t *rapid.T) {
		var pr progress
		pr.CardID = uuid.UUID(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "card"))
		pr.Called = rapid.Bool().Draw(t, "called")
		pr.Order = anyResult().Draw(t, "result").Order
		if rapid.Bool().Draw(t, "answered") {
			c := cardtest.Card().Draw(t, "remote")
			pr.Facts = &facts{Ref: "ref-1", Status: c.Status, Reason: c.StatusReason, BIN: c.BIN, LastFour: c.LastFour,
				PANLength: c.PANLength, Fingerprint: c.Fingerprint, Expiry: c.Expiry, Brand: c.Brand}
		}
		doc, err := json.Marshal(pr)
		if err != nil {
			t.Fatal(err)
		}
		var want, got progress
		require.NoError(t, json.Unmarshal(doc, &want))
		require.NoError(t, jsondoc.Decode(doc, &got))
		require.Equal(t, want, got)
	})
}

// anyResult is a result a call may keep: cards, or one of the final errors
// of each kind; and an order.
func anyResult() *rapid.Generator[result] {
	return rapid.Custom(func(t *rapid.T) result {
		r := result{Cards: rapid.SliceOfN(cardtest.Card(), 0, 3).Draw(t, "cards")}
		if rapid.IntRange(0, 2).Draw(t, "failed") == 0 {
			errs := []error{
				&card.Error{Op: "issuance.Issue", Kind: card.ErrInvalid, Fields: []card.FieldError{
					{Field: "shipping.address.postal_code", Code: card.CodeRequired, Message: "is required"}}},
				&card.Error{Op: "card.PlanReissue", Kind: card.ErrCannotReissue},
				&card.TransitionError{From: card.StatusSuspended, HeldBy: card.ActorProvider, To: card.StatusActive,
					Reason: card.ReasonNEW, By: card.ActorProgram, Why: "held by another"},
				&ProviderError{Provider: "sandbox", Op: "issue", Code: "declined", Field: "name_on_card", Message: "no", Unsupported: true},
				errors.Join(errors.New("card 1 gone"), storage.ErrNotFound),
				ErrSuperseded,
				errors.New("refused"),
			}
			r = result{Err: storeError(rapid.SampledFrom(errs).Draw(t, "error"))}
		}
		for range rapid.IntRange(0, 3).Draw(t, "orders") {
			var id uuid.UUID
			copy(id[:], rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "card"))
			if r.Order == nil {
				r.Order = map[uuid.UUID]int64{}
			}
			r.Order[id] = rapid.Int64().Draw(t, "order")
		}
		return r
	})
}
