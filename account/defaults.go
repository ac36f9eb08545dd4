package account

import (
	"strconv"
	"time"

	"github.com/cardkit/cardkit/card"
)

// defaultKey is what "one default" is counted over: a holder's accounts in
// one currency, within one tenant.
type defaultKey struct {
	tenant   string
	holder   Holder
	currency card.Currency
}

func keyOf(a *Account) defaultKey { return defaultKey{a.Tenant, a.Holder, a.Currency} }

// CheckDefaults enforces the rule that a holder has at most one default
// account per currency. It returns nil or a *card.Error of kind
// card.ErrInvalid with a problem at "[i].default" for every account after
// the first that breaks the rule.
func CheckDefaults(accounts []Account) error {
	var p card.Problems
	first := map[defaultKey]int{}
	for i := range accounts {
		a := &accounts[i]
		if !a.Default {
			continue
		}
		k := keyOf(a)
		if j, ok := first[k]; ok {
			p.Add("["+strconv.Itoa(i)+"].default", card.CodeConflict,
				"account "+strconv.Itoa(j)+" is already the holder's default in "+a.Currency.String())
			continue
		}
		first[k] = i
	}
	return p.Err("account.CheckDefaults")
}

// SetDefault makes accounts[i] its holder's default account in its currency
// and clears the flag on the holder's other accounts in that currency, as a
// provider does when a new default is set. It returns the indexes of the
// accounts it changed, each with UpdatedAt set to at and Version increased,
// so that a caller stores exactly those.
func SetDefault(accounts []Account, i int, at time.Time) []int {
	if i < 0 || i >= len(accounts) {
		return nil
	}
	k := keyOf(&accounts[i])
	var changed []int
	for j := range accounts {
		a := &accounts[j]
		want := j == i
		if keyOf(a) != k || a.Default == want {
			continue
		}
		a.Default = want
		a.UpdatedAt = at
		a.Version++
		changed = append(changed, j)
	}
	return changed
}
