package issuance_test

import (
	"bufio"
	"context"
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

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
	"github.com/cardkit/cardkit/storage/sqlite"
)

var crashRounds = flag.Int("crash.rounds", 5, "rounds of the random-moment issuance crash test")

const (
	envDir   = "CARDKIT_ISSUANCE_CRASH_DIR"
	envPoint = "CARDKIT_ISSUANCE_CRASH_POINT" // where the child kills itself; "random" loops until killed
	envAcct  = "CARDKIT_ISSUANCE_CRASH_ACCOUNT"
)

// pointProviderActed is a kill point between the provider acting and the
// service recording it: the one a derived provider key is for.
const pointProviderActed = "provider_acted"

// crashWorld is what a process opens: the database and the sandbox's state,
// both files that outlive it.
type crashWorld struct {
	store storage.Store
	sbx   *sandbox.Sandbox
	svc   *issuance.Service
}

func openWorld(t testing.TB, dir string, p issuance.Provider, opts ...issuance.Option) (*crashWorld, error) {
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, "cardkit.db"))
	if err != nil {
		return nil, err
	}
	sbx, err := sandbox.New(sandbox.WithStateFile(filepath.Join(dir, "sandbox.json")))
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = sbx
	}
	w := &crashWorld{store: store, sbx: sbx}
	w.svc, err = w.service(store, p, opts...)
	return w, err
}

// service is a service on store and p, as the crash tests' processes make
// it.
func (w *crashWorld) service(store storage.Store, p issuance.Provider, opts ...issuance.Option) (*issuance.Service, error) {
	k, err := card.NewFingerprintKey([]byte("crash test fingerprint key, 32 b"))
	if err != nil {
		return nil, err
	}
	// A short lease: the next process takes over the dead one's call at once.
	return issuance.New(store, p, k, append([]issuance.Option{issuance.WithLease(time.Millisecond)}, opts...)...)
}

func crashRequest(acct uuid.UUID) issuance.IssueRequest {
	return issuance.IssueRequest{AccountID: acct, Form: card.FormVirtual, NameOnCard: "Jane Smith"}
}

func die() { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL) }

// actThenDie is a provider that dies right after the real provider acted,
// before the service can record the answer.
type actThenDie struct{ *sandbox.Sandbox }

func (a actThenDie) IssueCard(ctx context.Context, key string, c card.Card) (card.Card, error) {
	out, err := a.Sandbox.IssueCard(ctx, key, c)
	die()
	return out, err
}

// TestCrashChild is the child process of the crash tests; it does nothing
// when run on its own.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envDir)
	if dir == "" {
		t.Skip("run by TestCrash")
	}
	acct := uuid.MustParse(os.Getenv(envAcct))
	point := os.Getenv(envPoint)
	if point == "random" {
		w, err := openWorld(t, dir, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		log, err := os.OpenFile(filepath.Join(dir, "started.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			os.Exit(2)
		}
		for i := 0; ; i++ {
			key := uuid.NewString()
			fmt.Fprintln(log, key) // before the call: the parent retries every key begun
			if _, err := w.svc.Issue(context.Background(), tenant, key, crashRequest(acct)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
	}
	var p issuance.Provider
	if point == pointProviderActed {
		sbx, err := sandbox.New(sandbox.WithStateFile(filepath.Join(dir, "sandbox.json")))
		if err != nil {
			os.Exit(2)
		}
		p = actThenDie{sbx}
	}
	killAt := issuance.WithRecoveryHook(func(_ context.Context, st issuance.Step) {
		if string(st.Point) == point {
			die()
		}
	})
	w, err := openWorld(t, dir, p, killAt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	svc := w.svc
	if point == string(issuance.PointProviderCalled) {
		// Only a finish that fails stores this point: the store's next
		// unit after the provider answered fails.
		fs := &flaky{Store: w.store}
		if svc, err = w.service(fs, &answered{Sandbox: w.sbx, then: func() { fs.armed.Store(true) }}, killAt); err != nil {
			os.Exit(2)
		}
	}
	_, err = svc.Issue(context.Background(), tenant, "crash-key", crashRequest(acct))
	fmt.Fprintln(os.Stderr, "the child was not killed:", err)
	os.Exit(3)
}

func child(t *testing.T, dir, point string, acct uuid.UUID) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envDir+"="+dir, envPoint+"="+point, envAcct+"="+acct.String())
	cmd.Stderr = os.Stderr
	return cmd
}

// setup makes the database and an account the child issues on.
func setup(t *testing.T) (string, uuid.UUID) {
	dir := t.TempDir()
	w, err := openWorld(t, dir, nil)
	require.NoError(t, err)
	a, err := w.svc.OpenAccount(context.Background(), tenant, issuance.OpenAccountRequest{
		Name: "Spending", Holder: account.Holder{Kind: account.HolderCustomer, ID: "cust-1"},
		Subtype: card.TypeDebit, Currency: card.CurrencyUSD,
	})
	require.NoError(t, err)
	require.NoError(t, w.store.Close())
	return dir, a.ID
}

// TestCrash kills the process at each recovery point of an issue (at
// provider_called, which only a finish that failed stores, after making it
// fail), and right after the provider acted, and shows that the retry
// finishes the call with one card at the provider and one here.
func TestCrash(t *testing.T) {
	for _, point := range []string{string(issuance.PointStarted), pointProviderActed, string(issuance.PointProviderCalled), string(issuance.PointFinished)} {
		t.Run(point, func(t *testing.T) {
			dir, acct := setup(t)
			err := child(t, dir, point, acct).Run()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee)
			ws, ok := ee.Sys().(syscall.WaitStatus)
			require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "the child died by SIGKILL at %s: %v", point, err)

			w, err := openWorld(t, dir, nil)
			require.NoError(t, err)
			defer w.store.Close()
			rec, err := w.store.Key(context.Background(), tenant, "crash-key")
			require.NoError(t, err)
			if point != pointProviderActed {
				assert.Equal(t, point, rec.RecoveryPoint, "the point the child died at is the one stored")
			}
			time.Sleep(5 * time.Millisecond) // the dead call's lease runs out
			c, err := w.svc.Issue(context.Background(), tenant, "crash-key", crashRequest(acct))
			require.NoError(t, err, "the retry finishes the call")
			assert.Equal(t, card.StatusActive, c.Status)
			assert.Equal(t, 1, w.sbx.Cards(), "one card at the provider")
			page, err := w.svc.List(context.Background(), tenant, storage.CardFilter{}, storage.Page{})
			require.NoError(t, err)
			assert.Len(t, page.Cards, 1, "one card here")
			evs, err := w.svc.History(context.Background(), tenant, c.ID)
			require.NoError(t, err)
			assert.Len(t, evs, 1)
		})
	}
}

// TestCrashRandom kills a process that issues card after card at random
// moments; afterwards every key it began is retried, and each finishes with
// exactly one card at the provider and here.
func TestCrashRandom(t *testing.T) {
	dir, acct := setup(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	logged := func() int64 { // the bytes of the keys begun so far
		fi, err := os.Stat(filepath.Join(dir, "started.log"))
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	for range *crashRounds {
		before := logged()
		cmd := child(t, dir, "random", acct)
		cmd.Stderr = nil
		require.NoError(t, cmd.Start())
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		// Killed once it has begun a call, not while it starts: on a busy
		// machine a child may take longer to start than any fixed wait.
		for logged() == before {
			select {
			case <-done:
				t.Fatal("the child stopped before it began a call")
			case <-time.After(time.Millisecond):
			}
		}
		time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		<-done
	}
	f, err := os.Open(filepath.Join(dir, "started.log"))
	require.NoError(t, err)
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k := strings.TrimSpace(sc.Text()); len(k) == 36 {
			keys = append(keys, k)
		}
	}
	w, err := openWorld(t, dir, nil)
	require.NoError(t, err)
	defer w.store.Close()
	time.Sleep(5 * time.Millisecond)
	ids := map[uuid.UUID]bool{}
	for _, k := range keys {
		c, err := w.svc.Issue(context.Background(), tenant, k, crashRequest(acct))
		require.NoError(t, err, "key %s", k)
		require.False(t, ids[c.ID], "two keys, one card")
		ids[c.ID] = true
	}
	here := 0
	for cursor := ""; ; {
		page, err := w.svc.List(context.Background(), tenant, storage.CardFilter{}, storage.Page{Limit: storage.MaxPageLimit, Cursor: cursor})
		require.NoError(t, err)
		here += len(page.Cards)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	assert.Equal(t, len(keys), here, "one card per key here")
	assert.Equal(t, len(keys), w.sbx.Cards(), "and one per key at the provider")
	t.Logf("%d rounds, %d calls begun, each finished once", *crashRounds, len(keys))
}
