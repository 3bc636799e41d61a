package stunmsg

import (
	"net/netip"
	"reflect"
	"testing"
)

// FuzzParse: no input panics Parse or an accessor, and a parsed message
// re-encodes to one that parses the same (Parse(Encode(Parse(x))) ==
// Parse(x)).
func FuzzParse(f *testing.F) {
	f.Add(rfc5769Request)
	f.Add(rfc5769IPv4)
	f.Add(rfc5769IPv6)
	f.Add(NewBindingRequest(TxID{1}, "x"))
	e := Message{Type: BindingError, TxID: TxID{2}}
	e.AddErrorCode(401, "Unauthorized")
	e.AddMappedAddress(netip.MustParseAddrPort("192.0.2.1:7"))
	f.Add(mustEncode(f, &e))
	f.Add([]byte{0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		_, _ = m.XORMappedAddress()
		_, _ = m.MappedAddress()
		_, _, _ = m.ErrorCode()
		_, _ = m.Software()
		raw, err := m.Encode()
		if err != nil {
			t.Fatalf("re-encoding a parsed message: %v", err)
		}
		again, err := Parse(raw)
		if err != nil {
			t.Fatalf("re-encoded message does not parse: %v", err)
		}
		if !sameMessage(m, again) {
			t.Fatalf("round trip changed the message:\n%+v\n%+v", m, again)
		}
	})
}

// FuzzBuild: whatever the fake or the client builds parses back to the same
// type, transaction ID and values.
func FuzzBuild(f *testing.F) {
	f.Add(uint16(0x0101), []byte("0123456789ab"), []byte{192, 0, 2, 1}, uint16(3478), 401, "biztel-doctor", true)
	f.Add(uint16(0x0111), []byte{}, []byte{0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, uint16(1), 699, "", false)
	f.Fuzz(func(t *testing.T, typ uint16, txb, ip []byte, port uint16, code int, software string, fp bool) {
		var tx TxID
		copy(tx[:], txb)
		addr, ok := netip.AddrFromSlice(ip)
		if !ok {
			addr = netip.IPv4Unspecified()
		}
		ap := netip.AddrPortFrom(addr.Unmap(), port)
		code = 300 + (code%400+400)%400
		m := Message{Type: Type(typ & 0x3FFF), TxID: tx, Fingerprint: fp}
		m.AddSoftware(software)
		m.AddXORMappedAddress(ap)
		m.AddMappedAddress(ap)
		m.AddErrorCode(code, software)
		raw, err := m.Encode()
		if err != nil {
			if err != ErrTooLong {
				t.Fatal(err)
			}
			t.Skip() // a reason phrase too long for one message
		}
		p, err := Parse(raw)
		if err != nil {
			t.Fatalf("Parse(Encode) = %v", err)
		}
		if !sameMessage(&m, p) {
			t.Fatalf("round trip:\n%+v\n%+v", m, p)
		}
		x, err1 := p.XORMappedAddress()
		o, err2 := p.MappedAddress()
		c, reason, err3 := p.ErrorCode()
		if err1 != nil || err2 != nil || err3 != nil || x != ap || o != ap || c != code || reason != software {
			t.Fatalf("values: %v %v %d %q (%v %v %v), want %v %d", x, o, c, reason, err1, err2, err3, ap, code)
		}
		if _, ok := p.Software(); !ok {
			t.Fatal("SOFTWARE lost")
		}
		if n := NewBindingRequest(tx, software); len(n)%4 != 0 {
			t.Fatalf("request length %d", len(n))
		}
		if r, err := Parse(NewBindingRequest(tx, software)); err != nil || r.TxID != tx || !r.Fingerprint {
			t.Fatalf("request: %v", err)
		}
	})
}

func sameMessage(a, b *Message) bool {
	if a.Type != b.Type || a.TxID != b.TxID || a.Fingerprint != b.Fingerprint || len(a.Attrs) != len(b.Attrs) {
		return false
	}
	for i := range a.Attrs {
		if a.Attrs[i].Type != b.Attrs[i].Type || !reflect.DeepEqual(append([]byte{}, a.Attrs[i].Value...), append([]byte{}, b.Attrs[i].Value...)) {
			return false
		}
	}
	return true
}
