package checktest

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// STUNMode is how a fake STUN server behaves.
type STUNMode int

const (
	STUNAnswer      STUNMode = iota // a Binding success with XOR-MAPPED-ADDRESS
	STUNSilent                      // reads and never answers (a filtered port)
	STUNGarbage                     // answers with bytes that are not STUN
	STUNWrongTxID                   // first a reply with another transaction ID and some garbage, then the right answer
	STUNOnlyWrongTx                 // only replies with another transaction ID
)

// STUNServer is a fake STUN server on loopback.
type STUNServer struct {
	Addr *net.UDPAddr
	// Mode is fixed at start.
	Mode STUNMode
	// DropFirst requests are ignored before the server starts answering, to
	// exercise retransmission.
	DropFirst int
	// NAT, when set, decides the mapped address the server reports, standing
	// in for a NAT between client and server. nil: the real source address.
	NAT *FakeNAT

	requests atomic.Int64
}

// NewSTUN starts a fake STUN server on 127.0.0.1:0.
func NewSTUN(t TB, mode STUNMode) *STUNServer {
	s := &STUNServer{Mode: mode}
	s.Serve(ListenUDP(t, "127.0.0.1", 0))
	return s
}

// Serve answers on c (configure the fields before calling it).
func (s *STUNServer) Serve(c *net.UDPConn) *STUNServer {
	s.Addr = c.LocalAddr().(*net.UDPAddr)
	go s.loop(c)
	return s
}

// Requests is how many datagrams the server received.
func (s *STUNServer) Requests() int { return int(s.requests.Load()) }

func (s *STUNServer) loop(c *net.UDPConn) {
	buf := make([]byte, 2048)
	for {
		n, src, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		seen := s.requests.Add(1)
		if int(seen) <= s.DropFirst || s.Mode == STUNSilent {
			continue
		}
		req, err := stunmsg.Parse(buf[:n])
		if err != nil || req.Type != stunmsg.BindingRequest {
			continue
		}
		if s.Mode == STUNGarbage {
			_, _ = c.WriteToUDP([]byte("HTTP/1.1 400 Bad Request\r\n\r\nnot stun"), src)
			continue
		}
		mapped := src
		if s.NAT != nil {
			mapped = s.NAT.Map(src, s.Addr)
		}
		if s.Mode == STUNWrongTxID || s.Mode == STUNOnlyWrongTx {
			other := stunmsg.Message{Type: stunmsg.BindingSuccess, TxID: stunmsg.NewTxID(), Fingerprint: true}
			other.AddXORMappedAddress(netip.MustParseAddrPort("192.0.2.66:9"))
			if raw, err := other.Encode(); err == nil {
				_, _ = c.WriteToUDP(raw, src)
			}
			_, _ = c.WriteToUDP([]byte{0xde, 0xad, 0xbe, 0xef}, src)
			if s.Mode == STUNOnlyWrongTx {
				continue
			}
		}
		resp := stunmsg.Message{Type: stunmsg.BindingSuccess, TxID: req.TxID, Fingerprint: true}
		resp.AddXORMappedAddress(mapped.AddrPort())
		resp.AddSoftware("checktest")
		if raw, err := resp.Encode(); err == nil {
			_, _ = c.WriteToUDP(raw, src)
		}
	}
}

// FakeNAT stands in for a NAT between the client and several fake STUN
// servers: it gives each new mapping a public address the servers report.
type FakeNAT struct {
	PublicIP net.IP
	// PortFor picks the public port of the n-th new mapping; nil keeps the
	// source port (port preservation).
	PortFor func(n int, src *net.UDPAddr) int
	// PerDestination makes a new mapping for every destination, like a
	// symmetric (address-and-port-dependent) NAT.
	PerDestination bool

	mu    sync.Mutex
	table map[string]int
	n     int
}

// Map returns the public address of src talking to dst.
func (f *FakeNAT) Map(src, dst *net.UDPAddr) *net.UDPAddr {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.table == nil {
		f.table = map[string]int{}
	}
	key := src.String()
	if f.PerDestination {
		key += ">" + dst.String()
	}
	port, ok := f.table[key]
	if !ok {
		port = src.Port
		if f.PortFor != nil {
			port = f.PortFor(f.n, src)
		}
		f.n++
		f.table[key] = port
	}
	return &net.UDPAddr{IP: f.PublicIP, Port: port}
}

// MAPEPorts returns a PortFor that hands out ports of one MAP-E port set
// (RFC 7597 §5.1 with offset 4 and an 8-bit PSID, as Japanese services use):
// (A << 12) | (psid << 4) | j, A in 1..15, j in 0..15.
func MAPEPorts(psid int) func(int, *net.UDPAddr) int {
	return func(n int, _ *net.UDPAddr) int {
		a := 1 + (n*7)%15
		j := (n*5 + n/15) % 16
		return a<<12 | (psid&0xff)<<4 | j
	}
}

// RandomPorts returns a PortFor that hands out pseudo-random ports from
// 1024-65535 (a NAT with random allocation), reproducible from seed.
func RandomPorts(seed uint64) func(int, *net.UDPAddr) int {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var mu sync.Mutex
	return func(int, *net.UDPAddr) int {
		mu.Lock()
		defer mu.Unlock()
		return 1024 + r.IntN(65535-1024)
	}
}
