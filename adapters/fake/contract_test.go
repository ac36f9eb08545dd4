package fake_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// provider is the issuance provider port, as the clients implement it.
type provider = fake.Provider

// harness is one provider's client against its fake.
type harness struct {
	name   string
	client provider
	fake   fake.Server
	// get reads a card by the provider's id.
	get func(ctx context.Context, ref string) (card.Card, error)
	// newCard is the PENDING card the service sends to IssueCard.
	newCard func() card.Card
	// unsupported lists the walk's steps the provider has no call for.
	unsupported map[string]bool
	// suspend is the hold the walk places (one the provider expresses).
	suspend card.StatusReason
	// reissue is the reason the walk reissues for.
	reissue card.ReissueReason
	// reusedKind is the kind of the provider's answer to a reused key.
	reusedKind error
	// inFlightRetryable says whether the provider has a "key in flight"
	// answer that a retry gets past.
	inFlightRetryable bool
	// breakCard makes a card the client refuses to send, naming the
	// provider's field.
	breakCard func(*card.Card)
	// badCreds is a client of the same fake with wrong credentials.
	badCreds provider
	// waits are the backoff waits the client asked for.
	waits *waits
}

// waits records the client's sleeps instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// options are the client options every harness uses: the fake's URL, a
// fixed clock, recorded sleeps, three attempts.
func options(srv *httptest.Server, prefix string, w *waits) []httpapi.Option {
	return []httpapi.Option{
		httpapi.WithBaseURL(srv.URL + prefix), httpapi.WithHTTPClient(srv.Client()),
		httpapi.WithClock(func() time.Time { return t0 }), httpapi.WithSleep(w.sleep),
		httpapi.WithRetry(httpapi.Retry{Attempts: 3, Base: 10 * time.Millisecond, Max: 50 * time.Millisecond}),
	}
}

func harnesses(t *testing.T) []harness {
	return []harness{syncteraHarness(t), solidHarness(t), rocketkorHarness(t), offblocksHarness(t)}
}

func key() string { return uuid.NewString() }

// TestContract walks every client through the lifecycle against its fake,
// then through every failure.
func TestContract(t *testing.T) {
	for _, h := range harnesses(t) {
		t.Run(h.name, func(t *testing.T) {
			t.Run("Lifecycle", func(t *testing.T) { lifecycle(t, h) })
			t.Run("RetryAfterDropMakesOneCard", func(t *testing.T) { dropped(t, h) })
			t.Run("Errors", func(t *testing.T) { errorPaths(t, h) })
		})
	}
}

// issued checks what every returned card must carry.
func issued(t *testing.T, h harness, c card.Card) {
	t.Helper()
	assert.NotEmpty(t, c.ProviderRefs[h.name], "the provider's id")
	assert.True(t, c.Status.Valid(), "a status")
	if c.Status != card.StatusPending {
		assert.Len(t, c.LastFour, 4, "the last four")
		assert.False(t, c.Expiry.IsZero(), "an expiry")
	}
}

// step runs one step of the walk, or checks that the provider refuses it as
// unsupported.
func step(t *testing.T, h harness, name string, run func() (card.Card, error)) (card.Card, bool) {
	t.Helper()
	c, err := run()
	if h.unsupported[name] {
		require.Error(t, err, name)
		assert.ErrorIs(t, err, wire.ErrUnsupported, name)
		var u *wire.UnsupportedError
		require.ErrorAs(t, err, &u)
		assert.Equal(t, h.name, u.Provider)
		assert.False(t, retryable(err), "unsupported is final")
		return card.Card{}, false
	}
	require.NoError(t, err, name)
	issued(t, h, c)
	return c, true
}

func lifecycle(t *testing.T, h harness) {
	ctx := context.Background()
	c, _ := step(t, h, "issue", func() (card.Card, error) { return h.client.IssueCard(ctx, key(), h.newCard()) })
	ref := c.ProviderRefs[h.name]

	got, err := h.get(ctx, ref)
	require.NoError(t, err)
	assert.Equal(t, c.Status, got.Status)
	assert.Equal(t, c.LastFour, got.LastFour)

	if c.Status == card.StatusUnactivated {
		a, ok := step(t, h, "activate", func() (card.Card, error) {
			return h.client.ChangeStatus(ctx, key(), c, card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: card.ActorHolder})
		})
		if ok {
			assert.Equal(t, card.StatusActive, a.Status)
			c = a
		}
	}
	require.Equal(t, card.StatusActive, c.Status, "the walk goes on with an active card")

	if s, ok := step(t, h, "suspend", func() (card.Card, error) {
		return h.client.ChangeStatus(ctx, key(), c, card.Move{To: card.StatusSuspended, Reason: h.suspend, By: card.ActorHolder})
	}); ok {
		assert.Equal(t, card.StatusSuspended, s.Status)
		got, err := h.get(ctx, ref)
		require.NoError(t, err)
		assert.Equal(t, card.StatusSuspended, got.Status, "the provider holds the card")
		c = s
	}
	if c.Status == card.StatusSuspended || h.unsupported["resume"] {
		if r, ok := step(t, h, "resume", func() (card.Card, error) {
			return h.client.ChangeStatus(ctx, key(), c, card.Move{To: card.StatusActive, Reason: card.ReasonREQ, By: card.ActorHolder})
		}); ok {
			assert.Equal(t, card.StatusActive, r.Status)
			c = r
		}
	}

	c.ID = uuid.New() // cardkit's id, which the service keeps and the provider does not know
	plan, err := card.PlanReissue(&c, h.reissue, card.ReissueOptions{})
	require.NoError(t, err)
	if n, ok := step(t, h, "reissue", func() (card.Card, error) { return h.client.ReissueCard(ctx, key(), c, plan) }); ok {
		assert.NotEqual(t, ref, n.ProviderRefs[h.name], "the replacement is a card of its own")
		if plan.SamePAN {
			assert.Equal(t, c.LastFour, n.LastFour, "the same number")
		}
		if n.Status == card.StatusUnactivated {
			n, err = h.client.ChangeStatus(ctx, key(), n, card.Move{To: card.StatusActive, Reason: card.ReasonRIS, By: card.ActorHolder})
			require.NoError(t, err)
			assert.Equal(t, card.StatusActive, n.Status)
		}
		c = n
	}

	if end, ok := step(t, h, "terminate", func() (card.Card, error) {
		return h.client.ChangeStatus(ctx, key(), c, card.Move{To: card.StatusTerminated, Reason: card.ReasonREQ, By: card.ActorProgram})
	}); ok {
		assert.Equal(t, card.StatusTerminated, end.Status)
	}
}

func dropped(t *testing.T, h harness) {
	ctx := context.Background()
	before := h.fake.Cards()
	k := key()
	h.fake.FailNext(fake.OpIssue, fake.Drop, 1)
	calls := h.fake.Calls(fake.OpIssue)
	want := h.newCard()
	c, err := h.client.IssueCard(ctx, k, want)
	require.NoError(t, err, "the client retries a dropped answer with the same key")
	assert.Equal(t, calls+2, h.fake.Calls(fake.OpIssue), "one drop, one retry")
	assert.Equal(t, before+1, h.fake.Cards(), "one card, not two")

	again, err := h.client.IssueCard(ctx, k, want)
	require.NoError(t, err)
	assert.Equal(t, c.ProviderRefs[h.name], again.ProviderRefs[h.name], "the same key answers the same card")
	assert.Equal(t, before+1, h.fake.Cards())
}

var longDigits = regexp.MustCompile(`\d{11,}`)

func retryable(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable()
}

func errorPaths(t *testing.T, h harness) {
	ctx := context.Background()
	check := func(t *testing.T, err error, kind error, retry bool) *httpapi.Error {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, kind)
		assert.Equal(t, retry, retryable(err), "retryable: %v", err)
		assert.Empty(t, longDigits.FindString(err.Error()), "no card number in %q", err)
		var e *httpapi.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, h.name, e.Provider)
		return e
	}

	t.Run("BadCredentials", func(t *testing.T) {
		_, err := h.badCreds.IssueCard(ctx, key(), h.newCard())
		e := check(t, err, httpapi.ErrUnauthorized, false)
		assert.Contains(t, []int{401, 403}, e.Status)
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := h.get(ctx, uuid.NewString())
		check(t, err, httpapi.ErrNotFound, false)
	})
	t.Run("KeyReusedForAnotherRequest", func(t *testing.T) {
		k := key()
		_, err := h.client.IssueCard(ctx, k, h.newCard())
		require.NoError(t, err)
		other := h.newCard()
		other.Holder.BillingAddress.Line1 = "2 Other Street"
		other.AccountID = uuid.NewString()
		other.Label = "Another card"
		_, err = h.client.IssueCard(ctx, k, other)
		check(t, err, h.reusedKind, false)
	})
	t.Run("UnavailableUntilAttemptsRunOut", func(t *testing.T) {
		before := h.fake.Calls(fake.OpIssue)
		h.fake.FailNext(fake.OpIssue, fake.Unavailable, 3)
		_, err := h.client.IssueCard(ctx, key(), h.newCard())
		e := check(t, err, httpapi.ErrUnavailable, true)
		assert.Equal(t, 503, e.Status)
		assert.Equal(t, before+3, h.fake.Calls(fake.OpIssue))
	})
	t.Run("RateLimitedThenServed", func(t *testing.T) {
		h.fake.FailNext(fake.OpIssue, fake.RateLimited, 1)
		n := len(h.waits.all())
		_, err := h.client.IssueCard(ctx, key(), h.newCard())
		require.NoError(t, err)
		w := h.waits.all()
		require.Len(t, w, n+1)
		assert.GreaterOrEqual(t, w[n], time.Second, "the wait honours Retry-After")
	})
	t.Run("KeyInFlight", func(t *testing.T) {
		h.fake.FailNext(fake.OpIssue, fake.InFlight, 1)
		_, err := h.client.IssueCard(ctx, key(), h.newCard())
		if h.inFlightRetryable {
			require.NoError(t, err, "a key in flight is retried")
			return
		}
		require.Error(t, err)
		assert.False(t, retryable(err))
	})
	t.Run("TimeoutLeavesOneCard", func(t *testing.T) {
		h.fake.SetHang(5 * time.Second)
		before := h.fake.Cards()
		k := key()
		h.fake.FailNext(fake.OpIssue, fake.Timeout, 1)
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		want := h.newCard()
		_, err := h.client.IssueCard(short, k, want)
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, retryable(err))
		c, err := h.client.IssueCard(ctx, k, want)
		require.NoError(t, err, "the retry under the same key gets the card")
		issued(t, h, c)
		assert.Equal(t, before+1, h.fake.Cards())
	})
	t.Run("InvalidInputNamesTheField", func(t *testing.T) {
		before := h.fake.Calls(fake.OpIssue)
		bad := h.newCard()
		h.breakCard(&bad)
		_, err := h.client.IssueCard(ctx, key(), bad)
		require.Error(t, err)
		assert.ErrorIs(t, err, card.ErrInvalid)
		var ce *card.Error
		require.ErrorAs(t, err, &ce)
		require.NotEmpty(t, ce.Fields)
		assert.NotEmpty(t, ce.Fields[0].Field)
		assert.False(t, retryable(err))
		assert.Equal(t, before, h.fake.Calls(fake.OpIssue), "nothing was sent")
	})
}
