package adaptertest

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

// EnumCase sets one value of one domain enum on a card. Domain names the
// neutral field the value sits in.
type EnumCase struct {
	Domain string
	Value  string
	Set    func(*card.Card)
}

// EnumCases lists a case for every value of every domain enum a card
// carries, and for every status with every reason (and none), so that a new
// value in package card shows up in every adapter's test.
func EnumCases() []EnumCase {
	var out []EnumCase
	for _, s := range card.StatusValues() {
		for _, r := range append([]card.StatusReason{0}, card.StatusReasonValues()...) {
			name := s.String()
			if r != 0 {
				name += "/" + r.String()
			}
			out = append(out, EnumCase{Domain: "status", Value: name, Set: func(c *card.Card) { c.Status, c.StatusReason = s, r }})
		}
	}
	for _, v := range card.TypeValues() {
		out = append(out, EnumCase{"type", v.String(), func(c *card.Card) { c.Type = v }})
	}
	for _, v := range card.FormValues() {
		out = append(out, EnumCase{"form", v.String(), func(c *card.Card) {
			c.Form = v
			if v == card.FormVirtual {
				c.Shipping = nil
			}
		}})
	}
	for _, v := range card.BrandValues() {
		out = append(out, EnumCase{"brand", v.String(), func(c *card.Card) { c.Brand = v }})
	}
	for _, v := range card.ShippingMethodValues() {
		out = append(out, EnumCase{"shipping.method", v.String(), func(c *card.Card) { c.Shipping.Method = v }})
	}
	for _, v := range card.DeliveryStatusValues() {
		out = append(out, EnumCase{"shipping.status", v.String(), func(c *card.Card) { c.Shipping.Status = v }})
	}
	for _, v := range card.IntervalValues() {
		out = append(out, EnumCase{"controls.limits.interval", v.String(), func(c *card.Card) { c.Controls.Limits[0].Interval = v }})
	}
	for _, v := range card.CurrencyValues() {
		out = append(out, EnumCase{"currency", v.String(), func(c *card.Card) {
			c.Currency = v
			c.Controls.Limits[0].Currency = v
			c.Controls.Limits[0].Amount = decimal.New(120, 0)
		}})
	}
	for _, v := range card.ReissueReasonValues() {
		out = append(out, EnumCase{"reissue.reason", v.String(), func(c *card.Card) { c.Reissue.Reason = v }})
	}
	for _, v := range card.KeepValues() {
		out = append(out, EnumCase{"reissue.keep", v.String(), func(c *card.Card) { c.Reissue.Keep = v }})
	}
	for _, v := range card.AlertPreferenceValues() {
		out = append(out, EnumCase{"alerts", v.String(), func(c *card.Card) { c.Alerts = v }})
	}
	for _, v := range card.CountryValues() {
		out = append(out, EnumCase{"country", v.String(), func(c *card.Card) {
			c.Holder.BillingAddress.Country = v
			c.Shipping.Address.Country = v
		}})
	}
	return out
}

// Coverage runs every EnumCase against encode, starting each from a fresh
// base card: the value is either carried (no error) or refused with a
// *card.Error naming the provider's field that fields gives for the
// neutral one. A neutral field missing from fields is one the provider has
// no place for, so any value of it must encode without error.
func Coverage(t *testing.T, base func() card.Card, encode func(*card.Card) error, fields map[string][]string) {
	t.Helper()
	mapped := 0
	for _, tc := range EnumCases() {
		c := base()
		tc.Set(&c)
		err := encode(&c)
		want, known := fields[tc.Domain]
		if err == nil {
			mapped++
			continue
		}
		require.Truef(t, known, "%s %s: refused, but the provider has no field for %s: %v", tc.Domain, tc.Value, tc.Domain, err)
		var e *card.Error
		require.ErrorAsf(t, err, &e, "%s %s", tc.Domain, tc.Value)
		require.ErrorIs(t, err, card.ErrInvalid)
		found := false
		for _, f := range e.Fields {
			for _, w := range want {
				if f.Field == w && f.Value != "" {
					found = true
				}
			}
		}
		require.Truef(t, found, "%s %s: error names none of %v: %v", tc.Domain, tc.Value, want, err)
	}
	require.NotZero(t, mapped)
}
