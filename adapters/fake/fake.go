// Package fake holds one fake server per card-issuing provider cardkit
// speaks to: Synctera, Solid, RocketKOR and OffBlocks. Each is an
// http.Handler (run it with httptest.NewServer, or in-process as the
// quickstart does) that behaves as the provider's documents say: it checks
// the credentials and headers the provider demands (OffBlocks' signatures
// and Content-Digest, its UUID idempotency keys; RocketKOR's key length),
// checks bodies against the documented limits through the provider's
// adapter, keeps its cards in memory, honours idempotency keys (the same key
// and body answer the first answer again, another body gets the provider's
// documented error), walks cards through the provider's own statuses, and
// answers with the provider's error bodies.
//
// Faults are injected per operation with FailNext: a 503 or a 429 before
// the effect, the provider's "key in flight" answer, or, after the effect, a
// dropped connection or no answer at all.
//
// Card numbers are test numbers (a test BIN and a valid Luhn digit); a fake
// keeps them in memory only, as card.PAN, which never prints them.
package fake

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/internal/fakeapi"
	"github.com/cardkit/cardkit/card"
)

// Fault is how a call fails; see FailNext.
type Fault = fakeapi.Fault

// ParseFault reads a Fault by its name, as String writes it ("DROP").
func ParseFault(s string) (Fault, error) { return fakeapi.ParseFault(s) }

// FaultValues lists every Fault.
func FaultValues() []Fault { return fakeapi.FaultValues() }

// Faults.
const (
	Unavailable = fakeapi.Unavailable // 503 before the effect
	RateLimited = fakeapi.RateLimited // 429 with Retry-After before the effect
	InFlight    = fakeapi.InFlight    // the provider's "key in flight" answer
	Timeout     = fakeapi.Timeout     // the effect, then no answer until the client gives up
	Drop        = fakeapi.Drop        // the effect, then the connection closes without an answer
)

// Operations, the names FailNext and Calls take. Not every fake has every
// one.
const (
	OpToken     = "token"     // the token exchange (RocketKOR, OffBlocks)
	OpIssue     = "issue"     // create a card
	OpGet       = "get"       // read a card
	OpUpdate    = "update"    // Synctera's PATCH of a card's status
	OpActivate  = "activate"  // activate a card
	OpSuspend   = "suspend"   // place a hold (RocketKOR), deactivate (OffBlocks)
	OpResume    = "resume"    // lift a hold
	OpTerminate = "terminate" // end a card (Solid's DELETE, OffBlocks' DELETE)
	OpReissue   = "reissue"   // replace a card
	OpSimulate  = "simulate"  // OffBlocks' sandbox simulator
)

// Option configures a fake.
type Option func(*settings)

type settings struct {
	now  func() time.Time
	seed uint64
}

// WithClock sets the fake's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithSeed sets the seed card numbers and ids are made from (default 1).
func WithSeed(seed uint64) Option { return func(s *settings) { s.seed = seed } }

func newSettings(opts []Option) settings {
	s := settings{now: time.Now, seed: 1}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// server is what every fake is: a mux of endpoints over a fakeapi.Base.
type server struct {
	base *fakeapi.Base
	mux  *http.ServeMux
	settings
	mu  sync.Mutex // guards n
	n   int
	bin string
}

func newServer(bin string, rules fakeapi.Rules, opts []Option) server {
	s := newSettings(opts)
	rules.Now = s.now
	return server{base: &fakeapi.Base{Rules: rules}, mux: http.NewServeMux(), settings: s, bin: bin}
}

// ServeHTTP serves the provider's API.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// FailNext makes the next times calls of op fail with f.
func (s *server) FailNext(op string, f Fault, times int) { s.base.FailNext(op, f, times) }

// Calls is how many calls of op arrived, refused and failed ones included.
func (s *server) Calls(op string) int { return s.base.Calls(op) }

// SetHang bounds how long a Timeout fault holds a call.
func (s *server) SetHang(d time.Duration) { s.base.SetHang(d) }

func (s *server) route(pattern string, e fakeapi.Endpoint) { s.base.Route(s.mux, pattern, e) }

// next returns the index of the next card and a UUID for it, in the string
// form every fake uses, both from the seed: the same seed gives the same
// ids in the same order.
func (s *server) next() (int, string) {
	s.mu.Lock()
	i := s.n
	s.n++
	s.mu.Unlock()
	// uuid.NewSHA1(uuid.NameSpaceOID, name), hashed on the stack: through
	// its hash.Hash it costs four allocations a card.
	var buf [96]byte
	in := append(buf[:0], uuid.NameSpaceOID[:]...)
	in = append(in, s.bin...)
	in = strconv.AppendUint(append(in, '/'), s.seed, 10)
	in = strconv.AppendInt(append(in, '/'), int64(i), 10)
	sum := sha1.Sum(in)
	var id uuid.UUID
	copy(id[:], sum[:])
	id[6] = id[6]&0x0f | 0x50 // version 5
	id[8] = id[8]&0x3f | 0x80 // the RFC 4122 variant
	return i, id.String()
}

// number makes the test number with index i from the fake's BIN.
func (s *server) number(i int) card.PAN {
	pan, ok := s.numberFrom(s.bin, i)
	if !ok {
		panic("fake: bad BIN " + s.bin) // the BINs are constants of this package
	}
	return pan
}

// numberFrom makes the test number with index i: bin (a BIN of 6 or 8
// digits), digits drawn from the seed and i up to 15, and the Luhn digit;
// false if bin is not a BIN.
func (s *server) numberFrom(bin string, i int) (card.PAN, bool) {
	if !card.ValidBIN(bin) {
		return card.PAN{}, false
	}
	var buf [32]byte
	in := append(buf[:0], bin...)
	in = binary.BigEndian.AppendUint64(in, s.seed)
	in = binary.BigEndian.AppendUint64(in, uint64(i))
	h := sha256.Sum256(in)
	// The BIN and the rest of 15 digits, zero-padded.
	scale := uint64(1)
	for range 15 - len(bin) {
		scale *= 10
	}
	body := binary.BigEndian.Uint64(h[:8]) % scale
	digits := append(buf[:0], bin...)
	for d := scale / 10; d > 0; d /= 10 {
		digits = append(digits, byte('0'+body/d%10))
	}
	pan, err := card.CompletePAN(string(digits))
	return pan, err == nil
}

// expiry is three years from now.
func (s *server) expiry() card.Expiry {
	now := s.now().UTC()
	return card.Expiry{Year: now.Year() + 3, Month: now.Month()}
}

// keepsNumber reports whether a reissue keeps the number: the domain's
// reissue table, which each provider's document agrees with.
func keepsNumber(r card.ReissueReason) bool { return r.Rule().Keep != card.KeepNewPAN }

// encoded is the answer of status with b, what an encoder wrote of a card.
// Where the encoder refused (err), it is the provider's 400 (invalid) if
// the refusal names fields the document limits, for the request sent
// them, its 500 (internal) otherwise, and false.
func encoded(status int, b []byte, err error, invalid func(error) fakeapi.Answer, internal func() fakeapi.Answer) (fakeapi.Answer, bool) {
	if err == nil {
		return fakeapi.JSON(status, b), true
	}
	var ce *card.Error
	if errors.As(err, &ce) && len(ce.Fields) > 0 {
		return invalid(err), false
	}
	return internal(), false
}
