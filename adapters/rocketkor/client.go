package rocketkor

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// TokenPath is the call that exchanges an API key and secret for an access
// token.
const TokenPath = "/v1/api-keys/exchange"

// Credentials are a RocketKOR Service Account's API key and secret, which
// the client exchanges for access tokens.
type Credentials struct {
	APIKey    httpapi.Secret
	APISecret httpapi.Secret
}

// Program is what an issue or activate call needs that no card holds.
type Program struct {
	// Terms gives, for the card being issued, the members RocketKOR
	// requires that only the program knows: the solution, the starting
	// number (the BIN and program digits), the holder's citizenship and
	// the dates the terms and privacy policy were accepted.
	Terms func(c card.Card) Terms
	// PINBlock gives the encrypted PIN block (4 to 12 characters) that
	// RocketKOR's activate call sets as the card's PIN. cardkit never
	// holds a PIN: the block comes from the program's PCI-scoped PIN
	// encryption, under RocketKOR's keys. Without it, activation is
	// refused before any call.
	PINBlock func(ctx context.Context, c card.Card) (string, error)
}

// Client calls RocketKOR's KOR API v1. It implements the issuance
// provider port: IssueCard (POST /v1/integrated-cards), ChangeStatus
// (activate: POST /v1/integrated-cards/{id}/activate; suspend: POST
// /v1/financial-accounts/{id}/suspend with a stateReason; resume: PUT
// /v1/financial-accounts/{id}/unsuspend) and ReissueCard (POST
// /v1/integrated-cards/{id}/reissue); Card reads one (GET
// /v1/financial-accounts/{id}). RocketKOR documents no call that closes an
// integrated card account: terminating is ErrUnsupported.
//
// A RocketKOR card is its Issued Card Financial Account, and a reissue
// keeps the account: the replacement's provider reference is the account
// id followed by "/reissue/" and a digest of the reissue call's
// idempotency key (ReissueRef), so that the old card and its replacement
// stay two cards to cardkit while every call goes to the one account.
//
// Every call carries an access token, fetched with the key and secret
// (Basic auth on /v1/api-keys/exchange) and replaced a minute before it
// expires. It is safe for concurrent use.
type Client struct {
	http    *httpapi.Client
	program Program
	tokens  *httpapi.Tokens
	// basic is the token exchange's Authorization header value, made
	// once from the key and secret.
	basic httpapi.Secret
}

// NewClient makes a client. RocketKOR documents no API host in the
// material cardkit follows, so the base URL is required
// (httpapi.WithBaseURL).
func NewClient(creds Credentials, program Program, opts ...httpapi.Option) (*Client, error) {
	cfg := httpapi.NewConfig("", opts)
	var p card.Problems
	if creds.APIKey.IsZero() || creds.APISecret.IsZero() {
		p.Add("credentials", card.CodeRequired, "RocketKOR exchanges an API key and secret for tokens")
	}
	if cfg.BaseURL == "" {
		p.Add("base_url", card.CodeRequired, "RocketKOR documents no API host: give one")
	}
	if program.Terms == nil {
		p.Add("program.terms", card.CodeRequired, "RocketKOR's issue call needs the program's terms")
	}
	if err := p.Err("rocketkor.NewClient"); err != nil {
		return nil, err
	}
	c := &Client{program: program,
		basic: httpapi.NewSecret("Basic " + base64.StdEncoding.EncodeToString([]byte(creds.APIKey.Reveal()+":"+creds.APISecret.Reveal())))}
	c.tokens = &httpapi.Tokens{Now: cfg.Now, Fetch: c.exchange}
	c.http = httpapi.New(cfg, httpapi.Provider{
		Name: Name,
		Authorize: func(ctx context.Context, r *http.Request, req httpapi.Request) error {
			if req.Exchange {
				r.Header["Authorization"] = []string{c.basic.Reveal()}
				return nil
			}
			return c.tokens.Authorize(ctx, r)
		},
		Reauthorize: c.tokens.DropRefused,
		DecodeError: decodeError,
		// An error body may echo them; the Basic header of the exchange
		// carries them too.
		Secrets: func() []string { return []string{creds.APIKey.Reveal(), creds.APISecret.Reveal()} },
	})
	return c, nil
}

// TokenResponse is the answer of the token exchange.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"` // seconds
	TokenType   string `json:"token_type,omitempty"`

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
	resp, err := c.http.Do(ctx, httpapi.Request{Op: "token", Method: http.MethodPost, Path: TokenPath, Exchange: true})
	if err != nil {
		return httpapi.Secret{}, time.Time{}, err
	}
	var t TokenResponse
	if err := wire.Unmarshal("rocketkor.TokenResponse", resp.Body, &t); err != nil || t.AccessToken == "" || t.ExpiresIn <= 0 {
		if err == nil {
			var p card.Problems
			p.Add("access_token", card.CodeRequired, "a token and its lifetime")
			err = p.Err("rocketkor.TokenResponse")
		}
		return httpapi.Secret{}, time.Time{}, c.http.ErrorFor("token", resp.Status, err)
	}
	// A lifetime past what a Duration holds is read as the longest one, not
	// as an overflow into the past.
	life := time.Duration(min(t.ExpiresIn, int64(math.MaxInt64/time.Second))) * time.Second
	return httpapi.NewSecret("Bearer " + t.AccessToken), c.http.Config().Now().Add(life), nil
}

// TokenFetches is how many access tokens the client fetched so far.
func (c *Client) TokenFetches() int { return c.tokens.Fetches() }

// Name is "rocketkor".
func (c *Client) Name() string { return Name }

// IssueCard issues c and its integrated account: POST
// /v1/integrated-cards. RocketKOR ships the card inactive (SUSPENDED,
// ISSUED_INACTIVE: UNACTIVATED) and answers with the full card number in
// its provider details.
func (c *Client) IssueCard(ctx context.Context, key string, cd card.Card) (card.Card, error) {
	k, err := ParseIdempotencyKey(key)
	if err != nil {
		return card.Card{}, err
	}
	body, err := EncodeIssueRequest(&cd, &Residue{Terms: c.program.Terms(cd)})
	if err != nil {
		return card.Card{}, err
	}
	out, err := c.call(ctx, k, "issue", http.MethodPost, "/v1/integrated-cards", body)
	return out, err
}

// Card reads the card whose reference is ref: its account.
func (c *Client) Card(ctx context.Context, ref string) (card.Card, error) {
	out, err := c.call(ctx, "", "get", http.MethodGet, "/v1/financial-accounts/"+url.PathEscape(accountOf(ref)), nil)
	return withRef(out, ref), err
}

// ChangeStatus activates (with the program's PIN block), suspends (for
// the reasons RocketKOR has: lost, stolen, captured or not, fraud) or
// resumes cd.
func (c *Client) ChangeStatus(ctx context.Context, key string, cd card.Card, m card.Move) (card.Card, error) {
	ref, err := httpapi.Ref(cd, Name)
	if err != nil {
		return card.Card{}, err
	}
	switch m.To {
	case card.StatusTerminated:
		return card.Card{}, wire.Unsupported(Name, "terminate", "RocketKOR documents no call that closes an integrated card account")
	case card.StatusActive, card.StatusUnactivated, card.StatusSuspended:
	default:
		return card.Card{}, wire.Unsupported(Name, "change status to "+m.To.String(), "")
	}
	// Every state change RocketKOR has takes a key.
	k, err := ParseIdempotencyKey(key)
	if err != nil {
		return card.Card{}, err
	}
	fa := url.PathEscape(accountOf(ref))
	switch {
	case m.To == card.StatusActive && cd.Status == card.StatusUnactivated:
		if c.program.PINBlock == nil {
			var p card.Problems
			p.Add("program.pin_block", card.CodeRequired, "RocketKOR's activation sets a PIN; cardkit holds none")
			return card.Card{}, p.Err("rocketkor.Activate")
		}
		pin, err := c.program.PINBlock(ctx, cd)
		if err != nil {
			return card.Card{}, err
		}
		body, err := ActivateRequestFor(pin)
		if err != nil {
			return card.Card{}, err
		}
		out, err := c.call(ctx, k, "activate", http.MethodPost, "/v1/integrated-cards/"+fa+"/activate", body)
		return withRef(out, ref), err
	case m.To == card.StatusSuspended:
		body, err := SuspendRequestFor(m)
		if err != nil {
			return card.Card{}, err
		}
		return c.thenGet(ctx, ref, httpapi.Request{Op: "suspend", Method: http.MethodPost, Path: "/v1/financial-accounts/" + fa + "/suspend", Body: body, Key: string(k)})
	default: // back to ACTIVE or UNACTIVATED: the hold lifted
		return c.thenGet(ctx, ref, httpapi.Request{Op: "resume", Method: http.MethodPut, Path: "/v1/financial-accounts/" + fa + "/unsuspend", Key: string(k)})
	}
}

// ReissueCard orders old's replacement on its account: POST
// /v1/integrated-cards/{id}/reissue, asking for a new number and expiry
// where the plan does. The new card ships inactive.
func (c *Client) ReissueCard(ctx context.Context, key string, old card.Card, plan card.ReissuePlan) (card.Card, error) {
	k, err := ParseIdempotencyKey(key)
	if err != nil {
		return card.Card{}, err
	}
	ref, err := httpapi.Ref(old, Name)
	if err != nil {
		return card.Card{}, err
	}
	body, err := ReissueRequestFor(old, plan)
	if err != nil {
		return card.Card{}, err
	}
	out, err := c.call(ctx, k, "reissue", http.MethodPost, "/v1/integrated-cards/"+url.PathEscape(accountOf(ref))+"/reissue", body)
	return withRef(out, ReissueRef(ref, key)), err
}

// ReissueRef is the reference of the card that replaces the card ref under
// the reissue call with idempotency key key: the account, and the first 16
// hex digits of the key's SHA-256, so that two keys make two references
// however alike they begin.
func ReissueRef(ref, key string) string {
	sum := sha256.Sum256([]byte(key))
	return accountOf(ref) + "/reissue/" + hex.EncodeToString(sum[:8])
}

// accountOf is the account id of a card reference.
func accountOf(ref string) string {
	fa, _, _ := strings.Cut(ref, "/")
	return fa
}

func withRef(c card.Card, ref string) card.Card {
	if c.ProviderRefs != nil {
		c.ProviderRefs[Name] = ref
	}
	return c
}

func (c *Client) call(ctx context.Context, key IdempotencyKey, op, method, path string, body []byte) (card.Card, error) {
	out, _, err := httpapi.CallCard(ctx, c.http, httpapi.Request{Op: op, Method: method, Path: path, Body: body, Key: string(key)}, DecodeCard)
	return httpapi.Numbered(out), err
}

// thenGet sends a call RocketKOR answers without the account (204) and
// reads the account after it. The read's failure follows the call's effect
// (httpapi.AfterEffect).
func (c *Client) thenGet(ctx context.Context, ref string, req httpapi.Request) (card.Card, error) {
	if _, err := c.http.Do(ctx, req); err != nil {
		return card.Card{}, err
	}
	out, err := c.Card(ctx, ref)
	return out, httpapi.AfterEffect(err)
}

// ActivateRequest is the body of POST /v1/integrated-cards/{id}/activate.
type ActivateRequest struct {
	NewPIN string `json:"newPin"` // an encrypted PIN block, 4 to 12 characters

	Unknown jsontext.Value `json:",embed"`
}

// Format prints "[redacted]" for every verb, and LogValue logs it: the
// body holds a secret (the PIN block).
func (r ActivateRequest) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// LogValue logs "[redacted]".
func (r ActivateRequest) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON encodes "[redacted]": the body is written as the wire
// carries it by ActivateRequestFor.
func (r ActivateRequest) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// activateBody is an ActivateRequest as the wire carries it, without its
// redacting methods.
type activateBody ActivateRequest

var pinLimit = card.TextLimit{Min: 4, Max: 12}

// ActivateRequestFor writes the activation body.
func ActivateRequestFor(pinBlock string) ([]byte, error) {
	w := &ActivateRequest{NewPIN: pinBlock}
	if err := w.Check(); err != nil {
		return nil, err
	}
	return wire.Marshal((*activateBody)(w))
}

// Check applies RocketKOR's rule to the body.
func (w *ActivateRequest) Check() error {
	var p card.Problems
	pinLimit.Check(&p, "newPin", w.NewPIN) // an empty one is required
	return p.Err("rocketkor.ActivateRequest")
}

// SuspendRequest is the body of POST /v1/financial-accounts/{id}/suspend;
// stateReason is required for an integrated card account.
type SuspendRequest struct {
	StateReason string `json:"stateReason"`

	Unknown jsontext.Value `json:",embed"`
}

// SuspendRequestFor writes the hold m places. A hold RocketKOR has no
// reason for (a holder's freeze, REQ) is a *card.Error naming stateReason.
func SuspendRequestFor(m card.Move) ([]byte, error) {
	k, err := statusTable.Encode(card.StatusSuspended, m.Reason)
	if err != nil || k.State != "SUSPENDED" || k.Reason == "ISSUED_INACTIVE" {
		var p card.Problems
		p.AddValue("stateReason", card.CodeNotAllowed, m.Reason.String(), "no RocketKOR hold for it: lost, stolen (captured or not) or fraud")
		return nil, p.Err("rocketkor.SuspendRequestFor")
	}
	return wire.Marshal(&SuspendRequest{StateReason: k.Reason})
}

// Hold reads the hold the body asks for, as the domain's reason.
func (w *SuspendRequest) Hold() (card.StatusReason, error) {
	s, r, err := statusTable.Decode(StateKey{"SUSPENDED", w.StateReason})
	if err == nil && s != card.StatusSuspended {
		var p card.Problems
		p.AddValue("stateReason", card.CodeNotAllowed, w.StateReason, "not a hold")
		err = p.Err("rocketkor.SuspendRequest")
	}
	return r, err
}

// ReissueRequest is the body of POST /v1/integrated-cards/{id}/reissue.
type ReissueRequest struct {
	ReissueReason    string `json:"reissueReason"` // DAMAGED, EXPIRED, LOST_STOLEN, FRAUD_COMPROMISED, RETURN, NEW_ENROLLMENT
	ChangeCardNumber bool   `json:"changeCardNumber"`
	ChangeExpiryDate bool   `json:"changeExpiryDate"` // ignored with a new number, which always has a new expiry
	ShippingMethod   string `json:"shippingMethod,omitempty"`
	NewProgramID     string `json:"newProgramId,omitempty"`
	NameOnCard       string `json:"nameOnCard,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// ReissueRequestFor writes the reissue of old under plan.
func ReissueRequestFor(old card.Card, plan card.ReissuePlan) ([]byte, error) {
	var p card.Problems
	w := &ReissueRequest{ChangeCardNumber: !plan.SamePAN, ChangeExpiryDate: !plan.SameExpiry, NameOnCard: plan.Options.NameOnCard}
	w.ReissueReason = reissueReasonTable.Out(&p, "", plan.Reason, true)
	if plan.ProductID != old.ProductID {
		w.NewProgramID = plan.ProductID
	}
	if old.Shipping != nil {
		w.ShippingMethod = methodTable.Out(&p, "", old.Shipping.Method, false)
	}
	wire.Text(&p, "nameOnCard", w.NameOnCard, card.RuleNameOnCard.Limit())
	if err := p.Err("rocketkor.ReissueRequestFor"); err != nil {
		return nil, err
	}
	return wire.Marshal(w)
}

// Reason reads the reissue reason and what the new card keeps.
func (w *ReissueRequest) Reason() (card.ReissueReason, card.Keep, error) {
	var p card.Problems
	r := reissueReasonTable.In(&p, "", w.ReissueReason, true)
	keep := card.KeepSamePANSameExpiry
	switch {
	case w.ChangeCardNumber:
		keep = card.KeepNewPAN
	case w.ChangeExpiryDate:
		keep = card.KeepSamePANNewExpiry
	}
	if w.ShippingMethod != "" {
		methodTable.In(&p, "", w.ShippingMethod, false)
	}
	return r, keep, p.Err("rocketkor.ReissueRequest")
}

// ErrorBody is RocketKOR's error body, in both documented revisions: the
// older {timestamp, traceId, error, message} and the newer {timestamp,
// traceId, message, errorCode, errors[{path, message, errorCode}]}.
type ErrorBody struct {
	Timestamp string       `json:"timestamp,omitempty"`
	TraceID   string       `json:"traceId,omitempty"`
	Error     string       `json:"error,omitempty"` // the older revision's code
	Message   string       `json:"message,omitempty"`
	ErrorCode string       `json:"errorCode,omitempty"`
	Errors    []FieldError `json:"errors,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// FieldError is one problem of the newer error body; path is like
// "fieldName.nestedFieldName".
type FieldError struct {
	Path      string `json:"path,omitempty"`
	Message   string `json:"message,omitempty"`
	ErrorCode string `json:"errorCode,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

func decodeError(e *httpapi.Error, _ http.Header, body []byte) {
	var b ErrorBody
	if !wire.UnmarshalLenient(body, &b) {
		return
	}
	e.Code, e.Message, e.RequestID = wire.Or(b.ErrorCode, b.Error), b.Message, b.TraceID
	if len(b.Errors) > 0 {
		e.Field = b.Errors[0].Path
		e.Code = wire.Or(e.Code, b.Errors[0].ErrorCode)
		if m := b.Errors[0].Message; m != "" && m != e.Message {
			e.Message = strings.TrimPrefix(e.Message+": "+m, ": ")
		}
	}
}
