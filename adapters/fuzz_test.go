package adapters_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/card"
)

// FuzzTranslate feeds any input to Translate between any two formats, for
// any kind. It may refuse, with a *card.Error (card.ErrInvalid) that holds
// no card number and no output; what it writes in cardkit's format holds
// no card number either, but in a shipping tracking number, which is never
// judged (carriers' numbers are long digit runs).
func FuzzTranslate(f *testing.F) {
	formats := adapters.New().Formats()
	kinds := adapters.Kinds()
	for _, s := range samples(f) {
		for to := range formats {
			f.Add(s.data, uint8(indexOf(formats, s.format)), uint8(to), uint8(indexOf(kinds, s.kind)))
		}
	}
	neutral := uint8(indexOf(formats, adapters.Cardkit))
	f.Add([]byte(`{"schema_version":1,"kind":"card","card":{"label":"4242 4242 4242 4242","type":"DEBIT","form":"VIRTUAL","status":"ACTIVE"}}`), neutral, neutral, uint8(0))
	f.Add([]byte(`{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","emboss_name":{"line_1":"4242424242424242"}}`), uint8(indexOf(formats, adapters.Synctera)), neutral, uint8(0))
	f.Add([]byte(`{"card_status":"4242424242424242","type":"DEBIT","form":"VIRTUAL"}`), uint8(indexOf(formats, adapters.Synctera)), neutral, uint8(0))
	f.Fuzz(func(t *testing.T, in []byte, from, to, kind uint8) {
		src, dst := formats[int(from)%len(formats)], formats[int(to)%len(formats)]
		k := kinds[int(kind)%len(kinds)]
		res, err := adapters.Translate(src, dst, k, in)
		if err != nil {
			var ce *card.Error
			if !errors.As(err, &ce) || !errors.Is(err, card.ErrInvalid) {
				t.Fatalf("%s -> %s %s: %T %v, not a *card.Error", src, dst, k, err, err)
			}
			if len(res.Output) != 0 {
				t.Fatalf("%s -> %s %s: output beside an error", src, dst, k)
			}
			if card.HoldsCardNumber(err.Error()) {
				t.Fatalf("%s -> %s %s: the error holds a card number: %v", src, dst, k, err)
			}
			return
		}
		if dst != adapters.Cardkit {
			return
		}
		var d adapters.Document
		if err := json.Unmarshal(res.Output, &d); err != nil {
			t.Fatalf("%s -> cardkit %s: the output does not decode: %v", src, k, err)
		}
		if d.Card != nil && d.Card.Shipping != nil {
			d.Card.Shipping.TrackingNumber = ""
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if card.HoldsCardNumber(string(out)) {
			t.Fatalf("%s -> cardkit %s: the output holds a card number:\n%s", src, k, res.Output)
		}
	})
}

func indexOf[T comparable](s []T, v T) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	panic("not listed")
}
