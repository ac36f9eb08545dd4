package rocketkor_test

import "github.com/cardkit/cardkit/adapters/wire"

func marshalNeutral(v any) ([]byte, error) { return wire.MarshalNeutral(v) }
