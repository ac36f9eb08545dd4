package enum

import (
	"fmt"
	"testing"
)

// TestLookup: a long table, looked up in its index, answers as a scan
// does: every name, the first of two equal names, nothing for the rest.
func TestLookup(t *testing.T) {
	for _, n := range []int{3, scanMax + 1, 250} {
		e := &Enum[uint8]{Type: "x", Entries: make([]Entry, n)}
		for i := 1; i < n; i++ {
			e.Entries[i].Name = fmt.Sprint("N", i)
		}
		e.Entries[n-1].Name = "N1" // a repeated name: the first wins
		for i := 1; i < n-1; i++ {
			if v, ok := e.Lookup(fmt.Sprint("N", i)); !ok || int(v) != i {
				t.Fatalf("table of %d: Lookup(N%d) = %d, %v", n, i, v, ok)
			}
		}
		if v, _ := e.Lookup("N1"); v != 1 {
			t.Fatalf("table of %d: the repeated name found %d, not 1", n, v)
		}
		for _, s := range []string{"", "N0", "n1", fmt.Sprint("N", n)} {
			if _, ok := e.Lookup(s); ok {
				t.Fatalf("table of %d: Lookup(%q) found something", n, s)
			}
		}
	}
}
