package account_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/card"
)

// TestSetDefaultKeepsTheRule: from any set of accounts that keeps the
// one-default rule, SetDefault keeps it and makes the chosen account the
// default.
func TestSetDefaultKeepsTheRule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "n")
		accounts := make([]account.Account, n)
		for i := range accounts {
			a := integrated()
			a.ID = uuid.New()
			a.Holder.ID = rapid.SampledFrom([]string{"h1", "h2"}).Draw(t, "holder")
			a.Currency = rapid.SampledFrom([]card.Currency{card.CurrencyUSD, card.CurrencyCAD}).Draw(t, "currency")
			accounts[i] = a
		}
		for range rapid.IntRange(0, 20).Draw(t, "changes") {
			i := rapid.IntRange(0, n-1).Draw(t, "make default")
			before := append([]account.Account(nil), accounts...)
			changed := account.SetDefault(accounts, i, t0)
			if err := account.CheckDefaults(accounts); err != nil {
				t.Fatalf("rule broken: %v", err)
			}
			if !accounts[i].Default {
				t.Fatalf("account %d is not the default", i)
			}
			for j := range accounts {
				differs := before[j].Default != accounts[j].Default || before[j].Version != accounts[j].Version
				if differs != contains(changed, j) {
					t.Fatalf("changed list %v is wrong about %d", changed, j)
				}
			}
		}
	})
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// FuzzAccountJSON decodes arbitrary JSON as an account in the neutral
// encoding: no panic, and what decodes re-encodes to a fixed point.
func FuzzAccountJSON(f *testing.F) {
	f.Add(`{"kind":"EXTERNAL","subtype":"CREDIT","currency":"USD","external":{"last_four":"1111","expiry":"2027-12","billing_address":{"country":"CAN"}}}`)
	f.Add(`{"kind":"INTEGRATED","holder":{"kind":"CUSTOMER","id":"x"},"state":"ACTIVE","created_by":{"type":"INTERNAL"}}`)
	f.Add(`{"kind":"NOPE"}`)
	f.Add(`{"verification":{"status":"REVIEW","method":"PRENOTE"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		var a account.Account
		if json.Unmarshal([]byte(in), &a) != nil {
			return
		}
		_ = a.Validate()
		once, err := json.Marshal(a)
		if err != nil {
			return
		}
		var b account.Account
		if err := json.Unmarshal(once, &b); err != nil {
			t.Fatalf("re-decoding %s: %v", once, err)
		}
		twice, err := json.Marshal(b)
		if err != nil || string(once) != string(twice) {
			t.Fatalf("not a fixed point:\n%s\n%s", once, twice)
		}
	})
}
