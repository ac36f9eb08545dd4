package httpsig

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// fuzzKey verifies in the fuzz targets: hmac-sha256 is fast, so the time
// goes to the parsing being fuzzed.
func fuzzKey() HMACSHA256 { return HMACSHA256(bytes.Repeat([]byte{7}, 32)) }

// typed reports whether err is one of the package's kinds.
func typed(err error) bool {
	return errors.Is(err, ErrMissing) || errors.Is(err, ErrMalformed) || errors.Is(err, ErrVerify)
}

// FuzzVerify gives Verify any Signature-Input, Signature and
// Content-Digest on a request, as the OffBlocks fake receives them: never
// a panic; either a verified signature or an error of a kind errors.Is
// knows.
func FuzzVerify(f *testing.F) {
	r, cs, ps := offblocksLike(f)
	m := FromRequest(r)
	in, sig, err := Sign(&m, "sig", cs, ps, fuzzKey())
	if err != nil {
		f.Fatal(err)
	}
	digest := r.Header.Get(HeaderContentDigest)
	f.Add(in, sig, digest)
	for _, s := range [][3]string{
		{`sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`, `sig-b21=:YWJj:`, b2Digest},
		{`sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`, `sig-b22=:YWJj:`, b2Digest},
		{`sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="k"`, `sig-b23=:YWJj:`, b2Digest},
		{`sig=("@method" "@method")`, `sig=:YWJj:`, ``},
		{`sig=("@status")`, `sig=:YWJj:`, ``},
		{`sig=("x";bs)`, `sig=:YWJj:`, ``},
		{`a=("@method");alg=ecdsa-p384-sha384, sig=("@target-uri");created=-1;x=?1;y=?0;z=1.5`, `a=:YWJj:, sig=:=:`, `sha-256=:YWJj:, md5=:YWJj:`},
		{`sig=("\"\\")`, `sig=("a")`, `sha-512=("x")`},
		{``, ``, ``},
	} {
		f.Add(s[0], s[1], s[2])
	}
	key := fuzzKey()
	f.Fuzz(func(t *testing.T, input, signature, digest string) {
		h := r.Header.Clone()
		h[HeaderSignatureInput] = []string{input}
		h[HeaderSignature] = []string{signature}
		h[HeaderContentDigest] = []string{digest}
		m := Message{Method: http.MethodPost, Scheme: "http", Authority: "127.0.0.1:8080", Path: r.URL.Path, RawQuery: "a=1&Pet=dog", Header: h}
		s, err := Verify(&m, "", key)
		if err != nil {
			if !typed(err) {
				t.Fatalf("an untyped error: %v", err)
			}
			return
		}
		if s.Label == "" {
			t.Fatal("a verified signature without a label")
		}
	})
}

// FuzzContentDigest checks any Content-Digest against any body: never a
// panic; nil only when a sha-256 or sha-512 member matches.
func FuzzContentDigest(f *testing.F) {
	f.Add(b2Digest, []byte(b2Body))
	f.Add("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", []byte(b2Body))
	f.Add("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:AAAA:", []byte(b2Body))
	f.Add("md5=:YWJj:, unixsum=1", []byte("x"))
	f.Add("sha-256=(\"a\");p=1, sha-512", []byte{})
	f.Add("", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := VerifyContentDigest(header, body)
		if err != nil {
			if !typed(err) {
				t.Fatalf("an untyped error: %v", err)
			}
			return
		}
		if !strings.Contains(header, DigestSHA256) && !strings.Contains(header, DigestSHA512) {
			t.Fatalf("%q verified without a sha-256 or sha-512 member", header)
		}
	})
}

// FuzzParseDictionary parses any header value: never a panic, and every
// member's raw value is the text it was read from.
func FuzzParseDictionary(f *testing.F) {
	for _, s := range []string{
		`sig1=("@method" "@target-uri" "content-digest");created=1618884473;keyid="k1";alg="ecdsa-p384-sha384"`,
		`sig1=:YWJj:`, `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:AAAA:`,
		`a, b;x=1, c=()`, `a=("x";n="y" "z");t=tok;b=?1`, `a=1`, `a=:x`, `a=("\x7f")`, `, a`, `a,`, `*a=()`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := parseDictionary(s)
		if err != nil {
			if err != errSyntax {
				t.Fatalf("an error other than errSyntax: %v", err)
			}
			return
		}
		for _, m := range ms {
			if !strings.Contains(s, m.raw) || !strings.Contains(s, m.key) {
				t.Fatalf("member %q=%q is not in %q", m.key, m.raw, s)
			}
		}
	})
}
