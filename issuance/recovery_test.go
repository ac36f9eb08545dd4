package issuance_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
)

// TestHookReportsStoredPoints: the hook sees each recovery point as it is
// stored; a retry that takes over a call whose answer was kept stores no
// new started point, and the hook sees none.
func TestHookReportsStoredPoints(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		var (
			e              *env
			heard, written []string
		)
		hook := func(_ context.Context, st issuance.Step) {
			rec, err := e.store.Key(context.Background(), tenant, st.Key)
			require.NoError(t, err)
			heard, written = append(heard, string(st.Point)), append(written, rec.RecoveryPoint)
		}
		e = newEnv(t, newStore(t), issuance.WithRecoveryHook(hook))
		ctx, cancel := context.WithCancel(context.Background())
		svc := e.on(t, &answered{Sandbox: e.sbx, then: cancel}, issuance.WithRecoveryHook(hook))
		_, err := svc.Issue(ctx, tenant, "k", e.request(card.FormVirtual))
		require.ErrorIs(t, err, context.Canceled, "the finish failed; the answer is kept")
		_, err = e.svc.Issue(context.Background(), tenant, "k", e.request(card.FormVirtual))
		require.NoError(t, err, "the retry finishes with the kept answer")
		assert.Equal(t, []string{"started", "provider_called", "finished"}, heard)
		assert.Equal(t, heard, written, "each point as the store holds it")
	})
}

// relaxSpy records how the unit that completed key "k" was committed.
type relaxSpy struct {
	storage.Store
	completed *[]bool // one entry per unit that completed the key: relaxed or not
}

func (s relaxSpy) Atomic(ctx context.Context, fn func(context.Context, storage.Tx) error, opts ...storage.UnitOption) error {
	before, berr := s.Store.Key(ctx, tenant, "k")
	err := s.Store.Atomic(ctx, fn, opts...)
	after, aerr := s.Store.Key(ctx, tenant, "k")
	if err == nil && aerr == nil && after.State == storage.KeyCompleted && (berr != nil || before.State != storage.KeyCompleted) {
		*s.completed = append(*s.completed, storage.Options(opts).Relaxed)
	}
	return err
}

// TestRefusalIsKeptDurably: a final answer the claim's unit keeps under the
// key (a check's refusal, a card that does not exist) is committed without
// storage.Relaxed: the caller was given it, and a power failure must not
// let a retry be judged again.
func TestRefusalIsKeptDurably(t *testing.T) {
	missing := uuid.New()
	for name, call := range map[string]func(t *testing.T, e *env) error{
		"refused": func(t *testing.T, e *env) error {
			e.suspendAccount(t)
			_, err := e.svc.Issue(context.Background(), tenant, "k", e.request(card.FormVirtual))
			require.ErrorIs(t, err, card.ErrInvalid)
			return err
		},
		"no card": func(t *testing.T, e *env) error {
			_, err := e.svc.Suspend(context.Background(), tenant, "k", issuance.ChangeRequest{CardID: missing, Reason: card.ReasonREQ})
			require.ErrorIs(t, err, storage.ErrNotFound)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
				var completed []bool
				e := newEnv(t, relaxSpy{Store: newStore(t), completed: &completed})
				first := call(t, e)
				rec, err := e.store.Key(context.Background(), tenant, "k")
				require.NoError(t, err)
				require.Equal(t, string(issuance.PointFinished), rec.RecoveryPoint)
				assert.Equal(t, []bool{false}, completed, "one unit completed the key, durably")
				again := call(t, e)
				assert.Equal(t, first.Error(), again.Error(), "replayed")
			})
		})
	}
}
