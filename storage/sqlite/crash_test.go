package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/sqlite"
	"github.com/cardkit/cardkit/storage/storagetest"
)

var crashRounds = flag.Int("crash.rounds", 20, "rounds of the SIGKILL crash test")

const (
	envCrashDB  = "CARDKIT_CRASH_DB"
	envCrashLog = "CARDKIT_CRASH_LOG"
)

// TestCrash kills a writer with SIGKILL at random moments and checks, after
// each kill, that the database is intact and holds only whole units: every
// card with its creation event and its completed idempotency record, and
// every unit the writer saw committed.
func TestCrash(t *testing.T) {
	if path := os.Getenv(envCrashDB); path != "" {
		crashChild(path, os.Getenv(envCrashLog))
		return
	}
	dir := t.TempDir()
	path, logPath := filepath.Join(dir, "crash.db"), filepath.Join(dir, "committed.log")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	total := 0
	for round := range *crashRounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashDB+"="+path, envCrashLog+"="+logPath)
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(20+rng.IntN(180)) * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()

		n := checkAfterCrash(t, path, logPath)
		if t.Failed() {
			t.Fatalf("round %d: the database is not whole after a kill", round)
		}
		total = n
	}
	t.Logf("%d rounds, %d units committed and intact", *crashRounds, total)
	assert.Positive(t, total, "the writer made progress")
}

// crashChild writes units until it is killed: a card, its creation event
// and its completed idempotency record, together. After each commit it
// appends the card's id to the log, so the parent knows what must survive.
func crashChild(path, logPath string) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(2)
	}
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		c := storagetest.Card("acme", i)
		err := s.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error { return storagetest.Issue(ctx, tx, c) })
		if err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(2)
		}
		fmt.Fprintln(log, c.ID)
	}
}

// checkAfterCrash reopens the database and checks it; it returns the number
// of units it holds.
func checkAfterCrash(t *testing.T, path, logPath string) int {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err, "reopen after a kill")
	require.NoError(t, s.Close())

	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	defer db.Close()
	var integrity string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&integrity))
	assert.Equal(t, "ok", integrity)
	rows, err := db.Query("PRAGMA foreign_key_check")
	require.NoError(t, err)
	assert.False(t, rows.Next(), "a row points to nothing")
	require.NoError(t, rows.Close())

	var cards, events, keys, orphans, dangling int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM cards").Scan(&cards))
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM card_events").Scan(&events))
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM idempotency_keys").Scan(&keys))
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM cards c WHERE NOT EXISTS
		(SELECT 1 FROM card_events e WHERE e.tenant = c.tenant AND e.card_id = c.id AND e.seq = 1)`).Scan(&orphans))
	require.NoError(t, db.QueryRow(`SELECT COUNT(*) FROM idempotency_keys k WHERE k.state = ? AND NOT EXISTS
		(SELECT 1 FROM cards c WHERE c.tenant = k.tenant AND c.id = k.card_id)`, int(storage.KeyCompleted)).Scan(&dangling))
	assert.Zero(t, orphans, "every card has its creation event")
	assert.Zero(t, dangling, "every completed record points to a card")
	assert.Equal(t, cards, events, "no unit is half there")
	assert.Equal(t, cards, keys, "no unit is half there")

	// Every unit the writer saw committed survived the kill.
	f, err := os.Open(logPath)
	if os.IsNotExist(err) {
		return cards
	}
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	logged := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		id, err := uuid.Parse(line)
		if err != nil {
			continue // a line cut short by the kill
		}
		logged++
		var one int
		err = db.QueryRow("SELECT 1 FROM cards WHERE tenant = 'acme' AND id = ?", id.String()).Scan(&one)
		assert.NoError(t, err, "a committed unit was lost: %s", id)
	}
	assert.LessOrEqual(t, logged, cards)
	return cards
}
