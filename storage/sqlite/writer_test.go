package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/storagetest"
)

// TestCanceledUnits cancels relaxed units at random moments, each followed
// by a durable one: the durable unit always begins (no transaction was left
// open on the held connection), runs at synchronous=FULL (no setting was
// left unknown), and commits.
func TestCanceledUnits(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "db"))
	require.NoError(t, err)
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	canceled := 0
	for i := range 2000 {
		cctx, cancel := context.WithCancel(ctx)
		timer := time.AfterFunc(time.Duration(rng.IntN(20_000)), cancel)
		err := s.Atomic(cctx, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.ClaimKey(ctx, storagetest.Key("acme", fmt.Sprint("relaxed-", i)))
			return err
		}, storage.Relaxed())
		timer.Stop()
		cancel()
		if err != nil {
			require.ErrorIs(t, err, context.Canceled, "unit %d", i)
			canceled++
		}
		var sync int
		err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
			if err := s.held.conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				return err
			}
			_, err := tx.ClaimKey(ctx, storagetest.Key("acme", fmt.Sprint("durable-", i)))
			return err
		})
		require.NoError(t, err, "unit %d", i)
		require.Equal(t, 2, sync, "unit %d runs at FULL", i)
	}
	t.Logf("%d of 2000 relaxed units were canceled", canceled)
}

// TestClosedStore: after Close a unit fails with ErrClosed instead of
// waiting, a unit waiting for its turn when Close comes fails the same way,
// and a second Close does nothing.
func TestClosedStore(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "db"))
	require.NoError(t, err)

	inside, release := make(chan struct{}), make(chan struct{})
	first := make(chan error)
	go func() {
		first <- s.Atomic(ctx, func(context.Context, storage.Tx) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	queued := make(chan error)
	go func() { queued <- s.Atomic(ctx, func(context.Context, storage.Tx) error { return nil }) }()
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	time.Sleep(10 * time.Millisecond) // let the queued unit and Close wait
	close(release)
	require.NoError(t, <-first, "the running unit finishes")
	require.NoError(t, <-closed)
	require.ErrorIs(t, <-queued, ErrClosed)

	require.ErrorIs(t, s.Atomic(ctx, func(context.Context, storage.Tx) error { return nil }), ErrClosed)
	require.NoError(t, s.Close())

	mem, err := Open(ctx, ":memory:") // units on a pool, not a held connection
	require.NoError(t, err)
	require.NoError(t, mem.Close())
	require.ErrorIs(t, mem.Atomic(ctx, func(context.Context, storage.Tx) error { return nil }), ErrClosed)
}

// TestTxAfterUnit: a Tx kept past its unit refuses to run, on the held
// connection as on a pool's transaction, and writes nothing.
func TestTxAfterUnit(t *testing.T) {
	ctx := context.Background()
	for _, path := range []string{filepath.Join(t.TempDir(), "db"), ":memory:"} {
		s, err := Open(ctx, path)
		require.NoError(t, err)
		var kept storage.Tx
		require.NoError(t, s.Atomic(ctx, func(_ context.Context, tx storage.Tx) error { kept = tx; return nil }))
		_, err = kept.ClaimKey(ctx, storagetest.Key("acme", "late"))
		require.ErrorIs(t, err, sql.ErrTxDone, path)
		_, err = s.Key(ctx, "acme", "late")
		require.ErrorIs(t, err, storage.ErrNotFound, path)
		require.NoError(t, s.Close())
	}
}

// TestBrokenUnit: a create whose failure cannot be undone (a trigger here
// refuses the undo) leaves the unit unable to commit, even when fn goes on
// and returns nil, and nothing of the card is stored.
func TestBrokenUnit(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "db"))
	require.NoError(t, err)
	defer s.Close()
	a := storagetest.Card("acme", 1)
	a.ProviderRefs = map[string]string{"synctera": "taken"}
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, a) }))
	_, err = s.held.conn.ExecContext(ctx, `CREATE TRIGGER no_delete BEFORE DELETE ON cards BEGIN SELECT RAISE(ABORT, 'no'); END`)
	require.NoError(t, err)

	b := storagetest.Card("acme", 2)
	b.ProviderRefs = map[string]string{"synctera": "taken"}
	var createErr error
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		createErr = tx.CreateCard(ctx, b)
		return nil // a careless caller goes on
	})
	require.Error(t, createErr)
	assert.False(t, errors.Is(createErr, storage.ErrDuplicate), "not a plain duplicate: %v", createErr)
	require.ErrorIs(t, err, createErr, "the unit does not commit")
	_, err = s.Card(ctx, "acme", b.ID)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

// TestSharedTx: goroutines may share a unit's Tx, as they may a
// database/sql transaction; each card's events are numbered 1, 2.
func TestSharedTx(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "db"))
	require.NoError(t, err)
	defer s.Close()
	cards := make([]card.Card, 4)
	for i := range cards {
		cards[i] = storagetest.Card("acme", i)
	}
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		var g errgroup
		for _, c := range cards {
			g.Go(func() error {
				if err := tx.CreateCard(ctx, c); err != nil {
					return err
				}
				for range 2 {
					e := storagetest.Event(c, "issued")
					if err := tx.AppendEvent(ctx, &e); err != nil {
						return err
					}
				}
				return nil
			})
		}
		return g.Wait()
	})
	require.NoError(t, err)
	for _, c := range cards {
		evs, err := s.Events(ctx, "acme", c.ID, 0, 0)
		require.NoError(t, err)
		require.Len(t, evs, 2)
		assert.Equal(t, []int64{1, 2}, []int64{evs[0].Seq, evs[1].Seq})
	}
}

// errgroup runs functions in goroutines and keeps the first error.
type errgroup struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs error
}

func (g *errgroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			g.errs = errors.Join(g.errs, err)
			g.mu.Unlock()
		}
	}()
}

func (g *errgroup) Wait() error { g.wg.Wait(); return g.errs }

// TestCanceledUnitStopsAtNextStatement: the statements of a unit run
// without the driver watching the context (see reader.short), yet a
// cancellation is seen at the next one, not only at commit.
func TestCanceledUnitStopsAtNextStatement(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	require.NoError(t, err)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, storagetest.Key("acme", "first"))
		require.NoError(t, err)
		cancel()
		_, err = tx.ClaimKey(ctx, storagetest.Key("acme", "second"))
		require.ErrorIs(t, err, context.Canceled, "a write")
		_, err = tx.Key(ctx, "acme", "first")
		require.ErrorIs(t, err, context.Canceled, "a read")
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
}

// TestBeginWaitsForAnotherWriter: two stores on one file, as two processes
// would have. While the first holds the write lock, the second's unit
// waits for it (BEGIN waits in Go, writer.begin): it goes on once the lock
// is free, ends when its context does, and gives up after its busy
// timeout, each without writing anything it should not.
func TestBeginWaitsForAnotherWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	first, err := Open(ctx, path)
	require.NoError(t, err)
	defer first.Close()
	second, err := Open(ctx, path)
	require.NoError(t, err)
	defer second.Close()
	impatient, err := Open(ctx, path, WithBusyTimeout(20*time.Millisecond))
	require.NoError(t, err)
	defer impatient.Close()

	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- first.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
			if _, err := tx.ClaimKey(ctx, storagetest.Key("acme", "first")); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside

	err = impatient.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, storagetest.Key("acme", "impatient"))
		return err
	})
	require.Error(t, err, "the lock outlived the busy timeout")
	require.True(t, busy(err), "%v", err)

	cctx, cancel := context.WithCancel(ctx)
	canceled := make(chan error)
	go func() {
		canceled <- second.Atomic(cctx, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.ClaimKey(ctx, storagetest.Key("acme", "canceled"))
			return err
		})
	}()
	time.AfterFunc(10*time.Millisecond, cancel) // most likely while it waits
	require.ErrorIs(t, <-canceled, context.Canceled, "a wait ends with its context")

	waited := make(chan error)
	go func() {
		waited <- second.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
			_, err := tx.ClaimKey(ctx, storagetest.Key("acme", "second"))
			return err
		})
	}()
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, <-waited, "the second unit went on once the first committed")

	for key, want := range map[string]error{"first": nil, "second": nil, "impatient": storage.ErrNotFound, "canceled": storage.ErrNotFound} {
		_, err := second.Key(ctx, "acme", key)
		if want == nil {
			require.NoError(t, err, key)
		} else {
			require.ErrorIs(t, err, want, key)
		}
	}
}

// TestNewHandleUnitEndsWithItsContext: a store made by New on a handle
// whose transactions begin DEFERRED. While another connection holds the
// write lock, a unit's first write waits for it inside SQLite; when the
// unit's context ends, so does the wait, with the context's error, not
// SQLITE_BUSY once the handle's busy timeout (a minute here) has passed.
func TestNewHandleUnitEndsWithItsContext(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	made, err := Open(ctx, path) // the schema
	require.NoError(t, err)
	require.NoError(t, made.Close())
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(60000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)")
	require.NoError(t, err)
	defer db.Close()
	s, err := New(ctx, db)
	require.NoError(t, err)
	defer s.Close()

	other, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer other.Close()
	holder, err := other.Conn(ctx)
	require.NoError(t, err)
	defer holder.Close()
	_, err = holder.ExecContext(ctx, "BEGIN IMMEDIATE")
	require.NoError(t, err)
	defer holder.ExecContext(ctx, "ROLLBACK")

	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	err = s.Atomic(cctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, storagetest.Key("acme", "k"))
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
}

// TestRetryBusyPatienceCountsFromTheFirstTry: a try that SQLite's own
// busy handler made wait through the whole patience is not tried again.
func TestRetryBusyPatienceCountsFromTheFirstTry(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	holder, err := Open(ctx, path)
	require.NoError(t, err)
	defer holder.Close()
	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- holder.Atomic(ctx, func(context.Context, storage.Tx) error { close(inside); <-release; return nil })
	}()
	<-inside
	defer func() { close(release); require.NoError(t, <-done) }()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	require.NoError(t, err)
	defer db.Close()
	_, refused := db.ExecContext(ctx, "BEGIN IMMEDIATE")
	require.True(t, busy(refused), "%v", refused)

	tries := 0
	err = retryBusy(ctx, 20*time.Millisecond, func() error {
		tries++
		time.Sleep(30 * time.Millisecond) // as a busy handler waiting out the patience
		return refused
	})
	require.True(t, busy(err))
	require.Equal(t, 1, tries)
}
