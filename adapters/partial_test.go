package adapters_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/card"
)

// TestPartialNumberFieldsHoldNoWholeNumber puts a whole card number, as it
// is and written in groups, where a format shows part of one (the last
// four, a BIN, a masked number): decoding refuses it naming the field, and
// neither the error, in any form, nor anything else repeats the digits.
func TestPartialNumberFieldsHoldNoWholeNumber(t *testing.T) {
	const pan = "4539578763621486"
	for _, tc := range []struct{ format, sample, value, field string }{
		{"synctera", "synctera/testdata/issue-card.response.json", `"last_four": "1234"`, "last_four"},
		{"synctera", "synctera/testdata/issue-card.response.json", `"bin": "<string>"`, "bin"},
		{"solid", "solid/testdata/create-card.response.json", `"last4": "5275"`, "last4"},
		{"rocketkor", "rocketkor/testdata/issue-card.response.json", `"cardNumberTail": "4242"`, "card.cardNumberTail"},
		{"rocketkor", "rocketkor/testdata/issue-card.response.json", `"maskedAccountNumber": "******4823"`, "maskedAccountNumber"},
	} {
		for _, written := range []string{pan, "4539 5787 6362 1486", "4539.5787.6362.1486"} {
			t.Run(tc.field+"/"+written, func(t *testing.T) {
				in, err := os.ReadFile(tc.sample)
				require.NoError(t, err)
				name, _, _ := strings.Cut(tc.value, ":")
				edited := strings.Replace(string(in), tc.value, name+`: "`+written+`"`, 1)
				require.NotEqual(t, string(in), edited, "the sample has %s", tc.value)
				res, err := adapters.Translate(tc.format, "cardkit", adapters.KindCard, []byte(edited))
				require.ErrorIs(t, err, card.ErrInvalid)
				var ce *card.Error
				require.ErrorAs(t, err, &ce)
				assert.True(t, ce.Has(tc.field, card.CodeFormat), "%v", err)
				js, _ := json.Marshal(err)
				for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), string(js), string(res.Output)} {
					assert.NotContains(t, strings.NewReplacer(" ", "", ".", "").Replace(text), pan)
				}
			})
		}
	}
}
