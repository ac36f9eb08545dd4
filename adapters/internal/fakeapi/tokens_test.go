package fakeapi

import (
	"testing"
	"time"
)

// TestTokens: an issued token is good until its expiry, only as a Bearer
// header; any other is not.
func TestTokens(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ts := Tokens{TTL: time.Minute}
	tok, exp := ts.Issue(now)
	if !exp.Equal(now.Add(time.Minute)) || len(tok) != 48 {
		t.Fatalf("issued %q until %v", tok, exp)
	}
	for _, tt := range []struct {
		auth string
		at   time.Time
		want bool
	}{
		{"Bearer " + tok, now, true},
		{"Bearer " + tok, exp.Add(-time.Nanosecond), true},
		{"Bearer " + tok, exp, false},
		{tok, now, false},
		{"Basic " + tok, now, false},
		{"Bearer other", now, false},
		{"", now, false},
	} {
		if got := ts.Valid(tt.auth, tt.at); got != tt.want {
			t.Errorf("Valid(%q, %v) = %v", tt.auth, tt.at, got)
		}
	}
}
