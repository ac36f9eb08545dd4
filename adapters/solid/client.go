package solid

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// SandboxURL is the host Solid's v1 clients are seen calling
// (providers/solid.md §1); its documents' own examples use
// https://qa-api.sbx.solidfi.com/v1. Solid documents no production host
// for v1 in the material cardkit follows: give it with
// httpapi.WithBaseURL.
const SandboxURL = "https://test-api.solidfi.com/v1"

// HeaderAPIKey carries Solid's API key.
const HeaderAPIKey = "sd-api-key"

// HeaderIdempotencyKey carries the idempotency key. Solid's errors page
// documents a 409 for a reused idempotency key but names no header on the
// card pages; cardkit sends the name the other providers (and the IETF
// draft) use.
const HeaderIdempotencyKey = "Idempotency-Key"

// Credentials are what Solid authenticates a call with: the API key, and
// the person the calls act for (sd-person-id, required on card calls).
type Credentials struct {
	APIKey   httpapi.Secret
	PersonID PersonID
}

// Client calls Solid's card API v1. It implements the issuance provider
// port: IssueCard (POST /card), ChangeStatus (activate: PATCH
// /card/{id}/activate with the card's last four and expiry; terminate:
// DELETE /card/{id}) and ReissueCard (POST /card/{id}/replace); Card reads
// one (GET /card/{id}). Solid v1 documents no call to lock or unlock a
// card: suspending and resuming are ErrUnsupported. It is safe for
// concurrent use.
type Client struct {
	http  *httpapi.Client
	creds Credentials
}

// The header names as net/http keys them (http.CanonicalHeaderKey), so that
// a request sets them without canonicalising them again.
const (
	canonicalAPIKey   = "Sd-Api-Key"
	canonicalPersonID = "Sd-Person-Id"
)

// NewClient makes a client; the base URL defaults to SandboxURL.
func NewClient(creds Credentials, opts ...httpapi.Option) (*Client, error) {
	var p card.Problems
	if creds.APIKey.IsZero() {
		p.Add("credentials.api_key", card.CodeRequired, "Solid authenticates every call with sd-api-key")
	}
	if _, err := ParsePersonID(string(creds.PersonID)); err != nil {
		p.Merge("credentials", err)
	}
	if err := p.Err("solid.NewClient"); err != nil {
		return nil, err
	}
	c := &Client{creds: creds}
	c.http = httpapi.New(httpapi.NewConfig(SandboxURL, opts), httpapi.Provider{
		Name: Name,
		Authorize: func(_ context.Context, r *http.Request, _ httpapi.Request) error {
			r.Header[canonicalAPIKey] = []string{c.creds.APIKey.Reveal()}
			r.Header[canonicalPersonID] = []string{string(c.creds.PersonID)}
			return nil
		},
		DecodeError:   decodeError,
		SecretHeaders: []string{canonicalAPIKey},
	})
	return c, nil
}

// Name is "solid".
func (c *Client) Name() string { return Name }

// IssueCard creates c: POST /card. A physical card comes back
// pendingActivation, a virtual one active.
func (c *Client) IssueCard(ctx context.Context, key string, cd card.Card) (card.Card, error) {
	body, err := EncodeCardRequest(&cd, nil)
	if err != nil {
		return card.Card{}, err
	}
	return c.call(ctx, key, "issue", http.MethodPost, "/card", body)
}

// Card reads Solid's card id.
func (c *Client) Card(ctx context.Context, id string) (card.Card, error) {
	return c.call(ctx, "", "get", http.MethodGet, "/card/"+url.PathEscape(id), nil)
}

// ChangeStatus activates a pendingActivation card (proving possession with
// its last four and expiry) or terminates a card (DELETE). Solid answers
// both with the id and the new status only; the card returned is cd with
// that status.
func (c *Client) ChangeStatus(ctx context.Context, key string, cd card.Card, m card.Move) (card.Card, error) {
	id, err := httpapi.Ref(cd, Name)
	if err != nil {
		return card.Card{}, err
	}
	path := "/card/" + url.PathEscape(id)
	switch {
	case m.To == card.StatusActive && cd.Status == card.StatusUnactivated:
		body, err := ActivateRequestFor(cd)
		if err != nil {
			return card.Card{}, err
		}
		return c.status(ctx, key, cd, "activate", http.MethodPatch, path+"/activate", body)
	case m.To == card.StatusTerminated:
		return c.status(ctx, key, cd, "terminate", http.MethodDelete, path, nil)
	case m.To == card.StatusSuspended:
		return card.Card{}, wire.Unsupported(Name, "suspend", "Solid v1 documents no call to lock a card")
	case m.To == card.StatusActive || m.To == card.StatusUnactivated:
		return card.Card{}, wire.Unsupported(Name, "resume", "Solid v1 documents no call to unlock a card")
	}
	return card.Card{}, wire.Unsupported(Name, "change status to "+m.To.String(), "")
}

// ReissueCard replaces old: POST /card/{id}/replace with the reason (lost,
// stolen, damaged, expired) and, for a physical card, where the new one
// goes. The new card comes back pendingActivation.
func (c *Client) ReissueCard(ctx context.Context, key string, old card.Card, plan card.ReissuePlan) (card.Card, error) {
	id, err := httpapi.Ref(old, Name)
	if err != nil {
		return card.Card{}, err
	}
	var ship *card.Shipping
	if plan.Form == card.FormPhysical {
		ship = old.Shipping
	}
	w, err := ReplaceRequestToWire(plan.Reason, ship)
	if err != nil {
		return card.Card{}, err
	}
	body, err := wire.Marshal(w)
	if err != nil {
		return card.Card{}, err
	}
	return c.call(ctx, key, "reissue", http.MethodPost, "/card/"+url.PathEscape(id)+"/replace", body)
}

func (c *Client) request(key, op, method, path string, body []byte) httpapi.Request {
	return httpapi.Request{Op: op, Method: method, Path: path, Body: body, Key: key}
}

func (c *Client) call(ctx context.Context, key, op, method, path string, body []byte) (card.Card, error) {
	out, _, err := httpapi.CallCard(ctx, c.http, c.request(key, op, method, path, body), DecodeCard)
	return out, err
}

// status sends a call Solid answers with {id, status} or {id, cardStatus}
// and returns cd in the status it names.
func (c *Client) status(ctx context.Context, key string, cd card.Card, op, method, path string, body []byte) (card.Card, error) {
	resp, err := c.http.Do(ctx, c.request(key, op, method, path, body))
	if err != nil {
		return card.Card{}, err
	}
	var w StatusResponse
	if err := wire.Unmarshal("solid.StatusResponse", resp.Body, &w); err != nil {
		return card.Card{}, c.http.ErrorFor(op, resp.Status, err)
	}
	var p card.Problems
	out := cd.Clone()
	out.Status, out.StatusReason = statusTable.In(&p, "", wire.Or(w.Status, w.CardStatus))
	out.HeldBy = 0
	if w.ID != cd.ProviderRefs[Name] {
		p.AddValue("id", card.CodeMismatch, w.ID, "Solid answered for another card")
	}
	if err := p.Err("solid.StatusResponse"); err != nil {
		return card.Card{}, c.http.ErrorFor(op, resp.Status, err)
	}
	return out, nil
}

// ActivateRequest is the body of PATCH /v1/card/{cardId}/activate: the
// holder proves possession with the card's expiry and last four.
type ActivateRequest struct {
	ExpiryMonth string `json:"expiryMonth"` // "11"
	ExpiryYear  string `json:"expiryYear"`  // "2026"
	Last4       string `json:"last4"`

	Unknown jsontext.Value `json:",embed"`
}

// ActivateRequestFor writes the activation body for c, which must know its
// last four and expiry.
func ActivateRequestFor(c card.Card) ([]byte, error) {
	var p card.Problems
	if !wire.Digits(c.LastFour, 4) {
		p.Add("last4", card.CodeRequired, "Solid activates a card by its last four")
	}
	if c.Expiry.IsZero() {
		p.Add("expiryMonth", card.CodeRequired, "Solid activates a card by its expiry")
	}
	if err := p.Err("solid.ActivateRequestFor"); err != nil {
		return nil, err
	}
	return wire.Marshal(&ActivateRequest{ExpiryMonth: wire.Pad2(int(c.Expiry.Month)), ExpiryYear: c.Expiry.String()[:4], Last4: c.LastFour})
}

// Matches reports whether the activation body names c.
func (w *ActivateRequest) Matches(c card.Card) bool {
	return !c.Expiry.IsZero() && w.Last4 == c.LastFour && w.ExpiryMonth == wire.Pad2(int(c.Expiry.Month)) && w.ExpiryYear == c.Expiry.String()[:4]
}

// StatusResponse is Solid's answer to activate ({id, status}) and to DELETE
// ({id, cardStatus}).
type StatusResponse struct {
	ID         string `json:"id"`
	Status     string `json:"status,omitempty"`
	CardStatus string `json:"cardStatus,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// StatusOf writes a card's status as Solid spells it.
func StatusOf(c card.Card) (string, error) {
	var p card.Problems
	s := statusTable.Out(&p, "", c.Status, c.StatusReason)
	return s, p.Err("solid.StatusOf")
}

// ErrorBody is Solid's error body.
type ErrorBody struct {
	RequestID  string `json:"requestId,omitempty"` // "req-<uuid>"
	Method     string `json:"method,omitempty"`
	Status     int    `json:"status,omitempty"`
	Code       string `json:"code,omitempty"`       // "EC_PERSON_ID_HEADER_REQUIRED"
	Message    string `json:"message,omitempty"`    // for people
	SysMessage string `json:"sysMessage,omitempty"` // "personId_missing"

	Unknown jsontext.Value `json:",embed"`
}

func decodeError(e *httpapi.Error, _ http.Header, body []byte) {
	var b ErrorBody
	if !wire.UnmarshalLenient(body, &b) {
		return
	}
	e.Code, e.Message, e.RequestID = b.Code, b.Message, b.RequestID
	// sysMessage names the field and the fault: personId_missing.
	for _, suffix := range []string{"_missing", "_invalid"} {
		if f, ok := strings.CutSuffix(b.SysMessage, suffix); ok {
			e.Field = f
		}
	}
}
