package card_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
)

func ExampleParsePAN() {
	p, err := card.ParsePAN("4111111111111111")
	if err != nil {
		panic(err)
	}
	fmt.Println(p)
	fmt.Printf("%d %q %#v\n", p, p, p)
	fmt.Println(p.BIN(), p.LastFour())

	_, err = card.ParsePAN("4111111111111112")
	fmt.Println(err)
	// Output:
	// 41111111****1111
	// 41111111****1111 "41111111****1111" card.PAN("41111111****1111")
	// 41111111 1111
	// card.ParsePAN: invalid: pan: checksum (the Luhn check digit does not match)
}

func ExampleStatus_CanTransitionTo() {
	fmt.Println(card.StatusUnactivated.CanTransitionTo(card.StatusActive))
	fmt.Println(card.StatusTerminated.CanTransitionTo(card.StatusActive))
	// Output:
	// true
	// false
}

// A hold the provider placed can be lifted only by the provider; one the
// program placed, by the program or the provider.
func ExampleCheckTransition() {
	lift := card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: card.ActorProgram}
	err := card.CheckTransition(card.StatusSuspended, card.ActorProvider, lift)
	fmt.Println(errors.Is(err, card.ErrIllegalTransition))
	fmt.Println(err)

	fmt.Println(card.CheckTransition(card.StatusSuspended, card.ActorProgram, lift))
	// Output:
	// true
	// card: illegal transition SUSPENDED (held by PROVIDER) -> ACTIVE (reason ACT, by PROGRAM): only PROVIDER may lift a hold placed by PROVIDER
	// <nil>
}

func ExamplePlanReissue() {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	old := card.Card{
		ID:     uuid.MustParse("0b7e3f9c-2a55-4c1e-9a0d-3f1c2b4a5d6e"),
		Form:   card.FormPhysical,
		Status: card.StatusActive, StatusReason: card.ReasonNEW,
		Expiry: card.Expiry{Year: 2026, Month: time.June},
	}
	for _, reason := range []card.ReissueReason{card.ReissueReasonExpiration, card.ReissueReasonStolen, card.ReissueReasonNameChange} {
		plan, err := card.PlanReissue(&old, reason, card.ReissueOptions{})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-11s keeps %-20s old card ends %s\n", reason, plan.Keep(), plan.Rule.OldEnds)
	}

	plan, _ := card.PlanReissue(&old, card.ReissueReasonStolen, card.ReissueOptions{})
	replacement, err := card.Reissue(&old, plan, uuid.MustParse("5d2c0e1a-7b3f-4d8e-b6a9-0c1d2e3f4a5b"), at)
	if err != nil {
		panic(err)
	}
	fmt.Println("old:", old.Status, old.StatusReason, "replaced by", old.Reissue.To)
	fmt.Println("new:", replacement.Status, "replaces", replacement.Reissue.From)

	_, err = card.PlanReissue(&old, card.ReissueReasonDamaged, card.ReissueOptions{})
	fmt.Println(errors.Is(err, card.ErrCannotReissue))
	// Output:
	// EXPIRATION  keeps SAME_PAN_NEW_EXPIRY  old card ends ON_ACTIVATION
	// STOLEN      keeps NEW_PAN              old card ends IMMEDIATELY
	// NAME_CHANGE keeps SAME_PAN_SAME_EXPIRY old card ends ON_ACTIVATION
	// old: TERMINATED STO replaced by 5d2c0e1a-7b3f-4d8e-b6a9-0c1d2e3f4a5b
	// new: PENDING replaces 0b7e3f9c-2a55-4c1e-9a0d-3f1c2b4a5d6e
	// true
}

func ExampleTransitions() {
	for _, t := range card.Transitions() {
		if t.From == card.StatusActive && t.To == card.StatusSuspended {
			fmt.Println(t.By, t.Reasons)
		}
	}
	// Output:
	// HOLDER LOS|REQ|STO|LNC|SNC
	// PROGRAM ADD|CLO|COM|DOB|EML|EXP|FRD|FUL|INA|KYC|LOS|MAT|NAM|NEG|OTH|OUT|PHO|PIN|REQ|REV|SSN|STO|SUS|TMP|UNK|LNC|SNC
	// PROVIDER ADD|AUX|CLO|COM|DOB|EML|EXP|FRD|FUL|INA|ISS|KYC|LOS|MAT|NAM|NEG|OTH|OUT|PHO|PIN|PRC|REQ|REV|SSN|STO|SUS|TMP|UNK|LNC|SNC
}

func ExampleRuleEmbossLine() {
	fmt.Println(card.RuleEmbossLine.Limit().Max, card.RuleEmbossLine.Limit().Charset)
	fmt.Println(card.RuleEmbossLine.Validate("emboss.line1", "JOSÉ GARCÍA-MÁRQUEZ DE LA VEGA"))
	// Output:
	// 21 only A-Z a-z 0-9 space . , / - & '
	// card.TextLimit: invalid: emboss.line1: charset (only A-Z a-z 0-9 space . , / - & '); emboss.line1: too_long (at most 21 characters)
}
