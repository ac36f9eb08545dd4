package card_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

var (
	t0    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	oldID = uuid.MustParse("11111111-1111-4111-8111-111111111111")
	newID = uuid.MustParse("22222222-2222-4222-8222-222222222222")
)

// activeCard is a valid, active physical card with a known number.
func activeCard(t testing.TB) card.Card {
	t.Helper()
	key, err := card.NewFingerprintKey(bytes.Repeat([]byte{7}, 32))
	require.NoError(t, err)
	c := card.Card{
		ID:        oldID,
		Tenant:    "acme",
		AccountID: "acct-1",
		Holder:    card.Holder{CustomerID: "cust-1"},
		Type:      card.TypeDebit,
		Form:      card.FormPhysical,
		Brand:     card.BrandVisa,
		ProductID: "prod-1",
		Status:    card.StatusActive, StatusReason: card.ReasonNEW,
		Expiry:      card.Expiry{Year: 2029, Month: time.June},
		NameOnCard:  "Jane Smith",
		Emboss:      card.Emboss{Line1: "JANE SMITH", Line2: "ACME INC."},
		Shipping:    &card.Shipping{Method: card.ShippingNormal, Status: card.DeliveryDelivered, TrackingNumber: "1Z"},
		Controls:    card.Controls{AllowedCategories: []card.MCC{5411}},
		PINSet:      true,
		Metadata:    map[string]string{"k": "v"},
		ActivatedAt: t0.Add(-time.Hour),
		CreatedAt:   t0.Add(-2 * time.Hour),
		UpdatedAt:   t0.Add(-time.Hour),
		Version:     2,
	}
	c.SetPAN(mustPAN(t, visa16), key)
	require.NoError(t, c.Validate())
	return c
}

func TestReissueTable(t *testing.T) {
	tests := []struct {
		reason card.ReissueReason
		keep   card.Keep
		ends   card.OldCardEnd
		oldWhy card.StatusReason
	}{
		{card.ReissueReasonExpiration, card.KeepSamePANNewExpiry, card.EndOnActivation, card.ReasonEXP},
		{card.ReissueReasonLost, card.KeepNewPAN, card.EndImmediately, card.ReasonLOS},
		{card.ReissueReasonStolen, card.KeepNewPAN, card.EndImmediately, card.ReasonSTO},
		{card.ReissueReasonLostOrStolen, card.KeepNewPAN, card.EndImmediately, card.ReasonLOS},
		{card.ReissueReasonDamaged, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonREQ},
		{card.ReissueReasonCompromised, card.KeepNewPAN, card.EndImmediately, card.ReasonCOM},
		{card.ReissueReasonProductChange, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonREQ},
		{card.ReissueReasonAppearance, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonREQ},
		{card.ReissueReasonReturned, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonUNK},
		{card.ReissueReasonNewEnrollment, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonREQ},
		{card.ReissueReasonVirtualToPhysical, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonREQ},
		{card.ReissueReasonNameChange, card.KeepSamePANSameExpiry, card.EndOnActivation, card.ReasonREQ},
	}
	require.Len(t, tests, len(card.ReissueReasonValues()), "every reason is in this table")
	for _, tt := range tests {
		t.Run(tt.reason.String(), func(t *testing.T) {
			old := activeCard(t)
			plan, err := card.PlanReissue(&old, tt.reason, card.ReissueOptions{})
			require.NoError(t, err)
			assert.Equal(t, tt.keep, plan.Keep())
			assert.Equal(t, tt.ends, plan.Rule.OldEnds)
			assert.Equal(t, tt.oldWhy, plan.Rule.OldReason)
			assert.Equal(t, tt.reason, plan.Reason)

			n, err := card.Reissue(&old, plan, newID, t0)
			require.NoError(t, err)
			assert.Equal(t, tt.keep != card.KeepNewPAN, n.PAN.Equal(old.PAN), "same PAN")
			assert.Equal(t, tt.keep != card.KeepNewPAN, n.Fingerprint == old.Fingerprint)
			assert.Equal(t, tt.keep == card.KeepSamePANSameExpiry, n.Expiry == old.Expiry, "same expiry")
			if tt.keep == card.KeepNewPAN {
				assert.True(t, n.Expiry.IsZero(), "a new number comes with a new expiry")
				assert.Empty(t, n.LastFour)
			}
			if tt.ends == card.EndImmediately {
				assert.Equal(t, card.StatusTerminated, old.Status)
				assert.Equal(t, tt.oldWhy, old.StatusReason)
			} else {
				assert.Equal(t, card.StatusActive, old.Status, "the old card works until the new one is activated")
			}
			assert.Equal(t, card.StatusPending, n.Status)
			assert.Equal(t, oldID.String(), n.Reissue.From)
			assert.Equal(t, tt.reason, n.Reissue.Reason)
			assert.Equal(t, tt.keep, n.Reissue.Keep)
			assert.Equal(t, newID.String(), old.Reissue.To)
			assert.True(t, n.PINSet, "the PIN carries over")
			assert.Equal(t, int64(3), old.Version)
			assert.Equal(t, card.DeliveryStatus(0), n.Shipping.Status, "the new plastic has not shipped")
			assert.Empty(t, n.Shipping.TrackingNumber)
		})
	}
}

func TestDeprecatedReasonsBehaveAsSuccessors(t *testing.T) {
	pairs := map[card.ReissueReason]card.ReissueReason{
		card.ReissueReasonVirtualToPhysical: card.ReissueReasonProductChange,
		card.ReissueReasonNameChange:        card.ReissueReasonAppearance,
	}
	for _, r := range card.ReissueReasonValues() {
		succ, deprecated := pairs[r]
		assert.Equal(t, deprecated, r.Deprecated(), r.String())
		if !deprecated {
			continue
		}
		old := activeCard(t)
		a, err := card.PlanReissue(&old, r, card.ReissueOptions{})
		require.NoError(t, err)
		b, err := card.PlanReissue(&old, succ, card.ReissueOptions{})
		require.NoError(t, err)
		assert.Equal(t, b.Rule, a.Rule)
		a.Reason = b.Reason
		assert.Equal(t, b, a)
	}
	for _, row := range card.ReissueRules() {
		if row.Successor != 0 {
			s := row.Successor.Rule()
			assert.Equal(t, s.Keep, row.Keep, "a deprecated row repeats its successor's columns")
			assert.Equal(t, s.OldEnds, row.OldEnds)
			assert.Equal(t, s.OldReason, row.OldReason)
		}
		// Ending an old card is always a move the lifecycle table allows.
		for _, from := range []card.Status{card.StatusUnactivated, card.StatusActive, card.StatusSuspended} {
			for _, heldBy := range []card.Actor{0, card.ActorHolder, card.ActorProgram, card.ActorProvider} {
				assert.NoError(t, card.CheckTransition(from, heldBy, row.OldMove()))
			}
		}
	}
}

func TestReissueOptionsAskForMore(t *testing.T) {
	old := activeCard(t)
	plan, err := card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{NewExpiry: true})
	require.NoError(t, err)
	assert.Equal(t, card.KeepSamePANNewExpiry, plan.Keep())
	plan, err = card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{NewPAN: true})
	require.NoError(t, err)
	assert.Equal(t, card.KeepNewPAN, plan.Keep(), "a new number brings a new expiry")
	// Options can ask for more change, never for less.
	plan, err = card.PlanReissue(&old, card.ReissueReasonLost, card.ReissueOptions{})
	require.NoError(t, err)
	assert.Equal(t, card.KeepNewPAN, plan.Keep())

	opts := card.ReissueOptions{Form: card.FormVirtual, ProductID: "virtual-1", NameOnCard: "Jane Doe", Emboss: card.Emboss{Line1: "JANE DOE"}}
	plan, err = card.PlanReissue(&old, card.ReissueReasonProductChange, opts)
	require.NoError(t, err)
	n, err := card.Reissue(&old, plan, newID, t0)
	require.NoError(t, err)
	assert.Equal(t, card.FormVirtual, n.Form)
	assert.Equal(t, "virtual-1", n.ProductID)
	assert.Equal(t, "Jane Doe", n.NameOnCard)
	assert.Equal(t, "JANE DOE", n.Emboss.Line1)
	assert.Nil(t, n.Shipping, "a virtual card is not shipped")
}

func TestPlanReissueRefusals(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*card.Card)
		reason card.ReissueReason
		opts   card.ReissueOptions
		kind   error
		field  string
		code   card.Code
	}{
		{"terminated", func(c *card.Card) { c.Status, c.StatusReason = card.StatusTerminated, card.ReasonREQ },
			card.ReissueReasonLost, card.ReissueOptions{}, card.ErrCannotReissue, "status", card.CodeFinalStatus},
		{"rejected", func(c *card.Card) { c.Status = card.StatusRejected },
			card.ReissueReasonDamaged, card.ReissueOptions{}, card.ErrCannotReissue, "status", card.CodeFinalStatus},
		{"still pending", func(c *card.Card) { c.Status = card.StatusPending },
			card.ReissueReasonDamaged, card.ReissueOptions{}, card.ErrCannotReissue, "status", card.CodeNotAllowed},
		{"already replaced", func(c *card.Card) { c.Reissue.To = "someone-else" },
			card.ReissueReasonDamaged, card.ReissueOptions{}, card.ErrCannotReissue, "reissue.to", card.CodeAlreadyReissued},
		{"no reason", func(*card.Card) {},
			0, card.ReissueOptions{}, card.ErrInvalid, "reissue_reason", card.CodeRequired},
		{"unknown reason", func(*card.Card) {},
			card.ReissueReason(77), card.ReissueOptions{}, card.ErrInvalid, "reissue_reason", card.CodeUnknownValue},
		{"link without a reason", func(c *card.Card) { c.Reissue.From = "older" },
			card.ReissueReasonDamaged, card.ReissueOptions{}, card.ErrInvalid, "reissue.reason", card.CodeRequired},
		{"no id", func(c *card.Card) { c.ID = uuid.Nil },
			card.ReissueReasonDamaged, card.ReissueOptions{}, card.ErrInvalid, "id", card.CodeRequired},
		{"unknown form", func(*card.Card) {},
			card.ReissueReasonProductChange, card.ReissueOptions{Form: card.Form(9)}, card.ErrInvalid, "options.form", card.CodeUnknownValue},
		{"bad name in the options", func(*card.Card) {},
			card.ReissueReasonAppearance, card.ReissueOptions{NameOnCard: "a\nb"}, card.ErrInvalid, "options.name_on_card", card.CodeCharset},
		{"bad emboss in the options", func(*card.Card) {},
			card.ReissueReasonAppearance, card.ReissueOptions{Emboss: card.Emboss{Line1: "JOSÉ"}}, card.ErrInvalid, "options.emboss.line1", card.CodeCharset},
		// The new card takes the options' lines whole: a second line alone
		// would make a card that breaks the rule, after the provider made it.
		{"second emboss line alone in the options", func(*card.Card) {},
			card.ReissueReasonAppearance, card.ReissueOptions{Emboss: card.Emboss{Line2: "SECOND LINE"}}, card.ErrInvalid, "options.emboss.line1", card.CodeRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := activeCard(t)
			tt.edit(&old)
			before := old.Clone()
			_, err := card.PlanReissue(&old, tt.reason, tt.opts)
			require.ErrorIs(t, err, tt.kind)
			var e *card.Error
			require.ErrorAs(t, err, &e)
			assert.True(t, e.Has(tt.field, tt.code), "%v", err)
			assert.Equal(t, before, old)

			plan := card.ReissuePlan{Reason: tt.reason}
			_, err = card.Reissue(&old, plan, newID, t0)
			require.Error(t, err)
			assert.Equal(t, before, old, "a refused reissue changes nothing")

			// ReplanReissue refuses what is wrong with the request or the
			// card's data, never what became of the card.
			replanned, err := card.ReplanReissue(&old, tt.reason, tt.opts)
			if tt.kind == card.ErrCannotReissue {
				require.NoError(t, err)
				fresh := activeCard(t)
				want, err := card.PlanReissue(&fresh, tt.reason, tt.opts)
				require.NoError(t, err)
				assert.Equal(t, want, replanned, "the plan made before the card changed")
			} else {
				require.ErrorIs(t, err, tt.kind)
				require.ErrorAs(t, err, &e)
				assert.True(t, e.Has(tt.field, tt.code), "%v", err)
				assert.Equal(t, "card.ReplanReissue", e.Op)
			}
			assert.Equal(t, before, old)
		})
	}
}

// TestAdoptReissue: a replacement the provider made is recorded whatever
// became of the old card since; the old card changes as far as Reissue
// would still change it, and no further.
func TestAdoptReissue(t *testing.T) {
	const other = "33333333-3333-4333-8333-333333333333"
	tests := []struct {
		name    string
		edit    func(*card.Card)
		reason  card.ReissueReason
		changed bool
		want    func(t *testing.T, old card.Card) // old as adopt left it
	}{
		{"live: as Reissue", func(*card.Card) {}, card.ReissueReasonDamaged, true, func(t *testing.T, old card.Card) {
			assert.Equal(t, newID.String(), old.Reissue.To)
			assert.Equal(t, card.StatusActive, old.Status)
		}},
		{"live, ends now: as Reissue", func(*card.Card) {}, card.ReissueReasonLost, true, func(t *testing.T, old card.Card) {
			assert.Equal(t, newID.String(), old.Reissue.To)
			assert.Equal(t, card.StatusTerminated, old.Status)
			assert.Equal(t, card.ReasonLOS, old.StatusReason)
		}},
		{"ended since: linked, stays as it ended", func(c *card.Card) { c.Status, c.StatusReason = card.StatusTerminated, card.ReasonREQ },
			card.ReissueReasonLost, true, func(t *testing.T, old card.Card) {
				assert.Equal(t, newID.String(), old.Reissue.To)
				assert.Equal(t, card.StatusTerminated, old.Status)
				assert.Equal(t, card.ReasonREQ, old.StatusReason)
			}},
		{"replaced since: keeps its link", func(c *card.Card) { c.Reissue.To = other }, card.ReissueReasonDamaged, false, func(t *testing.T, old card.Card) {
			assert.Equal(t, other, old.Reissue.To)
		}},
		{"replaced since, lost now: keeps its link, ends", func(c *card.Card) { c.Reissue.To = other }, card.ReissueReasonLost, true, func(t *testing.T, old card.Card) {
			assert.Equal(t, other, old.Reissue.To)
			assert.Equal(t, card.StatusTerminated, old.Status)
		}},
		{"linked to this card already", func(c *card.Card) { c.Reissue.To = newID.String() }, card.ReissueReasonLost, false, func(t *testing.T, old card.Card) {
			assert.Equal(t, card.StatusActive, old.Status, "its reissue changed it then")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := activeCard(t)
			plan, err := card.PlanReissue(&fresh, tt.reason, card.ReissueOptions{})
			require.NoError(t, err)
			old := activeCard(t)
			tt.edit(&old)
			before := old.Clone()

			n, changed, err := card.AdoptReissue(&old, plan, newID, t0)
			require.NoError(t, err)
			assert.Equal(t, card.Replacement(&before, plan, newID, t0), n)
			assert.Equal(t, tt.changed, changed)
			if changed {
				assert.Equal(t, before.Version+1, old.Version)
				assert.Equal(t, t0, old.UpdatedAt)
			} else {
				assert.Equal(t, before, old, "an old card not changed is left as it was")
			}
			tt.want(t, old)
			require.NoError(t, old.Validate())
		})
	}

	t.Run("same as Reissue for a live card", func(t *testing.T) {
		for _, reason := range card.ReissueReasonValues() {
			a, b := activeCard(t), activeCard(t)
			plan, err := card.PlanReissue(&a, reason, card.ReissueOptions{})
			require.NoError(t, err)
			want, err := card.Reissue(&a, plan, newID, t0)
			require.NoError(t, err)
			got, changed, err := card.AdoptReissue(&b, plan, newID, t0)
			require.NoError(t, err)
			assert.True(t, changed)
			assert.Equal(t, want, got, "%v", reason)
			assert.Equal(t, a, b, "%v", reason)
		}
	})

	t.Run("refusals change nothing", func(t *testing.T) {
		old := activeCard(t)
		plan, err := card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{})
		require.NoError(t, err)
		before := old.Clone()
		for name, call := range map[string]func() error{
			"nil old":  func() error { _, _, err := card.AdoptReissue(nil, plan, newID, t0); return err },
			"no plan":  func() error { _, _, err := card.AdoptReissue(&old, card.ReissuePlan{}, newID, t0); return err },
			"no id":    func() error { _, _, err := card.AdoptReissue(&old, plan, uuid.Nil, t0); return err },
			"old's id": func() error { _, _, err := card.AdoptReissue(&old, plan, oldID, t0); return err },
		} {
			err := call()
			require.ErrorIs(t, err, card.ErrInvalid, name)
			assert.Equal(t, before, old, name)
		}
	})
}

func TestReissueIsAllOrNothing(t *testing.T) {
	old := activeCard(t)
	plan, err := card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{})
	require.NoError(t, err)
	before := old.Clone()

	changed := plan
	changed.Options.NewPAN = true
	_, err = card.Reissue(&old, changed, newID, t0)
	require.ErrorIs(t, err, card.ErrInvalid, "options changed since the plan")
	_, err = card.Reissue(&old, plan, uuid.Nil, t0)
	require.ErrorIs(t, err, card.ErrInvalid)
	_, err = card.Reissue(&old, plan, oldID, t0)
	require.ErrorIs(t, err, card.ErrInvalid)
	assert.Equal(t, before, old)

	// Nothing shared: changing the new card's maps and slices leaves the old alone.
	n, err := card.Reissue(&old, plan, newID, t0)
	require.NoError(t, err)
	n.Metadata["k"] = "changed"
	n.Controls.AllowedCategories[0] = 1
	n.Shipping.Method = card.ShippingVIP
	assert.Equal(t, "v", old.Metadata["k"])
	assert.Equal(t, card.MCC(5411), old.Controls.AllowedCategories[0])
	assert.Equal(t, card.ShippingNormal, old.Shipping.Method)
}

func TestActivateReplacement(t *testing.T) {
	t.Run("ends the old card on activation", func(t *testing.T) {
		old := activeCard(t)
		plan, err := card.PlanReissue(&old, card.ReissueReasonExpiration, card.ReissueOptions{})
		require.NoError(t, err)
		n, err := card.Reissue(&old, plan, newID, t0)
		require.NoError(t, err)
		require.NoError(t, n.Transition(card.Move{To: card.StatusUnactivated, By: provider}, t0))

		require.NoError(t, card.ActivateReplacement(&n, &old, holder, t0.Add(time.Hour)))
		assert.Equal(t, card.StatusActive, n.Status)
		assert.Equal(t, card.ReasonRIS, n.StatusReason)
		assert.Equal(t, card.StatusTerminated, old.Status)
		assert.Equal(t, card.ReasonEXP, old.StatusReason)
	})
	t.Run("old card already ended", func(t *testing.T) {
		old := activeCard(t)
		plan, err := card.PlanReissue(&old, card.ReissueReasonStolen, card.ReissueOptions{})
		require.NoError(t, err)
		n, err := card.Reissue(&old, plan, newID, t0)
		require.NoError(t, err)
		require.Equal(t, card.StatusTerminated, old.Status)
		require.NoError(t, n.Transition(card.Move{To: card.StatusUnactivated, By: provider}, t0))
		v := old.Version
		require.NoError(t, card.ActivateReplacement(&n, &old, holder, t0))
		assert.Equal(t, v, old.Version, "an ended card is left alone")
	})
	t.Run("neither changes when the new card cannot be activated", func(t *testing.T) {
		old := activeCard(t)
		plan, err := card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{})
		require.NoError(t, err)
		n, err := card.Reissue(&old, plan, newID, t0)
		require.NoError(t, err)
		oldBefore, newBefore := old.Clone(), n.Clone()
		err = card.ActivateReplacement(&n, &old, holder, t0) // still PENDING
		require.ErrorIs(t, err, card.ErrIllegalTransition)
		assert.Equal(t, oldBefore, old)
		assert.Equal(t, newBefore, n)
	})
	t.Run("cards that do not belong together", func(t *testing.T) {
		old := activeCard(t)
		other := activeCard(t)
		other.ID = uuid.New()
		err := card.ActivateReplacement(&other, &old, holder, t0)
		require.ErrorIs(t, err, card.ErrInvalid)
		var e *card.Error
		require.ErrorAs(t, err, &e)
		assert.True(t, e.Has("reissue.from", card.CodeMismatch))
	})
	t.Run("a second replacement, adopted", func(t *testing.T) {
		old := activeCard(t)
		plan, err := card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{})
		require.NoError(t, err)
		_, err = card.Reissue(&old, plan, newID, t0) // the replacement old links to
		require.NoError(t, err)
		second, changed, err := card.AdoptReissue(&old, plan, uuid.New(), t0)
		require.NoError(t, err)
		require.False(t, changed)
		second.Status = card.StatusUnactivated
		require.NoError(t, card.ActivateReplacement(&second, &old, holder, t0.Add(time.Minute)))
		assert.Equal(t, card.StatusActive, second.Status)
		assert.Equal(t, card.StatusTerminated, old.Status, "the provider ends old on either's activation")
		assert.Equal(t, newID.String(), old.Reissue.To, "its link stays")
	})
}

func TestReissueRefusesALoop(t *testing.T) {
	old := activeCard(t)
	old.Reissue = card.ReissueLink{From: newID.String(), Reason: card.ReissueReasonDamaged}
	plan, err := card.PlanReissue(&old, card.ReissueReasonLost, card.ReissueOptions{})
	require.NoError(t, err)
	before := old.Clone()
	_, err = card.Reissue(&old, plan, newID, t0)
	require.ErrorIs(t, err, card.ErrInvalid, "the new id is the old card's predecessor")
	assert.Equal(t, before, old)
}

func TestActivateAlreadyActiveReplacement(t *testing.T) {
	old := activeCard(t)
	old.Form = card.FormVirtual
	old.Shipping = nil
	plan, err := card.PlanReissue(&old, card.ReissueReasonAppearance, card.ReissueOptions{})
	require.NoError(t, err)
	n, err := card.Reissue(&old, plan, newID, t0)
	require.NoError(t, err)
	// The provider issues the virtual replacement active at once.
	require.NoError(t, n.Transition(card.Move{To: card.StatusActive, By: provider}, t0))
	require.Equal(t, card.StatusActive, old.Status)
	v := n.Version
	require.NoError(t, card.ActivateReplacement(&n, &old, provider, t0.Add(time.Minute)))
	assert.Equal(t, card.StatusTerminated, old.Status, "the old card ends all the same")
	assert.Equal(t, v, n.Version, "the replacement was already active")
	require.NoError(t, card.ActivateReplacement(&n, &old, provider, t0.Add(time.Minute)), "again: nothing to do")
}

func TestBusinessCardNeedsACustomer(t *testing.T) {
	c := activeCard(t)
	c.Status, c.StatusReason = card.StatusUnactivated, card.ReasonISS
	c.Holder = card.Holder{BusinessID: "bus-1"}
	err := c.Activate(holder, t0)
	require.ErrorIs(t, err, card.ErrInvalid)
	var e *card.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Has("holder.customer_id", card.CodeRequired))
	assert.Equal(t, card.StatusUnactivated, c.Status)
	require.NoError(t, c.Activate(provider, t0), "the provider reports what happened")
	d := activeCard(t)
	d.Status, d.StatusReason, d.Holder = card.StatusUnactivated, card.ReasonISS, card.Holder{BusinessID: "bus-1", CustomerID: "cust-9"}
	require.NoError(t, d.Activate(holder, t0))
}

func TestNilCards(t *testing.T) {
	_, err := card.PlanReissue(nil, card.ReissueReasonLost, card.ReissueOptions{})
	require.ErrorIs(t, err, card.ErrInvalid)
	_, err = card.Reissue(nil, card.ReissuePlan{}, newID, t0)
	require.ErrorIs(t, err, card.ErrInvalid)
	_, err = card.ReplanReissue(nil, card.ReissueReasonLost, card.ReissueOptions{})
	require.ErrorIs(t, err, card.ErrInvalid)
	c := activeCard(t)
	require.ErrorIs(t, card.ActivateReplacement(nil, &c, holder, t0), card.ErrInvalid)
	require.ErrorIs(t, card.ActivateReplacement(&c, nil, holder, t0), card.ErrInvalid)
}

func TestPlanReissueDoesNotAllocate(t *testing.T) {
	old := activeCard(t)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := card.PlanReissue(&old, card.ReissueReasonNameChange, card.ReissueOptions{NewExpiry: true}); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// TestEndsOnActivation: a replacement's activation ends the old card only
// where the rule says so, and only an old card that has not ended.
func TestEndsOnActivation(t *testing.T) {
	for _, tt := range []struct {
		reason card.ReissueReason
		old    card.Status
		want   bool
	}{
		{card.ReissueReasonDamaged, card.StatusActive, true},
		{card.ReissueReasonDamaged, card.StatusSuspended, true},
		{card.ReissueReasonDamaged, card.StatusTerminated, false},
		{card.ReissueReasonLost, card.StatusActive, false},
	} {
		c := card.Card{Reissue: card.ReissueLink{Reason: tt.reason}}
		old := card.Card{Status: tt.old}
		assert.Equal(t, tt.want, c.EndsOnActivation(&old), "%v from %v", tt.reason, tt.old)
	}
	c := card.Card{Reissue: card.ReissueLink{Reason: card.ReissueReasonDamaged}}
	assert.False(t, c.EndsOnActivation(nil), "no old card, nothing to end")
}

// TestOldCardEndText: OldCardEnd encodes by name like every enum, so that
// the reissue table lists as data.
func TestOldCardEndText(t *testing.T) {
	for _, e := range card.OldCardEndValues() {
		b, err := e.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, e.String(), string(b))
		var back card.OldCardEnd
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, e, back)
		assert.True(t, e.Valid())
		assert.NotEmpty(t, e.Doc())
	}
	var e card.OldCardEnd
	require.ErrorIs(t, e.UnmarshalText([]byte("LATER")), card.ErrInvalid)
	b, err := json.Marshal(card.ReissueReasonLost.Rule())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"OldEnds":"IMMEDIATELY"`)
}

func TestReplacementOfNil(t *testing.T) {
	assert.Equal(t, card.Card{}, card.Replacement(nil, card.ReissuePlan{}, newID, t0))
}

// reissued is activeCard reissued for reason: the old card and its new,
// UNACTIVATED replacement.
func reissued(t *testing.T, reason card.ReissueReason) (old, repl card.Card) {
	t.Helper()
	old = activeCard(t)
	plan, err := card.PlanReissue(&old, reason, card.ReissueOptions{})
	require.NoError(t, err)
	repl, err = card.Reissue(&old, plan, newID, t0)
	require.NoError(t, err)
	repl.Status = card.StatusUnactivated
	return old, repl
}

// TestReissueChain: a replacement never activated is not reissued while
// the card it replaces waits for its activation; every other chain is.
func TestReissueChain(t *testing.T) {
	old, repl := reissued(t, card.ReissueReasonDamaged)
	err := card.CheckReissueChain(&repl, &old)
	require.ErrorIs(t, err, card.ErrCannotReissue)
	var ce *card.Error
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Has("reissue.from", card.CodeNotAllowed), "%v", err)

	require.NoError(t, card.CheckReissueChain(&repl, nil), "the card it replaces is not known")
	activated := repl
	activated.ActivatedAt = t0
	assert.True(t, repl.AwaitsActivation())
	assert.False(t, activated.AwaitsActivation())
	assert.False(t, old.AwaitsActivation(), "it replaces nothing")
	require.NoError(t, card.CheckReissueChain(&activated, &old), "activated: the old card ended then")
	ended := old
	ended.Status = card.StatusTerminated
	require.NoError(t, card.CheckReissueChain(&repl, &ended), "the old card ended anyway")
	lostOld, lostRepl := reissued(t, card.ReissueReasonLost)
	require.NoError(t, card.CheckReissueChain(&lostRepl, &lostOld), "LOST ended the old card at once")
	other := old
	other.Reissue.To = uuid.NewString()
	require.NoError(t, card.CheckReissueChain(&repl, &other), "the old card is linked to another")
}

// TestReplacementEnded: a replacement that ends before its activation frees
// the card it replaces, which can be reissued again; nothing else does.
func TestReplacementEnded(t *testing.T) {
	old, repl := reissued(t, card.ReissueReasonDamaged)
	require.NoError(t, repl.Terminate(card.ReasonREQ, card.ActorProgram, t0.Add(time.Hour)))
	live := repl
	live.Status = card.StatusUnactivated
	assert.False(t, card.ReplacementEnded(&live, &old, t0), "the replacement has not ended")
	used := repl
	used.ActivatedAt = t0
	assert.False(t, card.ReplacementEnded(&used, &old, t0), "the replacement was activated")
	assert.False(t, card.ReplacementEnded(&repl, nil, t0))
	assert.False(t, card.ReplacementEnded(nil, &old, t0))
	_, err := card.PlanReissue(&old, card.ReissueReasonLost, card.ReissueOptions{})
	require.ErrorIs(t, err, card.ErrCannotReissue, "still replaced")

	version := old.Version
	at := t0.Add(2 * time.Hour)
	require.True(t, card.ReplacementEnded(&repl, &old, at))
	assert.Empty(t, old.Reissue.To)
	assert.Equal(t, at, old.UpdatedAt)
	assert.Equal(t, version+1, old.Version)
	require.NoError(t, old.Validate())
	_, err = card.PlanReissue(&old, card.ReissueReasonLost, card.ReissueOptions{})
	require.NoError(t, err, "free to be reissued again")
	assert.False(t, card.ReplacementEnded(&repl, &old, at), "once")
}

// TestRecordActivation: an activation the provider made, recorded after a
// later move: the card keeps its status and gets its activation time; the
// card it replaces ends where the rule says and it still can.
func TestRecordActivation(t *testing.T) {
	replaced := func(t *testing.T, reason card.ReissueReason) (card.Card, card.Card) {
		old := activeCard(t)
		plan, err := card.PlanReissue(&old, reason, card.ReissueOptions{})
		require.NoError(t, err)
		n, err := card.Reissue(&old, plan, newID, t0)
		require.NoError(t, err)
		n.Status, n.StatusReason, n.HeldBy = card.StatusSuspended, card.ReasonREQ, card.ActorHolder // a later hold
		return n, old
	}
	at := t0.Add(time.Hour)
	t.Run("ends the old card on activation", func(t *testing.T) {
		n, old := replaced(t, card.ReissueReasonDamaged)
		nv, ov := n.Version, old.Version
		cc, oc, err := card.RecordActivation(&n, &old, at)
		require.NoError(t, err)
		assert.True(t, cc)
		assert.True(t, oc)
		assert.Equal(t, card.StatusSuspended, n.Status, "the later hold stays")
		assert.Equal(t, at, n.ActivatedAt)
		assert.Equal(t, card.StatusActive, n.ResumeStatus(), "a lifted hold returns it to ACTIVE")
		assert.Equal(t, card.StatusTerminated, old.Status)
		assert.Equal(t, nv+1, n.Version)
		assert.Equal(t, ov+1, old.Version)
		require.NoError(t, n.Validate())
		require.NoError(t, old.Validate())
	})
	t.Run("an old card ended already, or kept by its rule", func(t *testing.T) {
		for _, reason := range []card.ReissueReason{card.ReissueReasonLost, card.ReissueReasonDamaged} {
			n, old := replaced(t, reason)
			if reason == card.ReissueReasonDamaged {
				old.Status, old.StatusReason = card.StatusTerminated, card.ReasonREQ // ended since by another call
			}
			before := old.Clone()
			_, oc, err := card.RecordActivation(&n, &old, at)
			require.NoError(t, err)
			assert.False(t, oc, "%v", reason)
			assert.Equal(t, before, old, "%v", reason)
		}
	})
	t.Run("activated already; no old card known", func(t *testing.T) {
		c := activeCard(t)
		before := c.Clone()
		cc, oc, err := card.RecordActivation(&c, nil, at)
		require.NoError(t, err)
		assert.False(t, cc)
		assert.False(t, oc)
		assert.Equal(t, before, c)
	})
	t.Run("refusals change nothing", func(t *testing.T) {
		n, _ := replaced(t, card.ReissueReasonDamaged)
		other := activeCard(t)
		other.ID = uuid.New()
		nb, ob := n.Clone(), other.Clone()
		_, _, err := card.RecordActivation(&n, &other, at)
		require.ErrorIs(t, err, card.ErrInvalid)
		assert.Equal(t, nb, n)
		assert.Equal(t, ob, other)
		_, _, err = card.RecordActivation(nil, &other, at)
		require.ErrorIs(t, err, card.ErrInvalid)
		for _, st := range []card.Status{card.StatusPending, card.StatusUnactivated} {
			n, _ := replaced(t, card.ReissueReasonDamaged)
			n.Status, n.StatusReason, n.HeldBy = st, 0, 0
			nb := n.Clone()
			_, _, err := card.RecordActivation(&n, nil, at)
			require.ErrorIs(t, err, card.ErrInvalid, "%v: activate it instead", st)
			assert.Equal(t, nb, n)
		}
	})
}
