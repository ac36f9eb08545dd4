package solid_test

import (
	"flag"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.domain.json goldens")

var (
	cardCodec    = adaptertest.Codec[card.Card, *solid.Residue]{Decode: solid.DecodeCard, Encode: solid.EncodeCard}
	requestCodec = adaptertest.Codec[card.Card, *solid.Residue]{Decode: solid.DecodeCardRequest, Encode: solid.EncodeCardRequest}
)

func TestGolden(t *testing.T) {
	for _, file := range []string{"create-card.response.json", "replaced-virtual.response.json"} {
		t.Run(file, func(t *testing.T) { adaptertest.Golden(t, file, cardCodec, *update) })
	}
	t.Run("create-card.request.json", func(t *testing.T) { adaptertest.Golden(t, "create-card.request.json", requestCodec, *update) })
}

func TestSeedValues(t *testing.T) {
	c, r, err := solid.DecodeCardRequest(read(t, "create-card.request.json"))
	require.NoError(t, err)
	assert.Equal(t, "{{accountId}}", c.AccountID, "a placeholder id is kept as given")
	require.Len(t, c.Controls.Limits, 1)
	assert.True(t, c.Controls.Limits[0].Amount.Equal(decimal.New(120, 0)))
	assert.Equal(t, card.IntervalAllTime, c.Controls.Limits[0].Interval)
	assert.Equal(t, card.CurrencyUSD, c.Controls.Limits[0].Currency)
	assert.Equal(t, []card.MCC{1234, 9878}, c.Controls.AllowedCategories)
	assert.Equal(t, card.TypeCredit, c.Type)
	assert.Empty(t, r.Dropped())

	c, r, err = solid.DecodeCard(read(t, "create-card.response.json"))
	require.NoError(t, err)
	assert.Equal(t, "crd-8df1a028-447d-479f-8b85-8187d3eb9582", c.ProviderRefs["solid"])
	assert.Equal(t, card.StatusUnactivated, c.Status)
	assert.Equal(t, card.Expiry{Year: 2022, Month: time.December}, c.Expiry)
	assert.True(t, c.ActivatedAt.IsZero(), `"" is an unset timestamp`)
	assert.Nil(t, c.Controls.BlockedCategories, "null stays null")
	assert.Equal(t, card.DeliveryPending, c.Shipping.Status)
	assert.Equal(t, "chd-7ce49193-018b-4a82-8f6d-867275526a4f", r.CardholderID)
	assert.Equal(t, "120.00", r.AvailableLimit)
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := readFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, field, value string }{
		{"status", `{"cardType":"virtual","cardStatus":"locked"}`, "cardStatus", "locked"},
		{"card type", `{"cardType":"plastic","cardStatus":"active"}`, "cardType", "plastic"},
		{"program", `{"cardType":"virtual","cardStatus":"active","bin":"prepaid"}`, "bin", "prepaid"},
		{"interval", `{"cardType":"virtual","cardStatus":"active","limitAmount":"5.00","limitInterval":"monthly"}`, "limitInterval", "monthly"},
		{"amount", `{"cardType":"virtual","cardStatus":"active","limitAmount":"lots","limitInterval":"daily"}`, "limitAmount", "lots"},
		{"currency", `{"cardType":"virtual","cardStatus":"active","currency":"XYZ"}`, "currency", "XYZ"},
		{"category", `{"cardType":"virtual","cardStatus":"active","allowedCategories":["12345"]}`, "allowedCategories[0]", "12345"},
		{"two-digit year", `{"cardType":"virtual","cardStatus":"active","expiryMonth":"12","expiryYear":"22"}`, "expiryYear", "22"},
		{"delivery", `{"cardType":"physical","cardStatus":"active","shipping":{"deliveryStatus":"lost"}}`, "shipping.deliveryStatus", "lost"},
		{"alpha-3 country", `{"cardType":"virtual","cardStatus":"active","cardholder":{"billingAddress":{"country":"USA"}}}`, "cardholder.billingAddress.country", "USA"},
		{"eta", `{"cardType":"physical","cardStatus":"active","shipping":{"eta":"soon"}}`, "shipping.eta", "soon"},
		{"metadata not strings", `{"cardType":"virtual","cardStatus":"active","metadata":{"a":1}}`, "metadata.a", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := solid.DecodeCard([]byte(tt.in))
			adaptertest.FieldErr(t, err, tt.field, tt.value)
		})
	}
}

func base() card.Card {
	return card.Card{
		Form: card.FormPhysical, Type: card.TypeDebit, Status: card.StatusActive, StatusReason: card.ReasonNEW, Currency: card.CurrencyUSD,
		Holder:   card.Holder{CustomerID: "per-1", BillingAddress: card.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "73301", Country: card.CountryUS}},
		Shipping: &card.Shipping{Address: card.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "73301", Country: card.CountryUS}},
		Controls: card.Controls{Limits: []card.Limit{{Amount: decimal.New(100, 0), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}}},
	}
}

func TestEveryDomainValue(t *testing.T) {
	fields := map[string][]string{
		"status": {"cardStatus"}, "type": {"bin"}, "form": {"cardType"},
		"shipping.status":          {"shipping.deliveryStatus"},
		"controls.limits.interval": {"limitInterval"}, "currency": {"limitAmount"},
	}
	adaptertest.Coverage(t, base, func(c *card.Card) error { _, err := solid.CardToWire(c, nil); return err }, fields)
	adaptertest.Coverage(t, base, func(c *card.Card) error {
		if c.Shipping != nil {
			c.Shipping.Method = 0
		}
		_, err := solid.RequestToWire(c, nil)
		return err
	}, fields)
}

func TestMappingRows(t *testing.T) {
	for _, m := range solid.Mappings() {
		t.Run(m.String(), func(t *testing.T) {
			c := base()
			var err error
			switch m.Field {
			case "cardStatus":
				st, rs, _ := cutPair(m.Domain)
				c.Status, err = card.ParseStatus(st)
				require.NoError(t, err)
				c.StatusReason = 0
				if rs != "" {
					c.StatusReason, err = card.ParseStatusReason(rs)
				}
			case "cardType":
				c.Form, err = card.ParseForm(m.Domain)
			case "bin":
				c.Type, err = card.ParseType(m.Domain)
			case "limitInterval":
				c.Controls.Limits[0].Interval, err = card.ParseInterval(m.Domain)
			case "shipping.deliveryStatus":
				c.Shipping.Status, err = card.ParseDeliveryStatus(m.Domain)
			case "reason":
				var rr card.ReissueReason
				rr, err = card.ParseReissueReason(m.Domain)
				require.NoError(t, err)
				w, err := solid.ReplaceRequestToWire(rr, c.Shipping)
				require.NoError(t, err)
				assert.Equal(t, m.Wire, w.Reason)
				back, _, err := solid.ReplaceRequestFromWire(w)
				require.NoError(t, err)
				assert.Equal(t, rr, back)
				return
			default:
				t.Fatalf("no setter for %s", m.Field)
			}
			require.NoError(t, err)
			out, err := solid.EncodeCard(&c, nil)
			require.NoError(t, err)
			assert.Contains(t, string(out), `"`+m.Wire+`"`)
		})
	}
	for _, tc := range []struct {
		name, field, value string
		set                func(*card.Card)
	}{
		{"prepaid", "bin", "PREPAID", func(c *card.Card) { c.Type = card.TypePrepaid }},
		{"monthly", "limitInterval", "MONTHLY", func(c *card.Card) { c.Controls.Limits[0].Interval = card.IntervalMonthly }},
		{"pending", "cardStatus", "PENDING", func(c *card.Card) { c.Status, c.StatusReason = card.StatusPending, 0 }},
		{"rejected", "cardStatus", "REJECTED", func(c *card.Card) { c.Status, c.StatusReason = card.StatusRejected, 0 }},
		{"limit in another currency", "limitAmount", "EUR", func(c *card.Card) { c.Controls.Limits[0].Currency = card.CurrencyEUR }},
		{"shipped", "shipping.deliveryStatus", "SHIPPED", func(c *card.Card) { c.Shipping.Status = card.DeliveryShipped }},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			c := base()
			tc.set(&c)
			_, err := solid.CardToWire(&c, nil)
			adaptertest.FieldErr(t, err, tc.field, tc.value)
		})
	}
	_, err := solid.ReplaceRequestToWire(card.ReissueReasonAppearance, nil)
	adaptertest.FieldErr(t, err, "reason", "APPEARANCE")
}

func cutPair(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '/' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestPersonID(t *testing.T) {
	_, err := solid.ParsePersonID("3ebfa3d2")
	adaptertest.FieldErr(t, err, solid.HeaderPersonID, "")
	id, err := solid.ParsePersonID("per-3ebfa3d2-5d36-411d-984a-9e3a328011c5")
	require.NoError(t, err)
	assert.Equal(t, solid.PersonID("per-3ebfa3d2-5d36-411d-984a-9e3a328011c5"), id)
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
	adaptertest.CheckObjects(t, func() wire.Objects { return new(solid.Card) })
	adaptertest.CheckObjects(t, func() wire.Objects { return new(solid.CardRequest) })
	adaptertest.CheckObjects(t, func() wire.Objects { return new(solid.ReplaceRequest) })
}
