// Package storagetest is the contract every storage.Store implementation
// passes: call Run from the implementation's tests with a function that
// makes a fresh, empty store.
//
//	func TestContract(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Store { return memory.New() })
//	}
//
// Run it with -race: several checks run writers concurrently.
package storagetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage"
)

// NewStore makes a fresh, empty store for one test; the suite closes it.
type NewStore func(t *testing.T) storage.Store

// Run runs the whole contract as subtests of t.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, storage.Store)
	}{
		{"CardCRUD", testCardCRUD},
		{"CardCopies", testCardCopies},
		{"CardInvalid", testCardInvalid},
		{"CardDuplicate", testCardDuplicate},
		{"CardNotFound", testCardNotFound},
		{"CardConflict", testCardConflict},
		{"CardConcurrentUpdates", testCardConcurrentUpdates},
		{"Fingerprint", testFingerprint},
		{"TenantIsolation", testTenantIsolation},
		{"AtomicRollsBack", testAtomicRollsBack},
		{"AtomicPanics", testAtomicPanics},
		{"AtomicReadsOwnWrites", testAtomicReadsOwnWrites},
		{"RelaxedUnit", testRelaxedUnit},
		{"Pagination", testPagination},
		{"PaginationConcurrentInserts", testPaginationConcurrentInserts},
		{"Events", testEvents},
		{"Keys", testKeys},
		{"KeysConcurrentClaims", testKeysConcurrentClaims},
		{"Accounts", testAccounts},
		{"AccountDefaults", testAccountDefaults},
		{"HostileInput", testHostileInput},
		{"ErrorsShowNoCardNumber", testErrorsShowNoCardNumber},
		{"TimesKept", testTimesKept},
		{"CanceledContext", testCanceledContext},
		{"CanceledInsideUnit", testCanceledInsideUnit},
		{"Closed", testClosed},
		{"TxAfterUnit", testTxAfterUnit},
		{"TxOutlivedByGoroutine", testTxOutlivedByGoroutine},
		{"RollbackOwnsItsCopies", testRollbackOwnsItsCopies},
		{"TimesExact", testTimesExact},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() { _ = s.Close() })
			tt.fn(t, s)
		})
	}
}

// Fixtures.

var (
	t0  = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	key = mustKey()
)

func mustKey() card.FingerprintKey {
	k, err := card.NewFingerprintKey([]byte("storagetest fixed key: tests only"))
	if err != nil {
		panic(err)
	}
	return k
}

// Card returns a valid active card in tenant with a number made from n, so
// that cards with the same n share a number; the suite exports it for
// implementations' own tests.
func Card(tenant string, n int) card.Card {
	pan, err := card.CompletePAN(fmt.Sprintf("411111%09d", n))
	if err != nil {
		panic(err)
	}
	c := card.Card{
		ID:        uuid.New(),
		Tenant:    tenant,
		AccountID: "acct-1",
		Holder:    card.Holder{CustomerID: "cust-1", BusinessID: "bus-1"},
		Type:      card.TypeDebit,
		Form:      card.FormVirtual,
		Brand:     card.BrandVisa,
		Status:    card.StatusActive, StatusReason: card.ReasonNEW,
		Expiry:      card.Expiry{Year: 2030, Month: time.March},
		Metadata:    map[string]string{"n": fmt.Sprint(n)},
		ActivatedAt: t0,
		CreatedAt:   t0,
		UpdatedAt:   t0,
		Version:     1,
	}
	c.SetPAN(pan, key)
	return c
}

// Event returns a valid event for c.
func Event(c card.Card, kind string) storage.Event {
	return storage.Event{
		Tenant: c.Tenant, CardID: c.ID, Kind: kind,
		From: card.StatusPending, To: card.StatusActive, Actor: card.ActorProvider, At: t0,
	}
}

// Key returns a valid in-progress idempotency record.
func Key(tenant, k string) storage.KeyRecord {
	return storage.KeyRecord{
		Tenant: tenant, Key: k, RequestHash: [32]byte{1, 2, 3},
		State: storage.KeyInProgress, RecoveryPoint: "started",
		CreatedAt: t0, LeaseUntil: t0.Add(time.Minute),
	}
}

// Issue writes in tx what an issuance writes: c, its creation event and a
// completed idempotency record keyed by the card's id that points to it.
func Issue(ctx context.Context, tx storage.Tx, c card.Card) error {
	if err := tx.CreateCard(ctx, c); err != nil {
		return err
	}
	e := Event(c, "issued")
	if err := tx.AppendEvent(ctx, &e); err != nil {
		return err
	}
	r := Key(c.Tenant, c.ID.String())
	r.State, r.CardID, r.Result = storage.KeyCompleted, c.ID, []byte(`{"ok":true}`)
	_, err := tx.ClaimKey(ctx, r)
	return err
}

func integrated(tenant, holder string, cur card.Currency, isDefault bool) account.Account {
	return account.Account{
		ID: uuid.New(), Tenant: tenant, Kind: account.KindIntegrated, Name: "Spending",
		Holder:  account.Holder{Kind: account.HolderCustomer, ID: holder},
		Subtype: card.TypeDebit, Currency: cur, Default: isDefault, State: account.StateActive,
		CreatedAt: t0, UpdatedAt: t0, Version: 1,
	}
}

// atomic runs fn in a unit and fails the test on error.
func atomic(t *testing.T, s storage.Store, fn func(context.Context, storage.Tx) error) {
	t.Helper()
	require.NoError(t, s.Atomic(context.Background(), fn))
}

func create(t *testing.T, s storage.Store, cs ...card.Card) {
	t.Helper()
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		for _, c := range cs {
			if err := tx.CreateCard(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// same asserts that got is want as a store returns it: without the PAN.
func same(t *testing.T, want, got card.Card) {
	t.Helper()
	want = want.Clone()
	want.PAN = card.PAN{}
	assert.True(t, got.PAN.IsZero(), "a store never returns the number")
	assert.True(t, want.CreatedAt.Equal(got.CreatedAt))
	assert.True(t, want.UpdatedAt.Equal(got.UpdatedAt))
	assert.True(t, want.ActivatedAt.Equal(got.ActivatedAt))
	want.CreatedAt, want.UpdatedAt, want.ActivatedAt = got.CreatedAt, got.UpdatedAt, got.ActivatedAt
	assert.Equal(t, want, got)
}

// The checks.

func testCardCRUD(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := Card("acme", 1)
	c.ProviderRefs = map[string]string{"synctera": "7d943c51-e4ff-4e57-9558-08cab6b963c7", "solid": "crd-8df1a028"}
	create(t, s, c)

	got, err := s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	same(t, c, got)
	got, err = s.CardByProviderRef(ctx, "acme", "solid", "crd-8df1a028")
	require.NoError(t, err)
	same(t, c, got)

	read := c.Version
	require.NoError(t, c.Suspend(card.ReasonREQ, card.ActorHolder, t0.Add(time.Hour)))
	c.ProviderRefs = map[string]string{"synctera": "7d943c51-e4ff-4e57-9558-08cab6b963c7", "offblocks": "fc4912aa"}
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, c, read) })
	got, err = s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	same(t, c, got)
	assert.Equal(t, card.StatusSuspended, got.Status)

	_, err = s.CardByProviderRef(ctx, "acme", "solid", "crd-8df1a028")
	require.ErrorIs(t, err, storage.ErrNotFound, "a dropped reference no longer finds the card")
	got, err = s.CardByProviderRef(ctx, "acme", "offblocks", "fc4912aa")
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
}

func testCardCopies(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := Card("acme", 1)
	c.Controls.AllowedCategories = []card.MCC{5411}
	create(t, s, c)
	c.Metadata["n"] = "changed after create"
	c.Controls.AllowedCategories[0] = 1

	got, err := s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	assert.Equal(t, "1", got.Metadata["n"])
	assert.Equal(t, card.MCC(5411), got.Controls.AllowedCategories[0])
	got.Metadata["n"] = "changed after read"
	again, err := s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	assert.Equal(t, "1", again.Metadata["n"], "a returned card shares nothing with the store")
}

func testCardInvalid(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := Card("acme", 1)
	c.Emboss.Line1 = "FAR TOO LONG FOR ANY EMBOSSING MACHINE"
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) })
	require.ErrorIs(t, err, card.ErrInvalid)
	var e *card.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Has("emboss.line1", card.CodeTooLong))
	_, err = s.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrNotFound, "nothing is written")

	ok := Card("acme", 2)
	create(t, s, ok)
	bad := ok
	bad.Version = 2
	bad.Status = 0
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, bad, 1) })
	require.ErrorIs(t, err, card.ErrInvalid)
	// An update must store a newer version than it read.
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, ok, ok.Version) })
	require.ErrorIs(t, err, card.ErrInvalid)
	got, err := s.Card(ctx, "acme", ok.ID)
	require.NoError(t, err)
	same(t, ok, got)
}

func testCardDuplicate(t *testing.T, s storage.Store) {
	ctx := context.Background()
	a := Card("acme", 1)
	a.ProviderRefs = map[string]string{"synctera": "ref-a"}
	create(t, s, a)

	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, a) })
	require.ErrorIs(t, err, storage.ErrDuplicate, "same id")

	b := Card("acme", 2)
	b.ProviderRefs = map[string]string{"synctera": "ref-a"}
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, b) })
	require.ErrorIs(t, err, storage.ErrDuplicate, "same provider reference")
	_, err = s.Card(ctx, "acme", b.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)

	// A failed create leaves nothing behind even in a unit that goes on and
	// commits, whichever of its references is written first (map order
	// varies, so several cards try).
	for i := range 8 {
		c := Card("acme", 10+i)
		c.ProviderRefs = map[string]string{"offblocks": fmt.Sprint("ref-c", i), "synctera": "ref-a"}
		atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
			if err := tx.CreateCard(ctx, c); !errors.Is(err, storage.ErrDuplicate) {
				return fmt.Errorf("a taken reference: %v", err)
			}
			return nil
		})
		_, err = s.Card(ctx, "acme", c.ID)
		require.ErrorIs(t, err, storage.ErrNotFound)
		_, err = s.CardByProviderRef(ctx, "acme", "offblocks", fmt.Sprint("ref-c", i))
		require.ErrorIs(t, err, storage.ErrNotFound)
	}

	b.ProviderRefs = map[string]string{"synctera": "ref-b", "solid": "ref-a"}
	create(t, s, b) // the same id at another provider is another reference
	b.Version++
	b.ProviderRefs = map[string]string{"synctera": "ref-a"}
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, b, b.Version-1) })
	require.ErrorIs(t, err, storage.ErrDuplicate, "an update may not take another card's reference")
	got, err := s.CardByProviderRef(ctx, "acme", "synctera", "ref-b")
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)
}

func testCardNotFound(t *testing.T, s storage.Store) {
	ctx := context.Background()
	_, err := s.Card(ctx, "acme", uuid.New())
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.CardByProviderRef(ctx, "acme", "synctera", "nope")
	require.ErrorIs(t, err, storage.ErrNotFound)
	c := Card("acme", 1)
	c.Version = 2
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, c, 1) })
	require.ErrorIs(t, err, storage.ErrNotFound)
	page, err := s.ListCards(ctx, "acme", storage.CardFilter{}, storage.Page{})
	require.NoError(t, err)
	assert.Empty(t, page.Cards)
	assert.Empty(t, page.Next)
}

func testCardConflict(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := Card("acme", 1)
	create(t, s, c)
	first, second := c.Clone(), c.Clone()
	require.NoError(t, first.Suspend(card.ReasonREQ, card.ActorHolder, t0.Add(time.Minute)))
	require.NoError(t, second.Terminate(card.ReasonREQ, card.ActorHolder, t0.Add(time.Minute)))

	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, first, c.Version) })
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, second, c.Version) })
	require.ErrorIs(t, err, storage.ErrConflict, "the second writer read a stale version")
	got, err := s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	assert.Equal(t, card.StatusSuspended, got.Status, "the stale write changed nothing")
}

// testCardConcurrentUpdates races writers on one card: every update that
// succeeds moved the version on by one from what it read; none is lost.
func testCardConcurrentUpdates(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := Card("acme", 1)
	create(t, s, c)
	const writers, rounds = 8, 10
	var mu sync.Mutex
	wins := 0
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				cur, err := s.Card(ctx, "acme", c.ID)
				if err != nil {
					t.Error(err)
					return
				}
				cur.Memo = fmt.Sprintf("writer %d round %d", w, r)
				read := cur.Version
				cur.Version++
				err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, cur, read) })
				switch {
				case err == nil:
					mu.Lock()
					wins++
					mu.Unlock()
				case !errors.Is(err, storage.ErrConflict):
					t.Errorf("unexpected error: %v", err)
				}
			}
		})
	}
	wg.Wait()
	got, err := s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Version+int64(wins), got.Version, "every successful update, and only those, counted")
	assert.Positive(t, wins)
}

func testFingerprint(t *testing.T, s storage.Store) {
	ctx := context.Background()
	a, b, other := Card("acme", 7), Card("acme", 7), Card("acme", 8)
	b.CreatedAt, b.UpdatedAt = t0.Add(time.Hour), t0.Add(time.Hour) // a same-number replacement
	create(t, s, a)
	create(t, s, b, other)
	got, err := s.CardsByFingerprint(ctx, "acme", a.Fingerprint)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, b.ID, got[0].ID, "newest first")
	assert.Equal(t, a.ID, got[1].ID)
	got, err = s.CardsByFingerprint(ctx, "acme", card.Fingerprint{9})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func testTenantIsolation(t *testing.T, s storage.Store) {
	ctx := context.Background()
	a := Card("acme", 1)
	a.ProviderRefs = map[string]string{"synctera": "shared-ref"}
	create(t, s, a)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		e := Event(a, "issued")
		if err := tx.AppendEvent(ctx, &e); err != nil {
			return err
		}
		_, err := tx.ClaimKey(ctx, Key("acme", "k1"))
		if err != nil {
			return err
		}
		return tx.CreateAccount(ctx, integrated("acme", "h1", card.CurrencyUSD, true))
	})

	_, err := s.Card(ctx, "globex", a.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.CardByProviderRef(ctx, "globex", "synctera", "shared-ref")
	require.ErrorIs(t, err, storage.ErrNotFound)
	fps, err := s.CardsByFingerprint(ctx, "globex", a.Fingerprint)
	require.NoError(t, err)
	assert.Empty(t, fps)
	page, err := s.ListCards(ctx, "globex", storage.CardFilter{}, storage.Page{})
	require.NoError(t, err)
	assert.Empty(t, page.Cards)
	evs, err := s.Events(ctx, "globex", a.ID, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, evs)
	_, err = s.Key(ctx, "globex", "k1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	accs, err := s.Accounts(ctx, "globex", account.Holder{Kind: account.HolderCustomer, ID: "h1"})
	require.NoError(t, err)
	assert.Empty(t, accs)

	// The other tenant may use the same keys and references.
	b := Card("globex", 1)
	b.ID = a.ID
	b.ProviderRefs = map[string]string{"synctera": "shared-ref"}
	create(t, s, b)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, Key("globex", "k1"))
		if err != nil {
			return err
		}
		return tx.CreateAccount(ctx, integrated("globex", "h1", card.CurrencyUSD, true))
	})
	// And cannot touch the first tenant's card.
	steal := a.Clone()
	steal.Tenant = "globex"
	steal.ID = uuid.New()
	steal.Version = 2
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateCard(ctx, steal, 1) })
	require.ErrorIs(t, err, storage.ErrNotFound)
	got, err := s.Card(ctx, "acme", a.ID)
	require.NoError(t, err)
	assert.Equal(t, "acme", got.Tenant)
	purged := 0
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		n, err := tx.PurgeKeys(ctx, "globex", t0.Add(time.Hour))
		purged = n
		return err
	})
	assert.Equal(t, 1, purged)
	_, err = s.Key(ctx, "acme", "k1")
	require.NoError(t, err, "purging one tenant's keys leaves the other's")
}

var errBoom = errors.New("boom")

func testAtomicRollsBack(t *testing.T, s storage.Store) {
	ctx := context.Background()
	before := Card("acme", 1)
	acc := integrated("acme", "h1", card.CurrencyUSD, true)
	create(t, s, before)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, acc) })
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, Key("acme", "old"))
		return err
	})

	c := Card("acme", 2)
	c.ProviderRefs = map[string]string{"solid": "crd-1"}
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.CreateCard(ctx, c); err != nil {
			return err
		}
		e := Event(c, "issued")
		if err := tx.AppendEvent(ctx, &e); err != nil {
			return err
		}
		if _, err := tx.ClaimKey(ctx, Key("acme", "k1")); err != nil {
			return err
		}
		upd := before.Clone()
		upd.Memo = "changed"
		upd.Version++
		if err := tx.UpdateCard(ctx, upd, before.Version); err != nil {
			return err
		}
		a := acc.Clone()
		a.Name = "changed"
		a.Version++
		if err := tx.UpdateAccount(ctx, a, acc.Version); err != nil {
			return err
		}
		r, err := tx.Key(ctx, "acme", "old")
		if err != nil {
			return err
		}
		r.State, r.Version = storage.KeyCompleted, r.Version+1
		if err := tx.UpdateKey(ctx, r, r.Version-1); err != nil {
			return err
		}
		if _, err := tx.ClaimKey(ctx, Key("acme", "k1")); !errors.Is(err, storage.ErrDuplicate) {
			return fmt.Errorf("claim inside the unit: %v", err)
		}
		if _, err := tx.PurgeKeys(ctx, "acme", t0.Add(time.Hour)); err != nil {
			return err
		}
		return errBoom
	})
	require.ErrorIs(t, err, errBoom)

	_, err = s.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.CardByProviderRef(ctx, "acme", "solid", "crd-1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	evs, err := s.Events(ctx, "acme", c.ID, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, evs)
	_, err = s.Key(ctx, "acme", "k1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	old, err := s.Key(ctx, "acme", "old")
	require.NoError(t, err, "the purge was rolled back")
	assert.Equal(t, storage.KeyInProgress, old.State)
	got, err := s.Card(ctx, "acme", before.ID)
	require.NoError(t, err)
	same(t, before, got)
	gotAcc, err := s.Account(ctx, "acme", acc.ID)
	require.NoError(t, err)
	assert.Equal(t, "Spending", gotAcc.Name)
	page, err := s.ListCards(ctx, "acme", storage.CardFilter{}, storage.Page{})
	require.NoError(t, err)
	assert.Len(t, page.Cards, 1)

	// A store that rolled back still works.
	create(t, s, c)
}

func testAtomicPanics(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := Card("acme", 1)
	assert.PanicsWithValue(t, "boom", func() {
		_ = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
			if err := tx.CreateCard(ctx, c); err != nil {
				return err
			}
			panic("boom")
		})
	})
	_, err := s.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
	create(t, s, c)
}

func testAtomicReadsOwnWrites(t *testing.T, s storage.Store) {
	c := Card("acme", 1)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.CreateCard(ctx, c); err != nil {
			return err
		}
		got, err := tx.Card(ctx, "acme", c.ID)
		if err != nil {
			return err
		}
		if got.ID != c.ID {
			return fmt.Errorf("read %v", got.ID)
		}
		page, err := tx.ListCards(ctx, "acme", storage.CardFilter{}, storage.Page{})
		if err != nil || len(page.Cards) != 1 {
			return fmt.Errorf("listing inside the unit: %v, %d cards", err, len(page.Cards))
		}
		return nil
	})
}

// testRelaxedUnit: a unit committed storage.Relaxed is as atomic and as
// visible as any other.
func testRelaxedUnit(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c, bad := Card("acme", 1), Card("acme", 2)
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return Issue(ctx, tx, c) }, storage.Relaxed()))
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := Issue(ctx, tx, bad); err != nil {
			return err
		}
		return errBoom
	}, storage.Relaxed())
	require.ErrorIs(t, err, errBoom)
	_, err = s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	_, err = s.Card(ctx, "acme", bad.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
	// A durable unit after a relaxed one is durable as before; nothing to
	// see here but that it works.
	create(t, s, Card("acme", 3))
}

// list pages through a listing and returns the ids in order.
func list(t *testing.T, s storage.Store, f storage.CardFilter, limit int) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10000, "paging does not end")
		page, err := s.ListCards(context.Background(), "acme", f, storage.Page{Cursor: cursor, Limit: limit})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Cards), limit)
		for _, c := range page.Cards {
			ids = append(ids, c.ID)
		}
		if page.Next == "" {
			return ids
		}
		require.Len(t, page.Cards, limit, "only the last page is short")
		cursor = page.Next
	}
}

func testPagination(t *testing.T, s storage.Store) {
	ctx := context.Background()
	var all []card.Card
	for i := range 23 {
		c := Card("acme", i)
		c.AccountID = []string{"acct-a", "acct-b"}[i%2]
		c.Holder = card.Holder{CustomerID: []string{"c1", "c2", "c3"}[i%3]}
		if i%5 == 0 {
			c.Holder.BusinessID = "bus-5"
		}
		create(t, s, c)
		all = append(all, c)
	}
	want := func(keep func(card.Card) bool) []uuid.UUID {
		var ids []uuid.UUID
		for i := len(all) - 1; i >= 0; i-- {
			if keep(all[i]) {
				ids = append(ids, all[i].ID)
			}
		}
		return ids
	}
	for _, limit := range []int{1, 5, 7, 23, 100} {
		assert.Equal(t, want(func(card.Card) bool { return true }), list(t, s, storage.CardFilter{}, limit), "all, limit %d", limit)
		assert.Equal(t, want(func(c card.Card) bool { return c.AccountID == "acct-b" }),
			list(t, s, storage.CardFilter{AccountID: "acct-b"}, limit), "by account, limit %d", limit)
		assert.Equal(t, want(func(c card.Card) bool { return c.Holder.CustomerID == "c3" }),
			list(t, s, storage.CardFilter{CustomerID: "c3"}, limit), "by customer, limit %d", limit)
		assert.Equal(t, want(func(c card.Card) bool { return c.Holder.BusinessID == "bus-5" }),
			list(t, s, storage.CardFilter{BusinessID: "bus-5"}, limit), "by business, limit %d", limit)
	}
	page, err := s.ListCards(ctx, "acme", storage.CardFilter{}, storage.Page{})
	require.NoError(t, err)
	assert.Len(t, page.Cards, 23, "the default limit covers them")

	for _, bad := range []string{"nope", "Yy4w", storage.EncodeCursor(0)[:3] + "!"} {
		_, err := s.ListCards(ctx, "acme", storage.CardFilter{}, storage.Page{Cursor: bad})
		require.ErrorIs(t, err, card.ErrInvalid, bad)
	}
}

func testPaginationConcurrentInserts(t *testing.T, s storage.Store) {
	var before []uuid.UUID
	for i := range 40 {
		c := Card("acme", i)
		create(t, s, c)
		before = append(before, c.ID)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 40 {
			c := Card("acme", 100+i)
			if err := s.Atomic(context.Background(), func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) }); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	seen := map[uuid.UUID]int{}
	for _, id := range list(t, s, storage.CardFilter{}, 3) {
		seen[id]++
	}
	<-done
	for id, n := range seen {
		assert.Equal(t, 1, n, "card %v listed %d times", id, n)
	}
	for _, id := range before {
		assert.Equal(t, 1, seen[id], "a card that existed before paging began is listed once")
	}
}

func testEvents(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c, other := Card("acme", 1), Card("acme", 2)
	create(t, s, c, other)
	kinds := []string{"issued", "activated", "suspended", "resumed", "terminated"}
	for i, k := range kinds {
		e := Event(c, k)
		e.At = t0.Add(time.Duration(i) * time.Minute)
		e.IdempotencyKey = "key-" + k
		atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, &e) })
		assert.Equal(t, int64(i+1), e.Seq)
	}
	e := Event(other, "issued")
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, &e) })
	assert.Equal(t, int64(1), e.Seq, "numbering is per card")

	// A card created in a unit, with events in that unit and the next; the
	// same id in another tenant numbers apart.
	fresh := Card("acme", 3)
	twin := Card("globex", 3)
	twin.ID = fresh.ID
	var seqs []int64
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		for _, c := range []card.Card{fresh, twin} {
			if err := tx.CreateCard(ctx, c); err != nil {
				return err
			}
		}
		for _, c := range []card.Card{fresh, fresh, twin} {
			e := Event(c, "issued")
			if err := tx.AppendEvent(ctx, &e); err != nil {
				return err
			}
			seqs = append(seqs, e.Seq)
		}
		return nil
	})
	e = Event(fresh, "activated")
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, &e) })
	assert.Equal(t, []int64{1, 2, 1, 3}, append(seqs, e.Seq))

	evs, err := s.Events(ctx, "acme", c.ID, 0, 0)
	require.NoError(t, err)
	require.Len(t, evs, 5)
	for i, ev := range evs {
		assert.Equal(t, int64(i+1), ev.Seq)
		assert.Equal(t, kinds[i], ev.Kind)
		assert.True(t, ev.At.Equal(t0.Add(time.Duration(i)*time.Minute)))
		assert.Equal(t, "key-"+kinds[i], ev.IdempotencyKey)
		assert.Equal(t, card.ActorProvider, ev.Actor)
		assert.Equal(t, card.StatusActive, ev.To)
	}
	evs, err = s.Events(ctx, "acme", c.ID, 2, 2)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, []string{"suspended", "resumed"}, []string{evs[0].Kind, evs[1].Kind})

	ghost := Event(Card("acme", 3), "issued")
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, &ghost) })
	require.ErrorIs(t, err, storage.ErrNotFound, "an event needs its card")
	bad := Event(c, "")
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, &bad) })
	require.ErrorIs(t, err, card.ErrInvalid)
}

func testKeys(t *testing.T, s storage.Store) {
	ctx := context.Background()
	r := Key("acme", "order-1")
	var got storage.KeyRecord
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		var err error
		got, err = tx.ClaimKey(ctx, r)
		return err
	})
	assert.Equal(t, int64(1), got.Version)

	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		other := r
		other.RequestHash = [32]byte{9}
		existing, err := tx.ClaimKey(ctx, other)
		if !errors.Is(err, storage.ErrDuplicate) {
			return fmt.Errorf("second claim: %v", err)
		}
		if existing.RequestHash != r.RequestHash || existing.Version != 1 {
			return fmt.Errorf("second claim returned %+v", existing)
		}
		return nil
	})
	require.NoError(t, err)

	made := Card("acme", 1)
	create(t, s, made)
	done := got
	done.State, done.RecoveryPoint, done.Result = storage.KeyCompleted, "finished", []byte(`{"card":"x"}`)
	done.Version = 2
	done.CardID = uuid.New()
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, done, 1) })
	require.ErrorIs(t, err, storage.ErrNotFound, "a record points only to a card that exists")
	done.CardID = made.ID
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, done, 1) })
	read, err := s.Key(ctx, "acme", "order-1")
	require.NoError(t, err)
	assert.Equal(t, storage.KeyCompleted, read.State)
	assert.Equal(t, "finished", read.RecoveryPoint)
	assert.Equal(t, `{"card":"x"}`, string(read.Result))
	assert.Equal(t, done.CardID, read.CardID)
	assert.True(t, read.LeaseUntil.Equal(r.LeaseUntil))
	assert.True(t, read.CreatedAt.Equal(r.CreatedAt))
	read.Result[0] = 'X'
	again, err := s.Key(ctx, "acme", "order-1")
	require.NoError(t, err)
	assert.Equal(t, `{"card":"x"}`, string(again.Result), "a returned result shares nothing with the store")

	// An update may move CreatedAt (a lease taken again restarts its
	// record's age).
	moved := done
	moved.Version, moved.CreatedAt = 3, t0.Add(time.Hour)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, moved, 2) })
	read, err = s.Key(ctx, "acme", "order-1")
	require.NoError(t, err)
	assert.True(t, read.CreatedAt.Equal(moved.CreatedAt), "CreatedAt %v", read.CreatedAt)
	assert.Equal(t, int64(3), read.Version)

	for _, stale := range []storage.KeyRecord{done, moved} {
		stale.Version = 4
		err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, stale, 1) })
		require.ErrorIs(t, err, storage.ErrConflict)
	}
	missing := Key("acme", "nope")
	missing.Version = 2
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, missing, 1) })
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Key(ctx, "acme", "nope")
	require.ErrorIs(t, err, storage.ErrNotFound)
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, Key("acme", ""))
		return err
	})
	require.ErrorIs(t, err, card.ErrInvalid)
	dangling := Key("acme", "dangling")
	dangling.CardID = uuid.New()
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, dangling)
		return err
	})
	require.ErrorIs(t, err, storage.ErrNotFound, "a record points only to a card that exists")
	// A duplicate is told before a dangling card: the existing record wins.
	reclaim := Key("acme", "order-1")
	reclaim.CardID = uuid.New()
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		existing, err := tx.ClaimKey(ctx, reclaim)
		if existing.Key != "order-1" {
			return fmt.Errorf("no existing record with %v", err)
		}
		return err
	})
	require.ErrorIs(t, err, storage.ErrDuplicate)

	// Purge removes what is older than the window and nothing else.
	young := Key("acme", "young")
	young.CreatedAt = t0.Add(48 * time.Hour)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, young); return err })
	n := 0
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		n, err = tx.PurgeKeys(ctx, "acme", t0.Add(24*time.Hour))
		return err
	})
	assert.Equal(t, 1, n)
	_, err = s.Key(ctx, "acme", "order-1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = s.Key(ctx, "acme", "young")
	require.NoError(t, err)
}

func testKeysConcurrentClaims(t *testing.T, s storage.Store) {
	const n = 64
	var wins, dups int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := Key("acme", "the-key")
			r.RecoveryPoint = fmt.Sprint("claimer-", i)
			err := s.Atomic(context.Background(), func(ctx context.Context, tx storage.Tx) error {
				_, err := tx.ClaimKey(ctx, r)
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, storage.ErrDuplicate):
				dups++
			default:
				t.Errorf("claim: %v", err)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, wins, "exactly one claim wins")
	assert.Equal(t, n-1, dups)
}

func testAccounts(t *testing.T, s storage.Store) {
	ctx := context.Background()
	a := integrated("acme", "h1", card.CurrencyUSD, false)
	pan, err := card.ParsePAN("4111111111111111")
	require.NoError(t, err)
	ext := a
	ext.ID, ext.Kind, ext.Subtype = uuid.New(), account.KindExternal, card.TypeCredit
	ext.External = &account.ExternalCard{
		FirstName: "Mark", LastName: "Strong", Expiry: card.Expiry{Year: 2027, Month: time.December},
		BillingAddress: card.Address{Line1: "625 Queen St", City: "Vancouver", Region: "BC", PostalCode: "V5K 0A1", Country: card.CountryCA},
	}
	ext.External.SetPAN(pan, key)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.CreateAccount(ctx, a); err != nil {
			return err
		}
		return tx.CreateAccount(ctx, ext)
	})
	got, err := s.Account(ctx, "acme", ext.ID)
	require.NoError(t, err)
	assert.True(t, got.External.PAN.IsZero(), "a store never returns the number")
	assert.Equal(t, "1111", got.External.LastFour)
	assert.Equal(t, ext.External.Fingerprint, got.External.Fingerprint)

	accs, err := s.Accounts(ctx, "acme", a.Holder)
	require.NoError(t, err)
	require.Len(t, accs, 2)
	assert.Equal(t, a.ID, accs[0].ID, "oldest first")

	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, a) })
	require.ErrorIs(t, err, storage.ErrDuplicate)
	upd := a
	upd.Name, upd.Version = "Renamed", 2
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateAccount(ctx, upd, 1) })
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateAccount(ctx, upd, 1) })
	require.ErrorIs(t, err, storage.ErrConflict)
	_, err = s.Account(ctx, "acme", uuid.New())
	require.ErrorIs(t, err, storage.ErrNotFound)
	bad := a
	bad.ID, bad.Name = uuid.New(), ""
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, bad) })
	require.ErrorIs(t, err, card.ErrInvalid)
}

func testAccountDefaults(t *testing.T, s storage.Store) {
	ctx := context.Background()
	usd := integrated("acme", "h1", card.CurrencyUSD, true)
	cad := integrated("acme", "h1", card.CurrencyCAD, true)
	other := integrated("acme", "h2", card.CurrencyUSD, true)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		for _, a := range []account.Account{usd, cad, other} {
			if err := tx.CreateAccount(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	second := integrated("acme", "h1", card.CurrencyUSD, true)
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, second) })
	require.ErrorIs(t, err, storage.ErrDuplicate, "a second default for the holder and currency")

	// Moving the default, as account.SetDefault does, in one unit.
	second.Default = false
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, second) })
	accs := []account.Account{usd, second}
	changed := account.SetDefault(accs, 1, t0.Add(time.Hour))
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error {
		for _, i := range changed { // clear the old default first
			if err := tx.UpdateAccount(ctx, accs[i], accs[i].Version-1); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.Account(ctx, "acme", second.ID)
	require.NoError(t, err)
	assert.True(t, got.Default)
	all, err := s.Accounts(ctx, "acme", usd.Holder)
	require.NoError(t, err)
	var defaults []account.Account
	for _, a := range all {
		if a.Default {
			defaults = append(defaults, a)
		}
	}
	require.NoError(t, account.CheckDefaults(all))
	assert.Len(t, defaults, 2, "one USD, one CAD")
}

func testHostileInput(t *testing.T, s storage.Store) {
	ctx := context.Background()
	tenant := `ac'me"; DROP TABLE cards; --`
	c := Card(tenant, 1)
	c.AccountID = `acct' OR '1'='1`
	c.Holder.CustomerID = "cust\\%_"
	c.Memo = "Robert'); DROP TABLE cards;--"
	c.ProviderRefs = map[string]string{"synctera": `{{accountId}}"'`}
	c.Metadata = map[string]string{"quote'\"": "ünïcödé ✓", "k": `"}{`}
	create(t, s, c)
	got, err := s.Card(ctx, tenant, c.ID)
	require.NoError(t, err)
	same(t, c, got)
	got, err = s.CardByProviderRef(ctx, tenant, "synctera", `{{accountId}}"'`)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
	page, err := s.ListCards(ctx, tenant, storage.CardFilter{AccountID: c.AccountID, CustomerID: "cust\\%_"}, storage.Page{})
	require.NoError(t, err)
	require.Len(t, page.Cards, 1)
	page, err = s.ListCards(ctx, tenant, storage.CardFilter{CustomerID: "cust%"}, storage.Page{})
	require.NoError(t, err)
	assert.Empty(t, page.Cards, "filters match exactly, not as patterns")

	huge := Card("acme", 2)
	huge.Metadata = map[string]string{}
	for i := range 60 {
		huge.Metadata[fmt.Sprint("k", i)] = string(make([]byte, 600))
	}
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, huge) })
	require.ErrorIs(t, err, card.ErrInvalid, "huge metadata is refused clearly")
	utf := Card("acme", 3)
	utf.Memo = "bad \xff\xfe"
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, utf) })
	require.ErrorIs(t, err, card.ErrInvalid, "invalid UTF-8 is refused clearly")
	for _, id := range []uuid.UUID{huge.ID, utf.ID} {
		_, err = s.Card(ctx, "acme", id)
		require.ErrorIs(t, err, storage.ErrNotFound)
	}
}

// testErrorsShowNoCardNumber: a store names in its errors the references
// and keys it was given, but never a card number a caller put in one.
func testErrorsShowNoCardNumber(t *testing.T, s storage.Store) {
	ctx := context.Background()
	const pan = "4242424242424242"
	shows := func(err error) {
		t.Helper()
		require.Error(t, err)
		assert.False(t, card.HoldsCardNumber(err.Error()), "%v", err)
		assert.Contains(t, err.Error(), "[redacted]", "the value is named, without the number")
	}
	_, err := s.CardByProviderRef(ctx, "acme", "synctera", "ref "+pan)
	require.ErrorIs(t, err, storage.ErrNotFound)
	shows(err)
	_, err = s.Key(ctx, "acme", "key "+pan)
	require.ErrorIs(t, err, storage.ErrNotFound)
	shows(err)
	k := Key("acme", "key "+pan)
	atomic(t, s, func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, k); return err })
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, k); return err })
	require.ErrorIs(t, err, storage.ErrDuplicate)
	shows(err)
	stale := k
	stale.Version = 3
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, stale, 2) })
	require.ErrorIs(t, err, storage.ErrConflict)
	shows(err)
	missing := Key("acme", "other "+pan)
	missing.Version = 2
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, missing, 1) })
	require.ErrorIs(t, err, storage.ErrNotFound)
	shows(err)
}

// testTimesKept: a store keeps times from 1677-09-21T00:12:43.145224193Z to
// 2262-04-11T23:47:16.854775807Z (Unix nanoseconds in an int64, but for the
// least); one beyond them is refused naming its field,
// not stored as another time, and a purge bound beyond them means every
// key or none.
func testTimesKept(t *testing.T, s storage.Store) {
	ctx := context.Background()
	late, early := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	refused := func(t *testing.T, field string, fn func(context.Context, storage.Tx) error) {
		t.Helper()
		err := s.Atomic(ctx, fn)
		require.ErrorIs(t, err, card.ErrInvalid)
		var e *card.Error
		require.ErrorAs(t, err, &e)
		assert.True(t, e.Has(field, card.CodeOutOfRange), "%v", err)
	}

	c := Card("acme", 1)
	c.CreatedAt, c.UpdatedAt = late, late
	refused(t, "created_at", func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) })
	_, err := s.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrNotFound, "nothing is written")
	a := integrated("acme", "cust-1", card.CurrencyUSD, false)
	a.CreatedAt, a.UpdatedAt = early, early
	refused(t, "updated_at", func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, a) })

	ok := Card("acme", 2)
	create(t, s, ok)
	e := Event(ok, "suspended")
	e.At = late
	refused(t, "at", func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, &e) })
	events, err := s.Events(ctx, "acme", ok.ID, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, events)
	r := Key("acme", "far")
	r.LeaseUntil = late
	refused(t, "lease_until", func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, r); return err })

	// The edges, to the nanosecond, and the Unix epoch are kept as they
	// are; a nanosecond beyond an edge is refused.
	first, last := time.Unix(0, math.MinInt64+1).UTC(), time.Unix(0, math.MaxInt64).UTC()
	r = Key("acme", "before-first")
	r.LeaseUntil = first.Add(-1)
	refused(t, "lease_until", func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, r); return err })
	r = Key("acme", "after-last")
	r.CreatedAt = last.Add(time.Nanosecond)
	refused(t, "created_at", func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, r); return err })
	epoch := time.Unix(0, 0).UTC()
	for key, times := range map[string][2]time.Time{"edges": {first, last}, "last": {last, epoch}, "epoch": {epoch, first}} {
		r = Key("acme", key)
		r.CreatedAt, r.LeaseUntil = times[0], times[1]
		atomic(t, s, func(ctx context.Context, tx storage.Tx) error { _, err := tx.ClaimKey(ctx, r); return err })
		got, err := s.Key(ctx, "acme", key)
		require.NoError(t, err)
		assert.True(t, got.CreatedAt.Equal(times[0]), "%s: created_at %v", key, got.CreatedAt)
		assert.True(t, got.LeaseUntil.Equal(times[1]), "%s: lease_until %v", key, got.LeaseUntil)
		// The record read back can be written again as it is.
		next := got
		next.Version++
		atomic(t, s, func(ctx context.Context, tx storage.Tx) error { return tx.UpdateKey(ctx, next, got.Version) })
	}

	var n int
	purge := func(before time.Time) int {
		atomic(t, s, func(ctx context.Context, tx storage.Tx) (err error) {
			n, err = tx.PurgeKeys(ctx, "acme", before)
			return err
		})
		return n
	}
	assert.Zero(t, purge(early), "nothing was made before 1600")
	assert.Zero(t, purge(first), "nothing was made before the first time kept")
	assert.Equal(t, 1, purge(first.Add(1)), "the key made at the first time")
	assert.Equal(t, 1, purge(last), "the key made at the epoch")
	assert.Equal(t, 1, purge(late), "the key made at the last time kept was made before 2300")
}

func testCanceledContext(t *testing.T, s storage.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := Card("acme", 1)
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) })
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, context.Canceled)
	_, err = s.Card(context.Background(), "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrNotFound, "a canceled unit writes nothing")
}

// testCanceledInsideUnit: a context canceled between two writes of a unit
// fails the unit, even one whose function ignores the errors, and the unit
// keeps neither write.
func testCanceledInsideUnit(t *testing.T, s storage.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, b := Card("acme", 1), Card("acme", 2)
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.CreateCard(ctx, a); err != nil {
			return err
		}
		cancel()
		// A store may refuse what follows at once, or at commit.
		if err := tx.CreateCard(ctx, b); err != nil {
			assert.ErrorIs(t, err, context.Canceled, "a write after the cancellation")
		}
		if _, err := tx.Card(ctx, "acme", a.ID); err != nil {
			assert.ErrorIs(t, err, context.Canceled, "a read after the cancellation")
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	for _, c := range []card.Card{a, b} {
		_, err := s.Card(context.Background(), "acme", c.ID)
		require.ErrorIs(t, err, storage.ErrNotFound, "card %d", c.ID)
	}
}

// testTxAfterUnit: a Tx kept after its unit returned reads and writes
// nothing: it would do so outside any unit.
func testTxAfterUnit(t *testing.T, s storage.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	var kept storage.Tx
	require.ErrorIs(t, s.Atomic(ctx, func(_ context.Context, tx storage.Tx) error { kept = tx; return boom }), boom)
	c := Card("acme", 1)
	require.ErrorIs(t, kept.CreateCard(ctx, c), storage.ErrTxDone)
	_, err := kept.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrTxDone)
	_, err = s.Card(ctx, "acme", c.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

// testTxOutlivedByGoroutine: a goroutine of a unit that goes on using its
// Tx after the unit ended is refused with ErrTxDone from then on, while
// the next unit runs (go test -race watches the two).
func testTxOutlivedByGoroutine(t *testing.T, s storage.Store) {
	ctx := context.Background()
	refused := make(chan error, 1)
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		first := make(chan struct{})
		go func() {
			for i := 0; ; i++ {
				_, err := tx.ClaimKey(ctx, Key("acme", fmt.Sprint("late-", i)))
				if i == 0 {
					close(first)
				}
				if err != nil {
					refused <- err
					return
				}
			}
		}()
		<-first
		return nil
	}))
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, Key("acme", "next"))
		return err
	}))
	require.ErrorIs(t, <-refused, storage.ErrTxDone)
}

// testRollbackOwnsItsCopies: a failed unit undoes what it stored, not what
// the caller's values say after it: a provider-reference map edited
// between two writes, an event value reused for another card.
func testRollbackOwnsItsCopies(t *testing.T, s storage.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	a, b := Card("acme", 1), Card("acme", 2)
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		for _, c := range []card.Card{a, b} {
			if err := tx.CreateCard(ctx, c); err != nil {
				return err
			}
		}
		e := Event(b, "issued")
		return tx.AppendEvent(ctx, &e)
	}))

	c := Card("acme", 3)
	c.ProviderRefs = map[string]string{"p": "1"}
	err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.CreateCard(ctx, c); err != nil {
			return err
		}
		c.ProviderRefs["p"] = "2"
		c.Version++
		if err := tx.UpdateCard(ctx, c, c.Version-1); err != nil {
			return err
		}
		e := Event(a, "noted")
		for _, id := range []uuid.UUID{a.ID, b.ID} {
			e.CardID = id
			if err := tx.AppendEvent(ctx, &e); err != nil {
				return err
			}
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	for _, ref := range []string{"1", "2"} {
		_, err := s.CardByProviderRef(ctx, "acme", "p", ref)
		require.ErrorIs(t, err, storage.ErrNotFound, "reference %s of a card the unit undid", ref)
	}
	for id, want := range map[uuid.UUID]int{a.ID: 0, b.ID: 1} {
		evs, err := s.Events(ctx, "acme", id, 0, 0)
		require.NoError(t, err)
		require.Len(t, evs, want, "events of card %s", id)
	}
}

// testTimesExact: every time of a card comes back the same instant, also
// in a zone whose offset has seconds (as old local mean times do); a time
// beyond what a store keeps is refused naming its field, in any of them.
func testTimesExact(t *testing.T, s storage.Store) {
	ctx := context.Background()
	lmt := time.FixedZone("LMT", 19*60+32)
	c := Card("acme", 1)
	at := time.Date(1900, 1, 1, 12, 0, 0, 123, lmt)
	c.CreatedAt, c.UpdatedAt, c.ActivatedAt = at, at.Add(time.Hour), at.Add(time.Hour)
	c.PINSet, c.PINSetAt = true, at.Add(2*time.Hour)
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) }))
	got, err := s.Card(ctx, "acme", c.ID)
	require.NoError(t, err)
	for name, pair := range map[string][2]time.Time{
		"created_at": {c.CreatedAt, got.CreatedAt}, "updated_at": {c.UpdatedAt, got.UpdatedAt},
		"activated_at": {c.ActivatedAt, got.ActivatedAt}, "pin_set_at": {c.PINSetAt, got.PINSetAt},
	} {
		assert.True(t, pair[0].Equal(pair[1]), "%s: stored %v, read %v", name, pair[0], pair[1])
	}

	// A time in an ordinary zone comes back in an offset of its own, as
	// callers print it: not moved to UTC.
	est := Card("acme", 3)
	est.CreatedAt = time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("EST", -5*3600))
	est.UpdatedAt = est.CreatedAt
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, est) }))
	got, err = s.Card(ctx, "acme", est.ID)
	require.NoError(t, err)
	_, off := got.CreatedAt.Zone()
	assert.Equal(t, -5*3600, off, "read back at %v", got.CreatedAt)

	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for field, edit := range map[string]func(*card.Card){
		"activated_at": func(c *card.Card) { c.ActivatedAt = far },
		"pin_set_at":   func(c *card.Card) { c.PINSet, c.PINSetAt = true, far },
	} {
		c := Card("acme", 2)
		edit(&c)
		err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) })
		var ce *card.Error
		require.ErrorAs(t, err, &ce, field)
		assert.True(t, ce.Has(field, card.CodeOutOfRange), "%v", err)
	}
}

// testClosed: a closed store refuses units with storage.ErrClosed, and a
// second Close is harmless.
func testClosed(t *testing.T, s storage.Store) {
	require.NoError(t, s.Close())
	err := s.Atomic(context.Background(), func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, Card("acme", 1)) })
	require.ErrorIs(t, err, storage.ErrClosed)
	require.NoError(t, s.Close())
}
