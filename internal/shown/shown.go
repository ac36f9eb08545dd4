// Package shown writes a value in place of another through fmt: for a type
// that prints as a copy of itself with some fields hidden (a card number
// as printed, a provider's value that shows much of a short number).
package shown

import (
	"fmt"
	"strings"
)

// Format writes view as verb and f's flags would write it; %#v names the
// type as typeName instead of view's own type, which is unexported.
func Format(f fmt.State, verb rune, view any, typeName string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, GoString(view, typeName))
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), view)
}

// GoString is %#v of view, with typeName in place of view's type name.
func GoString(view any, typeName string) string {
	return strings.Replace(fmt.Sprintf("%#v", view), fmt.Sprintf("%T", view), typeName, 1)
}
