// Package sipmsg builds the SIP messages the checks send (an OPTIONS for
// TLS and WebSocket, a REGISTER or INVITE carrying the local address for the
// ALG test), frames and parses answers on a byte stream (Content-Length,
// RFC 3261 §18.3, parsed by sipgo), and lists the fields a middlebox
// rewrote. It builds and reads; the sip.* checks judge.
package sipmsg

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/emiago/sipgo/sip"
)

// SIP over stream transports (TLS, WebSocket): building one OPTIONS and
// reading the answer. Framing on a byte stream is by Content-Length
// (RFC 3261 §18.3); the message itself is parsed by sipgo's parser.

// MaxMessage bounds what we read of an answer (sipgo's limit too).
const MaxMessage = 65535

// Request is one OPTIONS ready to send.
type Request struct {
	Raw    []byte
	CallID string
	Branch string
}

// NewStreamOptions builds an OPTIONS for transport "TLS" or "WSS". target is
// the server (host or IP); local the connection's local address; ua the
// User-Agent. WSS uses a random .invalid Via host, as RFC 7118 §5.2 and its
// examples do (a browser client has no reachable address).
func NewStreamOptions(transport, target string, local net.Addr, ua string) Request {
	branch := "z9hG4bK" + sipStreamToken(8)
	callID := sipStreamToken(12) + "@biztel-doctor.invalid"
	tag := sipStreamToken(4)
	localHost, localPort := "biztel-doctor.invalid", "0"
	if h, p, err := net.SplitHostPort(fmt.Sprint(local)); err == nil {
		localHost, localPort = h, p
	}
	uriParam, via := ";transport=tls", fmt.Sprintf("SIP/2.0/TLS %s:%s", localHost, localPort)
	if transport == "WSS" {
		uriParam, via = ";transport=ws", "SIP/2.0/WSS "+sipStreamToken(5)+".invalid"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "OPTIONS sip:%s%s SIP/2.0\r\n", target, uriParam)
	fmt.Fprintf(&b, "Via: %s;rport;branch=%s\r\n", via, branch)
	b.WriteString("Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:biztel-doctor@biztel-doctor.invalid>;tag=%s\r\n", tag)
	fmt.Fprintf(&b, "To: <sip:%s>\r\n", target)
	fmt.Fprintf(&b, "Call-ID: %s\r\n", callID)
	b.WriteString("CSeq: 1 OPTIONS\r\n")
	b.WriteString("Accept: application/sdp\r\n")
	fmt.Fprintf(&b, "User-Agent: %s\r\n", ua)
	b.WriteString("Content-Length: 0\r\n\r\n")
	return Request{Raw: []byte(b.String()), CallID: callID, Branch: branch}
}

func sipStreamToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NotSIP is an answer that is not a SIP response; the message quotes it.
type NotSIP struct{ Detail string }

func (e NotSIP) Error() string { return "not a SIP response: " + e.Detail }

// ReadStreamResponse reads one SIP message from a byte stream, framed by
// Content-Length, and parses it. Provisional (1xx) answers are skipped.
func ReadStreamResponse(br *bufio.Reader) (*sip.Response, error) {
	for range 4 { // a final answer after at most a few provisional answers or server requests
		raw, err := readStreamSIPFrame(br)
		if err != nil {
			return nil, err
		}
		if sipStreamIsRequest(raw) {
			continue // e.g. a keep-alive OPTIONS from the server; not ours to answer
		}
		res, err := ParseResponse(raw)
		if err != nil {
			return nil, err
		}
		if res.StatusCode >= 200 {
			return res, nil
		}
	}
	return nil, NotSIP{Detail: "only provisional answers"}
}

// ParseResponse parses one complete message and insists it is a response.
func ParseResponse(raw []byte) (*sip.Response, error) {
	if !bytes.HasPrefix(raw, []byte("SIP/2.0 ")) {
		return nil, NotSIP{Detail: tcp.Quote(raw)}
	}
	msg, err := sip.ParseMessage(raw)
	if err != nil {
		return nil, NotSIP{Detail: err.Error() + ": " + tcp.Quote(raw)}
	}
	res, ok := msg.(*sip.Response)
	if !ok {
		return nil, NotSIP{Detail: "a request, not a response: " + tcp.Quote(raw)}
	}
	if !StatusValid(res) {
		return nil, NotSIP{Detail: "bad status line: " + tcp.Quote(raw)}
	}
	return res, nil
}

// sipStreamIsRequest reports whether a message (or its first line) is a
// SIP request: "METHOD uri SIP/2.0".
func sipStreamIsRequest(raw []byte) bool {
	line, _, _ := bytes.Cut(raw, []byte("\n"))
	return bytes.HasSuffix(bytes.TrimRight(line, "\r"), []byte(" SIP/2.0")) && !bytes.HasPrefix(line, []byte("SIP/"))
}

// readStreamSIPFrame reads headers up to the blank line, then the body by
// Content-Length (or its compact form "l").
func readStreamSIPFrame(br *bufio.Reader) ([]byte, error) {
	var buf bytes.Buffer
	length := 0
	first := true
	for {
		line, err := br.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if buf.Len()+len(line) > 0 && errors.Is(err, io.EOF) {
				buf.Write(line)
				return nil, NotSIP{Detail: "connection closed mid-message: " + tcp.Quote(buf.Bytes())}
			}
			return nil, err
		}
		if first && len(bytes.TrimSpace(line)) == 0 {
			continue // keep-alive CRLFs (RFC 5626 §3.5.1) before a message
		}
		if first && !bytes.HasPrefix(line, []byte("SIP/")) && !sipStreamIsRequest(line) {
			return nil, NotSIP{Detail: tcp.Quote(line)}
		}
		first = false
		buf.Write(line)
		if buf.Len() > MaxMessage {
			return nil, NotSIP{Detail: "header section too long"}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		if len(trimmed) == 0 {
			break
		}
		name, value, ok := bytes.Cut(trimmed, []byte(":"))
		if !ok {
			continue
		}
		switch strings.ToLower(string(bytes.TrimSpace(name))) {
		case "content-length", "l":
			n, err := strconv.Atoi(string(bytes.TrimSpace(value)))
			if err != nil || n < 0 || n > MaxMessage {
				return nil, NotSIP{Detail: "bad Content-Length " + tcp.Quote(value)}
			}
			length = n
		}
	}
	if length > 0 {
		body := make([]byte, length)
		if _, err := io.ReadFull(br, body); err != nil {
			return nil, err
		}
		buf.Write(body)
	}
	return buf.Bytes(), nil
}

// StatusValid reports whether a parsed response has a real status line:
// "SIP/2.0", a code 100-699 (RFC 3261 §7.2). sipgo's parser is lenient and
// takes "SIP 0" for a response.
func StatusValid(r *sip.Response) bool {
	return r.SipVersion == "SIP/2.0" && r.StatusCode >= 100 && r.StatusCode <= 699
}
