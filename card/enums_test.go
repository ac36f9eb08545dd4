package card_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/enumtest"
)

func TestEnums(t *testing.T) {
	t.Run("Type", func(t *testing.T) {
		enumtest.Check(t, card.TypeValues(), card.ParseType, (*card.Type).UnmarshalText, 4)
	})
	t.Run("Form", func(t *testing.T) {
		enumtest.Check(t, card.FormValues(), card.ParseForm, (*card.Form).UnmarshalText, 2)
	})
	t.Run("Brand", func(t *testing.T) {
		enumtest.Check(t, card.BrandValues(), card.ParseBrand, (*card.Brand).UnmarshalText, 2)
	})
	t.Run("Status", func(t *testing.T) {
		enumtest.Check(t, card.StatusValues(), card.ParseStatus, (*card.Status).UnmarshalText, 8)
	})
	t.Run("StatusReason", func(t *testing.T) {
		enumtest.Check(t, card.StatusReasonValues(), card.ParseStatusReason, (*card.StatusReason).UnmarshalText, 34)
	})
	t.Run("Keep", func(t *testing.T) {
		enumtest.Check(t, card.KeepValues(), card.ParseKeep, (*card.Keep).UnmarshalText, 3)
	})
	t.Run("ReissueReason", func(t *testing.T) {
		enumtest.Check(t, card.ReissueReasonValues(), card.ParseReissueReason, (*card.ReissueReason).UnmarshalText, 12)
	})
	t.Run("ShippingMethod", func(t *testing.T) {
		enumtest.Check(t, card.ShippingMethodValues(), card.ParseShippingMethod, (*card.ShippingMethod).UnmarshalText, 12)
	})
	t.Run("DeliveryStatus", func(t *testing.T) {
		enumtest.Check(t, card.DeliveryStatusValues(), card.ParseDeliveryStatus, (*card.DeliveryStatus).UnmarshalText, 9)
	})
	t.Run("AlertPreference", func(t *testing.T) {
		enumtest.Check(t, card.AlertPreferenceValues(), card.ParseAlertPreference, (*card.AlertPreference).UnmarshalText, 3)
	})
	t.Run("Interval", func(t *testing.T) {
		enumtest.Check(t, card.IntervalValues(), card.ParseInterval, (*card.Interval).UnmarshalText, 6)
	})
	t.Run("Actor", func(t *testing.T) {
		enumtest.Check(t, card.ActorValues(), card.ParseActor, (*card.Actor).UnmarshalText, 4)
	})
	t.Run("Currency", func(t *testing.T) {
		enumtest.Check(t, card.CurrencyValues(), card.ParseCurrency, (*card.Currency).UnmarshalText, 31)
	})
	t.Run("Country", func(t *testing.T) {
		enumtest.Check(t, card.CountryValues(), card.ParseCountry, (*card.Country).UnmarshalText, 66)
	})
}

// TestStatusReasonCodes pins the 31 documented codes and their meanings, and
// the three cardkit adds.
func TestStatusReasonCodes(t *testing.T) {
	documented := map[string]string{
		"ACT": "Account activity was validated", "ADD": "Address issue", "AUX": "Initiated by a third party",
		"CLO": "Card was cloned", "COM": "Account or card was compromised", "DOB": "DOB issue",
		"EML": "Email issue", "EXP": "Card expired", "FRD": "Confirmed fraud",
		"FUL": "Account/fulfillment mismatch", "INA": "Dormant", "INF": "Information was validated",
		"ISS": "Initiated by Issuer", "KYC": "Failed KYC", "LOS": "Card reported lost",
		"MAT": "Matched with an OFAC list", "NAM": "Name issue", "NEG": "Negative account balance",
		"NEW": "Card activated", "OTH": "Other", "OUT": "Activity outside program parameters",
		"PHO": "Phone issue", "PIN": "PIN try limit reached", "PRC": "Initiated by Processor",
		"REQ": "Requested by you", "REV": "Account under review", "SSN": "SSN issue",
		"STO": "Card reported stolen", "SUS": "Suspicious activity", "TMP": "Awaiting customer confirmation",
		"UNK": "Invalid shipping address",
	}
	require.Len(t, documented, 31)
	for code, meaning := range documented {
		r, err := card.ParseStatusReason(code)
		require.NoError(t, err, code)
		assert.Equal(t, meaning, r.Doc(), code)
	}
	for _, code := range []string{"RIS", "LNC", "SNC"} {
		r, err := card.ParseStatusReason(code)
		require.NoError(t, err)
		assert.NotEmpty(t, r.Doc())
	}
	for _, v := range card.StatusReasonValues() {
		assert.Len(t, v.String(), 3)
	}
}

func TestOutOfRangeEnums(t *testing.T) {
	assert.Equal(t, "card.Status(99)", card.Status(99).String())
	_, err := card.Status(99).MarshalText()
	require.ErrorIs(t, err, card.ErrInvalid)
	_, err = json.Marshal(struct{ S card.Status }{card.Status(99)})
	require.Error(t, err)
	assert.Empty(t, card.Status(99).Doc())
	assert.False(t, card.Status(99).Final())
}

func TestActorsAndReasonSets(t *testing.T) {
	s := card.ActorsOf(card.ActorHolder, card.ActorProvider)
	assert.True(t, s.Has(card.ActorHolder))
	assert.False(t, s.Has(card.ActorProgram))
	assert.False(t, s.Has(0))
	assert.Equal(t, "HOLDER|PROVIDER", s.String())
	assert.Equal(t, []card.Actor{card.ActorHolder, card.ActorProvider}, s.List())

	r := card.ReasonsOf(card.ReasonLOS, card.ReasonSTO) | card.NoReason
	assert.True(t, r.Has(0))
	assert.True(t, r.Has(card.ReasonSTO))
	assert.False(t, r.Has(card.ReasonFRD))
	assert.Equal(t, "none|LOS|STO", r.String())
	assert.Len(t, card.AnyReason.List(), 35)
	assert.False(t, card.AnyReason.Has(card.StatusReason(200)))
}

// TestParseRoundTrips: the enums without text encoding still read back
// the names String writes, and refuse others.
func TestParseRoundTrips(t *testing.T) {
	for _, v := range card.OldCardEndValues() {
		got, err := card.ParseOldCardEnd(v.String())
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	for _, v := range card.TextRuleValues() {
		got, err := card.ParseTextRule(v.String())
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	_, err := card.ParseOldCardEnd("SOMETIME")
	assert.ErrorIs(t, err, card.ErrInvalid)
	_, err = card.ParseTextRule("ANY")
	assert.ErrorIs(t, err, card.ErrInvalid)
}
