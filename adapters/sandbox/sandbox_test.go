package sandbox_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newSandbox(t *testing.T, opts ...sandbox.Option) *sandbox.Sandbox {
	t.Helper()
	s, err := sandbox.New(append([]sandbox.Option{sandbox.WithClock(func() time.Time { return t0 })}, opts...)...)
	require.NoError(t, err)
	return s
}

func pending(form card.Form) card.Card {
	return card.Card{ID: uuid.New(), Tenant: "acme", AccountID: "a", Holder: card.Holder{CustomerID: "c"},
		Type: card.TypeDebit, Form: form, Status: card.StatusPending}
}

func TestIssue(t *testing.T) {
	ctx := context.Background()
	s := newSandbox(t)
	v, err := s.IssueCard(ctx, "k1", pending(card.FormVirtual))
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, v.Status, "virtual cards start active")
	p, err := s.IssueCard(ctx, "k2", pending(card.FormPhysical))
	require.NoError(t, err)
	assert.Equal(t, card.StatusUnactivated, p.Status, "physical cards wait for activation")

	for _, c := range []card.Card{v, p} {
		require.False(t, c.PAN.IsZero())
		_, err := card.ParsePAN(c.PAN.RevealDigits())
		require.NoError(t, err, "a valid test number")
		assert.Equal(t, "41111111", c.BIN)
		assert.Equal(t, c.PAN.LastFour(), c.LastFour)
		assert.True(t, strings.HasPrefix(c.ProviderRefs[sandbox.Name], "sbx_"))
		assert.Equal(t, card.Expiry{Year: 2029, Month: time.November}, c.Expiry)
	}
	assert.False(t, v.PAN.Equal(p.PAN))
	assert.Equal(t, 2, s.Cards())
}

func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	a, b := newSandbox(t, sandbox.WithSeed(7)), newSandbox(t, sandbox.WithSeed(7))
	other := newSandbox(t, sandbox.WithSeed(8))
	for i := range 5 {
		c := pending(card.FormVirtual)
		x, err := a.IssueCard(ctx, "k", c)
		require.NoError(t, err)
		y, err := b.IssueCard(ctx, "k", c)
		require.NoError(t, err)
		z, err := other.IssueCard(ctx, "k", c)
		require.NoError(t, err)
		assert.True(t, x.PAN.Equal(y.PAN), "card %d: the same seed gives the same number", i)
		assert.Equal(t, x.ProviderRefs, y.ProviderRefs)
		assert.False(t, x.PAN.Equal(z.PAN), "another seed, another number")
		a, b, other = newSandbox(t, sandbox.WithSeed(7)), newSandbox(t, sandbox.WithSeed(7)), newSandbox(t, sandbox.WithSeed(8))
	}
}

func TestIdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	s := newSandbox(t)
	c := pending(card.FormVirtual)
	first, err := s.IssueCard(ctx, "key", c)
	require.NoError(t, err)
	again, err := s.IssueCard(ctx, "key", c)
	require.NoError(t, err)
	assert.Equal(t, first.ProviderRefs, again.ProviderRefs, "the same answer")
	assert.True(t, first.PAN.Equal(again.PAN))
	assert.Equal(t, 1, s.Cards(), "no second card")

	_, err = s.IssueCard(ctx, "key", pending(card.FormPhysical))
	var se *sandbox.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "idempotency_key_reused", se.Code)
	assert.False(t, se.Retryable())
	assert.Equal(t, 3, s.Calls(sandbox.OpIssue))
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	s := newSandbox(t)
	s.FailNext(sandbox.OpIssue, sandbox.FailBeforeEffect, 1)
	s.FailNext(sandbox.OpIssue, sandbox.FailAfterEffect, 1)
	s.FailNext(sandbox.OpIssue, sandbox.Timeout, 1)
	c := pending(card.FormVirtual)

	_, err := s.IssueCard(ctx, "k", c)
	var se *sandbox.Error
	require.ErrorAs(t, err, &se)
	assert.True(t, se.Retryable())
	assert.Equal(t, 0, s.Cards(), "failed before acting")

	_, err = s.IssueCard(ctx, "k", c)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "connection_reset", se.Code)
	assert.Equal(t, 1, s.Cards(), "acted, then the answer was lost")

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = s.IssueCard(short, "k", c)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	got, err := s.IssueCard(ctx, "k", c)
	require.NoError(t, err)
	assert.Equal(t, 1, s.Cards(), "every retry with the key found the same card")
	assert.Equal(t, card.StatusActive, got.Status)
	assert.Equal(t, 4, s.Calls(sandbox.OpIssue))
}

func TestLifecycleAndReissue(t *testing.T) {
	ctx := context.Background()
	s := newSandbox(t)
	c, err := s.IssueCard(ctx, "i", pending(card.FormPhysical))
	require.NoError(t, err)
	c, err = s.ChangeStatus(ctx, "a", c, card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: card.ActorHolder})
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, c.Status)
	_, err = s.ChangeStatus(ctx, "b", c, card.Move{To: card.StatusPending, By: card.ActorProgram})
	var se *sandbox.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "invalid_transition", se.Code)
	assert.False(t, se.Retryable())

	c.ID = uuid.New()
	plan, err := card.PlanReissue(&c, card.ReissueReasonDamaged, card.ReissueOptions{})
	require.NoError(t, err)
	same, err := s.ReissueCard(ctx, "r1", c, plan)
	require.NoError(t, err)
	assert.True(t, same.PAN.Equal(c.PAN), "DAMAGED keeps the number")
	assert.Equal(t, c.Expiry, same.Expiry)
	assert.NotEqual(t, c.ProviderRefs, same.ProviderRefs, "a card of its own")
	old, err := s.Card(c.ProviderRefs[sandbox.Name])
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, old.Status, "the old card works until the new one is activated")
	_, err = s.ChangeStatus(ctx, "activate same", same, card.Move{To: card.StatusActive, Reason: card.ReasonRIS, By: card.ActorHolder})
	require.NoError(t, err)
	old, err = s.Card(c.ProviderRefs[sandbox.Name])
	require.NoError(t, err)
	assert.Equal(t, card.StatusTerminated, old.Status, "and ends when it is")
	assert.Equal(t, card.ReasonREQ, old.StatusReason)
	c = same

	c.ID = uuid.New()
	c.Status, c.StatusReason = card.StatusActive, card.ReasonRIS
	plan, err = card.PlanReissue(&c, card.ReissueReasonStolen, card.ReissueOptions{})
	require.NoError(t, err)
	fresh, err := s.ReissueCard(ctx, "r2", c, plan)
	require.NoError(t, err)
	assert.False(t, fresh.PAN.Equal(c.PAN), "STOLEN gets a new number")
	old, err = s.Card(c.ProviderRefs[sandbox.Name])
	require.NoError(t, err)
	assert.Equal(t, card.StatusTerminated, old.Status, "and ends the old card at once")
	assert.Equal(t, card.ReasonSTO, old.StatusReason)

	_, err = s.ChangeStatus(ctx, "x", card.Card{ProviderRefs: map[string]string{sandbox.Name: "nope"}}, card.Move{})
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "not_found", se.Code)
}

func TestSimulator(t *testing.T) {
	ctx := context.Background()
	s := newSandbox(t, sandbox.WithPendingIssuance())
	a, err := s.IssueCard(ctx, "a", pending(card.FormVirtual))
	require.NoError(t, err)
	assert.Equal(t, card.StatusPending, a.Status)
	b, err := s.IssueCard(ctx, "b", pending(card.FormVirtual))
	require.NoError(t, err)
	require.NoError(t, s.SimulateIssue(a.ProviderRefs[sandbox.Name]))
	require.NoError(t, s.SimulateFail(b.ProviderRefs[sandbox.Name]))
	got, err := s.Card(a.ProviderRefs[sandbox.Name])
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, got.Status)
	got, err = s.Card(b.ProviderRefs[sandbox.Name])
	require.NoError(t, err)
	assert.Equal(t, card.StatusRejected, got.Status)
	require.Error(t, s.SimulateIssue(a.ProviderRefs[sandbox.Name]), "only a pending card")
	require.Error(t, s.SimulateIssue("nope"))
}

func TestStateFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sandbox.json")
	s := newSandbox(t, sandbox.WithStateFile(path))
	c, err := s.IssueCard(ctx, "k", pending(card.FormVirtual))
	require.NoError(t, err)

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), c.PAN.RevealDigits(), "the state file holds no number")

	// Another process, the same provider: the key answers again, the card
	// is there, no second card is made.
	s2 := newSandbox(t, sandbox.WithStateFile(path))
	again, err := s2.IssueCard(ctx, "k", pending(card.FormVirtual))
	var se *sandbox.Error
	require.ErrorAs(t, err, &se, "another request under the key")
	again, err = s2.Card(c.ProviderRefs[sandbox.Name])
	require.NoError(t, err)
	assert.True(t, again.PAN.Equal(c.PAN))
	assert.Equal(t, 1, s2.Cards())

	// A file cut short, or edited by hand, is refused when it is read;
	// missing maps are empty. Nothing panics later, holding the lock.
	for body, ok := range map[string]bool{
		`{"issued":0,"cards":null,"keys":null}`: true,
		`{}`:                                    true,
		`{"issued":1,"cards":{"sbx_x":null}}`:   false,
		`{"issued":-1}`:                         false,
		`{"issued":1,"cards":{"sbx_x":{"card":{},"number":-5}}}`:              false,
		`{"issued":1,"keys":{"k":{"op":"issue","number":-5}}}`:                false,
		`{"issued":1,"cards":{"4242424242424242":null}}`:                      false,
		`{"issued":1,"keys":{"4242424242424242":{"op":"issue","number":-5}}}`: false,
	} {
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		s3, err := sandbox.New(sandbox.WithStateFile(path), sandbox.WithClock(nil))
		if !ok {
			require.Error(t, err, body)
			assert.False(t, card.HoldsCardNumber(err.Error()), "the error names the entry without a number in it: %v", err)
			continue
		}
		require.NoError(t, err, body)
		_, err = s3.IssueCard(ctx, "k", pending(card.FormVirtual))
		require.NoError(t, err, body)
		_, err = s3.Card("sbx_nothing")
		require.Error(t, err, body)
	}

	require.NoError(t, os.WriteFile(path, []byte("{"), 0o600))
	_, err = sandbox.New(sandbox.WithStateFile(path))
	require.Error(t, err)
	_, err = sandbox.New(sandbox.WithBIN("4111"))
	require.Error(t, err)
	_, err = sandbox.New(sandbox.WithBIN("abcdefgh"))
	require.True(t, err != nil && !errors.Is(err, context.Canceled))
}

// TestZeroValueWorks: a Sandbox not made by New works as New() would make
// it, instead of panicking (with its lock held, so that every later call
// hung).
func TestZeroValueWorks(t *testing.T) {
	var zero sandbox.Sandbox
	made, err := sandbox.New()
	require.NoError(t, err)
	c := pending(card.FormVirtual)
	zero.FailNext(sandbox.OpIssue, sandbox.FailBeforeEffect, 1)
	_, err = zero.IssueCard(context.Background(), "k", c)
	require.Error(t, err, "the queued fault")
	got, err := zero.IssueCard(context.Background(), "k", c)
	require.NoError(t, err)
	want, err := made.IssueCard(context.Background(), "k", c)
	require.NoError(t, err)
	assert.Equal(t, want.PAN, got.PAN, "the same number as New() makes")
	assert.Equal(t, 2, zero.Calls(sandbox.OpIssue))
	assert.Equal(t, 1, zero.Cards())
}

// TestErrorsShowNoCardNumber: the sandbox names in its errors the card it
// was asked for, but never a card number put in its place.
func TestErrorsShowNoCardNumber(t *testing.T) {
	s, err := sandbox.New()
	require.NoError(t, err)
	const pan = "4242424242424242"
	_, getErr := s.Card("ref " + pan)
	simErr := s.SimulateIssue("ref " + pan)
	var c card.Card
	c.ProviderRefs = map[string]string{sandbox.Name: "ref " + pan}
	_, changeErr := s.ChangeStatus(context.Background(), "k", c, card.Move{To: card.StatusSuspended, Reason: card.ReasonREQ, By: card.ActorHolder})
	for _, err := range []error{getErr, simErr, changeErr} {
		require.Error(t, err)
		assert.False(t, card.HoldsCardNumber(err.Error()), "%v", err)
		assert.Contains(t, err.Error(), `"ref [redacted]"`)
	}
}
