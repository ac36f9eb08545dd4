package issuance_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
)

// A lost answer (the provider made the card) marks the call as called; a
// retry that the provider then refuses before acting (a 503) must not
// forget that: the next retry finishes the call, not judges it again.
func TestNotActedRetryKeepsCalled(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		e.sbx.FailNext(sandbox.OpIssue, sandbox.FailAfterEffect, 1)
		e.sbx.FailNext(sandbox.OpIssue, sandbox.FailBeforeEffect, 1)
		_, err := e.svc.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
		require.ErrorIs(t, err, issuance.ErrProvider, "answer lost; the card is made")
		_, err = e.svc.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
		require.ErrorIs(t, err, issuance.ErrProvider, "503: this attempt did not act")
		require.Equal(t, 1, e.sbx.Cards())
		e.suspendAccount(t)

		c, err := e.svc.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
		require.NoError(t, err, "the provider's card must be finished here, not refused")
		assert.Equal(t, 1, e.sbx.Cards())
		assert.Equal(t, []string{"issued:ACTIVE"}, e.history(t, c.ID))
	})
}

// The same through a takeover: attempt 1 is still at the provider (which
// acts) when its lease runs out; attempt 2 takes over and gets a 503.
// Attempt 1's answer is then dropped (ErrKeyInUse); the record must still
// say that the provider may have acted.
func TestOvertakenAnswerThenNotActed(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		prov := &answered{Sandbox: e.sbx}
		slow := e.on(t, prov)
		prov.then = func() {
			prov.then = nil
			e.clk.advance(2 * time.Minute)
			e.sbx.FailNext(sandbox.OpIssue, sandbox.FailBeforeEffect, 1)
			_, err := e.svc.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
			require.ErrorIs(t, err, issuance.ErrProvider, "the takeover got a 503")
		}
		_, err := slow.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
		require.ErrorIs(t, err, issuance.ErrKeyInUse)
		require.Equal(t, 1, e.sbx.Cards(), "attempt 1 made the card")
		e.suspendAccount(t)

		_, err = e.svc.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
		require.NoError(t, err, "the provider's card must be finished here, not refused")
	})
}

// An attempt overtaken while at the provider, whose takeover finished the
// change, is told ErrKeyInUse, not a final illegal-transition error for a
// call that succeeded.
func TestOvertakenChangeIsKeyInUse(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		c := e.activeCard(t, "i")
		req := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
		prov := &answered{Sandbox: e.sbx}
		slow := e.on(t, prov)
		prov.then = func() {
			prov.then = nil
			e.clk.advance(2 * time.Minute)
			got, err := e.svc.Terminate(ctx, tenant, "t", req)
			require.NoError(t, err, "taken over and finished")
			require.Equal(t, card.StatusTerminated, got.Status)
		}
		_, err := slow.Terminate(ctx, tenant, "t", req)
		require.ErrorIs(t, err, issuance.ErrKeyInUse)
		assert.NotErrorIs(t, err, card.ErrIllegalTransition, "a final error for a call that succeeded: %v", err)
		got, err := e.svc.Terminate(ctx, tenant, "t", req)
		require.NoError(t, err, "the replay says it succeeded")
		assert.Equal(t, card.StatusTerminated, got.Status)
	})
}

// between runs once, after a storage.Relaxed unit that failed: between the
// claim's relaxed run and its durable rerun, where another caller may act.
type between struct {
	storage.Store
	then func()
}

func (b *between) Atomic(ctx context.Context, fn func(context.Context, storage.Tx) error, opts ...storage.UnitOption) error {
	err := b.Store.Atomic(ctx, fn, opts...)
	if err != nil && storage.Options(opts).Relaxed && b.then != nil {
		then := b.then
		b.then = nil
		then()
	}
	return err
}

// TestRerunAfterRefusalRebuildsTheCard: the relaxed run of Issue's claim
// is refused (the account suspended), to be run again durably. Between the
// two runs another caller with the key (the account active again) gets the
// provider's card and fails only its finish, keeping the answer. The rerun
// takes that call over, skips the check, and must finish with the card
// rebuilt, not with what the refused check left.
func TestRerunAfterRefusalRebuildsTheCard(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		bg := context.Background()
		w := &between{Store: newStore(t)}
		e := newEnv(t, w)
		e.suspendAccount(t)
		w.then = func() {
			e.setAccountState(t, account.StateActive)
			ctx, cancel := context.WithCancel(bg)
			other := e.on(t, &answered{Sandbox: e.sbx, then: cancel})
			_, err := other.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
			require.ErrorIs(t, err, context.Canceled, "the other caller's finish failed; its answer is kept")
			rec, err := e.store.Key(bg, tenant, "k")
			require.NoError(t, err)
			require.Equal(t, string(issuance.PointProviderCalled), rec.RecoveryPoint)
		}
		_, err := e.svc.Issue(bg, tenant, "k", e.request(card.FormVirtual))
		require.Nil(t, w.then, "the other caller ran between the two runs")
		if err != nil {
			assert.ErrorIs(t, err, issuance.ErrKeyInUse, "an acceptable answer: the other caller holds the call")
		}
		// Whatever the rerun said, the provider made the card under the
		// key's provider key: a retry must finish the call with it.
		e.clk.advance(time.Hour)
		c, err := e.svc.Issue(bg, tenant, "k", e.request(card.FormVirtual))
		require.NoError(t, err, "the card the provider made (sandbox cards: %d) is the key's", e.sbx.Cards())
		require.Equal(t, e.acct.ID.String(), c.AccountID)
		require.NoError(t, c.Validate())
	})
}

// A reissue whose answer was lost (the provider made the replacement) is
// finished by its retry even when the old card changed once the call's
// lease ran out: ended by another call, or replaced by another reissue.
// Judged again, the retry would keep a refusal for good, and the provider's
// replacement would be unknown here.
func TestReissueRetryAfterOldChanged(t *testing.T) {
	changes := []struct {
		name   string
		change func(t *testing.T, e *env, old card.Card) card.Card // returns old as the change left it
	}{
		{"terminated", func(t *testing.T, e *env, old card.Card) card.Card {
			got, err := e.svc.Terminate(context.Background(), tenant, "t", issuance.ChangeRequest{CardID: old.ID, Reason: card.ReasonREQ, By: card.ActorHolder})
			require.NoError(t, err)
			return got
		}},
		{"reissued", func(t *testing.T, e *env, old card.Card) card.Card {
			got, err := e.svc.Reissue(context.Background(), tenant, "r2", issuance.ReissueRequest{CardID: old.ID, Reason: card.ReissueReasonAppearance})
			require.NoError(t, err)
			return got.Old
		}},
	}
	for _, tc := range changes {
		t.Run(tc.name, func(t *testing.T) {
			stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
				ctx := context.Background()
				e := newEnv(t, newStore(t))
				old := e.activeCard(t, "i")
				req := issuance.ReissueRequest{CardID: old.ID, Reason: card.ReissueReasonDamaged}
				e.sbx.FailNext(sandbox.OpReissue, sandbox.FailAfterEffect, 1)
				_, err := e.svc.Reissue(ctx, tenant, "r", req)
				require.ErrorIs(t, err, issuance.ErrProvider, "answer lost; the replacement is made")
				e.clk.advance(2 * time.Minute) // the call's leases run out
				changed := tc.change(t, e, old)

				got, err := e.svc.Reissue(ctx, tenant, "r", req)
				require.NoError(t, err, "the provider's replacement must be finished here, not refused")
				assert.Equal(t, old.ID.String(), got.New.Reissue.From)
				assert.Equal(t, card.StatusUnactivated, got.New.Status)
				require.NoError(t, got.New.Validate())
				stored, err := e.svc.Get(ctx, tenant, got.New.ID)
				require.NoError(t, err)
				assert.Equal(t, got.New.ProviderRefs, stored.ProviderRefs)
				page, err := e.svc.List(ctx, tenant, storage.CardFilter{}, storage.Page{Limit: 100})
				require.NoError(t, err)
				assert.Len(t, page.Cards, e.sbx.Cards(), "every card the provider made is known here")

				assert.Equal(t, changed.Status, got.Old.Status, "the old card keeps what happened to it since")
				now, err := e.svc.Get(ctx, tenant, old.ID)
				require.NoError(t, err)
				assert.Equal(t, got.Old, now, "the old card as returned is the old card as stored")
				if changed.Reissue.To == "" {
					assert.Equal(t, got.New.ID.String(), now.Reissue.To, "an ended card with no replacement is linked to this one")
				} else {
					assert.Equal(t, changed.Reissue.To, now.Reissue.To, "the old card stays linked to the replacement it has")
					assert.Equal(t, changed.Version, now.Version, "and is not changed")
				}
				again, err := e.svc.Reissue(ctx, tenant, "r", req)
				require.NoError(t, err)
				assert.Equal(t, got, again, "replayed")

				// Activated, it ends the old card (DAMAGED ends it on
				// activation) as the provider does, linked to it or not.
				act, err := e.svc.Activate(ctx, tenant, "a", issuance.ChangeRequest{CardID: got.New.ID, By: card.ActorHolder})
				require.NoError(t, err, "the replacement is a card like any other")
				assert.Equal(t, card.StatusActive, act.Status)
				after := e.agrees(t, old.ID)[0]
				assert.Equal(t, card.StatusTerminated, after.Status)
			})
		})
	}
}

// A retry that finishes a reissue as it was judged may make a second
// replacement of an old card that another call replaced meanwhile: a
// virtual one (ACTIVE from its issue) ends the old card, here as at the
// provider, though the old card links to the first.
func TestVirtualSecondReplacementEndsTheOldCard(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		old := e.activeCard(t, "i")
		svc := e.on(t, &answered{Sandbox: e.sbx, cut: true})
		req := issuance.ReissueRequest{CardID: old.ID, Reason: card.ReissueReasonAppearance, Options: card.ReissueOptions{Form: card.FormVirtual}}
		_, err := svc.Reissue(ctx, tenant, "r", req)
		require.Error(t, err, "cut before it was sent")
		require.Zero(t, e.sbx.Calls(sandbox.OpReissue))
		e.clk.advance(2 * time.Minute)
		first, err := svc.Reissue(ctx, tenant, "r2", issuance.ReissueRequest{CardID: old.ID, Reason: card.ReissueReasonDamaged})
		require.NoError(t, err)
		require.Equal(t, card.StatusUnactivated, first.New.Status)

		got, err := svc.Reissue(ctx, tenant, "r", req)
		require.NoError(t, err)
		require.Equal(t, card.StatusActive, got.New.Status)
		local := e.agrees(t, old.ID)[0]
		assert.Equal(t, card.StatusTerminated, local.Status)
		assert.Equal(t, first.New.ID.String(), local.Reissue.To, "it keeps its link")
		assert.Equal(t, local, got.Old)
		assert.Equal(t, []string{"issued:UNACTIVATED", "activated:ACTIVE", "replaced:ACTIVE", "replaced:TERMINATED"}, e.history(t, old.ID))
	})
}

// A retry after Purge of a reissue whose replacement was made finds it,
// whatever the old card links to now: freed (its linked replacement ended
// before activation), or linked to another.
func TestReissueAfterPurgeFindsItsReplacement(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t), issuance.WithKeyRetention(time.Hour))
		old := e.activeCard(t, "i")
		req := issuance.ReissueRequest{CardID: old.ID, Reason: card.ReissueReasonDamaged}
		first, err := e.svc.Reissue(ctx, tenant, "r", req)
		require.NoError(t, err)
		_, err = e.svc.Terminate(ctx, tenant, "t", issuance.ChangeRequest{CardID: first.New.ID, Reason: card.ReasonREQ, By: card.ActorHolder})
		require.NoError(t, err, "lost in the post: the old card is freed")
		e.clk.advance(2 * time.Hour)
		n, err := e.svc.Purge(ctx, tenant)
		require.NoError(t, err)
		require.Positive(t, n)

		again, err := e.svc.Reissue(ctx, tenant, "r", req)
		require.NoError(t, err, "the replacement made under this key")
		assert.Equal(t, first.New.ID, again.New.ID)
		assert.Equal(t, card.StatusTerminated, again.New.Status)
		assert.Equal(t, 2, e.sbx.Cards(), "asked again with the same key, the provider made no second replacement")
	})
}

// A hold whose answer was lost (the provider placed it), retried after its
// lease ran out: if another call moved the card since, the provider moved
// it after the hold too, so the hold is not placed here (ErrSuperseded,
// kept under the key); if no other call did, the hold is finished.
func TestStaleChangeIsSuperseded(t *testing.T) {
	for _, tc := range []struct {
		name       string
		held       bool // the card is on hold already: the lost call places it again
		meanwhile  func(e *env, id uuid.UUID) error
		superseded bool
		want       card.Status
	}{
		{"hold lifted meanwhile", true, func(e *env, id uuid.UUID) error {
			_, err := e.svc.Resume(context.Background(), tenant, "t", issuance.ChangeRequest{CardID: id, Reason: card.ReasonREQ, By: card.ActorHolder})
			return err
		}, true, card.StatusActive},
		{"ended meanwhile", false, func(e *env, id uuid.UUID) error {
			_, err := e.svc.Terminate(context.Background(), tenant, "t", issuance.ChangeRequest{CardID: id, Reason: card.ReasonREQ, By: card.ActorHolder})
			return err
		}, true, card.StatusTerminated},
		{"ended by a reissue for LOST meanwhile", false, func(e *env, id uuid.UUID) error {
			_, err := e.svc.Reissue(context.Background(), tenant, "t", issuance.ReissueRequest{CardID: id, Reason: card.ReissueReasonLost})
			return err
		}, true, card.StatusTerminated},
		{"a call refused meanwhile", false, func(e *env, id uuid.UUID) error {
			_, err := e.svc.Resume(context.Background(), tenant, "t", issuance.ChangeRequest{CardID: id, Reason: card.ReasonREQ, By: card.ActorHolder})
			if !errors.Is(err, card.ErrIllegalTransition) {
				return fmt.Errorf("resume of an active card: %v", err)
			}
			return nil
		}, false, card.StatusSuspended},
		{"controls changed meanwhile", false, func(e *env, id uuid.UUID) error {
			_, err := e.svc.UpdateControls(context.Background(), tenant, issuance.ControlsRequest{CardID: id, Controls: card.Controls{AllowedCategories: []card.MCC{5411}}})
			return err
		}, false, card.StatusSuspended},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
				ctx := context.Background()
				e := newEnv(t, newStore(t))
				c := e.activeCard(t, "i")
				req := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
				if tc.held {
					_, err := e.svc.Suspend(ctx, tenant, "s0", req)
					require.NoError(t, err)
				}
				e.sbx.FailNext(sandbox.OpChange, sandbox.FailAfterEffect, 1)
				_, err := e.svc.Suspend(ctx, tenant, "s", req)
				require.ErrorIs(t, err, issuance.ErrProvider, "answer lost; the hold is placed")
				e.clk.advance(2 * time.Minute) // the lease runs out
				require.NoError(t, tc.meanwhile(e, c.ID))

				got, err := e.svc.Suspend(ctx, tenant, "s", req)
				if tc.superseded {
					require.ErrorIs(t, err, issuance.ErrSuperseded)
					_, again := e.svc.Suspend(ctx, tenant, "s", req)
					require.ErrorIs(t, again, issuance.ErrSuperseded, "kept under the key")
					assert.Equal(t, err.Error(), again.Error())
					got, err = e.svc.Get(ctx, tenant, c.ID)
					require.NoError(t, err)
				} else {
					require.NoError(t, err)
				}
				assert.Equal(t, tc.want, got.Status)
				assert.Equal(t, e.sandboxStatus(t, got), got.Status, "here as at the provider")
			})
		})
	}
}

// TestSupersededFollowsTheProvidersOrder: a hold or an end retried after
// its answer was lost is superseded only by a call that reached the
// provider after it, which is the order in which calls first took the card
// (counted again after a 503), not the order in which they finished here,
// nor their clocks. Each script ends with the card here as at the provider.
func TestSupersededFollowsTheProvidersOrder(t *testing.T) {
	const lease = 2 * time.Minute // past the lease
	type step struct {
		wait  time.Duration // the clock moves first
		ahead bool          // on an instance whose clock is a second ahead
		op    string        // suspend, resume or terminate
		key   string
		fault sandbox.Fault // FailBeforeEffect: a 503; FailAfterEffect: the answer lost
		want  error         // nil, issuance.ErrProvider or issuance.ErrSuperseded
	}
	lost, refused := sandbox.FailAfterEffect, sandbox.FailBeforeEffect
	for _, tc := range []struct {
		name  string
		held  bool // the card is on hold first
		steps []step
	}{
		// B reaches the provider first, A after it; B's retry finishes
		// after A was claimed. A is the last move at the provider.
		{"an earlier call's retry finishes later", false, []step{
			{0, false, "suspend", "b", lost, issuance.ErrProvider},
			{lease, false, "terminate", "a", lost, issuance.ErrProvider},
			{lease, false, "suspend", "b", 0, nil},
			{time.Second, false, "terminate", "a", 0, nil},
		}},
		// B, on an instance a second ahead, finishes before A starts.
		{"a clock a second ahead", false, []step{
			{time.Minute, true, "suspend", "b", 0, nil},
			{100 * time.Millisecond, false, "terminate", "a", lost, issuance.ErrProvider},
			{lease, false, "terminate", "a", 0, nil},
		}},
		// X's first attempt is refused before it acts (a 503); Y moves the
		// card; X's next attempt reaches the provider after Y.
		{"after a 503, the next attempt is the first", false, []step{
			{0, false, "terminate", "x", refused, issuance.ErrProvider},
			{0, false, "suspend", "y", 0, nil},
			{0, false, "terminate", "x", lost, issuance.ErrProvider},
			{lease, false, "terminate", "x", 0, nil},
		}},
		// The mirror: Y's second attempt reaches the provider after X.
		{"after a 503, a later attempt supersedes", true, []step{
			{0, false, "resume", "y", refused, issuance.ErrProvider},
			{0, false, "suspend", "x", lost, issuance.ErrProvider},
			{lease, false, "resume", "y", 0, nil},
			{0, false, "suspend", "x", 0, issuance.ErrSuperseded},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
				ctx := context.Background()
				e := newEnv(t, newStore(t))
				c := e.activeCard(t, "i")
				ahead := e.on(t, e.sbx, issuance.WithClock(func() time.Time { return e.clk.now().Add(time.Second) }))
				req := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
				if tc.held {
					_, err := e.svc.Suspend(ctx, tenant, "s0", req)
					require.NoError(t, err)
				}
				for i, st := range tc.steps {
					e.clk.advance(st.wait)
					svc := e.svc
					if st.ahead {
						svc = ahead
					}
					calls := map[string]func(context.Context, string, string, issuance.ChangeRequest) (card.Card, error){
						"suspend": svc.Suspend, "resume": svc.Resume, "terminate": svc.Terminate}
					if st.fault != 0 {
						e.sbx.FailNext(sandbox.OpChange, st.fault, 1)
					}
					_, err := calls[st.op](ctx, tenant, st.key, req)
					if st.want == nil {
						require.NoError(t, err, "step %d: %s %s", i, st.op, st.key)
					} else {
						require.ErrorIs(t, err, st.want, "step %d: %s %s", i, st.op, st.key)
					}
				}
				e.agrees(t, c.ID)
			})
		})
	}
}

// A superseded end of a replacement gives back both its leases (the
// replacement's and the old card's, which its end would have freed) and
// writes nothing else.
func TestSupersededGivesBackLeases(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		old, r := e.reissuedDamaged(t)
		cut := e.on(t, &answered{Sandbox: e.sbx, cut: true})
		req := issuance.ChangeRequest{CardID: r.New.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
		_, err := cut.Terminate(ctx, tenant, "x", req)
		require.Error(t, err)
		e.clk.advance(2 * time.Minute)
		_, err = e.svc.Suspend(ctx, tenant, "y", req)
		require.NoError(t, err)
		oldBefore, err := e.svc.Get(ctx, tenant, old.ID)
		require.NoError(t, err)

		_, err = e.svc.Terminate(ctx, tenant, "x", req)
		require.ErrorIs(t, err, issuance.ErrSuperseded)
		for _, id := range []any{r.New.ID, old.ID} {
			rec, err := e.store.Key(ctx, tenant, fmt.Sprintf("cardkit:card:%s", id))
			require.NoError(t, err)
			assert.Equal(t, storage.KeyCompleted, rec.State, "lease of %s given back", id)
		}
		oldAfter, err := e.svc.Get(ctx, tenant, old.ID)
		require.NoError(t, err)
		assert.Equal(t, oldBefore, oldAfter)
		got := e.agrees(t, r.New.ID)[0]
		assert.Equal(t, card.StatusSuspended, got.Status)
	})
}

// The card's old events were written by calls whose keys are purged;
// they did not take the card after this call, which is not superseded.
func TestPurgedCallsDoNotSupersede(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t), issuance.WithKeyRetention(time.Hour))
		c := e.activeCard(t, "i")
		e.clk.advance(2 * time.Hour)
		n, err := e.svc.Purge(ctx, tenant)
		require.NoError(t, err)
		require.Positive(t, n)
		req := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
		e.sbx.FailNext(sandbox.OpChange, sandbox.FailAfterEffect, 1)
		_, err = e.svc.Suspend(ctx, tenant, "s", req)
		require.ErrorIs(t, err, issuance.ErrProvider)
		e.clk.advance(2 * time.Minute)
		got, err := e.svc.Suspend(ctx, tenant, "s", req)
		require.NoError(t, err, "no later call moved the card")
		assert.Equal(t, card.StatusSuspended, got.Status)
	})
}

// The activation of a replacement ends the old card (a lease it took
// with the replacement's): a hold on the old card lost before it is
// superseded.
func TestReplacementActivationSupersedesAHoldOnTheOldCard(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		old, r := e.reissuedDamaged(t)
		req := issuance.ChangeRequest{CardID: old.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
		e.sbx.FailNext(sandbox.OpChange, sandbox.FailAfterEffect, 1)
		_, err := e.svc.Suspend(ctx, tenant, "s", req)
		require.ErrorIs(t, err, issuance.ErrProvider)
		e.clk.advance(2 * time.Minute)
		_, err = e.svc.Activate(ctx, tenant, "a", issuance.ChangeRequest{CardID: r.New.ID, By: card.ActorHolder})
		require.NoError(t, err)
		_, err = e.svc.Suspend(ctx, tenant, "s", req)
		require.ErrorIs(t, err, issuance.ErrSuperseded)
	})
}

// An activation whose answer was lost, retried after a later call moved
// the card, is finished without moving the card: it was activated (so a
// lifted hold returns it to ACTIVE), as at the provider, and stays where
// the later call left it. One cut before it left is refused by the
// provider when asked again, and the card was never activated, there as
// here. A card UNACTIVATED again (the later hold lifted, which the
// provider refuses if the activation reached it) is activated as any card
// is.
func TestStaleActivationIsRecorded(t *testing.T) {
	for _, tc := range []struct {
		name        string
		sent, freed bool // the lost attempt reached the provider; the hold was lifted again
		want        card.Status
		refused     bool
	}{
		{"reached the provider", true, false, card.StatusSuspended, false},
		{"cut before it left", false, false, card.StatusSuspended, true},
		{"cut before it left, hold lifted since", false, true, card.StatusActive, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
				ctx := context.Background()
				e := newEnv(t, newStore(t))
				c, err := e.svc.Issue(ctx, tenant, "i", e.request(card.FormPhysical))
				require.NoError(t, err)
				require.Equal(t, card.StatusUnactivated, c.Status)
				act := issuance.ChangeRequest{CardID: c.ID, By: card.ActorHolder}
				req := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder}
				svc := e.svc
				if tc.sent {
					e.sbx.FailNext(sandbox.OpChange, sandbox.FailAfterEffect, 1)
				} else {
					svc = e.on(t, &answered{Sandbox: e.sbx, cut: true})
				}
				_, err = svc.Activate(ctx, tenant, "x", act)
				require.Error(t, err, "the answer is lost")
				e.clk.advance(2 * time.Minute)
				_, err = e.svc.Suspend(ctx, tenant, "y", req)
				require.NoError(t, err, "a later call places a hold")
				if tc.freed {
					_, err = e.svc.Resume(ctx, tenant, "z", req)
					require.NoError(t, err, "and lifts it")
				}

				got, err := e.svc.Activate(ctx, tenant, "x", act)
				if tc.refused {
					var pe *issuance.ProviderError
					require.ErrorAs(t, err, &pe, "the provider refuses to activate a card on hold")
					got, err = e.svc.Get(ctx, tenant, c.ID)
					require.NoError(t, err)
					assert.True(t, got.ActivatedAt.IsZero())
				} else {
					require.NoError(t, err)
					assert.False(t, got.ActivatedAt.IsZero(), "the card was activated")
				}
				assert.Equal(t, tc.want, got.Status)
				assert.Equal(t, e.sandboxStatus(t, got), got.Status, "here as at the provider")
				if got.Status == card.StatusSuspended {
					lifted, err := e.svc.Resume(ctx, tenant, "w", req)
					require.NoError(t, err, "the hold can be lifted")
					assert.Equal(t, e.sandboxStatus(t, lifted), lifted.Status, "to the same status here as there")
				}
			})
		})
	}
}
