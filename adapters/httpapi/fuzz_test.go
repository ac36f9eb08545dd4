package httpapi_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cardkit/cardkit/adapters/httpapi"
)

// FuzzRetryAfter reads any Retry-After value: never a panic, never a
// negative wait, and delay-seconds read exactly when they fit.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"", "0", "3", "120", "-1", "+5", "soon", "1.5", " 3", "9223372036854775807", "99999999999999999999",
		now.Add(7 * time.Second).Format(http.TimeFormat), "Thu, 01 Jan 1970 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{"Retry-After": {v}}
		d := httpapi.RetryAfter(h, now)
		if d < 0 {
			t.Fatalf("RetryAfter(%q) = %v", v, d)
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 && n <= int64(1<<63-1)/int64(time.Second) && d != time.Duration(n)*time.Second {
			t.Fatalf("RetryAfter(%q) = %v, want %d s", v, d, n)
		}
	})
}

// FuzzScrub checks Scrub against its definition: every run of 11 or more
// digits, ASCII or full-width (counting across up to eight separators
// between them: spaces of every width, tabs, line breaks, hyphens and
// dashes, dots, commas, slashes, underscores, "+" and "%20"; 12 across a
// dot),
// replaced, and nothing else touched.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"", "card 4111111111111111 refused", "41111111111 and 5500000000000004", "id 1234567890 ok",
		"12345678901", "x12345678901", "1234567890123456789012345678901234567890", "٤١١١١١١١١١١١١١١١",
		"4111 1111 1111 1111", "4111-1111-1111-1111-", "1234-5678 90", "1234-5678 901", "1 2 3 4 5 6 7 8 9 0 1", "12  345678901",
		"4539.5787.6362.1486", "26.923705379", "4539_5787/6362\t1486", "４５３９５７８７６３６２１４８６", "1234    5678901",
		"4539+5787%206362\u00a01486", "4539\u2013\u2011\u22125787\r\n6362\u200b1486", "４５３９－５７８７\u3000６３６２．１４８６",
		"12%2034567890", "1%20%2020345678901", "4539         5787 6362 1486",
		"4539,5787,6362,1486", "at 15:12:26, id 12345678901"} {
		f.Add(s)
	}
	const sep = `(?:[ \t\n\r\-.,/_+\x{a0}\x{2007}\x{2009}\x{200b}\x{202f}\x{3000}\x{2010}-\x{2014}\x{2212}\x{ff0d}-\x{ff0f}]|%20)`
	runs := regexp.MustCompile(`[0-9０-９](?:` + sep + `{0,8}[0-9０-９])*`)
	digit := regexp.MustCompile(`[0-9０-９]`)
	f.Fuzz(func(t *testing.T, s string) {
		got := httpapi.Scrub(s)
		want := runs.ReplaceAllStringFunc(s, func(run string) string {
			n := len(digit.FindAllString(strings.ReplaceAll(run, "%20", " "), -1))
			if n >= 12 || n >= 11 && !strings.ContainsAny(run, ".．") {
				return "[redacted]"
			}
			return run
		})
		if got != want {
			t.Fatalf("Scrub(%q) = %q, want %q", s, got, want)
		}
	})
}
