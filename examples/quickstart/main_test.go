package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, full := range []string{"4111111100001232", "4111111100004566"} {
		if strings.Contains(s, full) {
			t.Errorf("the output shows the full number %s", full)
		}
	}
	for _, want := range []string{
		"41111111****1232", "only PROVIDER may lift a hold placed by PROVIDER",
		"SAME_PAN_SAME_EXPIRY", "and the old card ends", "TERMINATED  LOS", `"status": "ACTIVE"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
}
