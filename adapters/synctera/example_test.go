package synctera_test

import (
	"fmt"
	"time"

	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// A domain card written as Synctera's card response.
func Example() {
	c := card.Card{
		AccountID: "7d943c51-e4ff-4e57-9558-08cab6b963c7",
		ProductID: "5e0c9a1e-33b0-4a4e-b7e7-2d8c6a0c1f2e",
		Holder:    card.Holder{CustomerID: "0b8f6a62-6a1e-4c36-9d0c-8c1d0e3f5a7b"},
		Type:      card.TypeDebit,
		Form:      card.FormVirtual,
		Brand:     card.BrandVisa,
		Status:    card.StatusSuspended, StatusReason: card.ReasonLNC,
		LastFour: "4242",
		Expiry:   card.Expiry{Year: 2029, Month: time.March},
		Emboss:   card.Emboss{Line1: "JANE SMITH"},
	}
	out, err := synctera.EncodeCard(&c, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"card_status":"SUSPENDED","status_reason":"LOS","account_id":"7d943c51-e4ff-4e57-9558-08cab6b963c7","card_product_id":"5e0c9a1e-33b0-4a4e-b7e7-2d8c6a0c1f2e","customer_id":"0b8f6a62-6a1e-4c36-9d0c-8c1d0e3f5a7b","emboss_name":{"line_1":"JANE SMITH"},"expiration_month":"03","expiration_year":"29","is_pin_set":false,"last_four":"4242","type":"DEBIT","form":"VIRTUAL","card_brand":"VISA"}
}
