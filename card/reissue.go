package card

import (
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/internal/enum"
)

// ReissueReason says why a card is replaced: the union of the reasons the
// providers document. Its rule (ReissueReason.Rule) decides what the new
// card keeps and when the old one ends.
type ReissueReason uint8

// Reissue reasons. The two deprecated ones behave exactly as their
// successors.
const (
	ReissueReasonExpiration ReissueReason = iota + 1
	ReissueReasonLost
	ReissueReasonStolen
	ReissueReasonLostOrStolen
	ReissueReasonDamaged
	ReissueReasonCompromised
	ReissueReasonProductChange
	ReissueReasonAppearance
	ReissueReasonReturned
	ReissueReasonNewEnrollment
	// Deprecated: use ReissueReasonProductChange, which it behaves as.
	ReissueReasonVirtualToPhysical
	// Deprecated: use ReissueReasonAppearance, which it behaves as.
	ReissueReasonNameChange
)

var reissueEnum = enum.Enum[ReissueReason]{Type: "card.ReissueReason", Entries: []enum.Entry{
	ReissueReasonExpiration:        {Name: "EXPIRATION", Doc: "the card expires soon"},
	ReissueReasonLost:              {Name: "LOST", Doc: "the holder lost the card"},
	ReissueReasonStolen:            {Name: "STOLEN", Doc: "the card was stolen"},
	ReissueReasonLostOrStolen:      {Name: "LOST_OR_STOLEN", Doc: "the card was lost or stolen, which is not known"},
	ReissueReasonDamaged:           {Name: "DAMAGED", Doc: "the card no longer works physically"},
	ReissueReasonCompromised:       {Name: "COMPROMISED", Doc: "the number was compromised or used for fraud"},
	ReissueReasonProductChange:     {Name: "PRODUCT_CHANGE", Doc: "moving to another card product, such as virtual to physical"},
	ReissueReasonAppearance:        {Name: "APPEARANCE", Doc: "changing what the card looks like, such as the printed name or image"},
	ReissueReasonReturned:          {Name: "RETURNED", Doc: "the card came back undelivered"},
	ReissueReasonNewEnrollment:     {Name: "NEW_ENROLLMENT", Doc: "the holder enrolled again in the program"},
	ReissueReasonVirtualToPhysical: {Name: "VIRTUAL_TO_PHYSICAL", Doc: "deprecated: use PRODUCT_CHANGE"},
	ReissueReasonNameChange:        {Name: "NAME_CHANGE", Doc: "deprecated: use APPEARANCE"},
}}

// String returns the canonical name, such as "LOST".
func (r ReissueReason) String() string { return reissueEnum.Name(r) }

// Doc is the documented meaning of r.
func (r ReissueReason) Doc() string { return reissueEnum.Doc(r) }

// Valid reports whether r is one of the named values.
func (r ReissueReason) Valid() bool { return reissueEnum.Valid(r) }

// MarshalText encodes the canonical name.
func (r ReissueReason) MarshalText() ([]byte, error) {
	return marshalEnum(&reissueEnum, "reissue_reason", r)
}

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (r *ReissueReason) UnmarshalText(b []byte) error {
	return unmarshalEnum(&reissueEnum, "reissue_reason", r, b)
}

// ParseReissueReason parses a canonical name such as "DAMAGED".
func ParseReissueReason(s string) (ReissueReason, error) {
	return parseEnum(&reissueEnum, "reissue_reason", s)
}

// ReissueReasonValues lists every ReissueReason, the deprecated ones last.
func ReissueReasonValues() []ReissueReason { return reissueEnum.Values() }

// Deprecated reports whether r is kept only for old callers.
func (r ReissueReason) Deprecated() bool { return r.rule().Successor != 0 }

// Keep says what a reissued card keeps of the card it replaces.
type Keep uint8

// What a new card keeps of the old one's number and expiry. A new number
// always comes with a new expiry. (The PIN and wallet tokens always carry
// over.)
const (
	KeepSamePANSameExpiry Keep = iota + 1
	KeepSamePANNewExpiry
	KeepNewPAN
)

var keepEnum = enum.Enum[Keep]{Type: "card.Keep", Entries: []enum.Entry{
	KeepSamePANSameExpiry: {Name: "SAME_PAN_SAME_EXPIRY", Doc: "the same number and expiry"},
	KeepSamePANNewExpiry:  {Name: "SAME_PAN_NEW_EXPIRY", Doc: "the same number with a new expiry"},
	KeepNewPAN:            {Name: "NEW_PAN", Doc: "a new number, and so a new expiry"},
}}

// String returns the canonical name, such as "NEW_PAN".
func (k Keep) String() string { return keepEnum.Name(k) }

// Doc is the documented meaning of k.
func (k Keep) Doc() string { return keepEnum.Doc(k) }

// Valid reports whether k is one of the named values.
func (k Keep) Valid() bool { return keepEnum.Valid(k) }

// MarshalText encodes the canonical name.
func (k Keep) MarshalText() ([]byte, error) { return marshalEnum(&keepEnum, "keep", k) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (k *Keep) UnmarshalText(b []byte) error { return unmarshalEnum(&keepEnum, "keep", k, b) }

// ParseKeep parses a canonical name such as "SAME_PAN_NEW_EXPIRY".
func ParseKeep(s string) (Keep, error) { return parseEnum(&keepEnum, "keep", s) }

// KeepValues lists every Keep, from the most kept to the least.
func KeepValues() []Keep { return keepEnum.Values() }

// OldCardEnd says when a replaced card is terminated.
type OldCardEnd uint8

// When the old card ends.
const (
	EndOnActivation OldCardEnd = iota + 1
	EndImmediately
)

var endEnum = enum.Enum[OldCardEnd]{Type: "card.OldCardEnd", Entries: []enum.Entry{
	EndOnActivation: {Name: "ON_ACTIVATION", Doc: "when the new card is activated"},
	EndImmediately:  {Name: "IMMEDIATELY", Doc: "as soon as the reissue is made"},
}}

// String returns the canonical name, such as "IMMEDIATELY".
func (e OldCardEnd) String() string { return endEnum.Name(e) }

// Doc is the documented meaning of e.
func (e OldCardEnd) Doc() string { return endEnum.Doc(e) }

// Valid reports whether e is one of the named values.
func (e OldCardEnd) Valid() bool { return endEnum.Valid(e) }

// MarshalText encodes the canonical name.
func (e OldCardEnd) MarshalText() ([]byte, error) { return marshalEnum(&endEnum, "old_ends", e) }

// UnmarshalText decodes a canonical name; an unknown one is an error.
func (e *OldCardEnd) UnmarshalText(b []byte) error { return unmarshalEnum(&endEnum, "old_ends", e, b) }

// OldCardEndValues lists every OldCardEnd.
func OldCardEndValues() []OldCardEnd { return endEnum.Values() }

// RecordActivation records an activation the provider made whose answer
// was lost, after a later move has taken c out of UNACTIVATED (a PENDING or
// UNACTIVATED c is an error: activate it instead): c keeps its status and
// gets its activation time, if it had none, so that a lifted hold returns
// it to ACTIVE, as at the provider; and old, the card c replaces (nil if c
// replaces none known), ends where c's reissue rule ends it on activation
// and it can still end, as ActivateReplacement would have ended it. It
// reports which of the two changed (UpdatedAt set to at, Version plus
// one). An old that c does not replace is an error, and nothing changes.
func RecordActivation(c, old *Card, at time.Time) (cChanged, oldChanged bool, err error) {
	if c == nil {
		return false, false, nilCard("card.RecordActivation")
	}
	if c.Status == StatusPending || c.Status == StatusUnactivated {
		// Not moved since: an activation of it is made, not recorded.
		var p Problems
		p.AddValue("status", CodeNotAllowed, c.Status.String(), "an activation is recorded only of a card a later move took out of UNACTIVATED")
		return false, false, p.Err("card.RecordActivation")
	}
	if old != nil && (c.Reissue.From == "" || c.Reissue.From != old.ID.String()) {
		var p Problems
		p.Add("reissue.from", CodeMismatch, "the card does not replace this old card")
		return false, false, p.Err("card.RecordActivation")
	}
	end := c.Reissue.Reason.Rule().OldMove()
	if c.EndsOnActivation(old) && CheckTransition(old.Status, old.HeldBy, end) == nil {
		old.apply(end, at)
		oldChanged = true
	}
	if c.ActivatedAt.IsZero() {
		c.ActivatedAt, c.UpdatedAt = at, at
		c.Version++
		cChanged = true
	}
	return cChanged, oldChanged, nil
}

// ParseOldCardEnd reads an OldCardEnd by its name, as String writes it.
func ParseOldCardEnd(s string) (OldCardEnd, error) { return parseEnum(&endEnum, "old_ends", s) }

// ReissueRule is one row of the reissue table. For every reason the new card
// keeps the old card's PIN, and the old card's digital wallet tokens move to
// the new card.
type ReissueRule struct {
	Reason ReissueReason
	// Keep is what the new card keeps of the old one, at least: a caller may
	// ask for more to change (ReissueOptions), never for less.
	Keep Keep
	// OldEnds is when the old card is terminated.
	OldEnds OldCardEnd
	// OldReason is the status reason the old card is terminated with.
	OldReason StatusReason
	// Successor, for a deprecated reason, is the reason it behaves as; the
	// other columns of a deprecated row repeat the successor's.
	Successor ReissueReason
}

// reissueRules is the reissue table, indexed by reason.
var reissueRules = [...]ReissueRule{
	ReissueReasonExpiration:        {ReissueReasonExpiration, KeepSamePANNewExpiry, EndOnActivation, ReasonEXP, 0},
	ReissueReasonLost:              {ReissueReasonLost, KeepNewPAN, EndImmediately, ReasonLOS, 0},
	ReissueReasonStolen:            {ReissueReasonStolen, KeepNewPAN, EndImmediately, ReasonSTO, 0},
	ReissueReasonLostOrStolen:      {ReissueReasonLostOrStolen, KeepNewPAN, EndImmediately, ReasonLOS, 0},
	ReissueReasonDamaged:           {ReissueReasonDamaged, KeepSamePANSameExpiry, EndOnActivation, ReasonREQ, 0},
	ReissueReasonCompromised:       {ReissueReasonCompromised, KeepNewPAN, EndImmediately, ReasonCOM, 0},
	ReissueReasonProductChange:     {ReissueReasonProductChange, KeepSamePANSameExpiry, EndOnActivation, ReasonREQ, 0},
	ReissueReasonAppearance:        {ReissueReasonAppearance, KeepSamePANSameExpiry, EndOnActivation, ReasonREQ, 0},
	ReissueReasonReturned:          {ReissueReasonReturned, KeepSamePANSameExpiry, EndOnActivation, ReasonUNK, 0},
	ReissueReasonNewEnrollment:     {ReissueReasonNewEnrollment, KeepSamePANSameExpiry, EndOnActivation, ReasonREQ, 0},
	ReissueReasonVirtualToPhysical: {ReissueReasonVirtualToPhysical, KeepSamePANSameExpiry, EndOnActivation, ReasonREQ, ReissueReasonProductChange},
	ReissueReasonNameChange:        {ReissueReasonNameChange, KeepSamePANSameExpiry, EndOnActivation, ReasonREQ, ReissueReasonAppearance},
}

// ReissueRules lists the reissue table as written, deprecated rows included.
func ReissueRules() []ReissueRule {
	return append([]ReissueRule(nil), reissueRules[1:]...)
}

func (r ReissueReason) rule() ReissueRule {
	if int(r) >= len(reissueRules) {
		return ReissueRule{}
	}
	return reissueRules[r]
}

// Rule is the rule r follows: its own row, or its successor's for a
// deprecated reason. The zero ReissueRule means r is not a reason.
func (r ReissueReason) Rule() ReissueRule {
	rule := r.rule()
	if rule.Successor != 0 {
		return rule.Successor.rule()
	}
	return rule
}

// OldMove is the move that ends the old card under this rule.
func (r ReissueRule) OldMove() Move {
	return Move{To: StatusTerminated, Reason: r.OldReason, By: ActorSystem}
}

// ReissueOptions asks for more than the rule's minimum, or for a different
// product or appearance. The zero value asks for nothing.
type ReissueOptions struct {
	NewPAN     bool   // a new number even where the rule keeps it
	NewExpiry  bool   // a new expiry even where the rule keeps it
	Form       Form   // the new card's form; zero keeps the old card's
	ProductID  string // the new card's product; "" keeps the old card's
	NameOnCard string // "" keeps the old card's
	Emboss     Emboss // the zero Emboss keeps the old card's
}

// ReissuePlan is what a reissue will do, decided before anything changes.
type ReissuePlan struct {
	Reason     ReissueReason  // the reason asked for
	Rule       ReissueRule    // the rule applied: the successor's for a deprecated reason
	Options    ReissueOptions // the options asked for
	SamePAN    bool           // the new card has the old card's number
	SameExpiry bool           // the new card has the old card's expiry
	Form       Form           // the new card's form
	ProductID  string         // the new card's product
}

// Keep is what the new card keeps under the plan.
func (p ReissuePlan) Keep() Keep {
	switch {
	case !p.SamePAN:
		return KeepNewPAN
	case !p.SameExpiry:
		return KeepSamePANNewExpiry
	}
	return KeepSamePANSameExpiry
}

// PlanReissue decides how old is replaced for reason. It returns a *Error
// of kind ErrCannotReissue when old cannot be replaced (its status is final
// or not yet issued, or it was already replaced) and of kind ErrInvalid when
// the card, the reason or the options are not valid. It does not change old
// and does not allocate when it succeeds.
func PlanReissue(old *Card, reason ReissueReason, opts ReissueOptions) (ReissuePlan, error) {
	if old == nil {
		return ReissuePlan{}, nilCard("card.PlanReissue")
	}
	var refused Problems
	switch {
	case old.Status.Final():
		refused.AddValue("status", CodeFinalStatus, old.Status.String(), "a card in a final status cannot be reissued")
	case !old.Status.Issued():
		refused.AddValue("status", CodeNotAllowed, old.Status.String(), "only an issued card can be reissued")
	}
	if old.Reissue.To != "" {
		refused.Add("reissue.to", CodeAlreadyReissued, "the card was already replaced")
	}
	if err := refused.ErrKind("card.PlanReissue", ErrCannotReissue); err != nil {
		return ReissuePlan{}, err
	}
	return planFor("card.PlanReissue", old, reason, opts)
}

// ReplanReissue makes again the plan PlanReissue made for old, for a
// reissue the provider may have carried out already (an attempt whose
// answer was lost): that reissue stands whatever became of old since, so
// old is not refused for its status or for a replacement it has now. The
// card's id, the reason and the options are checked as PlanReissue checks
// them. The plan is the one made before if old's form and product are
// unchanged, as no change of status or replacement changes them.
func ReplanReissue(old *Card, reason ReissueReason, opts ReissueOptions) (ReissuePlan, error) {
	if old == nil {
		return ReissuePlan{}, nilCard("card.ReplanReissue")
	}
	return planFor("card.ReplanReissue", old, reason, opts)
}

// planFor is PlanReissue after its refusals, for op.
func planFor(op string, old *Card, reason ReissueReason, opts ReissueOptions) (ReissuePlan, error) {
	var bad Problems
	if old.ID == uuid.Nil {
		bad.Add("id", CodeRequired, "the card to replace needs an id")
	}
	if old.Reissue.From != "" && old.Reissue.Reason == 0 {
		bad.Add("reissue.reason", CodeRequired, "a reissue link needs a reason")
	}
	switch {
	case reason == 0:
		bad.Add("reissue_reason", CodeRequired, "a reissue needs a reason")
	case !reissueEnum.Valid(reason):
		bad.AddValue("reissue_reason", CodeUnknownValue, reason.String(), "not a card.ReissueReason")
	}
	opts.check(&bad)
	if err := bad.Err(op); err != nil {
		return ReissuePlan{}, err
	}

	rule := reason.Rule()
	p := ReissuePlan{
		Reason:     reason,
		Rule:       rule,
		Options:    opts,
		SamePAN:    rule.Keep != KeepNewPAN && !opts.NewPAN,
		SameExpiry: rule.Keep == KeepSamePANSameExpiry && !opts.NewPAN && !opts.NewExpiry,
		Form:       old.Form,
		ProductID:  old.ProductID,
	}
	if opts.Form != 0 {
		p.Form = opts.Form
	}
	if opts.ProductID != "" {
		p.ProductID = opts.ProductID
	}
	return p, nil
}

// Validate checks the options on their own: a known form, a product id, a
// name and emboss lines that keep the text rules.
func (o ReissueOptions) Validate() error {
	var p Problems
	o.check(&p)
	return p.Err("card.ReissueOptions")
}

// check records the options that break a rule.
func (o *ReissueOptions) check(p *Problems) {
	CheckEnum(p, "options.form", o.Form, false)
	optionalText(p, "options.product_id", o.ProductID, TextLimit{Max: 255})
	optionalText(p, "options.name_on_card", o.NameOnCard, RuleNameOnCard.Limit())
	o.Emboss.check(p, "options.emboss.line1", "options.emboss.line2") // the new card takes them whole
}

// CheckCardNumbers records in p every text of o that could hold a whole
// card number, which the new card would keep (see Card.CheckCardNumbers).
func (o ReissueOptions) CheckCardNumbers(p *Problems) {
	NoCardNumber(p, "options.product_id", o.ProductID)
	NoCardNumber(p, "options.name_on_card", o.NameOnCard)
	NoCardNumber(p, "options.emboss.line1", o.Emboss.Line1)
	NoCardNumber(p, "options.emboss.line2", o.Emboss.Line2)
}

func nilCard(op string) error {
	var p Problems
	p.Add("card", CodeRequired, "no card given")
	return p.Err(op)
}

// Replacement is the card plan makes to replace old: PENDING, under newID,
// created at at, with what old keeps and what the plan changes (form,
// product, name, emboss lines; the number and expiry where the plan keeps
// them; shipping to the same place, not yet shipped). It changes nothing;
// Reissue makes it and moves old. A provider's client that orders a
// replacement builds its request from it. A nil old gives the zero Card.
func Replacement(old *Card, plan ReissuePlan, newID uuid.UUID, at time.Time) Card {
	if old == nil {
		return Card{} // nothing to replace; Reissue refuses a nil card
	}
	opts := plan.Options
	n := Card{
		ID:         newID,
		Tenant:     old.Tenant,
		AccountID:  old.AccountID,
		Holder:     old.Holder,
		Type:       old.Type,
		Form:       plan.Form,
		Brand:      old.Brand,
		ProductID:  plan.ProductID,
		Label:      old.Label,
		Currency:   old.Currency,
		ImageID:    old.ImageID,
		Status:     StatusPending,
		NameOnCard: old.NameOnCard,
		Emboss:     old.Emboss,
		Controls:   old.Controls.Clone(),
		Language:   old.Language,
		Alerts:     old.Alerts,
		PINSet:     old.PINSet,
		PINSetAt:   old.PINSetAt,
		Reissue:    ReissueLink{From: old.ID.String(), Reason: plan.Reason, Keep: plan.Keep()},
		Metadata:   cloneMap(old.Metadata),
		CreatedAt:  at,
		UpdatedAt:  at,
	}
	if plan.SamePAN {
		n.PAN, n.BIN, n.LastFour, n.PANLength, n.Fingerprint = old.PAN, old.BIN, old.LastFour, old.PANLength, old.Fingerprint
	}
	if plan.SameExpiry {
		n.Expiry = old.Expiry
	}
	if opts.NameOnCard != "" {
		n.NameOnCard = opts.NameOnCard
	}
	if opts.Emboss != (Emboss{}) {
		n.Emboss = opts.Emboss
	}
	if n.Form == FormPhysical && old.Shipping != nil {
		s := *old.Shipping
		s.Status, s.TrackingNumber, s.ShippedAt, s.ETA = 0, "", time.Time{}, time.Time{}
		n.Shipping = &s
	}
	return n
}

// Reissue carries out plan: it returns the new card, PENDING at the provider,
// linked to old, and links old to it. Where the rule ends the old card
// immediately, old is terminated too. Either all of that happens or, with an
// error, nothing does.
//
// The new card keeps old's number (and fingerprint) and expiry only where the
// plan says so; otherwise they are left empty for the provider to assign.
func Reissue(old *Card, plan ReissuePlan, newID uuid.UUID, at time.Time) (Card, error) {
	if old == nil {
		return Card{}, nilCard("card.Reissue")
	}
	again, err := PlanReissue(old, plan.Reason, plan.Options)
	if err != nil {
		return Card{}, err
	}
	if again != plan {
		var p Problems
		p.Add("plan", CodeMismatch, "the plan was made for another card or changed since")
		return Card{}, p.Err("card.Reissue")
	}
	if err := checkNewID("card.Reissue", old, newID); err != nil {
		return Card{}, err
	}
	end := plan.Rule.OldEnds == EndImmediately
	if end {
		if err := CheckTransition(old.Status, old.HeldBy, plan.Rule.OldMove()); err != nil {
			return Card{}, err
		}
	}

	n := Replacement(old, plan, newID, at)
	old.Reissue.To = newID.String()
	if end {
		old.apply(plan.Rule.OldMove(), at)
	} else {
		old.UpdatedAt = at
		old.Version++
	}
	return n, nil
}

// checkNewID refuses, for op, an id the replacement of old cannot have.
func checkNewID(op string, old *Card, newID uuid.UUID) error {
	if newID == uuid.Nil || newID == old.ID || newID.String() == old.Reissue.From {
		var p Problems
		p.Add("new_id", CodeConflict, "the new card needs an id of its own, not the old card's or its predecessor's")
		return p.Err(op)
	}
	return nil
}

// AdoptReissue records a reissue of old that the provider has carried out
// under plan (from PlanReissue, or from ReplanReissue once old changed):
// it returns the new card, as Replacement makes it, whatever became of old
// since, as the card exists at the provider. Old is changed as Reissue
// changes it, as far as it still can be: linked to the new card if it
// links to no other card yet (one made since keeps its link), and ended now
// where the rule ends it immediately, unless it has ended since. An old
// card linked to this new card already is left as it is. changed reports
// whether old changed (UpdatedAt set to at, Version plus one). A nil old, a
// plan with no rule, or a newID that Reissue would refuse is an error, and
// nothing changes.
func AdoptReissue(old *Card, plan ReissuePlan, newID uuid.UUID, at time.Time) (n Card, changed bool, err error) {
	if old == nil {
		return Card{}, false, nilCard("card.AdoptReissue")
	}
	if plan.Rule.Reason == 0 {
		var p Problems
		p.Add("plan", CodeRequired, "a plan made by PlanReissue or ReplanReissue")
		return Card{}, false, p.Err("card.AdoptReissue")
	}
	if err := checkNewID("card.AdoptReissue", old, newID); err != nil {
		return Card{}, false, err
	}
	n = Replacement(old, plan, newID, at)
	if old.Reissue.To == newID.String() {
		return n, false, nil
	}
	if old.Reissue.To == "" {
		old.Reissue.To, changed = newID.String(), true
	}
	// A card ended since has no move left: CheckTransition refuses it.
	if end := plan.Rule.OldMove(); plan.Rule.OldEnds == EndImmediately && CheckTransition(old.Status, old.HeldBy, end) == nil {
		old.apply(end, at)
		return n, true, nil
	}
	if changed {
		old.UpdatedAt = at
		old.Version++
	}
	return n, changed, nil
}

// EndsOnActivation reports whether activating c, the replacement of old,
// ends old: its reissue rule ends the old card on activation, and old has
// not ended already.
func (c *Card) EndsOnActivation(old *Card) bool {
	return old != nil && c.Reissue.Reason.Rule().OldEnds == EndOnActivation && !old.Status.Final()
}

// AwaitsActivation reports whether c replaces another card and was never
// activated: the card it replaces may still wait for c's activation to end
// (CheckReissueChain), or be freed if c ends first (ReplacementEnded).
func (c *Card) AwaitsActivation() bool { return c.Reissue.From != "" && c.ActivatedAt.IsZero() }

// CheckReissueChain refuses to reissue old, itself the replacement of
// prev, while prev still waits for old's activation to end (old never
// activated, prev live and linked to old, a rule that ends prev on
// activation): prev would outlive the chain, with the number old may share.
// End old first (a replacement that ends before its activation frees the
// card it replaces; see ReplacementEnded), then reissue prev. A nil prev (the
// card old replaces is not known here) is no reason to refuse. The error is
// a *Error of kind ErrCannotReissue at "reissue.from".
func CheckReissueChain(old, prev *Card) error {
	if old == nil || prev == nil || !old.AwaitsActivation() || old.Reissue.From != prev.ID.String() ||
		prev.Reissue.To != old.ID.String() || !old.EndsOnActivation(prev) {
		return nil
	}
	var p Problems
	p.Add("reissue.from", CodeNotAllowed, "the card it replaces waits for its activation: end this card, then reissue that one")
	return p.ErrKind("card.CheckReissueChain", ErrCannotReissue)
}

// ReplacementEnded frees prev, the card c replaced, when c ended before it
// was ever activated (a replacement lost in the post, say): prev is no
// longer linked to a replacement and may be reissued again. It reports
// whether prev changed (Reissue.To cleared, UpdatedAt set to at, Version
// plus one); prev changes only if c is final, was never activated and is
// the replacement a live prev is linked to.
func ReplacementEnded(c, prev *Card, at time.Time) bool {
	if c == nil || prev == nil || !c.Status.Final() || !c.AwaitsActivation() || prev.Status.Final() ||
		c.Reissue.From != prev.ID.String() || prev.Reissue.To != c.ID.String() {
		return false
	}
	prev.Reissue.To = ""
	prev.UpdatedAt = at
	prev.Version++
	return true
}

// ActivateReplacement activates c, the replacement of old, and where the
// reissue rule ends the old card on activation, terminates old in the same
// step. A replacement the provider already reports ACTIVE (a virtual card,
// say) is left as it is and only the old card is ended. Old must be the
// card c replaces (c.Reissue.From); its own link (Reissue.To) is not
// checked: it names c, or another replacement made first where c was
// adopted after it (AdoptReissue), and the provider ends old on the
// activation of either. Either both change or, with an error, neither does.
func ActivateReplacement(c, old *Card, by Actor, at time.Time) error {
	if c == nil || old == nil {
		return nilCard("card.ActivateReplacement")
	}
	if c.Reissue.From == "" || c.Reissue.From != old.ID.String() {
		var p Problems
		p.Add("reissue.from", CodeMismatch, "the card does not replace this old card")
		return p.Err("card.ActivateReplacement")
	}
	activate := c.Status != StatusActive
	move := Move{To: StatusActive, Reason: ReasonRIS, By: by}
	if activate {
		if err := c.checkActivator(by); err != nil {
			return err
		}
		if err := CheckTransition(c.Status, c.HeldBy, move); err != nil {
			return err
		}
	}
	rule := c.Reissue.Reason.Rule()
	end := c.EndsOnActivation(old)
	if end {
		if err := CheckTransition(old.Status, old.HeldBy, rule.OldMove()); err != nil {
			return err
		}
	}
	if activate {
		c.apply(move, at)
	}
	if end {
		old.apply(rule.OldMove(), at)
	}
	return nil
}
