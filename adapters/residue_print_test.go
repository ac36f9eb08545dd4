package adapters_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/showtest"
)

// The tests below take a provider's sample, put a card number where the
// provider may put any text (or digits that read as one once printed
// together), decode it, which succeeds, and check that neither the residue
// nor the wire struct shows a card number (card.HoldsCardNumber) in any
// rendering. (Found by a review; each failed before its fix.)

const printedNumber = "4539578763621486"

// sampleWith is the named sample with old replaced by new once.
func sampleWith(t *testing.T, path, old, new string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	return []byte(strings.Replace(string(b), old, new, 1))
}

func solidSample(t *testing.T, old, new string) []byte {
	return sampleWith(t, "solid/testdata/create-card.response.json", old, new)
}

func assertNoCardNumber(t *testing.T, outs []string) {
	t.Helper()
	for i, out := range outs {
		assert.False(t, card.HoldsCardNumber(out), "rendering #%d: %s", i, out)
	}
}

// assertSolidShowsNoCardNumber decodes doc, a Solid card, which must
// succeed, and checks the residue's renderings and the wire struct's.
func assertSolidShowsNoCardNumber(t *testing.T, doc []byte) {
	t.Helper()
	_, r, err := solid.DecodeCard(doc)
	require.NoError(t, err)
	assertNoCardNumber(t, showtest.Renderings(t, r))
	var w solid.Card
	require.NoError(t, wire.Unmarshal("test", doc, &w))
	assertNoCardNumber(t, showtest.Printed(w))
}

func TestResidueTextPrintsRedacted(t *testing.T) {
	for _, tt := range []struct {
		name     string
		old, new string
	}{
		// An array field (the address types as sent).
		{"address type", `"addressType": "billing"`, `"addressType": "` + printedNumber + `"`},
		// An unexported field (the limit as spelled).
		{"limit amount", `"limitAmount": "120.00"`, `"limitAmount": "` + printedNumber + `"`},
		// Category codes that, printed as a list, spell a number.
		{"categories joined", "\"1234\",\n        \"9878\"", `"4539","5787","6362","1486"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assertSolidShowsNoCardNumber(t, solidSample(t, tt.old, tt.new))
		})
	}
	for _, line := range []string{printedNumber, "Jane%20" + printedNumber} { // an unexported field; after a URL escape
		t.Run("synctera emboss "+line, func(t *testing.T) {
			doc := sampleWith(t, "synctera/testdata/physical-card.response.json", `"line_1": "Jane Smith"`, `"line_1": "`+line+`"`)
			_, r, err := synctera.DecodeCard(doc)
			require.NoError(t, err)
			assertNoCardNumber(t, showtest.Renderings(t, r))
		})
	}
}

// TestRawNumbersKeepJSON: a number in raw JSON (a merchant list) is
// redacted as the string "[redacted]", so that the residue's JSON, and
// slog's JSON handler, still write JSON.
func TestRawNumbersKeepJSON(t *testing.T) {
	for _, list := range []string{`[` + printedNumber + `]`, `[12345678901]`, `[4.539578763621486e15]`, `[4539, 5787, 6362, 1486]`} {
		_, r, err := solid.DecodeCard(solidSample(t, `"theme": ""`, `"theme": "", "allowedMerchants": `+list))
		require.NoError(t, err)
		b, err := json.Marshal(r)
		require.NoError(t, err, list)
		assert.Contains(t, string(b), `"AllowedMerchants":["[redacted]"`, list)
		for _, out := range append(showtest.Printed(r), string(b)) {
			assert.NotContains(t, out, "!ERROR", list)
			assert.False(t, card.HoldsCardNumber(out), "%s: %s", list, out)
		}
	}
}

// TestWireNumbersPrintRedacted: a wire struct's number member prints as
// decoded, unless it could be a card number.
func TestWireNumbersPrintRedacted(t *testing.T) {
	var b solid.ErrorBody
	require.NoError(t, wire.Unmarshal("test", []byte(`{"status":`+printedNumber+`,"message":"x"}`), &b))
	assertNoCardNumber(t, showtest.Printed(b))
	require.NoError(t, wire.Unmarshal("test", []byte(`{"status":404,"message":"x"}`), &b))
	assert.Contains(t, fmt.Sprintf("%+v", b), "Status:404")
}

// TestUnknownNamesJoinedPrintRedacted: unknown members named by groups of
// four digits are listed joined; the list as a whole is redacted.
func TestUnknownNamesJoinedPrintRedacted(t *testing.T) {
	var names []string
	for c := range 10 {
		if s := fmt.Sprintf("453945404541455%d", c); card.HoldsCardNumber(s) {
			names = []string{s[0:4], s[4:8], s[8:12], s[12:16]}
			break
		}
	}
	require.Len(t, names, 4)
	doc := solidSample(t, `"theme": ""`, fmt.Sprintf(`"theme": "", "%s":1, "%s":1, "%s":1, "%s":1`, names[0], names[1], names[2], names[3]))
	assertSolidShowsNoCardNumber(t, doc)
}

// TestWholeRenderingKeepsDates: the whole rendering is redacted only where
// it holds a card number: RocketKOR's two dates side by side, though a
// long run of digits together, print as they are.
func TestWholeRenderingKeepsDates(t *testing.T) {
	doc, err := os.ReadFile("rocketkor/testdata/issue-card.response.json")
	require.NoError(t, err)
	_, r, err := rocketkor.DecodeCard(doc)
	require.NoError(t, err)
	require.Equal(t, "2023-02-09", r.Terms.AcceptedTermsDate)
	for _, verb := range []string{"%v", "%s"} {
		assert.Contains(t, fmt.Sprintf(verb, r), "2023-02-09 2023-02-09", verb)
	}
	assert.Contains(t, fmt.Sprintf("%+v", r), "AcceptedTermsDate:2023-02-09 ReadPrivacyPolicyDate:2023-02-09")
	var w rocketkor.IssuedCardAccount
	require.NoError(t, wire.Unmarshal("test", doc, &w))
	assert.NotContains(t, fmt.Sprintf("%v", w), "[redacted]")
}
