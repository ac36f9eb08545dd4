package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

func TestTextAtIsText(t *testing.T) {
	limit := card.TextLimit{Min: 2, Max: 5, Charset: card.RuleEmbossLine.Limit().Charset}
	for _, s := range []string{"", "a", "ab", "abcdef", "a\xffb", "a~b", "abc"} {
		var want, got card.Problems
		wire.Text(&want, "card.name", s, limit)
		wire.TextAt(&got, "card", "name", s, limit)
		assert.Equal(t, want.Err("op"), got.Err("op"), "%q", s)
	}
}
