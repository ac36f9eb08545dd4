package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cardkit/cardkit/adapters/wire"
)

// TestNilArguments: nothing to read is no members, not a panic.
func TestNilArguments(t *testing.T) {
	assert.Nil(t, wire.MemberNames(nil))
	assert.Nil(t, wire.MemberNames(42))
	assert.Nil(t, wire.TakeUnknown(nil))
}
