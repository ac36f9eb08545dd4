package fake_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha512"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// benchCase is one provider's client against its fake, and the body and
// answer of its issue call for the floor.
type benchCase struct {
	name   string
	client provider
	card   func() card.Card
	body   []byte // the issue request as the client sends it
	answer []byte // the fake's answer to it
	crypto *cryptoTimes
}

// cryptoTimes add up the time the ECDSA signatures inside each call take
// (OffBlocks'), on the client's side and on the fake's; nil where none is
// made.
type cryptoTimes struct{ sign, verify atomic.Int64 }

// benchHarness makes one provider's client and fake.
type benchHarness struct {
	name string
	make func(t testing.TB, realECDSA bool) (harness, *cryptoTimes)
}

// benchHarnesses are the providers in the order the benchmarks run them.
func benchHarnesses() []benchHarness {
	untimed := func(make func(testing.TB) harness) func(testing.TB, bool) (harness, *cryptoTimes) {
		return func(t testing.TB, _ bool) (harness, *cryptoTimes) { return make(t), nil }
	}
	return []benchHarness{{synctera.Name, untimed(syncteraHarness)}, {solid.Name, untimed(solidHarness)},
		{rocketkor.Name, untimed(rocketkorHarness)}, {offblocks.Name, offblocksBenchHarness}}
}

// eachBenchCase runs bench once per provider with a fresh client and fake,
// made again for every run of the benchmark (-count), off the clock: each
// run starts from an empty fake instead of one holding the cards of the
// runs before it, which made later runs slower than the first. OffBlocks'
// signs and verifies with ECDSA if realECDSA, else with the ECDSA step
// stubbed (see offblocksBenchHarness).
func eachBenchCase(b *testing.B, realECDSA bool, bench func(b *testing.B, bc benchCase)) {
	for _, p := range benchHarnesses() {
		b.Run(p.name, func(b *testing.B) {
			h, times := p.make(b, realECDSA)
			c := h.newCard()
			body := issueBody(b, h.name, c)
			issued, err := h.client.IssueCard(context.Background(), uuid.NewString(), c)
			require.NoError(b, err, "the call succeeds once before it is timed")
			bench(b, benchCase{name: h.name, client: h.client, card: h.newCard, body: body, answer: encode(b, h.name, issued), crypto: times})
		})
	}
}

// offblocksBenchHarness is OffBlocks without the simulator: one request
// per issue, like the others. With realECDSA its client signs, and its
// fake verifies, through timers of the ECDSA operations themselves.
// Without, the ECDSA step alone is stubbed on both sides: the client
// sends one fixed signature and the fake takes any signature as valid;
// the rest (the Content-Digest, the signature base, the headers written,
// parsed and checked) is done as ever. That is the call with OffBlocks'
// signing cost left out, which BenchmarkOffBlocksSign and
// BenchmarkOffBlocksVerify report. (Subtracting the timed ECDSA from a
// real call leaves in what its millisecond of work does to the caches:
// 0.7 more of ratio than the stubbed call.)
func offblocksBenchHarness(t testing.TB, realECDSA bool) (harness, *cryptoTimes) {
	ob := newOffBlocks(t, fake.WithClock(func() time.Time { return t0 }))
	var times *cryptoTimes
	var signer crypto.Signer
	if realECDSA {
		times = &cryptoTimes{}
		ob.fake.TimeVerifications(&times.verify)
		signer = timedSigner{ob.key, &times.sign}
	} else {
		ob.fake.AcceptAnySignature()
		signer = stubSigner(t, ob.key)
	}
	srv := serve(t, ob.fake)
	creds := ob.creds
	var err error
	creds.SigningKey, err = offblocks.NewSigner(signer)
	require.NoError(t, err)
	c, err := offblocks.NewClient(creds, options(srv, "", &waits{})...)
	require.NoError(t, err)
	h := offblocksHarness(t)
	h.client, h.fake = c, ob.fake
	return h, times
}

// timedSigner is a crypto.Signer that adds the time each signature takes
// to total.
type timedSigner struct {
	crypto.Signer
	total *atomic.Int64
}

func (s timedSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	start := time.Now()
	sig, err := s.Signer.Sign(rand, digest, opts)
	s.total.Add(int64(time.Since(start)))
	return sig, err
}

// fixedSigner is a crypto.Signer that answers every digest with one
// signature, made once by the key: the ECDSA step stubbed.
type fixedSigner struct {
	crypto.Signer
	sig []byte
}

func (s fixedSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) { return s.sig, nil }

// stubSigner is key as a fixedSigner.
func stubSigner(t testing.TB, key crypto.Signer) crypto.Signer {
	digest := sha512.Sum384([]byte("stub"))
	sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA384)
	require.NoError(t, err)
	return fixedSigner{key, sig}
}

func issueBody(b testing.TB, name string, c card.Card) []byte {
	var body []byte
	var err error
	switch name {
	case synctera.Name:
		body, err = synctera.EncodeCardRequest(&c, nil)
	case solid.Name:
		body, err = solid.EncodeCardRequest(&c, nil)
	case rocketkor.Name:
		yes := true
		body, err = rocketkor.EncodeIssueRequest(&c, &rocketkor.Residue{Terms: rocketkor.Terms{Solution: "card-issuing", StartingNumber: "412345",
			UsCitizen: &yes, AcceptedTermsDate: "2026-11-01", ReadPrivacyPolicyDate: "2026-11-01", AcceptedAgreement: &yes}})
	case offblocks.Name:
		body, err = offblocks.EncodeCardRequest(&c, nil)
	}
	require.NoError(b, err)
	return body
}

func encode(b testing.TB, name string, c card.Card) []byte {
	var out []byte
	var err error
	switch name {
	case synctera.Name:
		out, err = synctera.EncodeCard(&c, nil)
	case solid.Name:
		out, err = solid.EncodeCard(&c, nil)
	case rocketkor.Name:
		out, err = rocketkor.EncodeCard(&c, nil)
	case offblocks.Name:
		out, err = offblocks.EncodeCard(&c, nil)
	}
	require.NoError(b, err)
	return out
}

// BenchmarkClientIssue issues a card through each client against its fake
// over loopback: encoding, authentication (OffBlocks' signature and
// digest), the round trip, the fake's checks and idempotency record, and
// decoding. For OffBlocks it also reports the time its ECDSA signing
// (sign-ns/op: the signer's own call) and verification (verify-ns/op: the
// hash of the signature base and the ECDSA check) took inside those calls,
// and the time without them (unsigned-ns/op). The ratio to the floor is
// BenchmarkClientVsFloor's, which stubs the ECDSA step instead.
func BenchmarkClientIssue(b *testing.B) {
	eachBenchCase(b, true, func(b *testing.B, bc benchCase) {
		ctx := context.Background()
		if bc.crypto != nil {
			bc.crypto.sign.Store(0)
			bc.crypto.verify.Store(0)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bc.client.IssueCard(ctx, uuid.NewString(), bc.card()); err != nil {
				b.Fatal(err)
			}
		}
		if bc.crypto != nil {
			n := float64(b.N)
			sign, verify := float64(bc.crypto.sign.Load())/n, float64(bc.crypto.verify.Load())/n
			b.ReportMetric(sign, "sign-ns/op")
			b.ReportMetric(verify, "verify-ns/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n-sign-verify, "unsigned-ns/op")
		}
	})
}

// BenchmarkClientOnly is BenchmarkClientIssue against the floor's handler
// (the fake's answer as fixed bytes, and a token for the token calls): what
// the client adds to the floor, without the fake's own checks and records
// (nor OffBlocks' signature verification, which is the server's).
func BenchmarkClientOnly(b *testing.B) {
	eachBenchCase(b, true, func(b *testing.B, bc benchCase) {
		srv := fixed(bc.answer)
		defer srv.Close()
		c := clientOf(b, bc.name, srv, false)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.IssueCard(ctx, uuid.NewString(), bc.card()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// fixed answers every call with answer, and the token calls with a token.
func fixed(answer []byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case rocketkor.TokenPath:
			_, _ = w.Write([]byte(`{"access_token":"t","expires_in":3600}`))
			return
		case offblocks.TokenPath:
			_, _ = w.Write([]byte(`{"token":"t","expiresAt":4102444800,"tokenType":"Bearer"}`))
			return
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(answer)
	}))
}

// clientOf is the named provider's client of srv. OffBlocks' client signs
// with ECDSA, or with that step stubbed if stubECDSA (see
// offblocksBenchHarness).
func clientOf(b testing.TB, name string, srv *httptest.Server, stubECDSA bool, more ...httpapi.Option) provider {
	opts := append([]httpapi.Option{httpapi.WithBaseURL(srv.URL), httpapi.WithHTTPClient(srv.Client()), httpapi.WithClock(func() time.Time { return t0 })}, more...)
	var c provider
	var err error
	switch name {
	case synctera.Name:
		c, err = synctera.NewClient(synctera.Credentials{APIKey: httpapi.NewSecret("k")}, opts...)
	case solid.Name:
		c, err = solid.NewClient(solid.Credentials{APIKey: httpapi.NewSecret("k"), PersonID: "per-1"}, opts...)
	case rocketkor.Name:
		h := rocketkorHarness(b)
		c, err = rocketkor.NewClient(rocketkor.Credentials{APIKey: httpapi.NewSecret("k"), APISecret: httpapi.NewSecret("s")},
			rocketkor.Program{Terms: func(card.Card) rocketkor.Terms { return termsOf(h) }}, opts...)
	case offblocks.Name:
		ob := newOffBlocks(b)
		if stubECDSA {
			ob.creds.SigningKey, err = offblocks.NewSigner(stubSigner(b, ob.key))
			require.NoError(b, err)
		}
		c, err = offblocks.NewClient(ob.creds, opts...)
	}
	require.NoError(b, err)
	return c
}

// BenchmarkHTTPFloor is the unavoidable part: a bare net/http POST of the
// same body to a handler that reads it and answers the same bytes the fake
// answers, over loopback.
func BenchmarkHTTPFloor(b *testing.B) {
	eachBenchCase(b, false, func(b *testing.B, bc benchCase) {
		srv := fixed(bc.answer)
		defer srv.Close()
		post := floorPost(b, srv, bc.body)
		b.ReportAllocs()
		for b.Loop() {
			post()
		}
	})
}

// floorPost is the floor's call: a bare POST of body to srv, its answer
// read and closed.
func floorPost(b *testing.B, srv *httptest.Server, body []byte) func() {
	client := srv.Client()
	return func() {
		resp, err := client.Post(srv.URL+"/cards", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkClientVsFloor alternates, iteration by iteration, one floor
// POST (BenchmarkHTTPFloor's) and one issue through the client against its
// fake (BenchmarkClientIssue's), timing each, and reports their times and
// the goal's ratio (client time / floor time). Alternating at this grain
// gives both the same machine: the ratio of two separate benchmarks moves
// with whatever else the machine does between them. OffBlocks' calls are
// made with the ECDSA step stubbed on both sides, its cost reported by
// BenchmarkOffBlocksSign and BenchmarkOffBlocksVerify (see
// offblocksBenchHarness).
func BenchmarkClientVsFloor(b *testing.B) {
	eachBenchCase(b, false, func(b *testing.B, bc benchCase) {
		alternate(b, bc, bc.client)
	})
}

// BenchmarkClientOnlyVsFloor is BenchmarkClientVsFloor with the client
// against the floor's handler (BenchmarkClientOnly's): what the client
// costs, without the fake's own work (its checks, its records, its JSON).
func BenchmarkClientOnlyVsFloor(b *testing.B) {
	eachBenchCase(b, false, func(b *testing.B, bc benchCase) {
		srv := fixed(bc.answer)
		defer srv.Close()
		alternate(b, bc, clientOf(b, bc.name, srv, true))
	})
}

// alternate times, iteration by iteration, one floor POST of bc's body and
// one issue through c, and reports floor-ns/op, client-ns/op and their
// ratio. Each call's input
// (its key and card, test data the floor's prebuilt body has no
// counterpart of) is made before either is timed. Its ns/op, B/op and
// allocs/op are those of the pair.
func alternate(b *testing.B, bc benchCase, c provider) {
	srv := fixed(bc.answer)
	defer srv.Close()
	post := floorPost(b, srv, bc.body)
	ctx := context.Background()
	// Both connected before they are timed.
	post()
	_, err := c.IssueCard(ctx, uuid.NewString(), bc.card())
	require.NoError(b, err)
	var floor, client time.Duration
	b.ReportAllocs()
	for b.Loop() {
		key, cd := uuid.NewString(), bc.card()
		start := time.Now()
		post()
		mid := time.Now()
		if _, err := c.IssueCard(ctx, key, cd); err != nil {
			b.Fatal(err)
		}
		floor, client = floor+mid.Sub(start), client+time.Since(mid)
	}
	n := float64(b.N)
	b.ReportMetric(float64(floor.Nanoseconds())/n, "floor-ns/op")
	b.ReportMetric(float64(client.Nanoseconds())/n, "client-ns/op")
	b.ReportMetric(float64(client)/float64(floor), "ratio")
}

// BenchmarkOffBlocksSign is OffBlocks' signing cost alone: the
// Content-Digest of the issue body and the ecdsa-p384-sha384 signature.
func BenchmarkOffBlocksSign(b *testing.B) {
	ob := newOffBlocks(b)
	body := issueBody(b, offblocks.Name, offblocksHarness(b).newCard())
	r, err := http.NewRequest(http.MethodPost, "https://api.offblocks.xyz/v1/accounts/ae61c362-4136-49af-8e01-544457fe265b/cards", nil)
	require.NoError(b, err)
	require.NoError(b, offblocks.Sign(r, body, ob.creds.SigningKey, ob.creds.KeyID, t0))
	b.ReportAllocs()
	for b.Loop() {
		if err := offblocks.Sign(r, body, ob.creds.SigningKey, ob.creds.KeyID, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOffBlocksVerify is the OffBlocks fake's check of that signed
// request, alone: both headers parsed, the signature base rebuilt, the
// ecdsa-p384-sha384 signature verified, the signature's parameters and
// coverage checked, and the Content-Digest compared with the body. With
// BenchmarkOffBlocksSign it is what ClientIssue/offblocks spends on
// signatures, on both sides.
func BenchmarkOffBlocksVerify(b *testing.B) {
	ob := newOffBlocks(b, fake.WithClock(func() time.Time { return t0 }))
	body := issueBody(b, offblocks.Name, offblocksHarness(b).newCard())
	const target = "/v1/accounts/ae61c362-4136-49af-8e01-544457fe265b/cards"
	out, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080"+target, nil)
	require.NoError(b, err)
	require.NoError(b, offblocks.Sign(out, body, ob.creds.SigningKey, ob.creds.KeyID, t0))
	in := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body)) // as the fake receives it
	in.Host = "127.0.0.1:8080"
	for k, v := range out.Header {
		in.Header[k] = v
	}
	require.NoError(b, ob.fake.Verify(in, body))
	b.ReportAllocs()
	for b.Loop() {
		if err := ob.fake.Verify(in, body); err != nil {
			b.Fatal(err)
		}
	}
}
