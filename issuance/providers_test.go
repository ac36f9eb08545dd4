package issuance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage/memory"
)

// The HTTP clients implement the provider port.
var (
	_ issuance.Provider = (*synctera.Client)(nil)
	_ issuance.Provider = (*solid.Client)(nil)
	_ issuance.Provider = (*rocketkor.Client)(nil)
	_ issuance.Provider = (*offblocks.Client)(nil)
)

// TestServiceOverHTTPProviders runs the service on the memory store with
// each provider's client against its fake: issue, activate, suspend,
// resume, reissue, activate the replacement, terminate; every step the
// provider lacks fails as unsupported, finally, and changes nothing.
func TestServiceOverHTTPProviders(t *testing.T) {
	for _, name := range fake.Providers() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			p, err := fake.Start(name, httpapi.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
			require.NoError(t, err)
			t.Cleanup(p.Close)
			store := memory.New()
			svc, err := issuance.New(store, p.Client, cardtest.Key())
			require.NoError(t, err)
			acct, err := svc.OpenAccount(ctx, tenant, issuance.OpenAccountRequest{Name: "Everyday", Subtype: card.TypeDebit, Currency: card.CurrencyUSD,
				Holder: account.Holder{Kind: account.HolderCustomer, ID: p.CustomerID}})
			require.NoError(t, err)
			addr := card.Address{Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS}
			req := issuance.IssueRequest{AccountID: acct.ID, Form: p.Form, ProductID: p.ProductID, Label: p.Label,
				Emboss: card.Emboss{Line1: "JANE SMITH"}, Holder: card.Holder{CustomerID: p.CustomerID, BillingAddress: addr}}
			if p.Form == card.FormPhysical {
				req.Shipping = &card.Shipping{Method: card.ShippingNormal, Address: addr}
			}

			// A dropped answer is retried by the client under the same key:
			// one card at the provider.
			p.Fake.FailNext(fake.OpIssue, fake.Drop, 1)
			c, err := svc.Issue(ctx, tenant, "issue-1", req)
			require.NoError(t, err)
			assert.Equal(t, 1, p.Fake.Cards())
			assert.NotEmpty(t, c.ProviderRefs[name])
			assert.Len(t, c.LastFour, 4)
			assert.False(t, c.Expiry.IsZero())
			replay, err := svc.Issue(ctx, tenant, "issue-1", req)
			require.NoError(t, err)
			assert.Equal(t, c.ID, replay.ID, "replayed from the store")
			assert.Equal(t, 2, p.Fake.Calls(fake.OpIssue), "the drop and its retry; the replay called nothing")

			// unsupported reports whether err says the provider lacks the
			// call, and checks that asking again with the key says the same.
			unsupported := func(err error, again func() error) bool {
				if err == nil {
					return false
				}
				require.ErrorIs(t, err, issuance.ErrProvider)
				var pe *issuance.ProviderError
				require.ErrorAs(t, err, &pe)
				assert.False(t, pe.Retryable)
				if !errors.Is(err, wire.ErrUnsupported) {
					return false
				}
				replayed := again()
				require.ErrorIs(t, replayed, card.ErrUnsupported, "the replay says so too")
				assert.Equal(t, err.Error(), replayed.Error())
				return true
			}
			if c.Status == card.StatusUnactivated {
				c, err = svc.Activate(ctx, tenant, "activate-1", issuance.ChangeRequest{CardID: c.ID, By: card.ActorHolder})
				require.NoError(t, err)
			}
			require.Equal(t, card.StatusActive, c.Status)

			suspend := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonLOS, By: card.ActorHolder}
			s, err := svc.Suspend(ctx, tenant, "suspend-1", suspend)
			if !unsupported(err, func() error { _, err := svc.Suspend(ctx, tenant, "suspend-1", suspend); return err }) {
				require.NoError(t, err)
				assert.Equal(t, card.StatusSuspended, s.Status)
				r, err := svc.Resume(ctx, tenant, "resume-1", issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder})
				require.NoError(t, err)
				assert.Equal(t, card.StatusActive, r.Status)
			} else {
				got, err := svc.Get(ctx, tenant, c.ID)
				require.NoError(t, err)
				assert.Equal(t, card.StatusActive, got.Status, "an unsupported call changes nothing")
			}

			reissue := issuance.ReissueRequest{CardID: c.ID, Reason: card.ReissueReasonDamaged}
			re, err := svc.Reissue(ctx, tenant, "reissue-1", reissue)
			if !unsupported(err, func() error { _, err := svc.Reissue(ctx, tenant, "reissue-1", reissue); return err }) {
				require.NoError(t, err)
				assert.Equal(t, c.LastFour, re.New.LastFour, "DAMAGED keeps the number")
				assert.NotEqual(t, c.ProviderRefs[name], re.New.ProviderRefs[name])
				n, err := svc.Activate(ctx, tenant, "activate-2", issuance.ChangeRequest{CardID: re.New.ID, By: card.ActorHolder})
				require.NoError(t, err)
				assert.Equal(t, card.StatusActive, n.Status)
				old, err := svc.Get(ctx, tenant, c.ID)
				require.NoError(t, err)
				assert.Equal(t, card.StatusTerminated, old.Status, "the old card ends when the new one is activated")
				c = n
			}

			terminate := issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorProgram}
			end, err := svc.Terminate(ctx, tenant, "terminate-1", terminate)
			if !unsupported(err, func() error { _, err := svc.Terminate(ctx, tenant, "terminate-1", terminate); return err }) {
				require.NoError(t, err)
				assert.Equal(t, card.StatusTerminated, end.Status)
			}
			evs, err := svc.History(ctx, tenant, c.ID)
			require.NoError(t, err)
			assert.NotEmpty(t, evs)
		})
	}
}
