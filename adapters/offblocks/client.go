package offblocks

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/internal/httpsig"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// BaseURL is OffBlocks' API host; paths carry the /v1 prefix.
const BaseURL = "https://api.offblocks.xyz"

// TokenPath is the call that exchanges the API key and secret for a token.
const TokenPath = "/v1/auth/token"

// SignatureLabel is the label of the signature the client sends (the
// default of OffBlocks' own Go library).
const SignatureLabel = "sig"

// SigningKey is the ECDSA P-384 private key requests are signed with
// (OffBlocks accepts ecdsa-p384-sha384 only); its public half is uploaded
// to PUT /auth/signing. It prints as "[redacted]" everywhere, and keeps the
// private key inside a closure, where no printer or reflection reaches it
// (see httpapi.Secret).
type SigningKey struct {
	sign func(base []byte) ([]byte, error)
	pub  *ecdsa.PublicKey
}

// NewSigningKey holds k, which must be on P-384.
func NewSigningKey(k *ecdsa.PrivateKey) (SigningKey, error) {
	if k == nil {
		return NewSigner(nil) // not a nil key inside a non-nil crypto.Signer
	}
	return NewSigner(k)
}

// NewSigner holds s, a signer whose key is ECDSA on P-384: an
// *ecdsa.PrivateKey, or a key kept in an HSM or a KMS that signs through
// crypto.Signer.
func NewSigner(s crypto.Signer) (SigningKey, error) {
	sig, err := httpsig.ECDSAP384Signer(s)
	if err != nil {
		var p card.Problems
		p.Add("credentials.signing_key", card.CodeNotAllowed, "OffBlocks signs with ECDSA on P-384 only")
		return SigningKey{}, p.Err("offblocks.NewSigningKey")
	}
	return SigningKey{sign: sig.Sign, pub: s.Public().(*ecdsa.PublicKey)}, nil
}

// ParseSigningKey reads a PEM private key as `openssl ecparam -name
// secp384r1 -genkey` writes it (SEC 1 "EC PRIVATE KEY") or in PKCS #8.
func ParseSigningKey(pemBytes []byte) (SigningKey, error) {
	var p card.Problems
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		p.Add("credentials.signing_key", card.CodeFormat, "a PEM private key")
		return SigningKey{}, p.Err("offblocks.ParseSigningKey")
	}
	k, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		any, err2 := x509.ParsePKCS8PrivateKey(block.Bytes)
		ek, ok := any.(*ecdsa.PrivateKey)
		if err2 != nil || !ok {
			p.Add("credentials.signing_key", card.CodeFormat, "an ECDSA private key in SEC 1 or PKCS #8")
			return SigningKey{}, p.Err("offblocks.ParseSigningKey")
		}
		k = ek
	}
	return NewSigningKey(k)
}

// Public is the key's public half, which OffBlocks verifies with.
func (k SigningKey) Public() *ecdsa.PublicKey { return k.pub }

// IsZero reports whether no key is held.
func (k SigningKey) IsZero() bool { return k.sign == nil }

// Sign signs a signature base (httpsig.Signer). The zero SigningKey holds
// no key and refuses.
func (k SigningKey) Sign(base []byte) ([]byte, error) {
	if k.sign == nil {
		var p card.Problems
		p.Add("credentials.signing_key", card.CodeRequired, "no signing key")
		return nil, p.Err("offblocks.Sign")
	}
	return k.sign(base)
}

// String returns "[redacted]".
func (k SigningKey) String() string { return "[redacted]" }

// GoString returns "[redacted]".
func (k SigningKey) GoString() string { return "[redacted]" }

// Format writes "[redacted]" for every verb.
func (k SigningKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// LogValue logs "[redacted]".
func (k SigningKey) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON encodes "[redacted]".
func (k SigningKey) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// Credentials are what OffBlocks authenticates a call with: the API key and
// secret, exchanged for a bearer token, and the signing key with the id
// OffBlocks gave it when its public half was uploaded.
type Credentials struct {
	APIKey     httpapi.Secret // a UUID
	APISecret  httpapi.Secret
	SigningKey SigningKey
	KeyID      string
}

// Client calls OffBlocks' API v1. It implements the issuance provider
// port: IssueCard (POST /v1/accounts/{accountId}/cards), ChangeStatus
// (deactivate: PATCH /v1/cards/{id}/deactivate; activate: PATCH
// /v1/cards/{id}/activate; terminate: DELETE /v1/cards/{id}); Card reads
// one (GET /v1/cards/{id}); SimulateIssue and SimulateFail drive the
// sandbox simulator. OffBlocks has no reissue call (ErrUnsupported), and a
// client cannot place the provider's own "suspended" hold: only
// deactivation ("inactive").
//
// Every request is signed (RFC 9421, ecdsa-p384-sha384, label "sig",
// covering @method, @target-uri and, with a body, content-digest; created,
// keyid and alg as parameters), every body carries a Content-Digest
// (sha-256), every modifying call an Idempotency-Key that is a UUID (one is
// derived from the caller's key when it is not one), and every call but
// the token exchange a bearer token, replaced before it expires. It is
// safe for concurrent use.
type Client struct {
	http   *httpapi.Client
	creds  Credentials
	tokens *httpapi.Tokens
	sim    bool
}

// NewClient makes a client; the base URL defaults to BaseURL. With
// httpapi.WithSandboxSimulator, IssueCard finishes each card with the
// simulator's issue call, as the sandbox guide does by hand.
func NewClient(creds Credentials, opts ...httpapi.Option) (*Client, error) {
	cfg := httpapi.NewConfig(BaseURL, opts)
	var p card.Problems
	if _, err := uuid.Parse(creds.APIKey.Reveal()); err != nil {
		p.Add("credentials.api_key", card.CodeFormat, "OffBlocks' API key is a UUID")
	}
	if creds.APISecret.IsZero() {
		p.Add("credentials.api_secret", card.CodeRequired, "")
	}
	if creds.SigningKey.IsZero() {
		p.Add("credentials.signing_key", card.CodeRequired, "OffBlocks wants every request signed")
	}
	if creds.KeyID == "" {
		p.Add("credentials.key_id", card.CodeRequired, "the id OffBlocks gave the uploaded public key")
	}
	if err := p.Err("offblocks.NewClient"); err != nil {
		return nil, err
	}
	c := &Client{creds: creds, sim: cfg.Simulator}
	c.tokens = &httpapi.Tokens{Now: cfg.Now, Fetch: c.exchange}
	c.http = httpapi.New(cfg, httpapi.Provider{
		Name: Name,
		Authorize: func(ctx context.Context, r *http.Request, req httpapi.Request) error {
			if !req.Exchange {
				if err := c.tokens.Authorize(ctx, r); err != nil {
					return err
				}
			}
			return Sign(r, req.Body, c.creds.SigningKey, c.creds.KeyID, cfg.Now())
		},
		Reauthorize: c.tokens.DropRefused,
		DecodeError: decodeError,
		// The token exchange sends the key and secret in its body.
		Secrets: func() []string { return []string{c.creds.APIKey.Reveal(), c.creds.APISecret.Reveal()} },
	})
	return c, nil
}

// Sign signs r as OffBlocks wants it: a Content-Digest (sha-256) of body
// when there is one, then Signature-Input and Signature over @method,
// @target-uri and content-digest.
func Sign(r *http.Request, body []byte, k SigningKey, keyID string, now time.Time) error {
	if r == nil {
		return wire.Nil("offblocks.Sign", "request")
	}
	all := [...]httpsig.Component{httpsig.C("@method"), httpsig.C("@target-uri"), httpsig.C("content-digest")}
	components := all[:2]
	if body != nil {
		d, err := httpsig.ContentDigest(httpsig.DigestSHA256, body)
		if err != nil {
			return err
		}
		r.Header.Set(httpsig.HeaderContentDigest, d)
		components = all[:]
	}
	m := httpsig.FromRequest(r)
	in, sig, err := httpsig.Sign(&m, SignatureLabel, components,
		httpsig.Params{Created: now.Unix(), KeyID: keyID, Alg: httpsig.AlgECDSAP384SHA384}, k)
	if err != nil {
		return err
	}
	r.Header.Set(httpsig.HeaderSignatureInput, in)
	r.Header.Set(httpsig.HeaderSignature, sig)
	return nil
}

// TokenRequest is the body of POST /v1/auth/token.
type TokenRequest struct {
	APIKey    string `json:"apiKey"`
	APISecret string `json:"apiSecret"`

	Unknown jsontext.Value `json:",embed"`
}

// Format prints "[redacted]" for every verb, and LogValue logs it: the
// body holds a secret (the API key and secret).
func (r TokenRequest) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// LogValue logs "[redacted]".
func (r TokenRequest) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON encodes "[redacted]": the wire's body is written from a
// tokenRequestBody, which has none of these methods.
func (r TokenRequest) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// tokenRequestBody is a TokenRequest as the wire carries it, secret and
// all, for writing the body only.
type tokenRequestBody TokenRequest

// TokenResponse is its answer.
type TokenResponse struct {
	Token     string `json:"token"`
	ExpiresAt int64  `json:"expiresAt"` // Unix seconds
	TokenType string `json:"tokenType"` // "Bearer"

	Unknown jsontext.Value `json:",embed"`
}

// Format prints "[redacted]" for every verb, and LogValue logs it: the
// body holds a secret (the token).
func (r TokenResponse) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// LogValue logs "[redacted]".
func (r TokenResponse) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON encodes "[redacted]". A server writing the answer converts
// it to a struct type of the same fields, which has none of these methods.
func (r TokenResponse) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// exchange fetches a token; the Secret it returns is the Authorization
// header value that carries it.
func (c *Client) exchange(ctx context.Context) (httpapi.Secret, time.Time, error) {
	body, err := wire.Marshal(&tokenRequestBody{APIKey: c.creds.APIKey.Reveal(), APISecret: c.creds.APISecret.Reveal()})
	if err != nil {
		return httpapi.Secret{}, time.Time{}, err
	}
	resp, err := c.http.Do(ctx, httpapi.Request{Op: "token", Method: http.MethodPost, Path: TokenPath, Body: body, Exchange: true})
	if err != nil {
		return httpapi.Secret{}, time.Time{}, err
	}
	var t TokenResponse
	if err := wire.Unmarshal("offblocks.TokenResponse", resp.Body, &t); err != nil || t.Token == "" || t.ExpiresAt <= 0 {
		if err == nil {
			var p card.Problems
			p.Add("token", card.CodeRequired, "a token and its expiry")
			err = p.Err("offblocks.TokenResponse")
		}
		return httpapi.Secret{}, time.Time{}, c.http.ErrorFor("token", resp.Status, err)
	}
	return httpapi.NewSecret("Bearer " + t.Token), time.Unix(t.ExpiresAt, 0), nil
}

// Name is "offblocks".
func (c *Client) Name() string { return Name }

// KeyFor is the UUID OffBlocks gets as the Idempotency-Key for key and,
// for a call made on the way (the simulator's), its name: key itself when
// it is a UUID and there is no sub-call, otherwise a name-based UUID
// (version 5) of both, the same on every retry.
func KeyFor(key, sub string) IdempotencyKey {
	if u, err := uuid.Parse(key); err == nil && sub == "" {
		return IdempotencyKey(u)
	}
	return IdempotencyKey(uuid.NewSHA1(keySpace, []byte(key+"\x00"+sub)))
}

// requireKey refuses a call without an idempotency key before it is sent:
// OffBlocks refuses one (a UUID is required), and every such call would
// otherwise share the key derived from "".
func requireKey(op, key string) error {
	if key != "" {
		return nil
	}
	var p card.Problems
	p.Add("idempotency_key", card.CodeRequired, "OffBlocks requires an Idempotency-Key")
	return p.Err(op)
}

// keySpace is the namespace of derived idempotency keys.
var keySpace = uuid.MustParse("0f8a3c52-6f0e-4d7a-9d6b-3e1c2b7a9f40")

// IssueCard orders a virtual card on c's account: POST
// /v1/accounts/{accountId}/cards. The card comes back issuing (PENDING)
// until OffBlocks, or in the sandbox the simulator, issues it.
func (c *Client) IssueCard(ctx context.Context, key string, cd card.Card) (card.Card, error) {
	if err := requireKey("offblocks.IssueCard", key); err != nil {
		return card.Card{}, err
	}
	body, err := EncodeCardRequest(&cd, nil)
	if err != nil {
		return card.Card{}, err
	}
	if _, err := uuid.Parse(cd.AccountID); err != nil {
		var p card.Problems
		p.Add("accountId", card.CodeFormat, "OffBlocks' account id is a UUID")
		return card.Card{}, p.Err("offblocks.IssueCard")
	}
	out, err := c.call(ctx, httpapi.Request{Op: "issue", Method: http.MethodPost, Path: IssuePath(url.PathEscape(cd.AccountID)), Body: body, Key: KeyFor(key, "").String()})
	if err != nil || !c.sim || out.Status != card.StatusPending {
		return out, err
	}
	// The card is made: what fails from here follows an effect.
	if err := c.SimulateIssue(ctx, KeyFor(key, "simulate-issue").String(), out.ProviderRefs[Name]); err != nil {
		return card.Card{}, httpapi.AfterEffect(err)
	}
	out, err = c.Card(ctx, out.ProviderRefs[Name])
	return out, httpapi.AfterEffect(err)
}

// Card reads OffBlocks' card id.
func (c *Client) Card(ctx context.Context, id string) (card.Card, error) {
	return c.call(ctx, httpapi.Request{Op: "get", Method: http.MethodGet, Path: "/v1/cards/" + url.PathEscape(id)})
}

// SimulateIssue makes the sandbox issue a card that is issuing: PATCH
// /v1/simulator/cards/{id}/issue. Sandbox only.
func (c *Client) SimulateIssue(ctx context.Context, key, id string) error {
	return c.patch(ctx, "simulate", key, "/v1/simulator/cards/"+url.PathEscape(id)+"/issue")
}

// SimulateFail makes the sandbox fail a card that is issuing
// (issue_failed): PATCH /v1/simulator/cards/{id}/fail. Sandbox only.
func (c *Client) SimulateFail(ctx context.Context, key, id string) error {
	return c.patch(ctx, "simulate", key, "/v1/simulator/cards/"+url.PathEscape(id)+"/fail")
}

func (c *Client) patch(ctx context.Context, op, key, path string) error {
	if err := requireKey("offblocks."+op, key); err != nil {
		return err
	}
	_, err := c.http.Do(ctx, httpapi.Request{Op: op, Method: http.MethodPatch, Path: path, Key: KeyFor(key, "").String()})
	return err
}

// ChangeStatus deactivates (a hold the program may lift: "inactive"),
// activates again, or terminates cd, then reads it back.
func (c *Client) ChangeStatus(ctx context.Context, key string, cd card.Card, m card.Move) (card.Card, error) {
	if err := requireKey("offblocks.ChangeStatus", key); err != nil {
		return card.Card{}, err
	}
	id, err := httpapi.Ref(cd, Name)
	if err != nil {
		return card.Card{}, err
	}
	path := "/v1/cards/" + url.PathEscape(id)
	req := httpapi.Request{Method: http.MethodPatch, Key: KeyFor(key, "").String()}
	switch m.To {
	case card.StatusSuspended:
		w, err := statusTable.Encode(card.StatusSuspended, m.Reason)
		if err != nil {
			return card.Card{}, err
		}
		if w != "inactive" {
			return card.Card{}, wire.Unsupported(Name, "suspend for "+m.Reason.String(), "a client deactivates a card (inactive); only OffBlocks suspends one")
		}
		req.Op, req.Path = "deactivate", path+"/deactivate"
	case card.StatusActive:
		req.Op, req.Path = "activate", path+"/activate"
	case card.StatusTerminated:
		req.Op, req.Method, req.Path = "terminate", http.MethodDelete, path
	default:
		return card.Card{}, wire.Unsupported(Name, "change status to "+m.To.String(), "")
	}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return card.Card{}, err
	}
	if len(resp.Body) > 0 {
		return c.decode(req.Op, resp)
	}
	out, err := c.Card(ctx, id) // the change is made: a failure here follows it
	return out, httpapi.AfterEffect(err)
}

// ReissueCard is not offered: OffBlocks documents no reissue call.
func (c *Client) ReissueCard(context.Context, string, card.Card, card.ReissuePlan) (card.Card, error) {
	return card.Card{}, wire.Unsupported(Name, "reissue", "OffBlocks documents no reissue call; issue a new card")
}

func (c *Client) call(ctx context.Context, req httpapi.Request) (card.Card, error) {
	out, _, err := httpapi.CallCard(ctx, c.http, req, DecodeCard)
	return out, err
}

func (c *Client) decode(op string, resp httpapi.Response) (card.Card, error) {
	out, _, err := DecodeCard(resp.Body)
	if err != nil {
		return card.Card{}, c.http.ErrorFor(op, resp.Status, err)
	}
	return out, nil
}

// ErrorBody is how OffBlocks' errors read: each response documents only a
// status and a description ("Invalid request", "Not authorised", "Card not
// found"); code is read when present.
type ErrorBody struct {
	Status      int    `json:"status,omitempty"`
	Description string `json:"description,omitempty"`
	Code        string `json:"code,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

func decodeError(e *httpapi.Error, _ http.Header, body []byte) {
	var b ErrorBody
	if wire.UnmarshalLenient(body, &b) {
		e.Code, e.Message = b.Code, b.Description
	}
	if e.Status == http.StatusConflict {
		// 409 is documented for a key in flight ("Idempotency-Key
		// Concurrency Conflict"), which a retry outlives; the idempotency
		// page allows it for a key reused with another body too, which no
		// retry mends. The description tells them apart; without one, the
		// documented case.
		e.Transient = b.Description == "" || strings.Contains(strings.ToLower(b.Description), "concurrency")
	}
}
