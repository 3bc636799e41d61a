package stun

import (
	"net"
	"net/netip"
	"testing"
	"time"

	pion "github.com/pion/stun/v3"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// TestSTUNTake: how one reply is judged. Replies come from pion/stun (an
// independent implementation) and from stunmsg where pion cannot build the
// damage.
func TestSTUNTake(t *testing.T) {
	tx := stunmsg.TxID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	with := func(setters ...pion.Setter) []byte {
		return pion.MustBuild(append([]pion.Setter{pion.NewTransactionIDSetter(tx)}, setters...)...).Raw
	}
	own := func(typ stunmsg.Type, id stunmsg.TxID, add func(*stunmsg.Message)) []byte {
		m := stunmsg.Message{Type: typ, TxID: id, Fingerprint: true}
		add(&m)
		b, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	badFingerprint := with(pion.BindingSuccess, &pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}, pion.Fingerprint)
	badFingerprint[len(badFingerprint)-1] ^= 1
	tests := []struct {
		name       string
		replies    [][]byte
		mapped     string
		errCode    int
		software   string
		garbage    int
		mismatch   int
		unanswered bool
	}{
		{name: "XOR-MAPPED-ADDRESS and SOFTWARE",
			replies: [][]byte{with(pion.BindingSuccess, &pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}, pion.NewSoftware("srv 1.0"), pion.Fingerprint)},
			mapped:  "203.0.113.1:4000", software: "srv 1.0"},
		{name: "IPv6",
			replies: [][]byte{with(pion.BindingSuccess, &pion.XORMappedAddress{IP: net.ParseIP("2001:db8::5"), Port: 5060}, pion.Fingerprint)},
			mapped:  "[2001:db8::5]:5060"},
		{name: "RFC 3489 server: MAPPED-ADDRESS only, no FINGERPRINT",
			replies: [][]byte{with(pion.BindingSuccess, &pion.MappedAddress{IP: net.IPv4(198, 51, 100, 2), Port: 1})},
			mapped:  "198.51.100.2:1"},
		{name: "malformed XOR-MAPPED-ADDRESS falls back to MAPPED-ADDRESS",
			replies: [][]byte{own(stunmsg.BindingSuccess, tx, func(m *stunmsg.Message) {
				m.Add(stunmsg.AttrXORMappedAddress, []byte{0, 3, 0, 1, 1, 2, 3, 4})
				m.AddMappedAddress(netip.MustParseAddrPort("198.51.100.3:2"))
			})},
			mapped: "198.51.100.3:2"},
		{name: "error response", replies: [][]byte{with(pion.BindingError, pion.CodeUnauthorized, pion.Fingerprint)}, errCode: 401},
		{name: "error response without ERROR-CODE", replies: [][]byte{with(pion.BindingError)}, errCode: -1},
		{name: "wrong transaction ID then the answer",
			replies: [][]byte{
				own(stunmsg.BindingSuccess, stunmsg.TxID{9}, func(m *stunmsg.Message) { m.AddXORMappedAddress(netip.MustParseAddrPort("192.0.2.66:9")) }),
				with(pion.BindingSuccess, &pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}),
			},
			mapped: "203.0.113.1:4000", mismatch: 1},
		{name: "FINGERPRINT fails: garbage", replies: [][]byte{badFingerprint}, garbage: 1, unanswered: true},
		{name: "not STUN", replies: [][]byte{[]byte("HTTP/1.1 400 Bad Request\r\n\r\n")}, garbage: 1, unanswered: true},
		{name: "our own request echoed", replies: [][]byte{with(pion.BindingRequest)}, mismatch: 1, unanswered: true},
		{name: "a second answer",
			replies: [][]byte{
				with(pion.BindingSuccess, &pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}),
				with(pion.BindingSuccess, &pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 2), Port: 4000}),
			},
			mapped: "203.0.113.1:4000", mismatch: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &Binding{Server: "x", tx: tx}
			sent := time.Now()
			var st Stats
			from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 3478}
			for _, r := range tc.replies {
				st.take(r, from, sent.Add(7*time.Millisecond), map[stunmsg.TxID]*Binding{tx: b}, map[*Binding]time.Time{b: sent})
			}
			if b.Answered == tc.unanswered {
				t.Fatalf("answered = %v", b.Answered)
			}
			if st.Garbage != tc.garbage || st.Mismatched != tc.mismatch {
				t.Errorf("garbage %d mismatched %d, want %d %d", st.Garbage, st.Mismatched, tc.garbage, tc.mismatch)
			}
			if tc.unanswered {
				return
			}
			mapped := ""
			if b.Mapped.IsValid() {
				mapped = b.Mapped.String()
			}
			if mapped != tc.mapped || b.ErrCode != tc.errCode || b.Software != tc.software {
				t.Errorf("mapped %q code %d software %q; want %q %d %q", mapped, b.ErrCode, b.Software, tc.mapped, tc.errCode, tc.software)
			}
			if b.RTT != 7*time.Millisecond || b.From.String() != "127.0.0.1:3478" {
				t.Errorf("RTT %v from %v", b.RTT, b.From)
			}
		})
	}
}
