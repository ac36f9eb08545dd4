package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/storage"
)

// TestQueryPlans asks SQLite how it runs every look-up and every versioned
// write and fails if any of them scans a table instead of searching an
// index.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, ":memory:")
	require.NoError(t, err)
	defer s.Close()

	queries := map[string]struct {
		sql  string
		args []any
	}{
		"card by id":          {queryCard, []any{"t", "id"}},
		"card by reference":   {queryCardByRef, []any{"t", "p", "r"}},
		"cards by number":     {queryCardsByFingerprint, []any{"t", []byte{1}}},
		"events":              {queryEvents, []any{"t", "id", 0, 10}},
		"idempotency key":     {queryKey, []any{"t", "k"}},
		"accounts of holder":  {queryAccounts, []any{"t", "CUSTOMER", "h"}},
		"card exists":         {queryCardExists, []any{"t", "id"}},
		"next event":          {queryNextEvent, []any{"t", "id"}},
		"event slot":          {queryEventSlot, []any{"t", "id", "t", "id"}},
		"card version":        {"SELECT version FROM cards WHERE tenant = ? AND id = ?", []any{"t", "id"}},
		"key version":         {"SELECT version FROM idempotency_keys WHERE tenant = ? AND key = ?", []any{"t", "k"}},
		"update card":         {"UPDATE cards SET doc = ? WHERE tenant = ? AND id = ? AND version = ?", []any{"", "t", "id", 1}},
		"references of card":  {"DELETE FROM card_refs WHERE tenant = ? AND card_id = ?", []any{"t", "id"}},
		"purge keys":          {"DELETE FROM idempotency_keys WHERE tenant = ? AND created_at < ?", []any{"t", 1}},
		"update account":      {"UPDATE accounts SET doc = ? WHERE tenant = ? AND id = ? AND version = ?", []any{"", "t", "id", 1}},
		"update key":          {"UPDATE idempotency_keys SET result = ? WHERE tenant = ? AND key = ? AND version = ?", []any{nil, "t", "k", 1}},
		"account by id":       {"SELECT doc FROM accounts WHERE tenant = ? AND id = ?", []any{"t", "id"}},
		"migrations recorded": {"SELECT COALESCE(MAX(version), 0) FROM schema_migrations", nil},
	}
	filters := map[string]storage.CardFilter{
		"all":         {},
		"account":     {AccountID: "a"},
		"customer":    {CustomerID: "c"},
		"business":    {BusinessID: "b"},
		"account+cus": {AccountID: "a", CustomerID: "c"},
	}
	for name, f := range filters {
		for _, after := range []bool{false, true} {
			q, vals := listQuery(f, after)
			args := []any{"t"}
			for _, v := range vals {
				args = append(args, v)
			}
			if after {
				args = append(args, 5)
			}
			args = append(args, 10)
			key := "list " + name
			if after {
				key += " after a cursor"
			}
			queries[key] = struct {
				sql  string
				args []any
			}{q, args}
		}
	}

	for name, q := range queries {
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
		require.NoError(t, err, name)
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &notused, &detail))
			plan = append(plan, detail)
		}
		require.NoError(t, rows.Close())
		text := strings.Join(plan, "; ")
		t.Logf("%-28s %s", name, text)
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "CONSTANT ROW") {
				t.Errorf("%s scans: %s", name, text)
			}
			if strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s sorts in a temporary b-tree: %s", name, text)
			}
		}
	}
}

// TestPragmas reads the settings back from the store's own connections.
func TestPragmas(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opts []Option
		sync int
	}{
		{"default", nil, 2},
		{"normal", []Option{WithDurability(DurabilityNormal)}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, filepath.Join(t.TempDir(), "db"), tt.opts...)
			require.NoError(t, err)
			defer s.Close()
			// The writer waits for another process's lock in Go (writer.begin),
			// where a context can end the wait; the readers, in SQLite.
			for name, db := range map[string]querier{"writer": s.held.conn, "reader": s.r} {
				var mode string
				var fk, sync, busy int
				require.NoError(t, db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
				require.NoError(t, db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
				require.NoError(t, db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync))
				require.NoError(t, db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
				assert.Equal(t, "wal", mode)
				assert.Equal(t, 1, fk)
				assert.Equal(t, tt.sync, sync)
				assert.Equal(t, map[string]int{"writer": 0, "reader": 10000}[name], busy, name)
				if name == "writer" {
					assert.Equal(t, 10*time.Second, s.held.busy)
				}
			}
			var only int
			require.NoError(t, s.r.QueryRowContext(ctx, "PRAGMA query_only").Scan(&only))
			assert.Equal(t, 1, only, "the reading pool cannot write")
			_, err = s.r.ExecContext(ctx, "DELETE FROM cards")
			require.Error(t, err)
		})
	}
	_, err := Open(ctx, filepath.Join(t.TempDir(), "x"), WithDurability(9))
	require.Error(t, err)
	_, err = Open(ctx, "")
	require.Error(t, err)
}

// TestRelaxedUnits: a relaxed unit runs at synchronous=NORMAL and a durable
// one at FULL, in any order, after units that committed or failed; with
// DurabilityNormal every unit runs at NORMAL.
func TestRelaxedUnits(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		opts    []Option
		durable int // the setting a durable unit runs at
	}{
		{"full", nil, 2},
		{"normal", []Option{WithDurability(DurabilityNormal)}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, filepath.Join(t.TempDir(), "db"), tt.opts...)
			require.NoError(t, err)
			defer s.Close()
			for i, step := range []struct{ relaxed, fail bool }{
				{true, false}, {true, false}, {false, false}, {true, true}, {false, true}, {true, false}, {false, false},
			} {
				var opts []storage.UnitOption
				want := tt.durable
				if step.relaxed {
					opts, want = append(opts, storage.Relaxed()), 1
				}
				var inside int
				err := s.Atomic(ctx, func(ctx context.Context, u storage.Tx) error {
					require.NoError(t, s.held.conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&inside))
					if step.fail {
						return errors.New("boom")
					}
					return nil
				}, opts...)
				assert.Equal(t, step.fail, err != nil)
				assert.Equal(t, want, inside, "unit %d (relaxed %v)", i, step.relaxed)
			}
		})
	}
}

// TestImmediateTransactions: units that read and then write, racing from
// two stores on one file (two writers contending in SQLite itself), all
// commit: each waits for the write lock when it begins instead of failing
// with SQLITE_BUSY when its read turns into a write, as a deferred
// transaction would.
func TestImmediateTransactions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	a, err := Open(ctx, path)
	require.NoError(t, err)
	defer a.Close()
	b, err := Open(ctx, path)
	require.NoError(t, err)
	defer b.Close()
	const n = 50
	errs := make(chan error, 2*n)
	for name, st := range map[string]*Store{"a": a, "b": b} {
		go func() {
			for i := range n {
				errs <- st.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
					if _, err := tx.Key(ctx, "acme", "shared"); err != nil && !errors.Is(err, storage.ErrNotFound) {
						return err
					}
					r := storage.KeyRecord{Tenant: "acme", Key: fmt.Sprintf("%s-%d", name, i),
						State: storage.KeyInProgress, CreatedAt: time.Unix(1, 0)}
					_, err := tx.ClaimKey(ctx, r)
					return err
				})
			}
		}()
	}
	for range 2 * n {
		require.NoError(t, <-errs)
	}
}
