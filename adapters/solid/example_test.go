package solid_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/card"
)

// A domain card asked for as the body of Solid's POST /v1/card.
func Example() {
	c := card.Card{
		AccountID: "acc-63d656eb-fedc-4250-8111-48a5ff0faed9",
		Form:      card.FormVirtual,
		Type:      card.TypeDebit,
		Label:     "Travel",
		Currency:  card.CurrencyUSD,
		Controls: card.Controls{
			Limits:            []card.Limit{{Amount: decimal.New(250, 0), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}},
			BlockedCategories: []card.MCC{7995},
		},
	}
	out, err := solid.EncodeCardRequest(&c, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"cardType":"virtual","label":"Travel","accountId":"acc-63d656eb-fedc-4250-8111-48a5ff0faed9","currency":"USD","limitAmount":"250.00","limitInterval":"daily","blockedCategories":["7995"],"bin":"debit"}
}
