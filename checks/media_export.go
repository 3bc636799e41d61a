package checks

import (
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// The media statistics of media.quality, exported for package monitor,
// which cuts a never-ending stream into windows and measures each window
// with exactly the figures media.quality reports. When the media code moves
// to its own probe package, monitor imports it from there and this file
// goes away.

// MediaPacket is one packet of a call-like stream, by sequence number.
type MediaPacket struct {
	Sent, Received bool
	TX, RX         time.Duration // send and first-reply times on one monotonic scale
	ServerRx       int64         // reflector receive time (its clock, ns); 0 when not stamped
}

// MediaStats is what a stream measured (see streamStats).
type MediaStats = streamStats

// SummarizeMedia computes media.quality's statistics over packets in
// sequence order; serverReceived is the reflector's count of them (-1 when
// unknown).
func SummarizeMedia(ps []MediaPacket, serverReceived int) MediaStats {
	in := make([]probe, len(ps))
	for i, p := range ps {
		in[i] = probe{sent: p.Sent, received: p.Received, tx: p.TX, rx: p.RX, serverRx: p.ServerRx}
	}
	return summarize(in, serverReceived)
}

// EstimateMOS is media.quality's E-model estimate (see estimateMOS).
func EstimateMOS(rtt, jitter time.Duration, lossPct float64) float64 {
	mos, _ := estimateMOS(rtt, jitter, lossPct)
	return mos
}

// Grade places a measured value against one of content's call-quality
// thresholds: pass, warn or fail.
func Grade(v float64, th content.Threshold) Status { return grade(v, th) }
