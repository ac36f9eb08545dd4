package httpsig

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// This file is the part of RFC 8941 (Structured Field Values) that
// Signature-Input, Signature and Content-Digest use: a Dictionary whose
// members are Inner Lists of Strings or Items (Byte Sequences), each with
// Parameters whose values are Strings, Integers, Tokens or Booleans.

// Param is one parameter, kept in the order it was written: the order is
// part of what is signed.
type Param struct {
	Name  string
	Value any // string, int64, bool, or Token
}

// Token is a Structured Field Token (an unquoted word).
type Token string

// appendParams serialises params as ";name=value" pairs (RFC 8941
// §4.1.1.2).
func appendParams(b []byte, params []Param) []byte {
	for _, p := range params {
		b = appendParam(b, p)
	}
	return b
}

func appendParam(b []byte, p Param) []byte {
	b = append(b, ';')
	b = append(b, p.Name...)
	switch v := p.Value.(type) {
	case bool:
		if !v {
			b = append(b, "=?0"...)
		}
	case int64:
		b = strconv.AppendInt(append(b, '='), v, 10)
	case Token:
		b = append(append(b, '='), v...)
	case string:
		b = appendString(append(b, '='), v)
	}
	return b
}

// appendString serialises an sf-string: quotes, with \ and " escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// member is one dictionary member as parsed: an inner list of strings with
// their parameters (Signature-Input), or a byte sequence (Signature,
// Content-Digest); raw is the member's value exactly as written, which
// @signature-params must repeat byte for byte.
type member struct {
	key    string
	list   []item // nil unless the value is an inner list
	isList bool
	bytes  []byte // the value when it is a byte sequence
	params []Param
	raw    string
}

type item struct {
	str    string
	params []Param
}

var errSyntax = errors.New("httpsig: not a structured field dictionary")

// parser walks one header value.
type parser struct {
	s string
	i int
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) spaces() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// parseDictionary parses an sf-dictionary (RFC 8941 §4.2.2). A key given
// twice keeps its last value, as the RFC says.
func parseDictionary(s string) ([]member, error) {
	p := &parser{s: s}
	var out []member
	p.spaces()
	for p.i < len(p.s) {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		m := member{key: key}
		start := p.i
		if p.peek() == '=' {
			p.i++
			start = p.i
			if err := p.value(&m); err != nil {
				return nil, err
			}
		} else {
			m.params, err = p.params()
			if err != nil {
				return nil, err
			}
		}
		m.raw = p.s[start:p.i]
		for j := range out {
			if out[j].key == key {
				out = append(out[:j], out[j+1:]...)
				break
			}
		}
		out = append(out, m)
		p.spaces()
		if p.i == len(p.s) {
			break
		}
		if p.peek() != ',' {
			return nil, errSyntax
		}
		p.i++
		p.spaces()
		if p.i == len(p.s) {
			return nil, errSyntax // a trailing comma
		}
	}
	return out, nil
}

func (p *parser) key() (string, error) {
	start := p.i
	c := p.peek()
	if !(c >= 'a' && c <= 'z') && c != '*' {
		return "", errSyntax
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i], nil
}

func (p *parser) value(m *member) error {
	var err error
	switch p.peek() {
	case '(':
		p.i++
		m.isList = true
		m.list = []item{}
		for {
			p.spaces()
			if p.peek() == ')' {
				p.i++
				break
			}
			if p.peek() != '"' {
				return errSyntax
			}
			var it item
			if it.str, err = p.str(); err != nil {
				return err
			}
			if it.params, err = p.params(); err != nil {
				return err
			}
			m.list = append(m.list, it)
			if c := p.peek(); c != ' ' && c != ')' {
				return errSyntax
			}
		}
	case ':':
		if m.bytes, err = p.byteSeq(); err != nil {
			return err
		}
	default:
		return errSyntax // no other bare item is used by these headers
	}
	m.params, err = p.params()
	return err
}

func (p *parser) str() (string, error) {
	p.i++ // the opening quote
	// Most strings have no escape: they are a slice of the header.
	for j := p.i; j < len(p.s); j++ {
		c := p.s[j]
		if c == '"' {
			out := p.s[p.i:j]
			p.i = j + 1
			return out, nil
		}
		if c == '\\' || c < 0x20 || c > 0x7e {
			break
		}
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.i == len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", errSyntax
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", errSyntax
		default:
			b.WriteByte(c)
		}
	}
	return "", errSyntax
}

func (p *parser) byteSeq() ([]byte, error) {
	p.i++
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return nil, errSyntax
	}
	b, err := base64.StdEncoding.DecodeString(p.s[p.i : p.i+end])
	if err != nil {
		return nil, errSyntax
	}
	p.i += end + 1
	return b, nil
}

func (p *parser) params() ([]Param, error) {
	var out []Param
	for p.peek() == ';' {
		p.i++
		p.spaces()
		name, err := p.key()
		if err != nil {
			return nil, err
		}
		prm := Param{Name: name, Value: true}
		if p.peek() == '=' {
			p.i++
			if prm.Value, err = p.bare(); err != nil {
				return nil, err
			}
		}
		out = append(out, prm)
	}
	return out, nil
}

// bare parses a parameter value: a string, an integer, a token or a
// boolean.
func (p *parser) bare() (any, error) {
	c := p.peek()
	switch {
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		p.i++
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i-start > 16 {
			return nil, errSyntax
		}
		n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
		if err != nil {
			return nil, errSyntax
		}
		return n, nil
	case c == '?':
		p.i++
		switch p.peek() {
		case '1':
			p.i++
			return true, nil
		case '0':
			p.i++
			return false, nil
		}
		return nil, errSyntax
	case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*':
		start := p.i
		for p.i < len(p.s) && strings.IndexByte(",;() \t\"", p.s[p.i]) < 0 {
			p.i++
		}
		return Token(p.s[start:p.i]), nil
	}
	return nil, errSyntax
}
