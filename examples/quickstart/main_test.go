package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestQuickstart runs the quickstart twice on one database: the first run
// does the work, the second replays it, and neither prints a full number.
func TestQuickstart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cardkit.db")
	var first, second bytes.Buffer
	if err := run(context.Background(), &first, []string{"-db", db}); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &second, []string{"-db", db}); err != nil {
		t.Fatal(err)
	}
	full := regexp.MustCompile(`\d{12,}`)
	for name, out := range map[string]string{"first": first.String(), "second": second.String()} {
		if m := full.FindString(out); m != "" {
			t.Errorf("the %s run printed a run of %d digits", name, len(m))
		}
		for _, want := range []string{
			"issue a physical card", "UNACTIVATED", "reissue for DAMAGED", "and the old card ends with it",
			"TERMINATED  REQ", "TERMINATED  LOS", "the holder freezes it", "history of the first card",
			"ended", "as synctera", "as rocketkor",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the %s run lacks %q", name, want)
			}
		}
	}
	if !strings.Contains(first.String(), "opened") || !strings.Contains(first.String(), "done:") {
		t.Errorf("the first run did not do the work:\n%s", first.String())
	}
	if !strings.Contains(second.String(), "found") || !strings.Contains(second.String(), "replayed:") {
		t.Errorf("the second run did not replay:\n%s", second.String())
	}
	// The same cards, step for step.
	ids := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	a, b := ids.FindAllString(first.String(), -1), ids.FindAllString(second.String(), -1)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("the runs show different cards:\n%v\n%v", a, b)
	}
}
