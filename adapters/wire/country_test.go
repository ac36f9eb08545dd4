package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

func TestExpiryTextIsTheDomains(t *testing.T) {
	es := []card.Expiry{{}, {Year: 2027, Month: 12}, {Year: 2000, Month: 1}, {Year: 99, Month: 3}, {Year: 12345, Month: 10}}
	for _, e := range es {
		assert.Equal(t, e.String(), wire.ExpiryText(e))
		assert.True(t, wire.IsExpiryText(e.String(), e))
		assert.False(t, wire.IsExpiryText(e.String()+"0", e))
	}
}

func TestTextAtIsText(t *testing.T) {
	limit := card.TextLimit{Min: 2, Max: 5, Charset: card.RuleEmbossLine.Limit().Charset}
	for _, s := range []string{"", "a", "ab", "abcdef", "a\xffb", "a~b", "abc"} {
		var want, got card.Problems
		wire.Text(&want, "card.name", s, limit)
		wire.TextAt(&got, "card", "name", s, limit)
		assert.Equal(t, want.Err("op"), got.Err("op"), "%q", s)
	}
}
