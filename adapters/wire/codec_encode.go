package wire

import (
	"slices"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// encodeObject appends w as the engine writes it (compact, members in the
// table's order, map keys sorted; nulls: a nil map or list is null), or
// reports false for what it leaves to the engine: a raw member, unknown
// members, text that is not valid UTF-8.
func (c *rows[P]) encodeObject(b []byte, w P, nulls bool) ([]byte, bool) {
	b = append(b, '{')
	open := len(b)
	for i := range c.members {
		m := &c.members[i]
		at := len(b)
		if len(b) > open {
			b = append(b, ',')
		}
		ok := true
		switch m.kind {
		case kindString, kindNumber:
			s := m.text(w)
			if s == "" && m.omit != Keep {
				b = b[:at]
				continue
			}
			b = append(b, m.quoted...)
			b, ok = appendString(b, s)
		case kindStringPtr:
			p := *m.strPtr(w)
			switch {
			case p == nil && m.omit != Keep, p != nil && *p == "" && m.omit == OmitEmpty:
				b = b[:at]
				continue
			case p == nil:
				b = append(b, m.quoted...)
				b = append(b, "null"...)
			default:
				b = append(b, m.quoted...)
				b, ok = appendString(b, *p)
			}
		case kindBoolPtr:
			p := *m.boolPtr(w)
			if p == nil && m.omit != Keep {
				b = b[:at]
				continue
			}
			b = append(b, m.quoted...)
			switch {
			case p == nil:
				b = append(b, "null"...)
			case *p:
				b = append(b, "true"...)
			default:
				b = append(b, "false"...)
			}
		case kindStringMap:
			v := *m.strMap(w)
			if (v == nil && m.omit != Keep) || (len(v) == 0 && m.omit == OmitEmpty) {
				b = b[:at]
				continue
			}
			b = append(b, m.quoted...)
			b, ok = appendMap(b, v, nulls)
		case kindStrings:
			v := *m.strs(w)
			if (v == nil && m.omit != Keep) || (len(v) == 0 && m.omit == OmitEmpty) {
				b = b[:at]
				continue
			}
			b = append(b, m.quoted...)
			b, ok = appendList(b, v, nulls)
		case kindRaw:
			if *m.raw(w) != nil || m.omit == Keep {
				return b, false
			}
			b = b[:at]
			continue
		case kindObject:
			if m.obj.isNil(w) {
				if m.omit != Keep {
					b = b[:at]
					continue
				}
				b = append(b, m.quoted...)
				b = append(b, "null"...)
				break
			}
			b = append(b, m.quoted...)
			b, ok = m.obj.encode(b, w, nulls)
			if ok && m.omit == OmitEmpty && string(b[len(b)-2:]) == "{}" {
				b = b[:at]
				continue
			}
		}
		if !ok {
			return b, false
		}
	}
	if c.unknown != nil && len(*c.unknown(w)) > 0 {
		return b, false
	}
	return append(b, '}'), true
}

// measure returns the length of w's encoding when no text needs an
// escape: the size of the buffer encodeObject writes into, which then
// fits, or grows for the rare escape.
func (c *rows[P]) measure(w P) int {
	n := 2 // {}
	for i := range c.members {
		m := &c.members[i]
		switch m.kind {
		case kindString, kindNumber:
			if s := m.text(w); s != "" || m.omit == Keep {
				n += len(m.quoted) + len(s) + 3 // the quotes and a comma
			}
		case kindStringPtr:
			if p := *m.strPtr(w); p != nil {
				n += len(m.quoted) + len(*p) + 3
			} else if m.omit == Keep {
				n += len(m.quoted) + 5
			}
		case kindBoolPtr:
			if p := *m.boolPtr(w); p != nil || m.omit == Keep {
				n += len(m.quoted) + 6
			}
		case kindStringMap:
			n += len(m.quoted) + 5
			for k, v := range *m.strMap(w) {
				n += len(k) + len(v) + 6
			}
		case kindStrings:
			n += len(m.quoted) + 5
			for _, s := range *m.strs(w) {
				n += len(s) + 3
			}
		case kindObject:
			n += len(m.quoted) + 5
			if !m.obj.isNil(w) {
				n += m.obj.measure(w)
			}
		}
	}
	return n
}

// appendString appends s quoted as the engine quotes it: only '"', '\\'
// and control characters escaped. Invalid UTF-8 is the engine's error.
func appendString(b []byte, s string) ([]byte, bool) {
	high := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case stop[c] == 0:
		case c < ' ', c == '"', c == '\\':
			out, err := jsontext.AppendQuote(b, s)
			return out, err == nil
		default:
			high = true
		}
	}
	if high && !utf8.ValidString(s) {
		return b, false
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}

func appendMap(b []byte, m map[string]string, nulls bool) ([]byte, bool) {
	if m == nil && nulls {
		return append(b, "null"...), true
	}
	var buf [8]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	ok := true
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendString(b, k); !ok {
			return b, false
		}
		b = append(b, ':')
		if b, ok = appendString(b, m[k]); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

func appendList(b []byte, l []string, nulls bool) ([]byte, bool) {
	if l == nil && nulls {
		return append(b, "null"...), true
	}
	b = append(b, '[')
	ok := true
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendString(b, s); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}
