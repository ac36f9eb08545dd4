package card

import "time"

// Transition is one row of the lifecycle table: a card in status From may
// move to To with one of Reasons, when one of By makes the move, and, for a
// card that is SUSPENDED, when its hold was placed by one of Placers.
//
// Placers is how the table says who may lift a hold: whoever placed it, or
// anyone with more authority (holder, then program, then provider). A hold
// whose placer is not known counts as the provider's, so that only the
// provider lifts it.
type Transition struct {
	From    Status
	Placers Actors
	To      Status
	Reasons ReasonSet
	By      Actors
}

// Move is a requested change of status.
type Move struct {
	To     Status
	Reason StatusReason
	By     Actor
	Memo   string // free text about the reason; replaces the card's memo
}

// Reason groups used by the table. Each is written out so that the table can
// be reviewed line by line against the providers' documents.
const (
	// The provider finished issuing (or re-imaging) a card.
	rsIssued ReasonSet = NoReason | 1<<ReasonNEW | 1<<ReasonISS | 1<<ReasonPRC
	// Why issuance failed.
	rsRejected ReasonSet = NoReason | 1<<ReasonKYC | 1<<ReasonMAT | 1<<ReasonADD | 1<<ReasonNAM |
		1<<ReasonSSN | 1<<ReasonDOB | 1<<ReasonEML | 1<<ReasonPHO | 1<<ReasonFUL | 1<<ReasonUNK |
		1<<ReasonISS | 1<<ReasonPRC | 1<<ReasonREV | 1<<ReasonOTH
	// An order withdrawn before the card was issued.
	rsCancel ReasonSet = 1<<ReasonREQ | 1<<ReasonOTH
	// Activation: a new card, or the replacement of a reissued one.
	rsActivation ReasonSet = 1<<ReasonNEW | 1<<ReasonRIS
	// Lifting a hold.
	rsRelease ReasonSet = 1<<ReasonACT | 1<<ReasonINF | 1<<ReasonREQ | 1<<ReasonISS |
		1<<ReasonPRC | 1<<ReasonAUX | 1<<ReasonOTH
	// What a provider may report: the same, without a reason, or as an
	// activation (some providers report an unsuspended card as activated).
	rsProviderRelease ReasonSet = rsRelease | NoReason | rsActivation
	// Holds the holder may place: a freeze, a lost or stolen card.
	rsHolderHold ReasonSet = 1<<ReasonREQ | 1<<ReasonLOS | 1<<ReasonSTO | 1<<ReasonLNC | 1<<ReasonSNC
	// Holds the program may place.
	rsProgramHold ReasonSet = rsHolderHold | 1<<ReasonTMP | 1<<ReasonINA | 1<<ReasonNEG |
		1<<ReasonOUT | 1<<ReasonPIN | 1<<ReasonKYC | 1<<ReasonREV | 1<<ReasonADD | 1<<ReasonNAM |
		1<<ReasonSSN | 1<<ReasonDOB | 1<<ReasonEML | 1<<ReasonPHO | 1<<ReasonFUL | 1<<ReasonUNK |
		1<<ReasonEXP | 1<<ReasonOTH | 1<<ReasonSUS | 1<<ReasonFRD | 1<<ReasonCLO | 1<<ReasonCOM |
		1<<ReasonMAT
	// Holds the provider may place: any, including its own.
	rsProviderHold ReasonSet = rsProgramHold | 1<<ReasonPRC | 1<<ReasonISS | 1<<ReasonAUX
	// Why a holder closes a card.
	rsHolderEnd ReasonSet = 1<<ReasonREQ | 1<<ReasonLOS | 1<<ReasonSTO | 1<<ReasonLNC | 1<<ReasonSNC
	// Why the program or the provider closes a card: any reason that is not
	// about activation or validation.
	rsEnd ReasonSet = AnyReason &^ (NoReason | 1<<ReasonNEW | 1<<ReasonRIS | 1<<ReasonACT | 1<<ReasonINF)
	// Why cardkit closes a card by itself: the old card of a reissue.
	rsSystemEnd ReasonSet = 1<<ReasonREQ | 1<<ReasonEXP | 1<<ReasonLOS | 1<<ReasonSTO |
		1<<ReasonLNC | 1<<ReasonSNC | 1<<ReasonCOM | 1<<ReasonFRD | 1<<ReasonUNK

	byHolder   Actors = 1 << ActorHolder
	byProgram  Actors = 1 << ActorProgram
	byProvider Actors = 1 << ActorProvider
	bySystem   Actors = 1 << ActorSystem
	byBackend  Actors = byProgram | byProvider

	// Placers: a hold the holder placed, one the holder or the program
	// placed, and any hold at all.
	heldByHolder  Actors = byHolder
	heldByProgram Actors = byHolder | byProgram
	heldByAnyone  Actors = byHolder | byProgram | byProvider
)

// transitions is the lifecycle table. A move is allowed when one row matches
// it entirely. REJECTED and TERMINATED appear in no From column: they are
// final.
var transitions = [...]Transition{
	// Issuance: the provider decides how an order ends.
	{StatusPending, heldByAnyone, StatusUnactivated, rsIssued, byProvider},
	{StatusPending, heldByAnyone, StatusActive, rsIssued, byProvider},
	{StatusPending, heldByAnyone, StatusImagePending, rsIssued, byProvider},
	{StatusPending, heldByAnyone, StatusRejected, rsRejected, byProvider},
	{StatusPending, heldByAnyone, StatusTerminated, rsCancel, byBackend},
	{StatusImagePending, heldByAnyone, StatusPending, rsIssued, byProvider},
	{StatusImagePending, heldByAnyone, StatusUnactivated, rsIssued, byProvider},
	{StatusImagePending, heldByAnyone, StatusActive, rsIssued, byProvider},
	{StatusImagePending, heldByAnyone, StatusImageRejected, NoReason | 1<<ReasonOTH, byProvider},
	{StatusImageRejected, heldByAnyone, StatusImagePending, NoReason | 1<<ReasonREQ, byProgram},
	{StatusImageRejected, heldByAnyone, StatusTerminated, rsCancel, byBackend},

	// Activation of a card that was shipped inactive; a provider may report
	// it without a reason.
	{StatusUnactivated, heldByAnyone, StatusActive, rsActivation, byHolder | byProgram},
	{StatusUnactivated, heldByAnyone, StatusActive, rsActivation | NoReason, byProvider},

	// Placing a hold.
	{StatusUnactivated, heldByAnyone, StatusSuspended, rsHolderHold, byHolder},
	{StatusUnactivated, heldByAnyone, StatusSuspended, rsProgramHold, byProgram},
	{StatusUnactivated, heldByAnyone, StatusSuspended, rsProviderHold, byProvider},
	{StatusActive, heldByAnyone, StatusSuspended, rsHolderHold, byHolder},
	{StatusActive, heldByAnyone, StatusSuspended, rsProgramHold, byProgram},
	{StatusActive, heldByAnyone, StatusSuspended, rsProviderHold, byProvider},

	// Changing why a card is held takes the authority to lift the hold.
	{StatusSuspended, heldByHolder, StatusSuspended, rsHolderHold, byHolder},
	{StatusSuspended, heldByProgram, StatusSuspended, rsProgramHold, byProgram},
	{StatusSuspended, heldByAnyone, StatusSuspended, rsProviderHold, byProvider},

	// Lifting a hold: to ACTIVE, or back to UNACTIVATED for a card that was
	// never activated (see Card.ResumeStatus).
	{StatusSuspended, heldByHolder, StatusActive, rsRelease, byHolder},
	{StatusSuspended, heldByProgram, StatusActive, rsRelease, byProgram},
	{StatusSuspended, heldByAnyone, StatusActive, rsProviderRelease, byProvider},
	{StatusSuspended, heldByHolder, StatusUnactivated, rsRelease, byHolder},
	{StatusSuspended, heldByProgram, StatusUnactivated, rsRelease, byProgram},
	{StatusSuspended, heldByAnyone, StatusUnactivated, rsRelease | NoReason, byProvider},

	// Termination. A provider may report it without a reason.
	{StatusUnactivated, heldByAnyone, StatusTerminated, rsHolderEnd, byHolder},
	{StatusUnactivated, heldByAnyone, StatusTerminated, rsEnd, byProgram},
	{StatusUnactivated, heldByAnyone, StatusTerminated, rsEnd | NoReason, byProvider},
	{StatusUnactivated, heldByAnyone, StatusTerminated, rsSystemEnd, bySystem},
	{StatusActive, heldByAnyone, StatusTerminated, rsHolderEnd, byHolder},
	{StatusActive, heldByAnyone, StatusTerminated, rsEnd, byProgram},
	{StatusActive, heldByAnyone, StatusTerminated, rsEnd | NoReason, byProvider},
	{StatusActive, heldByAnyone, StatusTerminated, rsSystemEnd, bySystem},
	{StatusSuspended, heldByAnyone, StatusTerminated, rsHolderEnd, byHolder},
	{StatusSuspended, heldByAnyone, StatusTerminated, rsEnd, byProgram},
	{StatusSuspended, heldByAnyone, StatusTerminated, rsEnd | NoReason, byProvider},
	{StatusSuspended, heldByAnyone, StatusTerminated, rsSystemEnd, bySystem},
}

// Transitions lists the lifecycle table, one row per allowed kind of move.
func Transitions() []Transition {
	return append([]Transition(nil), transitions[:]...)
}

// CanTransitionTo reports whether any row of the table leads from s to to,
// whatever the reason and the actor.
func (s Status) CanTransitionTo(to Status) bool {
	for i := range transitions {
		if transitions[i].From == s && transitions[i].To == to {
			return true
		}
	}
	return false
}

// CheckTransition reports whether a card in status from, whose hold (if it
// is SUSPENDED) was placed by heldBy, may make move m. A zero heldBy means the
// placer is not known, which counts as the provider. It returns nil or a
// *TransitionError (errors.Is ErrIllegalTransition) that says which part of
// the rule failed. It does not allocate when the move is allowed. It judges
// the table alone: Card.Transition also needs a lifted hold to return the
// card to its ResumeStatus, which only the card knows.
func CheckTransition(from Status, heldBy Actor, m Move) error {
	placer := placerOf(from, heldBy)
	var sawPair, sawReason, sawActor bool
	for i := range transitions {
		t := &transitions[i]
		if t.From != from || t.To != m.To {
			continue
		}
		sawPair = true
		if !t.Reasons.Has(m.Reason) {
			continue
		}
		sawReason = true
		if !t.By.Has(m.By) {
			continue
		}
		sawActor = true
		if t.Placers.Has(placer) {
			return nil
		}
	}
	return refuse(from, heldBy, m, sawPair, sawReason, sawActor)
}

// placerOf is who counts as having placed a card's hold.
func placerOf(from Status, heldBy Actor) Actor {
	if from != StatusSuspended {
		return ActorHolder // every row allows any placer; holder is in all of them
	}
	if heldBy != ActorHolder && heldBy != ActorProgram {
		return ActorProvider
	}
	return heldBy
}

// refuse builds the error for a move the table did not allow.
func refuse(from Status, heldBy Actor, m Move, sawPair, sawReason, sawActor bool) error {
	e := &TransitionError{From: from, HeldBy: heldBy, To: m.To, Reason: m.Reason, By: m.By}
	switch {
	case !statusEnum.Valid(from):
		e.Why = "unknown current status"
	case !statusEnum.Valid(m.To):
		e.Why = "unknown target status"
	case !actorEnum.Valid(m.By):
		e.Why = "unknown actor"
	case m.Reason != 0 && !reasonEnum.Valid(m.Reason):
		e.Why = "unknown reason"
	case from.Final():
		e.Why = from.String() + " is final"
	case !sawPair:
		e.Why = "no move from " + from.String() + " to " + m.To.String()
	case !sawReason:
		e.Why = "reason not allowed for this move"
	case !sawActor:
		e.Why = m.By.String() + " may not make this move with this reason"
	default:
		placer := placerOf(from, heldBy)
		e.Why = "only " + lifters(from, placer, m).String() + " may lift a hold placed by " + placer.String()
	}
	return e
}

// lifters is who could have made m given who placed the hold.
func lifters(from Status, placer Actor, m Move) Actors {
	var who Actors
	for _, t := range transitions {
		if t.From == from && t.To == m.To && t.Reasons.Has(m.Reason) && t.Placers.Has(placer) {
			who |= t.By
		}
	}
	return who
}

// Transition moves c as m asks, at instant at, if the table allows it. A
// hold the holder or the program lifts returns the card to its
// ResumeStatus: ACTIVE if it was ever activated, UNACTIVATED if not (a
// provider may report either). The memo follows RuleMemo. On success it
// sets the status, reason and memo, records who placed a hold (HeldBy),
// stamps UpdatedAt, records the first activation and adds one to Version.
// On error c is unchanged.
func (c *Card) Transition(m Move, at time.Time) error {
	if err := CheckTransition(c.Status, c.HeldBy, m); err != nil {
		return err
	}
	if c.Status == StatusSuspended && m.By != ActorProvider && m.To != StatusSuspended && m.To.Issued() && m.To != c.ResumeStatus() {
		// Lifting a hold is not an activation, nor its undoing.
		return &TransitionError{From: c.Status, HeldBy: c.HeldBy, To: m.To, Reason: m.Reason, By: m.By,
			Why: "a lifted hold returns the card to " + c.ResumeStatus().String()}
	}
	var p Problems
	optionalText(&p, "memo", m.Memo, RuleMemo.Limit())
	if err := p.Err("card.Transition"); err != nil {
		return err
	}
	c.apply(m, at)
	return nil
}

func (c *Card) apply(m Move, at time.Time) {
	c.Status, c.StatusReason, c.Memo = m.To, m.Reason, m.Memo
	c.HeldBy = 0
	if m.To == StatusSuspended {
		c.HeldBy = m.By
	}
	if m.To == StatusActive && c.ActivatedAt.IsZero() {
		c.ActivatedAt = at
	}
	c.UpdatedAt = at
	c.Version++
}

// Activate makes an UNACTIVATED card ACTIVE, with reason NEW, or RIS for the
// replacement of a reissued card. A card issued to a business cannot be
// activated by the holder or the program until a customer is assigned to it.
// To also end the card it replaces where the reissue rule says so, use
// ActivateReplacement.
func (c *Card) Activate(by Actor, at time.Time) error {
	if err := c.checkActivator(by); err != nil {
		return err
	}
	return c.Transition(Move{To: StatusActive, Reason: c.ActivationReason(), By: by}, at)
}

// ActivationReason is the reason c's activation carries: RIS for the
// replacement of a reissued card, NEW otherwise.
func (c *Card) ActivationReason() StatusReason {
	if c.Reissue.From != "" {
		return ReasonRIS
	}
	return ReasonNEW
}

// checkActivator refuses the activation of a business card that has no
// person yet, unless the provider reports it.
func (c *Card) checkActivator(by Actor) error {
	if by == ActorProvider || c.Holder.BusinessID == "" || c.Holder.CustomerID != "" {
		return nil
	}
	var p Problems
	p.Add("holder.customer_id", CodeRequired, "a business card needs a customer before it can be activated")
	return p.Err("card.Activate")
}

// Suspend places a hold for reason.
func (c *Card) Suspend(reason StatusReason, by Actor, at time.Time) error {
	return c.Transition(Move{To: StatusSuspended, Reason: reason, By: by}, at)
}

// Resume lifts a hold, moving the card to ResumeStatus.
func (c *Card) Resume(reason StatusReason, by Actor, at time.Time) error {
	return c.Transition(Move{To: c.ResumeStatus(), Reason: reason, By: by}, at)
}

// Terminate closes the card for good.
func (c *Card) Terminate(reason StatusReason, by Actor, at time.Time) error {
	return c.Transition(Move{To: StatusTerminated, Reason: reason, By: by}, at)
}

// ResumeStatus is the status a lifted hold returns the card to: ACTIVE if it
// was ever activated, UNACTIVATED if it was held before its first activation.
func (c *Card) ResumeStatus() Status {
	if c.ActivatedAt.IsZero() {
		return StatusUnactivated
	}
	return StatusActive
}
