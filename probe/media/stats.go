package media

import (
	"math"
	"slices"
	"time"
)

// Packet is one packet of a call-like stream, by sequence number.
type Packet struct {
	Sent     bool
	Received bool
	TX       time.Duration // client send time since stream start
	RX       time.Duration // client receive time since stream start
	ServerRx int64         // reflector receive time (its clock, ns); 0 when not stamped
}

// Stats is what one echoed stream measured. Zero values mean
// "not measured" only where a field says so.
type Stats struct {
	Sent, Received int
	LossPct        float64 // round trip
	// Up/down loss need the reflector's count; HaveServer says whether
	// UpLossPct/DownLossPct and the per-direction jitters are measured.
	HaveServer     bool
	ServerReceived int
	UpLossPct      float64
	DownLossPct    float64
	LongestBurst   int           // longest run of consecutive lost packets
	Bursts         map[int]int   // burst length → how many
	Jitter         time.Duration // RFC 3550 estimator on the round trip, averaged over the stream
	JitterUp       time.Duration // same, reflector-stamped, client → reflector
	JitterDown     time.Duration // reflector → client
	RTTP50, RTTP95 time.Duration
	RTTMax         time.Duration
}

// Summarize computes the statistics of a finished stream. serverReceived is
// the reflector's count (-1 when unknown).
func Summarize(ps []Packet, serverReceived int) Stats {
	var st Stats
	var rtts []time.Duration
	run := 0
	st.Bursts = map[int]int{}
	endRun := func() {
		if run > 0 {
			st.Bursts[run]++
			st.LongestBurst = max(st.LongestBurst, run)
			run = 0
		}
	}
	var rt, up, down []float64 // transit times in seconds, received packets in send order
	for _, p := range ps {
		if !p.Sent {
			continue
		}
		st.Sent++
		if !p.Received {
			run++
			continue
		}
		endRun()
		st.Received++
		rtt := p.RX - p.TX
		rtts = append(rtts, rtt)
		rt = append(rt, rtt.Seconds())
		if p.ServerRx != 0 {
			srv := float64(p.ServerRx) / 1e9
			up = append(up, srv-p.TX.Seconds())
			down = append(down, p.RX.Seconds()-srv)
		}
	}
	endRun()
	if st.Sent > 0 {
		st.LossPct = 100 * float64(st.Sent-st.Received) / float64(st.Sent)
	}
	if serverReceived >= 0 && st.Sent > 0 {
		st.HaveServer = true
		st.ServerReceived = min(serverReceived, st.Sent)
		st.UpLossPct = 100 * float64(st.Sent-st.ServerReceived) / float64(st.Sent)
		if st.ServerReceived > 0 {
			st.DownLossPct = 100 * float64(max(st.ServerReceived-st.Received, 0)) / float64(st.ServerReceived)
		}
	}
	st.Jitter = rfc3550Jitter(rt)
	if len(up) == len(rt) {
		st.JitterUp = rfc3550Jitter(up)
		st.JitterDown = rfc3550Jitter(down)
	}
	if len(rtts) > 0 {
		slices.Sort(rtts)
		st.RTTP50 = percentile(rtts, 0.50)
		st.RTTP95 = percentile(rtts, 0.95)
		st.RTTMax = rtts[len(rtts)-1]
	}
	return st
}

// rfc3550Jitter runs the interarrival jitter estimator of RFC 3550 §6.4.1,
// J += (|D(i-1,i)| - J)/16, over transit times (receive minus send, any
// constant clock offset cancels in D), and returns its mean over the stream
// so one 10 s figure does not hang on the last few packets. J starts at the
// first |D| instead of 0 to skip the estimator's warm-up.
func rfc3550Jitter(transit []float64) time.Duration {
	if len(transit) < 2 {
		return 0
	}
	var j, sum float64
	for i := 1; i < len(transit); i++ {
		d := math.Abs(transit[i] - transit[i-1])
		if i == 1 {
			j = d
		} else {
			j += (d - j) / 16
		}
		sum += j
	}
	return time.Duration(sum / float64(len(transit)-1) * 1e9)
}

// percentile is the q-quantile of sorted (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// EstimateMOS is the E-model (ITU-T G.107) in the simplification of Cole &
// Rosenbluth, "Voice over IP Performance Monitoring", ACM SIGCOMM CCR 31(2),
// 2001, for G.711:
//
//	d  = one-way mouth-to-ear delay, ms = RTT/2 + jitter buffer (2·jitter) + 20 ms packetisation
//	Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)
//	Ie = 30·ln(1 + 15·e)      (G.711, e = loss fraction)
//	R  = 94.2 − Id − Ie
//	MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R)   (G.107 Annex B; 1 for R ≤ 0, 4.5 for R ≥ 100)
func EstimateMOS(rtt, jitter time.Duration, lossPct float64) (mos, r float64) {
	d := rtt.Seconds()*1000/2 + 2*jitter.Seconds()*1000 + 20
	id := 0.024 * d
	if d > 177.3 {
		id += 0.11 * (d - 177.3)
	}
	ie := 30 * math.Log(1+15*lossPct/100)
	r = 94.2 - id - ie
	switch {
	case r <= 0:
		return 1, r
	case r >= 100:
		return 4.5, r
	}
	return 1 + 0.035*r + 7e-6*r*(r-60)*(100-r), r
}
