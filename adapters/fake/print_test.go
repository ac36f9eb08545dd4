package fake_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/internal/showtest"
)

// TestFakesPrintNoCredentials: a fake keeps the credentials it accepts,
// and a test that prints it (a failing assertion, a log) shows none of them.
func TestFakesPrintNoCredentials(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	ob, err := fake.NewOffBlocks("0b7f2d36-6f7e-4a3e-9d55-7d8b1a2c3e4f", "ob_SECRET", &key.PublicKey, "key-1")
	require.NoError(t, err)
	for _, f := range []any{fake.NewRocketKOR("rk_KEY_SECRET", "rk_SECRET"), fake.NewSynctera("sk_SECRET"), fake.NewSolid("sd_SECRET"), ob} {
		shown := append([]string{fmt.Sprintf("%+v", f), fmt.Sprintf("%#v", f)}, showtest.Renderings(t, f)...)
		for _, s := range shown {
			require.False(t, strings.Contains(s, "SECRET") || strings.Contains(s, "0b7f2d36"), "%T shows a credential: %.300s", f, s)
		}
	}
}
