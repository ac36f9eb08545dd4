package issuance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/storage"
)

// Event kinds: what a change did to a card.
const (
	EventIssued          = "issued"           // the card was issued
	EventReissued        = "reissued"         // the card was issued to replace another
	EventReplaced        = "replaced"         // the card was replaced (and ended, where the rule says at once)
	EventActivated       = "activated"        // the card was activated
	EventEnded           = "ended"            // the card ended because its replacement was activated
	EventFreed           = "freed"            // the card's replacement ended before its activation: the card is no longer replaced
	EventSuspended       = "suspended"        // a hold was placed
	EventResumed         = "resumed"          // a hold was lifted
	EventTerminated      = "terminated"       // the card was closed
	EventControlsUpdated = "controls_updated" // the spending controls changed
)

// moves are the kinds of event that record a move of the card's status,
// reason or hold at the provider.
var moves = map[string]bool{EventActivated: true, EventEnded: true, EventSuspended: true, EventResumed: true, EventTerminated: true}

// IssueRequest asks for a new card on an account.
type IssueRequest struct {
	AccountID  uuid.UUID
	Holder     card.Holder // the zero Holder takes the account's
	Form       card.Form
	ProductID  string
	NameOnCard string
	Emboss     card.Emboss
	Shipping   *card.Shipping // physical cards
	Controls   card.Controls
	Language   string
	Alerts     card.AlertPreference
	Label      string
	Metadata   map[string]string
	By         card.Actor // who asks; zero means the program
}

// newCard builds the PENDING card req asks for on acct.
func newCard(tenant string, acct *account.Account, req *IssueRequest, id uuid.UUID) card.Card {
	c := card.Card{
		ID: id, Tenant: tenant, AccountID: acct.ID.String(),
		Type: acct.Subtype, Currency: acct.Currency, Form: req.Form, ProductID: req.ProductID,
		Label: req.Label, Status: card.StatusPending, NameOnCard: req.NameOnCard, Emboss: req.Emboss,
		Controls: req.Controls.Clone(), Language: req.Language, Alerts: req.Alerts, Metadata: req.Metadata,
	}
	c.Holder, _ = acct.CardHolderFor(req.Holder) // CheckCardIssue refuses the account that cannot
	if req.Shipping != nil {
		sh := *req.Shipping
		c.Shipping = &sh
	}
	return c
}

// placeholder stands in for the account while a request is checked on its
// own, before anything is read.
func placeholder(id uuid.UUID) *account.Account {
	return &account.Account{ID: id, Subtype: card.TypeDebit, Holder: account.Holder{Kind: account.HolderCustomer, ID: "placeholder"}}
}

// Issue orders a card on the account req.AccountID and returns it as the
// provider issued it: ACTIVE for a virtual card at most providers,
// UNACTIVATED for a physical one, or PENDING. A request that breaks a rule
// fails with a *card.Error before anything is written; an unknown account,
// or one that cannot hold a card, is a final error kept under the key. Once
// an attempt may have reached the provider, a retry with the key finishes
// the call as it was judged then, instead of judging the account again:
// with the provider's answer, kept when only the local finish failed, or
// else by asking the provider again (it lost the answer, or its process
// died), which answers with the card it made, if it made one.
func (s *Service) Issue(ctx context.Context, tenant, key string, req IssueRequest) (card.Card, error) {
	by := actorOr(req.By, card.ActorProgram)
	// prepared is the card the check built; sent, the one this attempt
	// sent to the provider (a claim's unit may run, and check, more than
	// once, and a call taken over with its answer kept sends nothing).
	var prepared, sent *card.Card
	out, err := s.run(ctx, call{
		op: "issue", tenant: tenant, key: key, request: req, newCard: true,
		validate: func() error {
			var p card.Problems
			card.CheckEnum(&p, "by", req.By, false)
			c := newCard(tenant, placeholder(req.AccountID), &req, uuid.New())
			now := s.now()
			c.CreatedAt, c.UpdatedAt = now, now
			p.Merge("", c.Validate())
			c.CheckCardNumbers(&p) // what comes in holds no card number in its text
			return p.Err("issuance.Issue")
		},
		check: func(ctx context.Context, r storage.Reader, pr progress) error {
			// After an attempt that may have reached the provider (its
			// answer lost, its process dead), the card may exist there.
			// It was judged then; asking the provider again, with the same
			// key, finishes the call, where judging it again (the account
			// since suspended, say) would leave the provider's card
			// unknown here.
			c, err := s.issuable(ctx, r, tenant, &req, pr.CardID, !pr.Called)
			prepared = &c
			return err
		},
		effect: func(ctx context.Context, pk string) (card.Card, error) {
			sent = prepared
			return s.provider.IssueCard(ctx, pk, *sent)
		},
		finish: func(ctx context.Context, tx storage.Tx, pr progress) ([]card.Card, error) {
			c := sent
			if c == nil {
				// Another call's provider answer, taken over. The provider has
				// acted: build the card again, without asking again whether
				// it may be issued.
				rebuilt, err := s.issuable(ctx, tx, tenant, &req, pr.CardID, false)
				if err != nil {
					return nil, err
				}
				c = &rebuilt
			}
			now := s.now()
			c.CreatedAt, c.UpdatedAt = now, now
			done := c.Clone() // a retried unit starts again from the prepared card
			if err := pr.Facts.adopt(&done, s.provider.Name(), now); err != nil {
				return nil, err
			}
			if err := tx.CreateCard(ctx, done); err != nil {
				if !errors.Is(err, storage.ErrDuplicate) {
					return nil, err
				}
				made, rerr := tx.Card(ctx, tenant, pr.CardID)
				if rerr != nil {
					return nil, err // another card holds the provider's id
				}
				return []card.Card{made}, nil // made under this key before its record was purged
			}
			e := event(done, EventIssued, 0, by, now, key)
			return []card.Card{done}, tx.AppendEvent(ctx, &e)
		},
	})
	if err != nil {
		return card.Card{}, err
	}
	return out[0], nil
}

// issuable loads the account a card is asked for, checks it can hold it
// when judge is set (a call the provider has not acted on yet), and
// returns the card, PENDING, with id.
func (s *Service) issuable(ctx context.Context, r storage.Reader, tenant string, req *IssueRequest, id uuid.UUID, judge bool) (card.Card, error) {
	acct, err := r.Account(ctx, tenant, req.AccountID)
	if err != nil {
		return card.Card{}, err
	}
	if judge {
		var p card.Problems
		acct.CheckCardIssue(&p, "account_id", "holder", req.Holder)
		if err := p.Err("issuance.Issue"); err != nil {
			return card.Card{}, err
		}
	}
	c := newCard(tenant, &acct, req, id)
	now := s.now()
	c.CreatedAt, c.UpdatedAt = now, now
	if !judge {
		return c, nil
	}
	return c, c.Validate()
}

// ChangeRequest asks for a change of a card's status.
type ChangeRequest struct {
	CardID uuid.UUID
	Reason card.StatusReason // Activate ignores it
	By     card.Actor        // who asks; zero means the program
	Memo   string
}

// Activate activates an UNACTIVATED card at the provider. The replacement
// of a reissued card ends the old one in the same unit where the reissue
// rule says so. An activation whose answer was lost, retried after a later
// call (one that took the card after it) moved the card out of
// UNACTIVATED, asks the provider again with its key and, if the provider
// says it activated the card, records that (card.RecordActivation)
// without moving the card from where the later call left it.
func (s *Service) Activate(ctx context.Context, tenant, key string, req ChangeRequest) (card.Card, error) {
	req.Reason = 0
	return s.change(ctx, "activate", EventActivated, 0, tenant, key, req, func(c *card.Card) card.Move {
		return card.Move{To: card.StatusActive, Reason: c.ActivationReason(), By: actorOr(req.By, card.ActorProgram)}
	})
}

// Suspend places a hold on a card, at the provider, for req.Reason.
func (s *Service) Suspend(ctx context.Context, tenant, key string, req ChangeRequest) (card.Card, error) {
	return s.change(ctx, "suspend", EventSuspended, card.StatusSuspended, tenant, key, req, func(*card.Card) card.Move {
		return card.Move{To: card.StatusSuspended, Reason: req.Reason, By: actorOr(req.By, card.ActorProgram), Memo: req.Memo}
	})
}

// Resume lifts a card's hold, at the provider: the card goes back to ACTIVE,
// or to UNACTIVATED if it was never activated.
func (s *Service) Resume(ctx context.Context, tenant, key string, req ChangeRequest) (card.Card, error) {
	return s.change(ctx, "resume", EventResumed, 0, tenant, key, req, func(c *card.Card) card.Move {
		return card.Move{To: c.ResumeStatus(), Reason: req.Reason, By: actorOr(req.By, card.ActorProgram), Memo: req.Memo}
	})
}

// Terminate closes a card for good, at the provider. Ending a replacement
// that was never activated (lost in the post, say) frees the card it
// replaces, in the same unit, which may then be reissued again.
func (s *Service) Terminate(ctx context.Context, tenant, key string, req ChangeRequest) (card.Card, error) {
	return s.change(ctx, "terminate", EventTerminated, card.StatusTerminated, tenant, key, req, func(*card.Card) card.Move {
		return card.Move{To: card.StatusTerminated, Reason: req.Reason, By: actorOr(req.By, card.ActorProgram), Memo: req.Memo}
	})
}

// change runs a status change: checked against the lifecycle table, made at
// the provider, then stored with its event. into is the status the move
// goes to where that does not depend on the card (0 where it does): a
// reason no move into it by the asking actor allows, from any status, is a
// mistake in the request, refused before anything is read or kept, so that
// the key stays free for the corrected call.
func (s *Service) change(ctx context.Context, op, kind string, into card.Status, tenant, key string, req ChangeRequest, moveFor func(*card.Card) card.Move) (card.Card, error) {
	var (
		// late says that an activation taken over was overtaken by a
		// later call's move (see superseded below); kept says that apply
		// then left the card itself as it was.
		late, kept bool
	)
	// apply makes the move on c, in memory. Activating a replacement may
	// end the card it replaces: ended says which, and how it was read.
	apply := func(ctx context.Context, r storage.Reader, c *card.Card, now time.Time) (*ending, error) {
		kept = false
		m := moveFor(c)
		// The card c replaces, if c may change it: c's activation may end
		// it, and c's end before any activation frees it. (A replacement
		// ACTIVE from the start ended it at its issue.)
		var prev *card.Card
		if c.AwaitsActivation() {
			var err error
			if prev, err = s.predecessor(ctx, r, tenant, c); err != nil {
				return nil, err
			}
		}
		if late && c.Status != card.StatusUnactivated {
			// The provider activated c before a later call moved it out
			// of UNACTIVATED (if it got the request at all: asked again,
			// it says): what the activation did that no move undoes is
			// recorded, and c keeps the status that call left it in. A
			// card UNACTIVATED again can still be activated: judged, as
			// any activation.
			var from card.Status
			var read int64
			if prev != nil {
				from, read = prev.Status, prev.Version
			}
			changed, ended, err := card.RecordActivation(c, prev, now)
			if kept = !changed; err != nil || !ended {
				return nil, err
			}
			return &ending{card: prev, from: from, read: read, kind: EventEnded}, nil
		}
		if kind == EventActivated && prev != nil && c.EndsOnActivation(prev) {
			// prev links to c, or to a replacement made first where c was
			// adopted after it: the provider ends prev on either's activation.
			ended := &ending{card: prev, from: prev.Status, read: prev.Version, kind: EventEnded}
			return ended, card.ActivateReplacement(c, prev, m.By, now)
		}
		var err error
		if kind == EventActivated {
			err = c.Activate(m.By, now)
		} else {
			err = c.Transition(m, now)
		}
		if err != nil || prev == nil {
			return nil, err
		}
		// A replacement that ends before its activation frees the card it
		// replaces, which may then be reissued again.
		freed := &ending{card: prev, from: prev.Status, read: prev.Version, kind: EventFreed}
		if card.ReplacementEnded(c, prev, now) {
			return freed, nil
		}
		return nil, nil
	}
	var (
		before card.Card // the card as it was when the provider was asked
		ends   uuid.UUID // the card a replacement's activation ends, as check found it
	)
	// A move made by a call that took the card after this one reached the
	// provider after this one too, if this one reached it: the card is
	// where that call left it, there as here. A hold placed or lifted, or
	// an end, is superseded. An activation leaves what a later move does
	// not undo (the card was activated; the card it replaces may have
	// ended): the provider is asked again with the same key, and what it
	// says it did is recorded without moving the card (late).
	superseded := func(ctx context.Context, r storage.Reader, order int64) error {
		evs, err := r.Events(ctx, tenant, req.CardID, 0, 0)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if e.IdempotencyKey == "" || e.IdempotencyKey == key || !moves[e.Kind] && e.From == e.To {
				continue
			}
			later, err := s.tookAfter(ctx, r, tenant, e.IdempotencyKey, req.CardID, order)
			if err != nil {
				return err
			}
			if later {
				return fmt.Errorf("card %s: %s by a later call: %w", req.CardID, e.Kind, ErrSuperseded)
			}
		}
		return nil
	}
	if kind == EventActivated {
		judged := superseded
		superseded = func(ctx context.Context, r storage.Reader, order int64) error {
			err := judged(ctx, r, order)
			if late = errors.Is(err, ErrSuperseded); late {
				return nil
			}
			return err
		}
	}
	out, err := s.run(ctx, call{
		op: op, tenant: tenant, key: key, request: req, cardID: req.CardID,
		also: func() []uuid.UUID {
			if ends == uuid.Nil {
				return nil
			}
			return []uuid.UUID{ends}
		},
		validate: func() error {
			var p card.Problems
			card.CheckEnum(&p, "reason", req.Reason, false)
			card.CheckEnum(&p, "by", req.By, false)
			by := actorOr(req.By, card.ActorProgram)
			if allowed := into.ReasonsBy(by); into != 0 && by.Valid() && (req.Reason == 0 || req.Reason.Valid()) && !allowed.Has(req.Reason) {
				code := card.CodeNotAllowed
				if req.Reason == 0 {
					code = card.CodeRequired
				}
				p.Add("reason", code, "a move to "+into.String()+" by "+by.String()+" takes one of "+allowed.String())
			}
			card.RuleMemo.Check(&p, "memo", req.Memo)
			card.NoCardNumber(&p, "memo", req.Memo)
			if req.CardID == uuid.Nil {
				p.Add("card_id", card.CodeRequired, "")
			}
			return p.Err("issuance." + op)
		},
		check: func(ctx context.Context, r storage.Reader, _ progress) error {
			ends = uuid.Nil // a unit run again judges afresh
			c, err := r.Card(ctx, tenant, req.CardID)
			if err != nil {
				return err
			}
			before = c.Clone()
			ended, err := apply(ctx, r, &c, s.now())
			if ended != nil {
				ends = ended.card.ID
			}
			return err
		},
		superseded: superseded,
		effect: func(ctx context.Context, pk string) (card.Card, error) {
			return s.provider.ChangeStatus(ctx, pk, before, moveFor(&before))
		},
		finish: func(ctx context.Context, tx storage.Tx, pr progress) ([]card.Card, error) {
			c, err := tx.Card(ctx, tenant, req.CardID)
			if err != nil {
				return nil, err
			}
			read, from := c.Version, c.Status
			now := s.now() // one instant for the move, the provider's facts and the event
			ended, err := apply(ctx, tx, &c, now)
			if err != nil {
				return nil, err
			}
			if !kept {
				f := *pr.Facts
				f.Status = c.Status // the move decides the status; the rest is the provider's
				if err := f.adopt(&c, s.provider.Name(), now); err != nil {
					return nil, err
				}
				if err := tx.UpdateCard(ctx, c, read); err != nil {
					return nil, err
				}
				e := event(c, kind, from, actorOr(req.By, card.ActorProgram), now, key)
				if err := tx.AppendEvent(ctx, &e); err != nil {
					return nil, err
				}
			}
			out := []card.Card{c}
			if ended != nil {
				old := *ended.card
				if err := tx.UpdateCard(ctx, old, ended.read); err != nil {
					return nil, err
				}
				e := event(old, ended.kind, ended.from, card.ActorSystem, old.UpdatedAt, key)
				if err := tx.AppendEvent(ctx, &e); err != nil {
					return nil, err
				}
				out = append(out, old)
			}
			return out, nil
		},
	})
	if err != nil {
		return card.Card{}, err
	}
	return out[0], nil
}

// ending is the card a change of its replacement changes too, as it will be
// stored, with the status and version it was read at and the kind of its
// event: ended by the replacement's activation, or freed by its end.
type ending struct {
	card *card.Card
	from card.Status
	read int64
	kind string
}

// predecessor returns the card c replaces, if the store has it; nil
// otherwise.
func (s *Service) predecessor(ctx context.Context, r storage.Reader, tenant string, c *card.Card) (*card.Card, error) {
	id, err := uuid.Parse(c.Reissue.From)
	if err != nil {
		return nil, nil // a provider's id: not a card of this store
	}
	old, err := r.Card(ctx, tenant, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &old, nil
}

// Reissued is what a reissue returns: the new card and the old one as it is
// now.
type Reissued struct {
	New card.Card
	Old card.Card
}

// ReissueRequest asks for the replacement of a card.
type ReissueRequest struct {
	CardID  uuid.UUID
	Reason  card.ReissueReason
	Options card.ReissueOptions
	By      card.Actor // who asks; zero means the program
}

// Reissue replaces a card at the provider as the reissue rule for the reason
// says: same number or new, old card ended now or when the new one is
// activated. A reason or option that breaks a rule fails before anything is
// written; a card that cannot be reissued is a final error kept under the
// key. Among those is a replacement never activated whose old card still
// waits for it (card.CheckReissueChain): end it, then reissue the old card.
// Once an attempt may have reached the provider, a retry with the key
// finishes the call as it was judged then, as Issue's does: the provider's
// replacement is recorded even if the old card ended, or was replaced by
// another call, once this call's lease ran out (card.AdoptReissue says how
// far the old card then changes). The cost: if that attempt had not in
// fact reached the provider (its process died before the request went
// out, or the provider's client could not say it did not act), the retry
// sends a reissue the card's state would now refuse, which the provider
// may make: a second replacement of a card replaced meanwhile, say. Judged
// again, the retry would instead leave a replacement the provider made
// unknown here whenever that attempt had reached it.
func (s *Service) Reissue(ctx context.Context, tenant, key string, req ReissueRequest) (Reissued, error) {
	by := actorOr(req.By, card.ActorProgram)
	var old card.Card
	var plan card.ReissuePlan
	out, err := s.run(ctx, call{
		op: "reissue", tenant: tenant, key: key, request: req, cardID: req.CardID, newCard: true,
		validate: func() error {
			var p card.Problems
			if req.CardID == uuid.Nil {
				p.Add("card_id", card.CodeRequired, "")
			}
			card.CheckEnum(&p, "reason", req.Reason, true)
			card.CheckEnum(&p, "by", req.By, false)
			p.Merge("", req.Options.Validate())
			req.Options.CheckCardNumbers(&p)
			return p.Err("issuance.Reissue")
		},
		check: func(ctx context.Context, r storage.Reader, pr progress) error {
			var err error
			if old, err = r.Card(ctx, tenant, req.CardID); err != nil {
				return err
			}
			if pr.Called {
				// An earlier attempt may have reached the provider, which
				// may have made the replacement: the call was judged then,
				// and is finished by asking again with the same key. Judged
				// again against the old card as another call left it since
				// (ended, or replaced), it would leave that replacement
				// unknown here.
				plan, err = card.ReplanReissue(&old, req.Reason, req.Options)
				return err
			}
			if plan, err = card.PlanReissue(&old, req.Reason, req.Options); err != nil {
				return err
			}
			if !old.AwaitsActivation() {
				return nil
			}
			prev, err := s.predecessor(ctx, r, tenant, &old)
			if err != nil {
				return err
			}
			return card.CheckReissueChain(&old, prev)
		},
		effect: func(ctx context.Context, pk string) (card.Card, error) {
			return s.provider.ReissueCard(ctx, pk, old, plan)
		},
		finish: func(ctx context.Context, tx storage.Tx, pr progress) ([]card.Card, error) {
			old, err := tx.Card(ctx, tenant, req.CardID)
			if err != nil {
				return nil, err
			}
			if made, err := tx.Card(ctx, tenant, pr.CardID); err == nil {
				// Made under this key before its record was purged: the unit
				// that made it changed the old card as far as it could then
				// (old may since have been freed, or link to another card).
				return []card.Card{made, old}, nil
			} else if !errors.Is(err, storage.ErrNotFound) {
				return nil, err
			}
			// The provider made the replacement: it is recorded whatever
			// became of the old card once the call's lease ran out.
			read, from := old.Version, old.Status
			plan, err := card.ReplanReissue(&old, req.Reason, req.Options)
			if err != nil {
				return nil, err
			}
			now := s.now()
			n, changed, err := card.AdoptReissue(&old, plan, pr.CardID, now)
			if err != nil {
				return nil, err
			}
			if err := pr.Facts.adopt(&n, s.provider.Name(), now); err != nil {
				return nil, err
			}
			if n.Status == card.StatusActive && n.EndsOnActivation(&old) {
				// ACTIVE from the start (a virtual card): activated with its
				// issue, so the old card ends now where the rule ends it on
				// activation (as at the provider, linked to it or not), and
				// no later call is needed to end it.
				if err := card.ActivateReplacement(&n, &old, card.ActorProvider, now); err != nil {
					return nil, err
				}
				changed = true
			}
			// An old card replaced since by another, and not ended now,
			// is not changed.
			if changed {
				if err := tx.UpdateCard(ctx, old, read); err != nil {
					return nil, err
				}
			}
			if err := tx.CreateCard(ctx, n); err != nil {
				return nil, err
			}
			if changed {
				eo := event(old, EventReplaced, from, by, now, key)
				eo.Note = "replaced by " + n.ID.String()
				if err := tx.AppendEvent(ctx, &eo); err != nil {
					return nil, err
				}
			}
			en := event(n, EventReissued, 0, by, now, key)
			en.Note = fmt.Sprintf("replaces %s for %s, keeps %s", old.ID, req.Reason, plan.Keep())
			return []card.Card{n, old}, tx.AppendEvent(ctx, &en)
		},
	})
	if err != nil {
		return Reissued{}, err
	}
	return Reissued{New: out[0], Old: out[1]}, nil
}

// ControlsRequest asks to replace a card's spending controls.
type ControlsRequest struct {
	CardID   uuid.UUID
	Controls card.Controls
	// IfVersion, above zero, makes the update happen only if the card is
	// still at that version (storage.ErrConflict otherwise). With zero the
	// controls replace whatever the card has.
	IfVersion int64
	By        card.Actor // who asks; zero means the program
}

// UpdateControls replaces a card's spending controls. The change is local:
// no provider call, no idempotency key.
func (s *Service) UpdateControls(ctx context.Context, tenant string, req ControlsRequest) (card.Card, error) {
	var p card.Problems
	card.RuleTenant.Check(&p, "tenant", tenant)
	if req.CardID == uuid.Nil {
		p.Add("card_id", card.CodeRequired, "")
	}
	req.Controls.Check(&p, "controls")
	card.CheckEnum(&p, "by", req.By, false)
	if err := p.Err("issuance.UpdateControls"); err != nil {
		return card.Card{}, err
	}
	var out card.Card
	err := s.store.Atomic(ctx, func(ctx context.Context, tx storage.Tx) error {
		c, err := tx.Card(ctx, tenant, req.CardID)
		if err != nil {
			return err
		}
		if req.IfVersion > 0 && c.Version != req.IfVersion {
			return fmt.Errorf("card %s at version %d, not %d: %w", req.CardID, c.Version, req.IfVersion, storage.ErrConflict)
		}
		read := c.Version
		c.Controls = req.Controls.Clone()
		c.UpdatedAt = s.now()
		c.Version++
		if err := tx.UpdateCard(ctx, c, read); err != nil {
			return err
		}
		e := event(c, EventControlsUpdated, c.Status, actorOr(req.By, card.ActorProgram), c.UpdatedAt, "")
		out = c
		return tx.AppendEvent(ctx, &e)
	})
	return out, err
}

// Get returns a card.
func (s *Service) Get(ctx context.Context, tenant string, id uuid.UUID) (card.Card, error) {
	if err := checkTenant(tenant); err != nil {
		return card.Card{}, err
	}
	return s.store.Card(ctx, tenant, id)
}

// List returns a page of the tenant's cards that match f, newest first.
func (s *Service) List(ctx context.Context, tenant string, f storage.CardFilter, page storage.Page) (storage.CardPage, error) {
	if err := checkTenant(tenant); err != nil {
		return storage.CardPage{}, err
	}
	return s.store.ListCards(ctx, tenant, f, page)
}

// History returns a card's events, oldest first.
func (s *Service) History(ctx context.Context, tenant string, id uuid.UUID) ([]storage.Event, error) {
	if err := checkTenant(tenant); err != nil {
		return nil, err
	}
	return s.store.Events(ctx, tenant, id, 0, 0)
}

// event records a change of c, which is now as the change left it.
func event(c card.Card, kind string, from card.Status, by card.Actor, at time.Time, key string) storage.Event {
	return storage.Event{
		Tenant: c.Tenant, CardID: c.ID, Kind: kind, From: from, To: c.Status, Reason: c.StatusReason,
		Actor: by, At: at, IdempotencyKey: key,
	}
}

func actorOr(a, def card.Actor) card.Actor {
	if a == 0 {
		return def
	}
	return a
}
