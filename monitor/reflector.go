package monitor

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// STUN probe of the fallback decision: a few Binding requests from a
// socket of its own, so its answers never mix with the stream's.
const (
	probeTries = 3
	probeWait  = 400 * time.Millisecond
)

// watchReflector notices a silent reflector. Silence of OutageAfter asks
// the STUN server (at most every probeEvery): if STUN answers, the path
// works and the reflector is what stopped; if not, it is an outage.
func (r *runner) watchReflector(ctx context.Context, now time.Duration) {
	p := r.st.path.Load()
	if p.method == MethodSTUN {
		if r.tg.reflector != nil && r.st.ledger.lastHello() > r.methodSince {
			r.st.path.Store(r.tg.reflector)
			r.methodSince = now
			r.tr.reflectorBack(r.anchors.wall(now))
		}
		return
	}
	rx, _ := r.st.ledger.last()
	silent := now - max(rx, r.methodSince)
	if r.tg.stun == nil || r.probing || silent < OutageAfter || (r.lastProbe > 0 && now-r.lastProbe < probeEvery) {
		return
	}
	r.probing, r.lastProbe = true, now
	go func() { r.probeCh <- probeResult{ok: r.probeSTUN(ctx), at: now} }()
}

// tookProbe acts on a STUN probe's answer.
func (r *runner) tookProbe(res probeResult) {
	r.probing = false
	if !res.ok {
		r.probeFailAt = res.at
		return
	}
	if r.st.path.Load().method == MethodReflector {
		r.fallBack(res.at, true)
	}
}

// fallBack switches the stream to STUN from `at`: the reflector's
// unanswered packets since its last reply (or since the last STUN probe
// that found the path down: before that it was an outage) are the
// reflector's, not loss.
func (r *runner) fallBack(at time.Duration, announce bool) {
	rx, _ := r.st.ledger.last()
	from := max(rx, r.probeFailAt, r.methodSince)
	if r.tg.stun == nil {
		r.tr.reflectorLost(r.anchors.wall(from), false)
		return
	}
	r.st.ledger.exclude(from, r.cfg.Clock.Mono(), MethodReflector)
	r.st.ledger.cut()
	r.st.path.Store(r.tg.stun)
	r.methodSince = r.cfg.Clock.Mono()
	if announce {
		r.tr.reflectorLost(r.anchors.wall(from), true)
	}
}

// probeSTUN sends up to probeTries Binding requests to the STUN server
// and reports whether one was answered.
func (r *runner) probeSTUN(ctx context.Context) bool {
	conn, err := r.cfg.Env.Listener.ListenPacket(ctx, "udp4", ":0")
	if err != nil {
		return false
	}
	defer conn.Close()
	var id stunmsg.TxID
	binary.BigEndian.PutUint64(id[:], randomNonce())
	req := stunmsg.NewBindingRequest(id, "")
	buf := make([]byte, 1500)
	for try := 0; try < probeTries && ctx.Err() == nil; try++ {
		conn.WriteTo(req, r.tg.stun.to)
		conn.SetReadDeadline(time.Now().Add(probeWait))
		for {
			n, _, err := conn.ReadFrom(buf)
			if err != nil {
				break
			}
			if m, err := stunmsg.Parse(buf[:n]); err == nil && m.Type == stunmsg.BindingSuccess && m.TxID == id {
				return true
			}
		}
	}
	return false
}
