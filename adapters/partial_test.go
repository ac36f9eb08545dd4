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
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/card"
)

// TestPartialNumberFieldsHoldNoWholeNumber puts a whole card number, as it
// is and written in groups, where a format shows part of one (the last
// four, a BIN, a masked number): decoding refuses it naming the field, and
// neither the error, in any form, nor anything else repeats the digits.
func TestPartialNumberFieldsHoldNoWholeNumber(t *testing.T) {
	const pan = "4539578763621486"
	type partial struct {
		format               string
		kind                 adapters.Kind
		sample, value, field string
	}
	for _, tc := range []partial{
		{"synctera", adapters.KindCard, "synctera/testdata/issue-card.response.json", `"last_four": "1234"`, "last_four"},
		{"synctera", adapters.KindCard, "synctera/testdata/issue-card.response.json", `"bin": "<string>"`, "bin"},
		{"solid", adapters.KindCard, "solid/testdata/create-card.response.json", `"last4": "5275"`, "last4"},
		{"rocketkor", adapters.KindCard, "rocketkor/testdata/issue-card.response.json", `"cardNumberTail": "4242"`, "card.cardNumberTail"},
		{"rocketkor", adapters.KindCard, "rocketkor/testdata/issue-card.response.json", `"maskedAccountNumber": "******4823"`, "maskedAccountNumber"},
		{"rocketkor", adapters.KindCard, "rocketkor/testdata/issue-card.response.json", `"startingNumber": "412345"`, "_embedded.providerDetails.startingNumber"},
		{"rocketkor", adapters.KindCard, "rocketkor/testdata/issue-card.response.json", `"accountNumberTail": "22"`, "_embedded.providerDetails.externalBankAccount.accountNumberTail"},
		{"rocketkor", adapters.KindIssueRequest, "rocketkor/testdata/issue-card.request.json", `"startingNumber": "412345"`, "card.startingNumber"},
	} {
		for _, written := range []string{pan, "4539 5787 6362 1486", "4539.5787.6362.1486"} {
			t.Run(tc.field+"/"+written, func(t *testing.T) {
				in, err := os.ReadFile(tc.sample)
				require.NoError(t, err)
				name, _, _ := strings.Cut(tc.value, ":")
				edited := strings.Replace(string(in), tc.value, name+`: "`+written+`"`, 1)
				require.NotEqual(t, string(in), edited, "the sample has %s", tc.value)
				res, err := adapters.Translate(tc.format, "cardkit", tc.kind, []byte(edited))
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

// TestEncodersRefuseWholeNumberInPartialFields puts a whole card number in
// the fields of a neutral card that hold part of one (the last four, the
// BIN): each format's encoder refuses it naming its own field, without
// repeating it, instead of writing it out.
func TestEncodersRefuseWholeNumberInPartialFields(t *testing.T) {
	const pan = "4539578763621486"
	type format struct {
		sample string
		decode func([]byte) (card.Card, error)
		encode func(*card.Card) ([]byte, error)
	}
	formats := map[string]format{
		"synctera": {"synctera/testdata/issue-card.response.json",
			func(b []byte) (card.Card, error) { c, _, err := synctera.DecodeCard(b); return c, err },
			func(c *card.Card) ([]byte, error) { return synctera.EncodeCard(c, nil) }},
		"solid": {"solid/testdata/create-card.response.json",
			func(b []byte) (card.Card, error) { c, _, err := solid.DecodeCard(b); return c, err },
			func(c *card.Card) ([]byte, error) { return solid.EncodeCard(c, nil) }},
		"rocketkor": {"rocketkor/testdata/issue-card.response.json",
			func(b []byte) (card.Card, error) { c, _, err := rocketkor.DecodeCard(b); return c, err },
			func(c *card.Card) ([]byte, error) { return rocketkor.EncodeCard(c, nil) }},
	}
	for _, tc := range []struct {
		format, field string
		set           func(*card.Card)
	}{
		{"synctera", "last_four", func(c *card.Card) { c.LastFour = pan }},
		{"synctera", "bin", func(c *card.Card) { c.BIN = pan }},
		{"solid", "last4", func(c *card.Card) { c.LastFour = pan }},
		{"rocketkor", "card.cardNumberTail", func(c *card.Card) { c.LastFour = pan }},
	} {
		t.Run(tc.format+"/"+tc.field, func(t *testing.T) {
			f := formats[tc.format]
			in, err := os.ReadFile(f.sample)
			require.NoError(t, err)
			c, err := f.decode(in)
			require.NoError(t, err)
			_, err = f.encode(&c)
			require.NoError(t, err, "the sample encodes as it is")
			tc.set(&c)
			out, err := f.encode(&c)
			require.ErrorIs(t, err, card.ErrInvalid)
			var ce *card.Error
			require.ErrorAs(t, err, &ce)
			assert.True(t, ce.Has(tc.field, card.CodeFormat), "%v", err)
			assert.Nil(t, out)
			js, _ := json.Marshal(err)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), string(js)} {
				assert.NotContains(t, text, pan)
			}
		})
	}
}

// TestFreeTextHoldsNoCardNumber: a card whose free text (a memo, a label,
// an emboss line, metadata) holds a whole card number is refused by every
// translation, naming the source's field, and the number is not repeated:
// no format writes one there, cardkit's own least of all.
// shipTo makes the Synctera card doc a physical one shipped to a US
// address, with the phone, state and postal code given where not "".
func shipTo(d map[string]any, phone, state, postal string) {
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	d["form"] = "PHYSICAL"
	d["shipping"] = map[string]any{
		"method": "LOCAL_MAIL", "phone_number": or(phone, "+14155550123"),
		"address": map[string]any{"address_line_1": "1 Main St", "city": "San Mateo",
			"state": or(state, "CA"), "postal_code": or(postal, "94403"), "country_code": "US"},
	}
}

func TestFreeTextHoldsNoCardNumber(t *testing.T) {
	const pan = "4539 5787 6362 1486"
	in, err := os.ReadFile("synctera/testdata/issue-card.response.json")
	require.NoError(t, err)
	neutral, err := adapters.Translate("synctera", "cardkit", adapters.KindCard, in)
	require.NoError(t, err)
	for _, tc := range []struct {
		from, field string
		edit        func(doc map[string]any)
	}{
		{"synctera", "memo", func(d map[string]any) { d["memo"] = "lost " + pan }},
		{"synctera", "emboss_name.line_2", func(d map[string]any) { d["emboss_name"] = map[string]any{"line_1": "JANE", "line_2": pan} }},
		{"synctera", "metadata", func(d map[string]any) { d["metadata"] = map[string]any{"note": pan} }},
		{"cardkit", "label", func(d map[string]any) { d["card"].(map[string]any)["label"] = "my " + pan }},
		{"cardkit", "holder.name.last", func(d map[string]any) {
			d["card"].(map[string]any)["holder"].(map[string]any)["name"] = map[string]any{"last": pan}
		}},
		// Ids, codes and numbers a source fills in are written out again too.
		{"synctera", "business_id", func(d map[string]any) { d["business_id"] = pan }},
		{"synctera", "shipping.phone_number", func(d map[string]any) { shipTo(d, pan, "", "") }},
		{"synctera", "shipping.address.state", func(d map[string]any) { shipTo(d, "", pan, "") }},
		{"synctera", "shipping.address.postal_code", func(d map[string]any) { shipTo(d, "", "", pan) }},
		{"cardkit", "product_id", func(d map[string]any) { d["card"].(map[string]any)["product_id"] = pan }},
		{"cardkit", "provider_refs[\"solid\"]", func(d map[string]any) {
			d["card"].(map[string]any)["provider_refs"] = map[string]any{"solid": pan}
		}},
	} {
		for _, to := range []string{"cardkit", "synctera", "solid", "rocketkor", "offblocks"} {
			t.Run(tc.from+"/"+tc.field+"/"+to, func(t *testing.T) {
				src := map[string][]byte{"synctera": in, "cardkit": neutral.Output}[tc.from]
				var doc map[string]any
				require.NoError(t, json.Unmarshal(src, &doc))
				tc.edit(doc)
				edited, err := json.Marshal(doc)
				require.NoError(t, err)
				res, err := adapters.Translate(tc.from, to, adapters.KindCard, edited)
				require.ErrorIs(t, err, card.ErrInvalid)
				var ce *card.Error
				require.ErrorAs(t, err, &ce)
				assert.True(t, ce.Has(tc.field, card.CodeNotAllowed), "%v", err)
				assert.Nil(t, res.Output)
				js, _ := json.Marshal(err)
				for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), string(js)} {
					assert.NotContains(t, strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(pan, " ", ""))
				}
			})
		}
	}
}

// TestTrackingNumberIsNotJudged: a carrier's tracking number is no card
// number, though one USPS number in 20, printed in groups of four, holds a
// span that reads as one.
func TestTrackingNumberIsNotJudged(t *testing.T) {
	b, err := os.ReadFile("synctera/testdata/physical-card.response.json")
	require.NoError(t, err)
	const usps = "9400 5413 4002 5527 9079 17"
	require.True(t, card.HoldsCardNumber(usps), "the case this test is about")
	in := strings.Replace(string(b), `"tracking_number": "794612345678"`, `"tracking_number": "`+usps+`"`, 1)
	require.NotEqual(t, string(b), in)
	res, err := adapters.Translate(adapters.Synctera, adapters.Cardkit, adapters.KindCard, []byte(in))
	require.NoError(t, err)
	assert.Contains(t, string(res.Output), usps)
}
