package monitor

import (
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// OutageAfter is how long nothing may come back before it is an outage:
// about 100 packets of a call, long past a jitter buffer; a softphone's
// audio has clearly dropped out by then.
const OutageAfter = 2 * time.Second

// remediesOf are the page's remedies per event kind (content remedy ids).
var remediesOf = map[Kind][]string{
	KindOutage:    {"use-wired", "allow-return-traffic", "bandwidth-200kbps"},
	KindQuality:   {"qos-sip-rtp", "use-wired", "bandwidth-200kbps"},
	KindMapping:   {"nat-timer-3600", "avoid-cgnat", "ipoe-fixed-ip"},
	KindSIP:       {"allow-sip-udp", "allow-return-traffic", "nat-timer-3600"},
	KindLink:      {"use-wired"},
	KindReflector: {},
	KindGap:       {},
}

// tracker turns windows, SIP answers, mappings, link readings and gaps into
// events. It is fed in time order by the run loop and is pure: tests feed
// it directly.
type tracker struct {
	wall   func(time.Duration) time.Time // monotonic → wall
	events []Event

	// the current run of lost packets
	runStart, runLast time.Duration
	inRun             bool
	outage            int // index of the open outage event, -1 when none

	quality, sip, sipTLS, reflector int // open events, -1 when none
	held                            []heldWindow

	public   string
	publicBy Method
	link     string
}

func newTracker(wall func(time.Duration) time.Time) *tracker {
	return &tracker{wall: wall, outage: -1, quality: -1, sip: -1, sipTLS: -1, reflector: -1}
}

func (t *tracker) open(k Kind, start, end time.Time, sum content.Text, ongoing bool) int {
	t.events = append(t.events, Event{Kind: k, Start: start, End: end, Seconds: secs(end.Sub(start)),
		Summary: sum, Ongoing: ongoing, Remedies: remediesOf[k]})
	return len(t.events) - 1
}

func (t *tracker) extend(i int, end time.Time, ongoing bool) {
	e := &t.events[i]
	e.End, e.Seconds, e.Ongoing = end, secs(end.Sub(e.Start)), ongoing
}

// packets feeds a finished window's packets in sequence order and reports
// whether an outage touched them.
func (t *tracker) packets(ps []packet) (touched bool) {
	for _, p := range ps {
		if p.excluded {
			continue
		}
		if p.afterGap {
			t.endRun(t.runLast, false)
		}
		if !p.received {
			if !t.inRun {
				t.inRun, t.runStart = true, p.tx
			}
			t.runLast = p.tx
			if t.runLast-t.runStart >= OutageAfter {
				t.outageUpTo(t.runLast, true)
				touched = true
			}
			continue
		}
		if t.inRun && p.tx-t.runStart >= OutageAfter {
			touched = true
		}
		t.endRun(p.tx, true)
	}
	return touched
}

// outageUpTo opens or extends the outage of the current run.
func (t *tracker) outageUpTo(end time.Duration, ongoing bool) {
	if t.outage >= 0 {
		t.extend(t.outage, t.wall(end), ongoing)
		return
	}
	t.outage = t.open(KindOutage, t.wall(t.runStart), t.wall(end), content.T(
		"通話に似たストリームが一切戻りませんでした（音声の未到達・切断にあたります）",
		"nothing of the call-like stream came back (what a call hears as silence or a drop)"), ongoing)
}

// endRun closes the run of lost packets at end (the send time of the
// first packet answered again, or where a gap cut it).
func (t *tracker) endRun(end time.Duration, byReply bool) {
	if t.inRun && (t.outage >= 0 || (byReply && end-t.runStart >= OutageAfter)) {
		t.outageUpTo(end, false)
	}
	t.inRun, t.outage = false, -1
}

// window grades a finished window; a window an outage touched is the
// outage's, not a quality event of its own. A window that ends inside a
// run of lost packets waits until the run is over: it may become an
// outage.
func (t *tracker) window(w Window, end time.Time, outage bool) {
	if outage {
		t.held, t.quality = nil, -1
		return
	}
	t.held = append(t.held, heldWindow{w, end})
	if t.inRun {
		return
	}
	for _, h := range t.held {
		t.grade(h.w, h.end)
	}
	t.held = nil
}

// flush grades windows still held at the end of the run.
func (t *tracker) flush() {
	if t.outage < 0 {
		for _, h := range t.held {
			t.grade(h.w, h.end)
		}
	}
	t.held = nil
}

type heldWindow struct {
	w   Window
	end time.Time
}

func (t *tracker) grade(w Window, end time.Time) {
	if w.Quality != "fail" {
		t.quality = -1
		return
	}
	if t.quality >= 0 {
		t.extend(t.quality, end, false)
		return
	}
	t.quality = t.open(KindQuality, w.Start, end, content.Tf(
		"通話品質の基準を下回りました（損失 %.1f%%、ジッタ %s、往復遅延 %s、推定 MOS %s）",
		"call quality below the page's limits (loss %.1f%%, jitter %s, RTT %s, estimated MOS %s)",
		w.LossPct, optMs(w.JitterMs), optMs(w.RTTMs), optNum(w.MOS)), false)
}

// sipAnswer records one OPTIONS transaction over UDP sent at `at`.
func (t *tracker) sipAnswer(ok bool, at time.Time, server string) {
	t.sipState(&t.sip, ok, at, content.Tf(
		"BIZTEL サーバ %s への SIP OPTIONS（UDP）に応答がありません（着信・発信ができない状態です）",
		"SIP OPTIONS over UDP to the BIZTEL server %s went unanswered (calls cannot be placed or received then)", server))
}

// sipTLSAnswer records one SIP/TLS check (TCP 15061) started at `at`.
func (t *tracker) sipTLSAnswer(ok bool, at time.Time, server string) {
	t.sipState(&t.sipTLS, ok, at, content.Tf(
		"BIZTEL サーバ %s への SIP/TLS（TCP 15061）が通りませんでした（暗号化ソフトフォンが使えない状態です）",
		"SIP/TLS (TCP 15061) to the BIZTEL server %s did not get through (the encrypted softphone cannot work then)", server))
}

// sipState opens an event at the first unanswered attempt, extends it
// while attempts fail and closes it at the first answered one.
func (t *tracker) sipState(open *int, ok bool, at time.Time, sum content.Text) {
	switch {
	case ok && *open >= 0:
		t.extend(*open, at, false)
		*open = -1
	case !ok && *open >= 0:
		t.extend(*open, at, true)
	case !ok:
		*open = t.open(KindSIP, at, at, sum, true)
	}
}

// mapping records the public address seen by a method; a change seen by
// the same method is an event.
func (t *tracker) mapping(public string, by Method, at time.Time) {
	if public == "" {
		return
	}
	if t.public != "" && t.publicBy == by && public != t.public {
		t.open(KindMapping, at, at, content.Tf(
			"NAT の対応付けが変わりました: %s → %s（NAT タイマーで対応付けが消えたか、グローバル IP が変わりました）",
			"the NAT mapping changed: %s → %s (the NAT timer dropped the mapping, or the public IP changed)", t.public, public), false)
	}
	t.public, t.publicBy = public, by
}

// linkSeen records the default-route interface and its kind.
func (t *tracker) linkSeen(desc string, at time.Time) {
	if desc == "" {
		return
	}
	if t.link != "" && desc != t.link {
		t.open(KindLink, at, at, content.Tf("回線が変わりました: %s → %s", "the link changed: %s → %s", t.link, desc), false)
	}
	t.link = desc
}

// reflectorLost opens the reflector event; reflectorBack closes it.
func (t *tracker) reflectorLost(at time.Time, fallback bool) {
	if t.reflector >= 0 {
		return
	}
	sum := content.T("リフレクタが応答しなくなりました。経路は STUN で確認できるため、STUN による計測（精度が低い方法）に切り替えました",
		"the reflector stopped answering while the path still worked: measuring with STUN (the weaker method) instead")
	if !fallback {
		sum = content.T("リフレクタが応答しません。STUN サーバがないため代わりの計測ができません",
			"the reflector does not answer, and there is no STUN server to measure with instead")
	}
	t.reflector = t.open(KindReflector, at, at, sum, true)
}

func (t *tracker) reflectorBack(at time.Time) {
	if t.reflector >= 0 {
		t.extend(t.reflector, at, false)
		t.reflector = -1
	}
}

// reflectorOngoing moves an open reflector event's end to at.
func (t *tracker) reflectorOngoing(at time.Time) {
	if t.reflector >= 0 {
		t.extend(t.reflector, at, true)
	}
}

// gap records that the process could not run from start to end.
func (t *tracker) gap(start, end time.Time) {
	t.open(KindGap, start, end, content.Tf(
		"%.0f 秒間、計測できませんでした（スリープ、または時計の変更）。この間は損失に数えていません",
		"could not measure for %.0f s (the computer slept, or the clock was changed); not counted as loss", end.Sub(start).Seconds()), false)
}

func secs(d time.Duration) float64 { return round2(max(d, 0).Seconds()) }
