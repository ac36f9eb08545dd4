// Package sqlite is the embedded storage.Store: a SQLite database through
// modernc.org/sqlite, pure Go, no cgo.
//
// # Opening
//
// Open takes a file path (or ":memory:") and sets, in the DSN, write-ahead
// logging, foreign keys, a busy timeout and transactions that begin
// IMMEDIATE, so that concurrent writers queue for the write lock instead of
// failing with SQLITE_BUSY when a read turns into a write. Units run one at
// a time on one writing connection, held for the store's life; reads go
// through a small pool. Durability is synchronous=FULL unless
// WithDurability(DurabilityNormal) asks for less. New wraps a *sql.DB the
// caller opened (with those settings, see New).
//
// # Schema
//
// The schema is a numbered list of embedded migrations (migrations/*.sql),
// applied in one transaction when the store opens and recorded in the
// schema_migrations table; a database whose schema is newer than this code
// is refused with ErrSchemaTooNew. Cards and accounts keep the columns that
// are queried (ids, tenant, status, holder, provider references, number
// fingerprint, version, times) beside one JSON document in cardkit's neutral
// encoding. No full card number is ever written: the JSON leaves it out and
// the columns hold its keyed fingerprint, BIN and last four.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/cardkit/cardkit/storage"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrSchemaTooNew: the database was written by a newer cardkit; this one
// will not touch it.
var ErrSchemaTooNew = errors.New("sqlite: database schema is newer than this code")

// Durability is how much of a commit reaches the disk before it returns.
type Durability uint8

// Durability levels.
const (
	// DurabilityFull syncs on every commit: a committed unit survives a
	// power loss. The default.
	DurabilityFull Durability = iota + 1
	// DurabilityNormal syncs at WAL checkpoints: a committed unit survives a
	// crash of the process, and the database stays consistent on power
	// loss, but the last commits may be lost then.
	DurabilityNormal
)

// Option configures Open.
type Option func(*config)

type config struct {
	durability  Durability
	readers     int
	busyTimeout time.Duration
}

// WithDurability sets the durability level (default DurabilityFull).
func WithDurability(d Durability) Option { return func(c *config) { c.durability = d } }

// WithReaders sets the number of reading connections (default 4). A
// ":memory:" database always uses one connection for everything.
func WithReaders(n int) Option { return func(c *config) { c.readers = n } }

// WithBusyTimeout sets how long a connection waits for a lock (default 10s).
func WithBusyTimeout(d time.Duration) Option { return func(c *config) { c.busyTimeout = d } }

// Store is the SQLite storage.Store.
type Store struct {
	reader               // reads outside a unit, through the reading pool
	w, r   *sql.DB       // the writing connection and the reading pool; the same handle for :memory: and New
	wstmts *stmtCache    // statements prepared on w
	held   *writer       // for a file that Open opened: w's connection, held; units run on it
	own    bool          // whether Close closes w and r
	busy   time.Duration // how long a begin that SQLite refuses at once is tried again (Open's busy timeout)
	closed atomic.Bool
}

var _ storage.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path, or an in-memory one
// for ":memory:", and brings its schema up to date.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	cfg := config{durability: DurabilityFull, readers: 4, busyTimeout: 10 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.durability != DurabilityFull && cfg.durability != DurabilityNormal {
		return nil, fmt.Errorf("sqlite: unknown durability %d", cfg.durability)
	}
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	synchronous := map[Durability]string{DurabilityFull: "FULL", DurabilityNormal: "NORMAL"}[cfg.durability]
	params := url.Values{}
	params.Add("_pragma", "busy_timeout("+strconv.FormatInt(cfg.busyTimeout.Milliseconds(), 10)+")")
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "synchronous("+synchronous+")")
	params.Set("_txlock", "immediate")

	if path == ":memory:" {
		// One connection holds the database; everything shares it.
		db, err := sql.Open("sqlite", "file::memory:?"+params.Encode())
		if err != nil {
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		return start(ctx, db, db, true, false, 0)
	}

	params.Add("_pragma", "journal_mode(WAL)")
	// A new database is made readable by its owner only (SQLite would make
	// it 0644 less the umask): it holds names and addresses. SQLite gives
	// its -wal and -shm files the database's mode.
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	name := "file:" + escapePath(path) + "?"
	wname := name + params.Encode()
	params.Add("_pragma", "query_only(1)")
	rname := name + params.Encode()
	var st *Store
	// While a new file has no page yet, a connection that finds a log
	// beside it deletes the log; when another process's connection deleted
	// it first, the open fails (SQLITE_IOERR_DELETE_NOENT, or _RDLOCK in
	// the same race). Only processes that create the file at once meet
	// this; opening again gets past it.
	err := retryWhile(ctx, cfg.busyTimeout, newFileRace, func() error {
		w, err := sql.Open("sqlite", wname)
		if err != nil {
			return fmt.Errorf("sqlite: open: %w", err)
		}
		w.SetMaxOpenConns(1)
		r, err := sql.Open("sqlite", rname)
		if err != nil {
			_ = w.Close()
			return fmt.Errorf("sqlite: open: %w", err)
		}
		r.SetMaxOpenConns(max(1, cfg.readers))
		st, err = start(ctx, w, r, true, cfg.durability == DurabilityFull, cfg.busyTimeout)
		return err
	})
	if err != nil {
		// A new file that failed to open is left as it is (empty, and
		// fine to open again): another process may have opened it since.
		// The driver opens the file lazily: a missing directory, a file
		// that is no database or one that cannot be written shows here,
		// and the error says which file.
		return nil, fmt.Errorf("%w (opening %s)", err, path)
	}
	return st, nil
}

// escapePath makes path safe inside a "file:" URI.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// New wraps db, a handle the caller opened with the "sqlite" driver, and
// brings its schema up to date. Open the handle with foreign keys on
// (_pragma=foreign_keys(1)) and transactions that begin IMMEDIATE
// (_txlock=immediate), as Open does; New refuses a handle whose foreign keys
// are off. The driver takes the transaction mode only from the DSN, so New
// cannot check it: without it, a unit that reads before it writes may fail
// with SQLITE_BUSY when another writer committed in between, instead of
// waiting its turn. Close does not close db.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlite: New needs a database handle, not nil")
	}
	var fk int
	if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if fk != 1 {
		return nil, errors.New("sqlite: New needs a handle with foreign keys on: open it with _pragma=foreign_keys(1)")
	}
	return start(ctx, db, db, false, false, 0)
}

func start(ctx context.Context, w, r *sql.DB, own, full bool, busy time.Duration) (*Store, error) {
	rstmts, wstmts := newStmtCache(r), newStmtCache(w)
	if r == w {
		rstmts = wstmts
	}
	s := &Store{reader: reader{stmts: rstmts}, w: w, r: r, wstmts: wstmts, own: own, busy: busy}
	// Migrations run on the pool, before its connection is held.
	err := s.migrate(ctx)
	if err == nil && rstmts != wstmts {
		err = rstmts.prepare(ctx, readQueries())
	}
	if err == nil && own && r != w {
		s.held, err = holdWriter(ctx, w, full, busy)
	} else if err == nil {
		err = wstmts.prepare(ctx, append(readQueries(), writeQueries()...))
	}
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the prepared statements and closes the database handles
// Open made. A file's store waits for its running unit to end; later units
// fail with ErrClosed.
func (s *Store) Close() error {
	s.closed.Store(true)
	err := s.wstmts.close()
	if s.stmts != s.wstmts {
		err = errors.Join(err, s.stmts.close())
	}
	if s.held != nil {
		err = errors.Join(err, s.held.close())
	}
	if !s.own {
		return err
	}
	err = errors.Join(err, s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Atomic runs fn in one IMMEDIATE transaction on the writing connection. A
// storage.Relaxed unit of a file opened with DurabilityFull commits with
// synchronous=NORMAL: in WAL mode it is written, but not synced, at commit.
// The Tx is good only until fn returns.
func (s *Store) Atomic(ctx context.Context, fn func(context.Context, storage.Tx) error, opts ...storage.UnitOption) (err error) {
	if s.closed.Load() {
		return ErrClosed
	}
	if s.held != nil {
		return s.held.unit(ctx, fn, storage.Options(opts).Relaxed)
	}
	var sqlTx *sql.Tx
	err = retryBusy(ctx, s.busy, func() (err error) {
		// SQLite may refuse at once, without its busy handler, while
		// another process closes the file or recovers its log.
		sqlTx, err = s.w.BeginTx(ctx, nil)
		return err
	})
	if err != nil && s.closed.Load() {
		return ErrClosed // Close came between the check and the begin
	}
	if err != nil {
		return mapErr(err, "begin")
	}
	return runTx(ctx, sqlTx, s.wstmts, fn)
}

// ErrClosed: a unit asked of a closed store. It is storage.ErrClosed, the
// sentinel every store returns.
var ErrClosed = storage.ErrClosed

// writer is the writing connection of a file, held for the store's life:
// a unit is BEGIN IMMEDIATE ... COMMIT on it, with statements prepared on
// it once. Holding it spares every unit what a database/sql transaction
// costs (a goroutine, a context, a statement bound per use), and lets a
// relaxed unit change the synchronous setting only when it differs from
// the last unit's: a call's relaxed claim and its durable finish switch
// twice, not four times.
//
// The statements that steer the connection (PRAGMA, BEGIN, COMMIT,
// ROLLBACK) run without the caller's context: the driver may report a
// cancellation for a statement that took effect, and the writer must know
// what state the connection is in; and the driver watches a cancellable
// context with a goroutine per statement. BEGIN may wait for another
// process's write lock: the connection's own busy timeout is 0, and begin
// waits in Go, where the context can end the wait (see begin). The
// ROLLBACK that follows an error covers a BEGIN that took effect anyway.
type writer struct {
	turn   chan struct{} // held by the running unit, and by Close for good
	closed chan struct{}
	once   sync.Once
	conn   *sql.Conn
	stmts  *stmtCache    // prepared on conn
	full   bool          // the store's durability is FULL, so a relaxed unit may do less
	known  bool          // normal is the connection's synchronous setting
	normal bool          //
	busy   time.Duration // how long BEGIN waits for another process's write lock
}

func holdWriter(ctx context.Context, w *sql.DB, full bool, busy time.Duration) (*writer, error) {
	conn, err := w.Conn(ctx)
	if err != nil {
		return nil, mapErr(err, "connection")
	}
	wr := &writer{turn: make(chan struct{}, 1), closed: make(chan struct{}), conn: conn, stmts: newStmtCache(conn),
		full: full, known: true, normal: !full, busy: busy}
	// Text, not prepared, as synchronous: applied when compiled.
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return nil, errors.Join(mapErr(err, "busy timeout"), wr.close())
	}
	steering := []string{sqlBegin, sqlCommit, sqlRollback}
	if err := wr.stmts.prepare(ctx, append(append(readQueries(), writeQueries()...), steering...)); err != nil {
		return nil, errors.Join(err, wr.close())
	}
	return wr, nil
}

// unit runs fn between BEGIN IMMEDIATE and COMMIT, or rolls back on an
// error or a panic.
func (wr *writer) unit(ctx context.Context, fn func(context.Context, storage.Tx) error, relaxed bool) error {
	select {
	case wr.turn <- struct{}{}:
	case <-wr.closed:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-wr.turn }()
	select {
	case <-wr.closed: // Close came first and is waiting for the turn
		return ErrClosed
	default:
	}
	steer := context.WithoutCancel(ctx)
	if normal := !wr.full || relaxed; !wr.known || normal != wr.normal {
		// Between units only: SQLite refuses it inside a transaction.
		wr.known = false
		// Text, not prepared: SQLite applies this PRAGMA when it compiles
		// it, so a prepared one would not apply again.
		if _, err := wr.conn.ExecContext(steer, synchronous[normal]); err != nil {
			return mapErr(err, "synchronous")
		}
		wr.known, wr.normal = true, normal
	}
	u := &unitState{}
	defer func() {
		u.ended.Store(true)
		if !u.committed {
			// After a failed BEGIN or COMMIT too; "no transaction" is harmless.
			_, _ = wr.exec(steer, sqlRollback)
		}
	}()
	if err := wr.begin(ctx, steer); err != nil {
		return mapErr(err, "begin")
	}
	if err := fn(ctx, &tx{reader: reader{stmts: wr.stmts, unit: u}}); err != nil {
		return err
	}
	if err := u.commitErr(ctx); err != nil {
		return err
	}
	if _, err := wr.exec(steer, sqlCommit); err != nil {
		return mapErr(err, "commit")
	}
	u.committed = true
	return nil
}

// The statements that begin and end a unit on the held connection,
// prepared with the rest.
const (
	sqlBegin    = "BEGIN IMMEDIATE"
	sqlCommit   = "COMMIT"
	sqlRollback = "ROLLBACK"
)

var synchronous = map[bool]string{false: "PRAGMA synchronous = FULL", true: "PRAGMA synchronous = NORMAL"}

// begin runs BEGIN IMMEDIATE, waiting while another connection to the file
// (another process, another Store) holds the write lock: up to the store's
// busy timeout, or until ctx ends. The waits grow from 1 ms to 100 ms, as
// SQLite's own busy handler's do; steer is ctx without its cancellation.
func (wr *writer) begin(ctx, steer context.Context) error {
	return retryBusy(ctx, wr.busy, func() error {
		_, err := wr.exec(steer, sqlBegin)
		return err
	})
}

// retryBusy runs f until it does not fail with SQLITE_BUSY, for up to
// patience in all, waiting 1 ms, then twice as long each time up to 100 ms,
// as SQLite's own busy handler does; ctx ends the wait.
func retryBusy(ctx context.Context, patience time.Duration, f func() error) error {
	return retryWhile(ctx, patience, busy, f)
}

// retryWhile runs f as retryBusy does, while it fails with an error that
// passing says will pass.
func retryWhile(ctx context.Context, patience time.Duration, passing func(error) bool, f func() error) error {
	// From the first try: SQLite's own busy handler, where the connection
	// has one, may have waited through most of it already.
	deadline := time.Now().Add(patience)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := f()
		if err == nil || !passing(err) {
			return err
		}
		if left := time.Until(deadline); left <= 0 {
			return err
		} else if wait > left {
			wait = left
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// exec runs one of the statements prepared on the connection.
func (wr *writer) exec(ctx context.Context, query string) (sql.Result, error) {
	st, err := wr.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx)
}

// close makes every later unit fail with ErrClosed, waits for the running
// one, then releases the statements and gives the connection back to its
// pool. Only the first call does anything.
func (wr *writer) close() error {
	var err error
	wr.once.Do(func() {
		close(wr.closed)
		wr.turn <- struct{}{}
		err = errors.Join(wr.stmts.close(), wr.conn.Close())
	})
	return err
}

// unitState is what a unit's Tx shares with the unit.
type unitState struct {
	ended     atomic.Bool // fn has returned: the Tx is spent
	committed bool
	// A Tx may be shared by goroutines, as a database/sql one can: mu
	// guards what its writes record.
	mu     sync.Mutex
	broken error // a write could not undo itself; the unit must not commit
	// fresh holds the cards the unit created, with the number of their
	// last event (0 for none): their events are numbered without a read.
	fresh map[cardKey]int64
}

// breaks records that the unit may not commit, and returns err.
func (u *unitState) breaks(err error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.broken == nil {
		u.broken = err
	}
	return err
}

func (u *unitState) created(tenant string, id uuid.UUID) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.fresh == nil {
		u.fresh = map[cardKey]int64{}
	}
	u.fresh[cardKey{tenant, id}] = 0
}

// lastEvent is the number of the last event of k, if the unit created k.
func (u *unitState) lastEvent(k cardKey) (int64, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	seq, ok := u.fresh[k]
	return seq, ok
}

func (u *unitState) appended(k cardKey, seq int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.fresh[k] = seq
}

func (u *unitState) forget(k cardKey) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.fresh, k)
}

// commitErr says why the unit may not commit, if it may not.
func (u *unitState) commitErr(ctx context.Context) error {
	u.mu.Lock()
	broken := u.broken
	u.mu.Unlock()
	if broken != nil {
		return broken
	}
	return ctx.Err()
}

// runTx runs fn in sqlTx, with statements from stmts, and commits, or rolls
// back on an error or a panic.
func runTx(ctx context.Context, sqlTx *sql.Tx, stmts *stmtCache, fn func(context.Context, storage.Tx) error) (err error) {
	u := &unitState{}
	defer func() {
		u.ended.Store(true)
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(ctx, &tx{reader: reader{stmts: stmts, t: sqlTx, unit: u}}); err != nil {
		return err
	}
	if err := u.commitErr(ctx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapErr(err, "commit")
	}
	return nil
}

// migration is one numbered file of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, path := range entries {
		name := strings.TrimPrefix(path, "migrations/")
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlite: migration %s is not named NNNN_name.sql", name)
		}
		body, err := migrations.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, name, string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlite: migrations are not numbered 1, 2, 3...: %s", m.name)
		}
	}
	return out, nil
}

// SchemaVersion is the newest schema this code knows.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies the migrations the database lacks, all in one
// transaction, and refuses a database that is ahead of this code.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return s.Atomic(ctx, func(ctx context.Context, t storage.Tx) error {
		q := t.(*tx).t // migrations run once, on the pool: not worth preparing
		if _, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL
		)`); err != nil {
			return fmt.Errorf("sqlite: migrations table: %w", err)
		}
		var have int
		if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&have); err != nil {
			return fmt.Errorf("sqlite: schema version: %w", err)
		}
		if have > len(ms) {
			return fmt.Errorf("%w: the database is at version %d, this code knows %d", ErrSchemaTooNew, have, len(ms))
		}
		for _, m := range ms[have:] {
			if _, err := q.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
			}
			if _, err := q.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, time.Now().UnixNano()); err != nil {
				return fmt.Errorf("sqlite: record migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}
