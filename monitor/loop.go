package monitor

import (
	"context"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// loop is the run loop: windows, gaps, the reflector watch, SIP and the
// link, every tick, until the duration ends or ctx is cancelled.
func (r *runner) loop(ctx context.Context, stopSend func()) {
	c := r.cfg.Clock
	r.lastMono, r.lastWall = c.Mono(), c.Now()
	r.cur = openWindow{start: r.start, from: r.st.ledger.next()}
	r.nextSIP, r.nextTLS, r.nextLink = r.start, r.start, r.start
	end := r.start + r.cfg.Duration
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	sending := true
	for {
		select {
		case <-ctx.Done():
			stopSend()
			now := c.Mono()
			r.rec.Interrupted = true
			// replies to the last second's packets are not due yet: not loss
			r.st.ledger.exclude(now-replyGrace, now, "")
			r.closeWindow(now)
			r.finish(now + replyGrace)
			r.tr.flush()
			r.record(Window{}, false)
			return
		case res := <-r.sipCh:
			r.tookSIP(res)
		case res := <-r.probeCh:
			r.tookProbe(res)
		case <-ticker.C:
		}
		now := c.Mono()
		r.checkGap(now, c.Now())
		if sending && now >= end {
			stopSend()
			sending = false
			r.closeWindow(end)
		}
		if sending && now >= r.cur.start+r.cfg.Window {
			r.closeWindow(r.cur.start + r.cfg.Window)
			r.st.sendHello(r.helloPath())
		}
		r.finish(now)
		if !sending && len(r.pending) == 0 {
			r.tr.flush()
			r.record(Window{}, false)
			return
		}
		if sending {
			r.watchReflector(ctx, now)
			r.schedule(ctx, now)
			r.live(now)
		}
	}
}

// closeWindow ends the current window at `at` and opens the next.
func (r *runner) closeWindow(at time.Duration) {
	w := r.cur
	w.end, w.to = at, r.st.ledger.next()
	if w.end > w.start {
		r.pending = append(r.pending, w)
	}
	r.cur = openWindow{start: at, from: w.to}
}

// finish measures every pending window whose replies are all due.
func (r *runner) finish(now time.Duration) {
	for len(r.pending) > 0 && r.pending[0].end+replyGrace <= now {
		ow := r.pending[0]
		r.pending = r.pending[1:]
		ps := r.st.ledger.slice(ow.from, ow.to)
		w, count := measure(ps, r.prevCount, r.cfg.Thresholds)
		r.prevCount = count
		w.Start = r.anchors.wall(ow.start)
		w.Seconds = round2((ow.end - ow.start).Seconds())
		w.Method = methodOf(ps, r.st.path.Load().method)
		w.SIPOK, w.Link = r.lastSIP, r.link
		outage := r.tr.packets(ps)
		endWall := r.anchors.wall(ow.end)
		r.tr.window(w, endWall, outage)
		pub, by := r.st.ledger.publicSeen()
		if w.Public = publicString(pub); w.Public != "" {
			r.tr.mapping(w.Public, by, endWall)
		}
		r.tr.reflectorOngoing(endWall)
		r.st.ledger.forget(ow.to)
		r.record(w, true)
	}
}

// methodOf is the method most of a window's packets used.
func methodOf(ps []packet, current Method) Method {
	n := 0
	for _, p := range ps {
		if p.method == MethodReflector {
			n++
		}
	}
	switch {
	case len(ps) == 0:
		return current
	case 2*n >= len(ps):
		return MethodReflector
	}
	return MethodSTUN
}

// record adds a finished window to the record (add false: only the
// events and totals change) and hands it on.
func (r *runner) record(w Window, add bool) {
	if add {
		r.rec.Windows = append(r.rec.Windows, w)
	}
	r.rec.Events = append(r.rec.Events[:0], r.tr.events...)
	r.rec.Duration = r.cfg.Clock.Mono() - r.start
	r.rec.Summary = summarize(r.rec, r.cfg, r.sipOK, r.sipFail)
	fresh := r.rec.Events[min(r.reported, len(r.rec.Events)):]
	r.reported = len(r.rec.Events)
	if r.cfg.OnWindow != nil && (add || len(fresh) > 0) {
		r.cfg.OnWindow(r.rec, w, fresh)
	}
}

// checkGap sees a suspend (the wall clock ran on while the monotonic one
// stood), a clock step, or a process that was not scheduled.
func (r *runner) checkGap(mono time.Duration, wall time.Time) {
	dm, dw := mono-r.lastMono, wall.Sub(r.lastWall)
	lateBy, skew := dm-tick, (dw - dm).Abs()
	if lateBy >= gapMin || skew >= gapMin {
		r.tr.gap(r.lastWall, wall)
		r.st.ledger.markGap(r.lastMono, replyGrace)
		r.anchors = append(r.anchors, anchor{mono: mono, wall: wall})
		if r.cur.start < r.lastMono {
			r.closeWindow(r.lastMono)
		}
		r.cur.start = mono
	}
	r.lastMono, r.lastWall = mono, wall
}

// helloPath is where a window's Hello goes: the reflector when there is
// one (on the fallback too: its answer means the reflector is back).
func (r *runner) helloPath() *path {
	if r.tg.reflector != nil {
		return r.tg.reflector
	}
	return r.st.path.Load()
}

// schedule starts SIP and link readings when due.
func (r *runner) schedule(ctx context.Context, now time.Duration) {
	if r.sip != nil && now >= r.nextSIP {
		r.nextSIP = now + r.cfg.SIPEvery
		go r.runSIP(ctx, r.sip, false)
	}
	if r.sipTLS != nil && now >= r.nextTLS {
		r.nextTLS = now + SIPTLSInterval
		go r.runSIP(ctx, r.sipTLS, true)
	}
	if now >= r.nextLink && r.cfg.Env.Host != nil {
		r.nextLink = now + LinkInterval
		r.readLink(now)
	}
}

func (r *runner) runSIP(ctx context.Context, plan *checks.Plan, tls bool) {
	at := r.cfg.Clock.Now()
	out := checks.Run(ctx, plan, r.cfg.Env, nil)
	if ctx.Err() != nil || len(out.Results) == 0 {
		return // interrupted: no verdict
	}
	res := out.Results[len(out.Results)-1]
	r.sipCh <- sipResult{tls: tls, ok: res.Status == checks.Pass || res.Status == checks.Warn, at: at}
}

func (r *runner) tookSIP(res sipResult) {
	server := ""
	if r.sip != nil {
		if ds := r.sip.For("sip.udp"); len(ds) > 0 {
			server = ds[0].HostPort()
		}
	}
	if res.tls {
		r.tr.sipTLSAnswer(res.ok, res.at, r.cfg.Profile.ServerAddr())
		return
	}
	r.lastSIP = &res.ok
	if res.ok {
		r.sipOK++
	} else {
		r.sipFail++
	}
	r.tr.sipAnswer(res.ok, res.at, server)
}

// readLink reads the default route's interface and kind.
func (r *runner) readLink(now time.Duration) {
	h := r.cfg.Env.Host
	iface, _, err := h.DefaultRoute()
	if err != nil || iface == "" {
		return
	}
	kind, details, err := h.LinkKind(iface)
	if err != nil {
		return
	}
	desc := iface + " " + kind
	if ssid := details["ssid"]; ssid != "" {
		desc += " " + ssid
	}
	r.link = desc
	r.tr.linkSeen(desc, r.anchors.wall(now))
}

// live hands a reading to OnLive about every second.
func (r *runner) live(now time.Duration) {
	if r.cfg.OnLive == nil || now < r.nextLive {
		return
	}
	r.nextLive = now + time.Second
	rx, _ := r.st.ledger.last()
	silent := now - max(rx, r.start)
	r.cfg.OnLive(Live{Elapsed: now - r.start, Method: r.st.path.Load().method, Silent: silent})
}
