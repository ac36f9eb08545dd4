package card_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

func TestValidateListsEveryProblem(t *testing.T) {
	c := activeCard(t)
	c.Tenant = ""
	c.Holder = card.Holder{}
	c.Form = card.Form(9)
	c.Emboss.Line1 = "THIS LINE IS FAR TOO LONG FOR A CARD"
	c.Emboss.Line2 = "ACME™"
	c.Shipping.Address = card.Address{Line1: "1 Main St", City: "Springfield", Country: card.CountryUS, PostalCode: "1234"}
	c.Controls.Limits = []card.Limit{{Amount: decimal.RequireFromString("10.005"), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}}
	c.Controls.BlockedCategories = []card.MCC{5411}
	c.Reissue = card.ReissueLink{From: "older"}
	c.Metadata = map[string]string{"": "x"}
	c.LastFour = "9999"
	c.Status, c.StatusReason = card.StatusSuspended, 0

	err := c.Validate()
	require.ErrorIs(t, err, card.ErrInvalid)
	var e *card.Error
	require.ErrorAs(t, err, &e)
	want := []struct {
		field string
		code  card.Code
	}{
		{"tenant", card.CodeRequired},
		{"holder", card.CodeRequired},
		{"form", card.CodeUnknownValue},
		{"status_reason", card.CodeRequired},
		{"last_four", card.CodeMismatch},
		{"emboss.line1", card.CodeTooLong},
		{"emboss.line2", card.CodeCharset},
		{"shipping.address.region", card.CodeRequired},
		{"shipping.address.postal_code", card.CodeFormat},
		{"controls.limits[0].amount", card.CodeFormat},
		{"controls.blocked_categories[0]", card.CodeConflict},
		{"reissue.reason", card.CodeRequired},
		{`metadata[""]`, card.CodeRequired},
	}
	for _, w := range want {
		assert.True(t, e.Has(w.field, w.code), "missing %s %s in\n%v", w.field, w.code, err)
	}
	assert.Len(t, e.Fields, len(want), "%v", err)
	assert.Equal(t, "card.Validate", e.Op)
	assert.NotContains(t, err.Error(), visa16)
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*card.Card)
		field string
		code  card.Code
	}{
		{"no id", func(c *card.Card) { c.ID = uuid.Nil }, "id", card.CodeRequired},
		{"no account", func(c *card.Card) { c.AccountID = "" }, "account_id", card.CodeRequired},
		{"no type", func(c *card.Card) { c.Type = 0 }, "type", card.CodeRequired},
		{"unknown brand", func(c *card.Card) { c.Brand = 7 }, "brand", card.CodeUnknownValue},
		{"no status", func(c *card.Card) { c.Status = 0 }, "status", card.CodeRequired},
		{"unknown reason", func(c *card.Card) { c.StatusReason = 200 }, "status_reason", card.CodeUnknownValue},
		{"a reason no move gives", func(c *card.Card) { c.StatusReason = card.ReasonLOS }, "status_reason", card.CodeConflict},
		{"held but not suspended", func(c *card.Card) { c.HeldBy = card.ActorProgram }, "held_by", card.CodeConflict},
		{"held by cardkit", func(c *card.Card) {
			c.Status, c.StatusReason, c.HeldBy = card.StatusSuspended, card.ReasonREQ, card.ActorSystem
		}, "held_by", card.CodeNotAllowed},
		{"length not the number's", func(c *card.Card) { c.PANLength = 15 }, "pan_length", card.CodeMismatch},
		{"length out of range", func(c *card.Card) { c.PAN = card.PAN{}; c.PANLength = 25 }, "pan_length", card.CodeOutOfRange},
		{"bad BIN", func(c *card.Card) { c.PAN = card.PAN{}; c.BIN = "4111" }, "bin", card.CodeFormat},
		{"BIN not the number's", func(c *card.Card) { c.BIN = "55555555" }, "bin", card.CodeMismatch},
		{"BIN that shows all of a short number", func(c *card.Card) {
			c.PAN, c.BIN, c.LastFour, c.PANLength = card.PAN{}, "41234598", "7447", 12
		}, "bin", card.CodeConflict},
		{"BIN and last four that show all of a 10-digit number", func(c *card.Card) {
			c.PAN, c.BIN, c.LastFour, c.PANLength = card.PAN{}, "412345", "7447", 10
		}, "bin", card.CodeConflict},
		{"bad last four", func(c *card.Card) { c.PAN = card.PAN{}; c.LastFour = "12a4" }, "last_four", card.CodeFormat},
		{"number without fingerprint", func(c *card.Card) { c.Fingerprint = card.Fingerprint{} }, "fingerprint", card.CodeRequired},
		{"bad expiry month", func(c *card.Card) { c.Expiry.Month = 13 }, "expiry.month", card.CodeOutOfRange},
		{"name on card too long", func(c *card.Card) { c.NameOnCard = strings.Repeat("x", 61) }, "name_on_card", card.CodeTooLong},
		{"line 2 without line 1", func(c *card.Card) { c.Emboss = card.Emboss{Line2: "ACME"} }, "emboss.line1", card.CodeRequired},
		{"virtual card shipped", func(c *card.Card) { c.Form = card.FormVirtual }, "shipping", card.CodeNotAllowed},
		{"bad phone", func(c *card.Card) { c.Shipping.Recipient.Phone = "555-1234" }, "shipping.recipient.phone", card.CodeFormat},
		{"unknown shipping method", func(c *card.Card) { c.Shipping.Method = 99 }, "shipping.method", card.CodeUnknownValue},
		{"limit without currency", func(c *card.Card) {
			c.Controls.Limits = []card.Limit{{Amount: decimal.NewFromInt(5), Interval: card.IntervalDaily}}
		}, "controls.limits[0].currency", card.CodeRequired},
		{"negative limit", func(c *card.Card) {
			c.Controls.Limits = []card.Limit{{Amount: decimal.NewFromInt(-5), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}}
		}, "controls.limits[0].amount", card.CodeOutOfRange},
		{"two limits for one interval", func(c *card.Card) {
			l := card.Limit{Amount: decimal.NewFromInt(5), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}
			c.Controls.Limits = []card.Limit{l, l}
		}, "controls.limits[1]", card.CodeDuplicate},
		{"category listed twice", func(c *card.Card) { c.Controls.AllowedCategories = []card.MCC{5411, 5411} }, "controls.allowed_categories[1]", card.CodeDuplicate},
		{"category out of range", func(c *card.Card) { c.Controls.AllowedCategories = []card.MCC{10000} }, "controls.allowed_categories[0]", card.CodeOutOfRange},
		{"bad language", func(c *card.Card) { c.Language = "english" }, "language", card.CodeFormat},
		{"replaces itself", func(c *card.Card) {
			c.Reissue = card.ReissueLink{From: c.ID.String(), Reason: card.ReissueReasonLost}
		}, "reissue.from", card.CodeConflict},
		{"reason without a link", func(c *card.Card) { c.Reissue = card.ReissueLink{Reason: card.ReissueReasonLost} }, "reissue.from", card.CodeRequired},
		{"bad provider name", func(c *card.Card) { c.ProviderRefs = map[string]string{"Syn Ctera": "x"} }, `provider_refs["Syn Ctera"]`, card.CodeFormat},
		{"empty provider id", func(c *card.Card) { c.ProviderRefs = map[string]string{"solid": ""} }, `provider_refs["solid"]`, card.CodeRequired},
		{"huge metadata value", func(c *card.Card) { c.Metadata = map[string]string{"k": strings.Repeat("v", 501)} }, `metadata["k"]`, card.CodeTooLong},
		{"metadata not UTF-8", func(c *card.Card) { c.Metadata = map[string]string{"k": "\xff"} }, `metadata["k"]`, card.CodeCharset},
		{"updated before created", func(c *card.Card) { c.UpdatedAt = c.CreatedAt.Add(-time.Second) }, "updated_at", card.CodeOutOfRange},
		{"negative version", func(c *card.Card) { c.Version = -1 }, "version", card.CodeOutOfRange},
		{"holder name too long", func(c *card.Card) { c.Holder.Name.Last = strings.Repeat("x", 41) }, "holder.name.last", card.CodeTooLong},
		{"holder billing address", func(c *card.Card) {
			c.Holder.BillingAddress = card.Address{Line1: "1 Main", City: "Austin", Country: card.CountryUS}
		}, "holder.billing_address.region", card.CodeRequired},
		{"holder with a name only", func(c *card.Card) { c.Holder = card.Holder{Name: card.PersonName{First: "Jane"}} }, "holder", card.CodeRequired},
		{"unknown currency", func(c *card.Card) { c.Currency = 222 }, "currency", card.CodeUnknownValue},
		{"PIN time without a PIN", func(c *card.Card) { c.PINSet, c.PINSetAt = false, t0 }, "pin_set", card.CodeConflict},
		{"unknown keep", func(c *card.Card) { c.Reissue = card.ReissueLink{From: "x", Reason: card.ReissueReasonLost, Keep: 9} }, "reissue.keep", card.CodeUnknownValue},
		{"long image id", func(c *card.Card) { c.ImageID = strings.Repeat("i", 256) }, "image_id", card.CodeTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := activeCard(t)
			tt.edit(&c)
			err := c.Validate()
			var e *card.Error
			require.ErrorAs(t, err, &e)
			assert.True(t, e.Has(tt.field, tt.code), "want %s %s, got %v", tt.field, tt.code, err)
		})
	}
}

func TestValidateHolderShapes(t *testing.T) {
	for _, h := range []card.Holder{
		{CustomerID: "c"}, {BusinessID: "b"}, {CustomerID: "c", BusinessID: "b"},
	} {
		c := activeCard(t)
		c.Holder = h
		assert.NoError(t, c.Validate(), "%+v", h)
	}
}

// TestNeutralJSON checks the neutral encoding: names, no PAN, and a round
// trip that gives back the same card less its in-memory number.
func TestNeutralJSON(t *testing.T) {
	c := activeCard(t)
	c.Controls.Limits = []card.Limit{{Amount: decimal.RequireFromString("120.00"), Currency: card.CurrencyUSD, Interval: card.IntervalAllTime}}
	c.Shipping.Address = card.Address{Line1: "164 Sugarloaf Drive", City: "San Mateo", Region: "CA", PostalCode: "94403", Country: card.CountryUS}
	c.Reissue = card.ReissueLink{From: "older", Reason: card.ReissueReasonDamaged}
	c.ProviderRefs = map[string]string{"solid": "crd-8df1a028-447d-479f-8b85-8187d3eb9582"}
	c.Holder.Name = card.PersonName{First: "Mark", Middle: "David", Last: "Strong"}
	c.Holder.BillingAddress = card.Address{Line1: "625 Queen St", City: "Vancouver", Region: "BC", PostalCode: "V5K 0A1", Country: card.CountryCA}
	c.Currency = card.CurrencyUSD
	c.Pending = card.PendingReasons{PIN: true}
	c.PINSetAt = t0
	c.Reissue.Keep = card.KeepSamePANSameExpiry
	require.NoError(t, c.Validate())

	js, err := json.Marshal(c)
	require.NoError(t, err)
	s := string(js)
	assert.NotContains(t, s, visa16)
	for _, want := range []string{
		`"status":"ACTIVE"`, `"status_reason":"NEW"`, `"type":"DEBIT"`, `"form":"PHYSICAL"`, `"brand":"VISA"`,
		`"bin":"41111111"`, `"last_four":"1111"`, `"expiry":"2029-06"`, `"country":"US"`,
		`"interval":"ALL_TIME"`, `"currency":"USD"`, `"amount":"120"`, `"allowed_categories":["5411"]`,
		`"reason":"DAMAGED"`, `"method":"NORMAL"`, `"keep":"SAME_PAN_SAME_EXPIRY"`,
		`"name":{"first":"Mark","middle":"David","last":"Strong"}`, `"country":"CA"`, `"pending":{"pin":true}`,
	} {
		assert.Contains(t, s, want)
	}

	var back card.Card
	require.NoError(t, json.Unmarshal(js, &back))
	assert.True(t, back.PAN.IsZero(), "the number does not travel")
	want := c.Clone()
	want.PAN = card.PAN{}
	assert.True(t, want.Controls.Limits[0].Amount.Equal(back.Controls.Limits[0].Amount))
	back.Controls.Limits[0].Amount = want.Controls.Limits[0].Amount
	assert.Equal(t, want, back)

	// An unknown enum name is an error naming the field.
	bad := strings.Replace(s, `"status":"ACTIVE"`, `"status":"ACTIVATED"`, 1)
	err = json.Unmarshal([]byte(bad), &back)
	require.ErrorIs(t, err, card.ErrInvalid)
	assert.Contains(t, err.Error(), "ACTIVATED")
}

func TestPersonName(t *testing.T) {
	assert.Equal(t, "Mark David Strong", card.PersonName{First: "Mark", Middle: "David", Last: "Strong"}.String())
	assert.Equal(t, "Mark Strong", card.PersonName{First: "Mark", Last: "Strong"}.String())
	assert.Equal(t, "Strong", card.PersonName{Last: "Strong"}.String())
	assert.Equal(t, "", card.PersonName{}.String())
}

func TestClone(t *testing.T) {
	c := activeCard(t)
	c.ProviderRefs = map[string]string{"synctera": "x"}
	d := c.Clone()
	d.Metadata["k"] = "changed"
	d.ProviderRefs["synctera"] = "changed"
	d.Shipping.TrackingNumber = "changed"
	d.Controls.AllowedCategories[0] = 1
	assert.Equal(t, "v", c.Metadata["k"])
	assert.Equal(t, "x", c.ProviderRefs["synctera"])
	assert.Equal(t, "1Z", c.Shipping.TrackingNumber)
	assert.Equal(t, card.MCC(5411), c.Controls.AllowedCategories[0])
	assert.Equal(t, card.Card{}, card.Card{}.Clone())
}

func TestMaskedPAN(t *testing.T) {
	c := activeCard(t)
	assert.Equal(t, "41111111****1111", c.MaskedPAN())
	c.PAN = card.PAN{}
	assert.Equal(t, "41111111****1111", c.MaskedPAN())
	c.BIN = ""
	assert.Equal(t, "************1111", c.MaskedPAN(), "the length is known")
	c.PANLength = 0
	assert.Equal(t, "****1111", c.MaskedPAN())
	assert.Equal(t, "", (&card.Card{}).MaskedPAN())
}

func TestNestAndMerge(t *testing.T) {
	_, err := card.ParseStatus("NOPE")
	nested := card.Nest("card", err)
	var e *card.Error
	require.ErrorAs(t, nested, &e)
	assert.Equal(t, "card.status", e.Fields[0].Field)
	require.ErrorIs(t, nested, card.ErrInvalid)

	var p card.Problems
	p.Merge("data", err)
	p.Merge("data", nil)
	p.Merge("items", card.Nest("[2]", err))
	require.Equal(t, 2, p.Len())
	err = p.Err("test")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "data.status", e.Fields[0].Field)
	assert.Equal(t, "items[2].status", e.Fields[1].Field)
	assert.Nil(t, card.Nest("x", nil))
	var none card.Problems
	assert.NoError(t, none.Err("test"))
}
