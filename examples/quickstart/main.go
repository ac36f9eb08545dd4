// Command quickstart runs cardkit's main job on the embedded default: a
// SQLite database and the in-process sandbox provider. It opens an account,
// issues a physical card, activates it, reissues it for DAMAGED (same
// number; the old card ends when the new one is activated) and for LOST (a
// new number; the old card ends at once), suspends and resumes the card,
// and prints each step, the cards' histories, and the card in each
// provider's wire format. Card numbers are always masked.
//
// Every call has a fixed idempotency key, so running it again on the same
// database (-db) replays every step from the database: the same cards, no
// duplicates, no provider call.
//
// With -provider synctera, solid, rocketkor or offblocks, the same
// walk-through runs against that provider's fake server, started in this
// process on a loopback port, through cardkit's HTTP client for it: real
// requests, signed for OffBlocks, with no account anywhere. A step the
// provider does not offer (Solid v1 cannot freeze a card, OffBlocks cannot
// reissue one, RocketKOR has no holder's freeze) is shown as such and the
// walk goes on. -v prints each request's method, path and status, never a
// credential or a card number.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -db /tmp/cardkit.db   # twice
//	go run ./examples/quickstart -provider offblocks -v
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/sqlite"
)

func main() {
	err := run(context.Background(), os.Stdout, os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp): // -h: the usage was the answer
	case err != nil:
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

const tenant = "acme"

func run(ctx context.Context, w io.Writer, args []string) error {
	fl := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fl.SetOutput(w)
	dbPath := fl.String("db", "", "the SQLite database (default: a new one in a temporary directory)")
	providerName := fl.String("provider", sandbox.Name, "the provider: sandbox (in process), or "+strings.Join(fake.Providers(), ", ")+" (its fake server, over HTTP on loopback)")
	verbose := fl.Bool("v", false, "print each HTTP request's method, path and status")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags only; -h lists them)", fl.Arg(0))
	}
	if names := append([]string{sandbox.Name}, fake.Providers()...); !slices.Contains(names, *providerName) {
		return fmt.Errorf("-provider %q: one of %s", *providerName, strings.Join(names, ", "))
	}
	if *verbose && *providerName == sandbox.Name {
		fmt.Fprintln(w, "(-v prints HTTP requests; the sandbox, in process, makes none: add -provider)")
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "cardkit-quickstart-")
		if err != nil {
			return err
		}
		*dbPath = filepath.Join(dir, "cardkit.db")
	}

	store, err := sqlite.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := sameProvider(ctx, store, *dbPath, *providerName); err != nil {
		return err
	}
	p, err := openProvider(*providerName, *dbPath, w, *verbose)
	if err != nil {
		return err
	}
	defer p.close()
	key, err := fingerprintKey(*dbPath + ".key")
	if err != nil {
		return err
	}
	svc, err := issuance.New(store, p.provider, key)
	if err != nil {
		return err
	}
	before, err := countCards(ctx, store)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "cardkit quickstart on %s (%d cards in it)\n", *dbPath, before)
	if p.running != nil {
		fmt.Fprintf(w, "provider: %s, its fake server at %s\n", p.running.Name, p.running.URL)
	}
	fmt.Fprintln(w)

	acct, err := findOrOpenAccount(ctx, w, svc, store, p.holderID)
	if err != nil {
		return err
	}
	step := func(n int, what string, c card.Card) {
		num := "   "
		if n > 0 {
			num = fmt.Sprintf("%2d.", n)
		}
		fmt.Fprintf(w, "%s %-34s %s  %-11s %-3s %s\n", num, what, c.MaskedPAN(), c.Status, c.StatusReason, c.ID)
	}
	// refused says why a step cannot be done at this provider, or returns
	// err when it is not that kind of error.
	refused := func(n int, what string, err error) error {
		var (
			pe *issuance.ProviderError
			ce *card.Error
		)
		if p.running == nil || !(errors.As(err, &pe) && !pe.Retryable || errors.As(err, &ce)) {
			return err
		}
		fmt.Fprintf(w, "%2d. %-34s not possible at %s: %s\n", n, what, p.provider.Name(), why(err))
		return nil
	}
	req := issuance.IssueRequest{
		AccountID: acct.ID, Form: card.FormPhysical, NameOnCard: "Jane Smith",
		Emboss: card.Emboss{Line1: "JANE SMITH", Line2: "ACME INC."},
		Shipping: &card.Shipping{Method: card.ShippingNormal, Address: card.Address{
			Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS}},
		Controls: card.Controls{BlockedCategories: []card.MCC{7995}},
	}
	issueWhat := "issue a physical card"
	if r := p.running; r != nil {
		// What this provider's issue call needs beyond the sandbox's.
		req.ProductID, req.Label = r.ProductID, r.Label
		req.Holder = card.Holder{CustomerID: r.CustomerID, BillingAddress: req.Shipping.Address}
		if r.Form == card.FormVirtual {
			req.Form, req.Shipping, req.Emboss, issueWhat = card.FormVirtual, nil, card.Emboss{}, "issue a virtual card"
		}
	}
	first, err := svc.Issue(ctx, tenant, "quickstart-issue", req)
	if err != nil {
		return err
	}
	step(1, issueWhat, first)
	c := first
	if c.Status == card.StatusUnactivated || p.running == nil {
		c, err = svc.Activate(ctx, tenant, "quickstart-activate", issuance.ChangeRequest{CardID: first.ID, By: card.ActorHolder})
		if err != nil {
			return err
		}
		step(2, "the holder activates it", c)
	}

	damaged, err := svc.Reissue(ctx, tenant, "quickstart-reissue-damaged", issuance.ReissueRequest{CardID: c.ID, Reason: card.ReissueReasonDamaged})
	switch {
	case err != nil:
		if err := refused(3, "reissue for DAMAGED", err); err != nil {
			return err
		}
	default:
		step(3, "reissue for DAMAGED: new card", damaged.New)
		step(0, "  the old card, still usable", damaged.Old)
		n, err := svc.Activate(ctx, tenant, "quickstart-activate-damaged", issuance.ChangeRequest{CardID: damaged.New.ID, By: card.ActorHolder})
		if err != nil {
			return err
		}
		step(4, "the holder activates it", n)
		old, err := svc.Get(ctx, tenant, first.ID)
		if err != nil {
			return err
		}
		step(0, "  and the old card ends with it", old)

		lost, err := svc.Reissue(ctx, tenant, "quickstart-reissue-lost", issuance.ReissueRequest{CardID: n.ID, Reason: card.ReissueReasonLost})
		if err != nil {
			return err
		}
		step(5, "reissue for LOST: new number", lost.New)
		step(0, "  the lost card ends at once", lost.Old)
		c, err = svc.Activate(ctx, tenant, "quickstart-activate-lost", issuance.ChangeRequest{CardID: lost.New.ID, By: card.ActorHolder})
		if err != nil {
			return err
		}
		step(6, "the holder activates it", c)
	}
	frozen, err := svc.Suspend(ctx, tenant, "quickstart-suspend", issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder, Memo: "frozen in the app"})
	switch {
	case err != nil:
		if err := refused(7, "the holder freezes it", err); err != nil {
			return err
		}
	default:
		step(7, "the holder freezes it", frozen)
		c, err = svc.Resume(ctx, tenant, "quickstart-resume", issuance.ChangeRequest{CardID: c.ID, Reason: card.ReasonREQ, By: card.ActorHolder})
		if err != nil {
			return err
		}
		step(8, "and unfreezes it", c)
	}

	for _, id := range []struct {
		name string
		card card.Card
	}{{"first card", first}, {"card now in use", c}} {
		evs, err := svc.History(ctx, tenant, id.card.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nhistory of the %s:\n", id.name)
		for _, e := range evs {
			fmt.Fprintf(w, "  %d  %-16s %-11s -> %-11s %-3s by %-8s key %s\n", e.Seq, e.Kind, e.From, e.To, e.Reason, e.Actor, e.IdempotencyKey)
		}
	}

	if err := printWire(w, c); err != nil {
		return err
	}

	after, err := countCards(ctx, store)
	if err != nil {
		return err
	}
	calls := p.calls()
	fmt.Fprintln(w)
	switch {
	case calls == 0 && after == before:
		fmt.Fprintf(w, "replayed: every step was answered from the database under its idempotency key; same cards, no duplicates (%d cards), no provider call\n", after)
	default:
		fmt.Fprintf(w, "done: %d provider calls, %d cards in the database. Run again with -db %s to see every step replayed.\n", calls, after, *dbPath)
	}
	return nil
}

// findOrOpenAccount opens the holder's account, or finds it on a second run.
func findOrOpenAccount(ctx context.Context, w io.Writer, svc *issuance.Service, store storage.Store, holderID string) (account.Account, error) {
	holder := account.Holder{Kind: account.HolderCustomer, ID: holderID}
	existing, err := store.Accounts(ctx, tenant, holder)
	if err != nil {
		return account.Account{}, err
	}
	if len(existing) > 0 {
		fmt.Fprintf(w, "account %q found: %s %s %s\n\n", existing[0].Name, existing[0].Kind, existing[0].Subtype, existing[0].Currency)
		return existing[0], nil
	}
	a, err := svc.OpenAccount(ctx, tenant, issuance.OpenAccountRequest{
		Name: "Everyday spending", Holder: holder, Subtype: card.TypeDebit, Currency: card.CurrencyUSD, Default: true,
	})
	if err == nil {
		fmt.Fprintf(w, "account %q opened: %s %s %s\n\n", a.Name, a.Kind, a.Subtype, a.Currency)
	}
	return a, err
}

// printWire writes c as each provider's card JSON, translated from
// cardkit's neutral document, or says why a provider cannot carry it.
func printWire(w io.Writer, c card.Card) error {
	doc, err := json.Marshal(adapters.Document{SchemaVersion: adapters.SchemaVersion, Kind: adapters.KindCard, Card: &c})
	if err != nil {
		return err
	}
	reg := adapters.New()
	for _, name := range reg.Formats() {
		if name == adapters.Cardkit {
			continue
		}
		res, err := reg.Translate(adapters.Cardkit, name, adapters.KindCard, doc)
		if err != nil {
			fmt.Fprintf(w, "\nas %s: cannot: %v\n", name, err)
			continue
		}
		var out any
		if err := json.Unmarshal(res.Output, &out); err != nil {
			return err
		}
		pretty, err := json.MarshalIndent(out, "  ", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nas %s (%d fields it cannot carry):\n  %s\n", name, len(res.Report.Dropped), pretty)
	}
	return nil
}

// sameProvider refuses a database walked through with another provider:
// the walk-through's steps are the same keys, and each provider's cards are
// its own.
func sameProvider(ctx context.Context, store storage.Store, dbPath, name string) error {
	page, err := store.ListCards(ctx, tenant, storage.CardFilter{}, storage.Page{Limit: 1})
	if err != nil || len(page.Cards) == 0 {
		return err
	}
	for had := range page.Cards[0].ProviderRefs {
		if had != name {
			return fmt.Errorf("%s holds a walk-through with %s: run -provider %s with another -db", dbPath, had, name)
		}
	}
	return nil
}

func countCards(ctx context.Context, store storage.Store) (int, error) {
	page, err := store.ListCards(ctx, tenant, storage.CardFilter{}, storage.Page{Limit: storage.MaxPageLimit})
	return len(page.Cards), err
}

// fingerprintKey reads the program's fingerprint key, or makes one the
// first time. A real program keeps it in its secret store.
func fingerprintKey(path string) (card.FingerprintKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b = make([]byte, card.MinFingerprintKeyLength)
		if _, err := rand.Read(b); err != nil {
			return card.FingerprintKey{}, err
		}
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		return card.FingerprintKey{}, err
	}
	return card.NewFingerprintKey(b)
}

// provider is the provider the walk-through runs against.
type provider struct {
	provider issuance.Provider
	running  *fake.Running // nil for the sandbox
	holderID string        // the customer, in the provider's format
	calls    func() int
	close    func()
}

// openProvider makes the sandbox, or starts the named provider's fake and a
// client of it.
func openProvider(name, dbPath string, w io.Writer, verbose bool) (*provider, error) {
	if name == sandbox.Name {
		// The sandbox keeps its cards beside the database, so that it
		// outlives this process like a real provider; it keeps no card
		// number.
		sbx, err := sandbox.New(sandbox.WithStateFile(dbPath + ".sandbox.json"))
		if err != nil {
			return nil, err
		}
		return &provider{provider: sbx, holderID: "cust-jane", close: func() {},
			calls: func() int {
				return sbx.Calls(sandbox.OpIssue) + sbx.Calls(sandbox.OpChange) + sbx.Calls(sandbox.OpReissue)
			}}, nil
	}
	var opts []httpapi.Option
	if verbose {
		opts = append(opts, httpapi.WithLogger(slog.New(&requestLines{w: w})))
	}
	r, err := fake.Start(name, opts...)
	if err != nil {
		return nil, err
	}
	calls := func() int {
		n := 0
		for _, op := range []string{fake.OpIssue, fake.OpUpdate, fake.OpActivate, fake.OpSuspend, fake.OpResume, fake.OpTerminate, fake.OpReissue} {
			n += r.Fake.Calls(op)
		}
		return n
	}
	return &provider{provider: r.Client, running: r, holderID: r.CustomerID, calls: calls, close: r.Close}, nil
}

// why is the provider's reason for refusing a step, without the service's
// framing.
func why(err error) string {
	var (
		pe *issuance.ProviderError
		ce *card.Error
	)
	switch {
	case errors.Is(err, card.ErrUnsupported):
		return "the provider has no such call"
	case errors.As(err, &ce) && len(ce.Fields) > 0:
		return ce.Fields[0].String()
	case errors.As(err, &pe):
		return pe.Message
	}
	return err.Error()
}

// requestLines is a slog.Handler that prints each HTTP record of a client
// as one line: method, path, status. The clients log nothing else: no
// header, no body.
type requestLines struct{ w io.Writer }

func (h *requestLines) Enabled(context.Context, slog.Level) bool { return true }

func (h *requestLines) Handle(_ context.Context, r slog.Record) error {
	var method, path string
	var status int64
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		case "status":
			status = a.Value.Int64()
		}
		return true
	})
	_, err := fmt.Fprintf(h.w, "      %-6s %-52s %d\n", method, path, status)
	return err
}

func (h *requestLines) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *requestLines) WithGroup(string) slog.Handler      { return h }
