package cardtest_test

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

func TestGeneratedCardsAreValid(t *testing.T) {
	seen := map[card.Status]bool{}
	rapid.Check(t, func(t *rapid.T) {
		c := cardtest.Card().Draw(t, "card")
		if err := c.Validate(); err != nil {
			t.Fatalf("invalid card: %v", err)
		}
		seen[c.Status] = true
	})
	for _, s := range card.StatusValues() {
		if !seen[s] {
			t.Errorf("no card generated in %v", s)
		}
	}
}

func TestCardInKeepsToStatuses(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := cardtest.CardIn(card.StatusSuspended).Draw(t, "card")
		if c.Status != card.StatusSuspended || c.StatusReason == 0 {
			t.Fatalf("got %v/%v", c.Status, c.StatusReason)
		}
		// A hold the lifecycle table lets its placer place: a property
		// test of who may lift it sees no state it could never meet.
		placer := c.HeldBy
		if placer == 0 {
			placer = card.ActorProvider
		}
		if !card.StatusSuspended.ReasonsBy(placer).Has(c.StatusReason) {
			t.Fatalf("a hold placed by %v with reason %v, which no move allows it", placer, c.StatusReason)
		}
	})
}

// TestCardsAlreadyReplaced: some generated cards were already replaced, so
// that a property test meets PlanReissue's refusal of them.
func TestCardsAlreadyReplaced(t *testing.T) {
	replaced := 0
	for seed := range 500 {
		c := cardtest.Card().Example(seed)
		if c.Reissue.To != "" {
			replaced++
			if c.Reissue.To == c.ID.String() || c.Reissue.To == c.Reissue.From {
				t.Fatalf("seed %d: replaced by itself or by the card it replaced: %+v", seed, c.Reissue)
			}
		}
	}
	if replaced == 0 {
		t.Fatal("no generated card was already replaced")
	}
}

func TestPANGenerator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bin := rapid.StringMatching(`[0-9]{6,8}`).Draw(t, "bin")
		p := cardtest.PAN(bin).Draw(t, "pan")
		digits := p.RevealDigits()
		if !strings.HasPrefix(digits, bin) {
			t.Fatalf("%s does not start with %s", p, bin)
		}
		if _, err := card.ParsePAN(digits); err != nil {
			t.Fatalf("generated an invalid number: %v", err)
		}
		// Changing any one digit breaks the check digit.
		i := rapid.IntRange(0, len(digits)-1).Draw(t, "position")
		d := rapid.IntRange(1, 9).Draw(t, "shift")
		b := []byte(digits)
		b[i] = '0' + (b[i]-'0'+byte(d))%10
		if _, err := card.ParsePAN(string(b)); err == nil {
			t.Fatalf("a changed digit still passes Luhn")
		}
	})
}

func TestActionsCoverEveryKind(t *testing.T) {
	seen := map[cardtest.ActionKind]bool{}
	rapid.Check(t, func(t *rapid.T) {
		for _, a := range cardtest.Actions(1, 10).Draw(t, "actions") {
			seen[a.Kind] = true
			if a.String() == "" {
				t.Fatal("empty description")
			}
		}
	})
	for _, k := range []cardtest.ActionKind{cardtest.ActionMove, cardtest.ActionActivate, cardtest.ActionReissue} {
		if !seen[k] {
			t.Errorf("no action of kind %d", k)
		}
	}
}

// myPolicy is the policy of example_test.go, checked here with rapid.Check
// as the package documentation shows.
func TestReissuePolicy(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		old := cardtest.Card().Draw(t, "card")
		reason := cardtest.ReissueReason().Draw(t, "reason")
		plan, err := card.PlanReissue(&old, reason, myPolicy(old, reason))
		if err != nil {
			t.Skip("not reissuable:", err)
		}
		if old.Form == card.FormVirtual && plan.SamePAN {
			t.Fatalf("%v: a virtual card kept its number", reason)
		}
		if reason.Rule().OldEnds == card.EndImmediately && plan.SamePAN {
			t.Fatalf("%v keeps the number of a card that ends now", reason)
		}
	})
}

// TestCardInWithoutStatuses: no status given means any, not a panic at the
// first draw.
func TestCardInWithoutStatuses(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		if c := cardtest.CardIn().Draw(t, "card"); !c.Status.Valid() {
			t.Fatalf("status %v", c.Status)
		}
	})
}
