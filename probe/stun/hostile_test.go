package stun

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"testing"
	"time"

	pion "github.com/pion/stun/v3"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// FuzzSTUNReply: any datagram to a STUN binding; bytes 8-19 become our
// transaction ID so attribute parsing is reached.
func FuzzSTUNReply(f *testing.F) {
	tx := [pion.TransactionIDSize]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	good := pion.MustBuild(pion.NewTransactionIDSetter(tx), pion.BindingSuccess,
		&pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}, pion.NewSoftware("x"), pion.Fingerprint)
	f.Add(good.Raw)
	bad := pion.MustBuild(pion.NewTransactionIDSetter(tx), pion.BindingError, pion.CodeUnauthorized)
	f.Add(bad.Raw)
	old := pion.MustBuild(pion.NewTransactionIDSetter(tx), pion.BindingSuccess, &pion.MappedAddress{IP: net.IPv4(1, 2, 3, 4), Port: 1})
	f.Add(old.Raw)
	f.Add([]byte{0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := append([]byte(nil), data...)
		if len(d) >= 20 {
			copy(d[8:20], tx[:])
		}
		b := &Binding{Server: "x", tx: tx}
		var st Stats
		from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 3478}
		st.take(d, from, time.Now(), map[stunmsg.TxID]*Binding{tx: b}, map[*Binding]time.Time{b: time.Now()})
		if !b.Answered && st.Garbage+st.Mismatched != 1 {
			t.Fatalf("datagram neither taken nor counted: %+v", st)
		}
		if b.Answered && b.ErrCode == 0 && b.Mapped.IsValid() && !b.Mapped.Addr().Is4() && !b.Mapped.Addr().Is6() {
			t.Fatalf("mapped %v", b.Mapped)
		}
	})
}

// TestHostileDatagrams feeds random and truncated datagrams to the STUN
// reply judge: each must be counted as noise, never taken as an answer,
// never panic.
func TestHostileDatagrams(t *testing.T) {
	b := &Binding{Server: "x"}
	req := pion.MustBuild(pion.TransactionID, pion.BindingRequest)
	b.tx = req.TransactionID
	byTx := map[stunmsg.TxID]*Binding{b.tx: b}
	good := pion.MustBuild(pion.NewTransactionIDSetter(b.tx), pion.BindingSuccess,
		&pion.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}, pion.Fingerprint)
	r := rand.New(rand.NewPCG(1, 2))
	var st Stats
	from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 3478}
	for i := 0; i < 2000; i++ {
		var d []byte
		switch i % 3 {
		case 0: // random bytes
			d = make([]byte, r.IntN(200))
			for j := range d {
				d[j] = byte(r.UintN(256))
			}
		case 1: // a real answer cut short
			d = append([]byte(nil), good.Raw[:r.IntN(len(good.Raw))]...)
		case 2: // a real answer with one byte flipped (FINGERPRINT must catch it)
			d = append([]byte(nil), good.Raw...)
			d[20+r.IntN(len(d)-20)] ^= 0x40
		}
		st.take(d, from, time.Now(), byTx, map[*Binding]time.Time{})
		// a flip in a comprehension-optional part (FINGERPRINT's own type)
		// leaves a genuine answer; anything taken must carry the real address
		if b.Answered && b.Mapped.String() != "203.0.113.1:4000" {
			t.Fatalf("damaged datagram %x taken as the answer: mapped %v", d, b.Mapped)
		}
		b.Answered, b.Mapped = false, netip.AddrPort{}
	}
	if st.Garbage == 0 {
		t.Error("no garbage counted")
	}
	st.take(good.Raw, from, time.Now(), byTx, map[*Binding]time.Time{b: time.Now()})
	if !b.Answered || b.Mapped.String() != "203.0.113.1:4000" {
		t.Errorf("the intact answer was not taken: %+v", b)
	}
}
