package main

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use: compiling every pattern at init
// cost start-up time for commands that never match anything.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
