package card_test

import (
	"testing"

	"github.com/cardkit/cardkit/card"
)

// The floors below do the same decision with a hand-made lookup table and no
// cardkit: the gap between a benchmark and its floor is what the listable,
// explainable rule tables cost.

var sink error

// BenchmarkCheckTransition checks a move that needs most of the table: the
// provider lifts a hold the program placed.
func BenchmarkCheckTransition(b *testing.B) {
	m := card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: card.ActorProvider}
	if card.CheckTransition(card.StatusSuspended, card.ActorProgram, m) != nil {
		b.Fatal("refused")
	}
	b.ReportAllocs()
	for b.Loop() {
		sink = card.CheckTransition(card.StatusSuspended, card.ActorProgram, m)
	}
}

// BenchmarkCheckTransitionFloor answers the same question from a
// precomputed [from][to] array of reason and actor bit sets.
func BenchmarkCheckTransitionFloor(b *testing.B) {
	type cell struct {
		reasons         uint64
		placers, actors uint8
	}
	var table [9][9][4]cell
	for _, r := range card.Transitions() {
		cells := &table[r.From][r.To]
		for i := range cells {
			if cells[i].actors == 0 {
				cells[i] = cell{uint64(r.Reasons), uint8(r.Placers), uint8(r.By)}
				break
			}
		}
	}
	from, placer, to, reason, by := card.StatusSuspended, card.ActorProgram, card.StatusActive, card.ReasonACT, card.ActorProvider
	ok := false
	b.ReportAllocs()
	for b.Loop() {
		ok = false
		for _, c := range table[from][to] {
			if c.placers&(1<<placer) != 0 && c.reasons&(1<<reason) != 0 && c.actors&(1<<by) != 0 {
				ok = true
				break
			}
		}
	}
	if !ok {
		b.Fatal("refused")
	}
}

func BenchmarkPlanReissue(b *testing.B) {
	old := activeCard(b)
	opts := card.ReissueOptions{NewExpiry: true}
	if _, err := card.PlanReissue(&old, card.ReissueReasonNameChange, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, sink = card.PlanReissue(&old, card.ReissueReasonNameChange, opts)
	}
}

// BenchmarkPlanReissueFloor makes the same decision from a hand-made array:
// status check, successor, keep and end.
func BenchmarkPlanReissueFloor(b *testing.B) {
	type rule struct {
		successor  card.ReissueReason
		keep, ends uint8
	}
	var rules [16]rule
	for _, r := range card.ReissueRules() {
		rules[r.Reason] = rule{r.Successor, uint8(r.Keep), uint8(r.OldEnds)}
	}
	old := activeCard(b)
	newExpiry := true
	var keepPAN, keepExpiry bool
	var ends uint8
	b.ReportAllocs()
	for b.Loop() {
		if old.Status != card.StatusActive && old.Status != card.StatusSuspended && old.Status != card.StatusUnactivated || old.Reissue.To != "" {
			b.Fatal("not reissuable")
		}
		r := rules[card.ReissueReasonNameChange]
		if r.successor != 0 {
			r = rules[r.successor]
		}
		keepPAN = r.keep != uint8(card.KeepNewPAN)
		keepExpiry = r.keep == uint8(card.KeepSamePANSameExpiry) && !newExpiry
		ends = r.ends
	}
	if !keepPAN || keepExpiry || ends == 0 {
		b.Fatal("wrong plan")
	}
}

func BenchmarkParsePAN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, sink = card.ParsePAN(visa16)
	}
}

func BenchmarkValidate(b *testing.B) {
	c := activeCard(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = c.Validate()
	}
	if sink != nil {
		b.Fatal(sink)
	}
}
