package issuance_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
)

// TestConcurrentSameKey: 64 callers issue with one key at once. Exactly one
// card is made, with one provider call; every caller gets that card or
// ErrKeyInUse, and a later retry gets the card.
func TestConcurrentSameKey(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		const n = 64
		var (
			mu     sync.Mutex
			ids    = map[uuid.UUID]int{}
			inUse  int
			start  = make(chan struct{})
			wg     sync.WaitGroup
			others []error
		)
		for range n {
			wg.Go(func() {
				<-start
				c, err := e.svc.Issue(ctx, tenant, "the-key", e.request(card.FormVirtual))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ids[c.ID]++
				case errors.Is(err, issuance.ErrKeyInUse):
					inUse++
				default:
					others = append(others, err)
				}
			})
		}
		close(start)
		wg.Wait()
		require.Empty(t, others)
		require.Len(t, ids, 1, "every caller that got a card got the same one")
		var id uuid.UUID
		for k, got := range ids {
			id = k
			assert.Equal(t, n, got+inUse)
		}
		assert.Equal(t, 1, e.sbx.Calls(sandbox.OpIssue), "one provider call")
		assert.Equal(t, 1, e.sbx.Cards(), "one card at the provider")
		page, err := e.svc.List(ctx, tenant, storage.CardFilter{}, storage.Page{})
		require.NoError(t, err)
		require.Len(t, page.Cards, 1, "one card here")
		c, err := e.svc.Issue(ctx, tenant, "the-key", e.request(card.FormVirtual))
		require.NoError(t, err)
		assert.Equal(t, id, c.ID, "a later retry gets the card")
		t.Logf("%d got the card, %d were told the key was in use", n-inUse, inUse)
	})
}

// TestConcurrentLifecycle runs issues, lifecycle calls, reissues and
// control updates from several goroutines at once, on shared cards, and
// then checks what the store holds: no update was lost (each card's version
// is the number of its events), histories are whole, and every card is where
// the provider says it is. Calls that meet another call on their card are
// told ErrCardBusy and change nothing.
func TestConcurrentLifecycle(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		ctx := context.Background()
		e := newEnv(t, newStore(t))
		var mu sync.Mutex
		var cards []uuid.UUID
		for i := range 6 {
			c, err := e.svc.Issue(ctx, tenant, fmt.Sprint("seed-", i), e.request(card.FormPhysical))
			require.NoError(t, err)
			cards = append(cards, c.ID)
		}
		pick := func(r *rand.Rand) uuid.UUID {
			mu.Lock()
			defer mu.Unlock()
			return cards[r.IntN(len(cards))]
		}
		counts := map[string]int{}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(w), 99))
				for i := range 25 {
					key := fmt.Sprintf("w%d-%d", w, i)
					id := pick(r)
					var err error
					var op string
					switch r.IntN(7) {
					case 0:
						op = "issue"
						var c card.Card
						if c, err = e.svc.Issue(ctx, tenant, key, e.request(card.FormPhysical)); err == nil {
							mu.Lock()
							cards = append(cards, c.ID)
							mu.Unlock()
						}
					case 1:
						op = "activate"
						_, err = e.svc.Activate(ctx, tenant, key, issuance.ChangeRequest{CardID: id, By: card.ActorHolder})
					case 2:
						op = "suspend"
						_, err = e.svc.Suspend(ctx, tenant, key, issuance.ChangeRequest{CardID: id, Reason: card.ReasonREQ, By: card.ActorHolder})
					case 3:
						op = "resume"
						_, err = e.svc.Resume(ctx, tenant, key, issuance.ChangeRequest{CardID: id, Reason: card.ReasonREQ, By: card.ActorHolder})
					case 4:
						op = "reissue"
						var res issuance.Reissued
						reason := []card.ReissueReason{card.ReissueReasonDamaged, card.ReissueReasonLost}[r.IntN(2)]
						if res, err = e.svc.Reissue(ctx, tenant, key, issuance.ReissueRequest{CardID: id, Reason: reason}); err == nil {
							mu.Lock()
							cards = append(cards, res.New.ID)
							mu.Unlock()
						}
					case 5:
						op = "controls"
						_, err = e.svc.UpdateControls(ctx, tenant, issuance.ControlsRequest{CardID: id, Controls: card.Controls{BlockedCategories: []card.MCC{card.MCC(r.IntN(9999))}}})
					case 6:
						op = "terminate"
						if r.IntN(4) != 0 {
							continue // ending cards rarely keeps the others busy
						}
						_, err = e.svc.Terminate(ctx, tenant, key, issuance.ChangeRequest{CardID: id, Reason: card.ReasonREQ, By: card.ActorHolder})
					}
					var pe *issuance.ProviderError
					switch {
					case err == nil:
						op += " ok"
					case errors.Is(err, issuance.ErrCardBusy):
						op += " busy"
					case errors.Is(err, card.ErrIllegalTransition), errors.Is(err, card.ErrCannotReissue),
						errors.As(err, &pe) && !pe.Retryable:
						op += " refused"
					default:
						t.Errorf("%s: unexpected %v", op, err)
					}
					mu.Lock()
					counts[op]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		t.Logf("calls: %v", counts)

		page, err := e.svc.List(ctx, tenant, storage.CardFilter{}, storage.Page{Limit: storage.MaxPageLimit})
		require.NoError(t, err)
		require.Len(t, page.Cards, len(cards))
		for _, c := range page.Cards {
			require.NoError(t, c.Validate())
			evs, err := e.svc.History(ctx, tenant, c.ID)
			require.NoError(t, err)
			require.NotEmpty(t, evs)
			assert.Contains(t, []string{issuance.EventIssued, issuance.EventReissued}, evs[0].Kind)
			for i, ev := range evs {
				assert.Equal(t, int64(i+1), ev.Seq)
				if i > 0 && ev.Kind != issuance.EventControlsUpdated {
					assert.Equal(t, evs[i-1].To, ev.From, "card %s: event %d starts where %d ended", c.ID, i+1, i)
				}
			}
			assert.Equal(t, c.Status, evs[len(evs)-1].To, "the last event says where the card is")
			assert.Equal(t, int64(len(evs)), c.Version, "card %s: one event per change, no change lost", c.ID)
			assert.Equal(t, e.sandboxStatus(t, c), c.Status, "card %s: here and at the provider", c.ID)
		}
	})
}
