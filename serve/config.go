// Package serve is the reflector, `biztel-doctor serve`: a test peer that a
// support team runs on a public host so the checks can see what a customer's
// network does to SIP and media on the way out and back (sip.alg, rtp.range,
// media.quality, media.bandwidth, nat.timer). It never amplifies: a reply to
// a request is never larger than the request, and the one delayed packet a
// signed timer probe arms is no larger than the arming request.
package serve

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/netip"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// Defaults of a public reflector (ports from the requirements page, so the
// customer's firewall rules are exercised as they are written).
const (
	DefaultSIPPort     = 5060
	DefaultControlPort = 20999 // checks.DefaultReflectorPort
	// DefaultRatePPS is the per-source packet budget: a full RTP sweep
	// (~4,000/s) and a 380-call bandwidth test (19,000/s each way) fit;
	// the reflector says it in its Hello answer. A site with more calls
	// needs a reflector started with a larger -rate.
	DefaultRatePPS = wire.DefaultRatePPS
	// DefaultRateBurst lets a short burst (a sweep's start) through.
	DefaultRateBurst = 4000
	// DefaultMaxSessions bounds per-source state (sessions, buckets).
	DefaultMaxSessions = 4096
	// DefaultMaxStreams bounds per-nonce echo counters.
	DefaultMaxStreams = 16384
	// DefaultMaxTimers bounds armed NAT-timer packets in flight.
	DefaultMaxTimers = 1024
	// DefaultMaxTimerDelay covers a bisection up to the page's 3600 s SIP
	// NAT timer with room.
	DefaultMaxTimerDelay = 2 * time.Hour
	// SessionIdle ends a client session (and logs it) after this much
	// silence: longer than any gap inside one check run, except nat.timer,
	// whose armed timers keep the session alive.
	SessionIdle = 30 * time.Second
	// TCPIdle closes a SIP/TCP connection that sends nothing for this long.
	TCPIdle = 10 * time.Second
	// MaxTCPConns bounds concurrent SIP/TCP connections.
	MaxTCPConns = 128
	// MaxTCPConnsPerSource keeps one address from taking every SIP/TCP slot
	// (a check uses one or two connections at a time).
	MaxTCPConnsPerSource = 8
	// MaxTimersPerSource keeps one client from taking the whole timer table.
	MaxTimersPerSource = 64
	// MaxStreamsPerSource keeps one client from taking the stream table.
	MaxStreamsPerSource = 1024
)

// DefaultRTP is the page's RTP range (LAN→WAN ②).
var DefaultRTP = content.PortRange{From: 10000, To: 20000}

// Config says where the reflector listens and how much it will do.
// Zero ports pick free ones (tests, demo); DefaultConfig has the page's.
type Config struct {
	Listen      string            // IP address to bind; "" means every address
	SIPPort     int               // SIP echo, UDP and TCP
	ControlPort int               // control/echo port (UDP)
	RTP         content.PortRange // RTP echo range; zero means none
	// Token, when set, must sign every request; NAT-timer probes are served
	// only with a token.
	Token         string
	RatePPS       int // per-source packets per second
	RateBurst     int
	MaxSessions   int
	MaxStreams    int
	MaxTimers     int
	MaxTimerDelay time.Duration
	Log           *log.Logger // one line per client session; nil discards
}

// DefaultConfig is a public reflector on the page's ports.
func DefaultConfig() Config {
	return Config{SIPPort: DefaultSIPPort, ControlPort: DefaultControlPort, RTP: DefaultRTP}
}

func (c Config) withDefaults() Config {
	if c.RatePPS <= 0 {
		c.RatePPS = DefaultRatePPS
	}
	if c.RateBurst <= 0 {
		c.RateBurst = DefaultRateBurst
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxStreams <= 0 {
		c.MaxStreams = DefaultMaxStreams
	}
	if c.MaxTimers <= 0 {
		c.MaxTimers = DefaultMaxTimers
	}
	if c.MaxTimerDelay <= 0 {
		c.MaxTimerDelay = DefaultMaxTimerDelay
	}
	if c.Log == nil {
		c.Log = log.New(io.Discard, "", 0)
	}
	return c
}

func (c Config) validate() error {
	if c.Listen != "" {
		if _, err := netip.ParseAddr(c.Listen); err != nil {
			return fmt.Errorf("serve: listen address %q: not an IP address", c.Listen)
		}
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"SIP port", c.SIPPort}, {"control port", c.ControlPort}} {
		if p.v < 0 || p.v > 65535 {
			return fmt.Errorf("serve: %s %d: must be 0-65535", p.name, p.v)
		}
	}
	if c.RTP != (content.PortRange{}) {
		if err := c.RTP.Valid(); err != nil {
			return fmt.Errorf("serve: RTP range: %w", err)
		}
		for _, p := range []int{c.SIPPort, c.ControlPort} {
			if p != 0 && c.RTP.Contains(p) {
				return fmt.Errorf("serve: port %d is both a service port and inside the RTP range %s", p, c.RTP)
			}
		}
	}
	if c.SIPPort != 0 && c.SIPPort == c.ControlPort {
		return errors.New("serve: the SIP and control ports must differ")
	}
	return nil
}
