package adapters

import (
	"strconv"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// SchemaVersion is the version of cardkit's neutral format that this
// package reads and writes.
const SchemaVersion = 1

// Document is a document in cardkit's neutral format: the domain value of
// a card (kind card or issue-request) or an account (kind account), in the
// domain's own JSON encoding, which never holds a full card number.
type Document struct {
	SchemaVersion int              `json:"schema_version"`
	Kind          Kind             `json:"kind"`
	Card          *card.Card       `json:"card,omitzero"`
	Account       *account.Account `json:"account,omitzero"`
}

// neutralResidue is the cardkit format's residue: it holds nothing beyond
// the domain value.
type neutralResidue struct{}

func (neutralResidue) Dropped() []card.FieldError   { return nil }
func (neutralResidue) UnknownMembers() wire.Unknown { return nil }

func decodeDocument(data []byte, kind Kind) (Document, error) {
	var d Document
	if err := wire.UnmarshalNeutral("cardkit.Decode", data, &d); err != nil {
		return Document{}, err
	}
	var p card.Problems
	if d.SchemaVersion != SchemaVersion {
		p.AddValue("schema_version", card.CodeUnknownValue, strconv.Itoa(d.SchemaVersion), "this cardkit reads schema version 1")
	}
	if d.Kind != kind {
		p.AddValue("kind", card.CodeMismatch, string(d.Kind), "expected a "+string(kind)+" document")
	}
	switch {
	case kind == KindAccount && d.Account == nil:
		p.Add("account", card.CodeRequired, "")
	case kind != KindAccount && d.Card == nil:
		p.Add("card", card.CodeRequired, "")
	case kind == KindAccount && d.Card != nil:
		p.Add("card", card.CodeNotAllowed, "an account document holds an account")
	case kind != KindAccount && d.Account != nil:
		p.Add("account", card.CodeNotAllowed, "a card document holds a card")
	}
	return d, p.Err("cardkit.Decode")
}

func neutralCardCodec(kind Kind) codec {
	return codec{
		decode: func(b []byte) (value, error) {
			d, err := decodeDocument(b, kind)
			if err != nil {
				return value{}, err
			}
			return value{card: d.Card, residue: neutralResidue{}}, nil
		},
		encode: func(v value, _ bool) ([]byte, error) {
			if v.card == nil {
				return nil, errNoValue
			}
			return wire.MarshalNeutral(Document{SchemaVersion: SchemaVersion, Kind: kind, Card: v.card})
		},
		fields: nil, // the neutral paths are cardkit's own
	}
}

func neutralAccountCodec() codec {
	return codec{
		decode: func(b []byte) (value, error) {
			d, err := decodeDocument(b, KindAccount)
			if err != nil {
				return value{}, err
			}
			return value{account: d.Account, residue: neutralResidue{}}, nil
		},
		encode: func(v value, _ bool) ([]byte, error) {
			if v.account == nil {
				return nil, errNoValue
			}
			return wire.MarshalNeutral(Document{SchemaVersion: SchemaVersion, Kind: KindAccount, Account: v.account})
		},
	}
}
