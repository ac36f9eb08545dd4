package card_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

func TestMCC(t *testing.T) {
	for _, s := range []string{"0742", "5411", "9999", "0000"} {
		m, err := card.ParseMCC(s)
		require.NoError(t, err)
		assert.Equal(t, s, m.String())
		text, err := m.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, s, string(text))
	}
	for _, bad := range []string{"", "742", "05411", "54a1", "-541", "５４１１"} {
		_, err := card.ParseMCC(bad)
		assert.ErrorIs(t, err, card.ErrInvalid, bad)
	}
	_, err := card.MCC(10000).MarshalText()
	assert.ErrorIs(t, err, card.ErrInvalid)
}

func TestCurrencyAmounts(t *testing.T) {
	tests := []struct {
		cur    card.Currency
		amount string
		ok     bool
	}{
		{card.CurrencyUSD, "120.00", true},
		{card.CurrencyUSD, "120.5", true},
		{card.CurrencyUSD, "120.005", false},
		{card.CurrencyUSD, "120.000", true}, // trailing zeros are not extra precision
		{card.CurrencyJPY, "1200", true},
		{card.CurrencyJPY, "1200.5", false},
		{card.CurrencyKWD, "1.125", true},
		{card.CurrencyUSD, "-1", false},
	}
	for _, tt := range tests {
		var p card.Problems
		tt.cur.CheckAmount(&p, "amount", decimal.RequireFromString(tt.amount))
		assert.Equal(t, tt.ok, p.Len() == 0, "%s %s", tt.amount, tt.cur)
	}
	assert.Equal(t, 2, card.CurrencyCAD.MinorUnits())
	assert.Equal(t, 0, card.Currency(200).MinorUnits())
	assert.Equal(t, "Canadian dollar", card.CurrencyCAD.Name())
}
