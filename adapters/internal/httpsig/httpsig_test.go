package httpsig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test request of RFC 9421 Appendix B.2.
const (
	b2Body   = `{"hello": "world"}`
	b2Digest = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
)

func b2Request() *Message {
	h := http.Header{}
	h.Set("Host", "example.com")
	h.Set("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
	h.Set("Content-Type", "application/json")
	h.Set("Content-Digest", b2Digest)
	h.Set("Content-Length", "18")
	return &Message{Method: "POST", Scheme: "https", Authority: "example.com", Path: "/foo", RawQuery: "param=Value&Pet=dog", Header: h}
}

func created(keyid string, more ...Param) Params {
	return Params{Order: append([]Param{{"created", int64(1618884473)}, {"keyid", keyid}}, more...)}
}

// TestBaseVectors builds the signature bases of RFC 9421 B.2.1, B.2.2,
// B.2.3, B.2.5 and B.2.6 byte for byte, and round-trips their
// Signature-Input values through the parser.
func TestBaseVectors(t *testing.T) {
	tests := []struct {
		name       string
		label      string
		components []Component
		params     Params
		base       string
	}{
		{"B.2.1 minimal", "sig-b21", []Component{}, created("test-key-rsa-pss", Param{"nonce", "b3k2pp5k7z-50gnwp.yemd"}),
			`"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`},
		{"B.2.2 selective", "sig-b22", []Component{C("@authority"), C("content-digest"), QueryParam("Pet")},
			created("test-key-rsa-pss", Param{"tag", "header-example"}),
			`"@authority": example.com` + "\n" +
				`"content-digest": ` + b2Digest + "\n" +
				`"@query-param";name="Pet": dog` + "\n" +
				`"@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`},
		{"B.2.3 full", "sig-b23", []Component{C("date"), C("@method"), C("@path"), C("@query"), C("@authority"), C("content-type"), C("content-digest"), C("content-length")},
			created("test-key-rsa-pss"),
			`"date": Tue, 20 Apr 2021 02:07:55 GMT` + "\n" +
				`"@method": POST` + "\n" +
				`"@path": /foo` + "\n" +
				`"@query": ?param=Value&Pet=dog` + "\n" +
				`"@authority": example.com` + "\n" +
				`"content-type": application/json` + "\n" +
				`"content-digest": ` + b2Digest + "\n" +
				`"content-length": 18` + "\n" +
				`"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`},
		{"B.2.5 hmac", "sig-b25", []Component{C("date"), C("@authority"), C("content-type")}, created("test-shared-secret"),
			`"date": Tue, 20 Apr 2021 02:07:55 GMT` + "\n" +
				`"@authority": example.com` + "\n" +
				`"content-type": application/json` + "\n" +
				`"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"`},
		{"B.2.6 ed25519", "sig-b26", []Component{C("date"), C("@method"), C("@path"), C("@authority"), C("content-type"), C("content-length")},
			created("test-key-ed25519"),
			`"date": Tue, 20 Apr 2021 02:07:55 GMT` + "\n" +
				`"@method": POST` + "\n" +
				`"@path": /foo` + "\n" +
				`"@authority": example.com` + "\n" +
				`"content-type": application/json` + "\n" +
				`"content-length": 18` + "\n" +
				`"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := SignatureParams(tt.components, tt.params)
			base, err := Base(b2Request(), tt.components, sp)
			require.NoError(t, err)
			assert.Equal(t, tt.base, string(base))

			// The Signature-Input member parses back to the same
			// components and the same raw text.
			ms, err := parseDictionary(tt.label + "=" + sp)
			require.NoError(t, err)
			require.Len(t, ms, 1)
			assert.Equal(t, sp, ms[0].raw)
			require.Len(t, ms[0].list, len(tt.components))
			for i, c := range tt.components {
				assert.Equal(t, c.Name, ms[0].list[i].str)
			}
			assert.Equal(t, tt.params.Order, ms[0].params)
		})
	}
}

// TestEd25519Vector signs B.2.6 with the RFC's key and gets the RFC's
// signature, then verifies it from the headers.
func TestEd25519Vector(t *testing.T) {
	block, _ := pem.Decode([]byte("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n"))
	require.NotNil(t, block)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	priv := k.(ed25519.PrivateKey)
	pubDER, err := base64.StdEncoding.DecodeString("MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=")
	require.NoError(t, err)
	pub, err := x509.ParsePKIXPublicKey(pubDER)
	require.NoError(t, err)
	require.Equal(t, pub, priv.Public())

	m := b2Request()
	comps := []Component{C("date"), C("@method"), C("@path"), C("@authority"), C("content-type"), C("content-length")}
	input, sig, err := Sign(m, "sig-b26", comps, created("test-key-ed25519"), Ed25519{Private: priv})
	require.NoError(t, err)
	assert.Equal(t, `sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`, input)
	assert.Equal(t, "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:", sig)

	m.Header.Set(HeaderSignatureInput, input)
	m.Header.Set(HeaderSignature, sig)
	s, err := Verify(m, "sig-b26", Ed25519{Public: pub.(ed25519.PublicKey)})
	require.NoError(t, err)
	assert.Equal(t, "test-key-ed25519", s.Param("keyid"))
	assert.True(t, s.Covers("@authority"))
}

// TestHMACVector signs B.2.5 with the shared secret and gets the RFC's
// MAC.
func TestHMACVector(t *testing.T) {
	secret, err := base64.StdEncoding.DecodeString("uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==")
	require.NoError(t, err)
	m := b2Request()
	input, sig, err := Sign(m, "sig-b25", []Component{C("date"), C("@authority"), C("content-type")}, created("test-shared-secret"), HMACSHA256(secret))
	require.NoError(t, err)
	assert.Equal(t, "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:", sig)
	m.Header.Set(HeaderSignatureInput, input)
	m.Header.Set(HeaderSignature, sig)
	_, err = Verify(m, "sig-b25", HMACSHA256(secret))
	require.NoError(t, err)
	_, err = Verify(m, "sig-b25", HMACSHA256([]byte("another secret")))
	require.ErrorIs(t, err, ErrVerify)
}

// TestECDSAP256ResponseVector verifies the RFC's B.2.4 signature of a
// response, given as headers, with the RFC's P-256 public key.
func TestECDSAP256ResponseVector(t *testing.T) {
	der, err := base64.StdEncoding.DecodeString("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lfw0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==")
	require.NoError(t, err)
	pub, err := x509.ParsePKIXPublicKey(der)
	require.NoError(t, err)
	v, err := ECDSAVerifier(pub.(*ecdsa.PublicKey))
	require.NoError(t, err)

	body := []byte(`{"message": "good dog"}`)
	h := http.Header{}
	h.Set("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
	h.Set("Content-Type", "application/json")
	h.Set("Content-Digest", "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:")
	h.Set("Content-Length", "23")
	h.Set(HeaderSignatureInput, `sig-b24=("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"`)
	h.Set(HeaderSignature, "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:")
	m := &Message{Status: 200, Header: h}
	require.NoError(t, VerifyContentDigest(h.Get("Content-Digest"), body))
	_, err = Verify(m, "sig-b24", v)
	require.NoError(t, err)

	m.Status = 201
	_, err = Verify(m, "sig-b24", v)
	require.ErrorIs(t, err, ErrVerify, "a different status is a different base")
}

// TestDigestVectors computes the digests listed for the B.2 body, with and
// without a trailing newline, and checks them.
func TestDigestVectors(t *testing.T) {
	tests := []struct{ body, alg, want string }{
		{b2Body, DigestSHA256, "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"},
		{b2Body, DigestSHA512, b2Digest},
		{b2Body + "\n", DigestSHA256, "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"},
		{b2Body + "\n", DigestSHA512, "sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:"},
	}
	for _, tt := range tests {
		got, err := ContentDigest(tt.alg, []byte(tt.body))
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
		assert.NoError(t, VerifyContentDigest(got, []byte(tt.body)))
	}
	both := "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, " + b2Digest
	assert.NoError(t, VerifyContentDigest(both, []byte(b2Body)))
	assert.ErrorIs(t, VerifyContentDigest(both, []byte(b2Body+"\n")), ErrVerify)
	assert.ErrorIs(t, VerifyContentDigest("md5=:AAAA:", []byte(b2Body)), ErrMissing, "deprecated algorithms are not trusted")
	assert.ErrorIs(t, VerifyContentDigest("", nil), ErrMissing)
	assert.ErrorIs(t, VerifyContentDigest("sha-256=notbytes", nil), ErrMalformed)
	_, err := ContentDigest("md5", nil)
	assert.ErrorIs(t, err, ErrMalformed)
}

// TestP384RoundTrip signs a real request as OffBlocks wants it and
// verifies it on the server side of the wire; every tampering is refused.
func TestP384RoundTrip(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	s, err := ECDSAP384Signer(k)
	require.NoError(t, err)
	v, err := ECDSAVerifier(&k.PublicKey)
	require.NoError(t, err)

	body := []byte(`{"type":"virtual"}`)
	comps := []Component{C("@method"), C("@target-uri"), C("content-digest")}
	sign := func(r *http.Request) {
		d, err := ContentDigest(DigestSHA256, body)
		require.NoError(t, err)
		r.Header.Set(HeaderContentDigest, d)
		m := FromRequest(r)
		in, sig, err := Sign(&m, "sig", comps, Params{Created: 1700000000, KeyID: "key-1", Alg: AlgECDSAP384SHA384}, s)
		require.NoError(t, err)
		r.Header.Set(HeaderSignatureInput, in)
		r.Header.Set(HeaderSignature, sig)
	}

	var got []error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := new(bytes.Buffer)
		_, _ = b.ReadFrom(r.Body)
		m := FromRequest(r)
		_, err := Verify(&m, "sig", v)
		if err == nil {
			err = VerifyContentDigest(r.Header.Get(HeaderContentDigest), b.Bytes())
		}
		got = append(got, err)
	}))
	defer srv.Close()

	send := func(tamper func(*http.Request)) error {
		r, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/accounts/a/cards?x=1", bytes.NewReader(body))
		require.NoError(t, err)
		sign(r)
		if tamper != nil {
			tamper(r)
		}
		resp, err := srv.Client().Do(r)
		require.NoError(t, err)
		resp.Body.Close()
		return got[len(got)-1]
	}
	require.NoError(t, send(nil))

	// The raw signature is 96 bytes: r||s, not DER.
	r, _ := http.NewRequest(http.MethodPost, srv.URL+"/x", bytes.NewReader(body))
	sign(r)
	raw := r.Header.Get(HeaderSignature)
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(raw, "sig=:"), ":"))
	require.NoError(t, err)
	assert.Len(t, sig, 96)

	tampered := map[string]func(*http.Request){
		"method": func(r *http.Request) { r.Method = http.MethodPut },
		"path":   func(r *http.Request) { r.URL.Path = "/v1/accounts/b/cards" },
		"query":  func(r *http.Request) { r.URL.RawQuery = "x=2" },
		"body":   func(r *http.Request) { r.Body = ioNop(`{"type":"physical"}`); r.ContentLength = 19 },
		"digest": func(r *http.Request) {
			r.Header.Set(HeaderContentDigest, "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
		},
		"signature": func(r *http.Request) {
			r.Header.Set(HeaderSignature, "sig=:"+base64.StdEncoding.EncodeToString(make([]byte, 96))+":")
		},
		"params": func(r *http.Request) {
			r.Header.Set(HeaderSignatureInput, strings.Replace(r.Header.Get(HeaderSignatureInput), "1700000000", "1700000001", 1))
		},
	}
	for name, tamper := range tampered {
		t.Run(name, func(t *testing.T) {
			err := send(tamper)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrVerify), "%v", err)
		})
	}
	t.Run("unsigned", func(t *testing.T) {
		err := send(func(r *http.Request) { r.Header.Del(HeaderSignature) })
		assert.ErrorIs(t, err, ErrMissing)
	})
	t.Run("garbled", func(t *testing.T) {
		err := send(func(r *http.Request) { r.Header.Set(HeaderSignatureInput, "sig=(oops") })
		assert.ErrorIs(t, err, ErrMalformed)
	})
}

func ioNop(s string) *nopCloser { return &nopCloser{strings.NewReader(s)} }

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

func TestBaseErrors(t *testing.T) {
	m := b2Request()
	_, err := Base(m, []Component{C("date"), C("date")}, "()")
	assert.ErrorIs(t, err, ErrMalformed, "a component twice")
	_, err = Base(m, []Component{C("x-missing")}, "()")
	assert.ErrorIs(t, err, ErrMissing)
	_, err = Base(m, []Component{C("@status")}, "()")
	assert.ErrorIs(t, err, ErrMalformed, "@status belongs to responses")
	_, err = Base(m, []Component{QueryParam("nope")}, "()")
	assert.ErrorIs(t, err, ErrMissing)
	_, err = Base(&Message{Status: 200, Header: http.Header{}}, []Component{C("@method")}, "()")
	assert.ErrorIs(t, err, ErrMalformed)

	// Repeated fields are joined with ", ", trimmed.
	m.Header.Add("X-Multi", " a ")
	m.Header.Add("X-Multi", "b")
	base, err := Base(m, []Component{C("x-multi"), C("@target-uri"), C("@request-target"), C("@scheme")}, "()")
	require.NoError(t, err)
	assert.Equal(t, "\"x-multi\": a, b\n\"@target-uri\": https://example.com/foo?param=Value&Pet=dog\n\"@request-target\": /foo?param=Value&Pet=dog\n\"@scheme\": https\n\"@signature-params\": ()", string(base))
}

func TestFromRequestServerSide(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/v1/cards/1?a=b", nil)
	r.Host = "API.Example.com:443"
	r.TLS = nil
	m := FromRequest(r)
	assert.Equal(t, "http", m.Scheme)
	assert.Equal(t, "api.example.com:443", m.Authority, "443 is not http's default port")
	r2, _ := http.NewRequest(http.MethodGet, "https://API.example.com:443/x", nil)
	assert.Equal(t, "api.example.com", FromRequest(r2).Authority)
}

func TestP384SignerNeedsP384(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, err = ECDSAP384Signer(k)
	assert.Error(t, err)
	_, err = ECDSAP384Signer(nil)
	assert.Error(t, err)
}

// offblocksLike is a request signed the way the OffBlocks client signs:
// @method, @target-uri and content-digest, with created, alg and keyid.
func offblocksLike(b testing.TB) (*http.Request, []Component, Params) {
	body := bytes.Repeat([]byte(`{"type":"virtual"}`), 30)
	r := httptest.NewRequest(http.MethodPost, "/v1/accounts/ae61c362-4136-49af-8e01-544457fe265b/cards", bytes.NewReader(body))
	r.Host = "127.0.0.1:8080"
	d, err := ContentDigest(DigestSHA256, body)
	require.NoError(b, err)
	r.Header.Set(HeaderContentDigest, d)
	return r, []Component{C("@method"), C("@target-uri"), C("content-digest")},
		Params{Created: 1618884473, KeyID: "key-1", Alg: AlgHMACSHA256}
}

// BenchmarkSign is what signing costs besides the algorithm (hmac-sha256,
// a few hundred nanoseconds): the base and both header values.
func BenchmarkSign(b *testing.B) {
	r, cs, ps := offblocksLike(b)
	key := HMACSHA256(bytes.Repeat([]byte{7}, 32))
	b.ReportAllocs()
	for b.Loop() {
		m := FromRequest(r)
		if _, _, err := Sign(&m, "sig", cs, ps, key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is what verifying costs besides the algorithm: both
// headers parsed and the base rebuilt.
func BenchmarkVerify(b *testing.B) {
	r, cs, ps := offblocksLike(b)
	key := HMACSHA256(bytes.Repeat([]byte{7}, 32))
	m := FromRequest(r)
	in, sig, err := Sign(&m, "sig", cs, ps, key)
	require.NoError(b, err)
	r.Header.Set(HeaderSignatureInput, in)
	r.Header.Set(HeaderSignature, sig)
	b.ReportAllocs()
	for b.Loop() {
		m := FromRequest(r)
		if _, err := Verify(&m, "", key); err != nil {
			b.Fatal(err)
		}
	}
}
