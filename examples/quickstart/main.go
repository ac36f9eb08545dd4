// Command quickstart walks one card through cardkit's domain: it builds a
// physical card, moves it through its lifecycle, plans and carries out two
// reissues, and prints every step with the card number masked.
//
// Until the issuance service and its embedded store land, this is the
// domain on its own: no provider is called and nothing is stored.
package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/cardkit/cardkit/card"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// clock hands out instants a minute apart, so the walk reads like a day.
type clock struct{ t time.Time }

func (c *clock) now() time.Time {
	c.t = c.t.Add(time.Minute)
	return c.t
}

func run(w io.Writer) error {
	// The fingerprint key is the program's secret; here a fresh one.
	secret := make([]byte, card.MinFingerprintKeyLength)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	key, err := card.NewFingerprintKey(secret)
	if err != nil {
		return err
	}
	clk := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	step := func(what string, c *card.Card) {
		fmt.Fprintf(w, "%-44s %s  %-11s %-3s v%d\n", what, c.MaskedPAN(), c.Status, c.StatusReason, c.Version)
	}

	c := card.Card{
		ID:         uuid.New(),
		Tenant:     "acme",
		AccountID:  "acct-0001",
		Holder:     card.Holder{CustomerID: "cust-jane", BusinessID: "bus-acme"},
		Type:       card.TypeDebit,
		Form:       card.FormPhysical,
		Brand:      card.BrandVisa,
		ProductID:  "acme-physical-debit",
		Status:     card.StatusPending,
		NameOnCard: "Jane Smith",
		Emboss:     card.Emboss{Line1: "JANE SMITH", Line2: "ACME INC."},
		Shipping: &card.Shipping{
			Method: card.ShippingNormal,
			Address: card.Address{Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA",
				PostalCode: "94403", Country: card.CountryUS},
		},
		CreatedAt: clk.now(),
	}
	c.UpdatedAt = c.CreatedAt
	pan, err := card.CompletePAN("411111110000123") // a test BIN; the last digit is Luhn's
	if err != nil {
		return err
	}
	c.SetPAN(pan, key)
	c.Expiry = card.Expiry{Year: 2029, Month: time.November}
	if err := c.Validate(); err != nil {
		return err
	}
	step("ordered", &c)

	moves := []struct {
		what string
		move card.Move
	}{
		{"the provider ships it inactive", card.Move{To: card.StatusUnactivated, Reason: card.ReasonISS, By: card.ActorProvider}},
		{"the holder activates it", card.Move{To: card.StatusActive, Reason: card.ReasonNEW, By: card.ActorHolder}},
		{"the holder reports it lost", card.Move{To: card.StatusSuspended, Reason: card.ReasonLOS, By: card.ActorHolder}},
		{"the program lifts the hold (card found)", card.Move{To: card.StatusActive, Reason: card.ReasonACT, By: card.ActorProgram}},
		{"the provider holds it for suspicious use", card.Move{To: card.StatusSuspended, Reason: card.ReasonSUS, By: card.ActorProvider}},
	}
	for _, m := range moves {
		if err := c.Transition(m.move, clk.now()); err != nil {
			return err
		}
		step(m.what, &c)
	}

	// The table refuses what it does not allow, and says why: only the
	// provider lifts a hold the provider placed.
	err = c.Resume(card.ReasonACT, card.ActorProgram, clk.now())
	if !errors.Is(err, card.ErrIllegalTransition) {
		return fmt.Errorf("the program lifted the provider's hold: %v", err)
	}
	fmt.Fprintln(w, "  refused:", err)
	if err := c.Resume(card.ReasonACT, card.ActorProvider, clk.now()); err != nil {
		return err
	}
	step("the provider clears it", &c)

	// Reissue for DAMAGED: same number and expiry; the old card works until
	// the new one is activated.
	damaged, err := reissue(w, &c, card.ReissueReasonDamaged, clk)
	if err != nil {
		return err
	}
	step("  old card after the DAMAGED reissue", &c)
	if err := damaged.Transition(card.Move{To: card.StatusUnactivated, By: card.ActorProvider}, clk.now()); err != nil {
		return err
	}
	if err := card.ActivateReplacement(&damaged, &c, card.ActorHolder, clk.now()); err != nil {
		return err
	}
	step("the holder activates the replacement", &damaged)
	step("  and the old card ends", &c)

	// Reissue for LOST: a new number, and the old card ends at once.
	lost, err := reissue(w, &damaged, card.ReissueReasonLost, clk)
	if err != nil {
		return err
	}
	step("  old card after the LOST reissue", &damaged)
	newPAN, err := card.CompletePAN("411111110000456")
	if err != nil {
		return err
	}
	lost.SetPAN(newPAN, key)
	lost.Expiry = card.Expiry{Year: 2030, Month: time.November}
	if err := lost.Transition(card.Move{To: card.StatusUnactivated, By: card.ActorProvider}, clk.now()); err != nil {
		return err
	}
	if err := card.ActivateReplacement(&lost, &damaged, card.ActorHolder, clk.now()); err != nil {
		return err
	}
	step("the holder activates the new number", &lost)

	for _, cc := range []*card.Card{&c, &damaged, &lost} {
		if err := cc.Validate(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "\nthe last card in cardkit's neutral JSON (the number is never in it):")
	js, err := json.MarshalIndent(lost, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(js))
	return err
}

// reissue plans and carries out a reissue of old and prints the plan.
func reissue(w io.Writer, old *card.Card, reason card.ReissueReason, clk *clock) (card.Card, error) {
	plan, err := card.PlanReissue(old, reason, card.ReissueOptions{})
	if err != nil {
		return card.Card{}, err
	}
	fmt.Fprintf(w, "reissue for %s: the new card keeps %s, the old one ends %s\n",
		reason, plan.Keep(), plan.Rule.OldEnds)
	n, err := card.Reissue(old, plan, uuid.New(), clk.now())
	if err != nil {
		return card.Card{}, err
	}
	return n, nil
}
