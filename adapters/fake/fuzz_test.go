package fake_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/fake"
	"github.com/cardkit/cardkit/adapters/offblocks"
)

// FuzzOffBlocksVerify gives the OffBlocks fake's verifier any
// Signature-Input, Signature, Content-Digest and body on a request signed
// by the client: never a panic, and a body other than the one signed is
// refused.
func FuzzOffBlocksVerify(f *testing.F) {
	ob := newOffBlocks(f, fake.WithClock(func() time.Time { return t0 }))
	body := issueBody(f, offblocks.Name, offblocksHarness(f).newCard())
	const target = "/v1/accounts/ae61c362-4136-49af-8e01-544457fe265b/cards"
	out, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080"+target, nil)
	require.NoError(f, err)
	require.NoError(f, offblocks.Sign(out, body, ob.creds.SigningKey, ob.creds.KeyID, t0))
	in, sig, digest := out.Header.Get("Signature-Input"), out.Header.Get("Signature"), out.Header.Get("Content-Digest")
	f.Add(in, sig, digest, body)
	f.Add(in, sig, digest, append(body, ' '))
	f.Add(strings.Replace(in, `"content-digest"`, ``, 1), sig, digest, body)
	f.Add(strings.Replace(in, "created=", "created=1", 1), sig, digest, body)
	f.Add(in, sig, "sha-512=:AAAA:", body)
	f.Add("", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, input, signature, contentDigest string, b []byte) {
		r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(b))
		r.Host = "127.0.0.1:8080"
		r.Header.Set("Signature-Input", input)
		r.Header.Set("Signature", signature)
		r.Header.Set("Content-Digest", contentDigest)
		err := ob.fake.Verify(r, b)
		if err == nil && !bytes.Equal(b, body) {
			t.Fatalf("another body verified: %q", b)
		}
	})
}
