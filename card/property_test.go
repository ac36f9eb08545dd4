package card_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

// fleet is the state of the lifecycle state machine: cards that are moved,
// activated and reissued at random, with what the invariants need to
// remember.
type fleet struct {
	cards   map[uuid.UUID]*card.Card
	order   []uuid.UUID // creation order, so draws are reproducible
	final   map[uuid.UUID]card.Card
	version map[uuid.UUID]int64
	now     time.Time
	// counts of what happened, for the summary
	moves, refused, reissues, activations int
}

func newFleet() *fleet {
	return &fleet{
		cards:   map[uuid.UUID]*card.Card{},
		final:   map[uuid.UUID]card.Card{},
		version: map[uuid.UUID]int64{},
		now:     time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	}
}

func (f *fleet) add(c card.Card) {
	f.cards[c.ID] = &c
	f.order = append(f.order, c.ID)
	f.version[c.ID] = c.Version
}

func (f *fleet) pick(t *rapid.T) *card.Card {
	if len(f.order) == 0 {
		t.Skip("no cards")
	}
	return f.cards[rapid.SampledFrom(f.order).Draw(t, "card")]
}

func (f *fleet) tick() time.Time {
	f.now = f.now.Add(time.Minute)
	return f.now
}

// move applies an arbitrary move: the table's verdict must be what
// Transition does, and a refused move changes nothing.
func (f *fleet) move(t *rapid.T) {
	c := f.pick(t)
	m := cardtest.Move().Draw(t, "move")
	before := c.Clone()
	allowed := card.CheckTransition(c.Status, c.HeldBy, m) == nil && !liftsElsewhere(c, m)
	err := c.Transition(m, f.tick())
	f.moves++
	switch {
	case allowed && err != nil:
		t.Fatalf("check allowed %v but Transition refused: %v", m, err)
	case !allowed && err == nil:
		t.Fatalf("check refused %v but Transition applied it", m)
	case err != nil:
		f.refused++
		if !errors.Is(err, card.ErrIllegalTransition) {
			t.Fatalf("refusal is not ErrIllegalTransition: %v", err)
		}
		if !equalCards(before, *c) {
			t.Fatalf("a refused move changed the card")
		}
	default:
		if c.Status != m.To || c.StatusReason != m.Reason || c.Version != before.Version+1 {
			t.Fatalf("move %v gave %v/%v v%d", m, c.Status, c.StatusReason, c.Version)
		}
	}
}

// liftsElsewhere reports whether m is the one move the table allows that
// Transition refuses: the holder or the program lifting a hold to the
// status the card was not in before it (see Card.ResumeStatus).
func liftsElsewhere(c *card.Card, m card.Move) bool {
	lift := c.Status == card.StatusSuspended && m.To != card.StatusSuspended && m.To.Issued() && m.By != card.ActorProvider
	return lift && m.To != c.ResumeStatus()
}

// legal applies a move drawn from the rows of the table that fit the card,
// so that lifecycles go deep; it must always be allowed.
func (f *fleet) legal(t *rapid.T) {
	c := f.pick(t)
	placer := card.ActorProvider // who counts as having placed the hold
	if c.HeldBy == card.ActorHolder || c.HeldBy == card.ActorProgram || c.Status != card.StatusSuspended {
		placer = c.HeldBy
		if placer == 0 {
			placer = card.ActorHolder
		}
	}
	var rows []card.Transition
	for _, r := range card.Transitions() {
		if r.From == c.Status && r.Placers.Has(placer) {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		t.Skip("final")
	}
	r := rapid.SampledFrom(rows).Draw(t, "row")
	m := card.Move{
		To:     r.To,
		Reason: rapid.SampledFrom(r.Reasons.List()).Draw(t, "reason"),
		By:     rapid.SampledFrom(r.By.List()).Draw(t, "by"),
	}
	if liftsElsewhere(c, m) {
		if err := c.Transition(m, f.tick()); err == nil {
			t.Fatalf("a hold lifted to %v, not to the card's resume status %v", m.To, c.ResumeStatus())
		}
		return
	}
	if err := c.Transition(m, f.tick()); err != nil {
		t.Fatalf("a move drawn from the table was refused: %v", err)
	}
	f.moves++
}

// issue brings a new card into the fleet, or lets the provider finish
// issuing one that is pending.
func (f *fleet) issue(t *rapid.T) {
	c := cardtest.CardIn(card.StatusPending, card.StatusUnactivated, card.StatusActive).Draw(t, "new card")
	if _, dup := f.cards[c.ID]; dup {
		t.Skip("id drawn twice")
	}
	f.add(c)
}

func (f *fleet) provide(t *rapid.T) {
	c := f.pick(t)
	if c.Status != card.StatusPending {
		t.Skip("not pending")
	}
	to := rapid.SampledFrom([]card.Status{card.StatusUnactivated, card.StatusActive}).Draw(t, "issued as")
	if err := c.Transition(card.Move{To: to, By: card.ActorProvider}, f.tick()); err != nil {
		t.Fatalf("the provider could not finish issuing: %v", err)
	}
	if to == card.StatusActive && c.Reissue.From != "" {
		// A replacement the provider issued active ends the old card where
		// the rule says so, as ActivateReplacement does for it.
		f.endReplaced(t, c, card.ActorProvider)
	}
}

// endReplaced runs ActivateReplacement for the replacement c and checks the
// old card ends exactly when the rule says it does.
func (f *fleet) endReplaced(t *rapid.T, c *card.Card, by card.Actor) {
	old, ok := f.cards[uuid.MustParse(c.Reissue.From)]
	if !ok {
		return // it replaced a card this fleet never had
	}
	wasFinal, wasActive := old.Status.Final(), c.Status == card.StatusActive
	before := old.Clone()
	err := card.ActivateReplacement(c, old, by, f.tick())
	if err != nil {
		if wasActive && !wasFinal {
			t.Fatalf("an active replacement could not end its old card: %v", err)
		}
		if !equalCards(before, *old) {
			t.Fatalf("a refused activation changed the old card")
		}
		return
	}
	f.activations++
	ends := c.Reissue.Reason.Rule().OldEnds == card.EndOnActivation
	if c.Status != card.StatusActive {
		t.Fatalf("replacement left %v", c.Status)
	}
	if ends && old.Status != card.StatusTerminated {
		t.Fatalf("activating a %v replacement left the old card %v", c.Reissue.Reason, old.Status)
	}
	if !ends && !wasFinal && old.Status == card.StatusTerminated {
		t.Fatalf("activation ended an old card the rule keeps")
	}
}

// reissue plans and carries out a reissue and checks it against the rule
// table, and checks that a deprecated reason plans exactly as its successor.
func (f *fleet) reissue(t *rapid.T) {
	old := f.pick(t)
	reason := cardtest.ReissueReason().Draw(t, "reason")
	opts := cardtest.ReissueOptions().Draw(t, "options")
	plan, err := card.PlanReissue(old, reason, opts)
	if err != nil {
		issuedAndFree := old.Status.Issued() && old.Reissue.To == ""
		if issuedAndFree {
			t.Fatalf("an issued, unreplaced card was refused: %v", err)
		}
		if !errors.Is(err, card.ErrCannotReissue) {
			t.Fatalf("refusal is not ErrCannotReissue: %v", err)
		}
		return
	}
	if old.Status.Final() || !old.Status.Issued() || old.Reissue.To != "" {
		t.Fatalf("reissue of a %v card (replaced by %q) was planned", old.Status, old.Reissue.To)
	}
	rule := reason.Rule()
	if s := rule.Successor; s != 0 {
		t.Fatalf("Rule of %v returned a deprecated row", reason)
	}
	if succ := reasonSuccessor(reason); succ != 0 {
		other, err := card.PlanReissue(old, succ, opts)
		if err != nil || other.Rule != plan.Rule || other.SamePAN != plan.SamePAN || other.SameExpiry != plan.SameExpiry {
			t.Fatalf("%v plans differently from %v", reason, succ)
		}
	}
	wantPAN := rule.Keep != card.KeepNewPAN && !opts.NewPAN
	wantExpiry := rule.Keep == card.KeepSamePANSameExpiry && !opts.NewPAN && !opts.NewExpiry
	if plan.SamePAN != wantPAN || plan.SameExpiry != wantExpiry {
		t.Fatalf("%v with %+v: plan keeps pan=%v expiry=%v", reason, opts, plan.SamePAN, plan.SameExpiry)
	}

	// Sometimes offer an id that would close a loop in the chain: the old
	// card's own, or its predecessor's. Reissue must refuse it.
	var id uuid.UUID
	switch rapid.IntRange(0, 5).Draw(t, "id choice") {
	case 0:
		id = old.ID
	case 1:
		if old.Reissue.From == "" {
			t.Skip("no predecessor")
		}
		id = uuid.MustParse(old.Reissue.From)
	default:
		id = uuid.UUID(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "new id"))
		if _, dup := f.cards[id]; dup || id == uuid.Nil {
			t.Skip("id drawn twice")
		}
	}
	statusBefore := old.Status
	before := old.Clone()
	n, err := card.Reissue(old, plan, id, f.tick())
	if id == old.ID || id.String() == old.Reissue.From {
		if err == nil {
			t.Fatalf("Reissue accepted an id that closes a loop")
		}
		if !equalCards(before, *old) {
			t.Fatalf("a refused reissue changed the old card")
		}
		return
	}
	if err != nil {
		t.Fatalf("planned reissue failed: %v", err)
	}
	f.reissues++
	if n.Reissue.Keep != plan.Keep() {
		t.Fatalf("the new card records keep %v, the plan said %v", n.Reissue.Keep, plan.Keep())
	}
	if n.PAN.Equal(old.PAN) != (wantPAN || old.PAN.IsZero()) {
		t.Fatalf("%v: new card same number = %v, rule says %v", reason, n.PAN.Equal(old.PAN), wantPAN)
	}
	if rule.OldEnds == card.EndImmediately && old.Status != card.StatusTerminated {
		t.Fatalf("%v: old card not ended at once", reason)
	}
	if rule.OldEnds == card.EndOnActivation && old.Status != statusBefore {
		t.Fatalf("%v: old card moved to %v before the new one was activated", reason, old.Status)
	}
	f.add(n)
}

// activate activates a card, through ActivateReplacement for the
// replacement of a reissue, and checks the old card ends as the rule says.
func (f *fleet) activate(t *rapid.T) {
	c := f.pick(t)
	by := cardtest.Actor().Draw(t, "by")
	if _, ok := f.cards[uuidOrNil(c.Reissue.From)]; !ok {
		_ = c.Activate(by, f.tick()) // the move test covers verdicts
		return
	}
	f.endReplaced(t, c, by)
}

// check is the invariant, run after every action.
func (f *fleet) check(t *rapid.T) {
	for _, id := range f.order {
		c := f.cards[id]
		if err := c.Validate(); err != nil {
			t.Fatalf("card %v became invalid: %v", id, err)
		}
		if c.Version < f.version[id] {
			t.Fatalf("version went down from %d to %d", f.version[id], c.Version)
		}
		f.version[id] = c.Version
		if frozen, ok := f.final[id]; ok {
			if c.Status != frozen.Status || c.StatusReason != frozen.StatusReason || c.Version != frozen.Version {
				t.Fatalf("a %v card left its final status", frozen.Status)
			}
		} else if c.Status.Final() {
			f.final[id] = c.Clone()
		}
		// The reissue chain has no cycle, and its links agree both ways.
		seen := map[string]bool{}
		for at := c; at.Reissue.From != ""; {
			if seen[at.Reissue.From] {
				t.Fatalf("reissue chain of %v has a cycle", id)
			}
			seen[at.Reissue.From] = true
			prev, ok := f.cards[uuidOrNil(at.Reissue.From)]
			if !ok {
				break
			}
			if prev.Reissue.To != at.ID.String() {
				t.Fatalf("%v replaced %v, which points to %q", at.ID, prev.ID, prev.Reissue.To)
			}
			at = prev
		}
	}
}

func TestLifecycleStateMachine(t *testing.T) {
	var total fleet
	rapid.Check(t, func(t *rapid.T) {
		f := newFleet()
		t.Repeat(map[string]func(*rapid.T){
			"issue":    f.issue,
			"provide":  f.provide,
			"move":     f.move,
			"legal":    f.legal,
			"reissue":  f.reissue,
			"activate": f.activate,
			"":         f.check,
		})
		total.moves += f.moves
		total.refused += f.refused
		total.reissues += f.reissues
		total.activations += f.activations
	})
	t.Logf("moves %d (refused %d), reissues %d, replacement activations %d",
		total.moves, total.refused, total.reissues, total.activations)
}

func uuidOrNil(s string) uuid.UUID {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil
	}
	return id
}

func reasonSuccessor(r card.ReissueReason) card.ReissueReason {
	for _, row := range card.ReissueRules() {
		if row.Reason == r {
			return row.Successor
		}
	}
	return 0
}

// equalCards compares two cards, PANs by value.
func equalCards(a, b card.Card) bool {
	if !a.PAN.Equal(b.PAN) {
		return false
	}
	a.PAN, b.PAN = card.PAN{}, card.PAN{}
	return a.ID == b.ID && a.Status == b.Status && a.StatusReason == b.StatusReason &&
		a.Memo == b.Memo && a.Version == b.Version && a.UpdatedAt.Equal(b.UpdatedAt) &&
		a.ActivatedAt.Equal(b.ActivatedAt) && a.Reissue == b.Reissue
}

// TestAdoptReissueProperties: for any valid card, in any status, linked
// or not, a replacement the provider made is recorded: ReplanReissue
// plans it, AdoptReissue returns the replacement Replacement makes and
// leaves old valid, changed exactly as reported; where PlanReissue would
// still allow the reissue, AdoptReissue is Reissue.
func TestAdoptReissueProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		old := cardtest.Card().Draw(t, "old")
		if rapid.Bool().Draw(t, "linked") && old.Reissue.To == "" {
			old.Reissue.To = uuid.NewString()
		}
		reason := cardtest.ReissueReason().Draw(t, "reason")
		opts := cardtest.ReissueOptions().Draw(t, "opts")
		newID := uuid.New()
		at := old.UpdatedAt.Add(time.Minute)

		plan, err := card.ReplanReissue(&old, reason, opts)
		if err != nil {
			t.Fatalf("replan of a valid card: %v", err)
		}
		before := old.Clone()
		n, changed, err := card.AdoptReissue(&old, plan, newID, at)
		if err != nil {
			t.Fatalf("adopt: %v", err)
		}
		if want := card.Replacement(&before, plan, newID, at); !reflectEqual(n, want) {
			t.Fatalf("adopt made %+v, Replacement %+v", n, want)
		}
		if err := old.Validate(); err != nil {
			t.Fatalf("old after adopt: %v", err)
		}
		switch {
		case !changed && !reflectEqual(old, before):
			t.Fatalf("not changed, but old changed")
		case changed && (old.Version != before.Version+1 || !old.UpdatedAt.Equal(at)):
			t.Fatalf("changed: version %d -> %d, updated %v", before.Version, old.Version, old.UpdatedAt)
		case before.Reissue.To != "" && old.Reissue.To != before.Reissue.To:
			t.Fatalf("a linked card's link changed: %q -> %q", before.Reissue.To, old.Reissue.To)
		case before.Reissue.To == "" && old.Reissue.To != newID.String():
			t.Fatalf("an unlinked card is not linked to its replacement: %q", old.Reissue.To)
		case before.Status.Final() && old.Status != before.Status:
			t.Fatalf("an ended card's status changed: %s -> %s", before.Status, old.Status)
		}

		fresh := before.Clone()
		if p, err := card.PlanReissue(&fresh, reason, opts); err == nil {
			if p != plan {
				t.Fatalf("replan %+v, plan %+v", plan, p)
			}
			want, err := card.Reissue(&fresh, p, newID, at)
			if err != nil {
				t.Fatalf("reissue: %v", err)
			}
			if !reflectEqual(want, n) || !reflectEqual(fresh, old) {
				t.Fatalf("adopt differs from Reissue where Reissue is allowed")
			}
		}
	})
}

func reflectEqual(a, b card.Card) bool { return reflect.DeepEqual(a, b) }
