package checks

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
	// ftpReplyMaxBytes bounds one FTP reply: ftpReplyMaxLines lines of a
	// generous 512 bytes (RFC 959 lines are short) plus room.
	ftpReplyMaxBytes = 64 << 10
	// httpHeaderMaxBytes bounds an HTTP answer's status line and headers
	// (web.8000's GET and the WebSocket upgrades); Go's own client allows
	// 1 MiB by default (http.DefaultMaxHeaderBytes).
	httpHeaderMaxBytes = 1 << 20
)

// errReadCap is the error a capped read ends with.
type errReadCap struct{ limit int64 }

func (e errReadCap) Error() string {
	return "the server sent more than " + strconv.FormatInt(e.limit, 10) + " bytes without completing its answer"
}

// readCapConn is a connection whose reads stop with errReadCap after left
// bytes; reset sets a new allowance (per reply). Writes and deadlines pass
// through.
type readCapConn struct {
	net.Conn
	limit, left int64
}

func newReadCapConn(c net.Conn, limit int64) *readCapConn {
	return &readCapConn{Conn: c, limit: limit, left: limit}
}

func (c *readCapConn) reset() { c.left = c.limit }

func (c *readCapConn) Read(p []byte) (int, error) {
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

// isReadCap reports whether err is a capped read.
func isReadCap(err error) bool {
	var e errReadCap
	return errors.As(err, &e)
}
