package offblocks_test

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/showtest"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.domain.json goldens")

var (
	cardCodec    = adaptertest.Codec[card.Card, *offblocks.Residue]{Decode: offblocks.DecodeCard, Encode: offblocks.EncodeCard}
	requestCodec = adaptertest.Codec[card.Card, *offblocks.Residue]{Decode: offblocks.DecodeCardRequest, Encode: offblocks.EncodeCardRequest}
)

func TestGolden(t *testing.T) {
	for _, file := range []string{"card-issuing.response.json", "card-active.response.json"} {
		t.Run(file, func(t *testing.T) { adaptertest.Golden(t, file, cardCodec, *update) })
	}
	t.Run("issue-card.request.json", func(t *testing.T) { adaptertest.Golden(t, "issue-card.request.json", requestCodec, *update) })
}

func TestDecodeActiveCard(t *testing.T) {
	c, r, err := offblocks.DecodeCard([]byte(`{"type":"virtual","status":"active","maskedPan":"530518******9871","expirationDate":"10/2028","createdAt":"2024-01-12T15:12:26.923705379Z"}`))
	require.NoError(t, err)
	assert.Equal(t, "530518", c.BIN)
	assert.Equal(t, "9871", c.LastFour)
	assert.Equal(t, "530518******9871", r.MaskedPAN, "the number's length lives in the residue")
	assert.Equal(t, card.Expiry{Year: 2028, Month: time.October}, c.Expiry)
	assert.Equal(t, 923705379, c.CreatedAt.Nanosecond())
	assert.Equal(t, card.StatusActive, c.Status)
	assert.Equal(t, card.ReasonNEW, c.StatusReason)
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, field, value string }{
		{"physical", `{"type":"physical","status":"active"}`, "type", "physical"},
		{"upper-case status", `{"type":"virtual","status":"ACTIVE"}`, "status", "ACTIVE"},
		{"unknown status", `{"type":"virtual","status":"frozen"}`, "status", "frozen"},
		{"no status", `{"type":"virtual"}`, "status", ""},
		{"network", `{"type":"virtual","status":"active","network":"amex"}`, "network", "amex"},
		{"clear number", `{"type":"virtual","status":"active","maskedPan":"5305181234569871"}`, "maskedPan", ""},
		{"expiry format", `{"type":"virtual","status":"active","expirationDate":"2028-10"}`, "expirationDate", "2028-10"},
		{"expiry month", `{"type":"virtual","status":"active","expirationDate":"13/2028"}`, "expirationDate", "13"},
		{"alpha-3 country", `{"type":"virtual","status":"active","billingAddress":{"country":"GBR"}}`, "billingAddress.country", "GBR"},
		{"bad time", `{"type":"virtual","status":"active","createdAt":"12/01/2024"}`, "createdAt", "12/01/2024"},
		{"duplicate", `{"type":"virtual","status":"active","status":"blocked"}`, "status", "status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := offblocks.DecodeCard([]byte(tt.in))
			adaptertest.FieldErr(t, err, tt.field, tt.value)
		})
	}
}

func TestMaskedPANNeverShowsMoreThanBINAndLastFour(t *testing.T) {
	pan, err := card.CompletePAN("411111110000123")
	require.NoError(t, err)
	c := base()
	c.PAN = pan
	w, err := offblocks.CardToWire(&c, nil)
	require.NoError(t, err)
	assert.Equal(t, "411111******1232", w.MaskedPAN)
}

// TestShortMaskedPANKeepsDigitsHidden: OffBlocks masks every number as 6
// digits, '*'s and the last four; for a 12-digit number that shows all but
// two. The BIN read from it is what a number of its length shows (none,
// at 12 digits); the masked number is written back as it came.
func TestShortMaskedPANKeepsDigitsHidden(t *testing.T) {
	const active = `{"type":"virtual","status":"active","maskedPan":"530518******9871","expirationDate":"10/2028"}`
	c, r, err := offblocks.DecodeCard([]byte(strings.Replace(active, "530518******9871", "424242**4242", 1)))
	require.NoError(t, err)
	assert.Empty(t, c.BIN, "a 12-digit number shows no BIN")
	assert.Equal(t, "4242", c.LastFour)
	for _, v := range []any{r, *r} {
		for _, s := range showtest.Renderings(t, v) {
			require.NotContains(t, s, "424242", "the residue shows the mask by its last four")
		}
	}
	out, err := offblocks.EncodeCard(&c, r)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"maskedPan":"424242**4242"`, "written back as it came")
	c16, _, err := offblocks.DecodeCard([]byte(active))
	require.NoError(t, err)
	assert.Equal(t, "530518", c16.BIN, "a 16-digit number shows its 6")
}

func base() card.Card {
	return card.Card{
		Form: card.FormVirtual, Status: card.StatusActive, StatusReason: card.ReasonNEW, Type: card.TypeDebit,
		Holder:   card.Holder{BillingAddress: card.Address{Line1: "1 Test Avenue", City: "London", Country: card.CountryGB}},
		Shipping: &card.Shipping{Address: card.Address{Line1: "1 Test Avenue", City: "London", Country: card.CountryGB}},
		Controls: card.Controls{Limits: []card.Limit{{Amount: decimal.New(100, 0), Currency: card.CurrencyGBP, Interval: card.IntervalDaily}}},
	}
}

func TestEveryDomainValue(t *testing.T) {
	adaptertest.Coverage(t, base, func(c *card.Card) error { _, err := offblocks.CardToWire(c, nil); return err },
		map[string][]string{"status": {"status"}, "form": {"type"}, "brand": {"network"}})
	adaptertest.Coverage(t, base, func(c *card.Card) error { _, err := offblocks.RequestToWire(c, nil); return err },
		map[string][]string{"form": {"type"}})
}

// TestStatusRows checks each status row: the decoded pair comes back as
// the same status, and every pair the row lists on the way out goes to it.
func TestStatusRows(t *testing.T) {
	for _, m := range offblocks.Mappings() {
		if m.Field != "status" {
			continue
		}
		t.Run(m.String(), func(t *testing.T) {
			c := base()
			c.Status, c.StatusReason = parsePair(t, m.Domain)
			w, err := offblocks.CardToWire(&c, nil)
			require.NoError(t, err)
			assert.Equal(t, m.Wire, w.Status)
		})
	}
	for _, bad := range []card.Status{card.StatusUnactivated, card.StatusImagePending, card.StatusImageRejected} {
		c := base()
		c.Status, c.StatusReason = bad, 0
		_, err := offblocks.CardToWire(&c, nil)
		adaptertest.FieldErr(t, err, "status", bad.String())
	}
	c := base()
	c.Form = card.FormPhysical
	_, err := offblocks.CardToWire(&c, nil)
	adaptertest.FieldErr(t, err, "type", "PHYSICAL")
}

func parsePair(t *testing.T, s string) (card.Status, card.StatusReason) {
	t.Helper()
	status, reason, _ := cut(s)
	st, err := card.ParseStatus(status)
	require.NoError(t, err)
	if reason == "" {
		return st, 0
	}
	r, err := card.ParseStatusReason(reason)
	require.NoError(t, err)
	return st, r
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '/' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestMappingsAreListed(t *testing.T) {
	var lines []string
	for _, m := range offblocks.Mappings() {
		lines = append(lines, m.String())
	}
	assert.Contains(t, lines, "status: blocked ⇄ TERMINATED/FRD")
	assert.Contains(t, lines, "status: inactive ← SUSPENDED/LOS")
	assert.Contains(t, lines, "type: virtual ⇄ VIRTUAL")
	assert.Equal(t, wire.Both, offblocks.Mappings()[0].Dir)
}

func TestIdempotencyKeyIsAUUID(t *testing.T) {
	_, err := offblocks.ParseIdempotencyKey("abc123")
	adaptertest.FieldErr(t, err, offblocks.HeaderIdempotencyKey, "")
	k, err := offblocks.ParseIdempotencyKey("7d943c51-e4ff-4e57-9558-08cab6b963c7")
	require.NoError(t, err)
	assert.Equal(t, "7d943c51-e4ff-4e57-9558-08cab6b963c7", k.String())
	assert.NotEqual(t, offblocks.NewIdempotencyKey(), offblocks.NewIdempotencyKey())
	assert.Equal(t, "/v1/accounts/ae61/cards", offblocks.IssuePath("ae61"))
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
	adaptertest.CheckObjects(t, func() wire.Objects { return new(offblocks.Card) })
	adaptertest.CheckObjects(t, func() wire.Objects { return new(offblocks.CardRequest) })
}

// TestStatusOfAndFromWire: every status OffBlocks spells reads as a domain
// status that writes back the same way; who holds it comes with it; a word
// OffBlocks does not use, and a status it has none for, are refused.
func TestStatusOfAndFromWire(t *testing.T) {
	held := map[string]card.Actor{"inactive": card.ActorProgram, "suspended": card.ActorProvider}
	for _, w := range []string{"issuing", "issue_failed", "active", "inactive", "suspended", "blocked", "terminated"} {
		s, r, by, err := offblocks.StatusFromWire(w)
		require.NoError(t, err, w)
		assert.Equal(t, held[w], by, w)
		back, err := offblocks.StatusOf(card.Card{Status: s, StatusReason: r})
		require.NoError(t, err, w)
		assert.Equal(t, w, back)
	}
	_, _, _, err := offblocks.StatusFromWire("frozen")
	require.ErrorIs(t, err, card.ErrInvalid)
	_, err = offblocks.StatusOf(card.Card{Status: card.StatusImagePending})
	require.Error(t, err)
}
