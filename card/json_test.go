package card_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

// text draws a string that may be empty, hold what JSON escapes (quotes,
// control characters, <, >, &, U+2028) or be invalid UTF-8.
func text(t *rapid.T, label string) string {
	return rapid.OneOf(
		rapid.Just(""),
		rapid.StringMatching(`[a-zA-Z0-9 .,'-]{1,12}`),
		rapid.String(),
		rapid.SampledFrom([]string{"a<b>&c", "\"quoted\"\\", "tab\there\nline", "\u2028\u2029", "\x00\x1f\x7f", "bad \xff utf8 \xc3", "émoji 😀"}),
	).Draw(t, label)
}

// gen draws the parts of one card. bad says whether the card may hold
// values the encoders refuse: one card in ten, so that most cards are
// compared byte for byte.
type gen struct {
	t   *rapid.T
	bad bool
}

// enumOf draws a value of an enum: zero, a named value, or, on a bad card,
// rarely one that is not named (MarshalText refuses it).
func enumOf[T ~uint8](g *gen, label string, values []T) T {
	switch rapid.IntRange(0, 9).Draw(g.t, label+"_kind") {
	case 0, 1:
		return 0
	case 2:
		if g.bad {
			return T(rapid.IntRange(200, 255).Draw(g.t, label+"_bad"))
		}
	}
	return rapid.SampledFrom(values).Draw(g.t, label)
}

// when draws a time that may be zero, in any of a few zones, with a
// monotonic reading or not, on a bad card rarely out of the range RFC 3339
// can write.
func when(g *gen, label string) time.Time {
	t := g.t
	if rapid.IntRange(0, 3).Draw(t, label+"_zero") == 0 {
		return time.Time{}
	}
	zone := rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("", 5*3600+30*60), time.FixedZone("odd", -(3*3600 + 17))}).Draw(t, label+"_zone")
	if rapid.IntRange(0, 9).Draw(t, label+"_now") == 0 {
		return time.Now().In(zone) // with a monotonic reading
	}
	year := 2026
	if g.bad && rapid.IntRange(0, 30).Draw(t, label+"_far") == 0 {
		year = rapid.SampledFrom([]int{-1, 10000}).Draw(t, label+"_year")
	}
	return time.Date(year, time.Month(rapid.IntRange(1, 12).Draw(t, label+"_m")), rapid.IntRange(1, 28).Draw(t, label+"_d"),
		rapid.IntRange(0, 23).Draw(t, label+"_h"), 0, 0, rapid.IntRange(0, 999999999).Draw(t, label+"_ns"), zone)
}

func address(g *gen, label string) card.Address {
	t := g.t
	return card.Address{Line1: text(t, label+"1"), Line2: text(t, label+"2"), Line3: text(t, label+"3"), City: text(t, label+"c"),
		Region: text(t, label+"r"), PostalCode: text(t, label+"p"), Country: enumOf(g, label+"country", card.CountryValues())}
}

func strs(t *rapid.T, label string) map[string]string {
	if rapid.Bool().Draw(t, label+"_nil") {
		return nil
	}
	m := map[string]string{}
	for range rapid.IntRange(0, 4).Draw(t, label+"_n") {
		m[text(t, label+"_k")] = text(t, label+"_v")
	}
	return m
}

// anyCard draws a card with every field set or not, each independently.
func anyCard(t *rapid.T) card.Card {
	g := &gen{t: t, bad: rapid.IntRange(0, 9).Draw(t, "bad") == 0}
	c := card.Card{
		Tenant: text(t, "tenant"), AccountID: text(t, "account"),
		Holder: card.Holder{CustomerID: text(t, "cust"), BusinessID: text(t, "biz"),
			Name:           card.PersonName{First: text(t, "first"), Middle: text(t, "middle"), Last: text(t, "last")},
			BillingAddress: address(g, "billing")},
		Type:      enumOf(g, "type", card.TypeValues()),
		Form:      enumOf(g, "form", card.FormValues()),
		Brand:     enumOf(g, "brand", card.BrandValues()),
		ProductID: text(t, "product"), Label: text(t, "label"),
		Currency: enumOf(g, "currency", card.CurrencyValues()),
		ImageID:  text(t, "image"),
		Status:   enumOf(g, "status", card.StatusValues()), StatusReason: enumOf(g, "reason", card.StatusReasonValues()),
		Memo: text(t, "memo"), HeldBy: enumOf(g, "held_by", card.ActorValues()),
		Pending: card.PendingReasons{BulkShipment: rapid.Bool().Draw(t, "bulk"), Image: rapid.Bool().Draw(t, "img"), PIN: rapid.Bool().Draw(t, "pin")},
		BIN:     text(t, "bin"), LastFour: text(t, "last4"), PANLength: rapid.IntRange(-1, 19).Draw(t, "len"),
		NameOnCard: text(t, "name_on_card"), Emboss: card.Emboss{Line1: text(t, "e1"), Line2: text(t, "e2")},
		Language: text(t, "lang"), Alerts: enumOf(g, "alerts", card.AlertPreferenceValues()),
		PINSet: rapid.Bool().Draw(t, "pin_set"), PINSetAt: when(g, "pin_set_at"),
		Reissue: card.ReissueLink{From: text(t, "from"), To: text(t, "to"), Reason: enumOf(g, "rr", card.ReissueReasonValues()),
			Keep: enumOf(g, "keep", card.KeepValues())},
		ProviderRefs: strs(t, "refs"), Metadata: strs(t, "meta"),
		ActivatedAt: when(g, "activated"), CreatedAt: when(g, "created"), UpdatedAt: when(g, "updated"),
		Version: rapid.Int64().Draw(t, "version"),
	}
	if rapid.Bool().Draw(t, "id") {
		copy(c.ID[:], rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "uuid"))
	}
	if rapid.Bool().Draw(t, "fp") {
		copy(c.Fingerprint[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "fingerprint"))
	}
	if rapid.Bool().Draw(t, "expiry") {
		c.Expiry = card.Expiry{Year: rapid.IntRange(2000, 2099).Draw(t, "ey"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "em"))}
	}
	if rapid.Bool().Draw(t, "shipping") {
		c.Shipping = &card.Shipping{Method: enumOf(g, "method", card.ShippingMethodValues()), Address: address(g, "ship"),
			Recipient: card.Recipient{FirstName: text(t, "rf"), MiddleName: text(t, "rm"), LastName: text(t, "rl"), CareOf: text(t, "co"), Phone: text(t, "ph")},
			Status:    enumOf(g, "delivery", card.DeliveryStatusValues()), TrackingNumber: text(t, "track"),
			ShippedAt: when(g, "shipped"), ETA: when(g, "eta")}
	}
	for range rapid.IntRange(0, 2).Draw(t, "limits") {
		c.Controls.Limits = append(c.Controls.Limits, card.Limit{
			Amount:   decimal.New(rapid.Int64Range(-1e9, 1e9).Draw(t, "amount"), int32(rapid.IntRange(-4, 2).Draw(t, "exp"))),
			Currency: enumOf(g, "lc", card.CurrencyValues()), Interval: enumOf(g, "interval", card.IntervalValues())})
	}
	for _, into := range []*[]card.MCC{&c.Controls.AllowedCategories, &c.Controls.BlockedCategories} {
		for range rapid.IntRange(0, 2).Draw(t, "mccs") {
			top := 9999
			if g.bad {
				top = 10050
			}
			*into = append(*into, card.MCC(rapid.IntRange(0, top).Draw(t, "mcc")))
		}
	}
	return c
}

// TestCardJSONMatchesReflection: the card's hand-written JSON is what
// encoding/json writes from the struct tags, byte for byte, and is refused
// where that refuses, on cards with every field drawn at random and on the
// cards the generators of cardtest make.
func TestCardJSONMatchesReflection(t *testing.T) {
	var compared, refused int
	check := func(t *rapid.T, c card.Card) {
		want, werr := json.Marshal(c)
		got, gerr := c.AppendJSON(nil)
		if werr != nil || gerr != nil {
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("reflection: %v; by hand: %v", werr, gerr)
			}
			refused++
			return
		}
		if string(got) != string(want) {
			t.Fatalf("by hand:\n%s\nreflection:\n%s", got, want)
		}
		compared++
	}
	t.Run("any", func(t *testing.T) { rapid.Check(t, func(t *rapid.T) { check(t, anyCard(t)) }) })
	t.Run("cardtest", func(t *testing.T) { rapid.Check(t, func(t *rapid.T) { check(t, cardtest.Card().Draw(t, "card")) }) })
	t.Logf("%d cards compared byte for byte, %d refused by both", compared, refused)
}

// TestCardJSONRoundTrips: what the card encodes decodes to the card.
func TestCardJSONRoundTrips(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		c := cardtest.Card().Draw(rt, "card")
		b, err := c.AppendJSON(nil)
		require.NoError(rt, err)
		var back card.Card
		require.NoError(rt, json.Unmarshal(b, &back))
		again, err := back.AppendJSON(nil)
		require.NoError(rt, err)
		assert.JSONEq(rt, string(b), string(again))
	})
}

// TestCardJSONHoldsNoPAN: the number a card holds in memory is not
// written, masked or not.
func TestCardJSONHoldsNoPAN(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		c := cardtest.Card().Draw(rt, "card")
		pan := cardtest.AnyPAN().Draw(rt, "pan")
		c.SetNumber(pan)
		b, err := c.AppendJSON(nil)
		require.NoError(rt, err)
		assert.NotContains(rt, string(b), pan.RevealDigits())
		assert.NotContains(rt, string(b), pan.Masked())
	})
}

// fill sets every settable field v holds, however deep, to a value that is
// not zero: a field added to Card, or to a type in it, is then set here
// without anyone listing it.
func fill(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1) // the first named value of each of cardkit's enums
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i))
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k)
		fill(t, e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(t, s.Index(0))
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem())
		v.Set(p)
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeFor[time.Time]():
			v.Set(reflect.ValueOf(time.Date(2026, 12, 7, 14, 0, 0, 1, time.UTC)))
			return
		case reflect.TypeFor[decimal.Decimal]():
			v.Set(reflect.ValueOf(decimal.New(1, -2)))
			return
		case reflect.TypeFor[card.PAN]():
			return // never encoded
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i))
			}
		}
		if v.IsZero() {
			t.Errorf("fill cannot set a %s: teach it", v.Type())
		}
	default:
		t.Errorf("fill cannot set a %s: teach it", v.Type())
	}
}

// TestCardJSONCoversEveryField: with every field of a card set, however
// deep, the hand-written JSON is still encoding/json's. A field the
// writer does not know would be missing from it.
func TestCardJSONCoversEveryField(t *testing.T) {
	var c card.Card
	fill(t, reflect.ValueOf(&c).Elem())
	c.Expiry = card.Expiry{Year: 2029, Month: time.November} // its fields are not encoded one by one
	want, err := json.Marshal(c)
	require.NoError(t, err)
	got, err := c.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.NotContains(t, string(want), `:""`, "every string member is set")
}

// TestCardJSONSortsMapKeys: map members are written in key order, as
// encoding/json writes them, whatever order a map is read in.
func TestCardJSONSortsMapKeys(t *testing.T) {
	c := card.Card{Metadata: map[string]string{}, ProviderRefs: map[string]string{}}
	for _, k := range []string{"j", "b", "i", "a", "h", "c", "g", "d", "f", "e", "<", "é", ""} {
		c.Metadata[k], c.ProviderRefs[k] = "v"+k, "r"+k
	}
	want, err := json.Marshal(c)
	require.NoError(t, err)
	for range 20 {
		got, err := c.AppendJSON(nil)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
}

// TestCardIsNoMarshaler: AppendJSON is called where its speed matters;
// a MarshalJSON would change what every other encoder writes (an Encoder
// without HTML escaping would get escapes, go-json-experiment would take
// invalid UTF-8 it refuses, and lose the path of its errors).
func TestCardIsNoMarshaler(t *testing.T) {
	var c any = card.Card{}
	_, ok := c.(json.Marshaler)
	assert.False(t, ok)
	_, ok = any(&card.Card{}).(json.Marshaler)
	assert.False(t, ok)
}
