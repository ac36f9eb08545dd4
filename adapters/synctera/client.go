package synctera

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/adapters/httpapi"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// The hosts Synctera documents (OpenAPI 0.153, servers).
const (
	SandboxURL    = "https://api-sandbox.synctera.com/v0"
	ProductionURL = "https://api.synctera.com/v0"
)

// Credentials are what Synctera authenticates a call with: an API key sent
// as a bearer token.
type Credentials struct {
	APIKey httpapi.Secret
}

// Client calls Synctera's card API (v0). It implements the issuance
// provider port: IssueCard (POST /cards), ChangeStatus (PATCH
// /cards/{id} with card_status ACTIVE, SUSPENDED or TERMINATED) and
// ReissueCard (POST /cards with reissued_from_id); Card reads one (GET
// /cards/{id}) and ActivateWithCode activates a physical card by the code
// its holder received (POST /cards/activate). It is safe for concurrent
// use.
type Client struct {
	http *httpapi.Client
	// auth is the Authorization header value, made once.
	auth httpapi.Secret
}

// NewClient makes a client; the base URL defaults to SandboxURL.
func NewClient(creds Credentials, opts ...httpapi.Option) (*Client, error) {
	if creds.APIKey.IsZero() {
		var p card.Problems
		p.Add("credentials.api_key", card.CodeRequired, "Synctera authenticates every call with an API key")
		return nil, p.Err("synctera.NewClient")
	}
	c := &Client{auth: httpapi.NewSecret("Bearer " + creds.APIKey.Reveal())}
	c.http = httpapi.New(httpapi.NewConfig(SandboxURL, opts), httpapi.Provider{
		Name: Name,
		Authorize: func(_ context.Context, r *http.Request, _ httpapi.Request) error {
			r.Header["Authorization"] = []string{c.auth.Reveal()}
			return nil
		},
		DecodeError: decodeProblem,
	})
	return c, nil
}

// Name is "synctera".
func (c *Client) Name() string { return Name }

// IssueCard issues c: POST /cards with c's account, product, type, form,
// holder, emboss lines and shipping, under the Idempotency-Key key. A
// virtual card comes back ACTIVE, a physical one UNACTIVATED.
func (c *Client) IssueCard(ctx context.Context, key string, cd card.Card) (card.Card, error) {
	body, err := EncodeCardRequest(&cd, nil)
	if err != nil {
		return card.Card{}, err
	}
	return c.call(ctx, key, "issue", http.MethodPost, "/cards", body)
}

// Card reads Synctera's card id.
func (c *Client) Card(ctx context.Context, id string) (card.Card, error) {
	return c.call(ctx, "", "get", http.MethodGet, "/cards/"+url.PathEscape(id), nil)
}

// ChangeStatus makes move m at Synctera: PATCH /cards/{id} with the status,
// the reason code and the memo. Synctera writes only ACTIVE, SUSPENDED and
// TERMINATED there; lifting the hold of a card that was never activated
// (back to UNACTIVATED) has no call and is ErrUnsupported.
func (c *Client) ChangeStatus(ctx context.Context, key string, cd card.Card, m card.Move) (card.Card, error) {
	req, err := EditRequestFor(m)
	if err != nil {
		return card.Card{}, err
	}
	body, err := wire.Marshal(req)
	if err != nil {
		return card.Card{}, err
	}
	id, err := httpapi.Ref(cd, Name)
	if err != nil {
		return card.Card{}, err
	}
	return c.call(ctx, key, "change status", http.MethodPatch, "/cards/"+url.PathEscape(id), body)
}

// ActivateWithCode activates a physical card by the activation code its
// holder received, for customerID: POST /cards/activate. The code, not an
// id, names the card.
func (c *Client) ActivateWithCode(ctx context.Context, key, code, customerID string) (card.Card, error) {
	var p card.Problems
	if code == "" {
		p.Add("activation_code", card.CodeRequired, "")
	}
	if customerID == "" {
		p.Add("customer_id", card.CodeRequired, "")
	}
	if err := p.Err("synctera.ActivateWithCode"); err != nil {
		return card.Card{}, err
	}
	body, err := wire.Marshal(&ActivationRequest{ActivationCode: code, CustomerID: customerID})
	if err != nil {
		return card.Card{}, err
	}
	return c.call(ctx, key, "activate", http.MethodPost, "/cards/activate", body)
}

// ReissueCard orders old's replacement: POST /cards with reissued_from_id
// and reissue_reason. Synctera applies its reissue table itself (the same
// number or not; a lost or stolen card ended at once).
func (c *Client) ReissueCard(ctx context.Context, key string, old card.Card, plan card.ReissuePlan) (card.Card, error) {
	from, err := httpapi.Ref(old, Name)
	if err != nil {
		return card.Card{}, err
	}
	n := card.Replacement(&old, plan, uuid.Nil, time.Time{}) // Synctera assigns the id and the times
	n.Reissue.From = from                                    // Synctera's id of the old card
	body, err := EncodeCardRequest(&n, nil)
	if err != nil {
		return card.Card{}, err
	}
	return c.call(ctx, key, "reissue", http.MethodPost, "/cards", body)
}

func (c *Client) call(ctx context.Context, key, op, method, path string, body []byte) (card.Card, error) {
	req := httpapi.Request{Op: op, Method: method, Path: path, Body: body, Key: key}
	out, _, err := httpapi.CallCard(ctx, c.http, req, DecodeCard)
	return out, err
}

// CardEditRequest is the body of PATCH /v0/cards/{card_id}
// (card_edit_request): every member optional. The status reason is named
// reason here, status_reason in the card.
type CardEditRequest struct {
	CardStatus string            `json:"card_status,omitempty"` // ACTIVE, SUSPENDED, TERMINATED
	Reason     string            `json:"reason,omitempty"`      // a three-letter code
	Memo       string            `json:"memo,omitempty"`        // at most 255 characters
	CustomerID string            `json:"customer_id,omitempty"`
	EmbossName *EmbossName       `json:"emboss_name,omitzero"`
	Metadata   map[string]string `json:"metadata,omitzero"`

	Unknown jsontext.Value `json:",embed"`
}

// ActivationRequest is the body of POST /v0/cards/activate.
type ActivationRequest struct {
	ActivationCode string `json:"activation_code"`
	CustomerID     string `json:"customer_id"`

	Unknown jsontext.Value `json:",embed"`
}

// EditRequestFor writes move m as a PATCH body. A status PATCH cannot
// write is ErrUnsupported; a reason Synctera has no code for, or a memo
// over 255 characters, is a *card.Error naming the field.
func EditRequestFor(m card.Move) (*CardEditRequest, error) {
	if !patchable(m.To) {
		return nil, wire.Unsupported(Name, "change status to "+m.To.String(), "PATCH /cards/{id} writes ACTIVE, SUSPENDED or TERMINATED")
	}
	var p card.Problems
	w := &CardEditRequest{Memo: m.Memo}
	w.CardStatus = statusTable.Out(&p, "", m.To, true)
	w.Reason = reasonTable.Out(&p, "", m.Reason, false)
	wire.Text(&p, "memo", m.Memo, memoLimit)
	if err := p.Err("synctera.EditRequestFor"); err != nil {
		return nil, renameReason(err)
	}
	return w, nil
}

// patchable reports whether PATCH /cards/{id} writes status s.
func patchable(s card.Status) bool {
	return s == card.StatusActive || s == card.StatusSuspended || s == card.StatusTerminated
}

// MoveOf reads a PATCH body as the move it asks for: the status and the
// reason, as a provider reads them.
func (w *CardEditRequest) MoveOf() (card.Move, error) {
	var p card.Problems
	var m card.Move
	if w.CardStatus != "" {
		m.To = statusTable.In(&p, "", w.CardStatus, false)
		if m.To != 0 && !patchable(m.To) {
			p.AddValue("card_status", card.CodeNotAllowed, w.CardStatus, "PATCH writes ACTIVE, SUSPENDED or TERMINATED")
		}
	}
	m.Reason = reasonTable.In(&p, "", w.Reason, false)
	m.Memo = w.Memo
	wire.Text(&p, "memo", w.Memo, memoLimit)
	if len(w.Unknown) > 0 {
		p.Add("", card.CodeNotAllowed, "unknown members")
	}
	m.By = card.ActorProgram
	return m, renameReason(p.Err("synctera.CardEditRequest"))
}

// renameReason names the reason's field as the PATCH body does.
func renameReason(err error) error {
	e, ok := err.(*card.Error)
	if !ok {
		return err
	}
	for i := range e.Fields {
		if e.Fields[i].Field == "status_reason" {
			e.Fields[i].Field = "reason"
		}
	}
	return e
}

// Problem is Synctera's error body (RFC 7807, application/problem+json):
// the code is the last segment of type, or code where it is given.
type Problem struct {
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code,omitempty"`

	Unknown jsontext.Value `json:",embed"`
}

// Codes the client reads more into than the status says.
const (
	CodeIdempotencyConcurrentUse = "IDEMPOTENCY_CONCURRENT_USE" // 422: the key is in flight; retry
	CodeIdempotencyInvalidReuse  = "IDEMPOTENCY_INVALID_REUSE"  // 422: the key was used for another request
)

func decodeProblem(e *httpapi.Error, _ http.Header, body []byte) {
	var p Problem
	if !wire.UnmarshalLenient(body, &p) {
		return
	}
	e.Code = p.Code
	if e.Code == "" && p.Type != "" {
		// Scrubbed before the hyphens become underscores: the order does
		// not matter to Scrub, which reads both as separators of a number,
		// but scrubbing the provider's text as sent is the simpler rule.
		e.Code = strings.ToUpper(strings.ReplaceAll(httpapi.Scrub(p.Type[strings.LastIndexByte(p.Type, '/')+1:]), "-", "_"))
	}
	switch {
	case p.Title == "":
		e.Message = p.Detail
	case p.Detail == "":
		e.Message = p.Title
	default:
		e.Message = p.Title + ": " + p.Detail
	}
	// The problem's detail names fields in prose ("missing required
	// fields: first_name, dob"); the first one is the path given.
	if i := strings.Index(p.Detail, "fields: "); i >= 0 {
		f, _, _ := strings.Cut(p.Detail[i+len("fields: "):], ",")
		e.Field = strings.TrimSpace(f)
	}
	if e.Code == CodeIdempotencyConcurrentUse {
		e.Transient = true
	}
}
