// Package sandbox is an issuing provider that lives in the process: the
// embedded default for trying cardkit out, and a provider for tests.
//
// It behaves like the providers cardkit speaks to: it honours idempotency
// keys (the same key and request give the first answer again, another
// request under a used key is refused), issues virtual cards ACTIVE and
// physical cards UNACTIVATED (or every card PENDING, until SimulateIssue or
// SimulateFail decide, like OffBlocks' simulator), moves cards through the
// lifecycle table of package card, and reissues them as the reissue rules
// say. It is deterministic: the same seed gives the same card numbers and
// ids in the same order. Numbers are test numbers (a test BIN, a valid Luhn
// digit) made from the seed and a counter, so that the sandbox never keeps a
// number: not in memory between calls and not in its state file.
//
// FailNext makes calls fail as a real network does: before the provider
// acts, after it acted (the answer is lost), or by never answering.
package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/enum"
)

// Name is the sandbox's provider name.
const Name = "sandbox"

// Op names a provider call, for FailNext and Calls.
type Op string

// The calls.
const (
	OpIssue   Op = "issue"
	OpChange  Op = "change status"
	OpReissue Op = "reissue"
)

// Fault is how a call fails.
type Fault uint8

// Faults.
const (
	// FailBeforeEffect: the call is refused, retryably, before the
	// provider acts (a 503).
	FailBeforeEffect Fault = iota + 1
	// FailAfterEffect: the provider acts, then the answer is lost (a
	// dropped connection), retryably.
	FailAfterEffect
	// Timeout: the provider acts, and the answer never comes: the call
	// waits until its context ends.
	Timeout
)

var faultEnum = enum.Enum[Fault]{Type: "sandbox.Fault", Entries: []enum.Entry{
	FailBeforeEffect: {Name: "FAIL_BEFORE_EFFECT", Doc: "refused, retryably, before the provider acts"},
	FailAfterEffect:  {Name: "FAIL_AFTER_EFFECT", Doc: "the provider acts, then the answer is lost"},
	Timeout:          {Name: "TIMEOUT", Doc: "the provider acts, and the answer never comes"},
}}

// String returns the fault's name, such as "FAIL_AFTER_EFFECT".
func (f Fault) String() string { return faultEnum.Name(f) }

// ParseFault reads a Fault by its name, as String writes it.
func ParseFault(s string) (Fault, error) {
	return faultEnum.Parse("fault", s, func(field, value, typ string) error {
		return card.UnknownValue("sandbox.ParseFault", field, value, typ)
	})
}

// FaultValues lists every Fault.
func FaultValues() []Fault { return faultEnum.Values() }

// Error is the sandbox's error, with the classification a real client's
// error carries.
type Error struct {
	Op        Op
	Code      string // such as "unavailable", "not_found", "idempotency_key_reused"
	Message   string
	retryable bool
	notActed  bool // refused before the effect
}

// Error says which call failed and why.
func (e *Error) Error() string { return "sandbox " + string(e.Op) + ": " + e.Code + ": " + e.Message }

// Retryable reports whether the same call, with the same key, may succeed.
func (e *Error) Retryable() bool { return e.retryable }

// NotActed reports whether the sandbox refused the call before acting on it
// (FailBeforeEffect): a retry is a new attempt, not the end of one.
func (e *Error) NotActed() bool { return e.notActed }

// ProviderCode is the sandbox's error code, such as "not_found".
func (e *Error) ProviderCode() string { return e.Code }

// Option configures New.
type Option func(*Sandbox)

// WithSeed sets the seed numbers and ids are made from (default 1).
func WithSeed(seed uint64) Option { return func(s *Sandbox) { s.seed = seed } }

// WithBIN sets the 8-digit test BIN of the numbers (default 41111111).
func WithBIN(bin string) Option { return func(s *Sandbox) { s.bin = bin } }

// WithClock sets the clock that dates expiries (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Sandbox) { s.now = now } }

// WithPendingIssuance makes every card issued or reissued wait, PENDING,
// for SimulateIssue or SimulateFail.
func WithPendingIssuance() Option { return func(s *Sandbox) { s.pending = true } }

// WithStateFile keeps the sandbox's state in a file, read when the sandbox
// is made and written after every change, so that a provider outlives the
// process that called it. The file holds no card number.
func WithStateFile(path string) Option { return func(s *Sandbox) { s.file = path } }

// Sandbox is the in-process provider. It is safe for concurrent use. Its
// zero value works as the one New() makes with no options.
type Sandbox struct {
	seed    uint64
	bin     string
	now     func() time.Time
	pending bool
	file    string

	mu     sync.Mutex
	st     state
	faults map[Op][]Fault
	calls  map[Op]int
}

// state is what the sandbox knows, as its state file holds it.
type state struct {
	Issued int               `json:"issued"` // numbers made so far
	Cards  map[string]*entry `json:"cards"`  // by provider id
	Keys   map[string]answer `json:"keys"`   // by idempotency key
}

// entry is a card at the provider: the card without its number, the index
// the number is made from, and, for a replacement, the card it replaces and
// when that one ends.
type entry struct {
	Card     card.Card        `json:"card"`
	Number   int              `json:"number"`
	Replaces string           `json:"replaces,omitempty"`
	Rule     card.ReissueRule `json:"rule,omitzero"`
}

// answer is what a call answered, kept under its key.
type answer struct {
	Op      Op        `json:"op"`
	Request [32]byte  `json:"request"`
	Card    card.Card `json:"card"`
	Number  int       `json:"number"`
}

// check makes a state read from a file one the sandbox could have written:
// missing maps are empty, and a card left null or a negative count is an
// error here rather than a panic in a later call.
func (st *state) check() error {
	if st.Issued < 0 {
		return errors.New("issued: negative")
	}
	if st.Cards == nil {
		st.Cards = map[string]*entry{}
	}
	if st.Keys == nil {
		st.Keys = map[string]answer{}
	}
	for ref, e := range st.Cards {
		if e == nil {
			return fmt.Errorf("cards.%s: null", card.RedactNumbers(ref))
		}
		if e.Number < 0 {
			return fmt.Errorf("cards.%s.number: negative", card.RedactNumbers(ref))
		}
	}
	for key, a := range st.Keys {
		if a.Number < 0 {
			return fmt.Errorf("keys.%s.number: negative", card.RedactNumbers(key))
		}
	}
	return nil
}

// New makes a sandbox.
func New(opts ...Option) (*Sandbox, error) {
	s := &Sandbox{}
	s.defaults()
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if len(s.bin) != 8 {
		return nil, fmt.Errorf("sandbox: a BIN of 8 digits, not %d", len(s.bin))
	}
	if _, err := s.number(0); err != nil {
		return nil, fmt.Errorf("sandbox: BIN: %w", err)
	}
	if s.file != "" {
		b, err := os.ReadFile(s.file)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("sandbox: %w", err)
		default:
			if err := json.Unmarshal(b, &s.st); err != nil {
				return nil, fmt.Errorf("sandbox: state file %s: %w", s.file, err)
			}
			if err := s.st.check(); err != nil {
				return nil, fmt.Errorf("sandbox: state file %s: %w", s.file, err)
			}
		}
	}
	return s, nil
}

// defaults sets what New sets before its options.
func (s *Sandbox) defaults() {
	s.seed, s.bin, s.now = 1, "41111111", time.Now
	s.faults, s.calls = map[Op][]Fault{}, map[Op]int{}
	s.st = state{Cards: map[string]*entry{}, Keys: map[string]answer{}}
}

// lock takes the lock. A Sandbox not made by New (its zero value) gets New's
// defaults here, and works as one made by New() would, instead of failing
// on its empty state.
func (s *Sandbox) lock() {
	s.mu.Lock()
	if s.calls == nil {
		s.defaults()
	}
}

// Name is "sandbox".
func (s *Sandbox) Name() string { return Name }

// FailNext makes the next times calls of op fail with fault, in order after
// any faults already queued.
func (s *Sandbox) FailNext(op Op, fault Fault, times int) {
	s.lock()
	defer s.mu.Unlock()
	for range times {
		s.faults[op] = append(s.faults[op], fault)
	}
}

// Calls is how many calls of op the sandbox received, failed ones included.
func (s *Sandbox) Calls(op Op) int {
	s.lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Cards is how many cards the sandbox holds.
func (s *Sandbox) Cards() int {
	s.lock()
	defer s.mu.Unlock()
	return len(s.st.Cards)
}

// number makes the card number with index i: the BIN, seven digits drawn
// from the seed and i, and the Luhn digit.
func (s *Sandbox) number(i int) (card.PAN, error) {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], s.seed)
	binary.BigEndian.PutUint64(b[8:], uint64(i))
	h := sha256.Sum256(b[:])
	body := binary.BigEndian.Uint64(h[:8]) % 10_000_000
	return card.CompletePAN(s.bin + fmt.Sprintf("%07d", body))
}

// ref makes the provider id of the card with index i.
func (s *Sandbox) ref(i int) string {
	return "sbx_" + uuid.NewSHA1(uuid.NameSpaceOID, []byte(strconv.FormatUint(s.seed, 10)+"/"+strconv.Itoa(i))).String()
}

// begin counts a call and takes its fault, if one is queued. The lock must
// be held.
func (s *Sandbox) begin(op Op) Fault {
	s.calls[op]++
	q := s.faults[op]
	if len(q) == 0 {
		return 0
	}
	s.faults[op] = q[1:]
	return q[0]
}

// keyed runs effect once per key: a repeated key with the same request
// gets the first answer; with another request, a final error.
func (s *Sandbox) keyed(ctx context.Context, op Op, key string, request any, effect func() (answer, error)) (card.Card, error) {
	h, err := hashOf(op, request)
	if err != nil {
		return card.Card{}, err
	}
	s.lock()
	fault := s.begin(op)
	if fault == FailBeforeEffect {
		s.mu.Unlock()
		return card.Card{}, &Error{Op: op, Code: "unavailable", Message: "service unavailable", retryable: true, notActed: true}
	}
	a, seen := s.st.Keys[key]
	if seen && (a.Op != op || a.Request != h) {
		s.mu.Unlock()
		return card.Card{}, &Error{Op: op, Code: "idempotency_key_reused", Message: "the key was used for another request"}
	}
	if !seen {
		if a, err = effect(); err != nil {
			s.mu.Unlock()
			return card.Card{}, err
		}
		a.Op, a.Request = op, h
		s.st.Keys[key] = a
		if err := s.save(); err != nil {
			s.mu.Unlock()
			return card.Card{}, &Error{Op: op, Code: "internal", Message: err.Error(), retryable: true}
		}
	}
	s.mu.Unlock()

	switch fault {
	case FailAfterEffect:
		return card.Card{}, &Error{Op: op, Code: "connection_reset", Message: "the connection dropped before the answer", retryable: true}
	case Timeout:
		<-ctx.Done()
		return card.Card{}, ctx.Err()
	}
	return s.withNumber(a.Card, a.Number)
}

// withNumber gives c its number back.
func (s *Sandbox) withNumber(c card.Card, i int) (card.Card, error) {
	pan, err := s.number(i)
	if err != nil {
		return card.Card{}, err
	}
	c.SetNumber(pan)
	return c, nil
}

func hashOf(op Op, request any) ([32]byte, error) {
	b, err := json.Marshal(struct {
		Op      Op  `json:"op"`
		Request any `json:"request"`
	}{op, request})
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// save writes the state file, if there is one, whole or not at all. The
// lock must be held.
func (s *Sandbox) save() error {
	if s.file == "" {
		return nil
	}
	b, err := json.Marshal(s.st)
	if err != nil {
		return err
	}
	tmp := s.file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.file)
}

// issuedStatus is the status a new card starts in.
func (s *Sandbox) issuedStatus(f card.Form) card.Status {
	switch {
	case s.pending:
		return card.StatusPending
	case f == card.FormPhysical:
		return card.StatusUnactivated
	}
	return card.StatusActive
}

// newEntry makes a card at the provider from c. The lock must be held.
func (s *Sandbox) newEntry(c card.Card, number int) *entry {
	i := s.st.Issued
	s.st.Issued++
	if number < 0 {
		number = i
	}
	now := s.now()
	c.PAN, c.BIN, c.LastFour, c.PANLength, c.Fingerprint = card.PAN{}, "", "", 0, card.Fingerprint{}
	c.ProviderRefs = map[string]string{Name: s.ref(i)}
	if c.Brand == 0 {
		c.Brand = card.BrandVisa
	}
	if c.Expiry.IsZero() {
		c.Expiry = card.Expiry{Year: now.Year() + 3, Month: now.Month()}
	}
	// A new card, a replacement too, was never activated.
	c.Status, c.StatusReason, c.HeldBy, c.ActivatedAt = s.issuedStatus(c.Form), 0, 0, time.Time{}
	if c.Status == card.StatusActive {
		c.ActivatedAt = now
	}
	e := &entry{Card: c, Number: number}
	s.st.Cards[c.ProviderRefs[Name]] = e
	return e
}

// IssueCard issues c, or answers again for a key it has seen.
func (s *Sandbox) IssueCard(ctx context.Context, key string, c card.Card) (card.Card, error) {
	req := struct {
		ID   uuid.UUID `json:"id"`
		Form card.Form `json:"form"`
	}{c.ID, c.Form}
	return s.keyed(ctx, OpIssue, key, req, func() (answer, error) {
		if c.Form != card.FormPhysical && c.Form != card.FormVirtual {
			return answer{}, &Error{Op: OpIssue, Code: "invalid_request", Message: "a card is physical or virtual"}
		}
		e := s.newEntry(c, -1)
		return answer{Card: e.Card, Number: e.Number}, nil
	})
}

// noCard says no card has ref, naming ref without anything like a card
// number a caller may have put in it.
func noCard(ref string) string { return "no sandbox card " + strconv.Quote(card.RedactNumbers(ref)) }

// find returns the provider's card c refers to. The lock must be held.
func (s *Sandbox) find(op Op, c card.Card) (*entry, error) {
	e, ok := s.st.Cards[c.ProviderRefs[Name]]
	if !ok {
		return nil, &Error{Op: op, Code: "not_found", Message: noCard(c.ProviderRefs[Name])}
	}
	return e, nil
}

// ChangeStatus makes move m on the card, if the lifecycle table allows it.
func (s *Sandbox) ChangeStatus(ctx context.Context, key string, c card.Card, m card.Move) (card.Card, error) {
	req := struct {
		Ref  string    `json:"ref"`
		Move card.Move `json:"move"`
	}{c.ProviderRefs[Name], m}
	return s.keyed(ctx, OpChange, key, req, func() (answer, error) {
		e, err := s.find(OpChange, c)
		if err != nil {
			return answer{}, err
		}
		// An activation, not a lifted hold: a hold lifted to ACTIVE comes
		// after the activation that ended the old card, or none is due.
		activation := m.To == card.StatusActive && e.Card.Status != card.StatusSuspended
		if err := e.Card.Transition(m, s.now()); err != nil {
			return answer{}, &Error{Op: OpChange, Code: "invalid_transition", Message: err.Error()}
		}
		// Activating a replacement ends the card it replaces where the
		// reissue rule says so, as the providers do.
		if old, ok := s.st.Cards[e.Replaces]; ok && activation &&
			e.Rule.OldEnds == card.EndOnActivation && !old.Card.Status.Final() {
			old.Card.Status, old.Card.StatusReason, old.Card.HeldBy = card.StatusTerminated, e.Rule.OldReason, 0
		}
		return answer{Card: e.Card, Number: e.Number}, nil
	})
}

// ReissueCard replaces old as plan says.
func (s *Sandbox) ReissueCard(ctx context.Context, key string, old card.Card, plan card.ReissuePlan) (card.Card, error) {
	req := struct {
		Ref  string           `json:"ref"`
		Plan card.ReissuePlan `json:"plan"`
	}{old.ProviderRefs[Name], plan}
	return s.keyed(ctx, OpReissue, key, req, func() (answer, error) {
		e, err := s.find(OpReissue, old)
		if err != nil {
			return answer{}, err
		}
		if !e.Card.Status.Issued() {
			return answer{}, &Error{Op: OpReissue, Code: "invalid_state", Message: "the card is " + e.Card.Status.String()}
		}
		n := e.Card
		n.Form, n.ProductID = plan.Form, plan.ProductID
		n.Expiry = card.Expiry{}
		if plan.SameExpiry {
			n.Expiry = e.Card.Expiry
		}
		number := -1
		if plan.SamePAN {
			number = e.Number
		}
		ne := s.newEntry(n, number)
		ne.Replaces, ne.Rule = old.ProviderRefs[Name], plan.Rule
		// A replacement ACTIVE from the start (virtual) is activated with
		// its issue: the old card ends now under either rule.
		if plan.Rule.OldEnds == card.EndImmediately || ne.Card.Status == card.StatusActive {
			e.Card.Status, e.Card.StatusReason, e.Card.HeldBy = card.StatusTerminated, plan.Rule.OldReason, 0
		}
		return answer{Card: ne.Card, Number: ne.Number}, nil
	})
}

// SimulateIssue finishes issuing a PENDING card: virtual cards become
// ACTIVE, physical ones UNACTIVATED.
func (s *Sandbox) SimulateIssue(ref string) error {
	return s.simulate(ref, func(c *card.Card) card.Move {
		to := card.StatusActive
		if c.Form == card.FormPhysical {
			to = card.StatusUnactivated
		}
		return card.Move{To: to, By: card.ActorProvider}
	})
}

// SimulateFail fails issuing a PENDING card: it becomes REJECTED.
func (s *Sandbox) SimulateFail(ref string) error {
	return s.simulate(ref, func(*card.Card) card.Move {
		return card.Move{To: card.StatusRejected, By: card.ActorProvider}
	})
}

func (s *Sandbox) simulate(ref string, move func(*card.Card) card.Move) error {
	s.lock()
	defer s.mu.Unlock()
	e, ok := s.st.Cards[ref]
	if !ok {
		return &Error{Op: "simulate", Code: "not_found", Message: noCard(ref)}
	}
	if e.Card.Status != card.StatusPending {
		return &Error{Op: "simulate", Code: "invalid_state", Message: "the card is " + e.Card.Status.String()}
	}
	if err := e.Card.Transition(move(&e.Card), s.now()); err != nil {
		return err
	}
	return s.save()
}

// Card returns the provider's view of a card, with its number.
func (s *Sandbox) Card(ref string) (card.Card, error) {
	s.lock()
	defer s.mu.Unlock()
	e, ok := s.st.Cards[ref]
	if !ok {
		return card.Card{}, &Error{Op: "get", Code: "not_found", Message: noCard(ref)}
	}
	return s.withNumber(e.Card, e.Number)
}
