package adapters

import (
	"fmt"
	"slices"

	"github.com/cardkit/cardkit/account"
	"github.com/cardkit/cardkit/adapters/offblocks"
	"github.com/cardkit/cardkit/adapters/rocketkor"
	"github.com/cardkit/cardkit/adapters/solid"
	"github.com/cardkit/cardkit/adapters/synctera"
	"github.com/cardkit/cardkit/adapters/wire"
	"github.com/cardkit/cardkit/card"
)

// Kind is what a document is.
type Kind string

// Kinds of document.
const (
	KindCard         Kind = "card"          // a provider's card resource
	KindIssueRequest Kind = "issue-request" // the body of the call that issues a card
	KindAccount      Kind = "account"       // a financial account object
)

// Kinds lists every kind, in a fixed order.
func Kinds() []Kind { return []Kind{KindCard, KindIssueRequest, KindAccount} }

// The format names.
const (
	Synctera  = synctera.Name
	Solid     = solid.Name
	RocketKOR = rocketkor.Name
	OffBlocks = offblocks.Name
	Cardkit   = "cardkit"
)

// Registry is the set of formats a translation can go from and to. The
// zero Registry holds none; New returns one with every built-in format.
type Registry struct {
	formats []format
}

// format is one named wire format and the kinds of document it has.
type format struct {
	name   string
	doc    string
	codecs map[Kind]codec
}

// New returns a registry of the built-in formats: synctera, solid,
// rocketkor, offblocks and cardkit. Each call builds a fresh value.
func New() *Registry {
	return &Registry{formats: []format{
		{name: Synctera, doc: "Synctera API v0 (samples: adapters/synctera/testdata)", codecs: map[Kind]codec{
			KindCard: cardCodec(synctera.DecodeCard, synctera.EncodeCard, synctera.Fields(), synctera.Card{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := synctera.DecodeCard(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := synctera.EncodeCard(&c, r)
					return f.encodedSame(out, r, err)
				}),
			KindIssueRequest: cardCodec(synctera.DecodeCardRequest, synctera.EncodeCardRequest, synctera.Fields(), synctera.CardRequest{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := synctera.DecodeCardRequest(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := synctera.EncodeCardRequest(&c, r)
					return f.encodedSame(out, r, err)
				}),
		}},
		{name: Solid, doc: "Solid API v1 (samples: adapters/solid/testdata)", codecs: map[Kind]codec{
			KindCard: cardCodec(solid.DecodeCard, solid.EncodeCard, solid.Fields(), solid.Card{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := solid.DecodeCard(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := solid.EncodeCard(&c, r)
					return f.encodedSame(out, r, err)
				}),
			KindIssueRequest: cardCodec(solid.DecodeCardRequest, solid.EncodeCardRequest, requestFields(solid.Fields()), solid.CardRequest{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := solid.DecodeCardRequest(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := solid.EncodeCardRequest(&c, r)
					return f.encodedSame(out, r, err)
				}),
		}},
		{name: RocketKOR, doc: "RocketKOR KOR API v1 (samples: adapters/rocketkor/testdata)", codecs: map[Kind]codec{
			KindCard: cardCodec(rocketkor.DecodeCard, rocketkor.EncodeCard, rocketkor.Fields(), rocketkor.IssuedCardAccount{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := rocketkor.DecodeCard(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := rocketkor.EncodeCard(&c, r)
					return f.encodedSame(out, r, err)
				}),
			KindIssueRequest: cardCodec(rocketkor.DecodeIssueRequest, rocketkor.EncodeIssueRequest, requestFields(rocketkor.Fields()), rocketkor.IssueRequest{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := rocketkor.DecodeIssueRequest(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := rocketkor.EncodeIssueRequest(&c, r)
					return f.encodedSame(out, r, err)
				}),
			KindAccount: accountCodec(rocketkor.DecodeAccount, rocketkor.EncodeAccount, rocketkor.AccountFields(), rocketkor.ExternalCardAccount{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					a, r, err := rocketkor.DecodeAccount(in)
					if err = f.checkSame(kind, r, err, nil, &a); err != nil {
						return nil, nil, err
					}
					out, err := rocketkor.EncodeAccount(&a, r)
					return f.encodedSame(out, r, err)
				}),
		}},
		{name: OffBlocks, doc: "OffBlocks API v1 (samples: adapters/offblocks/testdata)", codecs: map[Kind]codec{
			KindCard: cardCodec(offblocks.DecodeCard, offblocks.EncodeCard, offblocks.Fields(), offblocks.Card{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := offblocks.DecodeCard(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := offblocks.EncodeCard(&c, r)
					return f.encodedSame(out, r, err)
				}),
			KindIssueRequest: cardCodec(offblocks.DecodeCardRequest, offblocks.EncodeCardRequest, offblocks.Fields(), offblocks.CardRequest{}).
				withSame(func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error) {
					c, r, err := offblocks.DecodeCardRequest(in)
					if err = f.checkSame(kind, r, err, &c, nil); err != nil {
						return nil, nil, err
					}
					out, err := offblocks.EncodeCardRequest(&c, r)
					return f.encodedSame(out, r, err)
				}),
		}},
		{name: Cardkit, doc: "cardkit's neutral JSON, schema version 1", codecs: map[Kind]codec{
			KindCard:         neutralCardCodec(KindCard),
			KindIssueRequest: neutralCardCodec(KindIssueRequest),
			KindAccount:      neutralAccountCodec(),
		}},
	}}
}

// Formats lists the names of the formats, in the registry's order.
func (r *Registry) Formats() []string {
	out := make([]string, len(r.formats))
	for i, f := range r.formats {
		out[i] = f.name
	}
	return out
}

// Doc says which document a format follows.
func (r *Registry) Doc(name string) string {
	if f := r.find(name); f != nil {
		return f.doc
	}
	return ""
}

// Kinds lists the kinds of document a format has.
func (r *Registry) Kinds(name string) []Kind {
	f := r.find(name)
	if f == nil {
		return nil
	}
	var out []Kind
	for _, k := range Kinds() {
		if _, ok := f.codecs[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

func (r *Registry) find(name string) *format {
	for i := range r.formats {
		if r.formats[i].name == name {
			return &r.formats[i]
		}
	}
	return nil
}

// codecFor finds the format and its codec of a kind, or says which is
// missing as a *card.Error naming the flag-like field ("from", "to",
// "kind").
func (r *Registry) codecFor(field, name string, kind Kind) (*format, codec, error) {
	f := r.find(name)
	if f == nil {
		return nil, codec{}, card.UnknownValue("adapters.Translate", field, name, "format ("+fmt.Sprint(r.Formats())+")")
	}
	c, ok := f.codecs[kind]
	if !ok {
		if !slices.Contains(Kinds(), kind) {
			return nil, codec{}, card.UnknownValue("adapters.Translate", "kind", string(kind), "kind (card, issue-request, account)")
		}
		var p card.Problems
		p.AddValue("kind", card.CodeNotAllowed, string(kind), name+" has no "+string(kind)+" document")
		return nil, codec{}, p.Err("adapters.Translate")
	}
	return f, c, nil
}

// value is a decoded document: the domain value and what the source
// format holds beyond it.
type value struct {
	card    *card.Card
	account *account.Account
	residue residue // the source's Residue: kept for a round trip through the same format, listed otherwise
}

// codec is one kind of document of one format.
type codec struct {
	decode func([]byte) (value, error)
	encode func(value, bool) ([]byte, error) // bool: same format, so the residue applies
	fields []wire.Field                      // where the neutral fields sit in this format
	// same is decode, the kind check and encode with the residue, for a
	// document going to its own format (nil: decode and encode do it). It
	// calls the format's functions directly: through decode and encode,
	// func values, the decoded card escapes to the heap, which costs a
	// small document a tenth of its time.
	same func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error)
	// members are the top-level member names of this kind's wire struct.
	members []string
}

// withSame returns c with same set.
func (c codec) withSame(same func(in []byte, f *format, kind Kind) ([]byte, wire.Unknown, error)) codec {
	c.same = same
	return c
}

// checkSame is the step of a codec's same between decode, which returned
// r and err, and encode: the decode error, free text of the decoded card or
// account holding a card number, or the kind check.
func (f *format) checkSame(kind Kind, r residue, err error, c *card.Card, a *account.Account) error {
	if err != nil {
		return err
	}
	if err := checkCardNumbers(value{card: c, account: a}, f.codecs[kind].fields, f.name); err != nil {
		return err
	}
	return f.checkKind(kind, r.UnknownMembers())
}

// encodedSame is the end of a codec's same: the output and the unknown
// members, or the encode error as Translate reports it.
func (f *format) encodedSame(out []byte, r residue, err error) ([]byte, wire.Unknown, error) {
	if err != nil {
		return nil, nil, fmt.Errorf("to %s: %w", f.name, err)
	}
	return out, r.UnknownMembers(), nil
}

// residue is what every provider's Residue offers.
type residue interface {
	Dropped() []card.FieldError
	UnknownMembers() wire.Unknown
}

func cardCodec[R residue](dec func([]byte) (card.Card, R, error), enc func(*card.Card, R) ([]byte, error), fields []wire.Field, shape any) codec {
	return codec{
		decode: func(b []byte) (value, error) {
			c, r, err := dec(b)
			if err != nil {
				return value{}, err
			}
			return value{card: &c, residue: r}, nil
		},
		encode: func(v value, same bool) ([]byte, error) {
			if v.card == nil {
				return nil, errNoValue
			}
			var r R
			if same {
				r, _ = v.residue.(R)
			}
			return enc(v.card, r)
		},
		fields:  fields,
		members: wire.MemberNames(shape),
	}
}

func accountCodec[R residue](dec func([]byte) (account.Account, R, error), enc func(*account.Account, R) ([]byte, error), fields []wire.Field, shape any) codec {
	return codec{
		decode: func(b []byte) (value, error) {
			a, r, err := dec(b)
			if err != nil {
				return value{}, err
			}
			return value{account: &a, residue: r}, nil
		},
		encode: func(v value, same bool) ([]byte, error) {
			if v.account == nil {
				return nil, errNoValue
			}
			var r R
			if same {
				r, _ = v.residue.(R)
			}
			return enc(v.account, r)
		},
		fields:  fields,
		members: wire.MemberNames(shape),
	}
}

// requestFields maps the neutral fields of a card to a request's paths:
// the request carries the card details at "card" where the response has
// them at "_embedded.providerDetails", and the billing address at the top.
func requestFields(fs []wire.Field) []wire.Field {
	out := make([]wire.Field, len(fs))
	for i, f := range fs {
		for _, re := range [][2]string{{"_embedded.providerDetails.", "card."}, {"cardholder.billingAddress.", "billingAddress."}} {
			if len(f.Wire) > len(re[0]) && f.Wire[:len(re[0])] == re[0] {
				f.Wire = re[1] + f.Wire[len(re[0]):]
			}
		}
		out[i] = f
	}
	return out
}

// checkKind refuses a document whose unknown top-level members are members
// the format documents for another kind: such a document is of that kind.
func (f *format) checkKind(kind Kind, u wire.Unknown) error {
	if len(u[""]) == 0 {
		return nil
	}
	own := f.codecs[kind].members
	var p card.Problems
	for _, path := range (wire.Unknown{"": u[""]}).Paths() {
		for _, other := range Kinds() {
			c, ok := f.codecs[other]
			if other == kind || !ok || slices.Contains(own, path) || !slices.Contains(c.members, path) {
				continue
			}
			p.AddValue(path, card.CodeNotAllowed, string(other), "a member of a "+f.name+" "+string(other)+" document, not of a "+string(kind))
			break
		}
	}
	return p.Err("adapters.Translate")
}
