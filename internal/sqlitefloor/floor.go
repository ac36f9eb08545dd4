// Package sqlitefloor is the floor of cardkit's SQLite benchmarks: the rows
// one issuance writes (a card, its provider's reference, its creation event
// with the call's key, and its idempotency record holding the card),
// written by hand with prepared statements in one durable transaction, on
// a database with cardkit's schema and pragmas, without cardkit. It uses the cheapest way
// database/sql offers, the one cardkit's store uses too: one connection
// held, every statement prepared on it, BEGIN IMMEDIATE and COMMIT too. A
// benchmark runs it beside the code it measures, so that their ratio is
// read in one run.
package sqlitefloor

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage/sqlite"
)

// Floor writes issuances by hand into one database.
type Floor struct {
	db                    *sql.DB
	conn                  *sql.Conn
	card, ref, event, key *sql.Stmt // prepared on conn
	begin, commit, undo   *sql.Stmt
	claim, done           *sql.Stmt // the key's two steps, for WriteStaged
	normal                bool      // the connection's synchronous setting is NORMAL
	proto                 card.Card
	doc                   []byte // proto's JSON, encoded once
	hash                  []byte
}

// Open creates the database at path with cardkit's schema and opens it as
// sqlite.Open does at DurabilityFull. Every Write copies proto under a new
// id, with a fingerprint of its own.
func Open(ctx context.Context, path string, proto card.Card) (*Floor, error) {
	s, err := sqlite.Open(ctx, path) // only to create the schema
	if err != nil {
		return nil, err
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+
		"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	f := &Floor{db: db, proto: proto, hash: make([]byte, 32)}
	if f.doc, err = json.Marshal(proto); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if f.conn, err = db.Conn(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&f.begin, "BEGIN IMMEDIATE"}, {&f.commit, "COMMIT"}, {&f.undo, "ROLLBACK"},
		{&f.card, `INSERT INTO cards (tenant, id, account_id, customer_id, business_id, status,
			fingerprint, bin, last_four, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&f.ref, `INSERT INTO card_refs (tenant, provider, ref, card_id) VALUES (?, 'sandbox', ?, ?)`},
		{&f.event, `INSERT INTO card_events (tenant, card_id, seq, kind, from_status, to_status,
			reason, actor, at, idempotency_key, note) VALUES (?, ?, 1, 'issued', 'PENDING', 'ACTIVE', '', 'PROVIDER', ?, ?, '')`},
		{&f.key, `INSERT INTO idempotency_keys (tenant, key, request_hash, state, recovery_point,
			result, card_id, created_at, lease_until, version) VALUES (?, ?, ?, 2, 'finished', ?, ?, ?, ?, 1)`},
		{&f.claim, `INSERT INTO idempotency_keys (tenant, key, request_hash, state, recovery_point,
			result, card_id, created_at, lease_until, version) VALUES (?, ?, ?, 1, 'started', ?, NULL, ?, ?, 1)
			ON CONFLICT (tenant, key) DO NOTHING`},
		{&f.done, `UPDATE idempotency_keys SET state = 2, recovery_point = 'finished', result = ?, card_id = ?, version = 2
			WHERE tenant = ? AND key = ? AND version = 1`},
	} {
		if *p.st, err = f.conn.PrepareContext(ctx, p.sql); err != nil {
			return nil, errors.Join(fmt.Errorf("sqlitefloor: prepare: %w", err), f.Close())
		}
	}
	return f, nil
}

// Write writes one issuance in one transaction.
func (f *Floor) Write(ctx context.Context) error {
	id := uuid.NewString()
	p := &f.proto
	now := p.CreatedAt.UnixNano()
	return f.unit(ctx, false, func() error {
		if err := f.cardRows(ctx, id, now); err != nil {
			return err
		}
		_, err := f.key.ExecContext(ctx, p.Tenant, id, f.hash, f.doc, id, now, now)
		return err
	})
}

// WriteStaged writes the same rows in the two units of an idempotent call's
// recovery points: the key claimed, committed without a sync
// (synchronous=NORMAL), then the card, its reference and event, and the
// key's result in a durable unit. It is the floor of that design, without
// cardkit.
func (f *Floor) WriteStaged(ctx context.Context) error {
	id := uuid.NewString()
	p := &f.proto
	now := p.CreatedAt.UnixNano()
	if err := f.unit(ctx, true, func() error {
		_, err := f.claim.ExecContext(ctx, p.Tenant, id, f.hash, f.hash, now, now)
		return err
	}); err != nil {
		return err
	}
	return f.unit(ctx, false, func() error {
		if err := f.cardRows(ctx, id, now); err != nil {
			return err
		}
		_, err := f.done.ExecContext(ctx, f.doc, id, p.Tenant, id)
		return err
	})
}

// cardRows writes the card, its reference and its event. The card has a
// fingerprint of its own, as every issued card has: one shared by every
// row would turn the random inserts into the fingerprint index into
// appends.
func (f *Floor) cardRows(ctx context.Context, id string, now int64) error {
	p := &f.proto
	fp := sha256.Sum256([]byte(id))
	if _, err := f.card.ExecContext(ctx, p.Tenant, id, p.AccountID, p.Holder.CustomerID,
		p.Holder.BusinessID, p.Status.String(), fp[:], p.BIN, p.LastFour, 1, now, now, f.doc); err != nil {
		return err
	}
	if _, err := f.ref.ExecContext(ctx, p.Tenant, id, id); err != nil {
		return err
	}
	_, err := f.event.ExecContext(ctx, p.Tenant, id, now, id) // the call's key, as every event keeps
	return err
}

// unit runs fn in one transaction, at synchronous=NORMAL if normal.
func (f *Floor) unit(ctx context.Context, normal bool, fn func() error) (err error) {
	if normal != f.normal {
		q := map[bool]string{false: "PRAGMA synchronous = FULL", true: "PRAGMA synchronous = NORMAL"}[normal]
		if _, err := f.conn.ExecContext(ctx, q); err != nil {
			return err
		}
		f.normal = normal
	}
	if _, err := f.begin.ExecContext(ctx); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, _ = f.undo.ExecContext(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(); err != nil {
		return err
	}
	_, err = f.commit.ExecContext(ctx)
	return err
}

// Close closes the database.
func (f *Floor) Close() error {
	var err error
	for _, st := range []*sql.Stmt{f.begin, f.commit, f.undo, f.card, f.ref, f.event, f.key, f.claim, f.done} {
		if st != nil {
			err = errors.Join(err, st.Close())
		}
	}
	if f.conn != nil {
		err = errors.Join(err, f.conn.Close())
	}
	return errors.Join(err, f.db.Close())
}
