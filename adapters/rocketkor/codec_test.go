package rocketkor

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// TestCodecs checks each codec's table against its struct's json tags.
func TestCodecs(t *testing.T) {
	for _, c := range []interface{ Check() error }{
		issuedCardAccountJSON, issueRequestJSON, externalCardAccountJSON, cardDetailsJSON, issuedCardJSON,
		embeddedJSON, providerDetailsJSON, externalBankAccountJSON, externalCardJSON, addressJSON, actorJSON,
	} {
		require.NoError(t, c.Check())
	}
}

// FuzzCodecs checks the codecs against the JSON engine: the same values,
// the same errors, the same bytes.
func FuzzCodecs(f *testing.F) {
	adaptertest.Seeds(f, ".json")
	f.Fuzz(func(t *testing.T, in []byte) {
		adaptertest.SameAsEngine(t, issuedCardAccountJSON, in)
		adaptertest.SameAsEngine(t, issueRequestJSON, in)
		adaptertest.SameAsEngine(t, externalCardAccountJSON, in)
		adaptertest.SameUnknown[IssuedCardAccount, *IssuedCardAccount](t, issuedCardAccountJSON, in)
		adaptertest.SameUnknown[IssueRequest, *IssueRequest](t, issueRequestJSON, in)
		adaptertest.SameUnknown[ExternalCardAccount, *ExternalCardAccount](t, externalCardAccountJSON, in)
	})
}

// TestCheckDate checks the date rule against how it was written before,
// as a time of day appended and parsed as RFC 3339.
func TestCheckDate(t *testing.T) {
	old := func(s string) bool {
		return len(s) == len(wire.LayoutDate) && !wire.ParseTime(&card.Problems{}, "", s+"T00:00:00Z").IsZero()
	}
	dates := []string{"2023-02-09", "2023-02-29", "2024-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2023-13-01",
		"2023-00-10", "2023-1-10", "2023-01-1", "+023-01-10", "-023-01-10", "2023/01/10", "20230110", "2023-01-10x",
		" 2023-01-1", "2023-01-32", "2023-04-31", "２０２３-01-10", "2023-01-10T00:00:00Z"}
	for y := 1999; y <= 2001; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				dates = append(dates, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, s := range dates {
		var p card.Problems
		checkDate(&p, "card", "acceptedTermsDate", s)
		assert.Equal(t, old(s), p.Len() == 0, s)
	}
}
