// Package fakeapi is what the four fake provider servers share: routing
// with authentication, idempotency keys honoured the way providers honour
// them (the same key and body answer the first answer again; another body
// gets the provider's own error), fault injection before and after the
// effect, and call counting. Each fake supplies its provider's rules:
// how a request is authorised, what a valid key looks like, and how its
// error body reads.
package fakeapi

import (
	"crypto/sha256"
	"net/http"
	"sync"
	"time"

	"github.com/cardkit/cardkit/adapters/internal/httpbody"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/enum"
)

// Fault is a failure a fake injects into the next call of an operation.
type Fault uint8

// Faults.
const (
	// Unavailable answers 503 before the effect.
	Unavailable Fault = iota + 1
	// RateLimited answers 429 with Retry-After: 1 before the effect.
	RateLimited
	// InFlight answers the provider's "key still in flight" error before
	// the effect, as if a concurrent call held the key.
	InFlight
	// Timeout makes the effect, then sends nothing until the client gives
	// up (its context ends) or the fake's hang limit passes, when it closes
	// the connection without an answer, as Drop does.
	Timeout
	// Drop makes the effect, then closes the connection without an answer.
	Drop
)

var faultEnum = enum.Enum[Fault]{Type: "fake.Fault", Entries: []enum.Entry{
	Unavailable: {Name: "UNAVAILABLE", Doc: "a 503 before the effect"},
	RateLimited: {Name: "RATE_LIMITED", Doc: "a 429 with Retry-After before the effect"},
	InFlight:    {Name: "IN_FLIGHT", Doc: "the provider's key-in-flight answer"},
	Timeout:     {Name: "TIMEOUT", Doc: "the effect, then no answer until the client gives up"},
	Drop:        {Name: "DROP", Doc: "the effect, then the connection closes without an answer"},
}}

// String returns the fault's name, such as "DROP".
func (f Fault) String() string { return faultEnum.Name(f) }

// ParseFault reads a Fault by its name, as String writes it.
func ParseFault(s string) (Fault, error) {
	return faultEnum.Parse("fault", s, func(field, value, typ string) error {
		return card.UnknownValue("fake.ParseFault", field, value, typ)
	})
}

// FaultValues lists every Fault.
func FaultValues() []Fault { return faultEnum.Values() }

// Answer is a response the fake sends, and keeps under an idempotency key.
type Answer struct {
	Status int
	Body   []byte
	Header http.Header
}

// Rules are a provider's ways.
type Rules struct {
	// Authorize checks the credentials of r; a non-nil answer refuses it.
	Authorize func(r *http.Request, body []byte) *Answer
	// Key returns the idempotency key of r, or an answer refusing a
	// missing or malformed key where the call needs one.
	Key func(r *http.Request, keyed bool) (string, *Answer)
	// Error writes the provider's error body.
	Error func(status int, code, message, field string) Answer
	// Reused is the answer to a key used before for another request.
	Reused func() Answer
	// InFlight is the answer to a key still in flight.
	InFlight func() Answer
	// MaxBody bounds a request body.
	MaxBody int64
	// KeyTTL is how long the provider remembers a key (OffBlocks one hour,
	// RocketKOR 24 hours); after it a key is new again. Zero: for ever.
	KeyTTL time.Duration
	// Now is the fake's clock.
	Now func() time.Time
}

// Endpoint is one operation of a fake.
type Endpoint struct {
	Op     string
	Keyed  bool // honours, and where Rules.Key says, requires an Idempotency-Key
	Handle func(r *http.Request, body []byte) Answer
}

// Base is the shared state of a fake. It is safe for concurrent use.
type Base struct {
	Rules  Rules
	mu     sync.Mutex
	hang   time.Duration
	faults map[string][]Fault
	calls  map[string]int
	keys   map[string]kept
	// Mu guards the fake's own state: handlers run with it held, so that
	// each call's effect is atomic.
	Mu sync.Mutex
}

type kept struct {
	hash   [32]byte
	answer Answer
	at     time.Time
}

// FailNext makes the next times calls of op fail with f, after any faults
// already queued.
func (b *Base) FailNext(op string, f Fault, times int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.faults == nil {
		b.faults = map[string][]Fault{}
	}
	for range times {
		b.faults[op] = append(b.faults[op], f)
	}
}

// SetHang bounds how long a Timeout fault holds a call (default 10 s).
func (b *Base) SetHang(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hang = d
}

// Calls is how many calls of op arrived, refused and failed ones included.
func (b *Base) Calls(op string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls[op]
}

func (b *Base) begin(op string) Fault {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.calls == nil {
		b.calls = map[string]int{}
	}
	b.calls[op]++
	q := b.faults[op]
	if len(q) == 0 {
		return 0
	}
	b.faults[op] = q[1:]
	return q[0]
}

// Route registers e on mux under pattern (a net/http pattern such as
// "POST /v0/cards").
func (b *Base) Route(mux *http.ServeMux, pattern string, e Endpoint) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { b.serve(w, r, e) })
}

func (b *Base) serve(w http.ResponseWriter, r *http.Request, e Endpoint) {
	fault := b.begin(e.Op)
	limit := b.Rules.MaxBody
	if limit == 0 {
		limit = 64 << 10
	}
	body, err := httpbody.Read(r.Body, r.ContentLength, limit+1)
	switch {
	case err != nil:
		write(w, b.Rules.Error(http.StatusBadRequest, "BAD_REQUEST", "the body could not be read", ""))
		return
	case int64(len(body)) > limit:
		write(w, b.Rules.Error(http.StatusRequestEntityTooLarge, "TOO_LARGE", "the body is too large", ""))
		return
	}
	if a := b.Rules.Authorize(r, body); a != nil {
		write(w, *a)
		return
	}
	switch fault {
	case Unavailable:
		write(w, b.Rules.Error(http.StatusServiceUnavailable, "UNAVAILABLE", "service unavailable", ""))
		return
	case RateLimited:
		a := b.Rules.Error(http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "slow down", "")
		a.Header = http.Header{"Retry-After": {"1"}}
		write(w, a)
		return
	case InFlight:
		write(w, b.Rules.InFlight())
		return
	}
	key, refused := b.Rules.Key(r, e.Keyed)
	if refused != nil {
		write(w, *refused)
		return
	}
	a := b.effect(r, body, e, key)
	switch fault {
	case Drop:
		drop(w)
		return
	case Timeout:
		b.mu.Lock()
		hang := b.hang
		b.mu.Unlock()
		if hang == 0 {
			hang = 10 * time.Second
		}
		t := time.NewTimer(hang)
		defer t.Stop()
		select {
		case <-r.Context().Done():
		case <-t.C:
			// Still no answer: returning would send an empty 200.
			drop(w)
		}
		return
	}
	write(w, a)
}

// drop ends the exchange on w without an answer: it closes the
// connection (HTTP/1), or else aborts the handler, which net/http's server
// answers by resetting the stream (HTTP/2). Served by hand, with a
// recorder, that abort is the caller's panic.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// effect runs the endpoint once per key: a key seen with the same request
// gets the first answer, with another request the provider's error.
func (b *Base) effect(r *http.Request, body []byte, e Endpoint, key string) Answer {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	if key == "" || !e.Keyed {
		return e.Handle(r, body)
	}
	sum := requestHash(r.Method, r.URL.Path, body)
	b.mu.Lock()
	k, seen := b.keys[key]
	b.mu.Unlock()
	now := b.Rules.Now()
	if seen && b.Rules.KeyTTL > 0 && now.Sub(k.at) >= b.Rules.KeyTTL {
		seen = false // the provider has forgotten the key
	}
	if seen {
		if k.hash != sum {
			return b.Rules.Reused()
		}
		return k.answer
	}
	a := e.Handle(r, body)
	if a.Status < 500 {
		b.mu.Lock()
		if b.keys == nil {
			b.keys = map[string]kept{}
		}
		b.keys[key] = kept{hash: sum, answer: a, at: now}
		b.mu.Unlock()
	}
	return a
}

// requestHash is what a key remembers of its request: the method, the path
// and the body (through its own digest, so that nothing is copied).
func requestHash(method, path string, body []byte) [32]byte {
	var buf [128]byte
	b := append(buf[:0], method...)
	b = append(b, ' ')
	b = append(b, path...)
	b = append(b, '\n')
	sum := sha256.Sum256(body)
	return sha256.Sum256(append(b, sum[:]...))
}

func write(w http.ResponseWriter, a Answer) {
	h := w.Header()
	for k, vs := range a.Header {
		h[k] = vs
	}
	if _, ok := h["Content-Type"]; !ok && a.Body != nil {
		h["Content-Type"] = []string{"application/json"}
	}
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

// JSON is an answer with a JSON body.
func JSON(status int, body []byte) Answer { return Answer{Status: status, Body: body} }
