package rocketkor_test

import (
	"fmt"

	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/card"
)

// A domain card written as RocketKOR's Issued Card Financial Account: a
// card reported lost and not captured is SUSPENDED/LOST_CARD_NOT_CAPTURED.
func Example() {
	c := card.Card{
		AccountID:    "7d08a89d-2ac5-4ed3-a6ca-ad7c974c994e",
		Label:        "Debit Card",
		Type:         card.TypeDebit,
		Currency:     card.CurrencyCAD,
		Holder:       card.Holder{CustomerID: "6d0b12d8-6e9d-4021-85da-b42ab3845f11"},
		Status:       card.StatusSuspended,
		StatusReason: card.ReasonLNC,
		LastFour:     "4242",
		ProductID:    "123",
	}
	out, err := rocketkor.EncodeCard(&c, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"id":"7d08a89d-2ac5-4ed3-a6ca-ad7c974c994e","name":"Debit Card","category":"INTEGRATED","type":"CARD","subtype":"DEBIT","currency":"CAD","accountHolderId":"6d0b12d8-6e9d-4021-85da-b42ab3845f11","accountHolderType":"CUSTOMER","state":"SUSPENDED","stateReason":"LOST_CARD_NOT_CAPTURED","maskedAccountNumber":"******4242","card":{"cardNumberTail":"4242"},"_embedded":{"providerDetails":{"programId":"123"}}}
}
