package rocketkor_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/showtest"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.domain.json goldens")

var (
	cardCodec    = adaptertest.Codec[card.Card, *rocketkor.Residue]{Decode: rocketkor.DecodeCard, Encode: rocketkor.EncodeCard}
	requestCodec = adaptertest.Codec[card.Card, *rocketkor.Residue]{Decode: rocketkor.DecodeIssueRequest, Encode: rocketkor.EncodeIssueRequest}
	accountCodec = adaptertest.Codec[account.Account, *rocketkor.Residue]{Decode: rocketkor.DecodeAccount, Encode: rocketkor.EncodeAccount}
)

func TestGolden(t *testing.T) {
	t.Run("issue-card.response.json", func(t *testing.T) { adaptertest.Golden(t, "issue-card.response.json", cardCodec, *update) })
	t.Run("issue-card.request.json", func(t *testing.T) { adaptertest.Golden(t, "issue-card.request.json", requestCodec, *update) })
	for _, file := range []string{"external-card.account.json", "external-business.account.json"} {
		t.Run(file, func(t *testing.T) { adaptertest.Golden(t, file, accountCodec, *update) })
	}
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestSeedResponse(t *testing.T) {
	in := read(t, "issue-card.response.json")
	c, r, err := rocketkor.DecodeCard(in)
	require.NoError(t, err)
	assert.Equal(t, card.StatusActive, c.Status)
	assert.Equal(t, card.ReasonNEW, c.StatusReason)
	assert.Equal(t, card.TypeDebit, c.Type, "the response says DEBIT though the request asked for CREDIT")
	assert.Equal(t, "4242", c.LastFour, "the card's tail, not the number's")
	assert.Equal(t, "1477", c.PAN.LastFour())
	assert.Equal(t, "******4823", r.MaskedAccountNumber, "kept as sent: it contradicts the tail")
	assert.Equal(t, card.Expiry{Year: 2027, Month: time.December}, c.Expiry)
	assert.Equal(t, card.CountryCA, c.Holder.BillingAddress.Country)
	assert.Equal(t, card.KeepSamePANSameExpiry, c.Reissue.Keep)
	assert.Equal(t, card.ReissueReasonDamaged, c.Reissue.Reason)
	assert.Equal(t, card.AlertsAdminOnly, c.Alerts)
	assert.Equal(t, "en_US", c.Language)
	assert.Equal(t, "John Smith", c.NameOnCard)
	assert.Equal(t, "412345", c.BIN)
	assert.Equal(t, "2023-02-09", r.IssuedDateTime, "a date where a date-time is documented, kept as sent")

	// The full number appears only in the wire JSON RocketKOR demands, never
	// in the neutral encoding or an error.
	neutral, err := marshalNeutral(&c)
	require.NoError(t, err)
	assert.NotContains(t, string(neutral), "412345987442231477")
	bad := strings.Replace(string(in), "412345987442231477", "412345987442231478", 1)
	_, _, err = rocketkor.DecodeCard([]byte(bad))
	adaptertest.FieldErr(t, err, "_embedded.providerDetails.cardNumber", "")
	assert.NotContains(t, err.Error(), "41234598744223147")
}

// TestWireStructsShowNoNumber: a decoded RocketKOR answer holds the card
// number RocketKOR sends; only RocketKOR's JSON writes it again, not fmt,
// slog or another JSON encoder.
func TestWireStructsShowNoNumber(t *testing.T) {
	const pan = "412345987442231477"
	var w rocketkor.IssuedCardAccount
	require.NoError(t, wire.Unmarshal("test", read(t, "issue-card.response.json"), &w))
	require.Equal(t, pan, w.Embedded.ProviderDetails.CardNumber.Reveal())
	for _, v := range []any{w, &w, w.Embedded.ProviderDetails, []*rocketkor.IssuedCardAccount{&w}} {
		for _, s := range showtest.Renderings(t, v) {
			require.NotContains(t, s, pan)
		}
	}
	b, err := wire.Marshal(&w)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"cardNumber":"`+pan+`"`, "RocketKOR's own JSON carries it")
}

// TestShortNumberKeepsDigitsHidden: a 12-digit number whose program starts
// with 8 digits would be shown whole by those 8 and the last four. The
// BIN is what a number of its length shows (none, at 12 digits); the
// starting number is kept aside for RocketKOR's own JSON.
func TestShortNumberKeepsDigitsHidden(t *testing.T) {
	const short = "412345987447" // passes the Luhn check
	in := string(read(t, "issue-card.response.json"))
	for old, now := range map[string]string{
		`"startingNumber": "412345"`: `"startingNumber": "41234598"`, `"412345987442231477"`: `"` + short + `"`,
		`"cardNumberTail": "4242"`: `"cardNumberTail": "7447"`,
	} {
		require.Contains(t, in, old)
		in = strings.ReplaceAll(in, old, now)
	}
	c, r, err := rocketkor.DecodeCard([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, short, c.PAN.RevealDigits())
	assert.Empty(t, c.BIN, "a 12-digit number shows no BIN")
	assert.Equal(t, "41234598", r.Terms.StartingNumber)
	for _, v := range []any{r, *r} {
		for _, s := range showtest.Renderings(t, v) {
			require.NotContains(t, s, "41234598", "the residue shows the starting number by its first six")
		}
	}
	c.PANLength = c.PAN.Len()
	assert.Equal(t, "********7447", c.MaskedPAN(), "four digits stay hidden at least")
	neutral, err := marshalNeutral(&c)
	require.NoError(t, err)
	assert.NotContains(t, string(neutral), "41234598", "the starting number is not the neutral BIN")
	out, err := rocketkor.EncodeCard(&c, r)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"startingNumber":"41234598"`, "RocketKOR's JSON keeps it")
}

func TestSeedRequest(t *testing.T) {
	c, r, err := rocketkor.DecodeIssueRequest(read(t, "issue-card.request.json"))
	require.NoError(t, err)
	assert.Equal(t, card.TypeCredit, c.Type)
	assert.Equal(t, card.ShippingNormal, c.Shipping.Method)
	assert.Equal(t, "Debit Card", c.Label)
	assert.True(t, *r.Terms.UsCitizen)
	assert.True(t, r.Terms.EmptyExtraLine)
	assert.Equal(t, "2023-02-09", r.Terms.AcceptedTermsDate)
}

func TestAlertTypeSpellings(t *testing.T) {
	plural := `{"name":"n","subtype":"DEBIT","currency":"USD","accountHolderId":"h","card":{"alertTypes":"NEITHER"}}`
	c, r, err := rocketkor.DecodeIssueRequest([]byte(plural))
	require.NoError(t, err)
	assert.Equal(t, card.AlertsNone, c.Alerts)
	w, err := rocketkor.RequestToWire(&c, r)
	if err == nil {
		t.Fatal("the request lacks RocketKOR's required terms; it should not encode")
	}
	_ = w
	both := `{"name":"n","subtype":"DEBIT","currency":"USD","accountHolderId":"h","card":{"alertType":"ADMIN_ONLY","alertTypes":"NEITHER"}}`
	_, _, err = rocketkor.DecodeIssueRequest([]byte(both))
	adaptertest.FieldErr(t, err, "card.alertTypes", "NEITHER")
	// The spelling that came is the spelling that goes back.
	in := read(t, "issue-card.request.json")
	in = []byte(strings.Replace(string(in), `"alertType"`, `"alertTypes"`, 1))
	c, r, err = rocketkor.DecodeIssueRequest(in)
	require.NoError(t, err)
	out, err := rocketkor.EncodeIssueRequest(&c, r)
	require.NoError(t, err)
	assert.JSONEq(t, string(in), string(out))
}

func TestRequestRequires(t *testing.T) {
	_, err := rocketkor.RequestToWire(&card.Card{}, nil)
	for _, f := range []string{"name", "subtype", "currency", "accountHolderId", "card.solution", "card.startingNumber",
		"card.programId", "card.usCitizen", "card.acceptedTermsDate", "card.readPrivacyPolicyDate", "card.acceptedAgreement"} {
		adaptertest.FieldErr(t, err, f, "")
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, field, value string }{
		{"category", `{"category":"EXTERNAL","type":"CARD","state":"PENDING"}`, "category", "EXTERNAL"},
		{"type", `{"category":"INTEGRATED","type":"BANK","state":"PENDING"}`, "type", "BANK"},
		{"state", `{"category":"INTEGRATED","type":"CARD","state":"CLOSED"}`, "state", "CLOSED"},
		{"state reason", `{"category":"INTEGRATED","type":"CARD","state":"SUSPENDED","stateReason":"BORED"}`, "state", "SUSPENDED/BORED"},
		{"subtype", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","subtype":"CHARGE"}`, "subtype", "CHARGE"},
		{"holder type", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","accountHolderType":"RECIPIENT"}`, "accountHolderType", "RECIPIENT"},
		{"expiry", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","card":{"expiry":"12/2027"}}`, "card.expiry", "12/2027"},
		{"alpha-2 country", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","card":{"billingAddress":{"countryCode":"CA"}}}`, "card.billingAddress.countryCode", "CA"},
		{"method", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","_embedded":{"providerDetails":{"shippingMethod":"TWO_DAY"}}}`, "_embedded.providerDetails.shippingMethod", "TWO_DAY"},
		{"reissue type", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","_embedded":{"providerDetails":{"reissueType":"NEW"}}}`, "_embedded.providerDetails.reissueType", "NEW"},
		{"reissue reason", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","_embedded":{"providerDetails":{"reissueReason":"LOST"}}}`, "_embedded.providerDetails.reissueReason", "LOST"},
		{"terms date", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","_embedded":{"providerDetails":{"acceptedTermsDate":"09/02/2023"}}}`, "_embedded.providerDetails.acceptedTermsDate", "09/02/2023"},
		{"short number", `{"category":"INTEGRATED","type":"CARD","state":"PENDING","_embedded":{"providerDetails":{"cardNumber":"4242"}}}`, "_embedded.providerDetails.cardNumber", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := rocketkor.DecodeCard([]byte(tt.in))
			adaptertest.FieldErr(t, err, tt.field, tt.value)
		})
	}
}

func base() card.Card {
	return card.Card{
		Label: "Debit", Type: card.TypeDebit, Form: card.FormPhysical, Currency: card.CurrencyUSD,
		Status: card.StatusActive, StatusReason: card.ReasonNEW, Holder: card.Holder{CustomerID: "cust",
			BillingAddress: card.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "73301", Country: card.CountryUS}},
		Shipping: &card.Shipping{Method: card.ShippingNormal, Address: card.Address{Line1: "1 Main St", City: "Austin", Country: card.CountryUS}},
		Controls: card.Controls{Limits: []card.Limit{{Amount: decimal.New(1, 0), Currency: card.CurrencyUSD, Interval: card.IntervalDaily}}},
	}
}

func TestEveryDomainValue(t *testing.T) {
	fields := map[string][]string{
		"status": {"state"}, "type": {"subtype"}, "currency": {"currency"},
		"shipping.method": {"_embedded.providerDetails.shippingMethod"},
		"reissue.reason":  {"_embedded.providerDetails.reissueReason"},
	}
	adaptertest.Coverage(t, base, func(c *card.Card) error { _, err := rocketkor.CardToWire(c, nil); return err }, fields)
}

func TestMappingRows(t *testing.T) {
	for _, m := range rocketkor.Mappings() {
		switch {
		case m.Field == "state":
			t.Run(m.String(), func(t *testing.T) {
				c := base()
				st, rs, _ := strings.Cut(m.Domain, "/")
				var err error
				c.Status, err = card.ParseStatus(st)
				require.NoError(t, err)
				c.StatusReason = 0
				if rs != "" {
					c.StatusReason, err = card.ParseStatusReason(rs)
					require.NoError(t, err)
				}
				w, err := rocketkor.CardToWire(&c, nil)
				require.NoError(t, err)
				assert.Equal(t, m.Wire, rocketkor.StateKey{State: w.State, Reason: w.StateReason}.String())
			})
		case strings.HasSuffix(m.Field, "reissueReason"):
			t.Run(m.String(), func(t *testing.T) {
				c := base()
				var err error
				c.Reissue.Reason, err = card.ParseReissueReason(m.Domain)
				require.NoError(t, err)
				w, err := rocketkor.CardToWire(&c, nil)
				require.NoError(t, err)
				assert.Equal(t, m.Wire, w.Embedded.ProviderDetails.ReissueReason)
			})
		}
	}
	for _, tc := range []struct {
		name, field, value string
		set                func(*card.Card)
	}{
		{"a freeze", "state", "SUSPENDED/REQ", func(c *card.Card) { c.Status, c.StatusReason = card.StatusSuspended, card.ReasonREQ }},
		{"terminated", "state", "TERMINATED", func(c *card.Card) { c.Status, c.StatusReason = card.StatusTerminated, 0 }},
		{"euro", "currency", "EUR", func(c *card.Card) { c.Currency = card.CurrencyEUR }},
		{"two-day", "_embedded.providerDetails.shippingMethod", "TWO_DAY", func(c *card.Card) { c.Shipping.Method = card.ShippingTwoDay }},
		{"appearance", "_embedded.providerDetails.reissueReason", "APPEARANCE", func(c *card.Card) { c.Reissue.Reason = card.ReissueReasonAppearance }},
		{"name on card", "_embedded.providerDetails.nameOnCard", "", func(c *card.Card) { c.NameOnCard = strings.Repeat("x", 61) }},
		{"long account name", "name", "", func(c *card.Card) { c.Label = strings.Repeat("x", 101) }},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			c := base()
			tc.set(&c)
			_, err := rocketkor.CardToWire(&c, nil)
			adaptertest.FieldErr(t, err, tc.field, tc.value)
		})
	}
}

func TestExternalAccount(t *testing.T) {
	a, r, err := rocketkor.DecodeAccount(read(t, "external-card.account.json"))
	require.NoError(t, err)
	assert.Equal(t, account.KindExternal, a.Kind)
	assert.Equal(t, "string(UUID)", a.ProviderRefs["rocketkor"], "an opaque id is kept as given")
	assert.Equal(t, account.Holder{Kind: account.HolderCustomer, ID: "6d0b12d8-6e9d-4021-85da-b42ab3845f11"}, a.Holder)
	assert.Equal(t, account.Actor{Type: account.ActorInternal}, a.UpdatedBy)
	assert.Equal(t, "42424242", a.External.BIN)
	assert.Empty(t, r.Dropped())

	b, _, err := rocketkor.DecodeAccount(read(t, "external-business.account.json"))
	require.NoError(t, err)
	assert.Equal(t, account.HolderBusiness, b.Holder.Kind)
	assert.Equal(t, b.Tenant, b.Holder.ID)

	a.Subtype = card.TypeGift
	_, err = rocketkor.AccountToWire(&a, nil)
	adaptertest.FieldErr(t, err, "subtype", "GIFT")
	a.Subtype, a.Kind = card.TypeDebit, account.KindIntegrated
	_, err = rocketkor.AccountToWire(&a, nil)
	adaptertest.FieldErr(t, err, "category", "INTEGRATED")
	_, _, err = rocketkor.DecodeAccount([]byte(`{"category":"EXTERNAL","type":"CARD","subtype":"DEBIT","state":"ACTIVE","createdBy":{"type":"robot"}}`))
	adaptertest.FieldErr(t, err, "createdBy.type", "robot")
}

func TestIdempotencyKey(t *testing.T) {
	_, err := rocketkor.ParseIdempotencyKey("abc")
	adaptertest.FieldErr(t, err, rocketkor.HeaderIdempotencyKey, "")
	_, err = rocketkor.ParseIdempotencyKey(strings.Repeat("k", 256))
	adaptertest.FieldErr(t, err, rocketkor.HeaderIdempotencyKey, "")
	k, err := rocketkor.ParseIdempotencyKey("order-000123")
	require.NoError(t, err)
	assert.Equal(t, rocketkor.IdempotencyKey("order-000123"), k)
}

func FuzzDecodeCard(f *testing.F) {
	adaptertest.Seeds(f, ".response.json")
	f.Fuzz(func(t *testing.T, in []byte) { adaptertest.FixedPoint(t, cardCodec, in) })
}

func FuzzDecodeIssueRequest(f *testing.F) {
	adaptertest.Seeds(f, ".request.json")
	f.Fuzz(func(t *testing.T, in []byte) { adaptertest.FixedPoint(t, requestCodec, in) })
}

func FuzzDecodeAccount(f *testing.F) {
	adaptertest.Seeds(f, ".account.json")
	f.Fuzz(func(t *testing.T, in []byte) { adaptertest.FixedPoint(t, accountCodec, in) })
}

func TestEachUnknown(t *testing.T) {
	adaptertest.CheckObjects(t, func() wire.Objects { return new(rocketkor.IssuedCardAccount) })
	adaptertest.CheckObjects(t, func() wire.Objects { return new(rocketkor.IssueRequest) })
	adaptertest.CheckObjects(t, func() wire.Objects { return new(rocketkor.ExternalCardAccount) })
}

// TestEveryRow encodes the domain side of every row of the other tables
// and finds the row's spelling in the field it names.
func TestEveryRow(t *testing.T) {
	for _, m := range rocketkor.Mappings() {
		var set func(*card.Card) error
		var got func(*rocketkor.IssuedCardAccount) string
		switch m.Field {
		case "subtype":
			set = func(c *card.Card) (err error) { c.Type, err = card.ParseType(m.Domain); return }
			got = func(w *rocketkor.IssuedCardAccount) string { return w.Subtype }
		case "currency":
			set = func(c *card.Card) (err error) { c.Currency, err = card.ParseCurrency(m.Domain); return }
			got = func(w *rocketkor.IssuedCardAccount) string { return w.Currency }
		case "card.shippingMethod":
			set = func(c *card.Card) (err error) { c.Shipping.Method, err = card.ParseShippingMethod(m.Domain); return }
			got = func(w *rocketkor.IssuedCardAccount) string { return w.Embedded.ProviderDetails.ShippingMethod }
		case "card.alertType":
			set = func(c *card.Card) (err error) { c.Alerts, err = card.ParseAlertPreference(m.Domain); return }
			got = func(w *rocketkor.IssuedCardAccount) string { return w.Embedded.ProviderDetails.AlertType }
		case "_embedded.providerDetails.reissueType":
			set = func(c *card.Card) (err error) { c.Reissue.Keep, err = card.ParseKeep(m.Domain); return }
			got = func(w *rocketkor.IssuedCardAccount) string { return w.Embedded.ProviderDetails.ReissueType }
		default:
			continue
		}
		t.Run(m.String(), func(t *testing.T) {
			c := base()
			require.NoError(t, set(&c))
			w, err := rocketkor.CardToWire(&c, nil)
			require.NoError(t, err)
			assert.Equal(t, m.Wire, got(w))
			js, err := rocketkor.EncodeCard(&c, nil)
			require.NoError(t, err)
			back, _, err := rocketkor.DecodeCard(js)
			require.NoError(t, err)
			assert.Equal(t, c.Type, back.Type)
			assert.Equal(t, c.Currency, back.Currency)
			assert.Equal(t, c.Alerts, back.Alerts)
			assert.Equal(t, c.Reissue.Keep, back.Reissue.Keep)
			assert.Equal(t, c.Shipping.Method, back.Shipping.Method)
		})
	}
	a, _, err := rocketkor.DecodeAccount(read(t, "external-card.account.json"))
	require.NoError(t, err)
	for _, m := range rocketkor.AccountMappings() {
		t.Run("account "+m.String(), func(t *testing.T) {
			x := a.Clone()
			var err error
			var got func(*rocketkor.ExternalCardAccount) string
			switch m.Field {
			case "subtype":
				x.Subtype, err = card.ParseType(m.Domain)
				got = func(w *rocketkor.ExternalCardAccount) string { return w.Subtype }
			case "state":
				x.State, err = account.ParseState(m.Domain)
				got = func(w *rocketkor.ExternalCardAccount) string { return w.State }
			case "accountHolderType":
				x.Holder.Kind, err = account.ParseHolderKind(m.Domain)
				got = func(w *rocketkor.ExternalCardAccount) string { return w.AccountHolderType }
			case "verificationStatus":
				x.Verification.Status, err = account.ParseVerificationStatus(m.Domain)
				got = func(w *rocketkor.ExternalCardAccount) string { return w.VerificationStatus }
			case "verificationMethod":
				x.Verification.Method, err = account.ParseVerificationMethod(m.Domain)
				got = func(w *rocketkor.ExternalCardAccount) string { return w.VerificationMethod }
			case "createdBy.type":
				x.CreatedBy.Type, err = account.ParseActorType(m.Domain)
				got = func(w *rocketkor.ExternalCardAccount) string { return w.CreatedBy.Type }
			default:
				t.Fatalf("no setter for %s", m.Field)
			}
			require.NoError(t, err)
			w, err := rocketkor.AccountToWire(&x, nil)
			require.NoError(t, err)
			assert.Equal(t, m.Wire, got(w))
		})
	}
}

// TestWireStructsPrintNoNumber prints the seed documents' wire structs, which
// hold full numbers, with fmt: none shows.
func TestWireStructsPrintNoNumber(t *testing.T) {
	c, _, err := rocketkor.DecodeCard(read(t, "issue-card.response.json"))
	require.NoError(t, err)
	w, err := rocketkor.CardToWire(&c, nil)
	require.NoError(t, err)
	require.Equal(t, "412345987442231477", c.PAN.RevealDigits())
	a, _, err := rocketkor.DecodeAccount(read(t, "external-card.account.json"))
	require.NoError(t, err)
	aw, err := rocketkor.AccountToWire(&a, nil)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, w) + fmt.Sprintf(verb, *w) + fmt.Sprintf(verb, aw)
		assert.NotContains(t, out, "412345987442231477", verb)
		assert.NotContains(t, out, "4242424242424242", verb)
	}
}
