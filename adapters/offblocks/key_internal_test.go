package offblocks

import (
	"context"
	"errors"
	"testing"

	"github.com/cardkit/cardkit/card"
)

// TestCallsNeedAKey: a call without an idempotency key is refused before
// anything is sent (the zero Client would panic if it were): OffBlocks
// refuses one, and every such call would share the key derived from "".
func TestCallsNeedAKey(t *testing.T) {
	var c Client
	ctx := context.Background()
	_, err := c.IssueCard(ctx, "", card.Card{})
	checkRequired(t, err)
	_, err = c.ChangeStatus(ctx, "", card.Card{}, card.Move{To: card.StatusActive})
	checkRequired(t, err)
	checkRequired(t, c.SimulateIssue(ctx, "", "crd"))
}

func checkRequired(t *testing.T, err error) {
	t.Helper()
	var ce *card.Error
	if !errors.As(err, &ce) || !ce.Has("idempotency_key", card.CodeRequired) {
		t.Fatalf("want idempotency_key required, got %v", err)
	}
}
