package card_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

const (
	holder   = card.ActorHolder
	program  = card.ActorProgram
	provider = card.ActorProvider
	system   = card.ActorSystem
)

func TestCheckTransition(t *testing.T) {
	tests := []struct {
		name   string
		from   card.Status
		heldBy card.Actor
		move   card.Move
		why    string // "" when allowed
		wantOK bool
	}{
		{name: "provider issues a virtual card active", from: card.StatusPending,
			move: card.Move{To: card.StatusActive, By: provider}, wantOK: true},
		{name: "provider ships a physical card inactive", from: card.StatusPending,
			move: card.Move{To: card.StatusUnactivated, Reason: card.ReasonISS, By: provider}, wantOK: true},
		{name: "program cannot decide issuance", from: card.StatusPending,
			move: card.Move{To: card.StatusActive, By: program}, why: "PROGRAM may not make this move with this reason"},
		{name: "issuance fails for KYC", from: card.StatusPending,
			move: card.Move{To: card.StatusRejected, Reason: card.ReasonKYC, By: provider}, wantOK: true},
		{name: "holder activates", from: card.StatusUnactivated,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: holder}, wantOK: true},
		{name: "provider reports an activation without a reason", from: card.StatusUnactivated,
			move: card.Move{To: card.StatusActive, By: provider}, wantOK: true},
		{name: "holder activates without a reason", from: card.StatusUnactivated,
			move: card.Move{To: card.StatusActive, By: holder}, why: "HOLDER may not make this move with this reason"},
		{name: "activation needs an activation reason", from: card.StatusUnactivated,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonFRD, By: holder}, why: "reason not allowed for this move"},
		{name: "holder freezes their card", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: holder}, wantOK: true},
		{name: "holder reports it lost", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonLOS, By: holder}, wantOK: true},
		{name: "holder cannot place a fraud hold", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonFRD, By: holder}, why: "HOLDER may not make this move with this reason"},
		{name: "program places a fraud hold", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonSUS, By: program}, wantOK: true},
		{name: "holder lifts their own freeze", from: card.StatusSuspended, heldBy: holder,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonREQ, By: holder}, wantOK: true},
		{name: "holder lifts the lost hold they placed", from: card.StatusSuspended, heldBy: holder,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonREQ, By: holder}, wantOK: true},
		{name: "holder cannot lift the program's hold", from: card.StatusSuspended, heldBy: program,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonREQ, By: holder}, why: "only PROGRAM|PROVIDER may lift a hold placed by PROGRAM"},
		{name: "program lifts its own fraud hold", from: card.StatusSuspended, heldBy: program,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: program}, wantOK: true},
		{name: "program lifts the holder's hold", from: card.StatusSuspended, heldBy: holder,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: program}, wantOK: true},
		{name: "only the provider lifts its own hold", from: card.StatusSuspended, heldBy: provider,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: program}, why: "only PROVIDER may lift a hold placed by PROVIDER"},
		{name: "a hold of unknown origin counts as the provider's", from: card.StatusSuspended,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: program}, why: "only PROVIDER may lift a hold placed by PROVIDER"},
		{name: "provider lifts a hold without a reason", from: card.StatusSuspended, heldBy: provider,
			move: card.Move{To: card.StatusActive, By: provider}, wantOK: true},
		{name: "provider reports a lifted hold as an activation", from: card.StatusSuspended,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: provider}, wantOK: true},
		{name: "holder cannot turn the provider's hold into a freeze", from: card.StatusSuspended, heldBy: provider,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: holder}, why: "only PROVIDER may lift a hold placed by PROVIDER"},
		{name: "a freeze escalates to a fraud hold", from: card.StatusSuspended, heldBy: holder,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonSUS, By: program}, wantOK: true},
		{name: "a card held before activation resumes unactivated", from: card.StatusSuspended, heldBy: holder,
			move: card.Move{To: card.StatusUnactivated, Reason: card.ReasonINF, By: program}, wantOK: true},
		{name: "holder closes their card", from: card.StatusActive,
			move: card.Move{To: card.StatusTerminated, Reason: card.ReasonREQ, By: holder}, wantOK: true},
		{name: "program blocks for fraud", from: card.StatusSuspended, heldBy: provider,
			move: card.Move{To: card.StatusTerminated, Reason: card.ReasonFRD, By: program}, wantOK: true},
		{name: "provider terminates without a reason", from: card.StatusActive,
			move: card.Move{To: card.StatusTerminated, By: provider}, wantOK: true},
		{name: "program terminates with a reason only", from: card.StatusActive,
			move: card.Move{To: card.StatusTerminated, By: program}, why: "PROGRAM may not make this move with this reason"},
		{name: "system ends a replaced card", from: card.StatusActive,
			move: card.Move{To: card.StatusTerminated, Reason: card.ReasonEXP, By: system}, wantOK: true},
		{name: "system cannot suspend", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: system}, why: "SYSTEM may not make this move with this reason"},
		{name: "terminated is final", from: card.StatusTerminated,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: provider}, why: "TERMINATED is final"},
		{name: "rejected is final", from: card.StatusRejected,
			move: card.Move{To: card.StatusPending, By: provider}, why: "REJECTED is final"},
		{name: "no way back to pending", from: card.StatusActive,
			move: card.Move{To: card.StatusPending, By: provider}, why: "no move from ACTIVE to PENDING"},
		{name: "active cannot be activated again", from: card.StatusActive,
			move: card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: holder}, why: "no move from ACTIVE to ACTIVE"},
		{name: "unknown status", from: card.Status(42),
			move: card.Move{To: card.StatusActive, By: provider}, why: "unknown current status"},
		{name: "unknown target", from: card.StatusActive,
			move: card.Move{To: card.Status(42), By: provider}, why: "unknown target status"},
		{name: "no actor", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ}, why: "unknown actor"},
		{name: "unknown reason", from: card.StatusActive,
			move: card.Move{To: card.StatusSuspended, Reason: card.StatusReason(99), By: holder}, why: "unknown reason"},
		{name: "image approved", from: card.StatusImagePending,
			move: card.Move{To: card.StatusUnactivated, By: provider}, wantOK: true},
		{name: "image rejected, resubmitted", from: card.StatusImageRejected,
			move: card.Move{To: card.StatusImagePending, Reason: card.ReasonREQ, By: program}, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := card.CheckTransition(tt.from, tt.heldBy, tt.move)
			if tt.wantOK {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, card.ErrIllegalTransition)
			var te *card.TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.from, te.From)
			assert.Equal(t, tt.heldBy, te.HeldBy)
			assert.Equal(t, tt.move.To, te.To)
			assert.Equal(t, tt.move.Reason, te.Reason)
			assert.Equal(t, tt.move.By, te.By)
			assert.Equal(t, tt.why, te.Why)
			assert.Contains(t, err.Error(), tt.from.String())
		})
	}
}

func TestTransitionErrorText(t *testing.T) {
	err := card.CheckTransition(card.StatusSuspended, card.ActorProvider,
		card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: card.ActorHolder})
	assert.EqualError(t, err, "card: illegal transition SUSPENDED (held by PROVIDER) -> ACTIVE (reason ACT, by HOLDER): only PROVIDER may lift a hold placed by PROVIDER")
	err = card.CheckTransition(card.StatusActive, 0, card.Move{To: card.StatusPending})
	assert.EqualError(t, err, "card: illegal transition ACTIVE -> PENDING (reason none, by nobody): unknown actor")
}

// TestTableShape checks the table itself: every row names valid statuses,
// reasons and actors, no row leaves a final status, and every status but the
// final ones has a way out.
func TestTableShape(t *testing.T) {
	rows := card.Transitions()
	require.NotEmpty(t, rows)
	for i, r := range rows {
		assert.NotZero(t, r.From, "row %d", i)
		assert.NotZero(t, r.To, "row %d", i)
		assert.NotZero(t, r.Reasons, "row %d allows no reason", i)
		assert.NotZero(t, r.Placers, "row %d", i)
		if r.From != card.StatusSuspended {
			assert.True(t, r.Placers.Has(card.ActorHolder) && r.Placers.Has(card.ActorProgram) && r.Placers.Has(card.ActorProvider),
				"row %d: only a hold has a placer", i)
		}
		assert.NotEmpty(t, r.By.List(), "row %d allows no actor", i)
		assert.False(t, r.From.Final(), "row %d leaves a final status", i)
		for _, reason := range r.Reasons.List() {
			if reason != 0 {
				assert.NotEmpty(t, reason.Doc())
			}
		}
	}
	var finals []card.Status
	for _, s := range card.StatusValues() {
		if s.Final() {
			finals = append(finals, s)
		}
	}
	assert.Equal(t, []card.Status{card.StatusRejected, card.StatusTerminated}, finals)

	// Listing returns a copy: changing it does not change the rules.
	rows[0].By = 0
	assert.NotZero(t, card.Transitions()[0].By)
}

// TestProviderMovesFitTheTable walks the moves between OffBlocks' documented
// statuses, as the neutral pairs a provider's statuses become (no reason
// where OffBlocks gives none), through the table.
func TestProviderMovesFitTheTable(t *testing.T) {
	type pair struct {
		s card.Status
		r card.StatusReason
	}
	offblocks := map[string]pair{
		"issuing": {card.StatusPending, 0}, "issue_failed": {card.StatusRejected, 0},
		"active": {card.StatusActive, 0}, "inactive": {card.StatusSuspended, card.ReasonREQ},
		"suspended": {card.StatusSuspended, card.ReasonSUS}, "blocked": {card.StatusTerminated, card.ReasonFRD},
		"terminated": {card.StatusTerminated, 0},
	}
	for _, m := range []struct {
		from, to string
		heldBy   card.Actor // who placed the hold the card is in
		by       card.Actor
	}{
		{"issuing", "active", 0, provider}, {"issuing", "issue_failed", 0, provider},
		{"active", "inactive", 0, program}, {"active", "suspended", 0, provider},
		{"active", "blocked", 0, provider}, {"active", "terminated", 0, provider},
		{"inactive", "active", program, provider}, {"suspended", "active", provider, provider},
		{"suspended", "blocked", provider, provider},
	} {
		from, to := offblocks[m.from], offblocks[m.to]
		err := card.CheckTransition(from.s, m.heldBy, card.Move{To: to.s, Reason: to.r, By: m.by})
		assert.NoError(t, err, "%s -> %s", m.from, m.to)
	}
	// OffBlocks' own suspension is cleared only by OffBlocks.
	err := card.CheckTransition(card.StatusSuspended, card.ActorProvider,
		card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: program})
	assert.ErrorIs(t, err, card.ErrIllegalTransition)
}

func TestCardTransition(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := card.Card{Status: card.StatusUnactivated, Version: 3}

	require.NoError(t, c.Activate(holder, t0))
	assert.Equal(t, card.StatusActive, c.Status)
	assert.Equal(t, card.ReasonNEW, c.StatusReason)
	assert.Equal(t, t0, c.ActivatedAt)
	assert.Equal(t, t0, c.UpdatedAt)
	assert.Equal(t, int64(4), c.Version)

	t1 := t0.Add(time.Hour)
	require.NoError(t, c.Transition(card.Move{To: card.StatusSuspended, Reason: card.ReasonLOS, By: holder, Memo: "left it on the bus"}, t1))
	assert.Equal(t, "left it on the bus", c.Memo)
	assert.Equal(t, holder, c.HeldBy)
	require.NoError(t, c.Suspend(card.ReasonSUS, program, t1))
	assert.Equal(t, program, c.HeldBy, "the program took the hold over")
	before := c
	err := c.Resume(card.ReasonREQ, holder, t1.Add(time.Hour))
	require.ErrorIs(t, err, card.ErrIllegalTransition)
	assert.Equal(t, before, c, "a refused move changes nothing")

	require.NoError(t, c.Resume(card.ReasonACT, program, t1.Add(time.Hour)))
	assert.Zero(t, c.HeldBy, "a card that is not suspended is not held")
	assert.Equal(t, card.StatusActive, c.Status)
	assert.Empty(t, c.Memo)
	assert.Equal(t, t0, c.ActivatedAt, "the first activation is kept")
	require.NoError(t, c.Terminate(card.ReasonREQ, holder, t1.Add(2*time.Hour)))
	assert.Equal(t, int64(8), c.Version)
	for _, s := range card.StatusValues() {
		for _, r := range append(card.StatusReasonValues(), 0) {
			for _, a := range card.ActorValues() {
				err := c.Transition(card.Move{To: s, Reason: r, By: a}, t1)
				require.True(t, errors.Is(err, card.ErrIllegalTransition))
			}
		}
	}
}

func TestResumeStatus(t *testing.T) {
	c := card.Card{Status: card.StatusUnactivated}
	require.NoError(t, c.Suspend(card.ReasonLOS, holder, time.Unix(1, 0)))
	require.NoError(t, c.Suspend(card.ReasonLOS, program, time.Unix(1, 0)))
	assert.Equal(t, card.StatusUnactivated, c.ResumeStatus())
	require.NoError(t, c.Resume(card.ReasonINF, program, time.Unix(2, 0)))
	assert.Equal(t, card.StatusUnactivated, c.Status, "never activated, so back to waiting for activation")
	assert.True(t, c.ActivatedAt.IsZero())
}

// TestLiftedHoldReturnsWhereTheCardWas: the holder or the program lifts a
// hold to the card's ResumeStatus only, so that lifting a hold neither
// activates a card (skipping Activate's checks and reason) nor takes an
// activated one back to UNACTIVATED. A provider may report either.
func TestLiftedHoldReturnsWhereTheCardWas(t *testing.T) {
	at := time.Unix(10, 0)
	never := card.Card{Status: card.StatusUnactivated, Holder: card.Holder{BusinessID: "bus-1"}}
	require.NoError(t, never.Suspend(card.ReasonREQ, program, at))
	once := card.Card{Status: card.StatusUnactivated}
	require.NoError(t, once.Activate(holder, at))
	require.NoError(t, once.Suspend(card.ReasonREQ, holder, at))
	for _, tt := range []struct {
		name string
		c    card.Card
		to   card.Status
		by   card.Actor
		ok   bool
	}{
		{"never activated, to ACTIVE by the program", never, card.StatusActive, program, false},
		{"never activated, to UNACTIVATED by the program", never, card.StatusUnactivated, program, true},
		{"activated, to UNACTIVATED by the holder", once, card.StatusUnactivated, holder, false},
		{"activated, to ACTIVE by the holder", once, card.StatusActive, holder, true},
		{"never activated, to ACTIVE as the provider reports", never, card.StatusActive, card.ActorProvider, true},
		{"activated, to UNACTIVATED as the provider reports", once, card.StatusUnactivated, card.ActorProvider, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, before := tt.c, tt.c
			err := c.Transition(card.Move{To: tt.to, Reason: card.ReasonREQ, By: tt.by}, at.Add(time.Hour))
			if !tt.ok {
				require.ErrorIs(t, err, card.ErrIllegalTransition)
				assert.Equal(t, before, c, "a refused move changes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.to, c.Status)
		})
	}
}

// TestTransitionMemo: a move's memo follows RuleMemo, so that an allowed
// move never leaves a card Validate refuses.
func TestTransitionMemo(t *testing.T) {
	c := card.Card{Status: card.StatusActive}
	before := c
	err := c.Transition(card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: holder, Memo: strings.Repeat("x", 256)}, time.Unix(1, 0))
	var ce *card.Error
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Has("memo", card.CodeTooLong), "%v", err)
	assert.Equal(t, before, c)
	require.NoError(t, c.Transition(card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: holder, Memo: strings.Repeat("x", 255)}, time.Unix(1, 0)))
}

func TestCanTransitionTo(t *testing.T) {
	assert.True(t, card.StatusPending.CanTransitionTo(card.StatusActive))
	assert.True(t, card.StatusSuspended.CanTransitionTo(card.StatusSuspended))
	assert.False(t, card.StatusActive.CanTransitionTo(card.StatusPending))
	for _, s := range card.StatusValues() {
		assert.False(t, card.StatusTerminated.CanTransitionTo(s))
		assert.False(t, card.StatusRejected.CanTransitionTo(s))
	}
}

func TestCheckTransitionDoesNotAllocate(t *testing.T) {
	m := card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: card.ActorProvider}
	allocs := testing.AllocsPerRun(100, func() {
		if card.CheckTransition(card.StatusSuspended, card.ActorProgram, m) != nil {
			t.Fatal("refused")
		}
	})
	assert.Zero(t, allocs)
}

func TestActivationReason(t *testing.T) {
	var c card.Card
	assert.Equal(t, card.ReasonNEW, c.ActivationReason())
	c.Reissue.From = "9b2f6c1e-0000-4000-8000-000000000001"
	assert.Equal(t, card.ReasonRIS, c.ActivationReason(), "a replacement")
}

// TestReasonsBy: the reasons a move into a status takes when an actor makes
// it are exactly those of the table's rows into it that the actor may make,
// from any status.
func TestReasonsBy(t *testing.T) {
	for _, to := range card.StatusValues() {
		for _, by := range card.ActorValues() {
			var want card.ReasonSet
			for _, tr := range card.Transitions() {
				if tr.To == to && tr.By.Has(by) {
					want |= tr.Reasons
				}
			}
			got := to.ReasonsBy(by)
			assert.Equal(t, want, got, "%v by %v", to, by)
			assert.Equal(t, got, got&to.Reasons(), "%v by %v: a reason the status cannot hold", to, by)
		}
	}
	assert.False(t, card.StatusTerminated.ReasonsBy(card.ActorProgram).Has(0), "the program gives a reason to end a card")
	assert.True(t, card.StatusTerminated.ReasonsBy(card.ActorProvider).Has(0), "a provider may report one ended without")
	assert.True(t, card.StatusSuspended.ReasonsBy(card.ActorHolder).Has(card.ReasonLOS))
	assert.False(t, card.StatusSuspended.ReasonsBy(card.ActorHolder).Has(card.ReasonTMP))
}
