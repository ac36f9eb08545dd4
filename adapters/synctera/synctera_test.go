package synctera_test

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.domain.json goldens")

var (
	cardCodec    = adaptertest.Codec[card.Card, *synctera.Residue]{Decode: synctera.DecodeCard, Encode: synctera.EncodeCard}
	requestCodec = adaptertest.Codec[card.Card, *synctera.Residue]{Decode: synctera.DecodeCardRequest, Encode: synctera.EncodeCardRequest}
)

func TestGolden(t *testing.T) {
	for _, file := range []string{"issue-card.response.json", "physical-card.response.json"} {
		t.Run(file, func(t *testing.T) { adaptertest.Golden(t, file, cardCodec, *update) })
	}
	t.Run("issue-card.request.json", func(t *testing.T) {
		adaptertest.Golden(t, "issue-card.request.json", requestCodec, *update)
	})
}

func TestDecodeSeedCard(t *testing.T) {
	in := []byte(`{"card_status":"ACTIVE","status_reason":"ACT","type":"DEBIT","form":"PHYSICAL","id":"c-1",
		"expiration_month":"06","expiration_year":"25","bin":"<string>","creation_time":"2010-05-06T12:23:34.321Z"}`)
	c, r, err := synctera.DecodeCard(in)
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, c.Status)
	assert.Equal(t, card.ReasonACT, c.StatusReason)
	assert.Equal(t, card.Expiry{Year: 2025, Month: time.June}, c.Expiry)
	assert.Equal(t, "c-1", c.ProviderRefs["synctera"])
	assert.Empty(t, c.BIN, "a placeholder is not a BIN")
	assert.Equal(t, "<string>", r.BIN)
	assert.Equal(t, time.Date(2010, 5, 6, 12, 23, 34, 321e6, time.UTC), c.CreatedAt)
	assert.Contains(t, fields(r.Dropped()), "bin")
}

func fields(fs []card.FieldError) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Field)
	}
	return out
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, field, value string
	}{
		{"unknown status", `{"card_status":"FROZEN","type":"DEBIT","form":"VIRTUAL"}`, "card_status", "FROZEN"},
		{"lower-case status", `{"card_status":"active","type":"DEBIT","form":"VIRTUAL"}`, "card_status", "active"},
		{"unknown reason", `{"card_status":"ACTIVE","status_reason":"XYZ","type":"DEBIT","form":"VIRTUAL"}`, "status_reason", "XYZ"},
		{"credit type", `{"card_status":"ACTIVE","type":"CREDIT","form":"VIRTUAL"}`, "type", "CREDIT"},
		{"unknown form", `{"card_status":"ACTIVE","type":"DEBIT","form":"METAL"}`, "form", "METAL"},
		{"unknown brand", `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","card_brand":"AMEX"}`, "card_brand", "AMEX"},
		{"bad month", `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","expiration_month":"13","expiration_year":"25"}`, "expiration_month", "13"},
		{"four-digit year", `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","expiration_month":"01","expiration_year":"2025"}`, "expiration_year", "2025"},
		{"bad time", `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","creation_time":"yesterday"}`, "creation_time", "yesterday"},
		{"bad method", `{"card_status":"ACTIVE","type":"DEBIT","form":"PHYSICAL","shipping":{"method":"PIGEON"}}`, "shipping.method", "PIGEON"},
		{"bad country", `{"card_status":"ACTIVE","type":"DEBIT","form":"PHYSICAL","shipping":{"address":{"address_line_1":"x","city":"y","state":"z","postal_code":"1","country_code":"XX"}}}`, "shipping.address.country_code", "XX"},
		{"bad fulfilment", `{"card_status":"ACTIVE","type":"DEBIT","form":"PHYSICAL","card_fulfillment_status":"LOST"}`, "card_fulfillment_status", "LOST"},
		{"bad reissue reason", `{"card_status":"ACTIVE","type":"DEBIT","form":"PHYSICAL","reissue_reason":"BORED"}`, "reissue_reason", "BORED"},
		{"no status", `{"type":"DEBIT","form":"VIRTUAL"}`, "card_status", ""},
		{"duplicate member", `{"card_status":"ACTIVE","card_status":"SUSPENDED","type":"DEBIT","form":"VIRTUAL"}`, "card_status", "card_status"},
		{"wrong JSON type", `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","is_pin_set":"yes"}`, "is_pin_set", ""},
		{"not JSON", `{"card_status":`, "card_status", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := synctera.DecodeCard([]byte(tt.in))
			adaptertest.FieldErr(t, err, tt.field, tt.value)
		})
	}
}

func TestNamesAreCaseSensitive(t *testing.T) {
	// "Card_Status" is not "card_status": it is an unknown member, and the
	// card has no status.
	_, _, err := synctera.DecodeCard([]byte(`{"Card_Status":"ACTIVE","type":"DEBIT","form":"VIRTUAL"}`))
	adaptertest.FieldErr(t, err, "card_status", "")
}

func TestUnknownMembersAreKeptAndReported(t *testing.T) {
	in := []byte(`{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","new_field":{"x":1},"emboss_name":{"line_1":"A","font":"serif"}}`)
	c, r, err := synctera.DecodeCard(in)
	require.NoError(t, err)
	assert.Equal(t, []string{"emboss_name.font", "new_field"}, r.Unknown.Paths())
	out, err := synctera.EncodeCard(&c, r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL","new_field":{"x":1},"emboss_name":{"line_1":"A","font":"serif"}}`, string(out))
	// Without the residue they are gone.
	out, err = synctera.EncodeCard(&c, nil)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "new_field")
}

func base() card.Card {
	return card.Card{
		AccountID: "acct", ProductID: "prod", Holder: card.Holder{CustomerID: "cust"},
		Type: card.TypeDebit, Form: card.FormPhysical, Status: card.StatusActive, StatusReason: card.ReasonNEW,
		Shipping: &card.Shipping{Method: card.ShippingNormal, Address: card.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "73301", Country: card.CountryUS}},
		Controls: card.Controls{Limits: []card.Limit{{Amount: decimal.New(100, 0), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}}},
	}
}

// TestEveryDomainValue checks every value of every domain enum: Synctera
// writes it, or refuses it naming the Synctera field.
func TestEveryDomainValue(t *testing.T) {
	fields := map[string][]string{
		"status":          {"card_status", "status_reason"},
		"type":            {"type"},
		"form":            {"form"},
		"brand":           {"card_brand"},
		"shipping.method": {"shipping.method"},
		"shipping.status": {"card_fulfillment_status"},
		"reissue.reason":  {"reissue_reason"},
	}
	adaptertest.Coverage(t, base, func(c *card.Card) error { _, err := synctera.CardToWire(c, nil); return err }, fields)
	adaptertest.Coverage(t, base, func(c *card.Card) error { c.Status = 0; _, err := synctera.RequestToWire(c, nil); return err },
		map[string][]string{"type": {"type"}, "form": {"form"}, "shipping.method": {"shipping.method"}, "reissue.reason": {"reissue_reason"}})
}

// TestMappingRows checks each row of every table both ways, and that a
// domain value without a row is refused.
func TestMappingRows(t *testing.T) {
	rows := synctera.Mappings()
	require.NotEmpty(t, rows)
	for _, m := range rows {
		t.Run(m.String(), func(t *testing.T) {
			c := base()
			setDomain(t, &c, m)
			w, err := synctera.CardToWire(&c, nil)
			require.NoError(t, err)
			js, err := wire.Marshal(w)
			require.NoError(t, err)
			assert.Contains(t, string(js), `"`+m.Wire+`"`)
			if m.Dir == wire.Out {
				return
			}
			back, _, err := synctera.DecodeCard(js)
			require.NoError(t, err)
			assert.Equal(t, c.Status, back.Status)
			assert.Equal(t, c.StatusReason, back.StatusReason)
			assert.Equal(t, c.Type, back.Type)
			assert.Equal(t, c.Shipping.Method, back.Shipping.Method)
			assert.Equal(t, c.Shipping.Status, back.Shipping.Status)
			assert.Equal(t, c.Reissue.Reason, back.Reissue.Reason)
		})
	}
	for _, tc := range []struct {
		name, field, value string
		set                func(*card.Card)
	}{
		{"credit", "type", "CREDIT", func(c *card.Card) { c.Type = card.TypeCredit }},
		{"urgent", "shipping.method", "URGENT", func(c *card.Card) { c.Shipping.Method = card.ShippingUrgent }},
		{"vip", "shipping.method", "VIP", func(c *card.Card) { c.Shipping.Method = card.ShippingVIP }},
		{"bulk", "shipping.method", "BULK", func(c *card.Card) { c.Shipping.Method = card.ShippingBulk }},
		{"delivered", "card_fulfillment_status", "DELIVERED", func(c *card.Card) { c.Shipping.Status = card.DeliveryDelivered }},
		{"pending delivery", "card_fulfillment_status", "PENDING", func(c *card.Card) { c.Shipping.Status = card.DeliveryPending }},
		{"lost or stolen", "reissue_reason", "LOST_OR_STOLEN", func(c *card.Card) { c.Reissue.Reason = card.ReissueReasonLostOrStolen }},
		{"compromised", "reissue_reason", "COMPROMISED", func(c *card.Card) { c.Reissue.Reason = card.ReissueReasonCompromised }},
		{"returned", "reissue_reason", "RETURNED", func(c *card.Card) { c.Reissue.Reason = card.ReissueReasonReturned }},
		{"new enrollment", "reissue_reason", "NEW_ENROLLMENT", func(c *card.Card) { c.Reissue.Reason = card.ReissueReasonNewEnrollment }},
		{"emboss too long", "emboss_name.line_1", "", func(c *card.Card) { c.Emboss.Line1 = strings.Repeat("A", 22) }},
		{"emboss charset", "emboss_name.line_2", "", func(c *card.Card) { c.Emboss = card.Emboss{Line1: "A", Line2: "A@B"} }},
		{"recipient too long", "shipping.recipient_name.first_name", "", func(c *card.Card) { c.Shipping.Recipient.FirstName = strings.Repeat("a", 31) }},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			c := base()
			tc.set(&c)
			_, err := synctera.CardToWire(&c, nil)
			adaptertest.FieldErr(t, err, tc.field, tc.value)
		})
	}
}

// setDomain puts the domain side of a mapping row on c.
func setDomain(t *testing.T, c *card.Card, m wire.Mapping) {
	t.Helper()
	var err error
	switch m.Field {
	case "card_status":
		c.Status, err = card.ParseStatus(m.Domain)
		c.StatusReason = card.ReasonOTH
	case "status_reason":
		c.StatusReason, err = card.ParseStatusReason(m.Domain)
	case "type":
		c.Type, err = card.ParseType(m.Domain)
	case "form":
		c.Form, err = card.ParseForm(m.Domain)
	case "card_brand":
		c.Brand, err = card.ParseBrand(m.Domain)
	case "shipping.method":
		c.Shipping.Method, err = card.ParseShippingMethod(m.Domain)
	case "card_fulfillment_status":
		c.Shipping.Status, err = card.ParseDeliveryStatus(m.Domain)
	case "reissue_reason":
		c.Reissue.Reason, err = card.ParseReissueReason(m.Domain)
	default:
		t.Fatalf("no setter for %s", m.Field)
	}
	require.NoError(t, err)
}

func TestRequestRequiresWhatSynctera(t *testing.T) {
	_, err := synctera.RequestToWire(&card.Card{}, nil)
	for _, f := range []string{"account_id", "card_product_id", "type", "form"} {
		adaptertest.FieldErr(t, err, f, "")
	}
}

func FuzzDecodeCard(f *testing.F) {
	adaptertest.Seeds(f, ".response.json")
	f.Fuzz(func(t *testing.T, in []byte) { adaptertest.FixedPoint(t, cardCodec, in) })
}

func FuzzDecodeCardRequest(f *testing.F) {
	adaptertest.Seeds(f, ".request.json")
	f.Fuzz(func(t *testing.T, in []byte) { adaptertest.FixedPoint(t, requestCodec, in) })
}

func TestEachUnknown(t *testing.T) {
	adaptertest.CheckObjects(t, func() wire.Objects { return new(synctera.Card) })
	adaptertest.CheckObjects(t, func() wire.Objects { return new(synctera.CardRequest) })
}
