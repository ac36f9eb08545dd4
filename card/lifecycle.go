package card

import "time"

// Transition is one row of the lifecycle table: a card in status From whose
// current reason is in While may move to To with one of Reasons, when the
// move is made by one of By.
//
// While is how the table says who may lift a hold: a hold placed for
// suspected or confirmed fraud, a sanctions match, or by the processor, the
// issuer or a third party can be lifted only by the provider.
type Transition struct {
	From    Status
	While   ReasonSet
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
	// Holds the holder may lift: their own freeze, a confirmation they gave.
	rsHolderLift ReasonSet = 1<<ReasonREQ | 1<<ReasonTMP
	// Holds the program may lift: all but fraud, sanctions and the
	// processor's, issuer's and third parties' own.
	rsProgramLift ReasonSet = rsHolderLift | 1<<ReasonLOS | 1<<ReasonSTO | 1<<ReasonLNC |
		1<<ReasonSNC | 1<<ReasonINA | 1<<ReasonNEG | 1<<ReasonOUT | 1<<ReasonPIN | 1<<ReasonKYC |
		1<<ReasonREV | 1<<ReasonADD | 1<<ReasonNAM | 1<<ReasonSSN | 1<<ReasonDOB | 1<<ReasonEML |
		1<<ReasonPHO | 1<<ReasonFUL | 1<<ReasonUNK | 1<<ReasonEXP | 1<<ReasonOTH
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
	byAnyone   Actors = byHolder | byProgram | byProvider
	byBackend  Actors = byProgram | byProvider
)

// transitions is the lifecycle table. A move is allowed when one row matches
// it entirely. REJECTED and TERMINATED appear in no From column: they are
// final.
var transitions = [...]Transition{
	// Issuance: the provider decides how an order ends.
	{StatusPending, AnyReason, StatusUnactivated, rsIssued, byProvider},
	{StatusPending, AnyReason, StatusActive, rsIssued, byProvider},
	{StatusPending, AnyReason, StatusImagePending, rsIssued, byProvider},
	{StatusPending, AnyReason, StatusRejected, rsRejected, byProvider},
	{StatusPending, AnyReason, StatusTerminated, rsCancel, byBackend},
	{StatusImagePending, AnyReason, StatusPending, rsIssued, byProvider},
	{StatusImagePending, AnyReason, StatusUnactivated, rsIssued, byProvider},
	{StatusImagePending, AnyReason, StatusActive, rsIssued, byProvider},
	{StatusImagePending, AnyReason, StatusImageRejected, NoReason | 1<<ReasonOTH, byProvider},
	{StatusImageRejected, AnyReason, StatusImagePending, NoReason | 1<<ReasonREQ, byProgram},
	{StatusImageRejected, AnyReason, StatusTerminated, rsCancel, byBackend},

	// Activation of a card that was shipped inactive.
	{StatusUnactivated, AnyReason, StatusActive, rsActivation, byAnyone},

	// Placing a hold.
	{StatusUnactivated, AnyReason, StatusSuspended, rsHolderHold, byHolder},
	{StatusUnactivated, AnyReason, StatusSuspended, rsProgramHold, byProgram},
	{StatusUnactivated, AnyReason, StatusSuspended, rsProviderHold, byProvider},
	{StatusActive, AnyReason, StatusSuspended, rsHolderHold, byHolder},
	{StatusActive, AnyReason, StatusSuspended, rsProgramHold, byProgram},
	{StatusActive, AnyReason, StatusSuspended, rsProviderHold, byProvider},

	// Changing why a card is held takes the authority to lift the hold.
	{StatusSuspended, rsHolderLift, StatusSuspended, rsHolderHold, byHolder},
	{StatusSuspended, rsProgramLift, StatusSuspended, rsProgramHold, byProgram},
	{StatusSuspended, AnyReason, StatusSuspended, rsProviderHold, byProvider},

	// Lifting a hold: to ACTIVE, or back to UNACTIVATED for a card that was
	// never activated (see Card.ResumeStatus).
	{StatusSuspended, rsHolderLift, StatusActive, rsRelease, byHolder},
	{StatusSuspended, rsProgramLift, StatusActive, rsRelease, byProgram},
	{StatusSuspended, AnyReason, StatusActive, rsRelease, byProvider},
	{StatusSuspended, rsHolderLift, StatusUnactivated, rsRelease, byHolder},
	{StatusSuspended, rsProgramLift, StatusUnactivated, rsRelease, byProgram},
	{StatusSuspended, AnyReason, StatusUnactivated, rsRelease, byProvider},

	// Termination. A provider may report it without a reason.
	{StatusUnactivated, AnyReason, StatusTerminated, rsHolderEnd, byHolder},
	{StatusUnactivated, AnyReason, StatusTerminated, rsEnd, byProgram},
	{StatusUnactivated, AnyReason, StatusTerminated, rsEnd | NoReason, byProvider},
	{StatusUnactivated, AnyReason, StatusTerminated, rsSystemEnd, bySystem},
	{StatusActive, AnyReason, StatusTerminated, rsHolderEnd, byHolder},
	{StatusActive, AnyReason, StatusTerminated, rsEnd, byProgram},
	{StatusActive, AnyReason, StatusTerminated, rsEnd | NoReason, byProvider},
	{StatusActive, AnyReason, StatusTerminated, rsSystemEnd, bySystem},
	{StatusSuspended, AnyReason, StatusTerminated, rsHolderEnd, byHolder},
	{StatusSuspended, AnyReason, StatusTerminated, rsEnd, byProgram},
	{StatusSuspended, AnyReason, StatusTerminated, rsEnd | NoReason, byProvider},
	{StatusSuspended, AnyReason, StatusTerminated, rsSystemEnd, bySystem},
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

// CheckTransition reports whether a card in status from, held for reason
// held, may make move m. It returns nil or a *TransitionError (errors.Is
// ErrIllegalTransition) that says which part of the rule failed. It does not
// allocate when the move is allowed.
func CheckTransition(from Status, held StatusReason, m Move) error {
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
		if t.While.Has(held) {
			return nil
		}
	}
	return refuse(from, held, m, sawPair, sawReason, sawActor)
}

// refuse builds the error for a move the table did not allow.
func refuse(from Status, held StatusReason, m Move, sawPair, sawReason, sawActor bool) error {
	e := &TransitionError{From: from, Held: held, To: m.To, Reason: m.Reason, By: m.By}
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
		e.Why = "only " + lifters(from, held, m).String() + " may lift a hold for " + held.String()
	}
	return e
}

// lifters is who could have made m given the card's current reason.
func lifters(from Status, held StatusReason, m Move) Actors {
	var who Actors
	for _, t := range transitions {
		if t.From == from && t.To == m.To && t.Reasons.Has(m.Reason) && t.While.Has(held) {
			who |= t.By
		}
	}
	return who
}

// Transition moves c as m asks, at instant at, if the table allows it. On
// success it sets the status, reason and memo, stamps UpdatedAt, records the
// first activation and adds one to Version. On error c is unchanged.
func (c *Card) Transition(m Move, at time.Time) error {
	if err := CheckTransition(c.Status, c.StatusReason, m); err != nil {
		return err
	}
	c.apply(m, at)
	return nil
}

func (c *Card) apply(m Move, at time.Time) {
	c.Status, c.StatusReason, c.Memo = m.To, m.Reason, m.Memo
	if m.To == StatusActive && c.ActivatedAt.IsZero() {
		c.ActivatedAt = at
	}
	c.UpdatedAt = at
	c.Version++
}

// Activate makes an UNACTIVATED card ACTIVE, with reason NEW, or RIS for the
// replacement of a reissued card. To also end the card it replaces where the
// reissue rule says so, use ActivateReplacement.
func (c *Card) Activate(by Actor, at time.Time) error {
	reason := ReasonNEW
	if c.Reissue.From != "" {
		reason = ReasonRIS
	}
	return c.Transition(Move{To: StatusActive, Reason: reason, By: by}, at)
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
