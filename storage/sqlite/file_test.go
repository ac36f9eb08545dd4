package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/sqlite"
	"github.com/cardkit/cardkit/storage/storagetest"
)

func open(t *testing.T, path string, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, opts...)
	require.NoError(t, err)
	return s
}

// TestNoPANAtRest writes cards and a linked account with known numbers,
// closes the database and reads every byte of every file it left: no full
// number may be there, in ASCII or as the digits of any encoding SQLite
// could have used.
func TestNoPANAtRest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cardkit.db")
	s := open(t, path)
	ctx := context.Background()
	var numbers []string
	for i := range 50 {
		c := storagetest.Card("acme", 1000+i)
		numbers = append(numbers, c.PAN.RevealDigits())
		c.Memo = "issued"
		require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
			if err := tx.CreateCard(ctx, c); err != nil {
				return err
			}
			e := storagetest.Event(c, "issued")
			if err := tx.AppendEvent(ctx, &e); err != nil {
				return err
			}
			c.Version++
			c.Memo = "updated"
			return tx.UpdateCard(ctx, c, c.Version-1)
		}))
	}
	pan, err := card.ParsePAN("5555555555554444")
	require.NoError(t, err)
	numbers = append(numbers, pan.RevealDigits())
	a := account.Account{
		ID: uuid.New(), Tenant: "acme", Kind: account.KindExternal, Name: "Linked",
		Holder:  account.Holder{Kind: account.HolderCustomer, ID: "h1"},
		Subtype: card.TypeDebit, Currency: card.CurrencyUSD, State: account.StateActive,
		External: &account.ExternalCard{FirstName: "Mark", LastName: "Strong",
			Expiry:         card.Expiry{Year: 2028, Month: time.May},
			BillingAddress: card.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "78701", Country: card.CountryUS},
		},
	}
	a.External.SetPAN(pan, mustKey(t))
	require.NoError(t, s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return tx.CreateAccount(ctx, a) }))

	// Read the files while the database is open (the WAL holds the data) and
	// again after it is closed and checkpointed.
	scan := func(when string) {
		files, err := filepath.Glob(path + "*")
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, f := range files {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, n := range numbers {
				assert.False(t, bytes.Contains(raw, []byte(n)), "%s: %s holds a full card number", when, filepath.Base(f))
			}
			t.Logf("%s: %s, %d bytes, no full number", when, filepath.Base(f), len(raw))
		}
	}
	scan("open")
	require.NoError(t, s.Close())
	scan("closed")

	// What is kept is enough to find the card again.
	s = open(t, path)
	defer s.Close()
	c := storagetest.Card("acme", 1000)
	got, err := s.CardsByFingerprint(ctx, "acme", c.Fingerprint)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, c.LastFour, got[0].LastFour)
}

func mustKey(t *testing.T) card.FingerprintKey {
	k, err := card.NewFingerprintKey(bytes.Repeat([]byte{5}, 32))
	require.NoError(t, err)
	return k
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cardkit.db")
	s := open(t, path)
	require.NoError(t, s.Close())
	s = open(t, path) // a second open applies nothing again
	require.NoError(t, s.Close())

	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	var n, top int
	require.NoError(t, db.QueryRow("SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &top))
	assert.Equal(t, sqlite.SchemaVersion(), n)
	assert.Equal(t, sqlite.SchemaVersion(), top)

	// A database from a newer cardkit is refused, and left as it was.
	_, err = db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 0)", sqlite.SchemaVersion()+1)
	require.NoError(t, err)
	_, err = sqlite.Open(context.Background(), path)
	require.ErrorIs(t, err, sqlite.ErrSchemaTooNew)
	assert.Contains(t, err.Error(), fmt.Sprintf("version %d", sqlite.SchemaVersion()+1))
}

func TestNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cardkit.db")
	bare, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer bare.Close()
	_, err = sqlite.New(context.Background(), bare)
	require.ErrorContains(t, err, "foreign keys")

	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_txlock=immediate&_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	s, err := sqlite.New(context.Background(), db)
	require.NoError(t, err)
	c := storagetest.Card("acme", 1)
	require.NoError(t, s.Atomic(context.Background(), func(ctx context.Context, tx storage.Tx) error { return tx.CreateCard(ctx, c) }))
	require.NoError(t, s.Close())
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM cards WHERE id = ?", c.ID.String()).Scan(&n),
		"Close leaves the caller's handle open")
	assert.Equal(t, 1, n)
	_, err = s.Card(context.Background(), "acme", c.ID)
	require.ErrorIs(t, err, sqlite.ErrClosed, "the store itself is closed")
}

func TestContractNew(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		path := filepath.Join(t.TempDir(), "cardkit.db")
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		s, err := sqlite.New(context.Background(), db)
		require.NoError(t, err)
		return s
	})
}

// TestOpenErrorsNameTheFile: a file the store cannot open says which.
func TestOpenErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notDB, bytes.Repeat([]byte("not a database\n"), 100), 0o600))
	for _, path := range []string{filepath.Join(dir, "missing", "x.db"), notDB} {
		_, err := sqlite.Open(context.Background(), path)
		require.Error(t, err)
		assert.Contains(t, err.Error(), path)
	}
	_, err := os.Stat(notDB)
	require.NoError(t, err, "a file that was there stays")

	// A new database that failed to open opens the next time.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fresh := filepath.Join(dir, "fresh.db")
	_, err = sqlite.Open(ctx, fresh)
	require.Error(t, err)
	s, err := sqlite.Open(context.Background(), fresh)
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

// TestNewFileIsPrivate: a database the store makes, with its WAL, is
// readable by its owner only.
func TestNewFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cardkit.db")
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	require.NoError(t, s.Atomic(context.Background(), func(ctx context.Context, tx storage.Tx) error {
		return tx.CreateCard(ctx, storagetest.Card("acme", 1))
	}))
	for _, f := range []string{path, path + "-wal"} {
		info, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), f)
	}
	require.NoError(t, s.Close())
}
