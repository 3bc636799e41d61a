package checktest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
)

// SIPRequest is what a fake SIP server received.
type SIPRequest struct {
	StartLine string
	Header    textproto.MIMEHeader
}

// SIPStreamResponder answers every SIP request on a byte stream (TCP or
// TLS) with "200 OK", copying Via (adding received/rport), From, To,
// Call-ID and CSeq. got, when not nil, receives each request.
func SIPStreamResponder(got chan<- SIPRequest) func(net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			req, err := ReadSIPRequest(br)
			if err != nil {
				return
			}
			if got != nil {
				select {
				case got <- req:
				default:
				}
			}
			if _, err := io.WriteString(c, SIPOK(req, c.RemoteAddr())); err != nil {
				return
			}
		}
	}
}

// ReadSIPRequest reads one request framed by Content-Length.
func ReadSIPRequest(br *bufio.Reader) (SIPRequest, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	for err == nil && line == "" {
		line, err = tp.ReadLine()
	}
	if err != nil {
		return SIPRequest{}, err
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return SIPRequest{}, err
	}
	if n, _ := strconv.Atoi(h.Get("Content-Length")); n > 0 {
		if _, err := io.CopyN(io.Discard, br, int64(n)); err != nil {
			return SIPRequest{}, err
		}
	}
	return SIPRequest{StartLine: line, Header: h}, nil
}

// ParseSIPRequest parses one whole request (a WebSocket message).
func ParseSIPRequest(raw []byte) (SIPRequest, error) {
	return ReadSIPRequest(bufio.NewReader(strings.NewReader(string(raw))))
}

// SIPOK is the 200 OK answer to req as seen from remote.
func SIPOK(req SIPRequest, remote net.Addr) string {
	via := req.Header.Get("Via")
	if host, port, err := net.SplitHostPort(remote.String()); err == nil {
		via = strings.Replace(via, ";rport", ";rport="+port, 1) + ";received=" + host
	}
	var b strings.Builder
	b.WriteString("SIP/2.0 200 OK\r\n")
	fmt.Fprintf(&b, "Via: %s\r\n", via)
	for _, k := range []string{"From", "To", "Call-Id", "Cseq"} {
		fmt.Fprintf(&b, "%s: %s\r\n", k, req.Header.Get(k))
	}
	b.WriteString("Server: checktest-sip\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nContent-Length: 0\r\n\r\n")
	return b.String()
}
