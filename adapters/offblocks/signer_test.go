package offblocks_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters/offblocks"
)

// TestBadSignersAreRefused: a signer that is not a P-384 key, or a P-384
// key without its private part, is refused when the key is made, not a
// panic then or at the first request (found by a review).
func TestBadSignersAreRefused(t *testing.T) {
	assert.NotPanics(t, func() {
		_, err := offblocks.NewSigner(ed25519.PrivateKey(nil))
		assert.Error(t, err)
	}, "a nil ed25519 key")
	assert.NotPanics(t, func() {
		_, err := offblocks.NewSigningKey(&ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: elliptic.P384()}})
		assert.Error(t, err)
	}, "a P-384 key without D")
}

// TestKeyWithoutPublicPartIsRefused: a P-384 key made of its private
// scalar alone is refused when made (found by a review: it panicked at
// the first request).
func TestKeyWithoutPublicPartIsRefused(t *testing.T) {
	full, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	_, err = offblocks.NewSigningKey(&ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: elliptic.P384()}, D: full.D})
	assert.Error(t, err)
	_, err = offblocks.NewSigningKey(full)
	assert.NoError(t, err, "a whole key")
}

// TestSigningKeysOfOnePiece: a key whose scalar is not its public point's
// is refused (it signed what its public key does not verify); a key whose
// curve is written as P-384's Params is a P-384 key (found by a review).
func TestSigningKeysOfOnePiece(t *testing.T) {
	a, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	b, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	_, err = offblocks.NewSigningKey(&ecdsa.PrivateKey{PublicKey: a.PublicKey, D: b.D})
	assert.Error(t, err, "another key's scalar")
	k, err := offblocks.NewSigningKey(&ecdsa.PrivateKey{PublicKey: ecdsa.PublicKey{Curve: elliptic.P384().Params(), X: a.X, Y: a.Y}, D: a.D})
	require.NoError(t, err, "P-384 by its Params")
	_, err = k.Sign([]byte("base"))
	assert.NoError(t, err)
}
