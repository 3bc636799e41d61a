package checks

import (
	"math"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

func TestMediaBandwidth(t *testing.T) {
	b := newBed(t, 20, impair.Config{Seed: 3, Up: impair.Impairment{Loss: 0.04}, Impaired: isEcho})
	b.profile.Channels = 4
	b.opt.MediaDuration = 2 * time.Second
	r, _ := runReflectorCheck(t, "media.bandwidth", b.profile, b.opt, nil)
	up, _ := b.relay.Counts()
	sent := factF(t, r, "packets_sent")
	if sent != 4*100 {
		t.Errorf("sent %v packets, want 4 calls × 2 s × 50/s", sent)
	}
	if got, want := factF(t, r, "loss_up_pct"), 100*float64(up.Dropped)/sent; math.Abs(got-want) > 1 {
		t.Errorf("loss up %.2f%%, relay dropped %.2f%%", got, want)
	}
	if r.Status != Fail || len(r.Remedies) == 0 {
		t.Errorf("4%% loss: %s %v", r.Status, r.Facts)
	}
	if got := factF(t, r, "target_kbps_each_way"); got != 800 {
		t.Errorf("target %v kbps", got)
	}

	for attempt := 1; ; attempt++ {
		clean := newBed(t, 20, impair.Config{Impaired: isEcho})
		clean.profile.Channels = 3
		clean.opt.MediaDuration = 2 * time.Second
		r, _ = runReflectorCheck(t, "media.bandwidth", clean.profile, clean.opt, nil)
		cu, cd := clean.relay.Counts()
		ok1, why1 := bedHealthy(cu, impair.Impairment{})
		ok2, why2 := bedHealthy(cd, impair.Impairment{})
		if ok1 && ok2 {
			break
		}
		if attempt == bedAttempts {
			t.Fatalf("the clean bed stalled in %d attempts (machine overloaded?): %s%s", bedAttempts, why1, why2)
		}
		t.Logf("attempt %d: bed unhealthy, retrying: %s%s", attempt, why1, why2)
	}
	if r.Status != Pass {
		t.Errorf("clean line: %s %v", r.Status, r.Facts)
	}
	if got := factF(t, r, "rate_up_kbps"); math.Abs(got-600) > 6 {
		t.Errorf("clean line carried %v kbps up, want 600", got)
	}
}
