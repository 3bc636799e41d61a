package monitor

import (
	"context"
	"fmt"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// runner is one run's state, owned by the run loop's goroutine.
type runner struct {
	cfg     Config
	tg      targets
	st      *stream
	tr      *tracker
	anchors anchors
	rec     *Record
	start   time.Duration // monotonic start

	cur       openWindow
	pending   []openWindow
	prevCount int64 // reflector's running count at the end of the last window
	reported  int   // events already handed to OnWindow

	methodSince time.Duration // when the current method began
	probing     bool
	lastProbe   time.Duration
	probeFailAt time.Duration // start of the latest failed STUN probe, -1 none
	probeCh     chan probeResult

	sip      *checks.Plan
	sipTLS   *checks.Plan
	sipCh    chan sipResult
	nextSIP  time.Duration
	nextTLS  time.Duration
	nextLink time.Duration
	lastSIP  *bool
	sipOK    int
	sipFail  int
	link     string

	lastMono time.Duration
	lastWall time.Time
	nextLive time.Duration
}

// openWindow is a window being filled or waiting for late replies.
type openWindow struct {
	start, end time.Duration
	from, to   int // sequence numbers [from, to)
}

type probeResult struct {
	ok bool
	at time.Duration
}

type sipResult struct {
	tls bool
	ok  bool
	at  time.Time
}

// Run monitors until the duration ends or ctx is cancelled, and returns
// the record (Interrupted when ctx ended it). An error means nothing could
// be measured (no target, no socket).
func Run(ctx context.Context, cfg Config) (*Record, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	tg, err := resolveTargets(ctx, cfg)
	if err != nil {
		return nil, err
	}
	conn, err := cfg.Env.Listener.ListenPacket(ctx, "udp4", ":0")
	if err != nil {
		return nil, fmt.Errorf("monitor: UDP socket: %w", err)
	}
	defer conn.Close()
	r := &runner{cfg: cfg, tg: tg, probeCh: make(chan probeResult, 1), sipCh: make(chan sipResult, 2), probeFailAt: -1}
	first := tg.reflector
	if first == nil {
		first = tg.stun
	}
	r.st = newStream(conn, cfg.Clock, first)
	r.start = cfg.Clock.Mono()
	r.methodSince = r.start
	wall := cfg.Clock.Now()
	r.anchors = anchors{{mono: r.start, wall: wall}}
	r.tr = newTracker(func(m time.Duration) time.Time { return r.anchors.wall(m) })
	r.rec = &Record{Started: wall, Profile: cfg.Profile, Window: cfg.Window, Version: cfg.Version,
		Simulated: cfg.Simulated, Method: first.method}
	r.sip = planOf(cfg, "sip.udp")
	if cfg.SIPTLS {
		r.sipTLS = planOf(cfg, "sip.tls")
	}
	loopCtx, stop := context.WithCancel(context.Background())
	defer stop()
	go r.st.receive(loopCtx)
	if first.method == MethodReflector && !r.greet(ctx) {
		r.fallBack(r.start, true)
	}
	r.rec.Method = r.st.path.Load().method
	sendCtx, stopSend := context.WithCancel(loopCtx)
	defer stopSend()
	go r.st.send(sendCtx)
	r.loop(ctx, stopSend)
	r.rec.Duration = cfg.Clock.Mono() - r.start
	return r.rec, nil
}

// planOf plans one check (sip.udp or sip.tls) against the site.
func planOf(cfg Config, id string) *checks.Plan {
	opt := checks.DefaultOptions()
	opt.Only, opt.Ports = []string{id}, cfg.Ports
	p, err := checks.MakePlan(cfg.Profile, opt)
	if err != nil || len(p.For(id)) == 0 {
		return nil
	}
	return p
}

// greet asks the reflector how it sees us, 3 times 400 ms apart.
func (r *runner) greet(ctx context.Context) bool {
	p := r.st.path.Load()
	for try := 0; try < 3 && ctx.Err() == nil; try++ {
		r.st.sendHello(p)
		select {
		case <-time.After(400 * time.Millisecond):
		case <-ctx.Done():
		}
		if r.st.ledger.lastHello() >= 0 {
			return true
		}
	}
	return false
}
