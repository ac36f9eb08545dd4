package fakeapi

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// Tokens are the bearer tokens a fake has issued, each good until its
// expiry. The fake's Mu guards them.
type Tokens struct {
	TTL    time.Duration // the life of the tokens issued from now on
	expiry map[string]time.Time
}

// Issue makes a random token, good from now for TTL.
func (t *Tokens) Issue(now time.Time) (token string, expires time.Time) {
	var b [24]byte
	_, _ = rand.Read(b[:])
	token, expires = hex.EncodeToString(b[:]), now.Add(t.TTL)
	if t.expiry == nil {
		t.expiry = map[string]time.Time{}
	}
	t.expiry[token] = expires
	return token, expires
}

// Valid reports whether authorization, an Authorization header, is
// "Bearer " and a token issued here that has not expired at now.
func (t *Tokens) Valid(authorization string, now time.Time) bool {
	tok, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok {
		return false
	}
	exp, ok := t.expiry[tok]
	return ok && now.Before(exp)
}
