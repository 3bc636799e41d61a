package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
)

// The SIP echo (after sip-alg-detector by Iñaki Baz Castillo): the client
// sends REGISTER or INVITE to the reflector's SIP port; the reflector answers
// "200 OK" whose body is the request exactly as it arrived, base64-encoded,
// so a SIP-ALG on the way back cannot rewrite the evidence. The client pads
// its request with an X-Pad header (stripped before encoding) so that the
// answer is never larger than the request.

// Header names the echo protocol adds.
const (
	SIPPadHeader  = "X-Pad"     // padding, removed by the reflector before encoding
	SIPAuthHeader = "X-BD-Auth" // hex HMAC-SHA256(token, Call-ID)[:16 bytes]
	SIPEchoType   = "application/x-biztel-doctor-echo"
	// SIPMirrorHeader asks the reflector to pad its answer to the request's
	// own size, so a large request proves the way back at the same size
	// (fragmented when the request was). Never larger than the request.
	SIPMirrorHeader = "X-BD-Mirror"
	// SIPReceivedHeader, in a mirrored answer, is how many bytes of the
	// request arrived: fewer than were sent means it was cut on the way.
	SIPReceivedHeader = "X-BD-Received"
)

// MaxSIPMessage bounds a SIP message on either transport.
const MaxSIPMessage = 8192

// SIPHeader is one header line, name as written (compact forms expanded by Canonical).
type SIPHeader struct {
	Name  string
	Value string
}

// SIPMessage is a parsed SIP message: enough for echoing and diffing.
type SIPMessage struct {
	StartLine string
	Headers   []SIPHeader
	Body      []byte
}

var compact = map[string]string{"v": "Via", "i": "Call-ID", "m": "Contact", "f": "From", "t": "To",
	"l": "Content-Length", "c": "Content-Type", "s": "Subject", "k": "Supported", "e": "Content-Encoding"}

// CanonicalSIPName returns the header name in its long, conventional form.
func CanonicalSIPName(n string) string {
	n = strings.TrimSpace(n)
	if long, ok := compact[strings.ToLower(n)]; ok {
		return long
	}
	known := []string{"Via", "Call-ID", "Contact", "From", "To", "Content-Length", "Content-Type", "CSeq", "Max-Forwards", "User-Agent", "Expires"}
	for _, k := range known {
		if strings.EqualFold(k, n) {
			return k
		}
	}
	return n
}

// ErrNotSIP is returned for input that is not a SIP message.
var ErrNotSIP = errors.New("wire: not a SIP message")

// ParseSIP splits a SIP message. It accepts CRLF or bare LF line ends and
// never panics on garbage.
func ParseSIP(b []byte) (SIPMessage, error) {
	if len(b) > MaxSIPMessage {
		return SIPMessage{}, errors.New("wire: SIP message too large")
	}
	head, body, found := bytes.Cut(b, []byte("\r\n\r\n"))
	if !found {
		head, body, found = bytes.Cut(b, []byte("\n\n"))
		if !found {
			head, body = b, nil
		}
	}
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	m := SIPMessage{StartLine: lines[0], Body: body}
	if !strings.Contains(m.StartLine, "SIP/2.0") {
		return SIPMessage{}, ErrNotSIP
	}
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && len(m.Headers) > 0 { // folded line
			m.Headers[len(m.Headers)-1].Value += " " + strings.TrimSpace(l)
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return SIPMessage{}, ErrNotSIP
		}
		m.Headers = append(m.Headers, SIPHeader{Name: CanonicalSIPName(name), Value: strings.TrimSpace(value)})
	}
	return m, nil
}

// Get returns the first value of header name (canonical form).
func (m SIPMessage) Get(name string) string {
	for _, h := range m.Headers {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

// All returns every value of header name, in order.
func (m SIPMessage) All(name string) []string {
	var out []string
	for _, h := range m.Headers {
		if h.Name == name {
			out = append(out, h.Value)
		}
	}
	return out
}

// IsRequest reports whether the start line is a request line.
func (m SIPMessage) IsRequest() bool { return !strings.HasPrefix(m.StartLine, "SIP/2.0") }

// StatusCode returns the code of a response start line, 0 for a request.
func (m SIPMessage) StatusCode() int {
	f := strings.Fields(m.StartLine)
	if len(f) < 2 || f[0] != "SIP/2.0" {
		return 0
	}
	c, _ := strconv.Atoi(f[1])
	return c
}

// SIPAuth returns the X-BD-Auth value for a Call-ID.
func SIPAuth(token, callID string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(callID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// SIPFrameLen returns the length of the first complete SIP message in buf
// (stream transports), 0 when more bytes are needed, or an error when the
// head is too large or Content-Length is bad.
func SIPFrameLen(buf []byte) (int, error) {
	i := bytes.Index(buf, []byte("\r\n\r\n"))
	if i < 0 {
		if len(buf) > MaxSIPMessage {
			return 0, errors.New("wire: SIP header too large")
		}
		return 0, nil
	}
	cl := 0
	for _, l := range strings.Split(string(buf[:i]), "\r\n") {
		name, v, ok := strings.Cut(l, ":")
		if ok && CanonicalSIPName(name) == "Content-Length" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > MaxSIPMessage {
				return 0, errors.New("wire: bad Content-Length")
			}
			cl = n
		}
	}
	total := i + 4 + cl
	if total > MaxSIPMessage {
		return 0, errors.New("wire: SIP message too large")
	}
	if len(buf) < total {
		return 0, nil
	}
	return total, nil
}

// StripPad removes X-Pad header lines from a raw SIP message, keeping every
// other byte as it was.
func StripPad(raw []byte) []byte {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(raw)
	}
	var out bytes.Buffer
	head := raw[:end]
	lines := bytes.SplitAfter(head, []byte("\r\n"))
	for _, l := range lines {
		name, _, _ := bytes.Cut(l, []byte(":"))
		if strings.EqualFold(strings.TrimSpace(string(name)), SIPPadHeader) {
			continue
		}
		out.Write(l)
	}
	out.Write(raw[end:])
	return out.Bytes()
}

// Pad inserts an X-Pad header just after the start line so that the message
// is at least size bytes. The encoded echo of a message of length n needs
// about n/3 + 400 bytes more than n; use EchoPadSize.
func Pad(raw []byte, size int) []byte {
	i := bytes.Index(raw, []byte("\r\n"))
	if i < 0 || len(raw) >= size {
		return raw
	}
	const overhead = len(SIPPadHeader) + len(": ") + len("\r\n")
	n := max(size-len(raw)-overhead, 1)
	var b bytes.Buffer
	b.Write(raw[:i+2])
	b.WriteString(SIPPadHeader + ": " + strings.Repeat("x", n) + "\r\n")
	b.Write(raw[i+2:])
	return b.Bytes()
}

// EchoPadSize is the size a request of n bytes (unpadded) is padded to so
// the reflector's encoded echo fits: base64 grows by 4/3, and the answer
// copies Via, Call-ID and CSeq (bounded by the request's own) plus ~100 bytes.
func EchoPadSize(n int) int { return n + n/3 + n/2 + 160 }

// EchoResponse builds the reflector's answer to raw (the request as
// received). ok is false when nothing may be sent: not a SIP request, or no
// answer fits in len(raw).
func EchoResponse(raw []byte, token string) (resp []byte, ok bool) {
	m, err := ParseSIP(raw)
	if err != nil || !m.IsRequest() {
		return nil, false
	}
	status := "200 OK"
	var body []byte
	switch {
	case token != "" && !hmac.Equal([]byte(m.Get(SIPAuthHeader)), []byte(SIPAuth(token, m.Get("Call-ID")))):
		status = "403 Forbidden"
	default:
		stripped := StripPad(raw)
		body = make([]byte, base64.StdEncoding.EncodedLen(len(stripped)))
		base64.StdEncoding.Encode(body, stripped)
	}
	resp = sipResponse(m, status, body)
	if m.Get(SIPMirrorHeader) != "" {
		resp = mirror(resp, len(raw))
	}
	if len(resp) > len(raw) {
		resp = sipResponse(m, "513 Message Too Large", nil)
	}
	if len(resp) > len(raw) {
		return nil, false
	}
	return resp, true
}

// mirror adds SIPReceivedHeader to resp and pads it to size bytes with
// X-Pad lines; it returns resp unchanged when the header would not fit.
func mirror(resp []byte, size int) []byte {
	i := bytes.Index(resp, []byte("\r\n"))
	line := SIPReceivedHeader + ": " + strconv.Itoa(size) + "\r\n"
	if i < 0 || len(resp)+len(line) > size {
		return resp
	}
	out := make([]byte, 0, size)
	out = append(out, resp[:i+2]...)
	out = append(out, line...)
	out = append(out, resp[i+2:]...)
	return PadLines(out, size)
}

// PadLines inserts X-Pad header lines (at most 72 bytes each, as long SDP
// or Via lines would be) after the start line of raw so the message is size
// bytes. It pads less when the remainder is too short for a line.
func PadLines(raw []byte, size int) []byte {
	end := bytes.Index(raw, []byte("\r\n"))
	if end < 0 || !bytes.Contains(raw, []byte("\r\n\r\n")) {
		return raw
	}
	const overhead = len(SIPPadHeader) + len(": ") + len("\r\n")
	var pad bytes.Buffer
	for need := size - len(raw); need > overhead; {
		n := min(need-overhead, 72-overhead)
		if rest := need - overhead - n; rest > 0 && rest <= overhead {
			n -= overhead + 1 - rest // leave room for a last line of at least one byte
		}
		pad.WriteString(SIPPadHeader + ": " + strings.Repeat("x", n) + "\r\n")
		need -= overhead + n
	}
	out := make([]byte, 0, len(raw)+pad.Len())
	out = append(out, raw[:end+2]...)
	out = append(out, pad.Bytes()...)
	return append(out, raw[end+2:]...)
}

func sipResponse(req SIPMessage, status string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString("SIP/2.0 " + status + "\r\n")
	for _, v := range req.All("Via") {
		b.WriteString("Via: " + v + "\r\n")
	}
	b.WriteString("Call-ID: " + req.Get("Call-ID") + "\r\n")
	b.WriteString("CSeq: " + req.Get("CSeq") + "\r\n")
	if len(body) > 0 {
		b.WriteString("Content-Type: " + SIPEchoType + "\r\n")
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	b.Write(body)
	return b.Bytes()
}

// DecodeEcho returns the request the reflector received, from its answer.
func DecodeEcho(resp SIPMessage) ([]byte, error) {
	if resp.Get("Content-Type") != SIPEchoType {
		return nil, errors.New("wire: answer carries no echo")
	}
	return base64.StdEncoding.DecodeString(strings.TrimSpace(string(resp.Body)))
}
