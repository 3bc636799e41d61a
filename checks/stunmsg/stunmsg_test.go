package stunmsg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// RFC 5769 test vectors, byte for byte.
var (
	// §2.1 Sample Request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME,
	// MESSAGE-INTEGRITY, FINGERPRINT); padding here is spaces, not zeros.
	rfc5769Request = []byte("\x00\x01\x00\x58" +
		"\x21\x12\xa4\x42" +
		"\xb7\xe7\xa7\x01\xbc\x34\xd6\x86\xfa\x87\xdf\xae" +
		"\x80\x22\x00\x10" +
		"STUN test client" +
		"\x00\x24\x00\x04" +
		"\x6e\x00\x01\xff" +
		"\x80\x29\x00\x08" +
		"\x93\x2f\xf9\xb1\x51\x26\x3b\x36" +
		"\x00\x06\x00\x09" +
		"\x65\x76\x74\x6a\x3a\x68\x36\x76\x59\x20\x20\x20" +
		"\x00\x08\x00\x14" +
		"\x9a\xea\xa7\x0c\xbf\xd8\xcb\x56\x78\x1e\xf2\xb5" +
		"\xb2\xd3\xf2\x49\xc1\xb5\x71\xa2" +
		"\x80\x28\x00\x04" +
		"\xe5\x7a\x3b\xcf")
	// §2.2 Sample IPv4 Response: 192.0.2.1:32853.
	rfc5769IPv4 = []byte("\x01\x01\x00\x3c" +
		"\x21\x12\xa4\x42" +
		"\xb7\xe7\xa7\x01\xbc\x34\xd6\x86\xfa\x87\xdf\xae" +
		"\x80\x22\x00\x0b" +
		"\x74\x65\x73\x74\x20\x76\x65\x63\x74\x6f\x72\x20" +
		"\x00\x20\x00\x08" +
		"\x00\x01\xa1\x47\xe1\x12\xa6\x43" +
		"\x00\x08\x00\x14" +
		"\x2b\x91\xf5\x99\xfd\x9e\x90\xc3\x8c\x74\x89\xf9" +
		"\x2a\xf9\xba\x53\xf0\x6b\xe7\xd7" +
		"\x80\x28\x00\x04" +
		"\xc0\x7d\x4c\x96")
	// §2.3 Sample IPv6 Response: [2001:db8:1234:5678:11:2233:4455:6677]:32853.
	rfc5769IPv6 = []byte("\x01\x01\x00\x48" +
		"\x21\x12\xa4\x42" +
		"\xb7\xe7\xa7\x01\xbc\x34\xd6\x86\xfa\x87\xdf\xae" +
		"\x80\x22\x00\x0b" +
		"\x74\x65\x73\x74\x20\x76\x65\x63\x74\x6f\x72\x20" +
		"\x00\x20\x00\x14" +
		"\x00\x02\xa1\x47" +
		"\x01\x13\xa9\xfa\xa5\xd3\xf1\x79" +
		"\xbc\x25\xf4\xb5\xbe\xd2\xb9\xd9" +
		"\x00\x08\x00\x14" +
		"\xa3\x82\x95\x4e\x4b\xe6\x7b\xf1\x17\x84\xc9\x7c" +
		"\x82\x92\xc2\x75\xbf\xe3\xed\x41" +
		"\x80\x28\x00\x04" +
		"\xc8\xfb\x0b\x4c")
	rfc5769TxID = TxID{0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae}
)

func TestRFC5769Request(t *testing.T) {
	m, err := Parse(rfc5769Request)
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != BindingRequest || m.TxID != rfc5769TxID || !m.Fingerprint {
		t.Errorf("type %#x tx %x fingerprint %v", m.Type, m.TxID, m.Fingerprint)
	}
	if sw, ok := m.Software(); !ok || sw != "STUN test client" {
		t.Errorf("software = %q, %v", sw, ok)
	}
	if u, ok := m.Get(AttrUsername); !ok || string(u) != "evtj:h6vY" {
		t.Errorf("username = %q, %v", u, ok)
	}
	var types []AttrType
	for _, a := range m.Attrs {
		types = append(types, a.Type)
	}
	want := []AttrType{AttrSoftware, 0x0024, 0x8029, AttrUsername, AttrMessageIntegrity}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("attributes %#x, want %#x", types, want)
	}
}

func TestRFC5769Responses(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"IPv4", rfc5769IPv4, "192.0.2.1:32853"},
		{"IPv6", rfc5769IPv6, "[2001:db8:1234:5678:11:2233:4455:6677]:32853"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != BindingSuccess || m.TxID != rfc5769TxID || !m.Fingerprint {
				t.Errorf("type %#x tx %x fingerprint %v", m.Type, m.TxID, m.Fingerprint)
			}
			if sw, _ := m.Software(); sw != "test vector" {
				t.Errorf("software = %q", sw)
			}
			got, err := m.XORMappedAddress()
			if err != nil || got.String() != tc.want {
				t.Errorf("XOR-MAPPED-ADDRESS = %v, %v; want %s", got, err, tc.want)
			}
			if _, err := m.MappedAddress(); !errors.Is(err, ErrNoAttr) {
				t.Errorf("MAPPED-ADDRESS: %v, want ErrNoAttr", err)
			}
			// Every single-bit flip after the header is caught by FINGERPRINT,
			// except in the FINGERPRINT's own type, which turns it into an
			// unknown attribute (then there is no fingerprint to check).
			for i := HeaderLen; i < len(tc.raw); i++ {
				d := bytes.Clone(tc.raw)
				d[i] ^= 0x01
				if m, err := Parse(d); err == nil && m.Fingerprint {
					t.Fatalf("flip at %d passed the fingerprint", i)
				}
			}
		})
	}
}

// TestRFC5769LongTerm: §2.4, a request without FINGERPRINT.
func TestRFC5769LongTerm(t *testing.T) {
	raw := []byte("\x00\x01\x00\x60" +
		"\x21\x12\xa4\x42" +
		"\x78\xad\x34\x33\xc6\xad\x72\xc0\x29\xda\x41\x2e" +
		"\x00\x06\x00\x12" +
		"\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83" +
		"\xe3\x82\xaf\xe3\x82\xb9\x00\x00" +
		"\x00\x15\x00\x1c" +
		"\x66\x2f\x2f\x34\x39\x39\x6b\x39\x35\x34\x64\x36" +
		"\x4f\x4c\x33\x34\x6f\x4c\x39\x46\x53\x54\x76\x79" +
		"\x36\x34\x73\x41" +
		"\x00\x14\x00\x0b" +
		"\x65\x78\x61\x6d\x70\x6c\x65\x2e\x6f\x72\x67\x00" +
		"\x00\x08\x00\x14" +
		"\xf6\x70\x24\x65\x6d\xd6\x4a\x3e\x02\xb8\xe0\x71" +
		"\x2e\x85\xc9\xa2\x8c\xa8\x96\x66")
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.Fingerprint || len(m.Attrs) != 4 {
		t.Errorf("fingerprint %v, %d attributes", m.Fingerprint, len(m.Attrs))
	}
	if u, _ := m.Get(AttrUsername); string(u) != "マトリックス" {
		t.Errorf("username %q", u)
	}
}

func TestBuildRequest(t *testing.T) {
	tx := NewTxID()
	raw := NewBindingRequest(tx, "biztel-doctor/1.0")
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.Type != BindingRequest || m.TxID != tx || !m.Fingerprint {
		t.Errorf("%+v", m)
	}
	if sw, _ := m.Software(); sw != "biztel-doctor/1.0" {
		t.Errorf("software %q", sw)
	}
	if len(raw)%4 != 0 || raw[HeaderLen+4+17] != 0 {
		t.Errorf("padding: %x", raw)
	}
	if a, b := NewTxID(), NewTxID(); a == b {
		t.Error("two transaction IDs equal")
	}
	if got := NewBindingRequest(tx, ""); len(got) != HeaderLen+8 {
		t.Errorf("no-software request is %d bytes", len(got))
	}
}

func TestSoftwareClipped(t *testing.T) {
	long := strings.Repeat("あ", 300) // 900 bytes, 300 characters
	m, _ := Parse(NewBindingRequest(TxID{}, long))
	sw, ok := m.Software()
	if !ok || sw != strings.Repeat("あ", 127) {
		t.Errorf("clipped to %d runes, ok %v", len([]rune(sw)), ok)
	}
	if got := clipSoftware("a\xffb"); got != "a?b" {
		t.Errorf("invalid UTF-8 became %q", got)
	}
	if got := clipSoftware(strings.Repeat("\U0001F600", 200)); len(got) > maxSoftwareBytes || len([]rune(got)) > maxSoftwareRunes {
		t.Errorf("4-byte runes clipped to %d bytes", len(got))
	}
	var r Message
	r.Add(AttrSoftware, []byte("bad\xff"))
	if _, ok := r.Software(); ok {
		t.Error("invalid UTF-8 SOFTWARE accepted")
	}
}

func TestBuildResponses(t *testing.T) {
	tx := TxID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	for _, s := range []string{"203.0.113.7:40000", "[2001:db8::1]:3478", "[::ffff:192.0.2.9]:1"} {
		ap := netip.MustParseAddrPort(s)
		m := Message{Type: BindingSuccess, TxID: tx, Fingerprint: true}
		m.AddXORMappedAddress(ap)
		m.AddMappedAddress(ap)
		raw, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		want := netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		if x, err := p.XORMappedAddress(); err != nil || x != want {
			t.Errorf("%s: XOR %v, %v", s, x, err)
		}
		if x, err := p.MappedAddress(); err != nil || x != want {
			t.Errorf("%s: mapped %v, %v", s, x, err)
		}
	}
	m := Message{Type: BindingError, TxID: tx}
	m.AddErrorCode(420, "Unknown Attribute")
	p, err := Parse(mustEncode(t, &m))
	if err != nil {
		t.Fatal(err)
	}
	if code, reason, err := p.ErrorCode(); code != 420 || reason != "Unknown Attribute" || err != nil {
		t.Errorf("error code %d %q %v", code, reason, err)
	}
}

func mustEncode(t testing.TB, m *Message) []byte {
	t.Helper()
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseRejects: each way a datagram can be malformed.
func TestParseRejects(t *testing.T) {
	tx := TxID{9}
	good := func() []byte {
		m := Message{Type: BindingSuccess, TxID: tx, Fingerprint: true}
		m.AddXORMappedAddress(netip.MustParseAddrPort("192.0.2.1:9"))
		return mustEncode(t, &m)
	}
	set16 := func(b []byte, at int, v uint16) []byte { binary.BigEndian.PutUint16(b[at:], v); return b }
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotSTUN},
		{"short header", good()[:19], ErrNotSTUN},
		{"leading bits", func() []byte { b := good(); b[0] |= 0x80; return b }(), ErrNotSTUN},
		{"cookie", func() []byte { b := good(); b[4] ^= 1; return b }(), ErrNotSTUN},
		{"RFC 3489 header (no cookie)", append([]byte{0, 1, 0, 0}, make([]byte, 16)...), ErrNotSTUN},
		{"length not multiple of 4", set16(good(), 2, 18), ErrLength},
		{"length past the datagram", set16(good(), 2, 24), ErrLength},
		{"trailing bytes", append(good(), 0, 0, 0, 0), ErrLength},
		{"truncated", good()[:len(good())-4], ErrLength},
		{"attribute past the end", set16(good(), 22, 200), ErrAttrBounds},
		{"padding past the end", []byte{0, 1, 0, 4, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x22, 0, 1}, ErrAttrBounds},
		{"empty attribute value", []byte{0, 1, 0, 4, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x22, 0, 0}, nil},
		{"wrong fingerprint", func() []byte { b := good(); b[len(b)-1] ^= 1; return b }(), ErrFingerprint},
		{"fingerprint length", func() []byte {
			m := Message{Type: BindingSuccess}
			m.Add(AttrFingerprint, []byte{1, 2, 3, 4, 5, 6, 7, 8})
			return mustEncode(t, &m)
		}(), ErrFingerprint},
		{"fingerprint not last", func() []byte {
			m := Message{Type: BindingSuccess, Fingerprint: true}
			b := mustEncode(t, &m)
			b = append(b, 0x80, 0x22, 0, 0)
			return set16(b, 2, uint16(len(b)-HeaderLen))
		}(), ErrFingerprint},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.data)
			if tc.want == nil {
				if err != nil {
					t.Errorf("Parse: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("Parse: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestAttributeValues: malformed address and error-code values.
func TestAttributeValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    []byte
	}{
		{"short", []byte{0, 1, 0}},
		{"IPv4 too long", []byte{0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8}},
		{"IPv4 too short", []byte{0, 1, 0, 1, 1, 2, 3}},
		{"IPv6 with 4 bytes", []byte{0, 2, 0, 1, 1, 2, 3, 4}},
		{"unknown family", []byte{0, 3, 0, 1, 1, 2, 3, 4}},
	} {
		m := Message{}
		m.Add(AttrMappedAddress, tc.v)
		m.Add(AttrXORMappedAddress, tc.v)
		if ap, err := m.MappedAddress(); !errors.Is(err, ErrBadValue) {
			t.Errorf("%s: MAPPED-ADDRESS %v, %v", tc.name, ap, err)
		}
		if ap, err := m.XORMappedAddress(); !errors.Is(err, ErrBadValue) {
			t.Errorf("%s: XOR-MAPPED-ADDRESS %v, %v", tc.name, ap, err)
		}
	}
	for _, v := range [][]byte{{0, 0, 4}, {0, 0, 2, 0}, {0, 0, 7, 0}, {0, 0, 4, 100}} {
		m := Message{}
		m.Add(AttrErrorCode, v)
		if code, _, err := m.ErrorCode(); !errors.Is(err, ErrBadValue) {
			t.Errorf("ERROR-CODE %x: %d, %v", v, code, err)
		}
	}
	m := Message{}
	m.Add(AttrErrorCode, []byte{0xff, 0xff, 0xfe, 99}) // reserved bits are ignored
	if code, _, err := m.ErrorCode(); code != 699 || err != nil {
		t.Errorf("ERROR-CODE with reserved bits: %d, %v", code, err)
	}
}

// TestFirstOccurrenceAndIntegrity: the first of two attributes counts, and
// attributes after MESSAGE-INTEGRITY are ignored (RFC 5389 §15.4).
func TestFirstOccurrenceAndIntegrity(t *testing.T) {
	m := Message{Type: BindingSuccess, Fingerprint: true}
	m.AddSoftware("first")
	m.AddSoftware("second")
	m.Add(AttrMessageIntegrity, make([]byte, 20))
	m.AddMappedAddress(netip.MustParseAddrPort("192.0.2.1:1"))
	p, err := Parse(mustEncode(t, &m))
	if err != nil {
		t.Fatal(err)
	}
	if sw, _ := p.Software(); sw != "first" {
		t.Errorf("software %q", sw)
	}
	if _, err := p.MappedAddress(); !errors.Is(err, ErrNoAttr) {
		t.Errorf("attribute after MESSAGE-INTEGRITY used: %v", err)
	}
}

func TestEncodeTooLong(t *testing.T) {
	m := Message{Type: BindingSuccess}
	m.Add(AttrSoftware, make([]byte, 0x10000))
	if _, err := m.Encode(); !errors.Is(err, ErrTooLong) {
		t.Errorf("oversized value: %v", err)
	}
	m = Message{Type: BindingSuccess}
	m.Add(AttrSoftware, make([]byte, 0x8000))
	m.Add(AttrSoftware, make([]byte, 0x8000))
	if _, err := m.Encode(); !errors.Is(err, ErrTooLong) {
		t.Errorf("oversized message: %v", err)
	}
	if _, err := (&Message{Type: 0x4001}).Encode(); !errors.Is(err, ErrTooLong) {
		t.Errorf("type with the leading bits: %v", err)
	}
}

// BenchmarkParse: one Binding response as the client reads it.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse(rfc5769IPv4)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.XORMappedAddress(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBindingRequest: one request with SOFTWARE and FINGERPRINT.
func BenchmarkBindingRequest(b *testing.B) {
	b.ReportAllocs()
	tx := NewTxID()
	for b.Loop() {
		_ = NewBindingRequest(tx, "biztel-doctor/1.0")
	}
}
