package storage_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/sqlitefloor"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/memory"
	"github.com/cardkit/cardkit/storage/sqlite"
	"github.com/cardkit/cardkit/storage/storagetest"
)

// The benchmarks write what an issuance writes: one unit of a card with its
// provider's reference, its creation event and its idempotency record
// holding the card as the call's result. BenchmarkSQLiteFloor writes the
// same rows with hand-written SQL on the same pragmas, without cardkit; the
// gap between the two is what the store adds (validation, JSON encoding,
// error mapping).

// unit writes one issuance through a store: proto under a new id.
func unit(ctx context.Context, s storage.Store, proto card.Card) error {
	c := proto
	c.ID = uuid.New()
	c.Fingerprint = sha256.Sum256(c.ID[:]) // every card has its own, as the floor's rows do
	c.ProviderRefs = map[string]string{"sandbox": c.ID.String()}
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		if err := tx.CreateCard(ctx, c); err != nil {
			return err
		}
		e := storagetest.Event(c, "issued")
		if err := tx.AppendEvent(ctx, &e); err != nil {
			return err
		}
		r := storagetest.Key(c.Tenant, c.ID.String())
		r.State, r.CardID, r.Result = storage.KeyCompleted, c.ID, doc
		_, err := tx.ClaimKey(ctx, r)
		return err
	})
}

func BenchmarkCreateCard(b *testing.B) {
	ctx := context.Background()
	stores := map[string]func(*testing.B) storage.Store{
		"memory": func(*testing.B) storage.Store { return memory.New() },
		"sqlite": func(b *testing.B) storage.Store {
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"memory", "sqlite"} {
		b.Run(name, func(b *testing.B) {
			s := stores[name](b)
			defer s.Close()
			proto := storagetest.Card("acme", 0)
			if err := unit(ctx, s, proto); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := unit(ctx, s, proto); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSQLiteFloor writes the same four rows per unit with prepared
// statements in one transaction, on a database with the same schema and
// pragmas, the card's JSON document encoded once beforehand.
func BenchmarkSQLiteFloor(b *testing.B) {
	ctx := context.Background()
	f, err := sqlitefloor.Open(ctx, filepath.Join(b.TempDir(), "floor.db"), storagetest.Card("acme", 0))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := f.Write(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Write(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetCard reads cards by id, at random, from a store of 10 000 and
// of 1 000 000 cards.
func BenchmarkGetCard(b *testing.B) {
	ctx := context.Background()
	for _, size := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("sqlite/%d", size), func(b *testing.B) {
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "get.db"), sqlite.WithDurability(sqlite.DurabilityNormal))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ids := make([]uuid.UUID, 0, size)
			const batch = 10_000
			for start := 0; start < size; start += batch {
				err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
					for i := start; i < min(start+batch, size); i++ {
						c := storagetest.Card("acme", i%1000)
						c.AccountID = fmt.Sprint("acct-", i%5000)
						if err := tx.CreateCard(ctx, c); err != nil {
							return err
						}
						ids = append(ids, c.ID)
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Card(ctx, "acme", ids[rng.IntN(len(ids))]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
