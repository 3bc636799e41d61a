package serve

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"
)

// session is what the reflector remembers about one client address: its rate
// budget and what it asked for, logged as one line when it goes idle.
type session struct {
	addr        netip.Addr
	first, last time.Time
	tokens      float64 // token bucket for RatePPS
	counts      map[string]int
	bytesIn     int64
	bytesOut    int64
	streams     int // live echo streams (nonces) of this source
	timers      int // armed timers of this source
}

type streamKey struct {
	addr  netip.Addr
	nonce uint64
}

type stream struct {
	received uint32
	bytes    uint64
	last     time.Time
}

// tables holds every piece of per-client state, each bounded by Config.
type tables struct {
	mu       sync.Mutex
	cfg      Config
	sessions map[netip.Addr]*session
	streams  map[streamKey]*stream
	timers   int  // armed, all sources
	full     bool // session table was full (logged once per episode)
}

func newTables(cfg Config) *tables {
	return &tables{cfg: cfg, sessions: map[netip.Addr]*session{}, streams: map[streamKey]*stream{}}
}

// admit charges one packet of n bytes to addr's bucket. It returns false when
// the source is over its rate or the session table is full.
func (t *tables) admit(addr netip.Addr, n int, kind string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.sessions[addr]
	if s == nil {
		if len(t.sessions) >= t.cfg.MaxSessions {
			if !t.full {
				t.full = true
				t.cfg.Log.Printf("session table full (%d sources); new sources are dropped until some go idle", t.cfg.MaxSessions)
			}
			return false
		}
		s = &session{addr: addr, first: now, last: now, tokens: float64(t.cfg.RateBurst), counts: map[string]int{}}
		t.sessions[addr] = s
	}
	s.tokens = min(float64(t.cfg.RateBurst), s.tokens+now.Sub(s.last).Seconds()*float64(t.cfg.RatePPS))
	s.last = now
	if s.tokens < 1 {
		s.counts["rate-limited"]++
		return false
	}
	s.tokens--
	s.counts[kind]++
	s.bytesIn += int64(n)
	return true
}

// note counts something about a source that admit did not (refusals, replies).
func (t *tables) note(addr netip.Addr, kind string, bytesOut int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.sessions[addr]; s != nil {
		if kind != "" {
			s.counts[kind]++
		}
		s.bytesOut += int64(bytesOut)
	}
}

// countEcho adds one echo of n bytes to the stream (addr, nonce) and returns
// its running count; 0 when the stream table is full for this source.
func (t *tables) countEcho(addr netip.Addr, nonce uint64, n int, now time.Time) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := streamKey{addr, nonce}
	st := t.streams[k]
	if st == nil {
		s := t.sessions[addr]
		if s == nil || s.streams >= MaxStreamsPerSource || len(t.streams) >= t.cfg.MaxStreams {
			return 0
		}
		s.streams++
		st = &stream{}
		t.streams[k] = st
	}
	st.received++
	st.bytes += uint64(n)
	st.last = now
	return st.received
}

// stats returns the counters of one stream.
func (t *tables) stats(addr netip.Addr, nonce uint64) (stream, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.streams[streamKey{addr, nonce}]
	if st == nil {
		return stream{}, false
	}
	return *st, true
}

// reserveTimer takes one timer slot for addr.
func (t *tables) reserveTimer(addr netip.Addr) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.sessions[addr]
	if s == nil || t.timers >= t.cfg.MaxTimers || s.timers >= MaxTimersPerSource {
		return false
	}
	t.timers++
	s.timers++
	return true
}

// releaseTimer frees a slot; the fire keeps the session alive.
func (t *tables) releaseTimer(addr netip.Addr, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.timers--
	if s := t.sessions[addr]; s != nil {
		s.timers--
		s.last = now
	}
}

// expire ends idle sessions (logging each) and idle streams. With all set
// (Close) every session ends.
func (t *tables) expire(now time.Time, all bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, st := range t.streams {
		if all || now.Sub(st.last) > SessionIdle {
			delete(t.streams, k)
			if s := t.sessions[k.addr]; s != nil {
				s.streams--
			}
		}
	}
	for a, s := range t.sessions {
		if all || (s.timers == 0 && s.streams == 0 && now.Sub(s.last) > SessionIdle) {
			t.cfg.Log.Print(s.line())
			delete(t.sessions, a)
		}
	}
	if len(t.sessions) < t.cfg.MaxSessions {
		t.full = false
	}
}

// line is the one log line of a client session.
func (s *session) line() string {
	keys := make([]string, 0, len(s.counts))
	for k := range s.counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "session %s from %s for %s:", s.addr, s.first.UTC().Format(time.RFC3339), s.last.Sub(s.first).Round(time.Millisecond))
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, s.counts[k])
	}
	fmt.Fprintf(&b, " in=%dB out=%dB", s.bytesIn, s.bytesOut)
	return b.String()
}
