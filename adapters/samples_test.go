package adapters_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
)

// sample is a golden payload of one provider package.
type sample struct {
	format string
	kind   adapters.Kind
	file   string
	data   []byte
}

// samples lists every seed sample (and every sample a provider's testdata
// adds) by the kind its name says: .response.json a card, .request.json an
// issue request, .account.json an account.
func samples(t testing.TB) []sample {
	t.Helper()
	var out []sample
	for _, format := range []string{adapters.Synctera, adapters.Solid, adapters.RocketKOR, adapters.OffBlocks} {
		files, err := filepath.Glob(filepath.Join(format, "testdata", "*.json"))
		require.NoError(t, err)
		sort.Strings(files)
		for _, f := range files {
			var kind adapters.Kind
			switch {
			case strings.HasSuffix(f, ".domain.json"):
				continue
			case strings.HasSuffix(f, ".response.json"):
				kind = adapters.KindCard
			case strings.HasSuffix(f, ".request.json"):
				kind = adapters.KindIssueRequest
			case strings.HasSuffix(f, ".account.json"):
				kind = adapters.KindAccount
			default:
				t.Fatalf("%s: no kind in its name", f)
			}
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			out = append(out, sample{format: format, kind: kind, file: f, data: b})
		}
	}
	require.NotEmpty(t, out)
	return out
}
