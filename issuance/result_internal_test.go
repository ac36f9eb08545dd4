package issuance

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

// TestResultEncodesAsJSONMarshal: a result is kept as json.Marshal writes
// it, whether its cards and order are written by hand or it holds an
// error.
func TestResultEncodesAsJSONMarshal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := result{Cards: rapid.SliceOfN(cardtest.Card(), 0, 3).Draw(t, "cards")}
		if rapid.IntRange(0, 4).Draw(t, "failed") == 0 {
			r = result{Err: storeError(errors.Join(card.ErrInvalid, errors.New("refused")))}
		}
		for range rapid.IntRange(0, 3).Draw(t, "orders") {
			var id uuid.UUID
			copy(id[:], rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "card"))
			if r.Order == nil {
				r.Order = map[uuid.UUID]int64{}
			}
			r.Order[id] = rapid.Int64().Draw(t, "order")
		}
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
