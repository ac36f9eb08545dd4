package fake

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// Provider is the issuance provider port, as each client implements it.
type Provider interface {
	// Name is the provider's name, such as "synctera".
	Name() string
	// IssueCard orders c under the idempotency key and returns the card
	// as the provider issued it.
	IssueCard(ctx context.Context, key string, c card.Card) (card.Card, error)
	// ChangeStatus makes move m on c at the provider.
	ChangeStatus(ctx context.Context, key string, c card.Card, m card.Move) (card.Card, error)
	// ReissueCard replaces old as plan says and returns the replacement.
	ReissueCard(ctx context.Context, key string, old card.Card, plan card.ReissuePlan) (card.Card, error)
}

// Server is what every fake offers besides serving HTTP.
type Server interface {
	// FailNext makes the next times calls of op (OpIssue, ...) fail with f.
	FailNext(op string, f Fault, times int)
	// Calls is how many calls of op arrived, refused and failed ones
	// included.
	Calls(op string) int
	// Cards is how many cards the fake holds.
	Cards() int
	// SetHang bounds how long a Timeout fault holds a call.
	SetHang(d time.Duration)
}

// Running is a provider's fake served on a loopback port and a client of
// it, with test credentials, for examples and tests.
type Running struct {
	Name   string
	Client Provider
	Fake   Server
	URL    string
	// What an issue request must carry for this provider: the form it
	// issues, a card product, a label, and the holder's customer id in the
	// provider's format.
	Form       card.Form
	ProductID  string
	Label      string
	CustomerID string

	srv *httptest.Server
}

// Close stops the server.
func (r *Running) Close() { r.srv.Close() }

// Providers lists the names Start takes.
func Providers() []string {
	return []string{synctera.Name, solid.Name, rocketkor.Name, offblocks.Name}
}

// Start serves the named provider's fake on loopback and builds a client of
// it with opts (a logger, a retry policy); the fake's clock is the
// client's. OffBlocks' client drives the sandbox simulator, so that a card
// it issues is active, as in the sandbox guide.
func Start(name string, opts ...httpapi.Option) (*Running, error) {
	cfg := httpapi.NewConfig("", opts)
	clock := WithClock(cfg.Now)
	r := &Running{Name: name, Form: card.FormPhysical, ProductID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("cardkit-demo-product")).String(),
		Label: "Everyday card", CustomerID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("cardkit-demo-customer")).String()}
	var err error
	switch name {
	case synctera.Name:
		f := NewSynctera("sk_test_cardkit", clock)
		r.Fake, r.srv = f, httptest.NewServer(f)
		r.Client, err = synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret("sk_test_cardkit")}, r.with(opts, "/v0")...)
	case solid.Name:
		f := NewSolid("sd_test_cardkit", clock)
		r.Fake, r.srv = f, httptest.NewServer(f)
		r.CustomerID = "per-" + r.CustomerID
		r.Client, err = solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret("sd_test_cardkit"), PersonID: solid.PersonID(r.CustomerID)}, r.with(opts, "/v1")...)
	case rocketkor.Name:
		f := NewRocketKOR("rk_test_key", "rk_test_secret", clock)
		r.Fake, r.srv = f, httptest.NewServer(f)
		r.ProductID = "123"
		yes := true
		r.Client, err = rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("rk_test_key"), APISecret: httpapi.NewSecret("rk_test_secret")},
			rocketkor.Program{
				Terms: func(card.Card) rocketkor.Terms {
					return rocketkor.Terms{Solution: "card-issuing", StartingNumber: "412345", UsCitizen: &yes,
						AcceptedTermsDate: "2026-01-01", ReadPrivacyPolicyDate: "2026-01-01", AcceptedAgreement: &yes}
				},
				// A stand-in for the block a PCI-scoped PIN service would
				// encrypt under RocketKOR's keys.
				PINBlock: func(context.Context, card.Card) (string, error) { return "7F3A9C21", nil },
			}, r.with(opts, "")...)
	case offblocks.Name:
		k, kerr := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if kerr != nil {
			return nil, kerr
		}
		sk, kerr := offblocks.NewSigningKey(k)
		if kerr != nil {
			return nil, kerr
		}
		apiKey := uuid.NewString()
		f, ferr := NewOffBlocks(apiKey, "ob_test_secret", sk.Public(), "cardkit-demo-key", clock)
		if ferr != nil {
			return nil, ferr
		}
		r.Fake, r.srv, r.Form = f, httptest.NewServer(f), card.FormVirtual
		r.Client, err = offblocks.NewClient(offblocks.Credentials{APIKey: httpapi.NewSecret(apiKey), APISecret: httpapi.NewSecret("ob_test_secret"), SigningKey: sk, KeyID: "cardkit-demo-key"},
			append(r.with(opts, ""), httpapi.WithSandboxSimulator())...)
	default:
		return nil, fmt.Errorf("fake: no provider %q (%v)", name, Providers())
	}
	if err != nil {
		r.srv.Close()
		return nil, err
	}
	r.URL = r.srv.URL
	return r, nil
}

// with appends the fake's URL and an HTTP client of its server to opts, so
// that they win over any base URL or client in opts. The client has a
// timeout, so that a call the fake holds (a Timeout fault) ends.
func (r *Running) with(opts []httpapi.Option, prefix string) []httpapi.Option {
	c := r.srv.Client()
	c.Timeout = 30 * time.Second
	return append(append([]httpapi.Option(nil), opts...), httpapi.WithBaseURL(r.srv.URL+prefix), httpapi.WithHTTPClient(c))
}
