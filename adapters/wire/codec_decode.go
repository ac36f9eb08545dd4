package wire

import (
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// decoder reads a document for a Codec. Each method returns false where
// the document leaves the shape the fast path handles, or is wrong: the
// Codec then gives the document to the engine, which decides. So the
// decoder never needs to explain an error, only never to accept what the
// engine refuses or to read a value differently.
type decoder struct {
	in  []byte
	pos int
	// text holds the text of every string read, but a Number's, one after
	// the other: each string is a substring of it, so that a few
	// allocations hold them all, and no more than their text.
	text strings.Builder
}

// maxSkipDepth bounds the nesting of an unknown member's value that the
// fast path reads; deeper values go to the engine, which has its own
// limit.
const maxSkipDepth = 64

// decode reads data into w with d, a zero decoder, or reports false.
func (c *rows[P]) decode(data []byte, w P, d *decoder) bool {
	d.in = data
	// A provider's document is mostly names, punctuation and space: its
	// text is rarely more than half of it, and may grow past that.
	d.text.Grow(len(data) / 2)
	d.space()
	ok := c.decodeObject(d, w)
	if ok {
		d.space()
		ok = d.pos == len(d.in)
	}
	d.in = nil // d may live as long as w; data is the caller's
	return ok
}

// keep returns raw as a string, its text kept with the others'.
func (d *decoder) keep(raw []byte) string {
	at := d.text.Len()
	d.text.Write(raw)
	return d.text.String()[at:]
}

// decodeObject reads an object into w: its members, unknown ones into w's
// fallback.
func (c *rows[P]) decodeObject(d *decoder, w P) bool {
	if !d.byte('{') {
		return false
	}
	d.space()
	if d.byte('}') {
		return true
	}
	var seen [maxMembers / 64]uint64
	var unknown names // unknown names so far, to refuse a duplicate
	next := 0         // documents tend to follow the table's order
	for {
		name, ok := d.name()
		if !ok {
			return false
		}
		d.space()
		if !d.byte(':') {
			return false
		}
		d.space()
		if i := c.lookup(name, next); i >= 0 {
			if seen[i/64]&(1<<(i%64)) != 0 {
				return false // a duplicate: the engine says so
			}
			seen[i/64] |= 1 << (i % 64)
			if !c.decodeMember(d, &c.members[i], w) {
				return false
			}
			next = i + 1
		} else {
			if !unknown.add(name) {
				return false
			}
			start := d.pos
			if !d.skip() {
				return false
			}
			if c.unknown != nil {
				// As the engine keeps them: {"name":value,...}, each
				// name and value as sent.
				u := c.unknown(w)
				if len(*u) == 0 {
					*u = append(*u, '{')
				} else {
					(*u)[len(*u)-1] = ','
				}
				*u = append(*u, '"')
				*u = append(*u, name...)
				*u = append(*u, '"', ':')
				*u = append(*u, d.in[start:d.pos]...)
				*u = append(*u, '}')
			}
		}
		d.space()
		if d.byte(',') {
			d.space()
			continue
		}
		return d.byte('}')
	}
}

// lookup finds the member named name: first the one after the last, then
// among those whose names are as long.
func (c *rows[P]) lookup(name []byte, next int) int {
	if next < len(c.members) && c.members[next].name == string(name) {
		return next
	}
	if len(name) < len(c.byLen) {
		for _, i := range c.byLen[len(name)] {
			if c.members[i].name == string(name) {
				return int(i)
			}
		}
	}
	return -1
}

func (c *rows[P]) decodeMember(d *decoder, m *member[P], w P) bool {
	switch m.kind {
	case kindString:
		p := m.str(w)
		if d.literal("null") {
			*p = ""
			return true
		}
		return d.str(p)
	case kindNumber:
		p := m.num(w)
		if d.literal("null") {
			*p = Number{}
			return true
		}
		s, ok := d.value(true) // memory of its own: see Secret
		*p = NewNumber(s)
		return ok
	case kindStringPtr:
		p := m.strPtr(w)
		if d.literal("null") {
			*p = nil
			return true
		}
		s := new(string)
		if !d.str(s) {
			return false
		}
		*p = s
		return true
	case kindBoolPtr:
		p := m.boolPtr(w)
		switch {
		case d.literal("null"):
			*p = nil
		case d.literal("true"):
			b := true
			*p = &b
		case d.literal("false"):
			b := false
			*p = &b
		default:
			return false
		}
		return true
	case kindStringMap:
		return d.stringMap(m.strMap(w))
	case kindStrings:
		return d.strings(m.strs(w))
	case kindObject:
		return m.obj.decode(d, w)
	}
	return false // kindRaw: the engine's
}

func (d *decoder) space() {
	i, in := d.pos, d.in
	for i < len(in) && in[i] <= ' ' && (in[i] == ' ' || in[i] == '\n' || in[i] == '\t' || in[i] == '\r') {
		i++
	}
	d.pos = i
}

// byte consumes c if it is next.
func (d *decoder) byte(c byte) bool {
	if d.pos < len(d.in) && d.in[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// literal consumes lit (null, true, false) if it is next. What follows is
// checked by the caller, which wants a delimiter.
func (d *decoder) literal(lit string) bool {
	if len(d.in)-d.pos >= len(lit) && string(d.in[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	return false
}

// stop marks, by byte, what ends a plain run of a JSON string's text:
// control characters, '"', '\\' and the bytes of text that is not ASCII.
const stop = "" +
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x00
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x10
	"\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x20
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x30
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x40
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00" + // 0x50
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x60
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // 0x70
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x80
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0x90
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0xa0
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0xb0
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0xc0
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0xd0
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + // 0xe0
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" // 0xf0

// scan reads a string's quotes and returns the text between them, and
// whether it holds an escape. It refuses a control character and invalid
// UTF-8, as the engine does.
func (d *decoder) scan() (raw []byte, escaped, ok bool) {
	if !d.byte('"') {
		return nil, false, false
	}
	start, in := d.pos, d.in
	high := false
	for i := start; i < len(in); i++ {
		c := in[i]
		if stop[c] == 0 {
			continue // printable ASCII, the common case
		}
		switch {
		case c == '"':
			d.pos = i + 1
			raw = in[start:i]
			if high && !escaped && !utf8.Valid(raw) {
				return nil, false, false
			}
			return raw, escaped, true
		case c == '\\':
			escaped = true
			i++ // the escaped byte; the unquoting checks the sequence
		case c < ' ':
			return nil, false, false
		default:
			high = true
		}
	}
	return nil, false, false
}

// name reads a member name. A name with an escape is the engine's: only
// unescaped, exact names are compared.
func (d *decoder) name() ([]byte, bool) {
	raw, escaped, ok := d.scan()
	return raw, ok && !escaped
}

// str reads a string member into dst.
func (d *decoder) str(dst *string) bool {
	s, ok := d.value(false)
	*dst = s
	return ok
}

// value reads a string: its text kept with the others', or (own) in a
// string of its own.
func (d *decoder) value(own bool) (string, bool) {
	q := d.pos
	raw, escaped, ok := d.scan()
	switch {
	case !ok:
		return "", false
	case escaped:
		if raw, ok = unquote(nil, d.in[q:d.pos]); !ok {
			return "", false
		}
	}
	switch {
	case len(raw) == 0:
		return "", true
	case own:
		return string(raw), true
	}
	return d.keep(raw), true
}

// unquote appends the text of the quoted string q to b, or reports false
// for an escape or a code point the engine refuses.
func unquote(b, q []byte) ([]byte, bool) {
	out, err := jsontext.AppendUnquote(b, q)
	return out, err == nil
}

func (d *decoder) stringMap(p *map[string]string) bool {
	if d.literal("null") {
		*p = nil
		return true
	}
	if !d.byte('{') {
		return false
	}
	m := map[string]string{}
	d.space()
	if !d.byte('}') {
		for {
			k, ok := d.value(false)
			if !ok {
				return false
			}
			if _, dup := m[k]; dup {
				return false
			}
			d.space()
			if !d.byte(':') {
				return false
			}
			d.space()
			v, ok := d.value(false)
			if !ok {
				return false
			}
			m[k] = v
			d.space()
			if d.byte(',') {
				d.space()
				continue
			}
			if !d.byte('}') {
				return false
			}
			break
		}
	}
	*p = m
	return true
}

func (d *decoder) strings(p *[]string) bool {
	if d.literal("null") {
		*p = nil
		return true
	}
	if !d.byte('[') {
		return false
	}
	out := []string{}
	d.space()
	if !d.byte(']') {
		for {
			s, ok := d.value(false)
			if !ok {
				return false
			}
			out = append(out, s)
			d.space()
			if d.byte(',') {
				d.space()
				continue
			}
			if !d.byte(']') {
				return false
			}
			break
		}
	}
	*p = out
	return true
}

// skip passes over the value of an unknown member, which the engine then
// checks as it would have: its syntax, its UTF-8, its names unique.
func (d *decoder) skip() bool {
	start := d.pos
	depth := 0
	for d.pos < len(d.in) {
		switch c := d.in[d.pos]; c {
		case '"':
			if _, _, ok := d.scan(); !ok {
				return false
			}
		case '{', '[':
			depth++
			if depth > maxSkipDepth {
				return false
			}
			d.pos++
		case '}', ']':
			if depth == 0 {
				return false
			}
			depth--
			d.pos++
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return false
			}
			d.pos++
		default:
			// A number or a literal: up to the next delimiter.
			for d.pos < len(d.in) && !delimiter(d.in[d.pos]) {
				d.pos++
			}
		}
		if depth == 0 {
			return d.pos > start && jsontext.Value(d.in[start:d.pos]).IsValid()
		}
	}
	return false
}

func delimiter(c byte) bool {
	switch c {
	case ',', ':', '{', '}', '[', ']', '"', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// names remembers the unknown member names of one object, to refuse a
// duplicate: in a list while there are few, in a set once there are more,
// so that an object of many members is read in linear time.
type names struct {
	list [][]byte
	set  map[string]struct{}
}

// add remembers name; false if it was there already.
func (n *names) add(name []byte) bool {
	if n.set != nil {
		if _, dup := n.set[string(name)]; dup {
			return false
		}
		n.set[string(name)] = struct{}{}
		return true
	}
	for _, u := range n.list {
		if string(u) == string(name) {
			return false
		}
	}
	n.list = append(n.list, name)
	if len(n.list) > 16 {
		n.set = make(map[string]struct{}, 2*len(n.list))
		for _, u := range n.list {
			n.set[string(u)] = struct{}{}
		}
		n.list = nil
	}
	return true
}
