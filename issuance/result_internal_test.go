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
// it, whether its cards are written by hand or it holds an error.
func TestResultEncodesAsJSONMarshal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := result{Cards: rapid.SliceOfN(cardtest.Card(), 0, 3).Draw(t, "cards")}
		if rapid.IntRange(0, 4).Draw(t, "failed") == 0 {
			r = result{Err: storeError(errors.Join(card.ErrInvalid, errors.New("refused")))}
		}
		if rapid.Bool().Draw(t, "ordered") {
			r.Order = map[uuid.UUID]int64{uuid.New(): rapid.Int64Min(1).Draw(t, "order")}
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
