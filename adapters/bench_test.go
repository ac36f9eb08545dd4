package adapters_test

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
)

// benchCards are the seed card responses, with the wire struct each
// decodes into.
var benchCards = []struct {
	format, file string
	wire         func() any
}{
	{adapters.Synctera, "synctera/testdata/issue-card.response.json", func() any { return new(synctera.Card) }},
	{adapters.Solid, "solid/testdata/create-card.response.json", func() any { return new(solid.Card) }},
	{adapters.RocketKOR, "rocketkor/testdata/issue-card.response.json", func() any { return new(rocketkor.IssuedCardAccount) }},
	{adapters.OffBlocks, "offblocks/testdata/card-issuing.response.json", func() any { return new(offblocks.Card) }},
}

// BenchmarkTranslate is the whole way of a seed card response through
// cardkit: the provider's JSON decoded (wire.Codec, the JSON v2 engine for
// anything unusual), mapped onto the domain,
// mapped back with its residue and encoded, as Translate does for a
// document going to its own format.
func BenchmarkTranslate(b *testing.B) {
	reg := adapters.New()
	for _, bc := range benchCards {
		in, err := os.ReadFile(bc.file)
		require.NoError(b, err)
		b.Run(bc.format, func(b *testing.B) {
			res, err := reg.Translate(bc.format, bc.format, adapters.KindCard, in)
			require.NoError(b, err)
			require.JSONEq(b, string(in), string(res.Output))
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := reg.Translate(bc.format, bc.format, adapters.KindCard, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJSONFloor is the unavoidable part, with the standard library:
// encoding/json Unmarshal and Marshal of the same wire struct, no mapping.
// (encoding/json reads the struct's unknown-member field, tagged for JSON
// v2, as a member named "Unknown" and writes it as null.)
func BenchmarkJSONFloor(b *testing.B) {
	benchEngine(b, json.Unmarshal, json.Marshal)
}

// BenchmarkJSONv2 is the same as BenchmarkJSONFloor with the JSON v2
// engine the adapters use: the engine comparison.
func BenchmarkJSONv2(b *testing.B) {
	benchEngine(b, func(in []byte, v any) error { return jsonv2.Unmarshal(in, v) },
		func(v any) ([]byte, error) { return jsonv2.Marshal(v) })
}

// benchEngine decodes each seed card response into its wire struct and
// encodes it again with a JSON engine.
func benchEngine(b *testing.B, unmarshal func([]byte, any) error, marshal func(any) ([]byte, error)) {
	for _, bc := range benchCards {
		in, err := os.ReadFile(bc.file)
		require.NoError(b, err)
		b.Run(bc.format, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				w := bc.wire()
				if err := unmarshal(in, w); err != nil {
					b.Fatal(err)
				}
				if _, err := marshal(w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkManyUnknownMembers translates a Synctera card carrying n
// members no field knows, to itself: the time per member must not grow
// with n (ns/member is the figure to compare across n). A hostile document
// of 48,000 such members once took seconds.
func BenchmarkManyUnknownMembers(b *testing.B) {
	for _, n := range []int{1000, 16000} {
		var doc strings.Builder
		doc.WriteString(`{"card_status":"ACTIVE","type":"DEBIT","form":"VIRTUAL"`)
		for i := range n {
			doc.WriteString(`,"u` + strconv.Itoa(i) + `":1`)
		}
		doc.WriteString("}")
		in := []byte(doc.String())
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := adapters.Translate(adapters.Synctera, adapters.Synctera, adapters.KindCard, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/member")
		})
	}
}
