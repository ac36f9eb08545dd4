package adapters

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

var errNoValue = errors.New("adapters: the document decoded to no value of this kind")

// Dropped is a field of the source document that the target format cannot
// carry: its path in the source's JSON and why.
type Dropped struct {
	Path string
	Why  string
}

// String writes "path: why", one line of a report.
func (d Dropped) String() string { return d.Path + ": " + d.Why }

// Report says what a translation left behind.
type Report struct {
	// Dropped lists every source field the target cannot carry, by the
	// source's JSON path, in path order.
	Dropped []Dropped
	// Unknown lists the members of the input that the source format's
	// documents do not show. They are tolerated: written back when the
	// target is the source's own format, and listed in Dropped otherwise.
	Unknown []string
}

// Result is a translation's output and its report.
type Result struct {
	Output []byte // the target document
	Report Report
}

// A Result prints as a summary (the output's size and the report) through
// String, GoString, every fmt verb, slog and JSON: the output is a
// provider's document, which may carry a card number the provider's
// format demands, and is written only where a program writes Output.

// String returns r's summary, such as
// `adapters.Result{Output: 562 bytes, Dropped: [card_product_id], Unknown: []}`.
func (r Result) String() string {
	dropped := make([]string, len(r.Report.Dropped))
	for i, d := range r.Report.Dropped {
		dropped[i] = d.Path
	}
	return fmt.Sprintf("adapters.Result{Output: %d bytes, Dropped: %v, Unknown: %v}", len(r.Output), dropped, r.Report.Unknown)
}

// GoString returns r's summary.
func (r Result) GoString() string { return r.String() }

// Format writes r's summary for every verb.
func (r Result) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue logs r's summary.
func (r Result) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON encodes r's summary as a JSON string.
func (r Result) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// Translate translates input with the built-in formats; see
// Registry.Translate.
func Translate(from, to string, kind Kind, input []byte) (Result, error) {
	return New().Translate(from, to, kind, input)
}

// Translate decodes input as a kind document of format from and encodes it
// as format to. Every error is a *card.Error (errors.Is card.ErrInvalid)
// naming the field, in the format's JSON names, and the value where it may
// be shown: an unknown format or kind ("from", "to", "kind"), input the
// source cannot read, a value the target cannot express, a field the target
// requires and the source does not give.
func (r *Registry) Translate(from, to string, kind Kind, input []byte) (Result, error) {
	f, src, err := r.codecFor("from", from, kind)
	if err != nil {
		return Result{}, err
	}
	if from == to && src.same != nil {
		out, u, err := src.same(input, f, kind)
		if err != nil {
			return Result{}, err
		}
		return Result{Output: out, Report: Report{Unknown: u.Paths()}}, nil
	}
	_, dst, err := r.codecFor("to", to, kind)
	if err != nil {
		return Result{}, err
	}
	v, err := src.decode(input)
	if err != nil {
		return Result{}, err
	}
	if v.residue != nil {
		if err := f.checkKind(kind, v.residue.UnknownMembers()); err != nil {
			return Result{}, err
		}
	}
	if err := checkCardNumbers(v, src.fields, from); err != nil {
		return Result{}, err
	}
	same := from == to
	out, err := dst.encode(v, same)
	if err != nil {
		return Result{}, fmt.Errorf("to %s: %w", to, err)
	}
	res := Result{Output: out}
	if v.residue != nil {
		res.Report.Unknown = v.residue.UnknownMembers().Paths()
	}
	if same {
		return res, nil
	}
	back, err := dst.decode(out)
	if err != nil {
		return Result{}, fmt.Errorf("adapters: %s cannot read what it wrote: %w", to, err)
	}
	lost, err := compare(v, back, src.fields, to)
	if err != nil {
		return Result{}, err
	}
	if v.residue != nil {
		for _, f := range v.residue.Dropped() {
			lost = append(lost, Dropped{Path: f.Field, Why: f.Message})
		}
	}
	slices.SortFunc(lost, func(a, b Dropped) int { return strings.Compare(a.Path, b.Path) })
	res.Report.Dropped = slices.CompactFunc(lost, func(a, b Dropped) bool { return a.Path == b.Path })
	return res, nil
}

// checkCardNumbers refuses a value whose free text (a memo, a label,
// metadata, a name) could hold a whole card number, naming the source's
// field: no translation writes one there, in cardkit's format or another.
func checkCardNumbers(v value, fields []wire.Field, from string) error {
	var found card.Problems
	if v.card != nil {
		v.card.CheckCardNumbers(&found)
	}
	if v.account != nil {
		v.account.CheckCardNumbers(&found)
	}
	return numbersError(&found, fields, from)
}

// numbersError is the error for the card numbers found, at the source's
// paths, or nil.
func numbersError(found *card.Problems, fields []wire.Field, from string) error {
	if found.Len() == 0 {
		return nil
	}
	var ce *card.Error
	if !errors.As(found.Err(""), &ce) {
		return nil
	}
	var p card.Problems
	for _, f := range ce.Fields {
		p.Add(sourcePath(fields, f.Field), f.Code, f.Message)
	}
	return p.Err(from + ".Decode")
}

// compare finds what the target lost: every leaf of the source's domain
// value, in the neutral encoding, that the target's reading of its own
// output does not give back, named by the source's JSON path.
func compare(before, after value, fields []wire.Field, to string) ([]Dropped, error) {
	a, err := flatten(before)
	if err != nil {
		return nil, err
	}
	b, err := flatten(after)
	if err != nil {
		return nil, err
	}
	var out []Dropped
	for path, was := range a {
		now, ok := b[path]
		if ok && now == was {
			continue
		}
		why := to + " has no place for it"
		switch {
		case strings.HasPrefix(path, "provider_refs."):
			why = "the " + strings.TrimPrefix(path, "provider_refs.") + " id is not a " + to + " id"
		case ok:
			why = to + " cannot express " + short(was) + "; it comes back as " + short(now)
		}
		out = append(out, Dropped{Path: sourcePath(fields, path), Why: why})
	}
	return out, nil
}

func short(s string) string {
	if len(s) > 40 {
		return strconv.Quote(s[:40] + "…")
	}
	return strconv.Quote(s)
}

// sourcePath names a neutral path by the source's field: the longest
// Domain prefix in fields wins; a path no field names keeps its neutral
// name.
func sourcePath(fields []wire.Field, path string) string {
	best, bestLen := "", -1
	for _, f := range fields {
		if (path == f.Domain || strings.HasPrefix(path, f.Domain+".") || strings.HasPrefix(path, f.Domain+"[")) && len(f.Domain) > bestLen {
			best, bestLen = f.Wire, len(f.Domain)
		}
	}
	if bestLen < 0 {
		return path
	}
	return best
}

// flatten lists the leaves of a domain value in its neutral encoding by
// path ("holder.name.first", "controls.limits[0].amount"). A full card
// number, which the neutral encoding leaves out, shows as "pan" (never its
// digits).
func flatten(v value) (map[string]string, error) {
	var doc any
	var data []byte
	var err error
	switch {
	case v.card != nil:
		data, err = wire.MarshalNeutral(v.card)
	case v.account != nil:
		data, err = wire.MarshalNeutral(v.account)
	default:
		return nil, errNoValue
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	out := map[string]string{}
	walk(out, "", doc)
	if v.card != nil && !v.card.PAN.IsZero() {
		out["pan"] = "the full card number"
	}
	if v.account != nil && v.account.External != nil && !v.account.External.PAN.IsZero() {
		out["external.pan"] = "the full card number"
	}
	return out, nil
}

func walk(out map[string]string, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walk(out, wire.Join(path, k), e)
		}
	case []any:
		for i, e := range x {
			walk(out, path+"["+strconv.Itoa(i)+"]", e)
		}
	default:
		out[path] = fmt.Sprint(x)
	}
}
