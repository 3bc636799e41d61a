package checks

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

// bucketSeeds is how many token-bucket lines TestBandwidthTokenBucket
// tries; bucketParallel how many runs share the machine at once.
const (
	bucketSeeds    = 20
	bucketParallel = 4
)

// TestBandwidthTokenBucket: an upstream policed like an access line — a
// burst of 1–2 s at the load's full rate (10 calls, 2 Mbit/s), then half
// that — must never pass the early-stopping run where the full run (--long)
// fails. Each seed draws its own burst length. Before issue 16 the early
// run stopped after 1.0 s inside the burst and passed every time.
func TestBandwidthTokenBucket(t *testing.T) {
	if testing.Short() {
		t.Skip("40 bandwidth runs")
	}
	const calls = 10
	rateKbps := float64(calls * bandwidthPerCallKbps)
	type run struct {
		seed  uint64
		long  bool
		burst time.Duration
		b     *bed
		r     Result
	}
	var runs []*run
	for seed := uint64(1); seed <= bucketSeeds; seed++ {
		burst := time.Second + time.Duration(rand.New(rand.NewPCG(seed, 16)).Int64N(int64(time.Second)))
		for _, long := range []bool{false, true} {
			// the bucket empties after burst at full rate: it loses R−R/2 a second
			up := impair.Impairment{RateKbps: rateKbps / 2, BucketBytes: int(burst.Seconds() * rateKbps / 2 * 1000 / 8)}
			b := newBed(t, 20, impair.Config{Seed: seed, Impaired: isEcho, Up: up})
			b.profile.Channels = calls
			b.opt.MediaDuration = 3 * time.Second
			b.opt.Long = long
			runs = append(runs, &run{seed: seed, long: long, burst: burst, b: b})
		}
	}
	sem := make(chan struct{}, bucketParallel)
	var wg sync.WaitGroup
	for _, ru := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ru.r, _ = runReflectorCheck(t, "media.bandwidth", ru.b.profile, ru.b.opt, nil)
		}()
	}
	wg.Wait()
	endedEarly := 0
	for i := 0; i < len(runs); i += 2 {
		early, full := runs[i], runs[i+1]
		t.Logf("seed %2d burst %v: early-stopping %s (%v s, up %v%%) · full %s (%v s, up %v%%)", early.seed, early.burst.Round(time.Millisecond),
			early.r.Status, early.r.Facts["duration_s"], early.r.Facts["loss_up_pct"], full.r.Status, full.r.Facts["duration_s"], full.r.Facts["loss_up_pct"])
		if full.r.Status != Fail {
			t.Errorf("seed %d: the full run %s on a line policed to half the load: %s", full.seed, full.r.Status, full.r.Summary.En)
		}
		if early.r.Status == Pass && full.r.Status != Pass {
			t.Errorf("seed %d: the early-stopping run passed a line the full run fails (%s): %v", early.seed, full.r.Status, early.r.Facts)
		}
		if e, _ := early.r.Facts["ended_early"].(bool); e {
			endedEarly++
		}
	}
	t.Logf("%d of %d early-stopping runs ended early (on clear loss)", endedEarly, bucketSeeds)
	if endedEarly == 0 {
		t.Error("no run ended early: the early stop no longer ends clearly failing runs")
	}
}
