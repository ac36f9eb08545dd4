package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/storagetest"
)

// TestMigrationKeysByRowid opens a database written at schema version 1
// and checks that migration 2 keeps every idempotency record as it was,
// with the same rules: (tenant, key) stays unique, purging by age still
// works.
func TestMigrationKeysByRowid(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	ms, err := loadMigrations()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(ms), 2)

	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	_, err = db.Exec(ms[0].sql)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
		INSERT INTO schema_migrations VALUES (1, '0001_init.sql', 0)`)
	require.NoError(t, err)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	madeCard := uuid.MustParse("8f9a7b8e-5a42-4a64-9d2b-6c1f3f0e2a11")
	_, err = db.Exec(`INSERT INTO cards (tenant, id, account_id, customer_id, business_id, status, fingerprint,
		bin, last_four, version, created_at, updated_at, doc) VALUES ('acme', ?, 'a', 'c', '', 'ACTIVE', NULL, '', '', 1, 0, 0, '{}')`,
		madeCard.String())
	require.NoError(t, err)
	want := []storage.KeyRecord{
		storagetest.Key("acme", "first"),
		storagetest.Key("acme", "second"),
		storagetest.Key("other", "first"),
	}
	for i := range want {
		r := &want[i]
		r.CreatedAt, r.LeaseUntil, r.Version = at.Add(time.Duration(i)*time.Hour), at.Add(time.Minute), int64(i+1)
		r.RequestHash[0], r.Result = byte(i+1), []byte(`{"n":`+string(rune('1'+i))+`}`)
		var cardID any // NULL: the call made no card
		if i == 0 {
			r.CardID, cardID = madeCard, madeCard.String()
		}
		_, err := db.Exec(`INSERT INTO idempotency_keys (tenant, key, request_hash, state, recovery_point,
			result, card_id, created_at, lease_until, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Tenant, r.Key, r.RequestHash[:], int(r.State), r.RecoveryPoint, r.Result, cardID,
			r.CreatedAt.UnixNano(), r.LeaseUntil.UnixNano(), r.Version)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	s, err := Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	for _, w := range want {
		got, err := s.Key(ctx, w.Tenant, w.Key)
		require.NoError(t, err, w.Key)
		assert.Equal(t, w.RequestHash, got.RequestHash)
		assert.Equal(t, w.Result, got.Result)
		assert.Equal(t, w.Version, got.Version)
		assert.True(t, w.CreatedAt.Equal(got.CreatedAt))
		assert.True(t, w.LeaseUntil.Equal(got.LeaseUntil))
		assert.Equal(t, w.State, got.State)
		assert.Equal(t, w.RecoveryPoint, got.RecoveryPoint)
		assert.Equal(t, w.CardID, got.CardID)
	}
	var version int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&version))
	assert.Equal(t, SchemaVersion(), version)
	var ages int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'idempotency_keys_by_age'").Scan(&ages))
	assert.Equal(t, 1, ages, "the age index is made again")
	var ddl string
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE name = 'idempotency_keys'").Scan(&ddl))
	assert.NotContains(t, ddl, "WITHOUT ROWID")

	err = s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		_, err := tx.ClaimKey(ctx, storagetest.Key("acme", "first"))
		return err
	})
	require.ErrorIs(t, err, storage.ErrDuplicate, "(tenant, key) is still unique")
	var purged int
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		purged, err = tx.PurgeKeys(ctx, "acme", at.Add(30*time.Minute))
		return err
	}))
	assert.Equal(t, 1, purged)
	_, err = s.Key(ctx, "acme", "second")
	require.NoError(t, err)
}
