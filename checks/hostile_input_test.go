package checks

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pion/stun/v3"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// TestHostileDatagrams feeds random and truncated datagrams to the STUN
// reply judge: each must be counted as noise, never taken as an answer,
// never panic.
func TestHostileDatagrams(t *testing.T) {
	b := &stunBinding{Server: "x"}
	req := stun.MustBuild(stun.TransactionID, stun.BindingRequest)
	b.tx = req.TransactionID
	byTx := map[stunmsg.TxID]*stunBinding{b.tx: b}
	good := stun.MustBuild(stun.NewTransactionIDSetter(b.tx), stun.BindingSuccess,
		&stun.XORMappedAddress{IP: net.IPv4(203, 0, 113, 1), Port: 4000}, stun.Fingerprint)
	r := rand.New(rand.NewPCG(1, 2))
	var st stunStats
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
		st.take(d, from, time.Now(), byTx, map[*stunBinding]time.Time{})
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
	st.take(good.Raw, from, time.Now(), byTx, map[*stunBinding]time.Time{b: time.Now()})
	if !b.Answered || b.Mapped.String() != "203.0.113.1:4000" {
		t.Errorf("the intact answer was not taken: %+v", b)
	}
}

// TestHostileFiles: malformed hosts files and route tables are read without
// panicking and without inventing entries.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts")
	content := "\x00\xff garbage\n# only a comment\n10.0.0.10\n999.1.1.1 " + mgmtHost + "\n::1 " + mgmtHost + "\n10.0.0.10 other " + mgmtHost + ". # trailing dot\n"
	if err := os.WriteFile(hosts, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := hostsEntries(hosts, mgmtHost)
	if err != nil || joinAddrs(got) != "10.0.0.10" {
		t.Errorf("hostsEntries = %v, %v; want only 10.0.0.10", got, err)
	}
	if got := printableHead([]byte("\x00\x01SIP\xff"), 60); got != `"\x00\x01SIP\xff"` {
		t.Errorf("printableHead = %s", got)
	}
	if got := clip(string([]rune("あいうえお")[0:5]) + string(make([]byte, 200))); len([]rune(got)) > 121 {
		t.Errorf("clip kept %d runes", len([]rune(got)))
	}
}
