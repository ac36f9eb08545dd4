package adapters_test

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/showtest"
)

// residueCase is a sample whose residue keeps a wire struct of the
// provider's (RocketKOR's createdBy, Synctera's pending_reasons as sent),
// with an unknown member put in that struct.
type residueCase struct {
	name   string
	sample string
	from   string // replaced in the sample by to
	to     string
	encode func(c card.Card, r any) ([]byte, error)
	decode func([]byte) (card.Card, any, error)
}

func residueCases() []residueCase {
	const number = "4539578763621486"
	return []residueCase{
		{
			name: "rocketkor createdBy", sample: "rocketkor/testdata/issue-card.response.json",
			from: `"type": "employee"`, to: `"type": "employee", "pan": "` + number + `"`,
			decode: func(b []byte) (card.Card, any, error) { return rocketkor.DecodeCard(b) },
			encode: func(c card.Card, r any) ([]byte, error) { return rocketkor.EncodeCard(&c, r.(*rocketkor.Residue)) },
		},
		{
			name: "synctera pending_reasons", sample: "synctera/testdata/issue-card.response.json",
			from: `"is_waiting_for_pin": true`, to: `"pan": "` + number + `"`,
			decode: func(b []byte) (card.Card, any, error) { return synctera.DecodeCard(b) },
			encode: func(c card.Card, r any) ([]byte, error) { return synctera.EncodeCard(&c, r.(*synctera.Residue)) },
		},
	}
}

// TestEncodeLeavesResidueAsItWas: encoding reads a residue and never
// writes into it. It used to put the wire structs the residue keeps into
// the new document and write the unknown members back into them, so that
// the residue then showed a member's value (a card number) in its JSON and
// slog, and two encodes of one residue raced.
func TestEncodeLeavesResidueAsItWas(t *testing.T) {
	for _, tt := range residueCases() {
		t.Run(tt.name, func(t *testing.T) {
			in, err := os.ReadFile(tt.sample)
			require.NoError(t, err)
			require.Contains(t, string(in), tt.from)
			in = []byte(strings.Replace(string(in), tt.from, tt.to, 1))
			c, r, err := tt.decode(in)
			require.NoError(t, err)
			before, err := json.Marshal(r)
			require.NoError(t, err)

			first, err := tt.encode(c, r)
			require.NoError(t, err)
			assert.Contains(t, string(first), "4539578763621486", "the provider's JSON carries the member back")
			after, err := json.Marshal(r)
			require.NoError(t, err)
			assert.JSONEq(t, string(before), string(after), "the residue is as it was")
			for _, out := range showtest.Renderings(t, r) {
				assert.NotContains(t, out, "4539578763621486")
			}
			again, err := tt.encode(c, r)
			require.NoError(t, err)
			assert.JSONEq(t, string(first), string(again))

			var wg sync.WaitGroup
			for range 4 { // the race detector's case: one residue, encodes at once
				wg.Go(func() {
					out, err := tt.encode(c, r)
					assert.NoError(t, err)
					assert.JSONEq(t, string(first), string(out))
				})
			}
			wg.Wait()
		})
	}
}

// TestDecodeLeavesWireStructAsItWas: mapping a decoded wire struct reads
// it (but for taking its unknown members, of which the sample has none):
// RocketKOR's used to write the external bank account's tail back into
// it, so that two decodes of one struct raced.
func TestDecodeLeavesWireStructAsItWas(t *testing.T) {
	in, err := os.ReadFile("rocketkor/testdata/issue-card.response.json")
	require.NoError(t, err)
	var w rocketkor.IssuedCardAccount
	require.NoError(t, wire.Unmarshal("test", in, &w))
	require.NotNil(t, w.Embedded.ProviderDetails.ExternalBankAccount, "the sample has one")
	before, err := wire.Marshal(&w)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, r, err := rocketkor.CardFromWire(&w)
			assert.NoError(t, err)
			assert.NotSame(t, w.Embedded.ProviderDetails.ExternalBankAccount, r.ExternalBankAccount)
		})
	}
	wg.Wait()
	after, err := wire.Marshal(&w)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}
