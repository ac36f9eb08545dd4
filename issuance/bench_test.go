package issuance_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
	"github.com/cardkit/cardkit/internal/sqlitefloor"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/memory"
	"github.com/cardkit/cardkit/storage/sqlite"
)

// The floor for these is the rows of one issuance written by hand in one
// durable transaction (internal/sqlitefloor, as storage's
// BenchmarkSQLiteFloor writes them), its card being one the service issues:
// rows of the size the service writes, which a smaller test card
// understated. It runs as BenchmarkIssue/floor, so that the ratio is read
// in one run, and interleaved with issues by BenchmarkIssueVsFloor, whose
// ratio holds still on a disk whose speed drifts:
//
//	go test ./issuance/ -run '^$' -bench 'Issue|Replay' -count 5

func benchStores() map[string]func(b *testing.B) storage.Store {
	return map[string]func(b *testing.B) storage.Store{
		"memory": func(*testing.B) storage.Store { return memory.New() },
		"sqlite": func(b *testing.B) storage.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = s.Close() })
			return s
		},
	}
}

func benchService(b *testing.B, store storage.Store) (*issuance.Service, issuance.IssueRequest) {
	sbx, err := sandbox.New()
	if err != nil {
		b.Fatal(err)
	}
	svc, err := issuance.New(store, sbx, cardtest.Key())
	if err != nil {
		b.Fatal(err)
	}
	a, err := svc.OpenAccount(context.Background(), tenant, issuance.OpenAccountRequest{
		Name: "Spending", Holder: account.Holder{Kind: account.HolderCustomer, ID: "cust-1"},
		Subtype: card.TypeDebit, Currency: card.CurrencyUSD,
	})
	if err != nil {
		b.Fatal(err)
	}
	return svc, issuance.IssueRequest{AccountID: a.ID, Form: card.FormVirtual, NameOnCard: "Jane Smith"}
}

// issued is a card as the benchmarks' service issues it, for the floor to
// write: rows of the same size as the service's.
func issued(b *testing.B) card.Card {
	svc, req := benchService(b, memory.New())
	c, err := svc.Issue(context.Background(), tenant, uuid.NewString(), req)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkIssue issues a card per iteration, each under a new key,
// through the sandbox provider. floor writes the same rows by hand in one
// durable transaction, without cardkit: the goal is measured against it.
// staged writes them by hand in the two units of the call's recovery
// points: what the design costs before any cardkit code runs.
// sqlite-cancellable is sqlite called with a context that can be canceled.
func BenchmarkIssue(b *testing.B) {
	for _, name := range []string{"floor", "staged"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			f, err := sqlitefloor.Open(ctx, filepath.Join(b.TempDir(), "floor.db"), issued(b))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			write := map[string]func(context.Context) error{"floor": f.Write, "staged": f.WriteStaged}[name]
			b.ReportAllocs()
			for b.Loop() {
				if err := write(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, name := range []string{"memory", "sqlite", "sqlite-cancellable"} {
		b.Run(name, func(b *testing.B) {
			store, ok := strings.CutSuffix(name, "-cancellable")
			svc, req := benchService(b, benchStores()[store](b))
			ctx := context.Background()
			if ok {
				// As a server calls it: with a request's context, which
				// the store's driver would watch statement by statement.
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				defer cancel()
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Issue(ctx, tenant, uuid.NewString(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplay asks again with a key whose call finished: the stored
// answer, no provider call, no write.
func BenchmarkReplay(b *testing.B) {
	for _, name := range []string{"memory", "sqlite"} {
		b.Run(name, func(b *testing.B) {
			svc, req := benchService(b, benchStores()[name](b))
			ctx := context.Background()
			first, err := svc.Issue(ctx, tenant, "the-key", req)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				c, err := svc.Issue(ctx, tenant, "the-key", req)
				if err != nil || c.ID != first.ID {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIssueVsFloor alternates, iteration by iteration, one floor
// write and one issue through the service on SQLite, timing each, and
// reports their times and the goal's ratio (floor time / issue time, the
// issue's throughput as a share of the floor's). Alternating at this grain
// gives both the same disk: on a machine whose disk speed drifts from run
// to run, the ratio of two separate benchmarks does not hold still.
func BenchmarkIssueVsFloor(b *testing.B) {
	ctx := context.Background()
	f, err := sqlitefloor.Open(ctx, filepath.Join(b.TempDir(), "floor.db"), issued(b))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	svc, req := benchService(b, benchStores()["sqlite"](b))
	var floor, issue time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		if err := f.Write(ctx); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, err := svc.Issue(ctx, tenant, uuid.NewString(), req); err != nil {
			b.Fatal(err)
		}
		floor, issue = floor+mid.Sub(start), issue+time.Since(mid)
	}
	n := float64(b.N)
	b.ReportMetric(float64(floor.Microseconds())/n, "floor-µs/op")
	b.ReportMetric(float64(issue.Microseconds())/n, "issue-µs/op")
	b.ReportMetric(float64(floor)/float64(issue), "ratio")
}
