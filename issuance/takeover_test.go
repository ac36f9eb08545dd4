package issuance_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
