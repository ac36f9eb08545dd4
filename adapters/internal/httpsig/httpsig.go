// Package httpsig signs and verifies HTTP messages as RFC 9421 (HTTP Message
// Signatures) says, and computes and checks RFC 9530 Content-Digest, with
// the standard library only: no module for RFC 9421 is available to
// cardkit. It does what OffBlocks needs (ecdsa-p384-sha384 over derived
// components and content-digest) and, to be checked against the RFC's own
// test vectors, ed25519, hmac-sha256 and ecdsa-p256-sha256 too.
//
// A message is described by Message, built from an *http.Request on either
// side of the wire (FromRequest). Sign builds the signature base (§2.5) from
// the covered components and the signature parameters, signs it, and
// returns the Signature-Input and Signature member values; Verify parses
// both headers, rebuilds the base from the received message and checks the
// signature.
package httpsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Algorithm names of RFC 9421 §3.3.
const (
	AlgECDSAP384SHA384 = "ecdsa-p384-sha384"
	AlgECDSAP256SHA256 = "ecdsa-p256-sha256"
	AlgEd25519         = "ed25519"
	AlgHMACSHA256      = "hmac-sha256"
)

// Header names.
const (
	HeaderSignature      = "Signature"
	HeaderSignatureInput = "Signature-Input"
	HeaderContentDigest  = "Content-Digest"
)

// Errors, for errors.Is.
var (
	// ErrMissing: a header, a signature label or a covered component the
	// verifier needs is not in the message.
	ErrMissing = errors.New("httpsig: missing")
	// ErrMalformed: a header does not parse.
	ErrMalformed = errors.New("httpsig: malformed")
	// ErrVerify: the signature or the digest does not match the message.
	ErrVerify = errors.New("httpsig: does not verify")
)

// Message is what a signature can cover: the request's method and target,
// or the response's status, and the header fields.
type Message struct {
	Method    string // upper case, as sent
	Scheme    string // "https"
	Authority string // host, with the port when it is not the scheme's default
	Path      string // the absolute path, escaped as sent
	RawQuery  string // without "?"
	Status    int    // a response's status; 0 for a request
	Header    http.Header
}

// FromRequest describes r. On the client side r.URL is absolute; on the
// server side the authority is r.Host and the scheme is https when the
// connection is TLS.
func FromRequest(r *http.Request) Message {
	m := Message{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header}
	m.Scheme, m.Authority = r.URL.Scheme, r.URL.Host
	if m.Authority == "" {
		m.Authority = r.Host
	}
	if m.Scheme == "" {
		m.Scheme = "http"
		if r.TLS != nil {
			m.Scheme = "https"
		}
	}
	m.Authority = strings.ToLower(m.Authority)
	switch {
	case m.Scheme == "https" && strings.HasSuffix(m.Authority, ":443"):
		m.Authority = strings.TrimSuffix(m.Authority, ":443")
	case m.Scheme == "http" && strings.HasSuffix(m.Authority, ":80"):
		m.Authority = strings.TrimSuffix(m.Authority, ":80")
	}
	return m
}

// Component is a covered component: a lower-case field name or a derived
// component ("@method"), with its parameters (such as name="Pet" for
// @query-param).
type Component struct {
	Name   string
	Params []Param
}

// C names a component without parameters.
func C(name string) Component { return Component{Name: name} }

// QueryParam is the @query-param component for one named parameter.
func QueryParam(name string) Component {
	return Component{Name: "@query-param", Params: []Param{{Name: "name", Value: name}}}
}

// id serialises the component identifier: "name";param=value.
func (c Component) id(b []byte) []byte {
	b = appendString(b, c.Name)
	return appendParams(b, c.Params)
}

// value is the component's value in m (RFC 9421 §2.1, §2.2).
func (c Component) value(m *Message) (string, error) {
	if !strings.HasPrefix(c.Name, "@") {
		if len(c.Params) > 0 {
			return "", fmt.Errorf("%w: parameters on field %q are not supported", ErrMalformed, c.Name)
		}
		vals := m.Header.Values(c.Name)
		switch len(vals) {
		case 0:
			return "", fmt.Errorf("%w: field %q", ErrMissing, c.Name)
		case 1:
			return strings.TrimSpace(vals[0]), nil
		}
		// The field lines combined, each trimmed; the message's own
		// values are left as they are.
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strings.TrimSpace(v))
		}
		return b.String(), nil
	}
	request := m.Status == 0
	switch c.Name {
	case "@method":
		return m.Method, requestOnly(request, c.Name)
	case "@target-uri":
		if m.RawQuery == "" && m.Path != "" {
			return m.Scheme + "://" + m.Authority + m.Path, requestOnly(request, c.Name)
		}
		return m.Scheme + "://" + m.Authority + m.target(), requestOnly(request, c.Name)
	case "@authority":
		return m.Authority, requestOnly(request, c.Name)
	case "@scheme":
		return strings.ToLower(m.Scheme), requestOnly(request, c.Name)
	case "@request-target":
		return m.target(), requestOnly(request, c.Name)
	case "@path":
		if m.Path == "" {
			return "/", requestOnly(request, c.Name)
		}
		return m.Path, requestOnly(request, c.Name)
	case "@query":
		return "?" + m.RawQuery, requestOnly(request, c.Name)
	case "@query-param":
		return m.queryParam(c)
	case "@status":
		if request {
			return "", fmt.Errorf("%w: @status in a request", ErrMalformed)
		}
		return strconv.Itoa(m.Status), nil
	}
	return "", fmt.Errorf("%w: unknown derived component %q", ErrMalformed, c.Name)
}

func requestOnly(request bool, name string) error {
	if !request {
		return fmt.Errorf("%w: %s in a response", ErrMalformed, name)
	}
	return nil
}

func (m *Message) target() string {
	p := m.Path
	if p == "" {
		p = "/"
	}
	if m.RawQuery != "" {
		p += "?" + m.RawQuery
	}
	return p
}

// queryParam is the value of @query-param;name="x": the named parameter's
// value, decoded and re-encoded as RFC 9421 §2.2.8 says.
func (m *Message) queryParam(c Component) (string, error) {
	var name string
	for _, p := range c.Params {
		if p.Name == "name" {
			name, _ = p.Value.(string)
		}
	}
	q, err := url.ParseQuery(m.RawQuery)
	if err != nil || name == "" {
		return "", fmt.Errorf("%w: @query-param", ErrMalformed)
	}
	vals, ok := q[name]
	if !ok || len(vals) != 1 {
		return "", fmt.Errorf("%w: query parameter %q (absent or repeated)", ErrMissing, name)
	}
	return url.QueryEscape(vals[0]), nil
}

// Params are the signature parameters (RFC 9421 §2.3), written in the
// order of this list (created, expires, nonce, alg, keyid, tag) and only
// when set, unless Order says otherwise.
type Params struct {
	Created int64 // Unix seconds; 0 leaves it out
	Expires int64
	Nonce   string
	Alg     string
	KeyID   string
	Tag     string
	// Order, when set, is the exact parameter list, replacing the fields
	// above: the order is signed, and a test vector fixes it.
	Order []Param
}

// appendList appends the parameters to b: those of Order, or the fields
// that are set, in the order of the list above.
func (p Params) appendList(b []byte) []byte {
	if p.Order != nil {
		return appendParams(b, p.Order)
	}
	if p.Created != 0 {
		b = appendParam(b, Param{"created", p.Created})
	}
	if p.Expires != 0 {
		b = appendParam(b, Param{"expires", p.Expires})
	}
	for _, s := range [...]Param{{"nonce", p.Nonce}, {"alg", p.Alg}, {"keyid", p.KeyID}, {"tag", p.Tag}} {
		if s.Value != "" {
			b = appendParam(b, s)
		}
	}
	return b
}

// SignatureParams serialises the covered components and the parameters:
// the value of the @signature-params line and of the Signature-Input
// member.
func SignatureParams(components []Component, params Params) string {
	return string(appendSignatureParams(make([]byte, 0, 128), components, params))
}

func appendSignatureParams(b []byte, components []Component, params Params) []byte {
	b = append(b, '(')
	for i, c := range components {
		if i > 0 {
			b = append(b, ' ')
		}
		b = c.id(b)
	}
	b = append(b, ')')
	return params.appendList(b)
}

// Base builds the signature base (RFC 9421 §2.5): one line per covered
// component, then the @signature-params line, joined by LF with none at
// the end. sigParams is the serialised Signature-Input member value. A
// component listed twice, or missing from m, is an error.
func Base(m *Message, components []Component, sigParams string) ([]byte, error) {
	b := make([]byte, 0, 256+len(sigParams))
	// Each line starts with its component's identifier; a repeated one is
	// found by comparing it with those before (there are a handful).
	var spans [16][2]int
	ids := spans[:0]
	for _, c := range components {
		start := len(b)
		b = c.id(b)
		id := b[start:]
		for _, prev := range ids {
			if bytes.Equal(b[prev[0]:prev[1]], id) {
				return nil, fmt.Errorf("%w: component %s listed twice", ErrMalformed, id)
			}
		}
		ids = append(ids, [2]int{start, len(b)})
		v, err := c.value(m)
		if err != nil {
			return nil, err
		}
		b = append(b, ": "...)
		b = append(b, v...)
		b = append(b, '\n')
	}
	b = append(b, `"@signature-params": `...)
	return append(b, sigParams...), nil
}

// Signer makes signatures with one key.
type Signer interface {
	Sign(base []byte) ([]byte, error)
}

// Verifier checks signatures against one key.
type Verifier interface {
	Verify(base, sig []byte) error
}

// Sign signs m under label: it returns the Signature-Input and Signature
// header values ("label=(...);params" and "label=:base64:").
func Sign(m *Message, label string, components []Component, params Params, s Signer) (input, signature string, err error) {
	// The Signature-Input value is label=<signature params>; the params
	// are sliced from it for the base.
	in := appendSignatureParams(append(make([]byte, 0, 160), label+"="...), components, params)
	input = string(in)
	base, err := Base(m, components, input[len(label)+1:])
	if err != nil {
		return "", "", err
	}
	sig, err := s.Sign(base)
	if err != nil {
		return "", "", err
	}
	out := make([]byte, 0, len(label)+3+base64.StdEncoding.EncodedLen(len(sig)))
	out = append(append(out, label...), "=:"...)
	out = base64.StdEncoding.AppendEncode(out, sig)
	return input, string(append(out, ':')), nil
}

// Signed is a verified signature's input: what it covered and its
// parameters, for the verifier's own policy (required components, age).
type Signed struct {
	Label      string
	Components []Component
	Params     []Param
}

// Param returns the value of the named signature parameter, or nil.
func (s Signed) Param(name string) any {
	for _, p := range s.Params {
		if p.Name == name {
			return p.Value
		}
	}
	return nil
}

// Covers reports whether the signature covers the named component.
func (s Signed) Covers(name string) bool {
	for _, c := range s.Components {
		if c.Name == name {
			return true
		}
	}
	return false
}

// Verify checks the signature labelled label in m's Signature and
// Signature-Input headers with v, and returns what it covered. An empty
// label takes the first member of Signature-Input.
func Verify(m *Message, label string, v Verifier) (Signed, error) {
	in, err := findMember(m.Header, HeaderSignatureInput, label)
	if err != nil {
		return Signed{}, err
	}
	sig, err := findMember(m.Header, HeaderSignature, in.key)
	if err != nil {
		return Signed{}, err
	}
	if !in.isList || sig.bytes == nil {
		return Signed{}, fmt.Errorf("%w: signature %q", ErrMalformed, in.key)
	}
	s := Signed{Label: in.key, Params: in.params}
	for _, it := range in.list {
		s.Components = append(s.Components, Component{Name: it.str, Params: it.params})
	}
	base, err := Base(m, s.Components, in.raw)
	if err != nil {
		return Signed{}, err
	}
	if err := v.Verify(base, sig.bytes); err != nil {
		return Signed{}, err
	}
	return s, nil
}

// member finds a dictionary member of a header by key; an empty key takes
// the first.
func findMember(h http.Header, name, key string) (member, error) {
	v := strings.Join(h.Values(name), ", ")
	if v == "" {
		return member{}, fmt.Errorf("%w: header %s", ErrMissing, name)
	}
	ms, err := parseDictionary(v)
	if err != nil {
		return member{}, fmt.Errorf("%w: header %s", ErrMalformed, name)
	}
	for _, m := range ms {
		if key == "" || m.key == key {
			return m, nil
		}
	}
	return member{}, fmt.Errorf("%w: signature %q in %s", ErrMissing, key, name)
}

// ecdsaKey signs or verifies with ECDSA, as RFC 9421 §3.3.4 and §3.3.5
// say: the hash of the base, and r||s as two big-endian integers each
// padded to the curve's size (not ASN.1).
type ecdsaKey struct {
	priv crypto.Signer
	pub  *ecdsa.PublicKey
	size int // 48 for P-384 (SHA-384), 32 for P-256 (SHA-256)
}

// ECDSAP384Signer signs with ecdsa-p384-sha384 (96-byte r||s signatures)
// through k: an *ecdsa.PrivateKey, or any crypto.Signer whose key is ECDSA
// on P-384, such as one kept in an HSM.
func ECDSAP384Signer(k crypto.Signer) (Signer, error) {
	if priv, isECDSA := k.(*ecdsa.PrivateKey); k == nil || isECDSA && !whole(priv) {
		return nil, errors.New("httpsig: ecdsa-p384-sha384 needs a P-384 key")
	}
	pub, ok := publicOf(k).(*ecdsa.PublicKey)
	if !ok || pub == nil || pub.Curve == nil || pub.Curve.Params().BitSize != 384 {
		return nil, errors.New("httpsig: ecdsa-p384-sha384 needs a P-384 key")
	}
	return &ecdsaKey{priv: k, pub: pub, size: 48}, nil
}

// whole reports whether priv is a P-384 key with both its parts, valid and
// matching: one without its private scalar or its public point panics
// when it signs, and one whose scalar is not its point's signs what its
// public key does not verify.
func whole(priv *ecdsa.PrivateKey) bool {
	if priv == nil || priv.D == nil || priv.X == nil || priv.Y == nil || priv.Curve == nil || priv.Curve.Params().Name != "P-384" {
		return false
	}
	k := *priv
	k.Curve = elliptic.P384() // crypto/ecdh knows the curve by this value, not by its Params
	pub, errPub := k.PublicKey.ECDH()
	sec, errPriv := k.ECDH()
	return errPub == nil && errPriv == nil && sec.PublicKey().Equal(pub)
}

// publicOf is k's public key, or nil where k cannot say: a signer of
// another kind may panic on a key it does not hold (a nil ed25519 key).
func publicOf(k crypto.Signer) (pub crypto.PublicKey) {
	defer func() {
		if recover() != nil {
			pub = nil
		}
	}()
	return k.Public()
}

// ECDSAVerifier verifies ecdsa-p384-sha384 or, for a P-256 key,
// ecdsa-p256-sha256.
func ECDSAVerifier(pub *ecdsa.PublicKey) (Verifier, error) {
	if pub == nil || pub.Curve == nil {
		return nil, errors.New("httpsig: no public key")
	}
	switch pub.Curve.Params().BitSize {
	case 384:
		return &ecdsaKey{pub: pub, size: 48}, nil
	case 256:
		return &ecdsaKey{pub: pub, size: 32}, nil
	}
	return nil, errors.New("httpsig: an ECDSA key on P-256 or P-384")
}

// sum is the hash of base under the key's algorithm, and that hash.
func (k *ecdsaKey) sum(base []byte) ([]byte, crypto.Hash) {
	if k.size == 48 {
		d := sha512.Sum384(base)
		return d[:], crypto.SHA384
	}
	d := sha256.Sum256(base)
	return d[:], crypto.SHA256
}

func (k *ecdsaKey) Sign(base []byte) ([]byte, error) {
	digest, h := k.sum(base)
	der, err := k.priv.Sign(rand.Reader, digest, h)
	if err != nil {
		return nil, err
	}
	// A crypto.Signer answers ECDSA in ASN.1: SEQUENCE { r, s }.
	var sig struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &sig); err != nil || len(rest) > 0 ||
		sig.R.Sign() <= 0 || sig.S.Sign() <= 0 || sig.R.BitLen() > 8*k.size || sig.S.BitLen() > 8*k.size {
		return nil, errors.New("httpsig: the signer's ECDSA signature does not parse")
	}
	out := make([]byte, 2*k.size)
	sig.R.FillBytes(out[:k.size])
	sig.S.FillBytes(out[k.size:])
	return out, nil
}

func (k *ecdsaKey) Verify(base, sig []byte) error {
	if len(sig) != 2*k.size {
		return fmt.Errorf("%w: an ECDSA signature of %d bytes, not %d", ErrVerify, 2*k.size, len(sig))
	}
	r, s := new(big.Int).SetBytes(sig[:k.size]), new(big.Int).SetBytes(sig[k.size:])
	digest, _ := k.sum(base)
	if !ecdsa.Verify(k.pub, digest, r, s) {
		return ErrVerify
	}
	return nil
}

// Ed25519 signs (with a private key) or verifies (with a public key) with
// ed25519 (RFC 9421 §3.3.6).
type Ed25519 struct {
	Private ed25519.PrivateKey
	Public  ed25519.PublicKey
}

// Sign signs the base.
func (k Ed25519) Sign(base []byte) ([]byte, error) {
	if len(k.Private) != ed25519.PrivateKeySize {
		return nil, errors.New("httpsig: no ed25519 private key")
	}
	return ed25519.Sign(k.Private, base), nil
}

// Verify checks sig.
func (k Ed25519) Verify(base, sig []byte) error {
	if len(k.Public) != ed25519.PublicKeySize || !ed25519.Verify(k.Public, base, sig) {
		return ErrVerify
	}
	return nil
}

// HMACSHA256 signs and verifies with hmac-sha256 (RFC 9421 §3.3.3) under a
// shared secret.
type HMACSHA256 []byte

// Sign computes the MAC of the base.
func (k HMACSHA256) Sign(base []byte) ([]byte, error) {
	m := hmac.New(sha256.New, k)
	m.Write(base)
	return m.Sum(nil), nil
}

// Verify compares the MAC in constant time.
func (k HMACSHA256) Verify(base, sig []byte) error {
	want, _ := k.Sign(base)
	if subtle.ConstantTimeCompare(want, sig) != 1 {
		return ErrVerify
	}
	return nil
}
