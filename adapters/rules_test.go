package adapters_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/card"
)

// TestProviderDocumentRules: what a provider's document requires or limits
// is refused, naming the field, in whichever direction it is broken;
// before, each of these translated without an error.
func TestProviderDocumentRules(t *testing.T) {
	line, city := strings.Repeat("A", 51), strings.Repeat("B", 26)
	for _, tc := range []struct {
		name, from, to string
		kind           adapters.Kind
		in             string
		field          string
		code           card.Code
	}{
		// RocketKOR: billing lines 1..50, city 1..25, stateCode 2..3 and
		// required for USA and CAN.
		{"rocketkor billing line", "solid", "rocketkor", adapters.KindCard, solidCardWithBilling(line, "San Mateo", "CA"), "card.billingAddress.addressLine1", card.CodeTooLong},
		{"rocketkor billing city", "solid", "rocketkor", adapters.KindCard, solidCardWithBilling("1 Main St", city, "CA"), "card.billingAddress.city", card.CodeTooLong},
		{"rocketkor state code", "solid", "rocketkor", adapters.KindCard, solidCardWithBilling("1 Main St", "San Mateo", "California"), "card.billingAddress.stateCode", card.CodeTooLong},
		{"rocketkor US state code", "solid", "rocketkor", adapters.KindCard, solidCardWithBilling("1 Main St", "San Mateo", ""), "card.billingAddress.stateCode", card.CodeRequired},
		{"rocketkor account billing line", "cardkit", "rocketkor", adapters.KindAccount, `{"schema_version":1,"kind":"account","account":{"kind":"EXTERNAL",
			"name":"Linked","subtype":"DEBIT","holder":{"kind":"CUSTOMER","id":"c1"},"state":"ACTIVE","external":{"first_name":"Jane",
			"last_name":"Roe","last_four":"4242","expiry":"2027-12","billing_address":{"line1":"` + line + `","city":"Austin",
			"region":"TX","country":"US","postal_code":"78701"}}}}`, "card.billingAddress.addressLine1", card.CodeTooLong},
		// RocketKOR issues cards in USD and CAD only.
		{"rocketkor currency", "rocketkor", "solid", adapters.KindIssueRequest, `{"name":"Debit Card","subtype":"DEBIT","currency":"EUR",
			"accountHolderId":"6d0b12d8-6e9d-4021-85da-b42ab3845f11","card":{"solution":"card-issuing","startingNumber":"412345","programId":"123",
			"usCitizen":true,"acceptedTermsDate":"2023-02-09","readPrivacyPolicyDate":"2023-02-09","acceptedAgreement":true}}`, "currency", card.CodeUnknownValue},
		// Synctera: a shipping address has its city, state, postal code
		// and country.
		{"synctera shipping city", "solid", "synctera", adapters.KindCard, `{"cardType":"physical","cardStatus":"active","bin":"debit",
			"shipping":{"shippingAddress":{"addressType":"shipping","line1":"1 Main St","line2":"","city":"","state":"","country":"","postalCode":""}}}`,
			"shipping.address.city", card.CodeRequired},
		// Synctera: a card replacing another says why.
		{"synctera reissue reason out", "cardkit", "synctera", adapters.KindIssueRequest, `{"schema_version":1,"kind":"issue-request","card":{"account_id":"a1",
			"product_id":"p1","type":"DEBIT","form":"VIRTUAL","reissue":{"from":"7d943c51-e4ff-4e57-9558-08cab6b963c7"}}}`, "reissue_reason", card.CodeRequired},
		{"synctera reissue reason in", "synctera", "cardkit", adapters.KindIssueRequest, `{"account_id":"a1","card_product_id":"p1","type":"DEBIT",
			"form":"VIRTUAL","reissued_from_id":"7d943c51-e4ff-4e57-9558-08cab6b963c7"}`, "reissue_reason", card.CodeRequired},
		// A month is two digits.
		{"signed month", "synctera", "synctera", adapters.KindCard, `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL",
			"expiration_month":"+6","expiration_year":"27"}`, "expiration_month", card.CodeFormat},
		// Values kept as sent for the provider are still of its lists.
		{"synctera plastic format", "synctera", "synctera", adapters.KindCard, `{"card_status":"ACTIVE","type":"DEBIT","form":"PHYSICAL",
			"physical_card_format":"HOLOGRAM"}`, "physical_card_format", card.CodeUnknownValue},
		{"rocketkor card creator", "rocketkor", "rocketkor", adapters.KindCard, `{"category":"INTEGRATED","type":"CARD","state":"ACTIVE",
			"stateReason":"CARD_ACTIVATED","createdBy":{"id":"x","type":"robot"}}`, "createdBy.type", card.CodeUnknownValue},
		// Solid: a limit interval without its amount is no limit of 0.
		{"solid limit without amount", "solid", "cardkit", adapters.KindCard, `{"cardType":"virtual","cardStatus":"active","bin":"debit",
			"currency":"USD","limitAmount":"","limitInterval":"daily"}`, "limitAmount", card.CodeRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := adapters.Translate(tc.from, tc.to, tc.kind, []byte(tc.in))
			require.ErrorIs(t, err, card.ErrInvalid, "translated to %s", res.Output)
			var ce *card.Error
			require.ErrorAs(t, err, &ce)
			assert.True(t, ce.Has(tc.field, tc.code), "%v", err)
			assert.Nil(t, res.Output)
		})
	}
}

// solidCardWithBilling is a Solid physical card whose holder's billing
// address, in the US, has line1, city and state.
func solidCardWithBilling(line1, city, state string) string {
	return `{"cardType":"physical","cardStatus":"active","bin":"debit","currency":"USD","cardholder":{"personId":"per-1","name":"Jane Roe",
		"billingAddress":{"addressType":"billing","line1":"` + line1 + `","line2":"","city":"` + city + `","state":"` + state + `",
		"country":"US","postalCode":"94403"}}}`
}
