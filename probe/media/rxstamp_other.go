//go:build !linux

package media

import (
	"net"
	"time"
)

// rxStamper falls back to the time the read returned where the kernel's
// receive timestamps are not wired up.
type rxStamper struct{}

func newRxStamper(net.PacketConn) *rxStamper { return &rxStamper{} }

func (r *rxStamper) read(c net.PacketConn, buf []byte) (int, time.Time, error) {
	n, _, err := c.ReadFrom(buf)
	return n, time.Now(), err
}
