package issuance_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage/memory"
)

// A service on the in-memory store and the sandbox provider issues a card
// once per idempotency key: asked again with the same key, it answers with
// the same card and the provider is not called again.
func Example() {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	sbx, err := sandbox.New(sandbox.WithSeed(1), sandbox.WithClock(func() time.Time { return at }))
	if err != nil {
		log.Fatal(err)
	}
	key, err := card.NewFingerprintKey(bytes.Repeat([]byte{7}, 32)) // keep yours in a secret store
	if err != nil {
		log.Fatal(err)
	}
	svc, err := issuance.New(memory.New(), sbx, key, issuance.WithClock(func() time.Time { return at }))
	if err != nil {
		log.Fatal(err)
	}
	acct, err := svc.OpenAccount(ctx, "acme", issuance.OpenAccountRequest{
		Name: "Spending", Holder: account.Holder{Kind: account.HolderCustomer, ID: "cust-1"},
		Subtype: card.TypeDebit, Currency: card.CurrencyUSD,
	})
	if err != nil {
		log.Fatal(err)
	}
	req := issuance.IssueRequest{AccountID: acct.ID, Form: card.FormVirtual, NameOnCard: "Jane Smith"}
	first, err := svc.Issue(ctx, "acme", "order-42", req)
	if err != nil {
		log.Fatal(err)
	}
	again, err := svc.Issue(ctx, "acme", "order-42", req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(first.Status, first.MaskedPAN())
	fmt.Println("same card:", again.ID == first.ID, "cards at the provider:", sbx.Cards())

	_, err = svc.Issue(ctx, "acme", "order-42", issuance.IssueRequest{AccountID: acct.ID, Form: card.FormVirtual, NameOnCard: "John Smith"})
	fmt.Println("another request under the key:", errors.Is(err, issuance.ErrKeyReused))
	// Output:
	// ACTIVE 41111111****3625
	// same card: true cards at the provider: 1
	// another request under the key: true
}

// The recovery points of a call, as a hook sees them: a call that finishes
// stores two, the claim and the result; a call whose finish failed after
// the provider answered would show provider_called between them.
func ExampleWithRecoveryHook() {
	ctx := context.Background()
	sbx, err := sandbox.New(sandbox.WithSeed(1))
	if err != nil {
		log.Fatal(err)
	}
	key, err := card.NewFingerprintKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		log.Fatal(err)
	}
	hook := func(_ context.Context, st issuance.Step) {
		fmt.Println(st.Tenant, st.Op, st.Key, st.Point)
	}
	svc, err := issuance.New(memory.New(), sbx, key, issuance.WithRecoveryHook(hook))
	if err != nil {
		log.Fatal(err)
	}
	acct, err := svc.OpenAccount(ctx, "acme", issuance.OpenAccountRequest{
		Name: "Spending", Holder: account.Holder{Kind: account.HolderCustomer, ID: "cust-1"},
		Subtype: card.TypeDebit, Currency: card.CurrencyUSD,
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := svc.Issue(ctx, "acme", "order-42", issuance.IssueRequest{AccountID: acct.ID, Form: card.FormPhysical,
		NameOnCard: "Jane Smith", Shipping: &card.Shipping{Method: card.ShippingNormal, Address: card.Address{
			Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS}}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Activate(ctx, "acme", "activate-42", issuance.ChangeRequest{CardID: c.ID, By: card.ActorHolder}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// acme issue order-42 started
	// acme issue order-42 finished
	// acme activate activate-42 started
	// acme activate activate-42 finished
}
