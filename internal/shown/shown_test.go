package shown_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/internal/shown"
)

func TestRedactJSON(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"a":"4539578763621486"}`, `{"a":"[redacted]"}`},
		{`{"4539578763621486":1}`, `{"[redacted]":1}`},
		{`["45395787\u00363621486", "m1"]`, `["[redacted]","m1"]`},
		{`[4539578763621486, 4.539578763621486e15, 12345678901, 120.5, -3]`, `["[redacted]","[redacted]","[redacted]",120.5,-3]`},
		{`{"when":"2026-12-07T18:36:14.964Z","ok":true,"n":null}`, `{"when":"2026-12-07T18:36:14.964Z","ok":true,"n":null}`},
		// Short numbers side by side that, written with commas, read as one
		// card number; and ones that do not.
		{`[4539, 5787, 6362, 1486]`, `["[redacted]","[redacted]","[redacted]","[redacted]"]`},
		{`{"codes":[1,4539,5787,6362,1486]}`, `{"codes":["[redacted]","[redacted]","[redacted]","[redacted]","[redacted]"]}`},
		{`[3782, 822463, 10005]`, `["[redacted]","[redacted]","[redacted]"]`},
		{`[1, 2, 3, 2026]`, `[1,2,3,2026]`},
		{`{"a":`, `"[redacted]"`},
		{`1 2`, `"[redacted]"`},
		{``, `"[redacted]"`},
	} {
		assert.Equal(t, tt.want, string(shown.RedactJSON([]byte(tt.in))), tt.in)
	}
}
