package wire

import (
	"fmt"
	"reflect"

	"github.com/go-json-experiment/json/jsontext"
)

// A Codec reads and writes one wire struct type T without reflection, by a
// literal table of T's members that mirrors T's json tags (Codec.Check
// compares the two, and NewCodec disables a table that disagrees).
//
// It is a fast path, not a second JSON engine: it handles the shape a
// provider's documents have (objects of strings, booleans, string maps and
// lists, nested objects, unknown members) and hands anything else, and
// anything wrong, to the engine (Unmarshal, Marshal, MarshalNulls), so
// that every result and every error is the engine's. The tests of each
// adapter check the two against each other byte for byte.
type Codec[T any] struct {
	rows[*T]
}

// rows is the table of a Codec[T] as seen through P, which is *T: the
// methods that read and write documents take a P, so that Go compiles
// them once for all wire structs (every pointer type has the same GC
// shape) instead of once for each. A call reads and writes several
// structs; with a copy for each, it ran more code, and colder, and the
// four adapters' wire code took 250 KB more.
type rows[P any] struct {
	members []member[P]             // embedded structs flattened, in the engine's order
	byLen   [][]uint8               // member indices by the length of their names
	unknown func(P) *jsontext.Value // the `json:",embed"` fallback
	bad     error                   // why the table cannot be used, if it cannot
}

// Omit says when a member is left out of the output, as its json tag says.
type Omit uint8

// The omit options of a json tag.
const (
	Keep      Omit = iota // no option: always written
	OmitEmpty             // `omitempty`: left out when written as "", null, {} or []
	OmitZero              // `omitzero`: left out when it is Go's zero value
)

type kind uint8

const (
	kindString kind = iota + 1
	kindNumber
	kindStringPtr
	kindBoolPtr
	kindStringMap
	kindStrings
	kindRaw
	kindObject
	kindEmbed
)

// Member is one row of a Codec's table: a JSON member name, its omit
// option and where the member sits in T. Make one with String, Secret,
// StringPtr, BoolPtr, StringMap, Strings, Raw, Object or Embed.
type Member[T any] struct{ m member[*T] }

// member is a Member of the struct P points to.
type member[P any] struct {
	name   string
	quoted string // `"name":`, as written
	omit   Omit
	kind   kind

	str     func(P) *string
	num     func(P) *Number
	strPtr  func(P) **string
	boolPtr func(P) **bool
	strMap  func(P) *map[string]string
	strs    func(P) *[]string
	raw     func(P) *jsontext.Value
	obj     object[P]
	embed   []member[P]
}

// object is a member holding a pointer to a nested wire struct, whose type
// the table of T does not name.
type object[P any] interface {
	decode(d *decoder, w P) bool
	encode(b []byte, w P, nulls bool) ([]byte, bool)
	isNil(w P) bool
	hasUnknown(w P) bool
	measure(w P) int
	// check compares the nested table with the struct type t points to.
	check(t reflect.Type, path string, depth int) error
	// field returns the address of the member's field in w, for Check.
	field(w P) any
}

// String is a member of type string.
func String[T any](name string, omit Omit, get func(*T) *string) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindString, str: get}}
}

// Secret is a member of type Number, a full card number (or another
// account number): its text never shares memory with the other members'
// text, so that dropping it (as a store drops a card's number) leaves no
// copy of the digits behind in what is kept.
func Secret[T any](name string, omit Omit, get func(*T) *Number) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindNumber, num: get}}
}

// text is a string member's text; a Number's digits, for the wire.
func (m *member[P]) text(w P) string {
	if m.kind == kindNumber {
		return m.num(w).Reveal()
	}
	return *m.str(w)
}

// StringPtr is a member of type *string.
func StringPtr[T any](name string, omit Omit, get func(*T) **string) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindStringPtr, strPtr: get}}
}

// BoolPtr is a member of type *bool.
func BoolPtr[T any](name string, omit Omit, get func(*T) **bool) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindBoolPtr, boolPtr: get}}
}

// StringMap is a member of type map[string]string.
func StringMap[T any](name string, omit Omit, get func(*T) *map[string]string) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindStringMap, strMap: get}}
}

// Strings is a member of type []string.
func Strings[T any](name string, omit Omit, get func(*T) *[]string) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindStrings, strs: get}}
}

// Raw is a member of type jsontext.Value, kept as sent. The fast path
// leaves a document that has one to the engine.
func Raw[T any](name string, omit Omit, get func(*T) *jsontext.Value) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindRaw, raw: get}}
}

// Object is a member of type *U, a nested wire struct read and written by
// c.
func Object[T, U any](name string, omit Omit, get func(*T) **U, c *Codec[U]) Member[T] {
	return Member[T]{member[*T]{name: name, omit: omit, kind: kindObject, obj: objectOf[T, U]{get: get, c: c}}}
}

// Embed is an embedded struct of type U (a Go embedded field without a
// JSON name): its members, read and written by c, are members of T.
func Embed[T, U any](get func(*T) *U, c *Codec[U]) Member[T] {
	out := Member[T]{member[*T]{kind: kindEmbed}}
	for _, m := range c.members {
		out.m.embed = append(out.m.embed, lift(m, get))
	}
	return out
}

// lift makes a member of U, embedded in T at get, a member of T.
func lift[T, U any](m member[*U], get func(*T) *U) member[*T] {
	out := member[*T]{name: m.name, quoted: m.quoted, omit: m.omit, kind: m.kind}
	switch m.kind {
	case kindString:
		out.str = func(w *T) *string { return m.str(get(w)) }
	case kindNumber:
		out.num = func(w *T) *Number { return m.num(get(w)) }
	case kindStringPtr:
		out.strPtr = func(w *T) **string { return m.strPtr(get(w)) }
	case kindBoolPtr:
		out.boolPtr = func(w *T) **bool { return m.boolPtr(get(w)) }
	case kindStringMap:
		out.strMap = func(w *T) *map[string]string { return m.strMap(get(w)) }
	case kindStrings:
		out.strs = func(w *T) *[]string { return m.strs(get(w)) }
	case kindRaw:
		out.raw = func(w *T) *jsontext.Value { return m.raw(get(w)) }
	case kindObject:
		out.obj = embeddedObject[T, U]{get: get, inner: m.obj}
	}
	return out
}

// NewCodec builds the codec of T from its table: unknown returns T's field
// tagged `json:",embed"`, members are T's members in the order of T's
// fields. A table that does not match T's json tags (see Check) gives a
// codec that always leaves the work to the engine.
func NewCodec[T any](unknown func(*T) *jsontext.Value, members ...Member[T]) *Codec[T] {
	c := &Codec[T]{rows[*T]{unknown: unknown}}
	seen := map[string]bool{}
	var add func(ms []member[*T])
	add = func(ms []member[*T]) {
		for _, m := range ms {
			if m.kind == kindEmbed {
				add(m.embed)
				continue
			}
			if seen[m.name] && c.bad == nil {
				c.bad = fmt.Errorf("wire: member %q listed twice", m.name)
			}
			seen[m.name] = true
			q, err := jsontext.AppendQuote(nil, m.name)
			if err != nil && c.bad == nil {
				c.bad = fmt.Errorf("wire: member name %q is not valid UTF-8", m.name)
			}
			m.quoted = string(append(q, ':'))
			c.members = append(c.members, m)
		}
	}
	for _, m := range members {
		add([]member[*T]{m.m})
	}
	if len(c.members) > maxMembers && c.bad == nil {
		c.bad = fmt.Errorf("wire: more than %d members", maxMembers)
	}
	for i, m := range c.members {
		for len(c.byLen) <= len(m.name) {
			c.byLen = append(c.byLen, nil)
		}
		c.byLen[len(m.name)] = append(c.byLen[len(m.name)], uint8(i))
	}
	if err := c.Check(); err != nil && c.bad == nil {
		c.bad = err
	}
	return c
}

// maxMembers is how many members the decoder can tell apart when it looks
// for a duplicate name.
const maxMembers = 128

// Names lists the JSON names of T's members, those of embedded structs
// included, in order.
func (c *Codec[T]) Names() []string {
	out := make([]string, len(c.members))
	for i, m := range c.members {
		out[i] = m.name
	}
	return out
}

// Unmarshal decodes data into w as Unmarshal does: the same value and the
// same errors (op names the operation in them), faster. w must be the zero
// T (DecodeWith's always is): the engine merges into a map or an object
// that w already holds, the fast path replaces it.
func (c *Codec[T]) Unmarshal(op string, data []byte, w *T) error {
	return c.unmarshal(op, data, w, new(decoder))
}

func (c *Codec[T]) unmarshal(op string, data []byte, w *T, d *decoder) error {
	if c.bad == nil && c.decode(data, w, d) {
		return nil
	}
	var zero T
	*w = zero
	return Unmarshal(op, data, w)
}

// Marshal encodes w as Marshal does, byte for byte, faster.
func (c *Codec[T]) Marshal(w *T) ([]byte, error) {
	if c.bad == nil && w != nil {
		if b, ok := c.encodeObject(make([]byte, 0, c.measure(w)), w, false); ok {
			return b, nil
		}
	}
	return Marshal(w)
}

// MarshalNulls encodes w as MarshalNulls does, byte for byte, faster.
func (c *Codec[T]) MarshalNulls(w *T) ([]byte, error) {
	if c.bad == nil && w != nil {
		if b, ok := c.encodeObject(make([]byte, 0, c.measure(w)), w, true); ok {
			return b, nil
		}
	}
	return MarshalNulls(w)
}

// TakeUnknown is TakeUnknown(w) for a T whose pointer is an Objects. It
// first looks for unknown members through c's table: a document without
// any, the common case, then costs no allocation (EachUnknown's closure
// does). A table that disagrees with T may miss an object, so then only
// EachUnknown is asked.
func (c *Codec[T]) TakeUnknown(w *T) Unknown {
	if c.bad == nil && !c.hasUnknown(w) {
		return nil
	}
	if o, ok := any(w).(Objects); ok {
		return TakeUnknown(o)
	}
	return nil
}

// hasUnknown reports whether w, or an object in it, holds unknown members.
func (c *rows[P]) hasUnknown(w P) bool {
	if c.unknown != nil && len(*c.unknown(w)) > 0 {
		return true
	}
	for i := range c.members {
		if m := &c.members[i]; m.kind == kindObject && m.obj.hasUnknown(w) {
			return true
		}
	}
	return false
}

// DecodeWith unmarshals data with c into a new wire struct W and maps it
// with from: Decode with a Codec.
func DecodeWith[W, D, R any](op string, c *Codec[W], data []byte, from func(*W) (D, R, error)) (D, R, error) {
	// One allocation for the wire struct and the decoder's state.
	s := new(struct {
		w W
		d decoder
	})
	if err := c.unmarshal(op, data, &s.w, &s.d); err != nil {
		var d D
		var r R
		return d, r, err
	}
	return from(&s.w)
}

// EncodeWith maps v with to and marshals the wire struct with marshal, one
// of c's methods: Encode with a Codec.
func EncodeWith[W, D, R any](v *D, r R, to func(*D, R) (*W, error), marshal func(*W) ([]byte, error)) ([]byte, error) {
	w, err := to(v, r)
	if err != nil {
		return nil, err
	}
	return marshal(w)
}

// objectOf is the object member of type *U in T.
type objectOf[T, U any] struct {
	get func(*T) **U
	c   *Codec[U]
}

func (o objectOf[T, U]) decode(d *decoder, w *T) bool {
	p := o.get(w)
	if d.literal("null") {
		*p = nil
		return true
	}
	u := new(U)
	if !o.c.decodeObject(d, u) {
		return false
	}
	*p = u
	return true
}

func (o objectOf[T, U]) encode(b []byte, w *T, nulls bool) ([]byte, bool) {
	return o.c.encodeObject(b, *o.get(w), nulls)
}

func (o objectOf[T, U]) isNil(w *T) bool  { return *o.get(w) == nil }
func (o objectOf[T, U]) measure(w *T) int { return o.c.measure(*o.get(w)) }
func (o objectOf[T, U]) field(w *T) any   { return o.get(w) }
func (o objectOf[T, U]) hasUnknown(w *T) bool {
	u := *o.get(w)
	return u != nil && o.c.hasUnknown(u)
}

func (o objectOf[T, U]) check(t reflect.Type, path string, depth int) error {
	if t.Kind() != reflect.Pointer || t.Elem() != reflect.TypeFor[U]() {
		return fmt.Errorf("wire: %s: the table reads a *%v, the field is a %v", path, reflect.TypeFor[U](), t)
	}
	if err := o.c.check(path, depth); err != nil {
		return err
	}
	return o.c.bad
}

// embeddedObject is an object member of an embedded struct T, seen from S,
// the struct that embeds T at get.
type embeddedObject[S, T any] struct {
	get   func(*S) *T
	inner object[*T]
}

func (e embeddedObject[S, T]) decode(d *decoder, w *S) bool { return e.inner.decode(d, e.get(w)) }
func (e embeddedObject[S, T]) encode(b []byte, w *S, nulls bool) ([]byte, bool) {
	return e.inner.encode(b, e.get(w), nulls)
}
func (e embeddedObject[S, T]) isNil(w *S) bool      { return e.inner.isNil(e.get(w)) }
func (e embeddedObject[S, T]) hasUnknown(w *S) bool { return e.inner.hasUnknown(e.get(w)) }
func (e embeddedObject[S, T]) measure(w *S) int     { return e.inner.measure(e.get(w)) }
func (e embeddedObject[S, T]) field(w *S) any       { return e.inner.field(e.get(w)) }
func (e embeddedObject[S, T]) check(t reflect.Type, path string, depth int) error {
	return e.inner.check(t, path, depth)
}
