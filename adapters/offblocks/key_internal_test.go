package offblocks

import "testing"

// TestWireKey: no key means no Idempotency-Key, not one derived from "",
// which every unkeyed call would share (a second one was refused as a key
// reused, or answered with the first's card).
func TestWireKey(t *testing.T) {
	if got := wireKey("", ""); got != "" {
		t.Errorf(`wireKey("") = %q`, got)
	}
	if got, want := wireKey("k", "simulate-issue"), KeyFor("k", "simulate-issue").String(); got != want {
		t.Errorf("wireKey(k) = %q, want %q", got, want)
	}
}
