//go:build !unix && !windows

package neterr

// native is empty where Go has no socket errno (wasm, plan9): only
// timeouts are classified there.
var native table
