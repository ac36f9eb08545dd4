package adapters_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cardkit/cardkit/adapters"
	"github.com/cardkit/cardkit/adapters/internal/adaptertest"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/internal/showtest"
)

func TestRegistry(t *testing.T) {
	r := adapters.New()
	assert.Equal(t, []string{"synctera", "solid", "rocketkor", "offblocks", "cardkit"}, r.Formats())
	assert.Equal(t, []adapters.Kind{adapters.KindCard, adapters.KindIssueRequest, adapters.KindAccount}, r.Kinds("rocketkor"))
	assert.Equal(t, []adapters.Kind{adapters.KindCard, adapters.KindIssueRequest}, r.Kinds("solid"))
	assert.Nil(t, r.Kinds("stripe"))
	assert.NotEmpty(t, r.Doc("synctera"))
	assert.Empty(t, (&adapters.Registry{}).Formats())
}

// TestSameFormatIsExact translates every sample to its own format: the
// output is the same JSON value and nothing is dropped.
func TestSameFormatIsExact(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.file, func(t *testing.T) {
			res, err := adapters.Translate(s.format, s.format, s.kind, s.data)
			require.NoError(t, err)
			assert.JSONEq(t, string(s.data), string(res.Output))
			assert.Empty(t, res.Report.Dropped)
		})
	}
}

// TestMatrix translates every sample to every format that has its kind.
// Each translation either succeeds, with output the target reads back and
// a report naming source paths, or fails with a *card.Error naming a field
// and the value (or a missing required field). It logs the matrix.
func TestMatrix(t *testing.T) {
	reg := adapters.New()
	matrix := map[string][]string{}
	for _, s := range samples(t) {
		for _, to := range reg.Formats() {
			if !has(reg.Kinds(to), s.kind) {
				continue
			}
			name := fmt.Sprintf("%s→%s", s.file, to)
			t.Run(name, func(t *testing.T) {
				res, err := reg.Translate(s.format, to, s.kind, s.data)
				key := fmt.Sprintf("%-13s %-9s → %-9s", s.kind, s.format, to)
				if err != nil {
					var e *card.Error
					require.ErrorAs(t, err, &e, "%v", err)
					require.ErrorIs(t, err, card.ErrInvalid)
					require.NotEmpty(t, e.Fields)
					for _, f := range e.Fields {
						require.NotEmpty(t, f.Field, "%v", err)
						if f.Code != card.CodeRequired {
							require.NotEmpty(t, f.Value, "%v", err)
						}
					}
					matrix[key] = append(matrix[key], "✗ "+e.Fields[0].String())
					return
				}
				matrix[key] = append(matrix[key], fmt.Sprintf("✓ %d dropped", len(res.Report.Dropped)))
				back, err := reg.Translate(to, to, s.kind, res.Output)
				require.NoError(t, err, "the target cannot read its own output: %s", res.Output)
				assert.JSONEq(t, string(res.Output), string(back.Output))
				for _, d := range res.Report.Dropped {
					assert.NotEmpty(t, d.Path)
					assert.NotEmpty(t, d.Why)
				}
			})
		}
	}
	keys := make([]string, 0, len(matrix))
	for k := range matrix {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %s\n", k, strings.Join(matrix[k], " | "))
	}
	t.Logf("translation matrix:\n%s", b.String())
}

func has(ks []adapters.Kind, k adapters.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	for _, s := range samples(t) {
		if s.file == path {
			return s.data
		}
	}
	t.Fatalf("no sample %s", path)
	return nil
}

// TestConceptsSurvive checks that what two providers both carry comes
// through a translation.
func TestConceptsSurvive(t *testing.T) {
	res, err := adapters.Translate("synctera", "solid", adapters.KindCard, read(t, "synctera/testdata/issue-card.response.json"))
	require.NoError(t, err)
	out := string(res.Output)
	for _, want := range []string{`"cardStatus":"active"`, `"cardType":"physical"`, `"bin":"debit"`, `"last4":"1234"`,
		`"expiryMonth":"06"`, `"expiryYear":"2025"`, `"embossingPerson":"Jane Smith"`, `"embossingBusiness":"Acme Inc."`,
		`"accountId":"7d943c51-e4ff-4e57-9558-08cab6b963c7"`, `"createdAt":"2010-05-06T12:23:34.321Z"`} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, paths(res.Report.Dropped), "status_reason", "ACT becomes NEW")
	assert.Contains(t, paths(res.Report.Dropped), "id", "a Synctera id is not a Solid id")

	res, err = adapters.Translate("rocketkor", "synctera", adapters.KindCard, read(t, "rocketkor/testdata/issue-card.response.json"))
	require.NoError(t, err)
	out = string(res.Output)
	for _, want := range []string{`"card_status":"ACTIVE"`, `"status_reason":"NEW"`, `"type":"DEBIT"`, `"form":"PHYSICAL"`,
		`"last_four":"4242"`, `"expiration_month":"12"`, `"expiration_year":"27"`, `"card_product_id":"123"`,
		`"reissue_reason":"DAMAGED"`, `"method":"LOCAL_MAIL"`, `"bin":"412345"`} {
		assert.Contains(t, out, want)
	}
	dropped := paths(res.Report.Dropped)
	assert.Contains(t, dropped, "_embedded.providerDetails.cardNumber", "Synctera keeps no full number")
	assert.Contains(t, dropped, "_embedded.providerDetails.usCitizen")
	assert.Contains(t, dropped, "card.billingAddress.addressLine1")
	assert.NotContains(t, out, "412345987442231477")

	res, err = adapters.Translate("solid", "rocketkor", adapters.KindIssueRequest, read(t, "solid/testdata/create-card.request.json"))
	require.Error(t, err, "RocketKOR needs terms no other format holds")
	for _, f := range []string{"card.usCitizen", "card.acceptedTermsDate", "accountHolderId", "card.solution"} {
		adaptertest.FieldErr(t, err, f, "")
	}
	assert.Empty(t, res.Output)
}

func paths(ds []adapters.Dropped) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Path
	}
	return out
}

func TestPANNeverLeavesInTheNeutralFormat(t *testing.T) {
	for _, s := range samples(t) {
		if s.format != "rocketkor" || s.kind == adapters.KindIssueRequest {
			continue
		}
		res, err := adapters.Translate("rocketkor", "cardkit", s.kind, s.data)
		require.NoError(t, err)
		for _, pan := range []string{"412345987442231477", "4242424242424242"} {
			assert.NotContains(t, string(res.Output), pan)
		}
	}
	res, err := adapters.Translate("rocketkor", "cardkit", adapters.KindAccount, read(t, "rocketkor/testdata/external-card.account.json"))
	require.NoError(t, err)
	assert.Contains(t, paths(res.Report.Dropped), "card.cardNumber")
}

func TestErrors(t *testing.T) {
	card0 := read(t, "synctera/testdata/issue-card.response.json")
	for _, tc := range []struct {
		name, from, to string
		kind           adapters.Kind
		in             string
		field, value   string
	}{
		{"unknown source", "stripe", "solid", adapters.KindCard, "{}", "from", "stripe"},
		{"unknown target", "solid", "marqeta", adapters.KindCard, "{}", "to", "marqeta"},
		{"unknown kind", "solid", "synctera", "transfer", "{}", "kind", "transfer"},
		{"kind the format lacks", "solid", "synctera", adapters.KindAccount, "{}", "kind", "account"},
		{"not JSON", "synctera", "solid", adapters.KindCard, "card_status=ACTIVE", "", ""},
		{"a card given as a request", "synctera", "solid", adapters.KindIssueRequest, string(card0), "card_status", "card"},
		{"unknown enum", "synctera", "solid", adapters.KindCard, `{"card_status":"FROZEN","type":"DEBIT","form":"VIRTUAL"}`, "card_status", "FROZEN"},
		{"inexpressible", "synctera", "offblocks", adapters.KindCard, string(card0), "type", "PHYSICAL"},
		{"wrong kind of cardkit document", "cardkit", "cardkit", adapters.KindAccount, `{"schema_version":1,"kind":"card","card":{}}`, "kind", "card"},
		{"cardkit schema", "cardkit", "synctera", adapters.KindCard, `{"schema_version":2,"kind":"card","card":{}}`, "schema_version", "2"},
		{"cardkit unknown member", "cardkit", "synctera", adapters.KindCard, `{"schema_version":1,"kind":"card","card":{"colour":"red"}}`, "card.colour", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := adapters.Translate(tc.from, tc.to, tc.kind, []byte(tc.in))
			require.Error(t, err)
			assert.Empty(t, res.Output)
			var e *card.Error
			require.True(t, errors.As(err, &e), "%T %v", err, err)
			if tc.field != "" || tc.value != "" {
				adaptertest.FieldErr(t, err, tc.field, tc.value)
			}
		})
	}
}

func TestUnknownMembersAreReported(t *testing.T) {
	in := []byte(`{"type":"virtual","status":"active","loyaltyTier":"gold","billingAddress":{"city":"London","country":"GB","flat":"2"}}`)
	res, err := adapters.Translate("offblocks", "offblocks", adapters.KindCard, in)
	require.NoError(t, err)
	assert.Equal(t, []string{"billingAddress.flat", "loyaltyTier"}, res.Report.Unknown)
	assert.JSONEq(t, string(in), string(res.Output))
	res, err = adapters.Translate("offblocks", "solid", adapters.KindCard, in)
	require.NoError(t, err)
	assert.Contains(t, paths(res.Report.Dropped), "loyaltyTier")
	assert.Contains(t, paths(res.Report.Dropped), "billingAddress.flat")
}

// TestThroughCardkit checks that cardkit's neutral format holds everything
// the domain holds: going through it gives the same target document as
// going direct (a full card number aside, which it never holds).
func TestThroughCardkit(t *testing.T) {
	reg := adapters.New()
	checked := 0
	for _, s := range samples(t) {
		neutral, err := reg.Translate(s.format, adapters.Cardkit, s.kind, s.data)
		require.NoError(t, err, s.file)
		for _, to := range reg.Formats() {
			if to == s.format || to == adapters.Cardkit || !has(reg.Kinds(to), s.kind) {
				continue
			}
			direct, err := reg.Translate(s.format, to, s.kind, s.data)
			if err != nil {
				continue
			}
			via, err := reg.Translate(adapters.Cardkit, to, s.kind, neutral.Output)
			require.NoError(t, err, "%s → cardkit → %s", s.file, to)
			// The neutral encoding leaves an empty map or list out, so an
			// empty one ({} or []) may come back as null.
			assert.Equal(t, emptyAsNull(t, direct.Output), emptyAsNull(t, via.Output), "%s → cardkit → %s", s.file, to)
			checked++
		}
	}
	assert.Greater(t, checked, 10)
}

func emptyAsNull(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	var norm func(any) any
	norm = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 {
				return nil
			}
			for k, e := range x {
				x[k] = norm(e)
			}
		case []any:
			if len(x) == 0 {
				return nil
			}
			for i, e := range x {
				x[i] = norm(e)
			}
		}
		return v
	}
	return norm(v)
}

// TestResultShowsNoOutput: a translation into a provider's format may carry
// a card number the format demands; a Result never shows its output, only
// its size and its report, through any fmt verb, slog handler or JSON.
func TestResultShowsNoOutput(t *testing.T) {
	in := read(t, "rocketkor/testdata/issue-card.response.json")
	const pan = "412345987442231477"
	res, err := adapters.Translate("rocketkor", "rocketkor", adapters.KindCard, in)
	require.NoError(t, err)
	require.Contains(t, string(res.Output), pan, "the wire format carries it")
	for _, v := range []any{res, &res, []adapters.Result{res}} {
		for _, s := range showtest.Renderings(t, v) {
			require.NotContains(t, s, pan)
		}
	}
	assert.Equal(t, fmt.Sprintf("adapters.Result{Output: %d bytes, Dropped: [], Unknown: []}", len(res.Output)), fmt.Sprint(res))
}
