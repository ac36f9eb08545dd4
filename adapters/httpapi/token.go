package httpapi

import (
	"context"
	"sync"
	"time"
)

// Tokens caches an access token exchanged for long-lived credentials
// (RocketKOR's key and secret, OffBlocks' API key and secret) and fetches a
// new one before the old one lapses, so that no call is sent with a token
// about to expire. One fetch runs at a time; callers waiting for it share
// its result. It is safe for concurrent use.
type Tokens struct {
	// Fetch exchanges the credentials for a token and says when it
	// expires.
	Fetch func(ctx context.Context) (Secret, time.Time, error)
	// Now is the clock.
	Now func() time.Time
	// Early is how long before its expiry a token is replaced (default one
	// minute, or a tenth of its life when that is shorter).
	Early time.Duration

	mu      sync.Mutex
	tok     Secret
	expires time.Time
	issued  time.Time
	fetches int
}

// Token returns a token that is valid for a while yet.
func (t *Tokens) Token(ctx context.Context) (Secret, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if !t.tok.IsZero() && now.Before(t.expires.Add(-t.margin())) {
		return t.tok, nil
	}
	tok, exp, err := t.Fetch(ctx)
	if err != nil {
		return Secret{}, err
	}
	t.tok, t.expires, t.issued = tok, exp, now
	t.fetches++
	return tok, nil
}

func (t *Tokens) margin() time.Duration {
	early := t.Early
	if early == 0 {
		early = time.Minute
	}
	return min(early, t.expires.Sub(t.issued)/10)
}

// Drop forgets the token, after the provider refused it.
func (t *Tokens) Drop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tok = Secret{}
}

// Fetches is how many tokens were fetched so far.
func (t *Tokens) Fetches() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fetches
}
