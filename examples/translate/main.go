// Command translate turns one card-issuing provider's JSON into another's,
// through cardkit's domain:
//
//	go run ./examples/translate -from synctera -to solid -kind card < in.json > out.json
//
// It reads the source document on standard input and writes only the
// target document, indented, on standard output. Every source field the
// target cannot carry is reported on standard error, one line each;
// -strict makes any such field an error. -list prints the formats and the
// kinds each one has.
//
// On bad input (not JSON, the wrong kind of document, a value the target
// cannot express, an unknown enum value) it writes one line naming the
// field and the value on standard error, nothing on standard output, and
// exits with status 1. The formats are synctera, solid, rocketkor,
// offblocks and cardkit (the library's neutral JSON).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/cardkit/cardkit/adapters"
)

// maxInput caps what is read from standard input: no card document comes
// near it.
const maxInput = 8 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the command, returning its exit status; it writes to stdout only
// when it succeeds.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("translate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the source format")
	to := fs.String("to", "", "the target format")
	kind := fs.String("kind", string(adapters.KindCard), "the kind of document: card, issue-request or account")
	strict := fs.Bool("strict", false, "fail when the target cannot carry a source field")
	list := fs.Bool("list", false, "list the formats and their kinds")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	reg := adapters.New()
	if *list {
		var b strings.Builder
		for _, name := range reg.Formats() {
			kinds := reg.Kinds(name)
			names := make([]string, len(kinds))
			for i, k := range kinds {
				names[i] = string(k)
			}
			fmt.Fprintf(&b, "%-10s %-32s %s\n", name, strings.Join(names, ", "), reg.Doc(name))
		}
		io.WriteString(stdout, b.String())
		return 0
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "translate:", oneLine(err.Error()))
		return 1
	}
	if *from == "" || *to == "" {
		return fail(errors.New("-from and -to are required (see -list)"))
	}
	input, err := io.ReadAll(io.LimitReader(stdin, maxInput+1))
	if err != nil {
		return fail(err)
	}
	if len(input) > maxInput {
		return fail(fmt.Errorf("input: more than %d bytes", maxInput))
	}
	res, err := reg.Translate(*from, *to, adapters.Kind(*kind), input)
	if err != nil {
		return fail(err)
	}
	if *strict && len(res.Report.Dropped) > 0 {
		paths := make([]string, len(res.Report.Dropped))
		for i, d := range res.Report.Dropped {
			paths[i] = d.Path
		}
		return fail(fmt.Errorf("-strict: %s cannot carry %s", *to, strings.Join(paths, ", ")))
	}
	out := jsontext.Value(bytes.Clone(res.Output))
	if err := out.Indent(jsontext.WithIndent("  ")); err != nil {
		return fail(err)
	}
	out = append(out, '\n')
	for _, d := range res.Report.Dropped {
		fmt.Fprintf(stderr, "dropped %s: %s\n", d.Path, oneLine(d.Why))
	}
	if *from == *to {
		for _, path := range res.Report.Unknown {
			fmt.Fprintf(stderr, "kept unknown member %s\n", path)
		}
	}
	if _, err := stdout.Write(out); err != nil {
		return fail(err)
	}
	return 0
}

// oneLine keeps a message on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
