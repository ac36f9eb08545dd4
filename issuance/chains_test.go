package issuance_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/cardkit/cardkit/adapters/sandbox"
	"github.com/cardkit/cardkit/card"
	"github.com/cardkit/cardkit/issuance"
	"github.com/cardkit/cardkit/storage"
)

// chainSM drives one service through random reissue chains.
type chainSM struct {
	e     *env
	prov  *answered // the service's provider: the sandbox, and a hook after it acted
	store *flaky    // the service's store, whose next unit can be made to fail
	ctx   context.Context
	n     int
	done  []pastCall
	must  map[uuid.UUID]string // cards the rules say must have ended, and why
	log   []string
	steps *int
	stats map[string]int // what the runs did, for the log
	// pending is set while a call whose answer was lost waits: the
	// provider has acted on a card this store does not know the change
	// of yet, and may refuse another call on it with a final error.
	pending bool
	// adopted are replacements recorded by a stale reissue's retry after
	// another call ended or replaced the old card meanwhile: the provider
	// made them before that call, and a number it kept may since have been
	// ended as lost, stolen or compromised in another card of the chain.
	// They hold it at the provider too; they are recorded (here, and in the
	// retry's answer) so that they can be ended.
	adopted map[uuid.UUID]bool
}

type pastCall struct {
	desc string
	do   func(key string) (any, error)
	key  string
	out  any
	err  error
}

type snapshot struct {
	cards  map[uuid.UUID]card.Card
	remote map[uuid.UUID]card.Card
	events map[uuid.UUID][]storage.Event
	nsbx   int
	calls  [3]int
}

func (m *chainSM) cards(t *rapid.T) []card.Card {
	var all []card.Card
	page := storage.Page{Limit: 500}
	for {
		p, err := m.e.svc.List(m.ctx, tenant, storage.CardFilter{}, page)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		all = append(all, p.Cards...)
		if p.Next == "" {
			break
		}
		page.Cursor = p.Next
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID.String() < all[j].ID.String() })
	return all
}

func (m *chainSM) snap(t *rapid.T) snapshot {
	s := snapshot{cards: map[uuid.UUID]card.Card{}, remote: map[uuid.UUID]card.Card{}, events: map[uuid.UUID][]storage.Event{}}
	for _, c := range m.cards(t) {
		s.cards[c.ID] = c
		if r, err := m.e.sbx.Card(c.ProviderRefs[sandbox.Name]); err == nil {
			s.remote[c.ID] = r
		}
		evs, err := m.e.svc.History(m.ctx, tenant, c.ID)
		if err != nil {
			t.Fatalf("history: %v", err)
		}
		s.events[c.ID] = evs
	}
	s.nsbx = m.e.sbx.Cards()
	s.calls = [3]int{m.e.sbx.Calls(sandbox.OpIssue), m.e.sbx.Calls(sandbox.OpChange), m.e.sbx.Calls(sandbox.OpReissue)}
	return s
}

func (m *chainSM) pick(t *rapid.T, label string) uuid.UUID {
	cs := m.cards(t)
	if len(cs) == 0 {
		t.Skip("no card")
	}
	return cs[rapid.IntRange(0, len(cs)-1).Draw(t, label)].ID
}

func (m *chainSM) key() string {
	m.n++
	return fmt.Sprintf("k%d", m.n)
}

func allowedErr(err error) bool {
	var ce *card.Error
	return errors.As(err, &ce) || errors.Is(err, card.ErrIllegalTransition) || errors.Is(err, card.ErrCannotReissue) ||
		errors.Is(err, issuance.ErrCardBusy) || errors.Is(err, issuance.ErrSuperseded)
}

// step runs one call, with checks of what it changed.
func (m *chainSM) step(t *rapid.T, desc string, do func(key string) (any, error), f fault) {
	key := m.key()
	before := m.snap(t)
	if f.op != "" {
		switch f.kind {
		case finishFails:
			m.prov.then = func() { m.prov.then = nil; m.store.armed.Store(true) }
		default:
			m.e.sbx.FailNext(f.op, sandbox.FailAfterEffect, 1)
		}
		_, err := do(key)
		m.prov.then = nil // not fired by a call refused before the provider
		m.log = append(m.log, fmt.Sprintf("%s key=%s FAULT(%s %s) -> %v", desc, key, f.op, f.kind, err))
		if err == nil || allowedErr(err) {
			// refused locally before the provider: the fault stays queued;
			// drop it by making sure nothing else is hit.
			if err != nil {
				m.checkUnchanged(t, desc, before, m.snap(t), true)
				m.done = append(m.done, pastCall{desc: desc, do: do, key: key, err: err})
				if f.kind != finishFails {
					m.drainFault(t, f.op) // consume the queued fault with a harmless call
				}
				return
			}
			t.Fatalf("%s: succeeded with a fault queued", desc)
		}
		if f.kind == finishFails && !errors.Is(err, errInjected) || f.kind != finishFails && !retryableProvider(err) {
			t.Fatalf("%s: fault gave %T %v", desc, err, err)
		}
		mid := m.snap(t)
		m.checkUnchanged(t, desc+" (after the fault, locally)", before, mid, false)
		if f.kind == lostThen503 {
			// The retry reaches the provider, which refuses it before
			// acting: what the first attempt may have done stays owed.
			m.e.sbx.FailNext(f.op, sandbox.FailBeforeEffect, 1)
			_, err := do(key)
			m.log = append(m.log, fmt.Sprintf("%s key=%s 503 -> %v", desc, key, err))
			if !retryableProvider(err) {
				t.Fatalf("%s: the retry given a 503 said %T %v\n%s", desc, err, err, m.trace())
			}
			m.checkUnchanged(t, desc+" (after the 503, locally)", mid, m.snap(t), true)
		}
		m.e.clk.advance(time.Second)
		if f.kind == finishFails {
			out, err := do(key)
			if got := m.snap(t).calls; got != mid.calls {
				t.Fatalf("%s: the retry of a call whose answer was kept asked the provider again (%v -> %v): %s\n%s", desc, mid.calls, got, short(out, err), m.trace())
			}
			m.done = append(m.done, pastCall{desc: desc, do: do, key: key, out: out, err: err})
			m.log = append(m.log, fmt.Sprintf("%s key=%s -> %s", desc, key, short(out, err)))
			m.settled(t, desc, f, before, out, err)
			return
		}
	}
	m.e.clk.advance(time.Second)
	out, err := do(key)
	m.log = append(m.log, fmt.Sprintf("%s key=%s -> %s", desc, key, short(out, err)))
	m.done = append(m.done, pastCall{desc: desc, do: do, key: key, out: out, err: err})
	m.settled(t, desc, f, before, out, err)
}

// settled checks and counts the outcome of a call: what changed since
// before.
func (m *chainSM) settled(t *rapid.T, desc string, f fault, before snapshot, out any, err error) {
	after := m.snap(t)
	if err != nil {
		if !allowedErr(err) && !(m.pending && finalProvider(err)) {
			t.Fatalf("%s: error not allowed: %T %v\n%s", desc, err, err, m.trace())
		}
		m.checkUnchanged(t, desc, before, after, f.op == "")
	} else {
		m.checkEvents(t, desc, before, after)
	}
	*m.steps++
	kind := desc
	for i, r := range desc {
		if r == ' ' {
			kind = desc[:i]
			break
		}
	}
	if f.op != "" {
		kind += "+" + f.kind.String()
	}
	if err != nil {
		kind += " refused"
	} else if r, ok := out.(issuance.Reissued); ok && r.Old.Reissue.From != "" {
		kind += " (of a replacement)"
	} else if c, ok := out.(card.Card); ok && c.Reissue.From != "" {
		kind += " (a replacement)"
	}
	m.stats[kind]++
	for id, c := range after.cards {
		for _, ev := range after.events[id][len(before.events[id]):] {
			m.stats["event "+ev.Kind]++
		}
		_ = c
	}
}

// drainFault consumes a queued fault of op that a refused call left.
func (m *chainSM) drainFault(t *rapid.T, op sandbox.Op) {
	// Rebuild the sandbox queue: FailNext appends; the only way to drop it
	// is to make a call of op that the sandbox answers with the fault. We
	// call the sandbox directly with a throwaway key on an unknown card.
	switch op {
	case sandbox.OpIssue:
		_, _ = m.e.sbx.IssueCard(m.ctx, "drain-"+m.key(), card.Card{Form: card.Form(0)})
	case sandbox.OpChange:
		_, _ = m.e.sbx.ChangeStatus(m.ctx, "drain-"+m.key(), card.Card{}, card.Move{})
	case sandbox.OpReissue:
		_, _ = m.e.sbx.ReissueCard(m.ctx, "drain-"+m.key(), card.Card{}, card.ReissuePlan{})
	}
}

func short(out any, err error) string {
	if err != nil {
		return "ERR " + err.Error()
	}
	switch v := out.(type) {
	case card.Card:
		return fmt.Sprintf("%s %s", v.ID.String()[:8], v.Status)
	case issuance.Reissued:
		return fmt.Sprintf("new %s %s old %s %s", v.New.ID.String()[:8], v.New.Status, v.Old.ID.String()[:8], v.Old.Status)
	}
	return fmt.Sprint(out)
}

func (m *chainSM) trace() string {
	s := ""
	for _, l := range m.log {
		s += "  " + l + "\n"
	}
	return s
}

func (m *chainSM) checkUnchanged(t *rapid.T, desc string, before, after snapshot, calls bool) {
	if len(before.cards) != len(after.cards) || calls && before.nsbx != after.nsbx {
		t.Fatalf("%s: refused but cards %d->%d, sandbox %d->%d\n%s", desc, len(before.cards), len(after.cards), before.nsbx, after.nsbx, m.trace())
	}
	for id, c := range before.cards {
		if !reflect.DeepEqual(c, after.cards[id]) || len(before.events[id]) != len(after.events[id]) {
			t.Fatalf("%s: refused but card %s changed locally\n%s", desc, id, m.trace())
		}
		if !calls {
			continue
		}
		if before.remote[id].Status != after.remote[id].Status {
			t.Fatalf("%s: refused but card %s changed at the sandbox %s -> %s\n%s", desc, id, before.remote[id].Status, after.remote[id].Status, m.trace())
		}
	}
}

func (m *chainSM) checkEvents(t *rapid.T, desc string, before, after snapshot) {
	for id, c := range after.cards {
		old, existed := before.cards[id]
		added := after.events[id][len(before.events[id]):]
		changed := !existed || old.Version != c.Version || !reflect.DeepEqual(old, c)
		switch {
		case !changed && len(added) != 0:
			t.Fatalf("%s: card %s unchanged but %d events\n%s", desc, id, len(added), m.trace())
		case changed && len(added) != 1:
			t.Fatalf("%s: card %s changed (%s -> %s) with %d events\n%s", desc, id, old.Status, c.Status, len(added), m.trace())
		case changed:
			ev := added[0]
			if ev.From != old.Status || ev.To != c.Status {
				t.Fatalf("%s: card %s event %s %s->%s, card %s->%s\n%s", desc, id, ev.Kind, ev.From, ev.To, old.Status, c.Status, m.trace())
			}
		}
	}
}

func (m *chainSM) Check(t *rapid.T) {
	cs := m.cards(t)
	byID := map[string]card.Card{}
	for _, c := range cs {
		byID[c.ID.String()] = c
	}
	if n := m.e.sbx.Cards(); n != len(cs) {
		t.Fatalf("sandbox holds %d cards, the store %d\n%s", n, len(cs), m.trace())
	}
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			t.Fatalf("card %s: %v\n%s", c.ID, err, m.trace())
		}
		r, err := m.e.sbx.Card(c.ProviderRefs[sandbox.Name])
		if err != nil {
			t.Fatalf("card %s at sandbox: %v", c.ID, err)
		}
		if r.Status != c.Status {
			t.Fatalf("card %s: local %s, sandbox %s\n%s", c.ID.String()[:8], c.Status, r.Status, m.trace())
		}
		if c.Reissue.To != "" {
			n, ok := byID[c.Reissue.To]
			if !ok || n.Reissue.From != c.ID.String() {
				t.Fatalf("card %s: reissue.to %s does not name it back\n%s", c.ID, c.Reissue.To, m.trace())
			}
		}
		if why, ok := m.must[c.ID]; ok && !c.Status.Final() {
			t.Fatalf("card %s must have ended (%s) but is %s\n%s", c.ID.String()[:8], why, c.Status, m.trace())
		}
		evs, _ := m.e.svc.History(m.ctx, tenant, c.ID)
		for i, ev := range evs {
			if i == 0 && ev.From != 0 || i > 0 && ev.From != evs[i-1].To {
				t.Fatalf("card %s: event %d %s from %s after %s\n%s", c.ID, i, ev.Kind, ev.From, evs[i-1].To, m.trace())
			}
		}
		if len(evs) == 0 || evs[len(evs)-1].To != c.Status {
			t.Fatalf("card %s: last event does not end in %s", c.ID, c.Status)
		}
	}
	// No live card shares its number with a card ended as lost, stolen
	// or compromised, unless both are of a reissue tree (the cards linked
	// by reissue.from) in which a stale retry recorded a replacement (see
	// adopted): the rules follow one chain, and the provider made that
	// replacement before the other call ended the number (so it holds the
	// number there too), or made the number's other cards while the
	// retry's answer was lost.
	root := func(c card.Card) uuid.UUID {
		for range cs {
			p, ok := byID[c.Reissue.From]
			if !ok {
				break
			}
			c = p
		}
		return c.ID
	}
	forked := map[uuid.UUID]bool{}
	for _, c := range cs {
		if m.adopted[c.ID] {
			forked[root(c)] = true
		}
	}
	for _, c := range cs {
		if why := m.must[c.ID]; c.Status != card.StatusTerminated || c.Fingerprint.IsZero() || len(why) < 8 || why[:8] != "reissued" {
			continue
		}
		switch c.StatusReason {
		case card.ReasonLOS, card.ReasonSTO, card.ReasonCOM:
		default:
			continue
		}
		for _, o := range cs {
			if o.ID != c.ID && o.Fingerprint == c.Fingerprint && !o.Status.Final() && o.Status.Issued() && !(root(o) == root(c) && forked[root(c)]) {
				t.Fatalf("card %s live (%s) with the number of %s, ended %s\n%s", o.ID.String()[:8], o.Status, c.ID.String()[:8], c.StatusReason, m.trace())
			}
		}
	}
}

var actors = []card.Actor{card.ActorHolder, card.ActorProgram}

// fault is what goes wrong with a call of the provider's op, if op is set.
type fault struct {
	op   sandbox.Op
	kind faultKind
}

type faultKind int

const (
	lostAnswer  faultKind = iota // the provider acted; its answer is lost
	lostThen503                  // and the first retry gets a 503
	finishFails                  // the provider answered; the unit that finishes the call fails
)

func (k faultKind) String() string {
	return [...]string{"lost answer", "lost answer, then 503", "finish fails"}[k]
}

// maybeFault is a fault of op for one call in six, of any kind.
func maybeFault(t *rapid.T, op sandbox.Op) fault {
	if rapid.IntRange(0, 5).Draw(t, "fault") < 5 {
		return fault{}
	}
	return fault{op: op, kind: rapid.SampledFrom([]faultKind{lostAnswer, lostThen503, finishFails}).Draw(t, "kind")}
}

func retryableProvider(err error) bool {
	var pe *issuance.ProviderError
	return errors.As(err, &pe) && pe.Retryable
}

func finalProvider(err error) bool {
	var pe *issuance.ProviderError
	return errors.As(err, &pe) && !pe.Retryable
}

// flaky is a store whose next unit fails, once armed.
type flaky struct {
	storage.Store
	armed atomic.Bool
}

var errInjected = errors.New("injected store failure")

func (f *flaky) Atomic(ctx context.Context, fn func(context.Context, storage.Tx) error, opts ...storage.UnitOption) error {
	if f.armed.CompareAndSwap(true, false) {
		return errInjected
	}
	return f.Store.Atomic(ctx, fn, opts...)
}

// change is the action of one status change, by the holder or the
// program, for one of reasons.
func (m *chainSM) change(op string, reasons []card.StatusReason, call func(context.Context, string, string, issuance.ChangeRequest) (card.Card, error)) func(*rapid.T) {
	return func(t *rapid.T) {
		id := m.pick(t, "card")
		by := rapid.SampledFrom(actors).Draw(t, "by")
		reason := rapid.SampledFrom(reasons).Draw(t, "reason")
		req := issuance.ChangeRequest{CardID: id, By: by, Reason: reason}
		m.step(t, fmt.Sprintf("%s %s by %s %s", op, id.String()[:8], by, reason), func(k string) (any, error) {
			return call(m.ctx, tenant, k, req)
		}, maybeFault(t, sandbox.OpChange))
	}
}

func (m *chainSM) actions() map[string]func(*rapid.T) {
	ctx := m.ctx
	return map[string]func(*rapid.T){
		"": m.Check,
		"issue": func(t *rapid.T) {
			form := rapid.SampledFrom([]card.Form{card.FormPhysical, card.FormVirtual}).Draw(t, "form")
			req := m.e.request(form)
			m.step(t, "issue "+form.String(), func(k string) (any, error) { return m.e.svc.Issue(ctx, tenant, k, req) }, maybeFault(t, sandbox.OpIssue))
		},
		"activate": func(t *rapid.T) {
			id := m.pick(t, "card")
			by := rapid.SampledFrom(actors).Draw(t, "by")
			// model: the activation of a replacement linked from a live old card ends it (ON_ACTIVATION)
			c, _ := m.e.svc.Get(ctx, tenant, id)
			req := issuance.ChangeRequest{CardID: id, By: by}
			m.step(t, fmt.Sprintf("activate %s by %s", id.String()[:8], by), func(k string) (any, error) {
				return m.e.svc.Activate(ctx, tenant, k, req)
			}, maybeFault(t, sandbox.OpChange))
			last := m.done[len(m.done)-1]
			if last.err == nil && c.Reissue.From != "" && c.Reissue.Reason.Rule().OldEnds == card.EndOnActivation {
				if prevID, err := uuid.Parse(c.Reissue.From); err == nil {
					if p, err := m.e.svc.Get(ctx, tenant, prevID); err == nil && p.Reissue.To == id.String() {
						m.must[prevID] = "its replacement " + id.String()[:8] + " was activated"
					}
				}
			}
		},
		"suspend":   m.change("suspend", []card.StatusReason{card.ReasonREQ, card.ReasonLOS, card.ReasonSTO, card.ReasonFRD, card.ReasonTMP}, m.e.svc.Suspend),
		"resume":    m.change("resume", []card.StatusReason{card.ReasonREQ, card.ReasonACT, card.ReasonOTH}, m.e.svc.Resume),
		"terminate": m.change("terminate", []card.StatusReason{card.ReasonREQ, card.ReasonLOS, card.ReasonFRD}, m.e.svc.Terminate),
		"reissue": func(t *rapid.T) {
			id := m.pick(t, "card")
			reason := rapid.SampledFrom(card.ReissueReasonValues()).Draw(t, "reason")
			var opts card.ReissueOptions
			opts.NewPAN = rapid.Bool().Draw(t, "newpan")
			opts.NewExpiry = rapid.Bool().Draw(t, "newexp")
			opts.Form = rapid.SampledFrom([]card.Form{0, card.FormPhysical, card.FormVirtual}).Draw(t, "oform")
			opts.ProductID = rapid.SampledFrom([]string{"", "prod-2"}).Draw(t, "prod")
			opts.NameOnCard = rapid.SampledFrom([]string{"", "John Doe"}).Draw(t, "name")
			if rapid.Bool().Draw(t, "emboss") {
				opts.Emboss = card.Emboss{Line1: "JOHN DOE"}
			}
			by := rapid.SampledFrom([]card.Actor{0, card.ActorHolder, card.ActorProgram}).Draw(t, "by")
			req := issuance.ReissueRequest{CardID: id, Reason: reason, Options: opts, By: by}
			m.step(t, fmt.Sprintf("reissue %s for %s %+v", id.String()[:8], reason, opts), func(k string) (any, error) {
				return m.e.svc.Reissue(ctx, tenant, k, req)
			}, maybeFault(t, sandbox.OpReissue))
			last := m.done[len(m.done)-1]
			if last.err == nil && reason.Rule().OldEnds == card.EndImmediately {
				m.must[id] = "reissued for " + reason.String()
			}
		},
		"stale": m.stale,
		"replay": func(t *rapid.T) {
			if len(m.done) == 0 {
				t.Skip("nothing to replay")
			}
			p := m.done[rapid.IntRange(0, len(m.done)-1).Draw(t, "past")]
			before := m.snap(t)
			out, err := p.do(p.key)
			m.log = append(m.log, fmt.Sprintf("REPLAY %s key=%s -> %s", p.desc, p.key, short(out, err)))
			if (err == nil) != (p.err == nil) || err != nil && err.Error() != p.err.Error() || err == nil && !reflect.DeepEqual(out, p.out) {
				t.Fatalf("replay of %s key=%s: first %s, now %s\n%s", p.desc, p.key, short(p.out, p.err), short(out, err), m.trace())
			}
			m.checkUnchanged(t, "replay "+p.desc, before, m.snap(t), true)
			if got := m.snap(t).calls; got != before.calls {
				t.Fatalf("replay reached the sandbox: %v -> %v", before.calls, got)
			}
		},
	}
}

// TestReissueChainsStateMachine drives the service, on each store, through
// random sequences of issues, activations, holds, terminations, reissues
// for every reason (of replacements too), replays of earlier keys, and
// faults (provider answers lost after the effect, some then refused with a
// 503 on their retry; finishes that fail after the provider answered, whose
// retry must not ask it again; calls whose answer is lost and whose lease
// runs out before another call acts on the card and the first is
// retried, some after a 503 and a call in between, some two to a card),
// and checks after every step that
// the store and the sandbox agree, every card is valid, reissue links point
// both ways, no card that must have ended is live (nor one sharing its
// number with a card ended as lost, stolen or compromised), each change
// wrote one event per changed card, and a refused call changed nothing.
func TestReissueChainsStateMachine(t *testing.T) {
	stores(t, func(t *testing.T, newStore func(*testing.T) storage.Store) {
		if raceEnabled && strings.HasSuffix(t.Name(), "/sqlite") {
			t.Skip("the run without -race covers SQLite; with it, this one takes 40 s")
		}
		runs, steps, stats := 0, 0, map[string]int{}
		rapid.Check(t, func(rt *rapid.T) {
			runs++
			fs := &flaky{Store: newStore(t)}
			e := newEnv(t, fs)
			prov := &answered{Sandbox: e.sbx}
			e.svc = e.on(t, prov)
			m := &chainSM{e: e, prov: prov, store: fs, ctx: context.Background(), must: map[uuid.UUID]string{}, adopted: map[uuid.UUID]bool{}, steps: &steps, stats: stats}
			rt.Repeat(m.actions())
		})
		t.Logf("runs %d, calls %d", runs, steps)
		keys := make([]string, 0, len(stats))
		for k := range stats {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("  %-40s %d", k, stats[k])
		}
	})
}

// callOn draws one call on card id, a status change or a reissue, as the
// other actions draw them.
func (m *chainSM) callOn(t *rapid.T, id uuid.UUID, label string, ops ...string) (string, sandbox.Op, func(key string) (any, error)) {
	by := rapid.SampledFrom(actors).Draw(t, label+" by")
	changes := map[string]struct {
		reasons []card.StatusReason
		call    func(context.Context, string, string, issuance.ChangeRequest) (card.Card, error)
	}{
		"activate":  {[]card.StatusReason{0}, m.e.svc.Activate},
		"suspend":   {[]card.StatusReason{card.ReasonREQ, card.ReasonLOS, card.ReasonFRD}, m.e.svc.Suspend},
		"resume":    {[]card.StatusReason{card.ReasonREQ, card.ReasonACT}, m.e.svc.Resume},
		"terminate": {[]card.StatusReason{card.ReasonREQ, card.ReasonLOS}, m.e.svc.Terminate},
	}
	op := rapid.SampledFrom(ops).Draw(t, label)
	if op == "reissue" {
		reason := rapid.SampledFrom(card.ReissueReasonValues()).Draw(t, label+" reason")
		form := rapid.SampledFrom([]card.Form{0, card.FormPhysical, card.FormVirtual}).Draw(t, label+" form")
		req := issuance.ReissueRequest{CardID: id, Reason: reason, Options: card.ReissueOptions{Form: form}, By: by}
		return fmt.Sprintf("reissue %s for %s form %s", id.String()[:8], reason, form), sandbox.OpReissue, func(k string) (any, error) {
			out, err := m.e.svc.Reissue(m.ctx, tenant, k, req)
			if err == nil && reason.Rule().OldEnds == card.EndImmediately {
				m.must[id] = "reissued for " + reason.String()
			}
			return out, err
		}
	}
	c := changes[op]
	req := issuance.ChangeRequest{CardID: id, By: by, Reason: rapid.SampledFrom(c.reasons).Draw(t, label+" reason")}
	return fmt.Sprintf("%s %s by %s %s", op, id.String()[:8], by, req.Reason), sandbox.OpChange, func(k string) (any, error) {
		return c.call(m.ctx, tenant, k, req)
	}
}

// stale is a call whose provider answer is lost after the provider acted,
// whose lease then runs out, so that another call, with another key, acts
// on the same card before the first is retried: the retry must leave the
// store and the sandbox agreeing, as every call does (a reissue records
// its replacement; a hold or an end superseded by the other call's move
// is not carried out; an activation overtaken so is recorded without a
// move).
func (m *chainSM) stale(t *rapid.T) {
	id := m.pick(t, "card")
	lost := []string{"activate", "suspend", "resume", "terminate", "reissue"}
	a := m.lose(t, id, "stale", true, lost...)
	if a == nil {
		return
	}
	m.e.clk.advance(2 * time.Minute) // past the lease: the card is free again
	m.pending = true
	defer func() { m.pending = false }()
	// A call cut before it left reaches the provider, on its retry, after
	// any call that took the card meanwhile: two lost calls are not drawn
	// after it (see issuance.ErrSuperseded).
	if a.cut || !rapid.Bool().Draw(t, "meanwhile lost too") {
		odesc, _, other := m.callOn(t, id, "meanwhile", lost...)
		m.step(t, odesc, other, fault{})
		m.e.clk.advance(time.Second)
		m.pending = false
		m.retry(t, id, a)
		return
	}
	// Two lost answers on the card: the second call took it after the
	// first, and the two are retried in either order.
	b := m.lose(t, id, "meanwhile", false, lost...)
	if b == nil {
		m.pending = false
		m.retry(t, id, a)
		return
	}
	m.e.clk.advance(2 * time.Minute)
	if rapid.Bool().Draw(t, "later first") {
		a, b = b, a
	}
	m.retry(t, id, a)
	m.e.clk.advance(time.Second)
	m.pending = false
	m.retry(t, id, b)
}

// lostCall is a call whose provider answer was lost after the provider
// acted, or that was cut before it left, not yet retried.
type lostCall struct {
	desc, key string
	op        sandbox.Op
	do        func(key string) (any, error)
	cut       bool
}

// lose draws a call on card id and makes it lose its answer after the
// provider acted, or, if cuttable, sometimes cuts it before it leaves; nil
// if the call was refused before the provider.
func (m *chainSM) lose(t *rapid.T, id uuid.UUID, label string, cuttable bool, ops ...string) *lostCall {
	desc, op, do := m.callOn(t, id, label, ops...)
	key := m.key()
	if rapid.IntRange(0, 3).Draw(t, label+" 503 first") == 0 {
		// Refused before the provider acts: the card is free at once, and
		// another call takes it before the attempt that acts.
		before := m.snap(t)
		m.e.sbx.FailNext(op, sandbox.FailBeforeEffect, 1)
		_, err := do(key)
		m.log = append(m.log, fmt.Sprintf("%s key=%s FAULT(503) -> %v", desc, key, err))
		switch {
		case err == nil:
			t.Fatalf("%s: succeeded with a fault queued", desc)
		case allowedErr(err) || m.pending && finalProvider(err):
			m.checkUnchanged(t, desc, before, m.snap(t), true)
			m.drainFault(t, op)
			return nil
		case !retryableProvider(err):
			t.Fatalf("%s: a 503 gave %T %v", desc, err, err)
		}
		m.checkUnchanged(t, desc+" (503)", before, m.snap(t), true)
		bdesc, _, between := m.callOn(t, id, label+" between", "activate", "suspend", "resume", "terminate", "reissue")
		m.step(t, bdesc, between, fault{})
	}
	before := m.snap(t)
	cut := cuttable && rapid.IntRange(0, 3).Draw(t, label+" cut") == 0
	fault := "lost answer"
	if cut {
		m.prov.cut, fault = true, "cut before it left"
	} else {
		m.e.sbx.FailNext(op, sandbox.FailAfterEffect, 1)
	}
	_, err := do(key)
	m.log = append(m.log, fmt.Sprintf("%s key=%s FAULT(%s, then the lease runs out) -> %v", desc, key, fault, err))
	switch {
	case err == nil:
		t.Fatalf("%s: succeeded with a fault queued", desc)
	case allowedErr(err) || m.pending && finalProvider(err):
		m.checkUnchanged(t, desc, before, m.snap(t), true)
		if cut {
			m.prov.cut = false
		} else {
			m.drainFault(t, op)
		}
		return nil
	case !retryableProvider(err) && !(cut && errors.Is(err, context.DeadlineExceeded)):
		t.Fatalf("%s: fault gave %T %v", desc, err, err)
	}
	if cut {
		m.checkUnchanged(t, desc+" (cut)", before, m.snap(t), true)
	}
	return &lostCall{desc: desc, key: key, op: op, do: do, cut: cut}
}

// retry retries a lost call on card id, and checks what it changed.
func (m *chainSM) retry(t *rapid.T, id uuid.UUID, c *lostCall) {
	mid := m.snap(t)
	was := mid.cards[id]
	out, err := c.do(c.key)
	m.log = append(m.log, fmt.Sprintf("%s key=%s (retried) -> %s", c.desc, c.key, short(out, err)))
	m.done = append(m.done, pastCall{desc: c.desc, do: c.do, key: c.key, out: out, err: err})
	if r, ok := out.(issuance.Reissued); ok && err == nil && (was.Status.Final() || was.Reissue.To != "") {
		m.adopted[r.New.ID] = true
		m.stats["stale, its old card ended or replaced meanwhile"]++
	}
	// A call cut before it left is judged by the provider only now, and
	// may be refused.
	pending := m.pending
	m.pending = m.pending || c.cut
	m.settled(t, "stale "+c.desc, fault{op: c.op, kind: lostAnswer}, mid, out, err)
	m.pending = pending
}
