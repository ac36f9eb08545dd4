package adapters_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/card"
)

// An OffBlocks card becomes a RocketKOR one: the report lists what
// RocketKOR cannot carry, by the source's JSON path.
func ExampleTranslate() {
	in, err := os.ReadFile("offblocks/testdata/card-active.response.json")
	if err != nil {
		log.Fatal(err)
	}
	res, err := adapters.Translate(adapters.OffBlocks, adapters.RocketKOR, adapters.KindCard, in)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, res.Output, "", "  "); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.String())
	for _, d := range res.Report.Dropped {
		fmt.Println("dropped", d)
	}

	// A value the target cannot express is an error naming the field.
	physical, err := os.ReadFile("synctera/testdata/physical-card.response.json")
	if err != nil {
		log.Fatal(err)
	}
	_, err = adapters.Translate(adapters.Synctera, adapters.OffBlocks, adapters.KindCard, physical)
	var e *card.Error
	if errors.As(err, &e) {
		fmt.Println(e.Fields[0].Field, e.Fields[0].Value)
	}
	// Output:
	// {
	//   "id": "ae61c362-4136-49af-8e01-544457fe265b",
	//   "category": "INTEGRATED",
	//   "type": "CARD",
	//   "state": "ACTIVE",
	//   "stateReason": "CARD_ACTIVATED",
	//   "maskedAccountNumber": "******9871",
	//   "createdAt": "2024-01-12T15:12:26.923Z",
	//   "updatedAt": "2024-01-12T15:14:02.500Z",
	//   "card": {
	//     "cardNumberTail": "9871",
	//     "expiry": "2028-10",
	//     "billingAddress": {
	//       "addressLine1": "1 Test Avenue",
	//       "addressLine2": "Flat 2",
	//       "addressLine3": "",
	//       "city": "London",
	//       "stateCode": "LND",
	//       "countryCode": "GBR",
	//       "postalCode": "SW1 1AA"
	//     }
	//   },
	//   "_embedded": {
	//     "providerDetails": {
	//       "startingNumber": "530518",
	//       "nameOnCard": "John Carter",
	//       "expiry": "2028-10"
	//     }
	//   }
	// }
	// dropped createdAt: rocketkor cannot express "2024-01-12T15:12:26.923705379Z"; it comes back as "2024-01-12T15:12:26.923Z"
	// dropped id: the offblocks id is not a rocketkor id
	// dropped maskedPan: the number's length is not kept, only its BIN and last four
	// dropped network: rocketkor has no place for it
	// dropped type: rocketkor cannot express "VIRTUAL"; it comes back as "PHYSICAL"
	// type PHYSICAL
}
