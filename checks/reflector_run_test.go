package checks

import (
	"context"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

// TestReflectorChecksThroughRunner runs the reflector checks as `check`
// does, through MakePlan and Run, and sees results and live samples.
func TestReflectorChecksThroughRunner(t *testing.T) {
	b := newBed(t, 8, impair.Config{})
	b.opt.Only = []string{"sip.alg", "rtp.range", "media.quality", "media.bandwidth"}
	b.opt.MediaDuration = time.Second
	b.profile.Channels = 2
	plan, err := MakePlan(b.profile, b.opt)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan Event, 1024)
	samples := map[string]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range events {
			if ev.Kind == EventSample {
				samples[ev.ID]++
			}
		}
	}()
	out := Run(context.Background(), plan, &Env{}, events)
	<-done
	got := map[string]Status{}
	for _, r := range out.Results {
		got[r.ID] = r.Status
	}
	for _, id := range b.opt.Only {
		if got[id] != Pass {
			t.Errorf("%s: %s", id, got[id])
		}
	}
	if samples["media.quality"] < 25 || samples["rtp.range"] == 0 {
		t.Errorf("live samples: %v", samples)
	}
}
