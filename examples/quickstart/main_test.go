package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
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
	for name, out := range map[string]string{"first": first.String(), "second": second.String()} {
		if m := fullNumber(out); m != "" {
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

// TestQuickstartProviders runs the walk-through against each provider's
// fake over HTTP, with -v, twice on one database: the first run makes real
// requests (and no full number or credential is printed), the second
// replays every step from the database without a request.
func TestQuickstartProviders(t *testing.T) {
	tests := []struct {
		provider string
		want     []string
	}{
		{"synctera", []string{"POST   /v0/cards", "PATCH  /v0/cards/", "TERMINATED  LOS", "and unfreezes it"}},
		{"solid", []string{"POST   /v1/card ", "/replace", "the holder freezes it              not possible at solid"}},
		{"rocketkor", []string{"POST   /v1/api-keys/exchange", "POST   /v1/integrated-cards ", "not possible at rocketkor: stateReason"}},
		{"offblocks", []string{"POST   /v1/auth/token", "PATCH  /v1/simulator/cards/", "reissue for DAMAGED                not possible at offblocks", "and unfreezes it"}},
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "cardkit.db")
			var first, second bytes.Buffer
			if err := run(context.Background(), &first, []string{"-provider", tt.provider, "-v", "-db", db}); err != nil {
				t.Fatal(err)
			}
			out := first.String()
			for _, want := range append(tt.want, "provider: "+tt.provider, "done:", "history of the first card") {
				if !strings.Contains(out, want) {
					t.Errorf("the run lacks %q:\n%s", want, out)
				}
			}
			if m := fullNumber(out); m != "" {
				t.Errorf("the run printed a run of %d digits", len(m))
			}
			for _, secret := range []string{"_test_secret", "sk_test_cardkit", "sd_test_cardkit", "Bearer", "Basic"} {
				if strings.Contains(out, secret) {
					t.Errorf("the run printed %q", secret)
				}
			}
			if err := run(context.Background(), &second, []string{"-provider", tt.provider, "-v", "-db", db}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(second.String(), "replayed:") || strings.Contains(second.String(), "POST ") {
				t.Errorf("the second run did not replay without a request:\n%s", second.String())
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, []string{"-provider", "nobody"}); err == nil {
		t.Error("an unknown provider ran")
	}
}

var (
	uuids  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	digits = regexp.MustCompile(`\d{12,}`)
)

// fullNumber finds a run of 12 or more digits (what could be a card
// number) outside the ids: a UUID's last group is all digits now and then.
func fullNumber(out string) string {
	return digits.FindString(uuids.ReplaceAllString(out, "<id>"))
}

// TestQuickstartFlags: -h is no error, a stray argument and an unknown
// provider are refused before any database is made, and a database walked
// through with one provider is refused to another, saying why.
func TestQuickstartFlags(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, &out, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "cardkit.db")
	for _, args := range [][]string{{"-db", db, "extra"}, {"-db", db, "-provider", "nobody"}} {
		err := run(ctx, &out, args)
		if err == nil {
			t.Errorf("%v ran", args)
		}
		if _, serr := os.Stat(db); serr == nil {
			t.Fatalf("%v (%v) made the database", args, err)
		}
	}
	if err := run(ctx, &out, []string{"-db", db}); err != nil {
		t.Fatal(err)
	}
	// Another provider on the same database is refused, saying why.
	out.Reset()
	err := run(ctx, &out, []string{"-db", db, "-provider", "synctera"})
	if err == nil || !strings.Contains(err.Error(), "with sandbox") || !strings.Contains(err.Error(), "another -db") {
		t.Errorf("synctera on a sandbox database: %v\n%s", err, out.String())
	}
}
