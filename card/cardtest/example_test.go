package cardtest_test

import (
	"fmt"

	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/card/cardtest"
)

// myPolicy is a program's own reissue policy: on top of cardkit's rules, a
// virtual card always gets a new number.
func myPolicy(old card.Card, _ card.ReissueReason) card.ReissueOptions {
	return card.ReissueOptions{NewPAN: old.Form == card.FormVirtual}
}

// Draw cards and reasons from the generators and check a policy against the
// reissue table. In a test, use rapid.Check as the package documentation
// shows; here the generators' Example method draws with fixed seeds.
func Example() {
	checked, broken := 0, 0
	for seed := range 200 {
		old := cardtest.Card().Example(seed)
		reason := cardtest.ReissueReason().Example(seed)
		plan, err := card.PlanReissue(&old, reason, myPolicy(old, reason))
		if err != nil {
			continue // a final, unissued or already replaced card
		}
		checked++
		if old.Form == card.FormVirtual && plan.SamePAN {
			broken++
		}
	}
	fmt.Printf("checked %d reissues, %d broke the policy\n", checked, broken)
	p := cardtest.PAN("41111111").Example(1)
	fmt.Println(p.Len() >= 12, p.BIN())
	// Output:
	// checked 46 reissues, 0 broke the policy
	// true 41111111
}
