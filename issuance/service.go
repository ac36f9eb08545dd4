// Package issuance is cardkit's card service: it opens accounts, issues
// cards through a provider, moves them through their lifecycle, reissues
// them, and records every change with an event, all against a
// storage.Store.
//
// # Idempotency
//
// Every call with an effect at the provider (Issue, Reissue, Activate,
// Suspend, Resume, Terminate) takes an idempotency key. Within a tenant:
//
//   - the same key with the same request returns the first call's result, a
//     card or a final error, and has no second effect, here or at the
//     provider;
//   - the same key with another request (told apart by a fingerprint of the
//     canonical request) fails with ErrKeyReused and writes nothing;
//   - the same key while the first call runs fails with ErrKeyInUse, which
//     a caller may retry;
//   - keys are kept for a window (7 days unless WithKeyRetention says
//     otherwise); Purge forgets older ones.
//
// A call passes recovery points, each recorded in the store before the next
// step: started (the key is claimed; the provider may be called from now on)
// and finished (the provider's answer, the card, its event and the result,
// stored in one atomic unit). The provider's answer is recorded on its own,
// as provider_called, only when that unit fails with an error a retry may
// get past: the retry then finishes the call without asking again. Only
// finished must reach the disk before the call returns; the others are
// committed storage.Relaxed: a claim lost to a power failure makes the retry
// a new attempt, judged again, which asks the provider with the same key.
// The provider gets a key derived from the caller's, the same on every
// attempt, so a call cut short after the provider acted (a crash, a timeout)
// finishes on retry without a second card at the provider. A call whose
// runner died is taken over when its lease runs out: an Issue or a Reissue
// is finished as it was judged; a hold placed or lifted, or an end, whose
// card a later call (one that took the card after it) has moved since
// fails with ErrSuperseded, and an activation so overtaken is recorded
// without moving the card. A provider error that is retryable leaves the
// key open; a final one is stored and replayed. A card made by a call gets an id
// derived from the tenant and the key, so every attempt asks the provider
// for the same card.
//
// One call at a time may act on a card: a call on a card another call is
// still working on fails with ErrCardBusy, which a caller may retry. The
// card's lease is taken in the same unit as the key and given back in the
// unit that finishes the call, so local and provider state cannot be
// interleaved by two calls. A call whose provider answer was lost after
// the provider may have acted keeps its cards' leases until they run out,
// or until a retry with its key finishes it.
//
// # Events
//
// Every change of a card writes exactly one event for that card, in the
// same atomic unit as the change; nothing else writes cards.
package issuance

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/jsondoc"
	"github.com/cardkit/cardkit/storage"
)

// Service is the card service. Build it with New; it is safe for concurrent
// use.
type Service struct {
	store     storage.Store
	provider  Provider
	key       card.FingerprintKey
	now       func() time.Time
	newID     func() uuid.UUID
	log       *slog.Logger
	retention time.Duration
	lease     time.Duration
	hook      func(ctx context.Context, st Step)
}

// Option configures New.
type Option func(*Service)

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIDs sets the source of new account ids (default uuid.New). A card's
// id comes from the call that makes it: see the package documentation.
func WithIDs(newID func() uuid.UUID) Option { return func(s *Service) { s.newID = newID } }

// WithLogger sets a logger (default: none). Cards log masked.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithKeyRetention sets how long idempotency keys are kept (default 7
// days); Purge forgets older ones.
func WithKeyRetention(d time.Duration) Option { return func(s *Service) { s.retention = d } }

// WithLease sets how long a call owns its key, and its cards, before
// another may take the call over (default one minute). The provider call
// is given nine tenths of it: one that takes longer ends with a retryable
// error, and a retry asks the provider again with the same key. Make it
// longer than the slowest provider call, its client's retries included.
func WithLease(d time.Duration) Option { return func(s *Service) { s.lease = d } }

// WithRecoveryHook calls hook after each recovery point is stored: a way to
// observe calls, and, in tests, to stop a process at a chosen point.
func WithRecoveryHook(hook func(ctx context.Context, st Step)) Option {
	return func(s *Service) { s.hook = hook }
}

// Step is a recovery point a call reached, as WithRecoveryHook reports it.
type Step struct {
	Tenant string
	Key    string // the caller's idempotency key
	Op     string // "issue", "activate", "suspend", ..., "reissue"
	Point  RecoveryPoint
}

// New builds a service on store and provider. key fingerprints the card
// numbers the provider returns; it must be the key the store's cards were
// fingerprinted with.
func New(store storage.Store, provider Provider, key card.FingerprintKey, opts ...Option) (*Service, error) {
	switch {
	case store == nil:
		return nil, errors.New("issuance: no store")
	case provider == nil:
		return nil, errors.New("issuance: no provider")
	case key.IsZero():
		return nil, errors.New("issuance: no fingerprint key")
	}
	s := &Service{
		store: store, provider: provider, key: key,
		now: time.Now, newID: uuid.New,
		log:       slog.New(slog.DiscardHandler),
		retention: 7 * 24 * time.Hour,
		lease:     time.Minute,
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = uuid.New
	}
	switch {
	case s.lease <= 0:
		return nil, errors.New("issuance: the lease must be positive")
	case s.retention <= s.lease:
		// Purge must never drop the record of a call whose lease still runs.
		return nil, errors.New("issuance: keys must be kept longer than a lease")
	}
	return s, nil
}

// RecoveryPoint is the last step of an idempotent call that is stored.
type RecoveryPoint string

// Recovery points, in order.
const (
	PointStarted RecoveryPoint = "started" // the key is claimed
	// PointProviderCalled: the provider's answer is kept on its own, because
	// the unit that would have stored it with the call's result failed. A
	// call that finishes goes from started to finished.
	PointProviderCalled RecoveryPoint = "provider_called"
	PointFinished       RecoveryPoint = "finished" // the result is stored
)

// Purge forgets the tenant's idempotency keys older than the retention
// window and returns how many it removed. A record still in progress goes
// too (its lease ran out long ago): a retry starts again with the same card
// id and the same provider key, so it makes no second card here, nor at a
// provider that still remembers the key. It is a new call, judged again: an
// Issue refused then (its account closed since, say) leaves a card the
// provider made unknown here.
func (s *Service) Purge(ctx context.Context, tenant string) (int, error) {
	if err := checkTenant(tenant); err != nil {
		return 0, err
	}
	n := 0
	err := s.store.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		var err error
		n, err = tx.PurgeKeys(ctx, tenant, s.now().Add(-s.retention))
		return err
	})
	return n, err
}

// providerKey derives the key the provider sees from the caller's: the same
// on every attempt, a UUID so that every provider accepts it.
func providerKey(tenant, key string) string {
	return uuid.NewSHA1(keyNamespace, []byte(tenant+"\x00"+key)).String()
}

// cardIDFor derives the id of the card a call makes from its tenant and key:
// every attempt of the call, and a retry after its record is lost or purged,
// makes the same card.
func cardIDFor(tenant, key string) uuid.UUID {
	return uuid.NewSHA1(cardNamespace, []byte(tenant+"\x00"+key))
}

// UUID namespaces of derived provider keys and card ids.
var (
	keyNamespace  = uuid.MustParse("8f1f4c7e-2b43-4f4e-9a55-6d2a9d3c0b71")
	cardNamespace = uuid.MustParse("c3a0f2d1-6b8e-4c55-a1d7-2e9f4b6a8c03")
)

// lockPrefix starts the keys of card leases; callers' keys may not.
const lockPrefix = "cardkit:card:"

// ErrCardBusy: another call on the same card is still running, or lost
// its provider's answer and has not been retried. Nothing was written;
// retry later.
var ErrCardBusy = errors.New("issuance: another call on the card is still running")

// ErrSuperseded: a hold placed or lifted, or an end, that may have reached
// the provider, retried after its lease ran out, finds that a call which
// took the card after it has moved the card since. An attempt reaches the
// provider while it holds the card, so that call reached it after this
// one, if this one reached it at all, and the card is where that call left
// it, there as here: this one is not carried out here, and its key keeps
// the error. Ask again with a new key if the change is still wanted. (A
// request cut before it left, which its provider client could not tell
// from one sent (NotActed), may reach the provider on a later attempt,
// after that call: its retry is then judged again, which can leave the
// card on different statuses here and there.)
var ErrSuperseded = errors.New("issuance: a later call moved the card after this call's lease ran out")

// facts is what the service keeps of a provider's answer: what the provider
// owns of the card, with the number as its fingerprint, never in the clear.
type facts struct {
	Ref         string            `json:"ref"`
	Status      card.Status       `json:"status"`
	Reason      card.StatusReason `json:"reason,omitzero"`
	BIN         string            `json:"bin,omitempty"`
	LastFour    string            `json:"last_four,omitempty"`
	PANLength   int               `json:"pan_length,omitempty"`
	Fingerprint card.Fingerprint  `json:"fingerprint,omitzero"`
	Expiry      card.Expiry       `json:"expiry,omitzero"`
	Brand       card.Brand        `json:"brand,omitzero"`
}

func (s *Service) factsOf(remote card.Card) (facts, error) {
	f := facts{
		Ref:    remote.ProviderRefs[s.provider.Name()],
		Status: remote.Status, Reason: remote.StatusReason,
		BIN: remote.BIN, LastFour: remote.LastFour, PANLength: remote.PANLength,
		Fingerprint: remote.Fingerprint, Expiry: remote.Expiry, Brand: remote.Brand,
	}
	if !remote.PAN.IsZero() {
		f.BIN, f.LastFour, f.PANLength, f.Fingerprint = remote.PAN.BIN(), remote.PAN.LastFour(), remote.PAN.Len(), remote.PAN.Fingerprint(s.key)
	}
	f.BIN = card.ShownBIN(f.BIN, f.PANLength)
	var p card.Problems
	if f.Ref == "" {
		p.Add("provider_refs."+s.provider.Name(), card.CodeRequired, "the provider returned no card id")
	}
	if !f.Status.Valid() {
		p.Add("status", card.CodeRequired, "the provider returned no status")
	}
	return f, p.Err("issuance.provider")
}

// adopt writes onto c what the provider owns, and makes the move to the
// status the provider reports, as the provider.
func (f facts) adopt(c *card.Card, provider string, at time.Time) error {
	if c.ProviderRefs == nil {
		c.ProviderRefs = map[string]string{}
	}
	c.ProviderRefs[provider] = f.Ref
	if f.LastFour != "" {
		c.PAN = card.PAN{}
		c.BIN, c.LastFour, c.PANLength, c.Fingerprint = f.BIN, f.LastFour, f.PANLength, f.Fingerprint
	}
	if !f.Expiry.IsZero() {
		c.Expiry = f.Expiry
	}
	if f.Brand != 0 {
		c.Brand = f.Brand
	}
	if f.Status == c.Status {
		return nil
	}
	return c.Transition(card.Move{To: f.Status, Reason: f.Reason, By: card.ActorProvider}, at)
}

// progress is what an in-progress key record holds: the card the call will
// make (decided once, so that every attempt makes the same one) and, once
// the provider answered, what it said.
type progress struct {
	CardID uuid.UUID `json:"card_id,omitzero"`
	Facts  *facts    `json:"facts,omitempty"`
	// Also are the other cards the call changes (the card a replacement's
	// activation ends), whose leases it holds too.
	Also []uuid.UUID `json:"also,omitempty"`
	// Called says that an attempt may have reached the provider: it is
	// stored with every claim that goes on to call it, and cleared only
	// when the provider said it did not act and no earlier attempt may
	// have reached it. A retry of such an Issue or Reissue finishes it
	// rather than judging it again (see there); a status change is judged
	// again, against the card as it is then, unless a later call moved
	// the card since (ErrSuperseded; an activation is recorded). A call
	// claimed by a version before this field was stored at the claim
	// lacks it, and is judged again.
	Called bool `json:"called,omitempty"`
	// Order is, for each card whose lease the call took, the version of
	// the card's lease record when the call first took it, counting again
	// from an attempt that no earlier one may have preceded at the
	// provider (after a 503): the order in which calls on the card reach
	// the provider. It is kept with the result too, for the takeovers of
	// calls before it (ErrSuperseded). (A lease record purged with the
	// card's keys, after a retention window without a call, counts again
	// from 1; the pending calls of then are purged with it.)
	Order map[uuid.UUID]int64 `json:"order,omitempty"`
}

// result is what a completed key record holds: the cards the call returned,
// or the final error.
type result struct {
	Cards []card.Card         `json:"cards,omitempty"`
	Err   *storedError        `json:"error,omitempty"`
	Order map[uuid.UUID]int64 `json:"order,omitempty"` // progress.Order
}

// encode is json.Marshal(r), with the cards written by their AppendJSON
// and the order by hand: every call that finishes keeps one.
func (r result) encode() ([]byte, error) {
	if r.Err != nil || len(r.Cards) == 0 {
		return json.Marshal(r)
	}
	b := append(make([]byte, 0, 1024*len(r.Cards)), `{"cards":[`...)
	for i := range r.Cards {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = r.Cards[i].AppendJSON(b); err != nil {
			return nil, err
		}
	}
	b = append(b, ']')
	if len(r.Order) > 0 {
		// As encoding/json writes a map: keys as text, sorted.
		ids := slices.SortedFunc(maps.Keys(r.Order), func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		b = append(b, `,"order":{`...)
		for i, id := range ids {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, id.String()...)
			b = append(b, `":`...)
			b = strconv.AppendInt(b, r.Order[id], 10)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// call is one idempotent call.
type call struct {
	op      string
	tenant  string
	key     string
	request any       // hashed: the canonical request
	cardID  uuid.UUID // the card the call acts on (none for Issue)
	// also, if set, names the other cards the call changes, as check found
	// them; their leases are taken with the card's.
	also func() []uuid.UUID
	// held are the other cards whose leases the call holds, once claimed.
	held []uuid.UUID
	// earlier says that an earlier attempt with the key may have reached
	// the provider, as the claim found the call.
	earlier bool
	// effect calls the provider with what check prepared.
	effect func(ctx context.Context, pk string) (card.Card, error)
	// finish stores the change, in the unit tx, from the provider's facts.
	finish func(ctx context.Context, tx storage.Tx, pr progress) ([]card.Card, error)
	// validate, if set, checks the request on its own before anything is
	// read or written; its error is returned and nothing is kept.
	validate func() error
	// check refuses the call, against what r reads, before the provider is
	// called (its final errors are kept under the key), and prepares what
	// effect sends. It runs in the unit that claims the key.
	check func(ctx context.Context, r storage.Reader, pr progress) error
	// superseded, if set, is asked when the call is taken over after an
	// attempt that may have reached the provider, whether a call that
	// first took the card's lease after this one (its progress.Order above
	// order) has moved the card since: a hold or an end returns
	// ErrSuperseded; an activation notes it and goes on (see change).
	superseded func(ctx context.Context, r storage.Reader, order int64) error
	// newCard says the call makes a card whose id is decided at the claim.
	newCard bool
}

// run carries out c exactly once per key.
func (s *Service) run(ctx context.Context, c call) ([]card.Card, error) {
	if err := checkKey(c.tenant, c.key); err != nil {
		return nil, err
	}
	if c.validate != nil {
		if err := c.validate(); err != nil {
			return nil, err
		}
	}
	hash, err := fingerprint(c.op, c.cardID, c.request)
	if err != nil {
		return nil, err
	}
	if card.HoldsCardNumber(c.key) {
		// A key is kept and shown as it is: a new one may hold no card
		// number. One kept before this rule still answers its calls.
		if _, err := s.store.Key(ctx, c.tenant, c.key); errors.Is(err, storage.ErrNotFound) {
			var p card.Problems
			card.NoCardNumber(&p, "idempotency_key", c.key)
			return nil, p.Err("issuance")
		} else if err != nil {
			return nil, err
		}
	}
	// No read first: a read that almost always misses would cost every new
	// call a lookup. The claim finds a finished call instead; a replay
	// thus waits its turn for the store's write lock like any call, and
	// writes nothing.
	rec, pr, done, err := s.claim(ctx, c, hash)
	if err != nil || done != nil {
		return done, err
	}
	c.held, c.earlier = pr.Also, pr.Called

	if pr.Facts == nil {
		// The provider call ends within the call's lease (a tenth of it
		// spare): past the lease another attempt may take the call, and
		// its cards, over. A lease all but spent (a lease shorter than the
		// claim, a clock that jumped) bounds nothing: a deadline about to
		// pass would fail the call before it is sent, and look like an
		// answer lost.
		pctx, cancel := ctx, context.CancelFunc(func() {})
		if left := rec.LeaseUntil.Sub(s.now()); left > s.lease/10 {
			pctx, cancel = context.WithTimeout(ctx, left-left/10)
		}
		remote, err := c.effect(pctx, providerKey(c.tenant, c.key))
		cancel()
		if err != nil {
			return nil, s.providerFailed(ctx, c, rec, err)
		}
		f, err := s.factsOf(remote)
		if err != nil {
			return nil, s.fail(ctx, c, rec, s.providerError(c.op, err, false))
		}
		// Kept with the call's result, in the unit below: a process that
		// dies before it commits leaves the call started, and its retry
		// asks the provider again with the same key.
		pr.Facts = &f
	}

	for attempt := 0; ; attempt++ {
		var out []card.Card
		err := s.store.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
			var err error
			if out, err = c.finish(ctx, tx, pr); err != nil {
				return err
			}
			if err := s.unlockCard(ctx, tx, c); err != nil {
				return err
			}
			return s.complete(ctx, tx, rec, result{Cards: out, Order: pr.Order})
		})
		switch {
		case err == nil:
			s.observe(ctx, c, PointFinished)
			if s.log.Enabled(ctx, slog.LevelInfo) { // spares the strings when nobody listens
				s.log.LogAttrs(ctx, slog.LevelInfo, "issuance: call finished", slog.String("op", c.op),
					slog.String("tenant", c.tenant), slog.String("card", out[0].ID.String()), slog.String("status", out[0].Status.String()))
			}
			return out, nil
		case errors.Is(err, storage.ErrConflict) && attempt < 5:
			// A card changed under us. The stores here isolate units fully
			// and this cannot happen; a store that isolates less may.
			continue
		case errors.Is(err, ErrKeyInUse):
			// Our lease ran out and another attempt took the call over; it
			// finishes the work with the same provider key. (A finish that
			// failed on what that attempt changed is told the same by
			// fail.)
			return nil, err
		case final(err):
			return nil, s.fail(ctx, c, rec, err)
		default:
			// The provider acted: its answer is kept, so that a retry
			// finishes the call without asking again, and the cards'
			// leases stay, as after a lost answer, until it does.
			s.reopen(ctx, c, rec, func(kept *progress) { kept.Facts = pr.Facts }, false)
			return nil, err
		}
	}
}

// claim takes the key for c, and the lease of its card, and checks c
// against what is stored, in one unit; or it says what became of an
// earlier call with the key: a replayed result (done), ErrKeyReused or
// ErrKeyInUse. A final error of the check is kept under the key in that
// unit and returned as every replay will return it.
func (s *Service) claim(ctx context.Context, c call, hash [32]byte) (rec storage.KeyRecord, pr progress, done []card.Card, err error) {
	now := s.now()
	if c.newCard {
		pr.CardID = cardIDFor(c.tenant, c.key)
	}
	// Stored as called from the start: the provider is asked as soon as
	// the claim commits, and a process that dies while it is asked leaves
	// no other trace. This attempt judges the call; an Issue or a
	// Reissue taken over is finished as it was judged (a status change is
	// judged again, against the card as it is then, unless a later call
	// overtook it).
	start, err := json.Marshal(progress{CardID: pr.CardID, Called: true})
	if err != nil {
		return rec, pr, nil, err
	}
	want := storage.KeyRecord{
		Tenant: c.tenant, Key: c.key, RequestHash: hash, State: storage.KeyInProgress,
		RecoveryPoint: string(PointStarted), Result: start, CreatedAt: now, LeaseUntil: now.Add(s.lease),
	}
	var (
		old     storage.KeyRecord
		refused *storedError // the check's final error, kept under the key
		called  bool         // the stored progress says the provider may be called
		fresh   = pr
		// A unit that claims the key is committed storage.Relaxed: a power
		// failure before the next durable commit may lose it (a crash of
		// the process does not), and a retry is then a new attempt, judged
		// again. One that keeps a final answer is not: the answer was
		// given, and is the key's for good.
		relaxed = true
	)
	unit := func(ctx context.Context, tx storage.Tx) error {
		pr, refused, called = fresh, nil, true
		takenOver := false
		var err error
		old, err = tx.ClaimKey(ctx, want)
		switch {
		case errors.Is(err, storage.ErrDuplicate):
			// Another call had the key: replay it, refuse, or take it over.
			switch {
			case old.RequestHash != hash:
				return ErrKeyReused
			case old.State == storage.KeyCompleted:
				return nil
			case old.LeaseUntil.After(now):
				return ErrKeyInUse
			}
			// Taken over, the call is live again from now: its record is
			// made anew for Purge, which would otherwise remove it while
			// it runs if the first attempt was older than the window.
			takenOver = true
			taken := old
			taken.CreatedAt, taken.LeaseUntil, taken.Version = now, now.Add(s.lease), old.Version+1
			if err := tx.UpdateKey(ctx, taken, old.Version); err != nil {
				return err
			}
			old = taken
			if err := jsondoc.Decode(old.Result, &pr); err != nil {
				return fmt.Errorf("issuance: key %q holds no progress: %w", card.RedactNumbers(c.key), err)
			}
			called = pr.Called
		case err != nil:
			return err
		}
		// The card's lease first: a call is judged against a card that no
		// other call is changing.
		mine, ordered := pr.Order[c.cardID]
		lease, err := s.lockCard(ctx, tx, c, now)
		if err != nil {
			if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			// No such card: a final answer, kept as the check's are.
			if relaxed {
				return errFinalAnswer
			}
			refused = storeError(fmt.Errorf("issuance: card %s: %w", c.cardID, storage.ErrNotFound))
			return s.complete(ctx, tx, old, result{Err: refused})
		}
		also := pr.Also // a call taken over after the provider answered
		refuse := func(err error) error {
			if !final(err) {
				return err
			}
			if relaxed {
				return errFinalAnswer
			}
			refused = storeError(err)
			c.held = also // a taken-over call's other leases go back too
			if err := s.unlockCard(ctx, tx, c); err != nil {
				return err
			}
			return s.complete(ctx, tx, old, result{Err: refused})
		}
		if takenOver && called && ordered && c.superseded != nil {
			if err := c.superseded(ctx, tx, mine); err != nil {
				return refuse(err)
			}
		}
		// The order of a call's first claim of each card, kept for good.
		first := false
		if !called && pr.Order != nil {
			// No earlier attempt may have reached the provider: this one
			// is the call's first as far as the provider can tell.
			pr.Order, first = nil, true
		}
		note := func(id uuid.UUID, v int64) {
			if _, ok := pr.Order[id]; ok || v == 0 {
				return
			}
			pr.Order = maps.Clone(pr.Order)
			if pr.Order == nil {
				pr.Order = map[uuid.UUID]int64{}
			}
			pr.Order[id], first = v, true
		}
		note(c.cardID, lease)
		if pr.Facts == nil {
			if err := c.check(ctx, tx, pr); err != nil {
				return refuse(err)
			}
			also = nil
			if c.also != nil {
				also = c.also()
			}
		}
		for _, id := range also {
			v, err := s.lockOne(ctx, tx, c, id, now)
			if err != nil {
				return err
			}
			note(id, v)
		}
		if first || !slices.Equal(also, pr.Also) || (pr.Facts == nil && !called) {
			// Kept with the progress, so that whoever finishes the call
			// gives these leases back, and knows the provider may have
			// been asked.
			pr.Also = also
			keep := pr
			keep.Called = pr.Facts == nil || pr.Called
			b, err := json.Marshal(keep)
			if err != nil {
				return err
			}
			next := old
			next.Result, next.Version = b, old.Version+1
			if err := tx.UpdateKey(ctx, next, old.Version); err != nil {
				return err
			}
			old = next
		}
		return nil
	}
	err = s.store.Atomic(ctx, unit, storage.Relaxed())
	if errors.Is(err, errFinalAnswer) {
		relaxed = false
		err = s.store.Atomic(ctx, unit)
	}
	switch {
	case errors.Is(err, storage.ErrConflict):
		return rec, pr, nil, ErrKeyInUse
	case err != nil:
		return rec, pr, nil, err
	case refused != nil:
		s.observe(ctx, c, PointFinished)
		return rec, pr, nil, refused.err()
	case old.State == storage.KeyCompleted:
		out, err := replay(old.Result)
		return rec, pr, out, err
	}
	if old.RecoveryPoint == string(PointStarted) { // not a call taken over with its answer kept
		s.observe(ctx, c, PointStarted)
	}
	return old, pr, nil, nil
}

// errFinalAnswer ends a relaxed claim unit that would keep a final answer,
// to be run again durably.
var errFinalAnswer = errors.New("issuance: a final answer to keep durably")

// owner names the call that holds a card's lease.
func owner(c call) [32]byte { return sha256.Sum256([]byte(c.key)) }

// lockCard takes the lease of the card c acts on, in the unit tx; see
// lockOne.
func (s *Service) lockCard(ctx context.Context, tx storage.Tx, c call, now time.Time) (int64, error) {
	if c.cardID == uuid.Nil {
		return 0, nil
	}
	return s.lockOne(ctx, tx, c, c.cardID, now)
}

// lockOne takes for c the lease of card id, in the unit tx: free, long
// expired, given back, or already c's (a call taken over). Another call's
// live lease is ErrCardBusy. It returns the lease record's version, which
// grows with every lease taken or given back (progress.Order).
func (s *Service) lockOne(ctx context.Context, tx storage.Tx, c call, id uuid.UUID, now time.Time) (int64, error) {
	want := storage.KeyRecord{
		Tenant: c.tenant, Key: lockPrefix + id.String(), RequestHash: owner(c), State: storage.KeyInProgress,
		RecoveryPoint: "locked", CardID: id, CreatedAt: now, LeaseUntil: now.Add(s.lease),
	}
	held, err := tx.ClaimKey(ctx, want)
	if !errors.Is(err, storage.ErrDuplicate) {
		return held.Version, err
	}
	if held.State == storage.KeyInProgress && held.LeaseUntil.After(now) && held.RequestHash != want.RequestHash {
		return 0, ErrCardBusy
	}
	want.Version = held.Version + 1
	return want.Version, tx.UpdateKey(ctx, want, held.Version)
}

// tookAfter reports whether the call with key, finished, first took the
// lease of card id after the call whose first lease was order. A call
// whose record is gone (purged, so older than the retention window) or
// that kept no order (written by an older version) did not.
func (s *Service) tookAfter(ctx context.Context, r storage.Reader, tenant, key string, id uuid.UUID, order int64) (bool, error) {
	rec, err := r.Key(ctx, tenant, key)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil || rec.State != storage.KeyCompleted {
		return false, err
	}
	var res struct {
		Order map[uuid.UUID]int64 `json:"order"`
	}
	if err := jsondoc.Decode(rec.Result, &res); err != nil {
		return false, nil
	}
	return res.Order[id] > order, nil
}

// unlockCard gives back the leases c holds, on its card and the others it
// changes, in the unit tx.
func (s *Service) unlockCard(ctx context.Context, tx storage.Tx, c call) error {
	if c.cardID != uuid.Nil {
		if err := s.unlockOne(ctx, tx, c, c.cardID); err != nil {
			return err
		}
	}
	for _, id := range c.held {
		if err := s.unlockOne(ctx, tx, c, id); err != nil {
			return err
		}
	}
	return nil
}

// unlockOne gives back c's lease on card id, if c holds it.
func (s *Service) unlockOne(ctx context.Context, tx storage.Tx, c call, id uuid.UUID) error {
	held, err := tx.Key(ctx, c.tenant, lockPrefix+id.String())
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil || held.RequestHash != owner(c) || held.State != storage.KeyInProgress {
		return err
	}
	done := held
	done.State, done.RecoveryPoint, done.Version = storage.KeyCompleted, "unlocked", held.Version+1
	return tx.UpdateKey(ctx, done, held.Version)
}

// complete stores the result under the key, in the unit tx.
func (s *Service) complete(ctx context.Context, tx storage.Tx, rec storage.KeyRecord, r result) error {
	b, err := r.encode()
	if err != nil {
		return err
	}
	done := rec
	done.State, done.RecoveryPoint, done.Result, done.Version = storage.KeyCompleted, string(PointFinished), b, rec.Version+1
	done.CardID = uuid.Nil
	if len(r.Cards) > 0 {
		done.CardID = r.Cards[0].ID
	}
	err = tx.UpdateKey(ctx, done, rec.Version)
	if errors.Is(err, storage.ErrConflict) {
		return ErrKeyInUse
	}
	return err
}

// fail stores a final error under the key, so that it is replayed, and
// returns it as every replay will (a provider's error comes back with its
// code and message, not the client's error value); any other error leaves
// the key open.
func (s *Service) fail(ctx context.Context, c call, rec storage.KeyRecord, err error) error {
	if !final(err) {
		s.release(ctx, c, rec)
		return err
	}
	stored := storeError(err)
	// On a context of its own, as release: the caller's may have ended
	// with the answer, which must still be kept.
	ctx, cancel := detached(ctx)
	defer cancel()
	if serr := s.store.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := s.unlockCard(ctx, tx, c); err != nil {
			return err
		}
		return s.complete(ctx, tx, rec, result{Err: stored})
	}); serr != nil {
		if errors.Is(serr, ErrKeyInUse) {
			// Another attempt took the call over: its answer is the
			// call's, not this one's error.
			return ErrKeyInUse
		}
		return errors.Join(err, serr)
	}
	s.observe(ctx, c, PointFinished)
	return stored.err()
}

// providerError wraps what a provider call returned.
func (s *Service) providerError(op string, err error, retry bool) *ProviderError {
	pe := &ProviderError{Provider: s.provider.Name(), Op: op, Retryable: retry, Err: err, Message: providerText(err.Error()),
		Unsupported: errors.Is(err, card.ErrUnsupported)}
	var coded interface{ ProviderCode() string }
	if errors.As(err, &coded) {
		pe.Code = providerText(coded.ProviderCode())
	}
	var field interface{ ProviderField() string }
	if errors.As(err, &field) {
		pe.Field = providerText(field.ProviderField())
	}
	return pe
}

// providerFailed handles an error from the provider: a retryable one leaves
// the key open for a retry, a final one is stored. A *card.Error is the
// provider's client refusing the request before sending it (a value the
// provider cannot express): the caller gets it, with its field paths, as
// for any invalid request.
func (s *Service) providerFailed(ctx context.Context, c call, rec storage.KeyRecord, err error) error {
	var ce *card.Error
	if errors.As(err, &ce) && !retryable(err) {
		return s.fail(ctx, c, rec, ce.Redacted()) // the provider's client made it: its texts may echo a number
	}
	pe := s.providerError(c.op, err, retryable(err))
	if pe.Retryable {
		var refused interface{ NotActed() bool }
		if errors.As(err, &refused) && refused.NotActed() {
			s.release(ctx, c, rec) // this attempt did not act at the provider
		} else {
			s.releaseCalled(ctx, c, rec)
		}
		return pe
	}
	return s.fail(ctx, c, rec, pe)
}

// release ends the call's lease early, after the provider did not act on
// this attempt: a retry need not wait. Unless an earlier attempt may have
// reached the provider, the retry is judged again and the cards' leases go
// back too; otherwise they stay, as releaseCalled keeps them.
func (s *Service) release(ctx context.Context, c call, rec storage.KeyRecord) {
	s.reopen(ctx, c, rec, func(pr *progress) { pr.Called = c.earlier }, !c.earlier)
}

// releaseCalled releases the call after an attempt that reached the
// provider lost its answer, and records that the provider may have acted.
// The leases of its cards are kept until they run out: the provider may
// have changed them, and no other call should judge a card against a state
// that may be gone before this one, retried with its key, says what it is.
func (s *Service) releaseCalled(ctx context.Context, c call, rec storage.KeyRecord) {
	s.reopen(ctx, c, rec, func(pr *progress) { pr.Called = true }, false)
}

// reopen opens the call's key for a retry, early, with its progress as
// edit leaves it, and gives back its cards' leases if unlock is set. A
// progress that holds the provider's answer is the provider_called
// recovery point. It runs on a context of its own: the caller's may be
// what ended, and what the provider did must still be kept.
func (s *Service) reopen(ctx context.Context, c call, rec storage.KeyRecord, edit func(*progress), unlock bool) {
	ctx, cancel := detached(ctx)
	defer cancel()
	open := rec
	open.LeaseUntil, open.Version = s.now(), rec.Version+1
	var pr progress
	if err := jsondoc.Decode(rec.Result, &pr); err == nil { // claim wrote it; else it stays as it is
		edit(&pr)
		if b, err := json.Marshal(pr); err == nil {
			open.Result = b
		}
	}
	kept := pr.Facts != nil
	if kept {
		open.RecoveryPoint = string(PointProviderCalled)
	}
	err := s.store.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.UpdateKey(ctx, open, rec.Version); err != nil || !unlock {
			return err
		}
		return s.unlockCard(ctx, tx, c)
	}, storage.Relaxed())
	if err == nil && kept {
		s.observe(ctx, c, PointProviderCalled)
	}
}

// detached is ctx without its cancellation, for a few seconds: what a call
// writes after its provider answered must be kept, whether or not the
// caller is still waiting.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
}

func (s *Service) observe(ctx context.Context, c call, p RecoveryPoint) {
	if s.hook != nil {
		s.hook(ctx, Step{Tenant: c.tenant, Key: c.key, Op: c.op, Point: p})
	}
}

// fingerprint hashes the canonical request: the operation, the card it acts
// on, and the request's JSON (struct fields in declaration order, map keys
// sorted).
func fingerprint(op string, cardID uuid.UUID, request any) ([32]byte, error) {
	b, err := json.Marshal(struct {
		Op      string    `json:"op"`
		Card    uuid.UUID `json:"card"`
		Request any       `json:"request"`
	}{op, cardID, request})
	if err != nil {
		return [32]byte{}, fmt.Errorf("issuance: fingerprint the request: %w", err)
	}
	return sha256.Sum256(b), nil
}

// checkTenant refuses a tenant no call could have written under, naming
// it, instead of answering as if the tenant had nothing.
func checkTenant(tenant string) error {
	var p card.Problems
	card.RuleTenant.Check(&p, "tenant", tenant)
	return p.Err("issuance")
}

func checkKey(tenant, key string) error {
	var p card.Problems
	card.RuleTenant.Check(&p, "tenant", tenant)
	card.TextLimit{Min: 1, Max: storage.MaxKeyLength}.Check(&p, "idempotency_key", key)
	if strings.HasPrefix(key, lockPrefix) {
		p.Add("idempotency_key", card.CodeNotAllowed, "keys starting "+lockPrefix+" are cardkit's own")
	}
	return p.Err("issuance")
}
