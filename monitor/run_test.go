package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

func kinds(rec *Record) map[Kind]int {
	m := map[Kind]int{}
	for _, e := range rec.Events {
		m[e.Kind]++
	}
	return m
}

// TestRunHealthy: a short run over a clean loopback path has one window
// per second, every packet answered by the reflector, SIP answered, the
// public mapping seen, and no event.
func TestRunHealthy(t *testing.T) {
	b := newBed(t, false)
	b.cfg.Duration = 3 * time.Second
	calls := 0
	b.cfg.OnWindow = func(*Record, Window, []Event) { calls++ }
	rec, err := Run(context.Background(), b.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Windows) != 3 || calls != 3 {
		t.Fatalf("%d windows, %d OnWindow calls; want 3", len(rec.Windows), calls)
	}
	for i, w := range rec.Windows {
		if w.Method != MethodReflector || w.Sent == 0 || w.Received != w.Sent || w.LossPct != 0 || w.MOS == nil || w.Public == "" {
			t.Errorf("window %d: %+v", i, w)
		}
		if i > 0 && (w.LossUpPct == nil || *w.LossUpPct != 0) {
			t.Errorf("window %d: no up/down split from the reflector's count: %+v", i, w)
		}
	}
	if rec.Windows[len(rec.Windows)-1].SIPOK == nil || !*rec.Windows[len(rec.Windows)-1].SIPOK {
		t.Errorf("SIP OPTIONS not answered: %+v", rec.Windows)
	}
	if len(rec.Events) != 0 || rec.Interrupted {
		t.Errorf("events %+v, interrupted %v; want none", rec.Events, rec.Interrupted)
	}
}

// TestRunOutageIsOneEvent: the line goes down for 3 s in the middle of an
// 8 s run of 1 s windows: one outage event, overlapping the time the test
// itself took the line down, however many windows it spans.
func TestRunOutageIsOneEvent(t *testing.T) {
	b := newBed(t, false)
	b.cfg.Duration = 8 * time.Second
	var downAt, upAt time.Time
	go func() {
		time.Sleep(2500 * time.Millisecond)
		downAt = time.Now()
		b.down.Store(true)
		time.Sleep(3 * time.Second)
		b.down.Store(false)
		upAt = time.Now()
	}()
	rec, err := Run(context.Background(), b.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var outages []Event
	for _, e := range rec.Events {
		if e.Kind == KindOutage {
			outages = append(outages, e)
		}
	}
	if len(outages) != 1 {
		t.Fatalf("outage events %+v; want exactly one", rec.Events)
	}
	o := outages[0]
	if o.Ongoing || !o.Start.Before(upAt) || !o.End.After(downAt) {
		t.Errorf("outage %v – %v (ongoing %v) does not overlap the fault %v – %v", o.Start, o.End, o.Ongoing, downAt, upAt)
	}
	if kinds(rec)[KindQuality] != 0 {
		t.Errorf("windows of the outage also made quality events: %+v", rec.Events)
	}
}

// TestRunReflectorLostFallsBack: the reflector stops mid-run while STUN
// still answers: one reflector event, the later windows measured by STUN,
// and no outage (the path worked).
func TestRunReflectorLostFallsBack(t *testing.T) {
	b := newBed(t, true)
	b.cfg.Duration = 7 * time.Second
	go func() {
		time.Sleep(2 * time.Second)
		b.relay.Close()
	}()
	rec, err := Run(context.Background(), b.cfg)
	if err != nil {
		t.Fatal(err)
	}
	k := kinds(rec)
	if k[KindReflector] != 1 || k[KindOutage] != 0 {
		t.Fatalf("events %+v; want one reflector event and no outage", rec.Events)
	}
	last := rec.Windows[len(rec.Windows)-1]
	if rec.Windows[0].Method != MethodReflector || last.Method != MethodSTUN || last.Received == 0 {
		t.Errorf("methods %s … %s (last %+v); want reflector then a working stun fallback", rec.Windows[0].Method, last.Method, last)
	}
}

// TestRunInterrupted: cancelling writes the record as interrupted with the
// windows finished so far.
func TestRunInterrupted(t *testing.T) {
	b := newBed(t, false)
	b.cfg.Duration = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	b.cfg.OnWindow = func(rec *Record, _ Window, _ []Event) {
		if len(rec.Windows) == 2 {
			cancel()
		}
	}
	rec, err := Run(ctx, b.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Interrupted || len(rec.Windows) < 2 {
		t.Fatalf("interrupted %v, %d windows", rec.Interrupted, len(rec.Windows))
	}
	var buf bytes.Buffer
	if err := rec.WriteJSON(&buf, content.En); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc["interrupted"] != true {
		t.Fatalf("JSON %v: %s", err, buf.String())
	}
}
