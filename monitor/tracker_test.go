package monitor

import (
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

var t0 = time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)

func wallAt(m time.Duration) time.Time { return t0.Add(m) }

// stream builds packets every 20 ms over [0, n·20 ms); lost says which
// are unanswered.
func packets(n int, lost func(i int) bool) []packet {
	ps := make([]packet, n)
	for i := range ps {
		tx := time.Duration(i) * 20 * time.Millisecond
		ps[i] = packet{tx: tx, method: MethodReflector, received: !lost(i), rx: tx + time.Millisecond}
	}
	return ps
}

// TestOutageSpansWindows: a 5 s silence cut across three windows is one
// outage from its first lost packet to the first answered one.
func TestOutageSpansWindows(t *testing.T) {
	tr := newTracker(wallAt)
	ps := packets(500, func(i int) bool { return i >= 100 && i < 350 }) // 2 s … 7 s
	var touched []bool
	for _, w := range [][]packet{ps[:150], ps[150:300], ps[300:]} {
		touched = append(touched, tr.packets(w))
	}
	if len(tr.events) != 1 || tr.events[0].Kind != KindOutage {
		t.Fatalf("events %+v; want one outage", tr.events)
	}
	e := tr.events[0]
	if !e.Start.Equal(t0.Add(2*time.Second)) || !e.End.Equal(t0.Add(7*time.Second)) || e.Seconds != 5 || e.Ongoing {
		t.Errorf("outage %+v; want 2 s – 7 s, closed", e)
	}
	if !touched[1] || !touched[2] {
		t.Errorf("touched %v; the windows inside the outage must say so", touched)
	}
}

// TestShortLossIsNoOutage: runs of lost packets under OutageAfter (random
// loss, a burst) never make an outage, and a gap cuts a run in two.
func TestShortLossIsNoOutage(t *testing.T) {
	tr := newTracker(wallAt)
	ps := packets(500, func(i int) bool { return i%20 == 0 || (i >= 200 && i < 290) }) // 1.8 s burst
	tr.packets(ps)
	ps = packets(200, func(i int) bool { return i < 60 || i >= 140 })
	ps[140].afterGap = true // 1.2 s lost, a gap, 1.2 s lost: not 2.4 s
	tr.packets(ps)
	if len(tr.events) != 0 {
		t.Fatalf("events %+v; want none", tr.events)
	}
}

// TestExcludedPacketsAreNotLoss: packets excluded (before a gap, to a
// silent reflector) count neither way.
func TestExcludedPacketsAreNotLoss(t *testing.T) {
	ps := packets(100, func(i int) bool { return i >= 50 })
	for i := 50; i < 100; i++ {
		ps[i].excluded = true
	}
	w, _ := measure(ps, -1, thresholds())
	if w.Sent != 50 || w.Received != 50 || w.LossPct != 0 {
		t.Fatalf("window %+v; want 50 sent, none lost", w)
	}
	if tr := newTracker(wallAt); tr.packets(ps) || len(tr.events) != 0 {
		t.Fatalf("excluded packets made an outage")
	}
}

// TestEventsMerge: consecutive failing windows are one quality event,
// consecutive unanswered OPTIONS one sip event closed by an answer, a
// mapping change seen by the same method one instant event.
func TestEventsMerge(t *testing.T) {
	tr := newTracker(wallAt)
	bad := Window{Quality: "fail", LossPct: 8}
	for i := 0; i < 3; i++ {
		bad.Start = t0.Add(time.Duration(i) * 10 * time.Second)
		tr.window(bad, bad.Start.Add(10*time.Second), false)
	}
	tr.window(Window{Quality: "pass", Start: t0.Add(30 * time.Second)}, t0.Add(40*time.Second), false)
	tr.sipAnswer(false, t0, "srv")
	tr.sipAnswer(false, t0.Add(30*time.Second), "srv")
	tr.sipAnswer(true, t0.Add(60*time.Second), "srv")
	tr.mapping("203.0.113.9:4000", MethodReflector, t0)
	tr.mapping("203.0.113.9:4000", MethodReflector, t0.Add(time.Second))
	tr.mapping("203.0.113.9:5000", MethodSTUN, t0.Add(2*time.Second)) // another observer: a new baseline
	tr.mapping("203.0.113.9:6000", MethodSTUN, t0.Add(3*time.Second))
	want := []struct {
		kind Kind
		secs float64
	}{{KindQuality, 30}, {KindSIP, 60}, {KindMapping, 0}}
	if len(tr.events) != len(want) {
		t.Fatalf("events %+v", tr.events)
	}
	for i, w := range want {
		if e := tr.events[i]; e.Kind != w.kind || e.Seconds != w.secs || e.Ongoing || len(e.Summary.Ja) == 0 || len(e.Summary.En) == 0 {
			t.Errorf("event %d %+v; want %s of %v s", i, e, w.kind, w.secs)
		}
	}
}

// TestGapSeen: a suspend (the wall clock runs on, the monotonic one does
// not) and a stalled process both make a gap event and never loss.
func TestGapSeen(t *testing.T) {
	for _, tc := range []struct {
		name       string
		dMono      time.Duration
		dWall      time.Duration
		wantGapSec float64
	}{
		{"suspend", 100 * time.Millisecond, 30 * time.Second, 30},
		{"stopped", 20 * time.Second, 20 * time.Second, 20},
		{"clock step back", 100 * time.Millisecond, -time.Hour, 0},
		{"scheduling noise", 600 * time.Millisecond, 600 * time.Millisecond, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &runner{st: &stream{ledger: newLedger()}, anchors: anchors{{0, t0}}}
			r.tr = newTracker(func(m time.Duration) time.Time { return r.anchors.wall(m) })
			r.lastMono, r.lastWall = 5*time.Second, t0.Add(5*time.Second)
			r.cur = openWindow{start: 0}
			r.st.ledger.add(4500*time.Millisecond, MethodReflector)
			r.checkGap(r.lastMono+tc.dMono, r.lastWall.Add(tc.dWall))
			if tc.wantGapSec < 0 {
				if len(r.tr.events) != 0 {
					t.Fatalf("events %+v; want none", r.tr.events)
				}
				return
			}
			if len(r.tr.events) != 1 || r.tr.events[0].Kind != KindGap || r.tr.events[0].Seconds != tc.wantGapSec {
				t.Fatalf("events %+v; want one gap of %v s", r.tr.events, tc.wantGapSec)
			}
			if ps := r.st.ledger.slice(0, 1); !ps[0].excluded {
				t.Errorf("the unanswered packet sent just before the gap counts as loss")
			}
			if len(r.pending) != 1 || r.pending[0].end != 5*time.Second {
				t.Errorf("pending %+v; want the window cut where the gap began", r.pending)
			}
		})
	}
}

func thresholds() content.Thresholds { return content.MustLoad().Thresholds }

// TestRemediesExist: every remedy an event names is in content, and every
// kind has a label in both languages.
func TestRemediesExist(t *testing.T) {
	c := content.MustLoad()
	for _, k := range Kinds() {
		for _, id := range remediesOf[k] {
			if _, ok := c.Remedy(id); !ok {
				t.Errorf("%s: remedy %q is not in content", k, id)
			}
		}
		if l := kindName[k]; !l.Complete() {
			t.Errorf("%s: label %+v", k, l)
		}
	}
}
