package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/internal/showtest"
)

func TestSecretIsRedacted(t *testing.T) {
	s := httpapi.NewSecret("sk_live_0123456789")
	type holder struct {
		name string
		key  httpapi.Secret
	}
	h := holder{"x", s}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("m", "key", s, "holder", h)
	js, err := json.Marshal(struct{ K httpapi.Secret }{s})
	require.NoError(t, err)
	for _, out := range []string{
		s.String(), s.GoString(), fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", h, h, &h), logs.String(), string(js),
	} {
		assert.NotContains(t, out, "sk_live", out)
		assert.NotContains(t, out, "0123456789", out)
	}
	assert.Contains(t, fmt.Sprint(s), "[redacted]")
	assert.Equal(t, "sk_live_0123456789", s.Reveal())
	assert.True(t, httpapi.NewSecret("").IsZero())
}

func TestScrub(t *testing.T) {
	assert.Equal(t, "card [redacted] refused", httpapi.Scrub("card 4111111111111111 refused"))
	assert.Equal(t, "[redacted] and [redacted]", httpapi.Scrub("41111111111 and 5500000000000004"))
	assert.Equal(t, "id 1234567890 ok", httpapi.Scrub("id 1234567890 ok"))
}

// TestScrubSeparatedNumbers is a card number as people write it, in groups
// split by spaces, hyphens, dots, slashes or underscores (as
// card.RedactNumbers reads one): it is scrubbed too; a date, a time or a
// UUID is not.
func TestScrubSeparatedNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"card 4111 1111 1111 1111 refused":        "card [redacted] refused",
		"card 4111-1111-1111-1111 refused":        "card [redacted] refused",
		"pan=5500-0000 0000-0004.":                "pan=[redacted].",
		"4111 1111 111":                           "[redacted]",
		"a 4111  1111  1111  1111 b":              "a [redacted] b",
		"a 4111.1111.1111.1111 b":                 "a [redacted] b",
		"a 4111/1111/1111/1111 b":                 "a [redacted] b",
		"at 12:00:00.123456789":                   "at 12:00:00.123456789",
		"on 2026-01-01 at 12:00:00":               "on 2026-01-01 at 12:00:00",
		"id 8d3e4567-e89b-42d3-a456-5b6614174000": "id 8d3e4567-e89b-42d3-a456-5b6614174000",
		"ref 1234-5678 ok":                        "ref 1234-5678 ok",
		"trailing 4111 1111 1111 1111-":           "trailing [redacted]-",
	} {
		assert.Equal(t, want, httpapi.Scrub(in), in)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{}
	assert.Zero(t, httpapi.RetryAfter(h, now))
	h.Set("Retry-After", "3")
	assert.Equal(t, 3*time.Second, httpapi.RetryAfter(h, now))
	h.Set("Retry-After", now.Add(7*time.Second).Format(http.TimeFormat))
	assert.Equal(t, 7*time.Second, httpapi.RetryAfter(h, now))
	h.Set("Retry-After", "soon")
	assert.Zero(t, httpapi.RetryAfter(h, now))
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	r := httpapi.Retry{Attempts: 10, Base: 100 * time.Millisecond, Max: time.Second}
	for n := 1; n <= 8; n++ {
		step := min(r.Base<<(n-1), r.Max)
		for range 50 {
			d := r.Backoff(n)
			assert.GreaterOrEqual(t, d, step/2, "attempt %d", n)
			assert.LessOrEqual(t, d, step, "attempt %d", n)
		}
	}
	for _, n := range []int{0, -3} {
		d := r.Backoff(n) // no attempt yet counts as the first
		assert.True(t, d >= r.Base/2 && d <= r.Base, "attempt %d: %v", n, d)
	}
	// Without a Max, the steps still grow, up to 32 times the base: no
	// retry comes at once.
	noMax := httpapi.Retry{Attempts: 10, Base: 100 * time.Millisecond}
	for n := 1; n <= 8; n++ {
		step := min(noMax.Base<<(n-1), 32*noMax.Base)
		d := noMax.Backoff(n)
		assert.True(t, d >= step/2 && d <= step, "attempt %d: %v", n, d)
	}
}

// server answers each call with the next of answers (status, Retry-After),
// then 200; it records the idempotency key of every call.
func server(t *testing.T, answers ...[2]int) (*httptest.Server, *[]string) {
	var keys []string
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		i := int(n.Add(1)) - 1
		if i < len(answers) {
			if answers[i][1] > 0 {
				w.Header().Set("Retry-After", fmt.Sprint(answers[i][1]))
			}
			w.WriteHeader(answers[i][0])
			fmt.Fprintf(w, `{"code":"E%d","message":"card 4111111111111111 is bad"}`, answers[i][0])
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &keys
}

func client(srv *httptest.Server, waits *[]time.Duration, opts ...httpapi.Option) *httpapi.Client {
	cfg := httpapi.NewConfig(srv.URL, append([]httpapi.Option{
		httpapi.WithSleep(func(ctx context.Context, d time.Duration) error { *waits = append(*waits, d); return ctx.Err() }),
		httpapi.WithRetry(httpapi.Retry{Attempts: 4, Base: 10 * time.Millisecond, Max: 40 * time.Millisecond}),
	}, opts...))
	return httpapi.New(cfg, httpapi.Provider{Name: "test", DecodeError: func(e *httpapi.Error, _ http.Header, body []byte) {
		var b struct{ Code, Message string }
		_ = json.Unmarshal(body, &b)
		e.Code, e.Message = b.Code, b.Message
		if b.Code == "E409" {
			e.Transient = true // the key is in flight
		}
	}})
}

func TestRetries(t *testing.T) {
	post := httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: []byte(`{}`),
		Header: http.Header{"Idempotency-Key": {"k-1"}}}
	tests := []struct {
		name     string
		answers  [][2]int
		ok       bool
		kind     error
		calls    int
		minWaits []time.Duration
	}{
		{"5xx then ok", [][2]int{{503, 0}, {500, 0}}, true, nil, 3, []time.Duration{5 * time.Millisecond, 10 * time.Millisecond}},
		{"429 waits its Retry-After", [][2]int{{429, 2}}, true, nil, 2, []time.Duration{2 * time.Second}},
		{"a Retry-After past the patience is the caller's", [][2]int{{429, 61}}, false, httpapi.ErrRateLimited, 1, nil},
		{"503 with a Retry-After of a year", [][2]int{{503, 365 * 24 * 3600}}, false, httpapi.ErrUnavailable, 1, nil},
		{"409 in flight", [][2]int{{409, 0}}, true, nil, 2, nil},
		{"gives up after the attempts", [][2]int{{502, 0}, {502, 0}, {502, 0}, {502, 0}, {502, 0}}, false, httpapi.ErrUnavailable, 4, nil},
		{"400 is final", [][2]int{{400, 0}}, false, httpapi.ErrInvalid, 1, nil},
		{"404 is final", [][2]int{{404, 0}}, false, httpapi.ErrNotFound, 1, nil},
		{"422 is final", [][2]int{{422, 0}}, false, httpapi.ErrInvalid, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, keys := server(t, tt.answers...)
			var waits []time.Duration
			resp, err := client(srv, &waits).Do(context.Background(), post)
			assert.Len(t, *keys, tt.calls)
			for _, k := range *keys {
				assert.Equal(t, "k-1", k, "every attempt carries the same key")
			}
			for i, w := range tt.minWaits {
				require.Greater(t, len(waits), i)
				assert.GreaterOrEqual(t, waits[i], w)
			}
			if tt.ok {
				require.NoError(t, err)
				assert.JSONEq(t, `{"ok":true}`, string(resp.Body))
				return
			}
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.answers[0][0], e.Status)
			assert.Equal(t, fmt.Sprintf("E%d", e.Status), e.Code)
			assert.NotContains(t, err.Error(), "4111111111111111", "the provider's message is scrubbed")
			assert.Equal(t, e.Transient, e.Retryable())
		})
	}
}

func TestContextBoundsRetries(t *testing.T) {
	srv, keys := server(t, [2]int{503, 0}, [2]int{503, 0}, [2]int{503, 0})
	ctx, cancel := context.WithCancel(context.Background())
	var waits []time.Duration
	c := client(srv, &waits, httpapi.WithSleep(func(ctx context.Context, d time.Duration) error {
		cancel() // the caller gives up during the first wait
		return ctx.Err()
	}))
	_, err := c.Do(ctx, httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/x"})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, httpapi.ErrUnavailable)
	assert.Len(t, *keys, 1)
}

// dropping is a server that drops the connection of its first drops
// calls, having read them, and answers {} after; calls counts them all.
func dropping(t *testing.T, drops int32) (srv *httptest.Server, calls *atomic.Int32) {
	calls = new(atomic.Int32)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls.Add(1) <= drops {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			conn.Close()
			return
		}
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	return srv, calls
}

func TestDroppedConnectionIsRetryable(t *testing.T) {
	srv, calls := dropping(t, 1)
	var waits []time.Duration
	_, err := client(srv, &waits).Do(context.Background(), httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`), Key: "k-1"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, calls.Load())

	_, err = client(srv, &waits, httpapi.WithRetry(httpapi.Retry{Attempts: 1})).Do(context.Background(),
		httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`), NoRetry: true})
	require.NoError(t, err)
}

func TestReauthorizeOnce(t *testing.T) {
	srv, keys := server(t, [2]int{401, 0}, [2]int{401, 0})
	var waits []time.Duration
	drops := 0
	cfg := httpapi.NewConfig(srv.URL, []httpapi.Option{httpapi.WithSleep(func(context.Context, time.Duration) error { return nil })})
	c := httpapi.New(cfg, httpapi.Provider{Name: "t", Reauthorize: func(string) { drops++ }})
	_, err := c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/"})
	assert.ErrorIs(t, err, httpapi.ErrUnauthorized)
	assert.Equal(t, 1, drops, "a second 401 is final")
	assert.Len(t, *keys, 2)
	assert.Empty(t, waits)
}

func TestLogsNoSecrets(t *testing.T) {
	srv, _ := server(t)
	var logs bytes.Buffer
	var waits []time.Duration
	c := client(srv, &waits, httpapi.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	_, err := c.Do(context.Background(), httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: []byte(`{"pan":"4111111111111111"}`),
		Header: http.Header{"Authorization": {"Bearer sk_live_x"}}})
	require.NoError(t, err)
	assert.Contains(t, logs.String(), "method=POST path=/cards status=200")
	assert.NotContains(t, logs.String(), "sk_live")
	assert.NotContains(t, logs.String(), "4111111111111111")
}

func TestTokensRefreshBeforeExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	tok := &httpapi.Tokens{Now: func() time.Time { return now }, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		n++
		return httpapi.NewSecret(fmt.Sprint("t", n)), now.Add(10 * time.Minute), nil
	}}
	ctx := context.Background()
	a, err := tok.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "t1", a.Reveal())
	now = now.Add(8 * time.Minute)
	b, _ := tok.Token(ctx)
	assert.Equal(t, "t1", b.Reveal(), "still well within its life")
	now = now.Add(90 * time.Second) // 30 s before expiry: inside the margin
	c, _ := tok.Token(ctx)
	assert.Equal(t, "t2", c.Reveal(), "replaced before it lapses")
	tok.Drop()
	d, _ := tok.Token(ctx)
	assert.Equal(t, "t3", d.Reveal())
	assert.Equal(t, 3, tok.Fetches())

	failing := &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		return httpapi.Secret{}, time.Time{}, errors.New("refused")
	}}
	_, err = failing.Token(ctx)
	assert.Error(t, err)
}

// TestTokensOneFetchForConcurrentCallers has many callers ask at once: one
// fetch, every caller gets its token, and the later ones take the cached
// token without the lock.
func TestTokensOneFetchForConcurrentCallers(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var fetches atomic.Int32
	tok := &httpapi.Tokens{Now: func() time.Time { return now }, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		fetches.Add(1)
		return httpapi.NewSecret("t"), now.Add(time.Hour), nil
	}}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 100 {
				s, err := tok.Token(context.Background())
				assert.NoError(t, err)
				assert.Equal(t, "t", s.Reveal())
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, fetches.Load())
	assert.Equal(t, 1, tok.Fetches())
}

func TestErrorText(t *testing.T) {
	e := &httpapi.Error{Provider: "rocketkor", Op: "issue", Status: 400, Code: "VALIDATION", Field: "card.programId", Message: "required"}
	assert.Equal(t, "rocketkor issue: 400 Bad Request VALIDATION at card.programId: required", e.Error())
	e = &httpapi.Error{Provider: "solid", Op: "get", Err: errors.New("connection reset"), Transient: true}
	assert.True(t, strings.HasSuffix(e.Error(), "no answer: connection reset (retryable)"))
}

// stubTransport answers every request with a fixed 201 and body, without a
// network: what the request loop itself costs.
type stubTransport struct{ body []byte }

func (s stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(s.body)), ContentLength: int64(len(s.body)), Request: r}, nil
}

// BenchmarkDo is one call through the request loop over a transport that
// answers at once: the loop's own cost, without a network or a codec.
func BenchmarkDo(b *testing.B) {
	answer := bytes.Repeat([]byte(`{"id":"0123456789"},`), 100)
	cfg := httpapi.NewConfig("https://api.example.com/v1", []httpapi.Option{httpapi.WithHTTPClient(&http.Client{Transport: stubTransport{answer}})})
	c := httpapi.New(cfg, httpapi.Provider{Name: "test", Authorize: func(_ context.Context, r *http.Request, _ httpapi.Request) error {
		r.Header.Set("Authorization", "Bearer token")
		return nil
	}})
	req := httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: bytes.Repeat([]byte("x"), 600),
		Header: http.Header{"Idempotency-Key": {"0b6c3e0e-8d8e-4c55-b7b5-52b3b9a1f0aa"}}}
	ctx := context.Background()
	_, err := c.Do(ctx, req)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Do(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHugeContentLength is a provider (or anything on the path) answering
// with the largest Content-Length net/http accepts and a short body: a
// typed error, not a panic in the caller's goroutine.
func TestHugeContentLength(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9223372036854775807\r\n\r\n{}")
		_ = buf.Flush()
	}))
	defer srv.Close()
	c := httpapi.New(httpapi.NewConfig(srv.URL, []httpapi.Option{httpapi.WithRetry(httpapi.Retry{Attempts: 1})}), httpapi.Provider{Name: "test"})
	_, err := c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/x"})
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Transient, "the answer was cut")
}

// TestErrorForNil: an *Error for no error at all still reads.
func TestErrorForNil(t *testing.T) {
	c := httpapi.New(httpapi.NewConfig("https://example.test", nil), httpapi.Provider{Name: "p"})
	e := c.ErrorFor("issue", 502, nil)
	assert.Equal(t, 502, e.Status)
	assert.NotEmpty(t, e.Error())
}

// TestNotActed: only an answer that the provider did not take the call up
// (429, 503) says it did not act; a 500, a conflict or no answer at all may
// follow its effect.
func TestNotActed(t *testing.T) {
	for _, tc := range []struct {
		err  httpapi.Error
		want bool
	}{
		{httpapi.Error{Status: http.StatusServiceUnavailable, Transient: true}, true},
		{httpapi.Error{Status: http.StatusTooManyRequests, Transient: true}, true},
		{httpapi.Error{Status: http.StatusInternalServerError, Transient: true}, false},
		{httpapi.Error{Status: http.StatusConflict, Transient: true}, false},
		{httpapi.Error{Err: io.ErrUnexpectedEOF, Transient: true}, false},
	} {
		assert.Equal(t, tc.want, tc.err.NotActed(), "%d %v", tc.err.Status, tc.err.Err)
	}
}

// TestNotActedAfterRetries: a 503 after an attempt whose answer never came
// does not say the provider did not act: the first attempt may have.
func TestNotActedAfterRetries(t *testing.T) {
	for _, dropFirst := range []bool{false, true} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 && dropFirst {
				conn, _, err := w.(http.Hijacker).Hijack()
				require.NoError(t, err)
				conn.Close()
				return
			}
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		var waits []time.Duration
		_, err := client(srv, &waits, httpapi.WithRetry(httpapi.Retry{Attempts: 2})).Do(context.Background(),
			httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`), Key: "k-1"})
		srv.Close()
		var e *httpapi.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, http.StatusServiceUnavailable, e.Status)
		assert.EqualValues(t, 2, calls.Load())
		assert.Equal(t, !dropFirst, e.NotActed(), "first attempt dropped: %v", dropFirst)
	}
}

// TestNotActedAfterHiddenResend: net/http resends a keyed request, unseen,
// when a reused connection drops; a 503 to the resend does not say the
// provider did not act, since the first write may have.
func TestNotActedAfterHiddenResend(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch calls.Add(1) {
		case 1: // a first call, to make the connection one that is reused
			fmt.Fprint(w, `{}`)
		case 2: // read, perhaps acted on, then dropped
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			conn.Close()
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	c := client(srv, &waits, httpapi.WithRetry(httpapi.Retry{Attempts: 1}))
	req := httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`), Key: "key-123456"}
	_, err := c.Do(context.Background(), req)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req)
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, http.StatusServiceUnavailable, e.Status)
	require.EqualValues(t, 3, calls.Load(), "the transport resent the dropped request")
	assert.False(t, e.NotActed())
}

// TestNotActedWhenNeverSent: a call that made no connection (the dial
// refused, the name unknown) was not sent, so the provider did not act; a
// keyed call the transport wrote once, then resent to a dial that failed,
// may have acted.
func TestNotActedWhenNeverSent(t *testing.T) {
	req := httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`), Key: "key-123456"}
	call := func(t *testing.T, base string, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *httpapi.Error {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if dial != nil {
			tr.DialContext = dial
		}
		t.Cleanup(tr.CloseIdleConnections)
		c := httpapi.New(httpapi.NewConfig(base, []httpapi.Option{httpapi.WithHTTPClient(&http.Client{Transport: tr}),
			httpapi.WithRetry(httpapi.Retry{Attempts: 1})}), httpapi.Provider{Name: "test"})
		_, err := c.Do(context.Background(), req)
		var e *httpapi.Error
		require.ErrorAs(t, err, &e)
		assert.True(t, e.Transient)
		return e
	}
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close()) // nothing listens there now
		assert.True(t, call(t, "http://"+addr, nil).NotActed())
	})
	t.Run("unknown name", func(t *testing.T) {
		e := call(t, "http://provider.invalid", func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "provider.invalid", IsNotFound: true}}
		})
		assert.True(t, e.NotActed())
	})
	for name, req := range map[string]httpapi.Request{
		"unreachable after a write": req,
		// net/http resends these after a write too: the write is counted
		// whether or not the client sees a key.
		"unreachable after a write, keyed by another header": {Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`),
			Header: http.Header{"X-Idempotency-Key": {"key-123456"}}},
		"unreachable after a read": {Op: "get", Method: http.MethodGet, Path: "/"},
	} {
		t.Run(name, func(t *testing.T) { resentToAFailedDial(t, req) })
	}
}

// resentToAFailedDial sends req twice on one connection; the second is
// read and dropped, and the transport's resend finds no connection. It
// must not say the provider did not act.
func resentToAFailedDial(t *testing.T, req httpapi.Request) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls.Add(1) == 1 {
			fmt.Fprint(w, `{}`) // the connection is then reused
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack() // read, perhaps acted on, then dropped
		require.NoError(t, err)
		conn.Close()
	}))
	defer srv.Close()
	var dials atomic.Int32
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	plain := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) > 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("unreachable")}
		}
		return plain(ctx, network, addr)
	}
	c := httpapi.New(httpapi.NewConfig(srv.URL, []httpapi.Option{httpapi.WithHTTPClient(&http.Client{Transport: tr}),
		httpapi.WithRetry(httpapi.Retry{Attempts: 1})}), httpapi.Provider{Name: "test"})
	_, err := c.Do(context.Background(), req)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req)
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	require.EqualValues(t, 2, calls.Load(), "the second call reached the provider")
	require.EqualValues(t, 2, dials.Load(), "and its resend found no connection")
	assert.False(t, e.NotActed(), "the write before the resend may have acted: %v", e)
}

// TestAfterEffect: an error marked as following an effect never says the
// provider did not act; other errors pass through unchanged.
func TestAfterEffect(t *testing.T) {
	e := &httpapi.Error{Status: http.StatusServiceUnavailable, Transient: true}
	require.True(t, e.NotActed())
	err := httpapi.AfterEffect(fmt.Errorf("read back: %w", e))
	var got *httpapi.Error
	require.ErrorAs(t, err, &got)
	assert.False(t, got.NotActed())
	assert.True(t, got.Retryable(), "still retryable")
	plain := errors.New("plain")
	assert.Equal(t, plain, httpapi.AfterEffect(plain))
	assert.NoError(t, httpapi.AfterEffect(nil))
	var none *httpapi.Error
	assert.NotPanics(t, func() { _ = httpapi.AfterEffect(error(none)) }, "a nil *Error in an error")
}

// TestTokensAfterRevocation: many calls refused with the same revoked
// token make one fetch between them: a caller drops only the token its
// request carried, not one another caller fetched since, and every call
// then succeeds with the new token.
func TestTokensAfterRevocation(t *testing.T) {
	var fetches atomic.Int32
	tokens := &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		n := fetches.Add(1)
		return httpapi.NewSecret(fmt.Sprint("Bearer t", n)), time.Now().Add(time.Hour), nil
	}}
	_, err := tokens.Token(context.Background()) // "Bearer t1", about to be revoked
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t2" { // only the newest is honoured
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{}`)
	}))
	defer srv.Close()
	c := httpapi.New(httpapi.NewConfig(srv.URL, nil), httpapi.Provider{Name: "t",
		Authorize:   func(ctx context.Context, r *http.Request, _ httpapi.Request) error { return tokens.Authorize(ctx, r) },
		Reauthorize: tokens.DropRefused})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/"})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 2, fetches.Load(), "the first token and one more")

	// A caller waiting for another's fetch keeps its own deadline.
	release, inFetch := make(chan struct{}), make(chan struct{})
	slow := &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		close(inFetch)
		<-release
		return httpapi.NewSecret("t"), time.Now().Add(time.Hour), nil
	}}
	go func() { _, _ = slow.Token(context.Background()) }()
	<-inFetch
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = slow.Token(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	close(release)
}

// TestUnkeyedPostIsNotRetried: a POST without an idempotency key is sent
// once, whatever befalls it: a second one could make a second card. A GET
// is retried.
func TestUnkeyedPostIsNotRetried(t *testing.T) {
	srv, calls := dropping(t, 2)
	var waits []time.Duration
	_, err := client(srv, &waits).Do(context.Background(), httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`)})
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Retryable(), "the caller may retry, with a key")
	assert.EqualValues(t, 1, calls.Load(), "sent once")
	_, err = client(srv, &waits).Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/"})
	require.NoError(t, err)
	assert.EqualValues(t, 3, calls.Load())
}

// TestHostileAnswers: an error body's text is cut to a bound; a base URL
// that cannot be parsed is a final typed error that does not repeat the
// URL's digits; an answer longer than the client reads is no answer (a
// retryable error, not a cut body); 425 is retried, 501 and 505 are not;
// a Retry-After too large to parse is the longest wait.
func TestHostileAnswers(t *testing.T) {
	huge := strings.Repeat("x", 900<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			_, _ = w.Write(bytes.Repeat([]byte("a"), 2<<20))
			return
		case "/big404":
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(bytes.Repeat([]byte("a"), 2<<20))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"code":"E1","message":%q}`, huge)
	}))
	defer srv.Close()
	var waits []time.Duration
	_, err := client(srv, &waits).Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/"})
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	assert.LessOrEqual(t, len(e.Message), 1003)

	_, err = client(srv, &waits, httpapi.WithRetry(httpapi.Retry{Attempts: 1})).Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/big"})
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Retryable(), "%v", err)

	_, err = client(srv, &waits).Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/big404"})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusNotFound, e.Status, "a long error body keeps its status")
	assert.ErrorIs(t, err, httpapi.ErrNotFound)

	bad := httpapi.New(httpapi.NewConfig("http://exa\x7fmple", nil), httpapi.Provider{Name: "p"})
	_, err = bad.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/cards/4111111111111111"})
	require.ErrorAs(t, err, &e)
	assert.False(t, e.Retryable())
	assert.NotContains(t, err.Error(), "4111111111111111")

	assert.True(t, httpapi.StatusRetryable(http.StatusTooEarly))
	assert.False(t, httpapi.StatusRetryable(http.StatusNotImplemented))
	assert.False(t, httpapi.StatusRetryable(http.StatusHTTPVersionNotSupported))
	assert.Greater(t, httpapi.RetryAfter(http.Header{"Retry-After": {"99999999999999999999"}}, time.Now()), 24*time.Hour)
	assert.Zero(t, httpapi.RetryAfter(http.Header{"Retry-After": {"-99999999999999999999"}}, time.Now()))
}

// TestTokenExchangeNotRetriedTwice: a token exchange that fails makes its
// own attempts only; the call that needed the token does not multiply them.
func TestTokenExchangeNotRetriedTwice(t *testing.T) {
	var exchanges atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		exchanges.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	var waits []time.Duration
	var c *httpapi.Client
	tokens := &httpapi.Tokens{Now: time.Now, Fetch: func(ctx context.Context) (httpapi.Secret, time.Time, error) {
		_, err := c.Do(ctx, httpapi.Request{Op: "token", Method: http.MethodPost, Path: "/token", Exchange: true})
		return httpapi.Secret{}, time.Time{}, err
	}}
	cfg := httpapi.NewConfig(srv.URL, []httpapi.Option{
		httpapi.WithSleep(func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }),
		httpapi.WithRetry(httpapi.Retry{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}),
	})
	c = httpapi.New(cfg, httpapi.Provider{Name: "t", Authorize: func(ctx context.Context, r *http.Request, req httpapi.Request) error {
		if req.Exchange {
			return nil
		}
		return tokens.Authorize(ctx, r)
	}})
	_, err := c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/x"})
	require.Error(t, err)
	assert.EqualValues(t, 3, exchanges.Load(), "the exchange's three attempts, not three times three")
}

// TestAuthorizeFailures: a token exchange that fails after an attempt of
// the call whose answer was lost does not say the provider did not act;
// a context that ends while the call waits for a token is a typed,
// retryable error.
func TestAuthorizeFailures(t *testing.T) {
	srv, _ := dropping(t, 1)
	var waits []time.Duration
	authorized := 0
	cfg := httpapi.NewConfig(srv.URL, []httpapi.Option{
		httpapi.WithSleep(func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }),
		httpapi.WithRetry(httpapi.Retry{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}),
	})
	c := httpapi.New(cfg, httpapi.Provider{Name: "t", Authorize: func(context.Context, *http.Request, httpapi.Request) error {
		if authorized++; authorized == 1 {
			return nil
		}
		return &httpapi.Error{Provider: "t", Op: "token", Status: http.StatusServiceUnavailable, Transient: true}
	}})
	_, err := c.Do(context.Background(), httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/", Body: []byte(`{}`), Key: "k-1"})
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusServiceUnavailable, e.Status)
	assert.False(t, e.NotActed(), "the first attempt may have acted")

	waiting := httpapi.New(cfg, httpapi.Provider{Name: "t", Authorize: func(context.Context, *http.Request, httpapi.Request) error {
		return context.DeadlineExceeded
	}})
	_, err = waiting.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/"})
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Retryable())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestRequestAndResponseShowNoBody: a call's body may hold a card number a
// provider's document asks for, or a token exchange's secret; neither a
// Request nor a Response shows it (nor query or header values), through
// any fmt verb, slog handler or JSON, on its own or inside another value.
func TestRequestAndResponseShowNoBody(t *testing.T) {
	const pan, secret = "4242424242424242", "TOPSECRET"
	req := httpapi.Request{Op: "link", Method: http.MethodPost, Path: "/v1/external-cards/" + pan,
		Query: url.Values{"q": {pan}}, Body: []byte(`{"cardNumber":"` + pan + `","apiSecret":"` + secret + `"}`),
		Key: "k", Header: http.Header{"X-Echo": {pan}}}
	res := &httpapi.Response{Status: http.StatusCreated, Header: http.Header{"X-Echo": {secret}}, Body: req.Body}
	type holder struct {
		Req  httpapi.Request
		Res  *httpapi.Response
		List []httpapi.Request
		Map  map[string]*httpapi.Response
	}
	for name, v := range map[string]any{"request": req, "pointer to request": &req, "response": res,
		"inside": holder{Req: req, Res: res, List: []httpapi.Request{req}, Map: map[string]*httpapi.Response{"r": res}}} {
		shown := showtest.Renderings(t, v)
		for _, s := range shown {
			for _, hidden := range []string{pan, secret, hex.EncodeToString([]byte(pan)), strings.ToUpper(hex.EncodeToString([]byte(pan)))} {
				require.NotContains(t, s, hidden, "%s: %s", name, s)
			}
		}
	}
	assert.Equal(t, `httpapi.Request{Op: "link", Method: "POST", Path: "/v1/external-cards/[redacted]", Query: [q], Body: 57 bytes, Key: set, Header: [X-Echo]}`, fmt.Sprint(req))
	assert.Equal(t, `httpapi.Response{Status: 201, Header: [X-Echo], Body: 57 bytes}`, fmt.Sprint(res))
}

// TestPathNumbersAreNotShown: a path may name what a program put in it; the
// log line and the error of a call that got no answer never show a card
// number from it, nor does the error through any fmt verb, slog or JSON.
func TestPathNumbersAreNotShown(t *testing.T) {
	srv, _ := server(t)
	var logs bytes.Buffer
	var waits []time.Duration
	c := client(srv, &waits, httpapi.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	const pan = "4111111111111111"
	_, err := c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/cards/" + pan})
	require.NoError(t, err)
	srv.Close() // no answer from now on
	_, err = c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/cards/" + pan})
	var he *httpapi.Error
	require.ErrorAs(t, err, &he)
	require.NotNil(t, he.Err, "the transport's error is kept as the cause")
	assert.NotContains(t, logs.String(), pan)
	assert.Contains(t, logs.String(), `"path":"/cards/[redacted]"`)
	type holder struct{ Err *httpapi.Error }
	for _, v := range []any{err, he, holder{he}} {
		for _, s := range showtest.Renderings(t, v) {
			require.NotContains(t, s, pan)
		}
	}
}

// TestScrubEscapedNumbers reads percent-encoded text (a path or a query)
// as what it encodes: a card number whose separators were escaped is
// redacted too.
func TestScrubEscapedNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"/cards/4111%2F1111%2F1111%2F1111":       "/cards/[redacted]",
		"/cards/4111%201111%201111%201111/x":     "/cards/[redacted]/x",
		"/cards/4111%252F1111%252F1111%252F1111": "/cards/[redacted]",
		"?q=4111+1111+1111+1111":                 "?q=[redacted]",
		// Two numbers at two levels (found by a second review).
		"/cards/4111%2F1111%2F1111%2F1111?ref=5500%252F0000%252F0000%252F0004": "/cards/[redacted]?ref=[redacted]",
		"/cards/4111%2f1111%2F1111%2F1111":                                     "/cards/[redacted]",
		"/cards/abc%2Fdef%20100%":                                              "/cards/abc%2Fdef%20100%",
		"/cards/2026%2F01%2F01":                                                "/cards/2026%2F01%2F01",
		"%":                                                                    "%",
		"%4":                                                                   "%4",
	} {
		assert.Equal(t, want, httpapi.Scrub(in), in)
	}
}

// TestEchoedCredentialsAreRedacted answers with a message that echoes the
// call's Authorization header: the whole value, the token after its
// scheme, and a Basic pair's user and password are taken out of the error.
func TestEchoedCredentialsAreRedacted(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("key_0123456:sec_0123456"))
	for name, tt := range map[string]struct{ authorization, echo, secret string }{
		"bearer whole":  {"Bearer tok_0123456789", "got Bearer tok_0123456789", "tok_0123456789"},
		"bearer token":  {"Bearer tok_0123456789", "got tok_0123456789", "tok_0123456789"},
		"basic whole":   {basic, "got " + basic, basic[len("Basic "):]},
		"basic user":    {basic, "key key_0123456 refused", "key_0123456"},
		"basic secret":  {basic, "secret sec_0123456 refused", "sec_0123456"},
		"short is kept": {"Bearer k", "got k", ""},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(tt.echo))
			}))
			defer srv.Close()
			c := httpapi.New(httpapi.NewConfig(srv.URL, nil), httpapi.Provider{Name: "p",
				Authorize: func(_ context.Context, r *http.Request, _ httpapi.Request) error {
					r.Header.Set("Authorization", tt.authorization)
					return nil
				},
				DecodeError: func(e *httpapi.Error, _ http.Header, body []byte) { e.Message = string(body) }})
			_, err := c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/x"})
			require.Error(t, err)
			if tt.secret == "" {
				assert.Contains(t, err.Error(), tt.echo)
				return
			}
			assert.NotContains(t, err.Error(), tt.secret)
			assert.Contains(t, err.Error(), "[redacted]")
		})
	}
}

// TestTokenWaitersShareAFailedFetch has many callers wait on one token
// fetch that fails: they all get its error, from that one fetch, instead
// of each running its own after it (found by a review: 20 callers made 20
// fetches, each with its attempts). A waiter whose own context is alive
// fetches again when the fetch failed only because the fetching caller's
// context ended.
func TestTokenWaitersShareAFailedFetch(t *testing.T) {
	var fetches atomic.Int32
	release := make(chan struct{})
	down := &httpapi.Error{Provider: "p", Op: "token", Status: http.StatusServiceUnavailable, Transient: true}
	tok := &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		fetches.Add(1)
		<-release
		return httpapi.Secret{}, time.Time{}, down
	}}
	const callers = 20
	done := make(chan error, callers)
	for range callers {
		go func() {
			_, err := tok.Token(context.Background())
			done <- err
		}()
	}
	// One fetches; the others wait for it.
	require.Eventually(t, func() bool { return fetches.Load() == 1 && waitingForToken() == callers-1 }, 10*time.Second, time.Millisecond)
	close(release)
	for range callers {
		var e *httpapi.Error // each caller's own copy of the fetch's
		require.ErrorAs(t, <-done, &e)
		assert.Equal(t, *down, *e)
	}
	assert.Equal(t, int32(1), fetches.Load())

	// The fetching caller gives up: a waiter still in time fetches again.
	var n atomic.Int32
	gate := make(chan struct{})
	tok = &httpapi.Tokens{Now: time.Now, Fetch: func(ctx context.Context) (httpapi.Secret, time.Time, error) {
		if n.Add(1) == 1 {
			<-gate
			return httpapi.Secret{}, time.Time{}, ctx.Err()
		}
		return httpapi.NewSecret("Bearer t"), time.Now().Add(time.Hour), nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := tok.Token(ctx)
		first <- err
	}()
	require.Eventually(t, func() bool { return n.Load() == 1 }, 5*time.Second, time.Millisecond)
	second := make(chan httpapi.Secret, 1)
	go func() {
		s, err := tok.Token(context.Background())
		assert.NoError(t, err)
		second <- s
	}()
	require.Eventually(t, func() bool { return waitingForToken() == 1 }, 10*time.Second, time.Millisecond)
	cancel()
	close(gate)
	assert.ErrorIs(t, <-first, context.Canceled)
	assert.Equal(t, "Bearer t", (<-second).Reveal())
}

// waitingForToken is how many goroutines wait in Tokens.Token for another
// caller's fetch.
func waitingForToken() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[select") && strings.Contains(g, "httpapi.(*Tokens).Token(") {
			n++
		}
	}
	return n
}

// TestCallsThatCannotSucceedAreFinal are calls no later attempt can
// complete: a header net/http refuses to send (an API key read from a file
// with its line break), a base URL without a scheme, a certificate that
// does not verify. Each is a final error, sent once if at all, and the
// refused header is named, not shown (found by a review: each was retried
// with backoff and called retryable).
func TestCallsThatCannotSucceedAreFinal(t *testing.T) {
	var hits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer tlsSrv.Close()
	newline := func(_ context.Context, r *http.Request, _ httpapi.Request) error {
		r.Header["Authorization"] = []string{"Bearer sk_test_0123456789\n"}
		return nil
	}
	tests := []struct {
		name, base string
		authorize  func(context.Context, *http.Request, httpapi.Request) error
		field      string
	}{
		{"line break in a header", plain.URL, newline, "Authorization"},
		{"header name no token", plain.URL, func(_ context.Context, r *http.Request, _ httpapi.Request) error {
			r.Header["X-Clé"] = []string{"v"}
			return nil
		}, "a header name"},
		{"header name with (", plain.URL, func(_ context.Context, r *http.Request, _ httpapi.Request) error {
			r.Header["X-Key(1)"] = []string{"v"}
			return nil
		}, "a header name"},
		{"no scheme", "api.example.com/v0", nil, ""},
		{"untrusted certificate", tlsSrv.URL, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			var sleeps int
			c := httpapi.New(httpapi.NewConfig(tt.base, []httpapi.Option{httpapi.WithSleep(func(context.Context, time.Duration) error {
				sleeps++
				return nil
			})}), httpapi.Provider{Name: "p", Authorize: tt.authorize})
			_, err := c.Do(context.Background(), httpapi.Request{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: []byte(`{}`), Key: "key-1"})
			var e *httpapi.Error
			require.ErrorAs(t, err, &e)
			assert.False(t, e.Retryable(), "%v", err)
			assert.Zero(t, sleeps, "no second attempt")
			assert.Zero(t, hits.Load(), "nothing reached the handler")
			assert.Equal(t, tt.field, e.Field)
			assert.NotContains(t, err.Error(), "sk_test_0123456789")
		})
	}
}

// TestTokenWaitersShareATimedOutFetch has callers wait on a token fetch
// that the HTTP client's own timeout ends: a failure of the fetch, shared,
// not an end of the fetching caller's context, after which each waiter
// fetched again (found by a second review).
func TestTokenWaitersShareATimedOutFetch(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := httpapi.New(httpapi.NewConfig(srv.URL, []httpapi.Option{
		httpapi.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}), httpapi.WithRetry(httpapi.Retry{Attempts: 1})}), httpapi.Provider{Name: "p"})
	tok := &httpapi.Tokens{Now: time.Now, Fetch: func(ctx context.Context) (httpapi.Secret, time.Time, error) {
		_, err := c.Do(ctx, httpapi.Request{Op: "token", Method: http.MethodPost, Path: "/token", Exchange: true})
		return httpapi.Secret{}, time.Time{}, err
	}}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			_, err := tok.Token(context.Background())
			assert.Error(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), hits.Load())
}

// TestSharedTokenErrorIsEachCallersOwn has calls fail on one shared token
// fetch: each gets an *Error of its own, which its request loop marks
// without racing the others (found by a third review: -race), and which
// says what that call's own attempts did. A call whose earlier attempt
// reached the provider may have acted; one that never left did not.
func TestSharedTokenErrorIsEachCallersOwn(t *testing.T) {
	gate := make(chan struct{})
	var tok *httpapi.Tokens
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a" {
			tok.Drop()
			w.WriteHeader(http.StatusInternalServerError) // may have acted; retryable
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := httpapi.New(httpapi.NewConfig(srv.URL, []httpapi.Option{
		httpapi.WithSleep(func(context.Context, time.Duration) error { return nil }),
		httpapi.WithRetry(httpapi.Retry{Attempts: 2})}),
		httpapi.Provider{Name: "p", Authorize: func(ctx context.Context, r *http.Request, _ httpapi.Request) error {
			return tok.Authorize(ctx, r)
		}})
	tok = &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		if fetches.Add(1) == 1 {
			return httpapi.NewSecret("Bearer t1"), time.Now().Add(time.Hour), nil
		}
		<-gate
		return httpapi.Secret{}, time.Time{}, &httpapi.Error{Provider: "p", Op: "token", Status: http.StatusServiceUnavailable, Transient: true}
	}}
	errA := make(chan error, 1)
	go func() {
		_, err := c.Do(context.Background(), httpapi.Request{Op: "a", Method: http.MethodGet, Path: "/a"})
		errA <- err
	}()
	require.Eventually(t, func() bool { return fetches.Load() == 2 }, 10*time.Second, time.Millisecond) // A's second attempt fetches
	const others = 4
	errs := make(chan error, others)
	for range others {
		go func() {
			_, err := c.Do(context.Background(), httpapi.Request{Op: "b", Method: http.MethodGet, Path: "/b"})
			errs <- err
		}()
	}
	require.Eventually(t, func() bool { return waitingForToken() == others }, 10*time.Second, time.Millisecond)
	close(gate)
	var e *httpapi.Error
	require.ErrorAs(t, <-errA, &e)
	assert.False(t, e.NotActed(), "A's first attempt reached the provider")
	for range others {
		err := <-errs
		var b *httpapi.Error
		require.ErrorAs(t, err, &b)
		assert.True(t, b.NotActed(), "this call never reached the provider: %v", err)
		assert.NotSame(t, e, b)
	}
}

// TestWrappedFetchErrorKeepsEachCallsHistory has two calls share a token
// fetch that fails with a wrapped *Error (fmt.Errorf %w): the call that
// never left does not change the error of the one whose first attempt got
// a 500 (found by a fourth review: it turned its "may have acted" off).
func TestWrappedFetchErrorKeepsEachCallsHistory(t *testing.T) {
	gate, bGate := make(chan struct{}), make(chan struct{})
	var tok *httpapi.Tokens
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a" {
			tok.Drop()
			w.WriteHeader(http.StatusInternalServerError) // may have acted
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := httpapi.New(httpapi.NewConfig(srv.URL, []httpapi.Option{
		httpapi.WithSleep(func(context.Context, time.Duration) error { return nil }),
		httpapi.WithRetry(httpapi.Retry{Attempts: 2})}),
		httpapi.Provider{Name: "p", Authorize: func(ctx context.Context, r *http.Request, req httpapi.Request) error {
			err := tok.Authorize(ctx, r)
			if req.Op == "b" && err != nil {
				<-bGate
			}
			return err
		}})
	tok = &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		if fetches.Add(1) == 1 {
			return httpapi.NewSecret("Bearer t1"), time.Now().Add(time.Hour), nil
		}
		<-gate
		return httpapi.Secret{}, time.Time{}, fmt.Errorf("token: %w", &httpapi.Error{Provider: "p", Op: "token", Status: http.StatusServiceUnavailable, Transient: true})
	}}
	errA, errB := make(chan error, 1), make(chan error, 1)
	go func() {
		_, err := c.Do(context.Background(), httpapi.Request{Op: "a", Method: http.MethodGet, Path: "/a"})
		errA <- err
	}()
	require.Eventually(t, func() bool { return fetches.Load() == 2 }, 10*time.Second, time.Millisecond)
	go func() {
		_, err := c.Do(context.Background(), httpapi.Request{Op: "b", Method: http.MethodGet, Path: "/b"})
		errB <- err
	}()
	require.Eventually(t, func() bool { return waitingForToken() == 1 }, 10*time.Second, time.Millisecond)
	close(gate)
	a := <-errA
	var ea interface{ NotActed() bool }
	require.ErrorAs(t, a, &ea)
	require.False(t, ea.NotActed(), "A's first attempt got a 500")
	close(bGate)
	<-errB
	require.False(t, ea.NotActed(), "A's error changed after B returned: %v", a)
}

// TestResentThen401ThenRefusedMayHaveActed: a 401 answered to a request
// net/http resent on a new connection (its first write went out on a
// reused connection that dropped) may follow the first write's effect;
// after the reauthorization, the next attempt's 503 must not say the
// provider did not act (found by a fourth review).
func TestResentThen401ThenRefusedMayHaveActed(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/warm" {
			w.WriteHeader(http.StatusOK)
			return
		}
		switch hits.Add(1) {
		case 1: // read, maybe acted on, connection lost before the answer
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		case 2:
			w.WriteHeader(http.StatusUnauthorized)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	c := httpapi.New(httpapi.NewConfig(srv.URL, []httpapi.Option{
		httpapi.WithHTTPClient(srv.Client()),
		httpapi.WithSleep(func(context.Context, time.Duration) error { return nil }),
		httpapi.WithRetry(httpapi.Retry{Attempts: 1})}),
		httpapi.Provider{Name: "p",
			Authorize: func(ctx context.Context, r *http.Request, _ httpapi.Request) error {
				r.Header.Set("Authorization", "Bearer tokentoken")
				return nil
			},
			Reauthorize: func(string) {}})
	_, err := c.Do(context.Background(), httpapi.Request{Op: "warm", Method: http.MethodGet, Path: "/warm"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), httpapi.Request{Op: "x", Method: http.MethodPost, Path: "/x", Body: []byte(`{}`), Key: "k1"})
	require.Equal(t, int32(3), hits.Load(), "the first write, its resend (401), the reauthorized attempt (503)")
	var e *httpapi.Error
	require.ErrorAs(t, err, &e)
	require.False(t, e.NotActed(), "the first write reached the provider before the resend: %v", err)
}

// TestTokenErrorKeepsItsText: a Fetch's error reaches the caller as it was
// (found by a fourth review: copies rebuilt a multi-%w error as a Join).
func TestTokenErrorKeepsItsText(t *testing.T) {
	cause := &httpapi.Error{Provider: "p", Op: "token", Status: http.StatusServiceUnavailable, Transient: true}
	fetchErr := fmt.Errorf("p token exchange (%w): %w", context.DeadlineExceeded, cause)
	tok := &httpapi.Tokens{Now: time.Now, Fetch: func(context.Context) (httpapi.Secret, time.Time, error) {
		return httpapi.Secret{}, time.Time{}, fetchErr
	}}
	_, err := tok.Token(context.Background())
	require.Equal(t, fetchErr.Error(), err.Error())
}

// TestSharedTransportErrorIsNotWritten has callers share a token fetch that
// fails with net/http's own error (a *url.Error, its client's timeout):
// no caller writes it (found by a fifth review: each scrubbed its URL in
// place, a data race).
func TestSharedTransportErrorIsNotWritten(t *testing.T) {
	hang := make(chan struct{})
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-hang
	}))
	defer tokenSrv.Close()
	defer close(hang)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer api.Close()

	const callers = 4
	hc := &http.Client{Timeout: 50 * time.Millisecond}
	tok := &httpapi.Tokens{Now: time.Now, Fetch: func(ctx context.Context) (httpapi.Secret, time.Time, error) {
		for waitingForToken() < callers-1 {
			time.Sleep(time.Millisecond)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, tokenSrv.URL+"/token", nil)
		res, err := hc.Do(req) // net/http's own timeout: a *url.Error
		if err == nil {
			res.Body.Close()
		}
		return httpapi.Secret{}, time.Time{}, err
	}}
	c := httpapi.New(httpapi.NewConfig(api.URL, nil), httpapi.Provider{Name: "p",
		Authorize: func(ctx context.Context, r *http.Request, _ httpapi.Request) error { return tok.Authorize(ctx, r) }})
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Do(context.Background(), httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/x"})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.Error(t, err)
	}
}

// TestKeyWithSpaceAtAnEndIsFinal: HTTP drops a space or tab at either end
// of a header, so the provider would get another key, or none: the call
// is refused, final, before anything is sent.
func TestKeyWithSpaceAtAnEndIsFinal(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := httpapi.New(httpapi.NewConfig(srv.URL, nil), httpapi.Provider{Name: "p"})
	for _, key := range []string{"   ", " key-1", "key-1\t"} {
		for _, req := range []httpapi.Request{
			{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: []byte(`{}`), Key: key},
			// Set as a header, as the loop also takes it, its name in
			// any case (found by reviews).
			{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: []byte(`{}`), Header: http.Header{httpapi.HeaderIdempotencyKey: {key}}},
			{Op: "issue", Method: http.MethodPost, Path: "/cards", Body: []byte(`{}`), Header: http.Header{"idempotency-key": {key}}},
		} {
			_, err := c.Do(context.Background(), req)
			var e *httpapi.Error
			require.ErrorAs(t, err, &e, "%q", key)
			assert.Equal(t, httpapi.HeaderIdempotencyKey, e.Field)
			assert.False(t, e.Retryable())
		}
	}
	assert.Zero(t, hits.Load())
}
