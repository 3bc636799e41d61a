package tcp

import (
	"errors"
	"net"
	"strconv"
)

// Read limits for what a server may send before the check has what it
// needs. A hostile or broken peer that streams an endless line would
// otherwise be read (and buffered) for the whole reply timeout: gigabytes
// on a fast LAN.
const (
	// HTTPHeaderMaxBytes bounds an HTTP answer's status line and headers
	// (web.8000's GET and the WebSocket upgrades); Go's own client allows
	// 1 MiB by default (http.DefaultMaxHeaderBytes).
	HTTPHeaderMaxBytes = 1 << 20
)

// errReadCap is the error a capped read ends with.
type errReadCap struct{ limit int64 }

func (e errReadCap) Error() string {
	return "the server sent more than " + strconv.FormatInt(e.limit, 10) + " bytes without completing its answer"
}

// ReadCapConn is a connection whose reads stop with an error after limit
// bytes; Reset sets a new allowance (per reply). Writes and deadlines pass
// through.
type ReadCapConn struct {
	net.Conn
	limit, left int64
}

// NewReadCapConn caps reads from c at limit bytes until Reset.
func NewReadCapConn(c net.Conn, limit int64) *ReadCapConn {
	return &ReadCapConn{Conn: c, limit: limit, left: limit}
}

// Reset gives the next reply a fresh allowance.
func (c *ReadCapConn) Reset() { c.left = c.limit }

func (c *ReadCapConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errReadCap{c.limit}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Read(p)
	c.left -= int64(n)
	return n, err
}

// IsReadCap reports whether err is a capped read.
func IsReadCap(err error) bool {
	var e errReadCap
	return errors.As(err, &e)
}
