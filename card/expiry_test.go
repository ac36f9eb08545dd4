package card_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

func TestExpiry(t *testing.T) {
	e, err := card.ParseExpiry("2027-12")
	require.NoError(t, err)
	assert.Equal(t, card.Expiry{Year: 2027, Month: time.December}, e)
	assert.Equal(t, "2027-12", e.String())
	assert.Equal(t, time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), e.End())

	// Good through the last instant of the month, in UTC.
	last := time.Date(2027, 12, 31, 23, 59, 59, 999999999, time.UTC)
	assert.False(t, e.Expired(last))
	assert.True(t, e.Expired(last.Add(time.Nanosecond)))
	// The same instant seen from another zone gives the same answer.
	tokyo := time.FixedZone("JST", 9*3600)
	assert.True(t, e.Expired(time.Date(2028, 1, 1, 8, 0, 0, 0, tokyo).Add(time.Hour)))
	assert.False(t, e.Expired(time.Date(2028, 1, 1, 8, 0, 0, 0, tokyo)))
	assert.False(t, card.Expiry{}.Expired(time.Now()), "an unknown expiry never expires")

	c := card.Card{Expiry: card.Expiry{Year: 2025, Month: time.June}}
	assert.True(t, c.Expired(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)))
	assert.False(t, c.Expired(time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)))

	for _, bad := range []string{"", "2027-13", "2027-00", "27-12", "2027/12", "1999-01", "2100-01", "2027-1x", "2027-012"} {
		_, err := card.ParseExpiry(bad)
		assert.ErrorIs(t, err, card.ErrInvalid, bad)
	}
	_, err = card.NewExpiry(2030, 0)
	assert.ErrorIs(t, err, card.ErrInvalid)

	var back card.Expiry
	require.NoError(t, back.UnmarshalText([]byte("2030-01")))
	assert.Equal(t, card.Expiry{Year: 2030, Month: time.January}, back)
	require.NoError(t, back.UnmarshalText(nil))
	assert.True(t, back.IsZero())
	assert.Error(t, back.UnmarshalText([]byte("x")))
}
