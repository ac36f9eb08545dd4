package wire

import (
	"fmt"

	"github.com/cardkit/cardkit/card"
)

// Dir says which way a mapping row applies.
type Dir uint8

// Directions. A row that applies both ways is the provider's own spelling of
// the domain value; a row that applies only on the way out is one of several
// domain values that the provider writes the same way.
const (
	Both Dir = iota // wire ⇄ domain
	In              // wire → domain only
	Out             // domain → wire only
)

// String returns "⇄", "→" or "←" read from the wire's side.
func (d Dir) String() string {
	switch d {
	case Both:
		return "⇄"
	case In:
		return "→"
	case Out:
		return "←"
	}
	return "?"
}

// Mapping is one row of an adapter's mapping tables, for listing: the
// provider's field, its spelling, the domain value and the direction.
type Mapping struct {
	Field  string // the provider's JSON path, such as "card_status"
	Wire   string // the provider's spelling
	Domain string // the domain value's canonical name
	Dir    Dir
}

// String writes the row as "card_status: ACTIVE ⇄ ACTIVE".
func (m Mapping) String() string {
	return m.Field + ": " + m.Wire + " " + m.Dir.String() + " " + m.Domain
}

// Row pairs a provider's spelling with a domain value.
type Row[W, D comparable] struct {
	Wire   W
	Domain D
	Dir    Dir
}

// Table maps one provider field's spellings to a domain enum and back. Its
// rows are literal, so that they can be read against the provider's
// document; a value without a row is an error, never a default.
type Table[W, D comparable] struct {
	Field string // the provider's JSON path, relative to the object it sits in
	What  string // what the values are, for errors: "Synctera card type"
	Rows  []Row[W, D]
}

// Decode maps the provider's spelling w to the domain. An unknown spelling
// is a *card.Error (kind card.ErrInvalid, code card.CodeUnknownValue)
// naming the field and the value.
func (t *Table[W, D]) Decode(w W) (D, error) {
	for _, r := range t.Rows {
		if r.Dir != Out && r.Wire == w {
			return r.Domain, nil
		}
	}
	var zero D
	return zero, card.UnknownValue("wire.Decode", t.Field, fmt.Sprint(w), t.What)
}

// Encode maps the domain value d to the provider's spelling. A value the
// provider cannot express is a *card.Error (kind card.ErrInvalid, code
// card.CodeNotAllowed) naming the field and the value.
func (t *Table[W, D]) Encode(d D) (W, error) {
	for _, r := range t.Rows {
		if r.Dir != In && r.Domain == d {
			return r.Wire, nil
		}
	}
	var zero W
	return zero, Inexpressible(t.Field, fmt.Sprint(d), t.What)
}

// Mappings lists the rows.
func (t *Table[W, D]) Mappings() []Mapping {
	out := make([]Mapping, 0, len(t.Rows))
	for _, r := range t.Rows {
		out = append(out, Mapping{Field: t.Field, Wire: fmt.Sprint(r.Wire), Domain: fmt.Sprint(r.Domain), Dir: r.Dir})
	}
	return out
}

// Inexpressible is the error for a domain value, going to the provider's
// field, that the provider has no spelling for: a *card.Error of kind
// card.ErrInvalid with code card.CodeNotAllowed that echoes the value. Never
// pass it a card number.
func Inexpressible(field, value, what string) error {
	var p card.Problems
	p.AddValue(field, card.CodeNotAllowed, value, "no "+what+" for it")
	return p.Err("wire.Encode")
}

// StatusRow is one row of a status table: the provider's status (W is a
// string, or a pair for a provider that splits status and reason) and the
// domain status and reason it stands for. Also lists the further reasons
// that, with Status, the provider writes as Wire too.
type StatusRow[W comparable] struct {
	Wire   W
	Status card.Status
	Reason card.StatusReason // what Wire decodes to
	Also   card.ReasonSet    // more reasons that encode to Wire; not decoded
	// HeldBy is who placed the hold Wire stands for, where the provider's
	// status says it (decoded into card.Card.HeldBy); zero if it does not.
	HeldBy card.Actor
}

// StatusTable maps a provider's statuses to the domain's status and reason.
type StatusTable[W comparable] struct {
	Field string
	What  string
	Rows  []StatusRow[W]
}

// Decode maps a provider status to the domain's pair.
func (t *StatusTable[W]) Decode(w W) (card.Status, card.StatusReason, error) {
	for _, r := range t.Rows {
		if r.Wire == w {
			return r.Status, r.Reason, nil
		}
	}
	return 0, 0, card.UnknownValue("wire.Decode", t.Field, fmt.Sprint(w), t.What)
}

// HeldBy is who placed the hold the provider's status w stands for, or zero
// when w says nothing about it.
func (t *StatusTable[W]) HeldBy(w W) card.Actor {
	for _, r := range t.Rows {
		if r.Wire == w {
			return r.HeldBy
		}
	}
	return 0
}

// Encode maps the domain's pair to the provider's status: the first row for
// the status whose reason, or one of whose Also reasons, is r.
func (t *StatusTable[W]) Encode(s card.Status, r card.StatusReason) (W, error) {
	for _, row := range t.Rows {
		if row.Status == s && (row.Reason == r || row.Also.Has(r)) {
			return row.Wire, nil
		}
	}
	var zero W
	return zero, Inexpressible(t.Field, StatusName(s, r), t.What)
}

// StatusName writes a domain pair as "SUSPENDED/LOS", or "ACTIVE" without a
// reason.
func StatusName(s card.Status, r card.StatusReason) string {
	if r == 0 {
		return s.String()
	}
	return s.String() + "/" + r.String()
}

// Mappings lists the rows, one line per pair that encodes: the decoded pair
// both ways and each Also reason on the way out.
func (t *StatusTable[W]) Mappings() []Mapping {
	var out []Mapping
	for _, r := range t.Rows {
		out = append(out, Mapping{Field: t.Field, Wire: fmt.Sprint(r.Wire), Domain: StatusName(r.Status, r.Reason), Dir: Both})
		for _, also := range r.Also.List() {
			if also == r.Reason {
				continue
			}
			out = append(out, Mapping{Field: t.Field, Wire: fmt.Sprint(r.Wire), Domain: StatusName(r.Status, also), Dir: Out})
		}
	}
	return out
}

// In decodes w into p's record: the zero spelling ("" for a string) is the
// zero domain value, or a problem when the field is required; an unknown
// spelling is a problem at prefix + Field.
func (t *Table[W, D]) In(p *card.Problems, prefix string, w W, required bool) D {
	var zw W
	var zd D
	if w == zw {
		if required {
			p.Add(Join(prefix, t.Field), card.CodeRequired, t.What+" is required")
		}
		return zd
	}
	d, err := t.Decode(w)
	p.Merge(prefix, err)
	return d
}

// Out encodes d into p's record: the zero domain value is the zero
// spelling, or a problem when the provider requires the field; a value the
// provider cannot express is a problem at prefix + Field.
func (t *Table[W, D]) Out(p *card.Problems, prefix string, d D, required bool) W {
	var zw W
	var zd D
	if d == zd {
		if required {
			p.Add(Join(prefix, t.Field), card.CodeRequired, t.What+" is required")
		}
		return zw
	}
	w, err := t.Encode(d)
	p.Merge(prefix, err)
	return w
}

// In decodes w into p's record; see Table.In. The zero spelling is a
// problem: every provider sends a status.
func (t *StatusTable[W]) In(p *card.Problems, prefix string, w W) (card.Status, card.StatusReason) {
	var zw W
	if w == zw {
		p.Add(Join(prefix, t.Field), card.CodeRequired, t.What+" is required")
		return 0, 0
	}
	s, r, err := t.Decode(w)
	p.Merge(prefix, err)
	return s, r
}

// Out encodes the pair into p's record; see Table.Out. A card without a
// status is a problem.
func (t *StatusTable[W]) Out(p *card.Problems, prefix string, s card.Status, r card.StatusReason) W {
	var zw W
	if s == 0 {
		p.Add(Join(prefix, t.Field), card.CodeRequired, t.What+" is required")
		return zw
	}
	w, err := t.Encode(s, r)
	p.Merge(prefix, err)
	return w
}

// Prefix puts prefix in front of the field of every mapping.
func Prefix(prefix string, ms []Mapping) []Mapping {
	for i := range ms {
		ms[i].Field = Join(prefix, ms[i].Field)
	}
	return ms
}

// Field says where a field of the neutral encoding sits in a provider's
// JSON: Domain is a path of the neutral encoding ("holder.customer_id"),
// Wire the provider's ("customer_id"). A Domain path also covers the paths
// below it.
type Field struct {
	Domain string
	Wire   string
}
