package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/jsondoc"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/internal/rules"
)

// querier is what *sql.DB, *sql.Conn and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// stmtCache prepares each statement once on a handle: a pool (database/sql
// then keeps it prepared on each connection it runs on, inside transactions
// too) or one held connection.
type stmtCache struct {
	db     querier
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	closed bool
}

func newStmtCache(db querier) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if c.closed {
		return nil, ErrClosed // on a handle the caller owns (New), nothing would close a new one
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

// lookup returns query if it was prepared already.
func (c *stmtCache) lookup(query string) (*sql.Stmt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[query]
	return st, ok
}

// prepare prepares every query, so that later uses find them ready.
func (c *stmtCache) prepare(ctx context.Context, queries []string) error {
	for _, q := range queries {
		if _, err := c.get(ctx, q); err != nil {
			return fmt.Errorf("sqlite: prepare %q: %w", q, err)
		}
	}
	return nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.m {
		err = errors.Join(err, st.Close())
	}
	clear(c.m)
	c.closed = true
	return err
}

// reader implements storage.Reader: through the reading pool for the Store,
// inside the transaction for a unit.
type reader struct {
	stmts *stmtCache // statements prepared on the handle the reads run on
	t     *sql.Tx    // the unit's transaction on a pool; nil outside a unit, and on the held writing connection
	unit  *unitState // nil outside a unit
}

// errTxDone: a Tx used after its unit ended. On the held connection its
// statements would otherwise run outside any unit, or inside the next one.
var errTxDone = fmt.Errorf("sqlite: %w (%w)", storage.ErrTxDone, sql.ErrTxDone)

// stmt is query prepared, bound to the unit's transaction if there is one.
// Inside such a unit a statement the store did not prepare when it opened
// is prepared on the transaction: the unit holds the pool's one writing
// connection, so preparing on the pool would wait for it forever.
func (r reader) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if r.unit != nil && r.unit.ended.Load() {
		return nil, errTxDone
	}
	if r.t == nil {
		return r.stmts.get(ctx, query)
	}
	if st, ok := r.stmts.lookup(query); ok {
		return r.t.StmtContext(ctx, st), nil
	}
	return r.t.PrepareContext(ctx, query)
}

// exec runs a statement that touches a few rows.
func (r reader) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, err := r.short(ctx)
	if err != nil {
		return nil, err
	}
	return r.execLong(ctx, query, args...)
}

// execLong runs a statement that may touch many rows: a cancellation of
// ctx interrupts it.
func (r reader) execLong(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := r.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// short is the context a unit's statement on a few rows runs with: once
// ctx is found live, its values without its cancellation. The driver
// watches a cancellable context with a goroutine per statement, in order
// to interrupt it; an issue's dozen statements paid about a tenth of its
// time for that. A unit on the held writer (Open's store) began IMMEDIATE
// and holds the write lock: its short statements wait for nothing, so a
// cancellation is seen at the next statement, and at commit, instead.
// Elsewhere ctx is kept as it is: outside a unit, in a unit on a handle
// given to New (whose transactions may begin DEFERRED, a first write then
// waiting for the lock), and when it cannot be cancelled.
func (r reader) short(ctx context.Context) (context.Context, error) {
	if r.unit == nil || r.t != nil || ctx.Done() == nil {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

func (r reader) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// scanRow runs a one-row query and scans it into dest.
func (r reader) scanRow(ctx context.Context, query string, args []any, dest ...any) error {
	ctx, err := r.short(ctx)
	if err != nil {
		return err
	}
	st, err := r.stmt(ctx, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

// tx is an atomic unit: the reads of reader, and the writes, inside one
// transaction.
type tx struct {
	reader
}

var _ storage.Tx = (*tx)(nil)

// mapErr turns a driver error into the storage sentinels.
func mapErr(err error, what string) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%s: %w", what, storage.ErrDuplicate)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%s: %w", what, storage.ErrNotFound)
		}
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, storage.ErrTxDone):
		return err
	case errors.Is(err, sql.ErrTxDone):
		// A statement that passed the unit's check as the unit ended.
		return fmt.Errorf("sqlite: %s: %w", what, errTxDone)
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

// exact is t as a document can hold it exactly: in UTC if its zone's
// offset has seconds (a zone's old local mean time does), which RFC 3339
// drops, moving the time read back, or is a day or more, which it cannot
// write; otherwise as it is, in its own zone.
func exact(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return t.UTC()
	}
	return t
}

// busy reports whether err is SQLite's SQLITE_BUSY, of any kind.
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// newFileRace reports whether err is one of the I/O errors of processes
// that open a new file at once (see Open).
func newFileRace(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_IOERR_DELETE_NOENT || se.Code() == sqlite3.SQLITE_IOERR_RDLOCK)
}

// noTime is how a column holds the zero time. It is not 0, which is the
// Unix epoch, a time like any other; rules.MinKept leaves it out of the
// times kept. (Files written before held the zero time as 0, and read it
// back now as the epoch: the only such column, lease_until, means the
// same by either, a lease long over.)
const noTime = math.MinInt64

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == noTime {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// purgeBound is the last created_at a purge of the keys made before
// before removes: a bound past the last time kept removes every key, one
// before the first none.
func purgeBound(before time.Time) int64 {
	switch {
	case before.After(rules.MaxKept):
		return math.MaxInt64
	case !before.After(rules.MinKept):
		return noTime
	}
	return before.UnixNano() - 1
}

// savepoint runs fn so that its writes are undone if it fails, leaving the
// unit as it was: a failed write never leaves half of itself behind, even if
// the caller goes on and commits.
func (t *tx) savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.exec(ctx, sqlSavepoint); err != nil {
		return mapErr(err, "savepoint")
	}
	if err := fn(); err != nil {
		if _, rerr := t.exec(ctx, sqlRollbackTo); rerr != nil {
			// Half a write is in the unit: it may not commit.
			return t.unit.breaks(fmt.Errorf("sqlite: a write was half done and could not be undone (%v): %w", err, mapErr(rerr, "rollback to savepoint")))
		}
		_, _ = t.exec(ctx, sqlRelease)
		return err
	}
	_, err := t.exec(ctx, sqlRelease)
	return mapErr(err, "release savepoint")
}

// The statements the writes run, all prepared when the store opens.
const (
	sqlSavepoint  = "SAVEPOINT step"
	sqlRollbackTo = "ROLLBACK TO step"
	sqlRelease    = "RELEASE step"
	sqlInsertCard = `INSERT INTO cards
			(tenant, id, account_id, customer_id, business_id, status, fingerprint, bin, last_four, version, created_at, updated_at, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlInsertRef  = "INSERT INTO card_refs (tenant, provider, ref, card_id) VALUES (?, ?, ?, ?)"
	sqlUpdateCard = `UPDATE cards SET account_id = ?, customer_id = ?, business_id = ?, status = ?,
			fingerprint = ?, bin = ?, last_four = ?, version = ?, updated_at = ?, doc = ?
			WHERE tenant = ? AND id = ? AND version = ?`
	sqlDeleteRefs    = "DELETE FROM card_refs WHERE tenant = ? AND card_id = ?"
	sqlDeleteCard    = "DELETE FROM cards WHERE tenant = ? AND id = ?"
	sqlInsertAccount = `INSERT INTO accounts
		(tenant, id, holder_kind, holder_id, currency, is_default, version, created_at, updated_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlUpdateAccount = `UPDATE accounts SET holder_kind = ?, holder_id = ?, currency = ?, is_default = ?,
		version = ?, updated_at = ?, doc = ? WHERE tenant = ? AND id = ? AND version = ?`
	sqlInsertEvent = `INSERT INTO card_events
		(tenant, card_id, seq, kind, from_status, to_status, reason, actor, at, idempotency_key, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlClaimKey = `INSERT INTO idempotency_keys
		(tenant, key, request_hash, state, recovery_point, result, card_id, created_at, lease_until, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, key) DO NOTHING`
	// sqlUpdateKey leaves created_at alone when it is unchanged, as it is
	// at every recovery point: SQLite rewrites an index for every column a
	// SET names, and the one on created_at would cost a page per commit.
	// A card's lease taken again moves created_at (so that Purge spares a
	// live lease) and takes sqlUpdateKeyCreated, after this one misses.
	sqlUpdateKey = `UPDATE idempotency_keys SET request_hash = ?, state = ?, recovery_point = ?,
		result = ?, card_id = ?, lease_until = ?, version = ? WHERE tenant = ? AND key = ? AND version = ? AND created_at = ?`
	sqlUpdateKeyCreated = `UPDATE idempotency_keys SET request_hash = ?, state = ?, recovery_point = ?,
		result = ?, card_id = ?, created_at = ?, lease_until = ?, version = ? WHERE tenant = ? AND key = ? AND version = ?`
	sqlPurgeKeys = "DELETE FROM idempotency_keys WHERE tenant = ? AND created_at <= ?"
)

// versionQuery reads the version of a row of table, for changedOne.
func versionQuery(table string) string {
	key := map[string]string{"cards": "id", "accounts": "id", "idempotency_keys": "key"}[table]
	return "SELECT version FROM " + table + " WHERE tenant = ? AND " + key + " = ?"
}

// readQueries lists every statement a read runs.
func readQueries() []string {
	qs := []string{queryCard, queryCardByRef, queryCardsByFingerprint, queryAccount, queryAccounts, queryEvents, queryKey}
	for _, f := range []storage.CardFilter{{}, {AccountID: "a"}, {CustomerID: "c"}, {BusinessID: "b"},
		{AccountID: "a", CustomerID: "c"}, {AccountID: "a", BusinessID: "b"}, {CustomerID: "c", BusinessID: "b"},
		{AccountID: "a", CustomerID: "c", BusinessID: "b"}} {
		for _, after := range []bool{false, true} {
			q, _ := listQuery(f, after)
			qs = append(qs, q)
		}
	}
	return qs
}

// writeQueries lists every statement a unit runs besides the reads.
func writeQueries() []string {
	return []string{sqlSavepoint, sqlRollbackTo, sqlRelease, sqlInsertCard, sqlInsertRef, sqlUpdateCard,
		sqlDeleteRefs, sqlDeleteCard, sqlInsertAccount, sqlUpdateAccount, sqlInsertEvent, sqlClaimKey, sqlUpdateKey, sqlUpdateKeyCreated, sqlPurgeKeys,
		queryEventSlot, versionQuery("cards"), versionQuery("accounts"), versionQuery("idempotency_keys")}
}

// Cards.

// The documents are written with encoding/json and read with
// internal/jsondoc, in half the time: every read of a card or an account,
// and the account check inside each issue's claim, pays it.
// TestDocsDecodeAsEncodingJSON keeps the two in step.

// decodeDoc decodes a stored document.
func decodeDoc(doc []byte, v any) error { return jsondoc.Decode(doc, v) }

func decodeCard(doc []byte) (card.Card, error) {
	var c card.Card
	if err := decodeDoc(doc, &c); err != nil {
		return card.Card{}, fmt.Errorf("sqlite: a stored card does not decode: %w", err)
	}
	return c, nil
}

func (r reader) oneCard(ctx context.Context, what, query string, args ...any) (card.Card, error) {
	var doc []byte
	err := r.scanRow(ctx, query, args, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return card.Card{}, fmt.Errorf("%s: %w", what, storage.ErrNotFound)
	}
	if err != nil {
		return card.Card{}, mapErr(err, what)
	}
	return decodeCard(doc)
}

func (r reader) cards(ctx context.Context, what, query string, args ...any) ([]card.Card, []int64, error) {
	rows, err := r.query(ctx, query, args...)
	if err != nil {
		return nil, nil, mapErr(err, what)
	}
	defer rows.Close()
	var out []card.Card
	var seqs []int64
	for rows.Next() {
		var seq int64
		var doc []byte
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, nil, mapErr(err, what)
		}
		c, err := decodeCard(doc)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, c)
		seqs = append(seqs, seq)
	}
	return out, seqs, mapErr(rows.Err(), what)
}

const queryCard = `SELECT doc FROM cards WHERE tenant = ? AND id = ?`

func (r reader) Card(ctx context.Context, tenant string, id uuid.UUID) (card.Card, error) {
	return r.oneCard(ctx, "card "+id.String(), queryCard, tenant, id.String())
}

const queryCardByRef = `SELECT c.doc FROM card_refs r JOIN cards c ON c.tenant = r.tenant AND c.id = r.card_id
	WHERE r.tenant = ? AND r.provider = ? AND r.ref = ?`

func (r reader) CardByProviderRef(ctx context.Context, tenant, provider, ref string) (card.Card, error) {
	return r.oneCard(ctx, "card with "+provider+" reference "+rules.Quote(ref), queryCardByRef, tenant, provider, ref)
}

const queryCardsByFingerprint = `SELECT seq, doc FROM cards WHERE tenant = ? AND fingerprint = ? ORDER BY seq DESC`

func (r reader) CardsByFingerprint(ctx context.Context, tenant string, fp card.Fingerprint) ([]card.Card, error) {
	if fp.IsZero() {
		return nil, nil
	}
	out, _, err := r.cards(ctx, "cards by fingerprint", queryCardsByFingerprint, tenant, fp[:])
	return out, err
}

// listQuery builds the listing query from fixed fragments; no caller text
// ever becomes SQL.
func listQuery(f storage.CardFilter, after bool) (string, []string) {
	var b strings.Builder
	b.WriteString("SELECT seq, doc FROM cards WHERE tenant = ?")
	var cols []string
	for _, c := range []struct{ col, val string }{
		{"account_id", f.AccountID}, {"customer_id", f.CustomerID}, {"business_id", f.BusinessID},
	} {
		if c.val != "" {
			b.WriteString(" AND " + c.col + " = ?")
			cols = append(cols, c.val)
		}
	}
	if after {
		b.WriteString(" AND seq < ?")
	}
	b.WriteString(" ORDER BY seq DESC LIMIT ?")
	return b.String(), cols
}

func (r reader) ListCards(ctx context.Context, tenant string, f storage.CardFilter, page storage.Page) (storage.CardPage, error) {
	before, err := storage.DecodeCursor(page.Cursor)
	if err != nil {
		return storage.CardPage{}, err
	}
	limit := page.EffectiveLimit()
	query, vals := listQuery(f, before > 0)
	args := []any{tenant}
	for _, v := range vals {
		args = append(args, v)
	}
	if before > 0 {
		args = append(args, before)
	}
	args = append(args, limit+1) // one more says whether a next page exists
	cs, seqs, err := r.cards(ctx, "list cards", query, args...)
	if err != nil {
		return storage.CardPage{}, err
	}
	out := storage.CardPage{Cards: cs}
	if len(cs) > limit {
		out.Cards = cs[:limit]
		out.Next = storage.EncodeCursor(seqs[limit-1])
	}
	return out, nil
}

// cardRow checks c and returns what the columns of cards hold for it.
func cardRow(c *card.Card) (doc []byte, fp any, err error) {
	if err := rules.Card("sqlite.Card", c); err != nil {
		return nil, nil, err
	}
	stored := *c
	stored.PAN = card.PAN{} // the JSON leaves it out anyway; belt and braces
	stored.CreatedAt, stored.UpdatedAt = exact(c.CreatedAt), exact(c.UpdatedAt)
	stored.ActivatedAt, stored.PINSetAt = exact(c.ActivatedAt), exact(c.PINSetAt)
	if c.Shipping != nil {
		sh := *c.Shipping
		sh.ShippedAt, sh.ETA = exact(sh.ShippedAt), exact(sh.ETA)
		stored.Shipping = &sh
	}
	doc, err = stored.AppendJSON(make([]byte, 0, 1024)) // what json.Marshal writes
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: encode card: %w", err)
	}
	if !c.Fingerprint.IsZero() {
		fp = c.Fingerprint[:]
	}
	return doc, fp, nil
}

func (t *tx) CreateCard(ctx context.Context, c card.Card) error {
	doc, fp, err := cardRow(&c)
	if err != nil {
		return err
	}
	id := c.ID.String()
	_, err = t.exec(ctx, sqlInsertCard,
		c.Tenant, id, c.AccountID, c.Holder.CustomerID, c.Holder.BusinessID, c.Status.String(),
		fp, c.BIN, c.LastFour, c.Version, nanos(c.CreatedAt), nanos(c.UpdatedAt), doc)
	if err != nil {
		return mapErr(err, "card "+id)
	}
	if err := t.insertRefs(ctx, &c); err != nil {
		// Undone by hand rather than under a savepoint, which would cost
		// two statements on every call for the rare one that fails: the
		// unit holds the write lock, so nothing else refers to the card yet.
		_, rerr := t.exec(ctx, sqlDeleteRefs, c.Tenant, id)
		if rerr == nil {
			_, rerr = t.exec(ctx, sqlDeleteCard, c.Tenant, id)
		}
		if rerr != nil {
			// Half a card is written: the unit may not commit.
			return t.unit.breaks(fmt.Errorf("sqlite: card %s was half written and could not be undone (%v): %w", id, err, rerr))
		}
		return err
	}
	t.unit.created(c.Tenant, c.ID)
	return nil
}

func (t *tx) insertRefs(ctx context.Context, c *card.Card) error {
	for provider, ref := range c.ProviderRefs {
		_, err := t.exec(ctx, sqlInsertRef,
			c.Tenant, provider, ref, c.ID.String())
		if err != nil {
			return mapErr(err, provider+" reference "+rules.Quote(ref))
		}
	}
	return nil
}

func (t *tx) UpdateCard(ctx context.Context, c card.Card, read int64) error {
	if err := rules.Update("sqlite.UpdateCard", c.Version, read); err != nil {
		return err
	}
	doc, fp, err := cardRow(&c)
	if err != nil {
		return err
	}
	what := "card " + c.ID.String()
	return t.savepoint(ctx, func() error {
		res, err := t.exec(ctx, sqlUpdateCard,
			c.AccountID, c.Holder.CustomerID, c.Holder.BusinessID, c.Status.String(),
			fp, c.BIN, c.LastFour, c.Version, nanos(c.UpdatedAt), doc,
			c.Tenant, c.ID.String(), read)
		if err != nil {
			return mapErr(err, what)
		}
		if err := t.changedOne(ctx, res, what, "cards", read, c.Tenant, c.ID.String()); err != nil {
			return err
		}
		if _, err := t.exec(ctx, sqlDeleteRefs, c.Tenant, c.ID.String()); err != nil {
			return mapErr(err, what)
		}
		return t.insertRefs(ctx, &c)
	})
}

// changedOne tells, after a versioned UPDATE, a stale version from a
// missing row.
func (t *tx) changedOne(ctx context.Context, res sql.Result, what, table string, read int64, tenant, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err, what)
	}
	if n == 1 {
		return nil
	}
	var have int64
	err = t.scanRow(ctx, versionQuery(table), []any{tenant, id}, &have)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, storage.ErrNotFound)
	}
	if err != nil {
		return mapErr(err, what)
	}
	return fmt.Errorf("%s at version %d, not %d: %w", what, have, read, storage.ErrConflict)
}

// Accounts.

func decodeAccount(doc []byte) (account.Account, error) {
	var a account.Account
	if err := decodeDoc(doc, &a); err != nil {
		return account.Account{}, fmt.Errorf("sqlite: a stored account does not decode: %w", err)
	}
	return a, nil
}

const queryAccount = `SELECT doc FROM accounts WHERE tenant = ? AND id = ?`

func (r reader) Account(ctx context.Context, tenant string, id uuid.UUID) (account.Account, error) {
	var doc []byte
	err := r.scanRow(ctx, queryAccount, []any{tenant, id.String()}, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return account.Account{}, fmt.Errorf("account %s: %w", id, storage.ErrNotFound)
	}
	if err != nil {
		return account.Account{}, mapErr(err, "account")
	}
	return decodeAccount(doc)
}

const queryAccounts = `SELECT doc FROM accounts WHERE tenant = ? AND holder_kind = ? AND holder_id = ? ORDER BY seq`

func (r reader) Accounts(ctx context.Context, tenant string, h account.Holder) ([]account.Account, error) {
	rows, err := r.query(ctx, queryAccounts, tenant, h.Kind.String(), h.ID)
	if err != nil {
		return nil, mapErr(err, "accounts")
	}
	defer rows.Close()
	var out []account.Account
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, mapErr(err, "accounts")
		}
		a, err := decodeAccount(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err(), "accounts")
}

// accountDoc checks a and encodes the document kept for it.
func accountDoc(a *account.Account) ([]byte, error) {
	if err := rules.Account("sqlite.Account", a); err != nil {
		return nil, err
	}
	stored := a.Clone()
	if stored.External != nil {
		stored.External.PAN = card.PAN{}
	}
	stored.CreatedAt, stored.UpdatedAt = exact(a.CreatedAt), exact(a.UpdatedAt)
	doc, err := json.Marshal(stored)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode account: %w", err)
	}
	return doc, nil
}

func (t *tx) CreateAccount(ctx context.Context, a account.Account) error {
	doc, err := accountDoc(&a)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, sqlInsertAccount,
		a.Tenant, a.ID.String(), a.Holder.Kind.String(), a.Holder.ID, a.Currency.String(), a.Default,
		a.Version, nanos(a.CreatedAt), nanos(a.UpdatedAt), doc)
	return mapErr(err, "account "+a.ID.String())
}

func (t *tx) UpdateAccount(ctx context.Context, a account.Account, read int64) error {
	if err := rules.Update("sqlite.UpdateAccount", a.Version, read); err != nil {
		return err
	}
	doc, err := accountDoc(&a)
	if err != nil {
		return err
	}
	what := "account " + a.ID.String()
	res, err := t.exec(ctx, sqlUpdateAccount,
		a.Holder.Kind.String(), a.Holder.ID, a.Currency.String(), a.Default, a.Version, nanos(a.UpdatedAt), doc,
		a.Tenant, a.ID.String(), read)
	if err != nil {
		return mapErr(err, what)
	}
	return t.changedOne(ctx, res, what, "accounts", read, a.Tenant, a.ID.String())
}

// Events.

const queryEvents = `SELECT seq, kind, from_status, to_status, reason, actor, at, idempotency_key, note
	FROM card_events WHERE tenant = ? AND card_id = ? AND seq > ? ORDER BY seq LIMIT ?`

func (r reader) Events(ctx context.Context, tenant string, cardID uuid.UUID, after int64, limit int) ([]storage.Event, error) {
	if limit <= 0 {
		limit = -1 // no limit
	}
	rows, err := r.query(ctx, queryEvents, tenant, cardID.String(), after, limit)
	if err != nil {
		return nil, mapErr(err, "events")
	}
	defer rows.Close()
	var out []storage.Event
	for rows.Next() {
		e := storage.Event{Tenant: tenant, CardID: cardID}
		var from, to, reason, actor string
		var at int64
		if err := rows.Scan(&e.Seq, &e.Kind, &from, &to, &reason, &actor, &at, &e.IdempotencyKey, &e.Note); err != nil {
			return nil, mapErr(err, "events")
		}
		if err := errors.Join(e.From.UnmarshalText([]byte(from)), e.To.UnmarshalText([]byte(to)),
			e.Reason.UnmarshalText([]byte(reason)), e.Actor.UnmarshalText([]byte(actor))); err != nil {
			return nil, fmt.Errorf("sqlite: a stored event does not decode: %w", err)
		}
		e.At = fromNanos(at)
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "events")
}

const (
	queryCardExists = `SELECT 1 FROM cards WHERE tenant = ? AND id = ?`
	queryNextEvent  = `SELECT COALESCE(MAX(seq), 0) + 1 FROM card_events WHERE tenant = ? AND card_id = ?`
	// queryEventSlot asks both at once: whether the card exists, and the
	// number its next event takes.
	queryEventSlot = `SELECT EXISTS (` + queryCardExists + `), (` + queryNextEvent + `)`
)

func (t *tx) AppendEvent(ctx context.Context, e *storage.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	what := "event for card " + e.CardID.String()
	id := e.CardID.String()
	fresh := cardKey{e.Tenant, e.CardID}
	seq, ok := t.unit.lastEvent(fresh)
	if ok {
		seq++ // a card this unit created: no read needed
	} else {
		var exists bool
		if err := t.scanRow(ctx, queryEventSlot, []any{e.Tenant, id, e.Tenant, id}, &exists, &seq); err != nil {
			return mapErr(err, what)
		}
		if !exists {
			return fmt.Errorf("%s: %w", what, storage.ErrNotFound)
		}
	}
	_, err := t.exec(ctx, sqlInsertEvent,
		e.Tenant, id, seq, e.Kind, e.From.String(), e.To.String(), e.Reason.String(), e.Actor.String(),
		nanos(e.At), e.IdempotencyKey, e.Note)
	if err != nil {
		if ok {
			t.unit.forget(fresh) // the insert may have happened after all: read next time
		}
		return mapErr(err, what)
	}
	if ok {
		t.unit.appended(fresh, seq)
	}
	e.Seq = seq
	return nil
}

// cardKey names a card across tenants.
type cardKey struct {
	tenant string
	id     uuid.UUID
}

// Idempotency keys.

const queryKey = `SELECT request_hash, state, recovery_point, result, card_id, created_at, lease_until, version
	FROM idempotency_keys WHERE tenant = ? AND key = ?`

func (r reader) Key(ctx context.Context, tenant, key string) (storage.KeyRecord, error) {
	rec := storage.KeyRecord{Tenant: tenant, Key: key}
	var hash []byte
	var state int
	var cardID sql.NullString
	var created, lease int64
	err := r.scanRow(ctx, queryKey, []any{tenant, key},
		&hash, &state, &rec.RecoveryPoint, &rec.Result, &cardID, &created, &lease, &rec.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.KeyRecord{}, fmt.Errorf("idempotency key %s: %w", rules.Quote(key), storage.ErrNotFound)
	}
	if err != nil {
		return storage.KeyRecord{}, mapErr(err, "idempotency key")
	}
	copy(rec.RequestHash[:], hash)
	rec.State = storage.KeyState(state)
	if cardID.Valid {
		if rec.CardID, err = uuid.Parse(cardID.String); err != nil {
			return storage.KeyRecord{}, fmt.Errorf("sqlite: a stored idempotency record does not decode: %w", err)
		}
	}
	rec.CreatedAt, rec.LeaseUntil = fromNanos(created), fromNanos(lease)
	rec.Result = bytes.Clone(rec.Result)
	return rec, nil
}

func nullCard(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id.String()
}

func (t *tx) ClaimKey(ctx context.Context, r storage.KeyRecord) (storage.KeyRecord, error) {
	if err := r.Validate(); err != nil {
		return storage.KeyRecord{}, err
	}
	r.Version = 1
	res, err := t.exec(ctx, sqlClaimKey,
		r.Tenant, r.Key, r.RequestHash[:], int(r.State), r.RecoveryPoint, r.Result, nullCard(r.CardID),
		nanos(r.CreatedAt), nanos(r.LeaseUntil), r.Version)
	if err != nil {
		return storage.KeyRecord{}, mapErr(err, "idempotency key")
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return r, mapErr(err, "idempotency key")
	}
	old, err := t.Key(ctx, r.Tenant, r.Key)
	if err != nil {
		return storage.KeyRecord{}, err
	}
	return old, fmt.Errorf("idempotency key %s: %w", rules.Quote(r.Key), storage.ErrDuplicate)
}

func (t *tx) UpdateKey(ctx context.Context, r storage.KeyRecord, read int64) error {
	if err := rules.Update("sqlite.UpdateKey", r.Version, read); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	what := func() string { return "idempotency key " + rules.Quote(r.Key) } // on failure only
	res, err := t.exec(ctx, sqlUpdateKey,
		r.RequestHash[:], int(r.State), r.RecoveryPoint, r.Result, nullCard(r.CardID),
		nanos(r.LeaseUntil), r.Version, r.Tenant, r.Key, read, nanos(r.CreatedAt))
	if err != nil {
		return mapErr(err, what())
	}
	if n, err := res.RowsAffected(); n == 1 || err != nil {
		if err != nil {
			return mapErr(err, what())
		}
		return nil
	}
	// Missing, stale, or a new created_at: the full statement tells which.
	res, err = t.exec(ctx, sqlUpdateKeyCreated,
		r.RequestHash[:], int(r.State), r.RecoveryPoint, r.Result, nullCard(r.CardID), nanos(r.CreatedAt),
		nanos(r.LeaseUntil), r.Version, r.Tenant, r.Key, read)
	if err != nil {
		return mapErr(err, what())
	}
	return t.changedOne(ctx, res, what(), "idempotency_keys", read, r.Tenant, r.Key)
}

func (t *tx) PurgeKeys(ctx context.Context, tenant string, before time.Time) (int, error) {
	res, err := t.execLong(ctx, sqlPurgeKeys, tenant, purgeBound(before))
	if err != nil {
		return 0, mapErr(err, "purge idempotency keys")
	}
	n, err := res.RowsAffected()
	return int(n), mapErr(err, "purge idempotency keys")
}
