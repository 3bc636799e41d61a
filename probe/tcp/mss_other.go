//go:build !linux

package tcp

import (
	"errors"
	"net"
	"runtime"
)

// MaxSeg is not read on this OS yet (macOS has TCP_MAXSEG too; Windows
// does not expose it): the hint is left out, never guessed.
func MaxSeg(net.Conn) (int, bool, error) {
	return 0, false, errors.New("TCP MSS not readable on " + runtime.GOOS)
}
