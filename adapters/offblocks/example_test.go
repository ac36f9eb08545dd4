package offblocks_test

import (
	"fmt"
	"time"

	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/card"
)

// A domain card written as OffBlocks' card. A fraud suspension is
// OffBlocks' "suspended".
func Example() {
	c := card.Card{
		AccountID:    "ae61c362-4136-49af-8e01-544457fe265b",
		Form:         card.FormVirtual,
		Brand:        card.BrandMastercard,
		Status:       card.StatusSuspended,
		StatusReason: card.ReasonSUS,
		BIN:          "530518",
		LastFour:     "9871",
		Expiry:       card.Expiry{Year: 2028, Month: time.October},
		NameOnCard:   "John Carter",
		Holder: card.Holder{BillingAddress: card.Address{
			Line1: "1 Test Avenue", City: "London", PostalCode: "SW1 1AA", Country: card.CountryGB,
		}},
	}
	out, err := offblocks.EncodeCard(&c, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"accountId":"ae61c362-4136-49af-8e01-544457fe265b","type":"virtual","name":"John Carter","network":"mastercard","maskedPan":"530518****9871","expirationDate":"10/2028","billingAddress":{"firstLine":"1 Test Avenue","city":"London","country":"GB","postCode":"SW1 1AA"},"status":"suspended"}
}
