package checks

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

// sipStreamMaxMessage bounds what we read of an answer (sipgo's limit too).
const sipStreamMaxMessage = 65535

// sipStreamRequest is one OPTIONS ready to send.
type sipStreamRequest struct {
	Raw    []byte
	CallID string
	Branch string
}

// newStreamOptions builds an OPTIONS for transport "TLS" or "WSS". target is
// the server (host or IP); local the connection's local address; ua the
// User-Agent. WSS uses a random .invalid Via host, as RFC 7118 §5.2 and its
// examples do (a browser client has no reachable address).
func newStreamOptions(transport, target string, local net.Addr, ua string) sipStreamRequest {
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
	return sipStreamRequest{Raw: []byte(b.String()), CallID: callID, Branch: branch}
}

func sipStreamToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// errNotSIP is an answer that is not a SIP response; the message quotes it.
type errNotSIP struct{ detail string }

func (e errNotSIP) Error() string { return "not a SIP response: " + e.detail }

// readStreamSIPResponse reads one SIP message from a byte stream, framed by
// Content-Length, and parses it. Provisional (1xx) answers are skipped.
func readStreamSIPResponse(br *bufio.Reader) (*sip.Response, error) {
	for range 4 { // a final answer after at most a few provisional answers or server requests
		raw, err := readStreamSIPFrame(br)
		if err != nil {
			return nil, err
		}
		if sipStreamIsRequest(raw) {
			continue // e.g. a keep-alive OPTIONS from the server; not ours to answer
		}
		res, err := parseSIPResponse(raw)
		if err != nil {
			return nil, err
		}
		if res.StatusCode >= 200 {
			return res, nil
		}
	}
	return nil, errNotSIP{"only provisional answers"}
}

// parseSIPResponse parses one complete message and insists it is a response.
func parseSIPResponse(raw []byte) (*sip.Response, error) {
	if !bytes.HasPrefix(raw, []byte("SIP/2.0 ")) {
		return nil, errNotSIP{tcp.Quote(raw)}
	}
	msg, err := sip.ParseMessage(raw)
	if err != nil {
		return nil, errNotSIP{err.Error() + ": " + tcp.Quote(raw)}
	}
	res, ok := msg.(*sip.Response)
	if !ok {
		return nil, errNotSIP{"a request, not a response: " + tcp.Quote(raw)}
	}
	if !sipStatusValid(res) {
		return nil, errNotSIP{"bad status line: " + tcp.Quote(raw)}
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
				return nil, errNotSIP{"connection closed mid-message: " + tcp.Quote(buf.Bytes())}
			}
			return nil, err
		}
		if first && len(bytes.TrimSpace(line)) == 0 {
			continue // keep-alive CRLFs (RFC 5626 §3.5.1) before a message
		}
		if first && !bytes.HasPrefix(line, []byte("SIP/")) && !sipStreamIsRequest(line) {
			return nil, errNotSIP{tcp.Quote(line)}
		}
		first = false
		buf.Write(line)
		if buf.Len() > sipStreamMaxMessage {
			return nil, errNotSIP{"header section too long"}
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
			if err != nil || n < 0 || n > sipStreamMaxMessage {
				return nil, errNotSIP{"bad Content-Length " + tcp.Quote(value)}
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

// sipResponseFacts records what the answer says.
func sipResponseFacts(f Facts, res *sip.Response) {
	f["sip_status"] = res.StartLine()
	f["sip_status_code"] = res.StatusCode
	for _, name := range []string{"Server", "User-Agent"} {
		if h := res.GetHeader(name); h != nil {
			f["sip_"+strings.ToLower(strings.ReplaceAll(name, "-", "_"))] = h.Value()
		}
	}
	if via := res.Via(); via != nil && via.Params != nil {
		if v, ok := via.Params.Get("received"); ok {
			f["sip_received"] = v
		}
		if v, ok := via.Params.Get("rport"); ok && v != "" {
			f["sip_rport"] = v
		}
	}
}
