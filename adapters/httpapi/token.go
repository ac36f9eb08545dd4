package httpapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Tokens caches an access token exchanged for long-lived credentials
// (RocketKOR's key and secret, OffBlocks' API key and secret) and fetches a
// new one before the old one lapses, so that no call is sent with a token
// about to expire. One fetch runs at a time; callers waiting for it share
// its result, a failure too: a provider whose token call fails is not sent
// one more exchange, with all its attempts, for every caller that waited.
// So an error Token returns may be shared, and is not to be written.
// A call that finds a token still good takes no lock, so that concurrent
// calls do not queue on the cache. It is safe for concurrent use.
type Tokens struct {
	// Fetch exchanges the credentials for a token and says when it
	// expires.
	Fetch func(ctx context.Context) (Secret, time.Time, error)
	// Now is the clock.
	Now func() time.Time
	// Early is how long before its expiry a token is replaced (default one
	// minute, or a tenth of its life when that is shorter).
	Early time.Duration

	cur     atomic.Pointer[cachedToken] // nil: none, or dropped
	mu      sync.Mutex                  // guards flight
	flight  *fetch                      // the fetch under way, if any
	fetches atomic.Int64
}

// fetch is one run of Fetch, whose result the callers that wait for it
// share once done is closed.
type fetch struct {
	done chan struct{}
	tok  Secret
	err  error
	// ended: the fetching caller's context had ended when Fetch failed,
	// which is no reason for a waiter with time left to fail too.
	ended bool
}

// cachedToken is a token and the time from which it is replaced; it is
// never changed once published.
type cachedToken struct {
	tok     Secret
	renewAt time.Time
}

// Token returns a token that is valid for a while yet.
func (t *Tokens) Token(ctx context.Context) (Secret, error) {
	if c := t.cur.Load(); c != nil && t.Now().Before(c.renewAt) {
		return c.tok, nil
	}
	for {
		t.mu.Lock()
		if c := t.cur.Load(); c != nil && t.Now().Before(c.renewAt) {
			// Another caller fetched it meanwhile.
			t.mu.Unlock()
			return c.tok, nil
		}
		f := t.flight
		if f == nil {
			f = &fetch{done: make(chan struct{})}
			t.flight = f
			t.mu.Unlock()
			t.run(ctx, f)
			return f.tok, f.err
		}
		t.mu.Unlock()
		// Waiting for another caller's fetch, a caller still keeps its
		// own deadline.
		select {
		case <-f.done:
		case <-ctx.Done():
			return Secret{}, ctx.Err()
		}
		if f.ended && ctx.Err() == nil {
			continue // the fetching caller's context ended, not this one's: fetch again
		}
		return f.tok, f.err
	}
}

// run fetches a token into f, caches it, and lets f's waiters go, even if
// Fetch panics.
func (t *Tokens) run(ctx context.Context, f *fetch) {
	defer func() {
		t.mu.Lock()
		t.flight = nil
		t.mu.Unlock()
		close(f.done)
	}()
	f.err = errUnfinished
	now := t.Now()
	tok, exp, err := t.Fetch(ctx)
	// Asked of the context, not of err: net/http's own timeout also
	// matches context.DeadlineExceeded, and is the provider's failure.
	f.tok, f.err, f.ended = tok, err, err != nil && ctx.Err() != nil
	if err == nil {
		t.fetches.Add(1)
		if !tok.IsZero() {
			t.cur.Store(&cachedToken{tok: tok, renewAt: exp.Add(-t.margin(exp.Sub(now)))})
		}
	}
}

// errUnfinished is what the waiters of a fetch that never returned get.
var errUnfinished = errors.New("httpapi: the token fetch did not finish")

// margin is how long before its expiry a token with the given life is
// replaced.
func (t *Tokens) margin(life time.Duration) time.Duration {
	early := t.Early
	if early == 0 {
		early = time.Minute
	}
	return min(early, life/10)
}

// Authorize sets r's Authorization header to the token. The Fetch of the
// providers that use it returns the header's whole value, "Bearer <token>",
// so that it is made once per token.
func (t *Tokens) Authorize(ctx context.Context, r *http.Request) error {
	bearer, err := t.Token(ctx)
	if err != nil {
		return err
	}
	r.Header["Authorization"] = []string{bearer.Reveal()}
	return nil
}

// Drop forgets the token, after the provider refused it.
func (t *Tokens) Drop() { t.cur.Store(nil) }

// DropRefused drops the cached token if it is the one a refused request
// carried (its Authorization header, as Authorize set it): a token another
// caller fetched since is kept, so that a burst of 401s makes one fetch.
func (t *Tokens) DropRefused(authorization string) {
	if c := t.cur.Load(); c != nil && c.tok.Reveal() == authorization {
		t.cur.CompareAndSwap(c, nil)
	}
}

// Fetches is how many tokens were fetched so far.
func (t *Tokens) Fetches() int { return int(t.fetches.Load()) }
