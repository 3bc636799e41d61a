// Package impair is a user-space impairment relay for tests: it sits on one
// loopback address, mirrors a reflector's ports on another, and between the
// two drops (seeded, bursty), delays, jitters, blocks ports, expires idle
// mappings like a NAT, and — optionally — rewrites SIP like a SIP-ALG. The
// checks' accuracy tests measure through it and compare with what it did.
// Loopback only; imported by tests only.
package impair

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// Impairment is what happens to packets in one direction.
type Impairment struct {
	// Loss is the probability that a loss event starts at a packet.
	Loss float64
	// Burst is how many consecutive packets a loss event drops (≥1).
	Burst int
	// Delay is added to every packet.
	Delay time.Duration
	// Jitter is the mean absolute difference between consecutive packets'
	// added delays — what the RFC 3550 estimator converges to. The relay
	// adds a uniform extra delay in [0, 3·Jitter] (E|X−Y| = a/3 for
	// independent uniforms on [0, a]).
	Jitter time.Duration
	// RateKbps, when set, polices the direction like an access line's
	// token bucket: a packet (IP size, UDP payload + 28 bytes) passes while
	// the bucket holds its size, and is dropped otherwise. The bucket holds
	// BucketBytes, starts full and refills at RateKbps — a burst allowance,
	// then the bought rate.
	RateKbps    float64
	BucketBytes int
}

// Config says what the relay mirrors and what it does.
type Config struct {
	Listen   string // loopback IP the client talks to, e.g. 127.0.0.2
	Target   string // loopback IP of the reflector, e.g. 127.0.0.1
	UDPPorts []int  // mirrored UDP ports
	TCPPorts []int  // mirrored TCP ports (SIP)
	Seed     uint64
	Up, Down Impairment // client → reflector, reflector → client
	// Impaired selects the packets Up/Down apply to (nil: all), so a test
	// can count its stream without the set-up packets.
	Impaired func(b []byte) bool
	// Blocked ports drop every packet to them (a firewall rule).
	Blocked []content.PortRange
	// MappingTimeout, when set, forgets a client's mapping after this long
	// without a packet from the client: later packets to it are dropped.
	MappingTimeout time.Duration
	// ALG, when set, rewrites SIP to and from its SIP ports.
	ALG *ALG
	// FragMTUUp/FragMTUDown, when set, drop datagrams that a path of this
	// MTU would split into IP fragments (payload + 28 bytes of headers
	// over it), as a firewall that drops fragments does. Loopback never
	// fragments, so this is how tests see it.
	FragMTUUp, FragMTUDown int
	// LineDown, when set, is asked for every UDP packet in either direction:
	// true drops it (the line is down; monitor's intermittent outages).
	LineDown func() bool
}

// fragmented reports whether a UDP payload of n bytes is fragmented on a
// path of mtu (0: never).
func fragmented(n, mtu int) bool { return mtu > 0 && n+28 > mtu }

// Counts of one direction.
type Counts struct {
	Impaired     int // packets the impairment applied to
	Dropped      int // of those, dropped
	Policed      int // of those, dropped by the token bucket (RateKbps)
	LongestBurst int // longest run of consecutive drops
	// MeanDelay is the delay the relay really added to forwarded packets
	// (from reading one to sending it, timer lateness included), averaged.
	MeanDelay time.Duration
	// MedianDelay is their median (a stalled machine skews the mean).
	MedianDelay time.Duration
	// MaxDelay is the longest: a stall of the test machine shows here.
	MaxDelay time.Duration
	// MeanDelayDiff is the realised jitter: the mean absolute difference of
	// consecutive forwarded packets' really added delays.
	MeanDelayDiff time.Duration
}

// Relay is a running relay.
type Relay struct {
	cfg    Config
	mu     sync.Mutex
	up     dirState
	down   dirState
	listen map[int]*net.UDPConn
	maps   map[netip.AddrPort]*mapping
	tcp    []net.Listener
	conns  []net.Conn
	closed bool
	wg     sync.WaitGroup
}

type dirState struct {
	imp    Impairment
	rng    *rand.Rand
	left   int // packets still to drop in the current burst
	run    int
	counts Counts
	// realised delay of each forwarded impaired packet, in arrival order
	// (-1 until it is sent)
	realised []time.Duration
	tokens   float64   // token bucket, bytes (RateKbps)
	refilled time.Time // when tokens was last topped up; zero: full
}

// police spends a packet's tokens; false when the bucket cannot pay.
func (d *dirState) police(size int, now time.Time) bool {
	if d.imp.RateKbps <= 0 {
		return true
	}
	capacity := float64(d.imp.BucketBytes)
	if d.refilled.IsZero() {
		d.tokens = capacity
	} else {
		d.tokens = min(capacity, d.tokens+now.Sub(d.refilled).Seconds()*d.imp.RateKbps*1000/8)
	}
	d.refilled = now
	need := float64(size + 28)
	if d.tokens < need {
		return false
	}
	d.tokens -= need
	return true
}

// mapping is one client's "NAT" binding: an upstream socket toward the
// reflector, used for every port the client talks to.
type mapping struct {
	client  netip.AddrPort
	up      *net.UDPConn
	lastOut time.Time
	dead    bool
}

// Start binds every mirrored port.
func Start(cfg Config) (*Relay, error) {
	r := &Relay{cfg: cfg, listen: map[int]*net.UDPConn{}, maps: map[netip.AddrPort]*mapping{}}
	r.up = dirState{imp: cfg.Up, rng: rand.New(rand.NewPCG(cfg.Seed, 1))}
	r.down = dirState{imp: cfg.Down, rng: rand.New(rand.NewPCG(cfg.Seed, 2))}
	for _, p := range cfg.UDPPorts {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(cfg.Listen), Port: p})
		if err != nil {
			r.Close()
			return nil, err
		}
		r.listen[p] = c
	}
	for _, p := range cfg.TCPPorts {
		l, err := net.Listen("tcp", net.JoinHostPort(cfg.Listen, strconv.Itoa(p)))
		if err != nil {
			r.Close()
			return nil, err
		}
		r.tcp = append(r.tcp, l)
	}
	for p, c := range r.listen {
		r.wg.Add(1)
		go r.fromClients(p, c)
	}
	for _, l := range r.tcp {
		r.wg.Add(1)
		go r.acceptTCP(l)
	}
	return r, nil
}

// Close stops the relay.
func (r *Relay) Close() {
	r.mu.Lock()
	r.closed = true
	for _, c := range r.listen {
		c.Close()
	}
	for _, m := range r.maps {
		m.up.Close()
	}
	for _, l := range r.tcp {
		l.Close()
	}
	for _, c := range r.conns {
		c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// Counts returns what the relay did to impaired packets per direction.
func (r *Relay) Counts() (up, down Counts) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.up.summary(), r.down.summary()
}

func (d *dirState) summary() Counts {
	c := d.counts
	var sum, diffSum time.Duration
	n, diffs := 0, 0
	prev := time.Duration(-1)
	for _, x := range d.realised {
		if x < 0 {
			continue // still in flight
		}
		sum += x
		n++
		if prev >= 0 {
			diffSum += (x - prev).Abs()
			diffs++
		}
		prev = x
	}
	if n > 0 {
		c.MeanDelay = sum / time.Duration(n)
		done := make([]time.Duration, 0, n)
		for _, x := range d.realised {
			if x >= 0 {
				done = append(done, x)
			}
		}
		slices.Sort(done)
		c.MedianDelay = done[n/2]
		c.MaxDelay = done[n-1]
	}
	if diffs > 0 {
		c.MeanDelayDiff = diffSum / time.Duration(diffs)
	}
	return c
}

// decide applies one direction's impairment to a packet of size bytes that
// arrived at now: drop, or the delay to add. Callers hold r.mu.
func (d *dirState) decide(size int, now time.Time) (drop bool, delay time.Duration) {
	d.counts.Impaired++
	if !d.police(size, now) {
		d.counts.Dropped++
		d.counts.Policed++
		return true, 0
	}
	if d.left == 0 && d.imp.Loss > 0 && d.rng.Float64() < d.imp.Loss {
		d.left = max(d.imp.Burst, 1)
	}
	if d.left > 0 {
		d.left--
		d.run++
		d.counts.Dropped++
		d.counts.LongestBurst = max(d.counts.LongestBurst, d.run)
		return true, 0
	}
	d.run = 0
	delay = d.imp.Delay
	if d.imp.Jitter > 0 {
		delay += time.Duration(d.rng.Float64() * 3 * float64(d.imp.Jitter))
	}
	return false, delay
}

func (r *Relay) blocked(port int) bool {
	for _, b := range r.cfg.Blocked {
		if b.Contains(port) {
			return true
		}
	}
	return false
}

// impair decides a packet's fate in a direction and sends it (maybe later).
func (r *Relay) impair(d *dirState, b []byte, send func([]byte)) {
	if r.cfg.Impaired != nil && !r.cfg.Impaired(b) {
		send(b)
		return
	}
	arrived := time.Now()
	r.mu.Lock()
	drop, delay := d.decide(len(b), arrived)
	i := len(d.realised)
	if !drop {
		d.realised = append(d.realised, -1)
	}
	r.mu.Unlock()
	if drop {
		return
	}
	deliver := func() {
		sent := time.Since(arrived) // before the send and the lock: neither is network delay
		send(b)
		r.mu.Lock()
		d.realised[i] = sent
		r.mu.Unlock()
	}
	if delay <= 0 {
		deliver()
		return
	}
	time.AfterFunc(delay, deliver)
}

func (r *Relay) fromClients(port int, c *net.UDPConn) {
	defer r.wg.Done()
	buf := make([]byte, 65536)
	target := netip.MustParseAddr(r.cfg.Target)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if r.blocked(port) || r.lineDown() || fragmented(n, r.cfg.FragMTUUp) {
			continue
		}
		m, err := r.mappingFor(from)
		if err != nil {
			continue
		}
		b := append([]byte(nil), buf[:n]...)
		if r.cfg.ALG != nil && r.cfg.ALG.isSIPPort(port) {
			b = r.cfg.ALG.outbound("udp", b, from, m.up.LocalAddr().(*net.UDPAddr).AddrPort())
		}
		to := netip.AddrPortFrom(target, uint16(port))
		r.impair(&r.up, b, func(b []byte) { m.up.WriteToUDPAddrPort(b, to) })
	}
}

// mappingFor returns the client's live mapping, making one (and starting
// its return path) when there is none or the old one expired.
func (r *Relay) mappingFor(client netip.AddrPort) (*mapping, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, net.ErrClosed
	}
	now := time.Now()
	m := r.maps[client]
	if m != nil && (m.dead || r.expired(m, now)) {
		m.dead = true
		m.up.Close()
		m = nil
	}
	if m == nil {
		up, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(r.cfg.Listen)})
		if err != nil {
			return nil, err
		}
		m = &mapping{client: client, up: up}
		r.maps[client] = m
		r.wg.Add(1)
		go r.fromTarget(m)
	}
	m.lastOut = now
	return m, nil
}

func (r *Relay) lineDown() bool { return r.cfg.LineDown != nil && r.cfg.LineDown() }

// Forget drops every mapping, as a NAT does when its timer runs out or it
// restarts: a client's next packet gets a new public port.
func (r *Relay) Forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.maps {
		m.dead = true
	}
}

func (r *Relay) expired(m *mapping, now time.Time) bool {
	return r.cfg.MappingTimeout > 0 && now.Sub(m.lastOut) > r.cfg.MappingTimeout
}

// fromTarget carries the reflector's packets back to the client, out of the
// mirrored port they came from (endpoint-independent filtering).
func (r *Relay) fromTarget(m *mapping) {
	defer r.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := m.up.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		port := int(from.Port())
		r.mu.Lock()
		expired := m.dead || r.expired(m, time.Now())
		if expired {
			m.dead = true
		}
		out := r.listen[port]
		r.mu.Unlock()
		if expired || out == nil || r.blocked(port) || r.lineDown() || fragmented(n, r.cfg.FragMTUDown) {
			continue
		}
		b := append([]byte(nil), buf[:n]...)
		if r.cfg.ALG != nil && r.cfg.ALG.isSIPPort(port) {
			b = r.cfg.ALG.inbound(b, m.client, m.up.LocalAddr().(*net.UDPAddr).AddrPort())
		}
		r.impair(&r.down, b, func(b []byte) { out.WriteToUDPAddrPort(b, m.client) })
	}
}

// track remembers TCP connections so Close ends them; false when closing.
func (r *Relay) track(cs ...net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	r.conns = append(r.conns, cs...)
	return true
}
