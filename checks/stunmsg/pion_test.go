package stunmsg_test

import (
	"net"
	"net/netip"
	"testing"

	"github.com/pion/stun/v3"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// Cross-implementation tests against pion/stun, the library this package
// replaced in the binary (it stays a test dependency only).

var crossAddrs = []string{"203.0.113.7:40000", "[2001:db8::42]:3478"}

// TestPionReadsOurs: pion decodes what we build.
func TestPionReadsOurs(t *testing.T) {
	tx := stunmsg.NewTxID()
	req := &stun.Message{Raw: stunmsg.NewBindingRequest(tx, "biztel-doctor")}
	if err := req.Decode(); err != nil {
		t.Fatal(err)
	}
	var sw stun.Software
	if req.Type != stun.BindingRequest || req.TransactionID != tx || sw.GetFrom(req) != nil || sw.String() != "biztel-doctor" {
		t.Errorf("request: type %v tx %x software %q", req.Type, req.TransactionID, sw)
	}
	if err := stun.Fingerprint.Check(req); err != nil {
		t.Errorf("pion rejects our FINGERPRINT: %v", err)
	}

	for _, s := range crossAddrs {
		ap := netip.MustParseAddrPort(s)
		m := stunmsg.Message{Type: stunmsg.BindingSuccess, TxID: tx, Fingerprint: true}
		m.AddXORMappedAddress(ap)
		m.AddMappedAddress(ap)
		m.AddSoftware("fake")
		raw, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		p := &stun.Message{Raw: raw}
		if err := p.Decode(); err != nil {
			t.Fatal(err)
		}
		if err := stun.Fingerprint.Check(p); err != nil {
			t.Errorf("%s: FINGERPRINT: %v", s, err)
		}
		var xa stun.XORMappedAddress
		var ma stun.MappedAddress
		if err := xa.GetFrom(p); err != nil || !xa.IP.Equal(net.IP(ap.Addr().AsSlice())) || xa.Port != int(ap.Port()) {
			t.Errorf("%s: pion XOR-MAPPED-ADDRESS %v, %v", s, xa, err)
		}
		if err := ma.GetFrom(p); err != nil || !ma.IP.Equal(net.IP(ap.Addr().AsSlice())) || ma.Port != int(ap.Port()) {
			t.Errorf("%s: pion MAPPED-ADDRESS %v, %v", s, ma, err)
		}
	}

	m := stunmsg.Message{Type: stunmsg.BindingError, TxID: tx, Fingerprint: true}
	m.AddErrorCode(401, "Unauthorized")
	raw, _ := m.Encode()
	p := &stun.Message{Raw: raw}
	var ec stun.ErrorCodeAttribute
	if err := p.Decode(); err != nil || p.Type != stun.BindingError || ec.GetFrom(p) != nil || ec.Code != 401 || string(ec.Reason) != "Unauthorized" {
		t.Errorf("error response: %v type %v code %v", err, p.Type, ec)
	}
}

// TestWeReadPion: we parse what pion builds, and reject what it damages.
func TestWeReadPion(t *testing.T) {
	var tx [stun.TransactionIDSize]byte = stunmsg.NewTxID()
	req := stun.MustBuild(stun.NewTransactionIDSetter(tx), stun.BindingRequest, stun.NewSoftware("pion"), stun.Fingerprint)
	m, err := stunmsg.Parse(req.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if sw, _ := m.Software(); m.Type != stunmsg.BindingRequest || m.TxID != tx || !m.Fingerprint || sw != "pion" {
		t.Errorf("request %+v software %q", m, sw)
	}

	for _, s := range crossAddrs {
		ap := netip.MustParseAddrPort(s)
		ip := net.IP(ap.Addr().AsSlice())
		for _, old := range []bool{false, true} {
			addr := stun.Setter(&stun.XORMappedAddress{IP: ip, Port: int(ap.Port())})
			if old {
				addr = &stun.MappedAddress{IP: ip, Port: int(ap.Port())}
			}
			resp := stun.MustBuild(stun.NewTransactionIDSetter(tx), stun.BindingSuccess, addr, stun.NewSoftware("pion"), stun.Fingerprint)
			m, err := stunmsg.Parse(resp.Raw)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			get := m.XORMappedAddress
			if old {
				get = m.MappedAddress
			}
			if got, err := get(); err != nil || got != ap {
				t.Errorf("%s (MAPPED-ADDRESS %v): got %v, %v", s, old, got, err)
			}
			bad := append([]byte(nil), resp.Raw...)
			bad[len(bad)-9] ^= 0x20 // the last letter of SOFTWARE, just before FINGERPRINT
			if _, err := stunmsg.Parse(bad); err != stunmsg.ErrFingerprint {
				t.Errorf("%s: damaged message: %v", s, err)
			}
		}
	}

	for _, code := range []stun.ErrorCode{stun.CodeBadRequest, stun.CodeUnauthorized, stun.CodeUnknownAttribute, stun.CodeServerError} {
		resp := stun.MustBuild(stun.NewTransactionIDSetter(tx), stun.BindingError, code, stun.Fingerprint)
		m, err := stunmsg.Parse(resp.Raw)
		if err != nil {
			t.Fatal(err)
		}
		got, reason, err := m.ErrorCode()
		if m.Type != stunmsg.BindingError || got != int(code) || err != nil || reason == "" {
			t.Errorf("pion error %d: type %#x, got %d %q %v", code, m.Type, got, reason, err)
		}
	}
}
