// Package lazyregexp compiles a regular expression on first use. Package
// level regexp.MustCompile runs at init, so every command paid for patterns
// only an error path or one check needs (start-up is a measured goal).
package lazyregexp

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr once, on its first call, and
// panics like regexp.MustCompile if expr is invalid.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
