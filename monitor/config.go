package monitor

import (
	"errors"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Defaults and limits of a run.
const (
	DefaultDuration = time.Hour
	DefaultWindow   = 10 * time.Second
	MinWindow       = time.Second
	// SIPInterval is how often OPTIONS goes to the BIZTEL server: what a
	// softphone's keep-alive does. SIPMinInterval is the floor no setting
	// goes below (courtesy to a production server).
	SIPInterval    = 30 * time.Second
	SIPMinInterval = 15 * time.Second
	// SIPTLSInterval spaces the optional SIP/TLS checks (a TLS handshake
	// and one OPTIONS on TCP 15061).
	SIPTLSInterval = 5 * time.Minute
	// LinkInterval is how often the host's link is read (cheap, but the
	// OS tools behind it are not free on Windows and macOS).
	LinkInterval = 30 * time.Second
	// replyGrace is how long a window waits for late replies after it ends:
	// media.quality's drain, past the RTT fail threshold (300 ms) with room.
	replyGrace = time.Second
	// tick is the run loop's resolution.
	tick = 100 * time.Millisecond
	// gapMin is how far the clocks must disagree, or the loop be late,
	// before it is a gap rather than scheduling noise.
	gapMin = 2 * time.Second
	// probeEvery spaces STUN probes asked when the reflector is silent.
	probeEvery = 10 * time.Second
)

// Config is one run.
type Config struct {
	Profile    *profile.Profile
	Env        *checks.Env
	Ports      checks.Ports
	Duration   time.Duration
	Window     time.Duration
	Clock      Clock         // nil: SystemClock
	SIPEvery   time.Duration // 0: SIPInterval; raised to SIPMinInterval
	SIPTLS     bool          // also SIP/TLS every SIPTLSInterval
	Thresholds content.Thresholds
	Version    string
	Simulated  string // demo: the scenario, written into the record

	// OnWindow is called from the run loop after every finished window
	// with the record so far and the events that are new since the last
	// call (w is zero when only events changed, at the end of a run). It
	// must not keep rec (it is reused).
	OnWindow func(rec *Record, w Window, fresh []Event)
	// OnLive, when set, gets a reading about every second.
	OnLive func(Live)
}

// Live is a reading of the stream as it runs, for live charts.
type Live struct {
	Elapsed  time.Duration
	Method   Method
	Silent   time.Duration // since the last reply
	Sent     int           // packets sent so far
	Received int
}

// Errors of a run's set-up (usage-level: nothing was measured).
var (
	ErrNoTarget = errors.New("monitor: needs a reflector or a STUN server")
	ErrDuration = errors.New("monitor: the duration must be positive")
	ErrWindow   = errors.New("monitor: the window must be at least 1s and at most the duration")
)

// Validate checks the run's lengths and that something can be measured.
func (c *Config) Validate() error {
	switch {
	case c.Duration <= 0:
		return ErrDuration
	case c.Window < MinWindow || c.Window > c.Duration:
		return ErrWindow
	case c.Profile == nil || (c.Profile.Reflector.Addr == "" && len(c.Profile.STUNEntries()) == 0):
		return ErrNoTarget
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = SystemClock()
	}
	if c.SIPEvery == 0 {
		c.SIPEvery = SIPInterval
	}
	c.SIPEvery = max(c.SIPEvery, SIPMinInterval)
	if c.Env == nil {
		c.Env = checks.SystemEnv(c.Version)
	}
	if c.Ports.SIPUDP == 0 {
		c.Ports = checks.DefaultPorts()
	}
	return c
}
