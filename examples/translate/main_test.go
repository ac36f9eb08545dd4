package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
)

func translate(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// kindOf reads a sample's kind from its name, as the adapters' tests do.
func kindOf(name string) adapters.Kind {
	switch {
	case strings.HasSuffix(name, ".response.json"):
		return adapters.KindCard
	case strings.HasSuffix(name, ".request.json"):
		return adapters.KindIssueRequest
	case strings.HasSuffix(name, ".account.json"):
		return adapters.KindAccount
	}
	return ""
}

// TestEverySampleEveryPair runs the command over every seed sample for
// every pair of formats where the kind exists: it prints the target JSON
// and one line per dropped field, or fails with one line naming a field.
func TestEverySampleEveryPair(t *testing.T) {
	reg := adapters.New()
	files, err := filepath.Glob("../../adapters/*/testdata/*.json")
	require.NoError(t, err)
	runs := 0
	for _, file := range files {
		kind := kindOf(file)
		if kind == "" || strings.HasSuffix(file, ".domain.json") {
			continue
		}
		from := filepath.Base(filepath.Dir(filepath.Dir(file)))
		in, err := os.ReadFile(file)
		require.NoError(t, err)
		for _, to := range reg.Formats() {
			if !contains(reg.Kinds(to), kind) {
				continue
			}
			runs++
			t.Run(strings.TrimPrefix(file, "../../adapters/")+"→"+to, func(t *testing.T) {
				code, stdout, stderr := translate(t, in, "-from", from, "-to", to, "-kind", string(kind))
				lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
				if code != 0 {
					assert.Equal(t, 1, code)
					assert.Empty(t, stdout, "nothing on stdout on failure")
					require.Len(t, lines, 1, "one line on stderr: %q", stderr)
					assert.Regexp(t, `^translate: .*: [a-zA-Z_.\[\]0-9]+: [a-z_]+`, lines[0])
					return
				}
				require.True(t, json.Valid([]byte(stdout)), "stdout is JSON: %s", stdout)
				assert.True(t, strings.HasPrefix(stdout, "{\n  "), "indented")
				for _, l := range lines {
					if l != "" {
						assert.Regexp(t, `^(dropped [^ ]+: |kept unknown member )`, l)
					}
				}
			})
		}
	}
	assert.Greater(t, runs, 40)
}

func contains(ks []adapters.Kind, k adapters.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func sample(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../adapters/" + path)
	require.NoError(t, err)
	return b
}

func TestBadInput(t *testing.T) {
	syn := sample(t, "synctera/testdata/issue-card.response.json")
	for _, tc := range []struct {
		name string
		in   []byte
		args []string
		want string // in the one line on stderr
	}{
		{"not JSON", []byte("card_status=ACTIVE"), []string{"-from", "synctera", "-to", "solid"}, "not valid JSON"},
		{"empty input", nil, []string{"-from", "synctera", "-to", "solid"}, "not valid JSON"},
		{"wrong kind", syn, []string{"-from", "synctera", "-to", "solid", "-kind", "issue-request"}, `card_status: not_allowed "card"`},
		{"cardkit wrong kind", []byte(`{"schema_version":1,"kind":"account","account":{}}`), []string{"-from", "cardkit", "-to", "synctera"}, `kind: mismatch "account"`},
		{"inexpressible", syn, []string{"-from", "synctera", "-to", "offblocks"}, `type: not_allowed "PHYSICAL"`},
		{"unknown enum", []byte(`{"card_status":"FROZEN","type":"DEBIT","form":"VIRTUAL"}`), []string{"-from", "synctera", "-to", "solid"}, `card_status: unknown_value "FROZEN"`},
		{"unknown format", syn, []string{"-from", "stripe", "-to", "solid"}, `from: unknown_value "stripe"`},
		{"no format", syn, []string{"-to", "solid"}, "-from and -to are required"},
		{"strict", syn, []string{"-from", "synctera", "-to", "solid", "-strict"}, "-strict: solid cannot carry"},
		{"duplicate member", []byte(`{"card_status":"ACTIVE","card_status":"TERMINATED","type":"DEBIT","form":"VIRTUAL"}`), []string{"-from", "synctera", "-to", "solid"}, `card_status: duplicate`},
		{"a card number that fails Luhn", bytes.Replace(sample(t, "rocketkor/testdata/issue-card.response.json"), []byte("412345987442231477"), []byte("412345987442231478"), 1),
			[]string{"-from", "rocketkor", "-to", "synctera"}, "_embedded.providerDetails.cardNumber: checksum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := translate(t, tc.in, tc.args...)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			assert.Contains(t, stderr, tc.want)
			assert.NotContains(t, stderr, "41234598744223147")
		})
	}
}

func TestGoodInput(t *testing.T) {
	code, stdout, stderr := translate(t, sample(t, "synctera/testdata/issue-card.response.json"), "-from", "synctera", "-to", "solid", "-kind", "card")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"cardStatus": "active"`)
	assert.Contains(t, stderr, "dropped expiration_time: ")
	assert.Contains(t, stderr, "dropped status_reason: solid cannot express \"ACT\"")

	in := []byte(`{"type":"virtual","status":"active","tier":"gold"}`)
	code, stdout, stderr = translate(t, in, "-from", "offblocks", "-to", "offblocks")
	require.Equal(t, 0, code, stderr)
	assert.JSONEq(t, string(in), stdout)
	assert.Equal(t, "kept unknown member tier\n", stderr)
}

func TestList(t *testing.T) {
	code, stdout, stderr := translate(t, nil, "-list")
	require.Equal(t, 0, code)
	assert.Empty(t, stderr)
	for _, want := range []string{"synctera", "solid", "rocketkor", "offblocks", "cardkit", "issue-request", "account"} {
		assert.Contains(t, stdout, want)
	}
}
