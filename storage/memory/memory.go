// Package memory is a storage.Store held in maps behind a mutex: the same
// semantics as the SQLite store, for tests and for programs that need no
// durability. Records are copied on the way in and out, so no caller can
// change stored state through a pointer, and an atomic unit's writes are
// undone if it fails.
package memory

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/internal/rules"
)

// Store is an in-memory storage.Store. The zero value is not ready; use New.
type Store struct {
	mu      sync.RWMutex
	seq     int64 // insertion order of cards, for listing
	tenants map[string]*tenant
	closed  bool
}

var (
	_ storage.Store = (*Store)(nil)
	_ storage.Tx    = (*tx)(nil)
)

type tenant struct {
	cards    map[uuid.UUID]*cardRow
	order    []*cardRow // in insertion order
	refs     map[ref]uuid.UUID
	events   map[uuid.UUID][]storage.Event
	accounts map[uuid.UUID]account.Account
	accOrder []uuid.UUID
	keys     map[string]storage.KeyRecord
}

type cardRow struct {
	c   card.Card
	seq int64
}

type ref struct{ provider, id string }

// New returns an empty store.
func New() *Store { return &Store{tenants: map[string]*tenant{}} }

// Close marks the store closed; later calls fail.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// tx is an atomic unit: it holds the store's write lock and an undo log.
type tx struct {
	s    *Store
	undo []func()
	// mu makes a tx safe for the goroutines of its unit, as a database/sql
	// one is, and lets the unit end only between two of their calls.
	mu    sync.Mutex
	ended bool // the unit returned: the store's lock is no longer held
}

// errTxDone: a Tx used after its unit ended, which would read and write
// without the lock, outside any unit.
var errTxDone = fmt.Errorf("memory: %w", storage.ErrTxDone)

// locked runs f as one call of t: refused once t's unit ended, and never
// at once with another of its calls.
func (t *tx) locked(f func() error) error {
	_, err := lockedCall(t, func() (struct{}, error) { return struct{}{}, f() })
	return err
}

// lockedCall is locked for a call that returns a value.
func lockedCall[T any](t *tx, f func() (T, error)) (T, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ended {
		var zero T
		return zero, errTxDone
	}
	return f()
}

// Atomic runs fn with the store locked for writing; if fn returns an error
// or panics, every write it made is undone. Nothing here reaches a disk, so
// storage.Relaxed changes nothing.
func (s *Store) Atomic(ctx context.Context, fn func(context.Context, storage.Tx) error, _ ...storage.UnitOption) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return storage.ErrClosed
	}
	t := &tx{s: s}
	defer func() {
		t.mu.Lock() // after any call of fn's goroutines still running
		t.ended = true
		t.mu.Unlock()
		if p := recover(); p != nil {
			t.rollback()
			panic(p)
		}
		if err != nil {
			t.rollback()
		}
	}()
	if err := fn(ctx, t); err != nil {
		return err
	}
	return ctx.Err() // a unit whose context ended is not committed
}

func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
}

// read runs f under the read lock.
func read[T any](s *Store, ctx context.Context, f func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return zero, storage.ErrClosed
	}
	return f()
}

func (s *Store) tenant(name string) *tenant {
	if t, ok := s.tenants[name]; ok {
		return t
	}
	return &tenant{} // an empty view; never stored
}

func (s *Store) tenantForWrite(name string) *tenant {
	t, ok := s.tenants[name]
	if !ok {
		t = &tenant{
			cards:    map[uuid.UUID]*cardRow{},
			refs:     map[ref]uuid.UUID{},
			events:   map[uuid.UUID][]storage.Event{},
			accounts: map[uuid.UUID]account.Account{},
			keys:     map[string]storage.KeyRecord{},
		}
		s.tenants[name] = t
	}
	return t
}

// stored is the copy of c the store keeps: no PAN, nothing shared.
func stored(c card.Card) card.Card {
	c = c.Clone()
	c.PAN = card.PAN{}
	return c
}

// Readers: the Store takes the read lock; the tx already holds the lock.

// Card implements storage.CardReader.
func (s *Store) Card(ctx context.Context, tenant string, id uuid.UUID) (card.Card, error) {
	return read(s, ctx, func() (card.Card, error) { return s.card(tenant, id) })
}

// CardByProviderRef implements storage.CardReader.
func (s *Store) CardByProviderRef(ctx context.Context, tenant, provider, id string) (card.Card, error) {
	return read(s, ctx, func() (card.Card, error) { return s.cardByRef(tenant, provider, id) })
}

// CardsByFingerprint implements storage.CardReader.
func (s *Store) CardsByFingerprint(ctx context.Context, tenant string, fp card.Fingerprint) ([]card.Card, error) {
	return read(s, ctx, func() ([]card.Card, error) { return s.cardsByFingerprint(tenant, fp), nil })
}

// ListCards implements storage.CardReader.
func (s *Store) ListCards(ctx context.Context, tenant string, f storage.CardFilter, page storage.Page) (storage.CardPage, error) {
	return read(s, ctx, func() (storage.CardPage, error) { return s.listCards(tenant, f, page) })
}

// Account implements storage.AccountReader.
func (s *Store) Account(ctx context.Context, tenant string, id uuid.UUID) (account.Account, error) {
	return read(s, ctx, func() (account.Account, error) { return s.account(tenant, id) })
}

// Accounts implements storage.AccountReader.
func (s *Store) Accounts(ctx context.Context, tenant string, h account.Holder) ([]account.Account, error) {
	return read(s, ctx, func() ([]account.Account, error) { return s.accounts(tenant, h), nil })
}

// Events implements storage.EventReader.
func (s *Store) Events(ctx context.Context, tenant string, cardID uuid.UUID, after int64, limit int) ([]storage.Event, error) {
	return read(s, ctx, func() ([]storage.Event, error) { return s.events(tenant, cardID, after, limit), nil })
}

// Key implements storage.KeyReader.
func (s *Store) Key(ctx context.Context, tenant, key string) (storage.KeyRecord, error) {
	return read(s, ctx, func() (storage.KeyRecord, error) { return s.key(tenant, key) })
}

func (t *tx) Card(ctx context.Context, tenant string, id uuid.UUID) (card.Card, error) {
	return lockedCall(t, func() (card.Card, error) {
		return t.s.card(tenant, id)
	})
}

func (t *tx) CardByProviderRef(ctx context.Context, tenant, provider, id string) (card.Card, error) {
	return lockedCall(t, func() (card.Card, error) {
		return t.s.cardByRef(tenant, provider, id)
	})
}

func (t *tx) CardsByFingerprint(ctx context.Context, tenant string, fp card.Fingerprint) ([]card.Card, error) {
	return lockedCall(t, func() ([]card.Card, error) {
		return t.s.cardsByFingerprint(tenant, fp), nil
	})
}

func (t *tx) ListCards(ctx context.Context, tenant string, f storage.CardFilter, page storage.Page) (storage.CardPage, error) {
	return lockedCall(t, func() (storage.CardPage, error) {
		return t.s.listCards(tenant, f, page)
	})
}

func (t *tx) Account(ctx context.Context, tenant string, id uuid.UUID) (account.Account, error) {
	return lockedCall(t, func() (account.Account, error) {
		return t.s.account(tenant, id)
	})
}

func (t *tx) Accounts(ctx context.Context, tenant string, h account.Holder) ([]account.Account, error) {
	return lockedCall(t, func() ([]account.Account, error) {
		return t.s.accounts(tenant, h), nil
	})
}

func (t *tx) Events(ctx context.Context, tenant string, cardID uuid.UUID, after int64, limit int) ([]storage.Event, error) {
	return lockedCall(t, func() ([]storage.Event, error) {
		return t.s.events(tenant, cardID, after, limit), nil
	})
}

func (t *tx) Key(ctx context.Context, tenant, key string) (storage.KeyRecord, error) {
	return lockedCall(t, func() (storage.KeyRecord, error) {
		return t.s.key(tenant, key)
	})
}

func (s *Store) card(tenant string, id uuid.UUID) (card.Card, error) {
	row, ok := s.tenant(tenant).cards[id]
	if !ok {
		return card.Card{}, fmt.Errorf("card %s: %w", id, storage.ErrNotFound)
	}
	return row.c.Clone(), nil
}

func (s *Store) cardByRef(tenant, provider, id string) (card.Card, error) {
	t := s.tenant(tenant)
	cid, ok := t.refs[ref{provider, id}]
	if !ok {
		return card.Card{}, fmt.Errorf("card with %s reference %s: %w", provider, rules.Quote(id), storage.ErrNotFound)
	}
	return t.cards[cid].c.Clone(), nil
}

func (s *Store) cardsByFingerprint(tenant string, fp card.Fingerprint) []card.Card {
	var out []card.Card
	order := s.tenant(tenant).order
	for i := len(order) - 1; i >= 0; i-- {
		if order[i].c.Fingerprint == fp && !fp.IsZero() {
			out = append(out, order[i].c.Clone())
		}
	}
	return out
}

func (s *Store) listCards(tenant string, f storage.CardFilter, page storage.Page) (storage.CardPage, error) {
	before, err := storage.DecodeCursor(page.Cursor)
	if err != nil {
		return storage.CardPage{}, err
	}
	limit := page.EffectiveLimit()
	var out storage.CardPage
	var last int64 // the insertion number of the page's last card
	order := s.tenant(tenant).order
	for i := len(order) - 1; i >= 0; i-- {
		row := order[i]
		if before > 0 && row.seq >= before || !matches(&row.c, f) {
			continue
		}
		if len(out.Cards) == limit {
			out.Next = storage.EncodeCursor(last)
			break
		}
		out.Cards = append(out.Cards, row.c.Clone())
		last = row.seq
	}
	return out, nil
}

func matches(c *card.Card, f storage.CardFilter) bool {
	return (f.AccountID == "" || c.AccountID == f.AccountID) &&
		(f.CustomerID == "" || c.Holder.CustomerID == f.CustomerID) &&
		(f.BusinessID == "" || c.Holder.BusinessID == f.BusinessID)
}

func (s *Store) account(tenant string, id uuid.UUID) (account.Account, error) {
	a, ok := s.tenant(tenant).accounts[id]
	if !ok {
		return account.Account{}, fmt.Errorf("account %s: %w", id, storage.ErrNotFound)
	}
	return a.Clone(), nil
}

func (s *Store) accounts(tenant string, h account.Holder) []account.Account {
	t := s.tenant(tenant)
	var out []account.Account
	for _, id := range t.accOrder {
		if a := t.accounts[id]; a.Holder == h {
			out = append(out, a.Clone())
		}
	}
	return out
}

func (s *Store) events(tenant string, cardID uuid.UUID, after int64, limit int) []storage.Event {
	all := s.tenant(tenant).events[cardID]
	if after < 0 {
		after = 0
	}
	if after >= int64(len(all)) {
		return nil
	}
	rest := all[after:]
	if limit > 0 && limit < len(rest) {
		rest = rest[:limit]
	}
	return slices.Clone(rest)
}

func (s *Store) key(tenant, key string) (storage.KeyRecord, error) {
	r, ok := s.tenant(tenant).keys[key]
	if !ok {
		return storage.KeyRecord{}, fmt.Errorf("idempotency key %s: %w", rules.Quote(key), storage.ErrNotFound)
	}
	r.Result = bytes.Clone(r.Result)
	return r, nil
}

// Writers: only through a tx, which holds the write lock.

func (t *tx) CreateCard(ctx context.Context, c card.Card) error {
	return t.locked(func() error {
		if err := rules.Card("memory.CreateCard", &c); err != nil {
			return err
		}
		tn := t.s.tenantForWrite(c.Tenant)
		if _, dup := tn.cards[c.ID]; dup {
			return fmt.Errorf("card %s: %w", c.ID, storage.ErrDuplicate)
		}
		if err := refsFree(tn, c.ProviderRefs, uuid.Nil); err != nil {
			return err
		}
		t.s.seq++
		row := &cardRow{c: stored(c), seq: t.s.seq}
		tn.cards[c.ID] = row
		tn.order = append(tn.order, row)
		for p, id := range c.ProviderRefs {
			tn.refs[ref{p, id}] = c.ID
		}
		kept := row.c.ProviderRefs // the store's copy: the caller may change c's map
		t.undo = append(t.undo, func() {
			delete(tn.cards, c.ID)
			tn.order = tn.order[:len(tn.order)-1]
			for p, id := range kept {
				delete(tn.refs, ref{p, id})
			}
		})
		return nil
	})
}

// refsFree reports ErrDuplicate if another card than self holds one of refs.
func refsFree(tn *tenant, refs map[string]string, self uuid.UUID) error {
	for p, id := range refs {
		if owner, ok := tn.refs[ref{p, id}]; ok && owner != self {
			return fmt.Errorf("%s reference %s: %w", p, rules.Quote(id), storage.ErrDuplicate)
		}
	}
	return nil
}

func (t *tx) UpdateCard(ctx context.Context, c card.Card, read int64) error {
	return t.locked(func() error {
		if err := rules.Update("memory.UpdateCard", c.Version, read); err != nil {
			return err
		}
		if err := rules.Card("memory.UpdateCard", &c); err != nil {
			return err
		}
		tn := t.s.tenant(c.Tenant)
		row, ok := tn.cards[c.ID]
		if !ok {
			return fmt.Errorf("card %s: %w", c.ID, storage.ErrNotFound)
		}
		if row.c.Version != read {
			return fmt.Errorf("card %s at version %d, not %d: %w", c.ID, row.c.Version, read, storage.ErrConflict)
		}
		if err := refsFree(tn, c.ProviderRefs, c.ID); err != nil {
			return err
		}
		old := row.c
		for p, id := range old.ProviderRefs {
			delete(tn.refs, ref{p, id})
		}
		for p, id := range c.ProviderRefs {
			tn.refs[ref{p, id}] = c.ID
		}
		row.c = stored(c)
		kept := row.c.ProviderRefs // the store's copy: the caller may change c's map
		t.undo = append(t.undo, func() {
			for p, id := range kept {
				delete(tn.refs, ref{p, id})
			}
			for p, id := range old.ProviderRefs {
				tn.refs[ref{p, id}] = c.ID
			}
			row.c = old
		})
		return nil
	})
}

func (t *tx) CreateAccount(ctx context.Context, a account.Account) error {
	return t.locked(func() error {
		if err := rules.Account("memory.CreateAccount", &a); err != nil {
			return err
		}
		tn := t.s.tenantForWrite(a.Tenant)
		if _, dup := tn.accounts[a.ID]; dup {
			return fmt.Errorf("account %s: %w", a.ID, storage.ErrDuplicate)
		}
		if err := defaultFree(tn, &a); err != nil {
			return err
		}
		tn.accounts[a.ID] = storedAccount(a)
		tn.accOrder = append(tn.accOrder, a.ID)
		t.undo = append(t.undo, func() {
			delete(tn.accounts, a.ID)
			tn.accOrder = tn.accOrder[:len(tn.accOrder)-1]
		})
		return nil
	})
}

// defaultFree reports ErrDuplicate if a is a default and another account of
// its holder in its currency is too.
func defaultFree(tn *tenant, a *account.Account) error {
	if !a.Default {
		return nil
	}
	for _, other := range tn.accounts {
		if other.ID != a.ID && other.Default && other.Holder == a.Holder && other.Currency == a.Currency {
			return fmt.Errorf("a second default %s account for the holder: %w", a.Currency, storage.ErrDuplicate)
		}
	}
	return nil
}

func storedAccount(a account.Account) account.Account {
	a = a.Clone()
	if a.External != nil {
		a.External.PAN = card.PAN{}
	}
	return a
}

func (t *tx) UpdateAccount(ctx context.Context, a account.Account, read int64) error {
	return t.locked(func() error {
		if err := rules.Update("memory.UpdateAccount", a.Version, read); err != nil {
			return err
		}
		if err := rules.Account("memory.UpdateAccount", &a); err != nil {
			return err
		}
		tn := t.s.tenant(a.Tenant)
		old, ok := tn.accounts[a.ID]
		if !ok {
			return fmt.Errorf("account %s: %w", a.ID, storage.ErrNotFound)
		}
		if old.Version != read {
			return fmt.Errorf("account %s at version %d, not %d: %w", a.ID, old.Version, read, storage.ErrConflict)
		}
		if err := defaultFree(tn, &a); err != nil {
			return err
		}
		tn.accounts[a.ID] = storedAccount(a)
		t.undo = append(t.undo, func() { tn.accounts[a.ID] = old })
		return nil
	})
}

func (t *tx) AppendEvent(ctx context.Context, e *storage.Event) error {
	return t.locked(func() error {
		if err := e.Validate(); err != nil {
			return err
		}
		tn := t.s.tenant(e.Tenant)
		if _, ok := tn.cards[e.CardID]; !ok {
			return fmt.Errorf("event for card %s: %w", e.CardID, storage.ErrNotFound)
		}
		e.Seq = int64(len(tn.events[e.CardID])) + 1
		tn.events[e.CardID] = append(tn.events[e.CardID], *e)
		id := e.CardID // the caller may reuse e for another card
		t.undo = append(t.undo, func() {
			evs := tn.events[id]
			tn.events[id] = evs[:len(evs)-1]
		})
		return nil
	})
}

func (t *tx) ClaimKey(ctx context.Context, r storage.KeyRecord) (storage.KeyRecord, error) {
	return lockedCall(t, func() (storage.KeyRecord, error) {
		if err := r.Validate(); err != nil {
			return storage.KeyRecord{}, err
		}
		tn := t.s.tenantForWrite(r.Tenant)
		if old, ok := tn.keys[r.Key]; ok {
			old.Result = bytes.Clone(old.Result)
			return old, fmt.Errorf("idempotency key %s: %w", rules.Quote(r.Key), storage.ErrDuplicate)
		}
		if err := cardExists(tn, r.CardID); err != nil {
			return storage.KeyRecord{}, err
		}
		r.Version = 1
		r.Result = bytes.Clone(r.Result)
		tn.keys[r.Key] = r
		t.undo = append(t.undo, func() { delete(tn.keys, r.Key) })
		r.Result = bytes.Clone(r.Result)
		return r, nil
	})
}

func (t *tx) UpdateKey(ctx context.Context, r storage.KeyRecord, read int64) error {
	return t.locked(func() error {
		if err := rules.Update("memory.UpdateKey", r.Version, read); err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return err
		}
		tn := t.s.tenant(r.Tenant)
		old, ok := tn.keys[r.Key]
		if !ok {
			return fmt.Errorf("idempotency key %s: %w", rules.Quote(r.Key), storage.ErrNotFound)
		}
		if old.Version != read {
			return fmt.Errorf("idempotency key %s at version %d, not %d: %w", rules.Quote(r.Key), old.Version, read, storage.ErrConflict)
		}
		if err := cardExists(tn, r.CardID); err != nil {
			return err
		}
		r.Result = bytes.Clone(r.Result)
		tn.keys[r.Key] = r
		t.undo = append(t.undo, func() { tn.keys[r.Key] = old })
		return nil
	})
}

// cardExists reports ErrNotFound for a record that points to a card the
// tenant does not have.
func cardExists(tn *tenant, id uuid.UUID) error {
	if id == uuid.Nil {
		return nil
	}
	if _, ok := tn.cards[id]; !ok {
		return fmt.Errorf("card %s of an idempotency record: %w", id, storage.ErrNotFound)
	}
	return nil
}

func (t *tx) PurgeKeys(ctx context.Context, tenant string, before time.Time) (int, error) {
	return lockedCall(t, func() (int, error) {
		tn := t.s.tenant(tenant)
		var gone []storage.KeyRecord
		for k, r := range tn.keys {
			if r.CreatedAt.Before(before) {
				gone = append(gone, r)
				delete(tn.keys, k)
			}
		}
		t.undo = append(t.undo, func() {
			for _, r := range gone {
				tn.keys[r.Key] = r
			}
		})
		return len(gone), nil
	})
}
