package impair

import (
	"errors"
	"net"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

func (r *Relay) acceptTCP(l net.Listener) {
	defer r.wg.Done()
	port := l.Addr().(*net.TCPAddr).Port
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if r.blocked(port) {
			c.Close()
			continue
		}
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(r.cfg.Listen)}}
		up, err := d.Dial("tcp", net.JoinHostPort(r.cfg.Target, strconv.Itoa(port)))
		if err != nil {
			c.Close()
			continue
		}
		if !r.track(c, up) {
			return
		}
		client := c.RemoteAddr().(*net.TCPAddr).AddrPort()
		mapped := up.LocalAddr().(*net.TCPAddr).AddrPort()
		r.wg.Add(2)
		go r.pipe(c, up, func(b []byte) []byte {
			if r.cfg.ALG != nil && r.cfg.ALG.isSIPPort(port) {
				return r.cfg.ALG.outbound("tcp", b, client, mapped)
			}
			return b
		})
		go r.pipe(up, c, func(b []byte) []byte {
			if r.cfg.ALG != nil && r.cfg.ALG.isSIPPort(port) {
				return r.cfg.ALG.inbound(b, client, mapped)
			}
			return b
		})
	}
}

// pipe copies SIP messages (framed by Content-Length) from src to dst
// through fn; anything unframeable ends the connection.
func (r *Relay) pipe(src, dst net.Conn, fn func([]byte) []byte) {
	defer r.wg.Done()
	defer src.Close()
	defer dst.Close()
	var buf []byte
	chunk := make([]byte, 4096)
	for {
		for {
			n, err := wire.SIPFrameLen(buf)
			if err != nil {
				return
			}
			if n == 0 {
				break
			}
			if _, err := dst.Write(fn(append([]byte(nil), buf[:n]...))); err != nil {
				return
			}
			buf = buf[n:]
		}
		k, err := src.Read(chunk)
		if err != nil {
			return
		}
		buf = append(buf, chunk[:k]...)
	}
}
