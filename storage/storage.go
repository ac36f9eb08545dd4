// Package storage declares the ports cardkit keeps its records through:
// accounts, cards, each card's append-only history of events, and
// idempotency records, all scoped by tenant, with optimistic concurrency and
// atomic units of several writes.
//
// Implementations live in storage/memory (maps behind a mutex, for tests)
// and storage/sqlite (the embedded default); storage/storagetest is the
// contract suite both pass. Every method documents the errors it returns:
// ErrNotFound, ErrConflict, ErrDuplicate, or a *card.Error of kind
// card.ErrInvalid for a value that breaks a domain rule. A driver's own
// errors never reach the caller undressed.
//
// # Versions
//
// A card or an account carries Version, the number of changes the domain
// made to it. Create stores it as given; Update stores the new value only if
// the stored version is still the one the caller read, so a lost update is
// impossible: Update(ctx, c, read) with c.Version > read.
//
// # Atomic units
//
// Writes happen inside Store.Atomic, which runs a function with a Tx: every
// write made through the Tx is stored if the function returns nil, none of
// them otherwise. Inside the function use the Tx, not the Store, for reads
// too: they see the unit's own writes, and the Store may be locked until the
// unit ends.
package storage

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/enum"
	"github.com/cardkit/cardkit/storage/internal/rules"
)

// Sentinels; test with errors.Is.
var (
	// ErrNotFound: no record with that key in that tenant.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict: the record changed since the caller read it (a stale
	// version); nothing was written.
	ErrConflict = errors.New("storage: version conflict")
	// ErrDuplicate: a record with the same key exists: the same id, the same
	// provider reference, the same idempotency key, or a second default
	// account for a holder and currency.
	ErrDuplicate = errors.New("storage: duplicate")
	// ErrClosed: the store was closed; nothing more is read or written.
	ErrClosed = errors.New("storage: the store is closed")
	// ErrTxDone: a Tx used after its unit ended; nothing is read or
	// written through it.
	ErrTxDone = errors.New("storage: the unit has ended")
)

// Store is a place cardkit keeps its records.
type Store interface {
	Reader
	// Atomic runs fn in one unit: everything fn writes through tx is stored
	// if fn returns nil, nothing otherwise. Atomic returns fn's error, or an
	// error of its own if the unit could not be committed.
	Atomic(ctx context.Context, fn func(ctx context.Context, tx Tx) error, opts ...UnitOption) error
	// Close releases the store's resources.
	Close() error
}

// UnitOption changes how Atomic commits a unit.
type UnitOption func(*UnitOptions)

// UnitOptions are what UnitOption sets; stores read them with Options.
type UnitOptions struct {
	// Relaxed: see Relaxed.
	Relaxed bool
}

// Relaxed lets a store commit the unit without waiting for it to reach the
// disk. The unit is as atomic and as visible as any other and survives a
// crash of the process, but a power failure may lose it. It is for
// bookkeeping that is safe to redo, such as the recovery points of an
// idempotent call; a store that cannot relax ignores it.
func Relaxed() UnitOption { return func(o *UnitOptions) { o.Relaxed = true } }

// Options applies opts.
func Options(opts []UnitOption) UnitOptions {
	var o UnitOptions
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// Reader reads records.
type Reader interface {
	CardReader
	AccountReader
	EventReader
	KeyReader
}

// Tx is what an atomic unit may do.
type Tx interface {
	Reader
	CardWriter
	AccountWriter
	EventWriter
	KeyWriter
}

// CardReader finds cards. Cards come back as copies: changing one changes
// nothing stored. They never hold a full PAN (card.Card.PAN is zero).
type CardReader interface {
	// Card returns the card with id in tenant, or ErrNotFound.
	Card(ctx context.Context, tenant string, id uuid.UUID) (card.Card, error)
	// CardByProviderRef returns the card whose ProviderRefs[provider] is ref,
	// or ErrNotFound.
	CardByProviderRef(ctx context.Context, tenant, provider, ref string) (card.Card, error)
	// CardsByFingerprint returns the cards whose number has fingerprint fp,
	// newest first: a number kept by a reissue belongs to several cards.
	CardsByFingerprint(ctx context.Context, tenant string, fp card.Fingerprint) ([]card.Card, error)
	// ListCards returns a page of the tenant's cards that match f, newest
	// first. Paging with the returned cursor gives every card that existed
	// when the first page was read exactly once, whatever is inserted
	// meanwhile. A cursor that does not decode is a *card.Error.
	ListCards(ctx context.Context, tenant string, f CardFilter, page Page) (CardPage, error)
}

// CardWriter writes cards.
type CardWriter interface {
	// CreateCard stores a new card in c.Tenant. It returns a *card.Error if c
	// is not valid (card.Card.Validate), ErrDuplicate if the tenant has a
	// card with the same id or one of the same provider references. The PAN
	// is not stored; the fingerprint, BIN and last four are.
	CreateCard(ctx context.Context, c card.Card) error
	// UpdateCard replaces the card c.ID in c.Tenant if its stored version is
	// read, storing c.Version (which must be greater than read). It returns
	// ErrNotFound, ErrConflict for a stale read, ErrDuplicate for a provider
	// reference another card holds, or a *card.Error.
	UpdateCard(ctx context.Context, c card.Card, read int64) error
}

// CardFilter selects cards; an empty field matches every card. With all
// fields empty, every card of the tenant matches.
type CardFilter struct {
	AccountID  string
	CustomerID string
	BusinessID string
}

// Page asks for a page of a listing.
type Page struct {
	Cursor string // "" for the first page; CardPage.Next for the next
	Limit  int    // at most this many; 0 or less means DefaultPageLimit, more than MaxPageLimit means MaxPageLimit
}

// Page sizes.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// EffectiveLimit is the number of rows a page asks for after the defaults
// and the ceiling apply.
func (p Page) EffectiveLimit() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageLimit
	case p.Limit > MaxPageLimit:
		return MaxPageLimit
	}
	return p.Limit
}

// CardPage is one page of a card listing.
type CardPage struct {
	Cards []card.Card
	Next  string // the cursor of the next page; "" when this is the last
}

// AccountReader finds accounts.
type AccountReader interface {
	// Account returns the account with id in tenant, or ErrNotFound.
	Account(ctx context.Context, tenant string, id uuid.UUID) (account.Account, error)
	// Accounts returns the holder's accounts in tenant, oldest first.
	Accounts(ctx context.Context, tenant string, holder account.Holder) ([]account.Account, error)
}

// AccountWriter writes accounts.
type AccountWriter interface {
	// CreateAccount stores a new account. It returns a *card.Error if a is
	// not valid, ErrDuplicate for an id the tenant already has or for a
	// second default account of the holder in the same currency.
	CreateAccount(ctx context.Context, a account.Account) error
	// UpdateAccount replaces the account a.ID if its stored version is read.
	// It returns ErrNotFound, ErrConflict, ErrDuplicate (a second default) or
	// a *card.Error.
	UpdateAccount(ctx context.Context, a account.Account, read int64) error
}

// Event is one entry in a card's history: one change of state.
type Event struct {
	Tenant string
	CardID uuid.UUID
	// Seq numbers a card's events 1, 2, 3, ... in the order they were
	// appended; AppendEvent assigns it.
	Seq            int64
	Kind           string // what happened, such as "issued" or "suspended"
	From, To       card.Status
	Reason         card.StatusReason
	Actor          card.Actor
	At             time.Time
	IdempotencyKey string // the key of the call that made the change, if any
	Note           string // free text, such as a reissue link
}

// Limits on an event's text.
const (
	MaxEventKind = 64
	MaxEventNote = 1000
)

// Validate checks what a store needs of an event.
func (e *Event) Validate() error {
	var p card.Problems
	card.RuleTenant.Check(&p, "tenant", e.Tenant)
	if e.CardID == uuid.Nil {
		p.Add("card_id", card.CodeRequired, "")
	}
	card.TextLimit{Min: 1, Max: MaxEventKind}.Check(&p, "kind", e.Kind)
	card.CheckEnum(&p, "from", e.From, false)
	card.CheckEnum(&p, "to", e.To, false)
	card.CheckEnum(&p, "reason", e.Reason, false)
	card.CheckEnum(&p, "actor", e.Actor, false)
	if e.At.IsZero() {
		p.Add("at", card.CodeRequired, "")
	}
	rules.Kept(&p, "at", e.At)
	card.TextLimit{Max: MaxKeyLength}.Check(&p, "idempotency_key", e.IdempotencyKey)
	card.TextLimit{Max: MaxEventNote}.Check(&p, "note", e.Note)
	return p.Err("storage.Event")
}

// EventReader reads a card's history.
type EventReader interface {
	// Events returns up to limit (all, for limit 0 or less) of the card's
	// events with Seq greater than after, in order. A card without events,
	// or no card, gives none.
	Events(ctx context.Context, tenant string, cardID uuid.UUID, after int64, limit int) ([]Event, error)
}

// EventWriter appends to a card's history.
type EventWriter interface {
	// AppendEvent stores e as the card's next event and sets e.Seq. It
	// returns ErrNotFound if the tenant has no card e.CardID, or a
	// *card.Error for an event that is not valid.
	AppendEvent(ctx context.Context, e *Event) error
}

// KeyState is where an idempotent call stands.
type KeyState uint8

// Key states.
const (
	KeyInProgress KeyState = iota + 1 // claimed; the call is running or was cut short
	KeyCompleted                      // finished; Result holds what to replay
)

var keyStateEnum = enum.Enum[KeyState]{Type: "storage.KeyState", Entries: []enum.Entry{
	KeyInProgress: {Name: "IN_PROGRESS", Doc: "claimed; the call is running or was cut short"},
	KeyCompleted:  {Name: "COMPLETED", Doc: "finished; Result holds what to replay"},
}}

// String returns "IN_PROGRESS" or "COMPLETED".
func (s KeyState) String() string { return keyStateEnum.Name(s) }

// Valid reports whether s is a known state.
func (s KeyState) Valid() bool { return keyStateEnum.Valid(s) }

// ParseKeyState reads a KeyState by its name, as String writes it.
func ParseKeyState(s string) (KeyState, error) {
	return keyStateEnum.Parse("state", s, func(field, value, typ string) error {
		return card.UnknownValue("storage.ParseKeyState", field, value, typ)
	})
}

// KeyStateValues lists every KeyState.
func KeyStateValues() []KeyState { return keyStateEnum.Values() }

// MaxKeyLength is the longest idempotency key a store keeps.
const MaxKeyLength = 255

// KeyRecord is what a store keeps of an idempotent call.
type KeyRecord struct {
	Tenant string
	Key    string
	// RequestHash fingerprints the canonical request, so that the same key
	// with another request is told apart.
	RequestHash [32]byte
	State       KeyState
	// RecoveryPoint names the last step the call finished, such as
	// "started" or "provider_called", so a retry resumes after it.
	RecoveryPoint string
	// Result is what the call produced, opaque to the store (the service
	// encodes it); replayed for a completed key.
	Result []byte
	// CardID is the card the call made or changed, if any.
	CardID     uuid.UUID
	CreatedAt  time.Time
	LeaseUntil time.Time // an in-progress call owns the key until then
	Version    int64     // 1 when claimed; every update adds one
}

// Validate checks what a store needs of a record.
func (r *KeyRecord) Validate() error {
	var p card.Problems
	card.RuleTenant.Check(&p, "tenant", r.Tenant)
	card.TextLimit{Min: 1, Max: MaxKeyLength}.Check(&p, "key", r.Key)
	if !r.State.Valid() {
		p.Add("state", card.CodeUnknownValue, "IN_PROGRESS or COMPLETED")
	}
	card.TextLimit{Max: 64}.Check(&p, "recovery_point", r.RecoveryPoint)
	if r.CreatedAt.IsZero() {
		p.Add("created_at", card.CodeRequired, "")
	}
	rules.Kept(&p, "created_at", r.CreatedAt)
	rules.Kept(&p, "lease_until", r.LeaseUntil)
	return p.Err("storage.KeyRecord")
}

// KeyReader reads idempotency records.
type KeyReader interface {
	// Key returns the record of key in tenant, or ErrNotFound.
	Key(ctx context.Context, tenant, key string) (KeyRecord, error)
}

// KeyWriter writes idempotency records.
type KeyWriter interface {
	// ClaimKey stores r, with Version 1, if tenant has no record of r.Key,
	// and returns it. If one exists, it returns that record and
	// ErrDuplicate, and stores nothing: of many concurrent claims of one key
	// exactly one succeeds. Otherwise a record whose CardID names a card
	// the tenant does not have is refused with ErrNotFound.
	ClaimKey(ctx context.Context, r KeyRecord) (KeyRecord, error)
	// UpdateKey replaces the record of r.Key if its stored version is read,
	// storing r.Version (which must be greater than read). It returns
	// ErrNotFound (no such record, or r.CardID names no card of the tenant)
	// or ErrConflict.
	UpdateKey(ctx context.Context, r KeyRecord, read int64) error
	// PurgeKeys deletes tenant's records created before before and returns
	// how many it deleted.
	PurgeKeys(ctx context.Context, tenant string, before time.Time) (int, error)
}
