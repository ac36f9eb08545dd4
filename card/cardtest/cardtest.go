// Package cardtest offers rapid generators of valid cards, card numbers,
// reissue reasons and lifecycle actions, for property tests of code built on
// package card: a reissue policy, a status mapping, a store.
//
// A property test of a reissue policy looks like this:
//
//	func TestPolicyNeverKeepsALostNumber(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			old := cardtest.Card().Draw(t, "card")
//			reason := cardtest.ReissueReason().Draw(t, "reason")
//			opts := myPolicy(old, reason)
//			plan, err := card.PlanReissue(&old, reason, opts)
//			if err != nil {
//				t.Skip("not reissuable:", err)
//			}
//			if reason.Rule().OldEnds == card.EndImmediately && plan.SamePAN {
//				t.Fatalf("%v keeps the number of a card that must end now", reason)
//			}
//		})
//	}
//
// Every generated card passes card.Validate. Numbers are made with
// card.CompletePAN, so they pass the Luhn check; fingerprints use Key, a
// fixed key for tests only.
package cardtest

import (
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/card"
)

// Key is the fingerprint key generated cards use. It is fixed and public:
// for tests only.
func Key() card.FingerprintKey {
	k, err := card.NewFingerprintKey([]byte("cardtest fixed key; tests only!!"))
	if err != nil {
		panic(err) // the literal above is 32 bytes
	}
	return k
}

// epoch is the instant generated cards are created around.
func epoch() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// PAN generates valid card numbers that start with bin (which must be
// digits, at most 18 of them): 12 to 19 digits long, and never shorter than
// bin plus a check digit.
func PAN(bin string) *rapid.Generator[card.PAN] {
	return rapid.Custom(func(t *rapid.T) card.PAN {
		least := max(card.MinPANLength, len(bin)+1)
		n := rapid.IntRange(least, card.MaxPANLength).Draw(t, "length")
		body := rapid.StringMatching(`[0-9]{`+strconv.Itoa(n-1-len(bin))+`}`).Draw(t, "digits")
		p, err := card.CompletePAN(bin + body)
		if err != nil {
			t.Fatalf("cardtest.PAN(%q): %v", bin, err)
		}
		return p
	})
}

// AnyPAN generates valid card numbers of every length with a BIN starting
// 2 to 6, as the card networks use.
func AnyPAN() *rapid.Generator[card.PAN] {
	return rapid.Custom(func(t *rapid.T) card.PAN {
		return PAN(rapid.StringMatching(`[2-6][0-9]{5,7}`).Draw(t, "bin")).Draw(t, "pan")
	})
}

// Status generates any status.
func Status() *rapid.Generator[card.Status] { return rapid.SampledFrom(card.StatusValues()) }

// StatusReason generates any status reason (never the zero one).
func StatusReason() *rapid.Generator[card.StatusReason] {
	return rapid.SampledFrom(card.StatusReasonValues())
}

// ReissueReason generates any reissue reason, the deprecated ones included.
func ReissueReason() *rapid.Generator[card.ReissueReason] {
	return rapid.SampledFrom(card.ReissueReasonValues())
}

// Actor generates any actor.
func Actor() *rapid.Generator[card.Actor] { return rapid.SampledFrom(card.ActorValues()) }

// Move generates any move, allowed by the lifecycle table or not; a third
// of them give no reason.
func Move() *rapid.Generator[card.Move] {
	return rapid.Custom(func(t *rapid.T) card.Move {
		m := card.Move{To: Status().Draw(t, "to"), By: Actor().Draw(t, "by")}
		if rapid.IntRange(0, 2).Draw(t, "with reason") > 0 {
			m.Reason = StatusReason().Draw(t, "reason")
		}
		return m
	})
}

// ReissueOptions generates options: asking for a new number or expiry, and
// sometimes a new product, form, name or emboss line.
func ReissueOptions() *rapid.Generator[card.ReissueOptions] {
	return rapid.Custom(func(t *rapid.T) card.ReissueOptions {
		o := card.ReissueOptions{
			NewPAN:    rapid.Bool().Draw(t, "new pan"),
			NewExpiry: rapid.Bool().Draw(t, "new expiry"),
		}
		if rapid.Bool().Draw(t, "change product") {
			o.ProductID = rapid.StringMatching(`prod-[a-z0-9]{1,8}`).Draw(t, "product")
			o.Form = rapid.SampledFrom(card.FormValues()).Draw(t, "form")
		}
		if rapid.Bool().Draw(t, "change appearance") {
			o.NameOnCard = personName().Draw(t, "name")
			o.Emboss = card.Emboss{Line1: embossLine().Draw(t, "emboss")}
		}
		return o
	})
}

// Card generates valid cards in every status.
func Card() *rapid.Generator[card.Card] { return CardIn(card.StatusValues()...) }

// CardIn generates valid cards in one of statuses (any status when none is
// given), each with a reason the lifecycle table could have given it.
func CardIn(statuses ...card.Status) *rapid.Generator[card.Card] {
	if len(statuses) == 0 {
		statuses = card.StatusValues()
	}
	return rapid.Custom(func(t *rapid.T) card.Card {
		status := rapid.SampledFrom(statuses).Draw(t, "status")
		c := card.Card{
			ID:        uuid.UUID(rapid.SliceOfN(rapid.Byte(), 16, 16).Filter(nonZero).Draw(t, "id")),
			Tenant:    rapid.SampledFrom([]string{"acme", "globex", "initech"}).Draw(t, "tenant"),
			AccountID: rapid.StringMatching(`acct-[0-9a-f]{1,12}`).Draw(t, "account"),
			Holder:    holder().Draw(t, "holder"),
			Type:      rapid.SampledFrom(card.TypeValues()).Draw(t, "type"),
			Form:      rapid.SampledFrom(card.FormValues()).Draw(t, "form"),
			Brand:     rapid.SampledFrom(card.BrandValues()).Draw(t, "brand"),
			ProductID: rapid.StringMatching(`prod-[a-z0-9]{1,8}`).Draw(t, "product"),
			Status:    status,
			PINSet:    rapid.Bool().Draw(t, "pin set"),
			Version:   rapid.Int64Range(0, 20).Draw(t, "version"),
		}
		if status == card.StatusSuspended {
			// A hold's reason is one its placer may give; a hold placed by
			// nobody known counts as the provider's.
			c.HeldBy = rapid.SampledFrom([]card.Actor{0, card.ActorHolder, card.ActorProgram, card.ActorProvider}).Draw(t, "held by")
			placer := c.HeldBy
			if placer == 0 {
				placer = card.ActorProvider
			}
			c.StatusReason = rapid.SampledFrom(status.ReasonsBy(placer).List()).Draw(t, "reason")
		} else {
			c.StatusReason = reasonInto(status).Draw(t, "reason")
		}
		c.CreatedAt = epoch().Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, "created")) * time.Hour)
		c.UpdatedAt = c.CreatedAt.Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, "updated")) * time.Minute)
		wasActive := status == card.StatusActive ||
			(status == card.StatusSuspended || status == card.StatusTerminated) && rapid.Bool().Draw(t, "was active")
		if wasActive {
			c.ActivatedAt = c.UpdatedAt
		}
		if status != card.StatusPending && status != card.StatusRejected {
			c.SetPAN(AnyPAN().Draw(t, "pan"), Key())
			c.Expiry = card.Expiry{
				Year:  rapid.IntRange(2026, 2035).Draw(t, "expiry year"),
				Month: time.Month(rapid.IntRange(1, 12).Draw(t, "expiry month")),
			}
		}
		if rapid.Bool().Draw(t, "named") {
			c.NameOnCard = personName().Draw(t, "name on card")
			c.Emboss.Line1 = embossLine().Draw(t, "emboss")
			c.Holder.Name = card.PersonName{
				First: rapid.StringMatching(`[A-Z][a-z]{1,12}`).Draw(t, "first name"),
				Last:  rapid.StringMatching(`[A-Z][a-z]{1,12}`).Draw(t, "last name"),
			}
			c.Holder.BillingAddress = address().Draw(t, "billing address")
		}
		if rapid.Bool().Draw(t, "currency") {
			c.Currency = rapid.SampledFrom(card.CurrencyValues()).Draw(t, "card currency")
		}
		if c.Form == card.FormPhysical && rapid.Bool().Draw(t, "shipped") {
			c.Shipping = &card.Shipping{
				Method:  rapid.SampledFrom(card.ShippingMethodValues()).Draw(t, "method"),
				Address: address().Draw(t, "address"),
			}
		}
		c.Controls = controls().Draw(t, "controls")
		if rapid.IntRange(0, 3).Draw(t, "replacement") == 0 {
			// A card that replaced another: the chain link a reissue leaves.
			reason := ReissueReason().Draw(t, "reissue reason")
			c.Reissue = card.ReissueLink{
				From:   uuid.UUID(rapid.SliceOfN(rapid.Byte(), 16, 16).Filter(nonZero).Draw(t, "replaced id")).String(),
				Reason: reason,
				Keep:   reason.Rule().Keep,
			}
			if c.Reissue.From == c.ID.String() {
				c.Reissue = card.ReissueLink{}
			}
		}
		if (c.Status.Issued() || c.Status == card.StatusTerminated) && rapid.IntRange(0, 5).Draw(t, "replaced") == 0 {
			// A card already replaced: the link its reissue left on it.
			to := uuid.UUID(rapid.SliceOfN(rapid.Byte(), 16, 16).Filter(nonZero).Draw(t, "replacement id")).String()
			if to != c.ID.String() && to != c.Reissue.From {
				c.Reissue.To = to
			}
		}
		if rapid.Bool().Draw(t, "metadata") {
			c.Metadata = map[string]string{"ref": rapid.StringMatching(`[a-z0-9]{0,20}`).Draw(t, "ref")}
		}
		return c
	})
}

// reasonInto draws a reason a card in status may hold (card.Status.Reasons).
func reasonInto(status card.Status) *rapid.Generator[card.StatusReason] {
	return rapid.SampledFrom(status.Reasons().List())
}

func holder() *rapid.Generator[card.Holder] {
	return rapid.Custom(func(t *rapid.T) card.Holder {
		id := rapid.StringMatching(`[0-9a-f]{8}`)
		switch rapid.IntRange(0, 2).Draw(t, "holder kind") {
		case 0:
			return card.Holder{CustomerID: "cust-" + id.Draw(t, "customer")}
		case 1:
			return card.Holder{BusinessID: "bus-" + id.Draw(t, "business")}
		}
		return card.Holder{CustomerID: "cust-" + id.Draw(t, "customer"), BusinessID: "bus-" + id.Draw(t, "business")}
	})
}

func personName() *rapid.Generator[string] {
	return rapid.StringMatching(`[A-Z][a-z]{1,12} [A-Z][a-z]{1,12}`)
}

func embossLine() *rapid.Generator[string] {
	return rapid.StringMatching(`[A-Z]{1,9}( [A-Z.&'-]{1,9})?`)
}

func address() *rapid.Generator[card.Address] {
	return rapid.SampledFrom([]card.Address{
		{Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS},
		{Line1: "625 Queen St", City: "Vancouver", Region: "BC", PostalCode: "V5K 0A1", Country: card.CountryCA},
		{Line1: "1 Test Avenue", City: "London", PostalCode: "SW1 1AA", Country: card.CountryGB},
	})
}

func controls() *rapid.Generator[card.Controls] {
	return rapid.Custom(func(t *rapid.T) card.Controls {
		var c card.Controls
		intervals := rapid.SliceOfNDistinct(rapid.SampledFrom(card.IntervalValues()), 0, 3, func(i card.Interval) card.Interval { return i }).Draw(t, "intervals")
		for _, iv := range intervals {
			cents := rapid.Int64Range(0, 1_000_000).Draw(t, "cents")
			c.Limits = append(c.Limits, card.Limit{Amount: decimal.New(cents, -2), Currency: card.CurrencyUSD, Interval: iv})
		}
		mccs := rapid.SliceOfNDistinct(rapid.Uint16Range(0, 9999), 0, 6, func(m uint16) uint16 { return m }).Draw(t, "mccs")
		split := rapid.IntRange(0, len(mccs)).Draw(t, "split")
		for i, m := range mccs {
			if i < split {
				c.AllowedCategories = append(c.AllowedCategories, card.MCC(m))
			} else {
				c.BlockedCategories = append(c.BlockedCategories, card.MCC(m))
			}
		}
		return c
	})
}

func nonZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return true
		}
	}
	return false
}

// ActionKind says what an Action does.
type ActionKind uint8

// Action kinds.
const (
	ActionMove     ActionKind = iota + 1 // a move, allowed by the table or not: card.Card.Transition
	ActionActivate                       // card.Card.Activate, or card.ActivateReplacement for a replacement
	ActionReissue                        // card.PlanReissue then card.Reissue
)

// Action is one step of a lifecycle: a move, an activation or a reissue.
type Action struct {
	Kind    ActionKind
	Move    card.Move           // for ActionMove
	By      card.Actor          // for ActionActivate
	Reason  card.ReissueReason  // for ActionReissue
	Options card.ReissueOptions // for ActionReissue
}

// String describes the action, such as "reissue for LOST".
func (a Action) String() string {
	switch a.Kind {
	case ActionMove:
		return "move to " + a.Move.To.String() + "/" + a.Move.Reason.String() + " by " + a.Move.By.String()
	case ActionActivate:
		return "activate by " + a.By.String()
	case ActionReissue:
		return "reissue for " + a.Reason.String()
	}
	return "cardtest.Action(" + strconv.Itoa(int(a.Kind)) + ")"
}

// AnyAction generates one lifecycle action. Half are moves drawn from
// Move, so most of those are refused by the table: a property test sees
// both sides of every rule.
func AnyAction() *rapid.Generator[Action] {
	return rapid.Custom(func(t *rapid.T) Action {
		switch rapid.IntRange(0, 3).Draw(t, "kind") {
		case 0:
			return Action{Kind: ActionActivate, By: Actor().Draw(t, "by")}
		case 1:
			return Action{Kind: ActionReissue, Reason: ReissueReason().Draw(t, "reason"), Options: ReissueOptions().Draw(t, "options")}
		}
		return Action{Kind: ActionMove, Move: Move().Draw(t, "move")}
	})
}

// Actions generates a lifecycle of min to max actions.
func Actions(min, max int) *rapid.Generator[[]Action] {
	return rapid.SliceOfN(AnyAction(), min, max)
}
