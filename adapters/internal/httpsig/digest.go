package httpsig

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
)

// Digest algorithms of RFC 9530 that are Active in the IANA registry; the
// deprecated ones (md5, sha, unixsum, ...) are not computed nor trusted.
const (
	DigestSHA256 = "sha-256"
	DigestSHA512 = "sha-512"
)

// ContentDigest returns the Content-Digest header value for body under
// alg: "sha-256=:<base64>:".
func ContentDigest(alg string, body []byte) (string, error) {
	sum, err := digest(alg, body)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(alg)+3+base64.StdEncoding.EncodedLen(len(sum)))
	out = append(append(out, alg...), "=:"...)
	out = base64.StdEncoding.AppendEncode(out, sum)
	return string(append(out, ':')), nil
}

func digest(alg string, body []byte) ([]byte, error) {
	var sum [sha512.Size]byte
	return digestInto(&sum, alg, body)
}

// digestInto computes the digest into sum, so that a caller may keep it on
// its stack.
func digestInto(sum *[sha512.Size]byte, alg string, body []byte) ([]byte, error) {
	switch alg {
	case DigestSHA256:
		s := sha256.Sum256(body)
		return append(sum[:0], s[:]...), nil
	case DigestSHA512:
		*sum = sha512.Sum512(body)
		return sum[:], nil
	}
	return nil, fmt.Errorf("%w: digest algorithm %q", ErrMalformed, alg)
}

// VerifyContentDigest checks a Content-Digest header value against body:
// every member in an algorithm this package knows must match, and at least
// one must be there. Members in other algorithms are ignored, as RFC 9530
// §2 lets a recipient do.
func VerifyContentDigest(header string, body []byte) error {
	if header == "" {
		return fmt.Errorf("%w: header %s", ErrMissing, HeaderContentDigest)
	}
	ms, err := parseDictionary(header)
	if err != nil {
		return fmt.Errorf("%w: header %s", ErrMalformed, HeaderContentDigest)
	}
	checked := 0
	var sum [sha512.Size]byte
	for _, m := range ms {
		want, err := digestInto(&sum, m.key, body)
		if err != nil {
			continue
		}
		if m.bytes == nil || subtle.ConstantTimeCompare(want, m.bytes) != 1 {
			return fmt.Errorf("%w: %s digest of the content", ErrVerify, m.key)
		}
		checked++
	}
	if checked == 0 {
		return fmt.Errorf("%w: no sha-256 or sha-512 member in %s", ErrMissing, HeaderContentDigest)
	}
	return nil
}
