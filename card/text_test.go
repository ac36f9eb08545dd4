package card_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/card"
)

func TestEmbossLineRule(t *testing.T) {
	tests := []struct {
		in    string
		codes []card.Code
	}{
		{"JANE SMITH", nil},
		{"Jane O'Neil-Smith", nil},
		{"ACME & SONS, INC./NY", nil},
		{strings.Repeat("A", 21), nil},
		{strings.Repeat("A", 22), []card.Code{card.CodeTooLong}},
		{"", []card.Code{card.CodeRequired}},
		{"José", []card.Code{card.CodeCharset}},
		{"Jane\tSmith", []card.Code{card.CodeCharset}},
		{"Jane_Smith!", []card.Code{card.CodeCharset}},
		{"ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ", []card.Code{card.CodeCharset, card.CodeTooLong}},
		{"\xff", []card.Code{card.CodeCharset}},
	}
	for _, tt := range tests {
		err := card.RuleEmbossLine.Validate("emboss.line1", tt.in)
		if tt.codes == nil {
			assert.NoError(t, err, "%q", tt.in)
			continue
		}
		var e *card.Error
		require.ErrorAs(t, err, &e, "%q", tt.in)
		var got []card.Code
		for _, f := range e.Fields {
			assert.Equal(t, "emboss.line1", f.Field)
			got = append(got, f.Code)
		}
		assert.Equal(t, tt.codes, got, "%q", tt.in)
	}
}

func TestTextRules(t *testing.T) {
	// The documented limits, as data an adapter can read.
	want := map[card.TextRule]card.TextLimit{
		card.RuleEmbossLine:  {Min: 1, Max: 21, Charset: card.CharsetEmboss},
		card.RuleNameOnCard:  {Min: 1, Max: 60},
		card.RulePersonName:  {Min: 1, Max: 40},
		card.RuleAccountName: {Min: 1, Max: 100},
		card.RuleAddressLine: {Min: 1, Max: 100},
		card.RuleCity:        {Min: 1, Max: 100},
		card.RuleBillingLine: {Min: 1, Max: 50},
		card.RuleBillingCity: {Min: 1, Max: 25},
		card.RuleMemo:        {Max: 255},
		card.RuleTenant:      {Min: 1, Max: 64},
	}
	for r, l := range want {
		assert.Equal(t, l, r.Limit(), r.String())
	}
	for _, r := range card.TextRuleValues() {
		assert.NotEmpty(t, r.String())
		assert.NotEmpty(t, r.Doc())
		assert.NotZero(t, r.Limit().Max, r.String())
	}
	assert.Equal(t, card.TextLimit{}, card.TextRule(99).Limit())

	// Name on card counts characters, not bytes.
	assert.NoError(t, card.RuleNameOnCard.Validate("name_on_card", strings.Repeat("é", 60)))
	assert.Error(t, card.RuleNameOnCard.Validate("name_on_card", strings.Repeat("é", 61)))
	assert.Error(t, card.RuleNameOnCard.Validate("name_on_card", "a\nb"))

	// A provider's own limit, written with the domain's machinery.
	recipient := card.TextLimit{Max: 30}
	assert.Error(t, recipient.Validate("recipient.first_name", strings.Repeat("x", 31)))
	assert.NoError(t, recipient.Validate("recipient.first_name", ""))
}

func TestCharsets(t *testing.T) {
	assert.True(t, card.CharsetEmboss.Allows('&'))
	assert.False(t, card.CharsetEmboss.Allows('_'))
	assert.True(t, card.CharsetDigits.Allows('7'))
	assert.False(t, card.CharsetDigits.Allows('a'))
	assert.True(t, card.CharsetPrintable.Allows('é'))
	assert.False(t, card.CharsetPrintable.Allows('\n'))
	assert.False(t, card.Charset(42).Allows('a'))
	assert.Equal(t, "digits only", card.CharsetDigits.String())
	assert.Equal(t, "card.Charset(42)", card.Charset(42).String())
}
