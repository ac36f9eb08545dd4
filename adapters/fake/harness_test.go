package fake_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// serve starts h on loopback for the test.
func serve(t testing.TB, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func syncteraHarness(t testing.TB) harness {
	f := fake.NewSynctera("sk_test_synctera", fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, f)
	w := &waits{}
	newClient := func(key string) *synctera.Client {
		c, err := synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret(key)}, options(srv, "/v0", w)...)
		require.NoError(t, err)
		return c
	}
	c := newClient("sk_test_synctera")
	customer := uuid.NewString()
	return harness{
		name: synctera.Name, client: c, fake: f, waits: w, badCreds: newClient("wrong"),
		get: func(ctx context.Context, ref string) (card.Card, error) { return c.Card(ctx, ref) },
		newCard: func() card.Card {
			// An account of its own: Synctera holds one physical card an account.
			return card.Card{ID: uuid.New(), AccountID: uuid.NewString(), ProductID: "4f0b56a4-8ac4-4d2c-8a9c-0c8cf9d0a8a1",
				Holder: card.Holder{CustomerID: customer}, Type: card.TypeDebit, Form: card.FormPhysical, Status: card.StatusPending,
				Emboss: card.Emboss{Line1: "JANE SMITH"}}
		},
		suspend: card.ReasonREQ, reissue: card.ReissueReasonDamaged, breakCard: func(c *card.Card) { c.Form = 0 },
		reusedKind: httpapi.ErrInvalid, inFlightRetryable: true,
	}
}

func solidHarness(t testing.TB) harness {
	f := fake.NewSolid("sd_test_solid", fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, f)
	w := &waits{}
	newClient := func(key string) *solid.Client {
		c, err := solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret(key), PersonID: "per-3ebfa3d2-5d36-411d-984a-9e3a328011c5"}, options(srv, "/v1", w)...)
		require.NoError(t, err)
		return c
	}
	c := newClient("sd_test_solid")
	addr := card.Address{Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS}
	return harness{
		name: solid.Name, client: c, fake: f, waits: w, badCreds: newClient("wrong"),
		get: func(ctx context.Context, ref string) (card.Card, error) { return c.Card(ctx, ref) },
		newCard: func() card.Card {
			return card.Card{ID: uuid.New(), AccountID: "acc-63d656eb-fedc-4250-8111-48a5ff0faed9", Label: "Meal Card",
				Type: card.TypeDebit, Form: card.FormPhysical, Status: card.StatusPending, Currency: card.CurrencyUSD,
				Holder: card.Holder{BillingAddress: addr}, Shipping: &card.Shipping{Address: addr}, Emboss: card.Emboss{Line1: "John Doe"}}
		},
		unsupported: map[string]bool{"suspend": true, "resume": true},
		breakCard:   func(c *card.Card) { c.Form = 0 },
		suspend:     card.ReasonREQ, reissue: card.ReissueReasonLost,
		reusedKind: httpapi.ErrConflict, inFlightRetryable: false,
	}
}

func rocketkorHarness(t testing.TB) harness {
	f := fake.NewRocketKOR("rk_key_0001", "rk_secret", fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, f)
	w := &waits{}
	yes := true
	program := rocketkor.Program{
		Terms: func(card.Card) rocketkor.Terms {
			return rocketkor.Terms{Solution: "card-issuing", StartingNumber: "412345", UsCitizen: &yes,
				AcceptedTermsDate: "2026-11-01", ReadPrivacyPolicyDate: "2026-11-01", AcceptedAgreement: &yes}
		},
		PINBlock: func(context.Context, card.Card) (string, error) { return "7F3A9C21", nil },
	}
	newClient := func(secret string) *rocketkor.Client {
		c, err := rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("rk_key_0001"), APISecret: httpapi.NewSecret(secret)}, program, options(srv, "", w)...)
		require.NoError(t, err)
		return c
	}
	c := newClient("rk_secret")
	customer := uuid.NewString()
	return harness{
		name: rocketkor.Name, client: c, fake: f, waits: w, badCreds: newClient("wrong"),
		get: func(ctx context.Context, ref string) (card.Card, error) { return c.Card(ctx, ref) },
		newCard: func() card.Card {
			return card.Card{ID: uuid.New(), Label: "Debit Card", Type: card.TypeDebit, Form: card.FormPhysical, Status: card.StatusPending,
				Currency: card.CurrencyUSD, ProductID: "123", Holder: card.Holder{CustomerID: customer},
				Shipping: &card.Shipping{Method: card.ShippingNormal}, Alerts: card.AlertsAdminOnly, Language: "en_US"}
		},
		unsupported: map[string]bool{"terminate": true},
		breakCard:   func(c *card.Card) { c.Label = "" },
		suspend:     card.ReasonLOS, reissue: card.ReissueReasonDamaged,
		reusedKind: httpapi.ErrConflict, inFlightRetryable: false,
	}
}

// offblocksKeys are the signing key and the programme's credentials.
type offblocksKeys struct {
	creds offblocks.Credentials
	fake  *fake.OffBlocks
	key   *ecdsa.PrivateKey // the signing key creds hold
}

func newOffBlocks(t testing.TB, opts ...fake.Option) offblocksKeys {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	sk, err := offblocks.NewSigningKey(k)
	require.NoError(t, err)
	apiKey := uuid.NewString()
	f, err := fake.NewOffBlocks(apiKey, "ob_secret", sk.Public(), "key-1", opts...)
	require.NoError(t, err)
	return offblocksKeys{fake: f, key: k, creds: offblocks.Credentials{APIKey: httpapi.NewSecret(apiKey), APISecret: httpapi.NewSecret("ob_secret"), SigningKey: sk, KeyID: "key-1"}}
}

func offblocksHarness(t testing.TB) harness {
	ob := newOffBlocks(t, fake.WithClock(func() time.Time { return t0 }))
	srv := serve(t, ob.fake)
	w := &waits{}
	newClient := func(creds offblocks.Credentials) *offblocks.Client {
		c, err := offblocks.NewClient(creds, append(options(srv, "", w), httpapi.WithSandboxSimulator())...)
		require.NoError(t, err)
		return c
	}
	c := newClient(ob.creds)
	bad := ob.creds
	bad.APISecret = httpapi.NewSecret("wrong")
	return harness{
		name: offblocks.Name, client: c, fake: ob.fake, waits: w, badCreds: newClient(bad),
		get: func(ctx context.Context, ref string) (card.Card, error) { return c.Card(ctx, ref) },
		newCard: func() card.Card {
			return card.Card{ID: uuid.New(), AccountID: uuid.NewString(), Type: card.TypeDebit, Form: card.FormVirtual, Status: card.StatusPending,
				Holder: card.Holder{BillingAddress: card.Address{Line1: "1 Test Avenue", City: "London", PostalCode: "SW1 1AA", Country: card.CountryGB}}}
		},
		unsupported: map[string]bool{"reissue": true},
		breakCard:   func(c *card.Card) { c.Form = card.FormPhysical },
		suspend:     card.ReasonREQ, reissue: card.ReissueReasonLost,
		reusedKind: httpapi.ErrInvalid, inFlightRetryable: true,
	}
}
