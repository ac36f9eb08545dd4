// Package httpapi is what cardkit's four provider clients (synctera, solid,
// rocketkor, offblocks) share: the options they are built with, the
// redacted Secret their credentials live in, the typed *Error every
// provider error body becomes, and one request loop that sends a call,
// reads the answer, and retries what may be retried with capped exponential
// backoff and jitter, always with the same idempotency key, for as long as
// the context allows.
//
// It knows no provider: each client gives it a way to authorise a request
// (a bearer token, API-key headers, a signature) and a way to read its
// provider's error body.
package httpapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/cardkit/cardkit/adapters/internal/httpbody"
)

// Config is what a client is built with; Options set it.
type Config struct {
	// BaseURL is the provider's API root, such as
	// "https://api-sandbox.synctera.com/v0". Each client has a documented
	// default where the provider documents one.
	BaseURL string
	// HTTPClient sends the requests (default: a client with a 30 s
	// timeout).
	HTTPClient *http.Client
	// Now is the clock: token expiry and signature creation times.
	Now func() time.Time
	// Sleep waits between attempts, or returns the context's error when it
	// ends first. Tests replace it so that they do not wait.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger, if set, gets one record per attempt: method, path, status,
	// duration. Never a header value, never a body.
	Logger *slog.Logger
	// Retry bounds the retries of retryable failures.
	Retry Retry
	// Simulator makes a client drive its provider's sandbox simulator
	// where the provider has one (OffBlocks): a card it issues is finished
	// at once, as it would be by hand in the sandbox. Never in production.
	Simulator bool
}

// Retry is the retry policy: at most Attempts tries in all, waiting Base,
// 2×Base, 4×Base ... capped at Max between them, each wait drawn at random
// from its upper half (jitter, so that clients do not retry in step), and
// never less than a Retry-After the provider asked for. A Retry-After
// longer than Patience (one minute when zero) is not waited for: the
// error, still retryable and carrying the Retry-After, goes back to the
// caller at once, so that a provider cannot hold a call for hours.
type Retry struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
	Patience time.Duration
}

// patience is the longest Retry-After r waits for.
func (r Retry) patience() time.Duration {
	if r.Patience <= 0 {
		return time.Minute
	}
	return r.Patience
}

// DefaultRetry is the policy a client has unless told otherwise: four
// attempts, waits from 200 ms up to 5 s, a Retry-After of up to a minute.
func DefaultRetry() Retry {
	return Retry{Attempts: 4, Base: 200 * time.Millisecond, Max: 5 * time.Second}
}

// Option configures a client.
type Option func(*Config)

// WithBaseURL sets the API root (scheme, host and any path prefix).
func WithBaseURL(u string) Option { return func(c *Config) { c.BaseURL = u } }

// WithHTTPClient sets the *http.Client that sends the requests. The client
// uses a copy of it that follows no redirect (see NewConfig).
func WithHTTPClient(h *http.Client) Option { return func(c *Config) { c.HTTPClient = h } }

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *Config) { c.Now = now } }

// WithSleep sets how the client waits between attempts (default: a timer
// that stops when the context ends).
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Config) { c.Sleep = sleep }
}

// WithLogger sets a logger for one record per attempt.
func WithLogger(l *slog.Logger) Option { return func(c *Config) { c.Logger = l } }

// WithRetry sets the retry policy; Attempts 1 turns retries off.
func WithRetry(r Retry) Option { return func(c *Config) { c.Retry = r } }

// WithSandboxSimulator makes the client drive the provider's sandbox
// simulator (see Config.Simulator).
func WithSandboxSimulator() Option { return func(c *Config) { c.Simulator = true } }

// NewConfig applies opts over the defaults; nil options are skipped.
func NewConfig(defaultBaseURL string, opts []Option) Config {
	c := Config{BaseURL: defaultBaseURL, Now: time.Now, Sleep: sleep, Retry: DefaultRetry()}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	// A provider's API answers in place. Followed, a redirect would take
	// the credentials to another host (net/http drops Authorization there,
	// not Solid's sd-api-key), resend a keyed or signed call elsewhere, or
	// turn a POST into a GET. So the client is copied, its Transport and
	// connections shared, and never follows one: a 3xx is the answer, a
	// final *Error.
	hc := *c.HTTPClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.HTTPClient = &hc
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Retry.Attempts < 1 {
		c.Retry.Attempts = 1
	}
	return c
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Backoff is the wait before attempt n+1 after n failed ones (n ≥ 1): the
// capped exponential step, drawn from its upper half.
func (r Retry) Backoff(n int) time.Duration {
	ceiling := r.Max
	if ceiling <= 0 {
		ceiling = r.Base << 5 // no Max: the sixth step caps the rest
	}
	d := r.Base << (max(n, 1) - 1)
	if d > ceiling || d <= 0 {
		d = ceiling
	}
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// HeaderIdempotencyKey is the header every provider cardkit speaks to
// reads the idempotency key from.
const HeaderIdempotencyKey = "Idempotency-Key"

// Request is one call.
type Request struct {
	Op     string // the client's operation, for errors and logs
	Method string
	Path   string // below the base URL, such as "/cards/abc"
	Query  url.Values
	Body   []byte // JSON; nil for none; sent as is on every attempt
	// Key, if set, is sent as the Idempotency-Key header on every
	// attempt.
	Key    string
	Header http.Header // more headers
	// NoRetry sends the call once: for a call that is not idempotent at
	// the provider.
	NoRetry bool
	// Exchange marks the call that obtains a token: a 401 to it is final,
	// not a reason to fetch a token again.
	Exchange bool
}

// Response is a provider's successful answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Provider is what a client tells the request loop about its provider.
type Provider struct {
	Name string
	// Authorize sets the credentials on r (a header, a signature); req is
	// the call r sends: its body, for a digest, and whether it is the token
	// exchange, which carries no token.
	Authorize func(ctx context.Context, r *http.Request, req Request) error
	// Reauthorize, if set, is called after a 401 with the refused request's
	// Authorization header; it drops a cached token if it is that one, and
	// the call is sent once more.
	Reauthorize func(authorization string)
	// DecodeError reads the provider's error body into e, which holds the
	// status, the provider and the op already; it sets Code, Message,
	// Field, and Transient where the provider's code says more than the
	// status.
	DecodeError func(e *Error, h http.Header, body []byte)
	// SecretHeaders are the canonical names of the request headers that
	// carry credentials, besides Authorization: a provider that echoes one
	// in its error body has it taken out of the *Error.
	SecretHeaders []string
	// Secrets, if set, returns the credentials sent other than in headers
	// (in a token exchange's body), to be taken out of an *Error the same
	// way.
	Secrets func() []string
}

// Client sends requests to one provider.
type Client struct {
	cfg Config
	p   Provider
}

// New makes a request loop for provider p.
func New(cfg Config, p Provider) *Client { return &Client{cfg: cfg, p: p} }

// Config is the configuration the client was built with.
func (c *Client) Config() Config { return c.cfg }

// maxBody bounds what is read of an answer: a card is a few kilobytes.
const maxBody = 1 << 20

// Do sends req and returns the 2xx answer, or an *Error. A retryable
// failure is sent again, with the same body and headers (so the same
// idempotency key), after a backoff, while attempts remain and ctx lasts;
// when ctx ends, the last error is returned joined with ctx's. A POST or
// PATCH without an idempotency key is sent once: a second could act twice.
func (c *Client) Do(ctx context.Context, req Request) (Response, error) {
	attempts := c.cfg.Retry.Attempts
	if req.NoRetry || !req.keyed() && !req.Exchange && !idempotent(req.Method) {
		// Without a key, a second POST may make a second card.
		attempts = 1
	}
	reauthorized := false
	acted := false // an attempt so far may have taken effect
	for n := 1; ; n++ {
		resp, err := c.once(ctx, req)
		if err == nil {
			return resp, nil
		}
		if af, ok := err.(authFailed); ok {
			// A token exchange made its own attempts: not retried again.
			var e *Error
			switch {
			case errors.As(af.err, &e) && e != nil:
				return Response{}, ownCopy(af.err, e, acted)
			case errors.Is(af.err, context.Canceled), errors.Is(af.err, context.DeadlineExceeded):
				// Wrapped, not written (fail scrubs a *url.Error in place):
				// the callers of one token fetch share its error.
				return Response{}, &Error{Provider: c.p.Name, Op: req.Op, Err: af.err, Transient: true}
			}
			return Response{}, af.err
		}
		var e *Error
		if !errors.As(err, &e) {
			return Response{}, err
		}
		e.earlier = e.earlier || acted
		// A 401 refused the call, but a request net/http resent before it
		// (earlier) may have acted.
		acted = e.earlier || !e.NotActed() && e.Status != http.StatusUnauthorized
		if e.Status == http.StatusUnauthorized && c.p.Reauthorize != nil && !reauthorized && !req.Exchange {
			// A token the provider no longer honours: fetch a new one and
			// try once more, whatever the retry budget.
			reauthorized = true
			c.p.Reauthorize(e.authorization.Reveal())
			n--
			continue
		}
		if !e.Transient || n >= attempts || e.RetryAfter > c.cfg.Retry.patience() {
			return Response{}, e
		}
		wait := max(c.cfg.Retry.Backoff(n), e.RetryAfter)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return Response{}, errors.Join(e, err)
		}
	}
}

// ownCopy is err, an Authorize failure whose *Error is e, as this call's
// own: e is never written, since the callers that waited for one token
// fetch share it; a copy marked with this call's history is. The call's
// request was not sent this time, so what may have acted is its earlier
// attempts (acted), not the token exchange's. err keeps its text, and its
// chain for errors.Is; errors.As finds the copy first.
func ownCopy(err error, e *Error, acted bool) error {
	c := *e
	c.earlier = acted
	if err == error(e) {
		return &c
	}
	return owned{own: &c, err: err}
}

// owned is an error err whose *Error this call has its own copy of.
type owned struct {
	own *Error
	err error
}

func (o owned) Error() string   { return o.err.Error() }
func (o owned) Unwrap() []error { return []error{o.own, o.err} }

// authFailed is an error of the provider's Authorize: a token exchange
// that already made its own attempts, not to be retried again.
type authFailed struct{ err error }

func (a authFailed) Error() string { return a.err.Error() }
func (a authFailed) Unwrap() error { return a.err }

// maxText bounds each text taken from a provider's error body.
const maxText = 1000

// clip cuts s to maxText bytes, at a character's start, marking the cut.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	i := maxText
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// keyed reports whether req carries an idempotency key, as Key or as a
// header.
func (req Request) keyed() bool {
	return req.Key != "" || req.Header.Get(HeaderIdempotencyKey) != ""
}

// idempotent reports whether repeating a request of method has no further
// effect (RFC 9110, 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// once sends req one time.
func (c *Client) once(ctx context.Context, req Request) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, c.fail(req, 0, err)
	}
	u := c.cfg.BaseURL + req.Path
	if len(req.Query) > 0 {
		u += "?" + req.Query.Encode()
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	// net/http resends a request it deems idempotent (a GET, one with an
	// idempotency key), unseen, when a reused connection drops before the
	// answer: the writes are counted, so that a refusal after a resend, or
	// a resend that finds no connection, is not taken for the provider not
	// acting.
	var writes atomic.Int32
	rctx := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { writes.Add(1) }})
	r, err := http.NewRequestWithContext(rctx, req.Method, u, body)
	if err != nil {
		// A bad base URL or path: final, and said without the URL's text
		// in the clear, which may carry an id or a number.
		return Response{}, &Error{Provider: c.p.Name, Op: req.Op, Message: clip(Scrub(err.Error()))}
	}
	if r.URL.Scheme != "http" && r.URL.Scheme != "https" || r.URL.Host == "" {
		// net/http refuses it at every attempt.
		return Response{}, &Error{Provider: c.p.Name, Op: req.Op, Message: "the base URL needs an http or https scheme and a host"}
	}
	// The header map is made at its final size, and the fixed values
	// share one backing array (each a full slice, so that an Add
	// elsewhere copies instead of writing into its neighbour).
	r.Header = make(http.Header, len(req.Header)+5)
	for k, vs := range req.Header {
		r.Header[k] = vs
	}
	vals := [...]string{"application/json", "application/json", req.Key}
	r.Header["Accept"] = vals[0:1:1]
	if req.Body != nil {
		r.Header["Content-Type"] = vals[1:2:2]
	}
	if req.Key != "" {
		r.Header[HeaderIdempotencyKey] = vals[2:3:3]
	}
	if c.p.Authorize != nil {
		if err := c.p.Authorize(ctx, r, req); err != nil {
			return Response{}, authFailed{err}
		}
	}
	if field, why := badHeader(r.Header); field != "" {
		// Refused at every attempt, or sent as another key: final.
		return Response{}, &Error{Provider: c.p.Name, Op: req.Op, Field: field, Message: why}
	}
	var start time.Time
	if c.cfg.Logger != nil {
		start = c.cfg.Now()
	}
	res, err := c.cfg.HTTPClient.Do(r)
	if err != nil {
		c.log(ctx, req, r.URL, 0, start)
		e := c.fail(req, 0, err)
		// No connection was made, and nothing written on an earlier one
		// that the transport then resent from.
		e.unsent = writes.Load() == 0 && neverConnected(err)
		return Response{}, e
	}
	defer res.Body.Close()
	ok := res.StatusCode >= 200 && res.StatusCode < 300
	b, err := httpbody.Read(res.Body, res.ContentLength, maxBody+1)
	switch {
	case err == nil && len(b) > maxBody && ok:
		// An answer cut to fit is not the answer: as good as none.
		err = fmt.Errorf("the answer is longer than %d bytes", maxBody)
	case err == nil && len(b) > maxBody:
		b = b[:maxBody] // an error body: its status says what matters
	}
	c.log(ctx, req, r.URL, res.StatusCode, start)
	if err != nil {
		// The answer was cut: the call may have taken effect.
		return Response{}, c.fail(req, 0, err)
	}
	if ok {
		return Response{Status: res.StatusCode, Header: res.Header, Body: b}, nil
	}
	e := &Error{Provider: c.p.Name, Op: req.Op, Status: res.StatusCode,
		Transient: StatusRetryable(res.StatusCode), RetryAfter: RetryAfter(res.Header, c.cfg.Now()), earlier: writes.Load() > 1}
	if res.StatusCode == http.StatusUnauthorized {
		e.authorization = NewSecret(r.Header.Get("Authorization"))
	}
	if c.p.DecodeError != nil {
		c.p.DecodeError(e, res.Header, b)
	}
	// Every text taken from the body is scrubbed: a provider may echo a
	// value in its code or field path as well as in its message, the
	// call's own credentials among them.
	secrets := c.secrets(r)
	scrub := func(s string) string { return clip(Scrub(unecho(s, secrets))) }
	e.Code, e.Field, e.Message, e.RequestID = scrub(e.Code), scrub(e.Field), scrub(e.Message), scrub(e.RequestID)
	return Response{}, e
}

// minSecret is the shortest credential taken out of an error's text: a
// shorter one (a test's "k") would take out every such word.
const minSecret = 8

// secrets are the credentials r carries, as a provider might echo them:
// each value of its Authorization and SecretHeaders headers, the token
// after an auth scheme, and a Basic pair's user and password.
func (c *Client) secrets(r *http.Request) []string {
	var out []string
	add := func(s string) {
		if len(s) >= minSecret {
			out = append(out, s)
		}
	}
	if c.p.Secrets != nil {
		for _, s := range c.p.Secrets() {
			add(s)
		}
	}
	for _, name := range append([]string{"Authorization"}, c.p.SecretHeaders...) {
		for _, v := range r.Header[name] {
			add(v)
			scheme, token, ok := strings.Cut(v, " ")
			if !ok {
				continue
			}
			add(token)
			if strings.EqualFold(scheme, "Basic") {
				if pair, err := base64.StdEncoding.DecodeString(token); err == nil {
					user, pass, _ := strings.Cut(string(pair), ":")
					add(user)
					add(pass)
				}
			}
		}
	}
	// Longest first: a token is taken out whole before a part of it.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// unecho is s with each of secrets in it as "[redacted]".
func unecho(s string, secrets []string) string {
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, "[redacted]")
	}
	return s
}

// fail wraps a transport error: no answer, or half of one. Both may be
// retried, the idempotency key making the retry safe; a context that ended
// stays recognisable with errors.Is.
func (c *Client) fail(req Request, status int, err error) *Error {
	var u *url.Error
	if errors.As(err, &u) {
		// net/http's error names the URL, whose path may carry an id that
		// is a card number: scrubbed in the error itself, not only in
		// Error's text, since a caller may unwrap it.
		u.URL = Scrub(u.URL)
	}
	// A certificate that does not verify will not verify on the next
	// attempt either.
	var cert *tls.CertificateVerificationError
	return &Error{Provider: c.p.Name, Op: req.Op, Status: status, Err: err, Transient: !errors.As(err, &cert)}
}

// tokenChar reports whether c may be in an HTTP token (RFC 9110, 5.6.2),
// which a header name is.
func tokenChar(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", c)
}

// badHeader names the first header of h that cannot go out as it is, and
// says why, never showing its value; "" if there is none. net/http refuses
// a name that is no HTTP token and a value with a control character but a
// tab (a key read from a file with its line break, say). And HTTP drops a
// space or tab at either end of a value: an idempotency key (under any
// spelling of its header's name) would reach the provider as another key,
// or none, and a resent call could act twice.
func badHeader(h http.Header) (field, why string) {
	const refused = "the header holds a character HTTP does not allow"
	for name, vs := range h {
		if name == "" || strings.IndexFunc(name, func(r rune) bool { return !tokenChar(r) }) >= 0 {
			return "a header name", refused
		}
		key := strings.EqualFold(name, HeaderIdempotencyKey)
		for _, v := range vs {
			if key && strings.Trim(v, " \t") != v {
				return HeaderIdempotencyKey, "the key has a space or tab at an end"
			}
			for i := 0; i < len(v); i++ {
				if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
					return name, refused
				}
			}
		}
	}
	return "", ""
}

// neverConnected reports whether err says that no connection to the
// provider was made: its name did not resolve, or the dial failed
// (refused, unreachable, timed out). A request that fails so was not sent.
func neverConnected(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) log(ctx context.Context, req Request, u *url.URL, status int, start time.Time) {
	if c.cfg.Logger == nil {
		return
	}
	c.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "http",
		slog.String("provider", c.p.Name), slog.String("op", req.Op),
		slog.String("method", req.Method), slog.String("path", Scrub(u.EscapedPath())),
		slog.Int("status", status), slog.Duration("took", c.cfg.Now().Sub(start)))
}

// ErrorFor is the *Error for an answer the client cannot use: a 2xx whose
// body does not decode, or a call the client refused to send.
func (c *Client) ErrorFor(op string, status int, err error) *Error {
	e := &Error{Provider: c.p.Name, Op: op, Status: status, Err: err}
	if err != nil {
		e.Message = Scrub(err.Error())
	}
	return e
}
