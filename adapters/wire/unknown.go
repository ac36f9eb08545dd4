package wire

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/card"
)

// Unknown holds the members of a decoded document that no field of the wire
// structs names, by the path of the object they were found in ("" for the
// top level). An adapter keeps them beside the domain value, so that they
// are reported, and written back on a round trip through the same provider.
type Unknown map[string]jsontext.Value

var valueType = reflect.TypeFor[jsontext.Value]()

// Objects is what every top-level wire struct offers: EachUnknown calls
// visit with the JSON path of each object in the document that exists
// ("" for the top level, "shipping.address", ...) and a pointer to that
// object's field for unknown members. It is written out by hand for each
// wire struct, so that no reflection runs on the way through; a test in
// each adapter checks it against the struct's shape.
type Objects interface {
	EachUnknown(visit func(path string, members *jsontext.Value))
}

// TakeUnknown moves the unknown members out of w into an Unknown, and
// clears them in w. It returns nil when there are none, which is the
// common case and allocates nothing.
func TakeUnknown(w Objects) Unknown {
	var u Unknown
	if w == nil {
		return u
	}
	w.EachUnknown(func(path string, m *jsontext.Value) {
		if len(*m) == 0 {
			return
		}
		if u == nil {
			u = Unknown{}
		}
		u[path] = *m
		*m = nil
	})
	return u
}

// PutUnknown writes u back into w: each object's members into that
// object's field for unknown members, where the object exists. It returns
// the paths of the objects it found no place for.
func (u Unknown) PutUnknown(w Objects) (lost []string) {
	if len(u) == 0 {
		return nil
	}
	placed := 0
	w.EachUnknown(func(path string, m *jsontext.Value) {
		if v, ok := u[path]; ok {
			*m = v
			placed++
		}
	})
	if placed == len(u) {
		return nil
	}
	seen := map[string]bool{}
	w.EachUnknown(func(path string, _ *jsontext.Value) { seen[path] = true })
	for path := range u {
		if !seen[path] {
			lost = append(lost, path)
		}
	}
	slices.Sort(lost)
	return lost
}

// Paths lists the path of every unknown member, such as
// "shipping.address.unit", sorted. A run of digits that could be a card
// number is redacted: the paths go into reports, and a name is the
// sender's to choose.
func (u Unknown) Paths() []string {
	var out []string
	for obj, raw := range u {
		dec := jsontext.NewDecoder(strings.NewReader(string(raw)))
		if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
			continue
		}
		for dec.PeekKind() == '"' {
			tok, err := dec.ReadToken()
			if err != nil {
				break
			}
			name := tok.String() // before the decoder moves on, which voids tok
			if dec.SkipValue() != nil {
				break
			}
			out = append(out, card.RedactNumbers(Join(obj, name)))
		}
	}
	slices.Sort(out)
	return out
}

// String lists the unknown members by path, never their values: a
// provider may put anything there, a card number too. Format, GoString
// and LogValue print the same, so that no fmt verb or log shows a value.
func (u Unknown) String() string {
	// Redacted as a whole too: names of a few digits each may read as one
	// card number once joined.
	return card.RedactCardNumbers("unknown members [" + strings.Join(u.Paths(), " ") + "]")
}

// GoString is String.
func (u Unknown) GoString() string { return u.String() }

// Format writes String for every verb.
func (u Unknown) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, u.String()) }

// LogValue logs String.
func (u Unknown) LogValue() slog.Value { return slog.StringValue(u.String()) }

// MarshalJSON encodes the members' paths, as String lists them: a member's
// value, which a provider may fill with anything, is never shown outside
// the provider's own JSON.
func (u Unknown) MarshalJSON() ([]byte, error) {
	paths := u.Paths()
	if paths == nil {
		paths = []string{}
	}
	return jsonv2.Marshal(paths)
}

// Fresh returns a copy of *p, or nil for nil: for a wire struct that a
// residue keeps, put into a document being encoded, so that PutUnknown
// writes the unknown members into the copy, not into the residue, which
// an encode only reads (and which may be encoded on several goroutines at
// once).
func Fresh[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Format writes w, a wire struct, as fmt writes a struct for verb and f's
// flags, but with its field for unknown members printed as an Unknown:
// their names, never their values, which a provider may fill with
// anything, a card number too. The provider's other text prints as Redact
// leaves it (a card number in it redacted), and a Number masked. A nested
// wire struct is printed through its own Format. Each wire struct's
// Format method calls it; json.Marshal of a wire struct still writes the
// members as the provider sent them, as the provider's own JSON does.
func Format(f fmt.State, verb rune, w any) {
	v := reflect.ValueOf(w)
	if v.Kind() != reflect.Struct {
		_, _ = io.WriteString(f, card.RedactCardNumbers(fmt.Sprintf(fmt.FormatString(f, verb), w)))
		return
	}
	t := v.Type()
	sharp := verb == 'v' && f.Flag('#')
	named := sharp || verb == 'v' && f.Flag('+')
	each := fmt.FormatString(f, verb)
	var b strings.Builder
	if sharp {
		b.WriteString(t.String())
	}
	b.WriteString("{")
	for i := range t.NumField() {
		switch {
		case i > 0 && sharp:
			b.WriteString(", ")
		case i > 0:
			b.WriteString(" ")
		}
		if named {
			b.WriteString(t.Field(i).Name + ":")
		}
		field, sf := v.Field(i), t.Field(i)
		var out any
		switch {
		case !sf.IsExported():
			out = field // fmt prints it as it would, without its methods
		case sf.Type == valueType && sf.Tag.Get("json") == ",embed" && field.Len() > 0:
			out = Unknown{"": jsontext.Value(field.Bytes())}
		default:
			out = redacted(field, 0).Interface()
		}
		fmt.Fprintf(&b, each, out)
	}
	b.WriteString("}")
	// Redacted again as a whole: digits that fmt joins from several
	// fields (a list of category codes, say) may read as one card number.
	_, _ = io.WriteString(f, card.RedactCardNumbers(b.String()))
}

// LogValue is how a wire struct's LogValue logs w: as Format prints it
// with %+v.
func LogValue(w any) slog.Value { return slog.StringValue(fmt.Sprintf("%+v", formatted{w})) }

// formatted prints its value through Format.
type formatted struct{ v any }

func (x formatted) Format(f fmt.State, verb rune) { Format(f, verb, x.v) }

// MemberNames lists the JSON member names of the wire struct type of v
// (a struct or a pointer to one), those of embedded structs included, so
// that a document's unknown members can be told apart from members of
// another kind of document of the same provider.
func MemberNames(v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil // nil, or no struct: no members
	}
	var out []string
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Type == valueType {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case sf.Anonymous && name == "":
			out = append(out, MemberNames(reflect.New(sf.Type).Interface())...)
		case name == "":
			out = append(out, sf.Name)
		default:
			out = append(out, name)
		}
	}
	return out
}

// Notes lists what an adapter's residue holds, for a report: each a
// card.FieldError with the provider's JSON path and why the neutral model
// has no place for it.
type Notes []card.FieldError

// Add notes path when set.
func (n *Notes) Add(set bool, path, why string) {
	if set {
		*n = append(*n, card.FieldError{Field: path, Code: card.CodeNotAllowed, Message: why})
	}
}

// Unknown notes every member of u, which provider's documents do not show.
func (n *Notes) Unknown(u Unknown, provider string) {
	for _, path := range u.Paths() {
		*n = append(*n, card.FieldError{Field: path, Code: card.CodeUnknownValue, Message: "a member " + provider + "'s documents do not show"})
	}
}
