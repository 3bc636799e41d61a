package checks

import (
	"context"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

const (
	// ftpsControlTimeout is ftps.control's budget: both modes run at once,
	// each through connect, banner/AUTH TLS and the handshake (3 s limits);
	// a dead port ends at the first.
	ftpsControlTimeout = 12 * time.Second
	// ftpsModeGrace is how long the other mode may still answer after one
	// succeeded: a server that speaks it answers within a round trip or two,
	// and one that does not should not hold the run for a full stage limit.
	ftpsModeGrace = 500 * time.Millisecond
)

const (
	remedyAllowFTPS     = "allow-ftps"
	remedyDisableFTPALG = "disable-ftp-alg"
)

func init() {
	register(Spec{
		ID:       "ftps.control",
		Timeout:  ftpsControlTimeout,
		Remedies: []string{remedyAllowFTPS, remedyDisableFTPALG, "dns-mgmt-resolve", rmTLSInspection, rmRemoveProxy, rmTLSHostname},
		Plan:     planFTPSControl,
		Run:      explainProxy(runFTPSControl),
	})
}

// ftpsPlanSkip says why the FTPS checks do not apply, or zero.
func ftpsPlanSkip(p *profile.Profile) content.Text {
	if p.Recording.IsZero() {
		return content.Phrase("check.ftps_control.no_recording", nil)
	}
	if !p.Option(content.OptRecordingDownload) {
		return content.Phrase("check.ftps_control.option_off", nil)
	}
	return content.Text{}
}

func planFTPSControl(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if why := ftpsPlanSkip(p); !why.IsZero() {
		return nil, why
	}
	return []Destination{{
		Proto: "FTPS", Transport: "tcp", Address: p.Recording.Addr(),
		Ports:   content.PortRange{From: opt.Ports.FTPSControl, To: opt.Ports.FTPSControl},
		Purpose: content.Phrase("check.ftps_control.purpose", nil),
	}}, content.Text{}
}

// ftpsAttempt is one mode's try.
type ftpsAttempt struct {
	mode      string
	sess      *ftpsSession
	probe     tcp.Attempt
	abandoned bool // stopped waiting after the other mode answered
}

// tryFTPSModes tries explicit and implicit FTPS at once. When one succeeds
// the other gets ftpsModeGrace more before it is abandoned.
func tryFTPSModes(ctx context.Context, in *Input, addr string, target tlsTarget) (explicit, implicit ftpsAttempt) {
	ch := make(chan ftpsAttempt, 2)
	cancels := map[string]context.CancelFunc{}
	for _, mode := range []string{ftpsExplicit, ftpsImplicit} {
		mctx, cancel := context.WithCancel(ctx)
		cancels[mode] = cancel
		go func() {
			s, p := openFTPS(mctx, in, addr, mode, target)
			ch <- ftpsAttempt{mode: mode, sess: s, probe: p}
		}()
	}
	defer func() {
		for _, c := range cancels {
			c()
		}
	}()
	var grace <-chan time.Time
	abandoned := false
	for got := 0; got < 2; {
		select {
		case a := <-ch:
			got++
			if a.sess != nil {
				a.sess.Detach() // keep the session usable after the cancels below
			}
			a.abandoned = abandoned && a.sess == nil
			if a.mode == ftpsExplicit {
				explicit = a
			} else {
				implicit = a
			}
			if a.sess != nil && grace == nil {
				t := time.NewTimer(ftpsModeGrace)
				defer t.Stop()
				grace = t.C
			}
		case <-grace:
			for _, c := range cancels {
				c() // the finished attempt's cancel is a no-op for it
			}
			grace, abandoned = nil, true
		}
	}
	return explicit, implicit
}

func runFTPSControl(ctx context.Context, in *Input) Result {
	const id = "ftps.control"
	if len(in.Targets) == 0 {
		return ErrorResult(id, tcpNoTarget)
	}
	addr := in.Targets[0].HostPort()
	what := ftpsWhat(addr)
	ex, im := tryFTPSModes(ctx, in, addr, recordingTLSTarget(in.Profile))
	facts := Facts{}
	tcpFacts(ex.probe, facts, "explicit_")
	tcpFacts(im.probe, facts, "implicit_")
	for _, a := range []ftpsAttempt{ex, im} {
		if a.abandoned {
			facts[a.mode+"_abandoned_after_ms"] = tcpMillis(ftpsModeGrace)
		}
	}
	var won *ftpsSession
	ev := &FTPSControlEvidence{}
	switch {
	case ex.sess != nil && im.sess != nil:
		ev.Mode = "explicit+implicit"
		won = ex.sess
		im.sess.Close()
	case ex.sess != nil:
		ev.Mode = ftpsExplicit
		won = ex.sess
	case im.sess != nil:
		ev.Mode = ftpsImplicit
		won = im.sess
	default:
		ev.Mode = "none"
	}
	facts["ftps_mode"] = ev.Mode
	if won == nil {
		return ftpsBothFailed(id, what, ex.probe, im.probe, facts).withEvidence(ev)
	}
	defer won.Close()
	facts["ftp_banner"] = won.Banner
	status, tlsText, tlsRem := won.Report.judge(what)
	var r Result
	switch status {
	case Fail:
		r = FailResult(id, tlsText, tlsRem...)
	case Warn:
		r = WarnResult(id, tcpJoinText(ftpsModeText(what, won.Mode), tlsText), tlsRem...)
	default:
		r = PassResult(id, ftpsModeText(what, ev.Mode))
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	won.Report.addFacts(r.Facts)
	return r.withEvidence(ev)
}

// FTPSControlEvidence is what ftps.control found; ftps.passive reads Mode
// to speak the same FTPS. The fact ftps_mode is rendered from it.
type FTPSControlEvidence struct {
	Mode string // "explicit", "implicit", "explicit+implicit" or "none"
}

func ftpsModeText(what, mode string) content.Text {
	switch mode {
	case ftpsExplicit:
		return content.Phrase("check.ftps_control.explicit", content.Vars{"what": what})
	case ftpsImplicit:
		return content.Phrase("check.ftps_control.implicit", content.Vars{"what": what})
	}
	return content.Phrase("check.ftps_control.both", content.Vars{"what": what})
}

// ftpsBothFailed explains where each mode stopped and picks remedies: a
// connect failure is the firewall rule (allow-ftps); a dialogue broken at or
// after AUTH TLS is the classic FTP ALG / inspecting firewall (disable-ftp-alg).
func ftpsBothFailed(id, what string, ex, im tcp.Attempt, facts Facts) Result {
	rem := []string{remedyAllowFTPS}
	switch {
	case ex.Class == tcp.Resolve:
		rem = []string{"dns-mgmt-resolve"}
	case ex.Net.Unreachable() && im.Net.Unreachable():
		rem = []string{remedyIPv4Required} // no route: opening the port would not help
	case ex.Stage == "auth_tls" || (ex.Stage == "tls" && ex.Class != tcp.OK):
		rem = append(rem, remedyDisableFTPALG)
	case ex.Class == tcp.Reset || im.Class == tcp.Reset:
		rem = append(rem, remedyDisableFTPALG)
	}
	sum := content.Phrase("check.ftps_control.both_failed", content.Vars{"what": what,
		"explicit": tcpFailureIn(ex, content.Phrase("check.ftps_control.explicit_name", nil)),
		"implicit": tcpFailureIn(im, content.Phrase("check.ftps_control.implicit_name", nil))})
	if ex.Stage == "auth_tls" || ex.Stage == "tls" {
		sum = tcpJoinText(sum, content.Phrase("check.ftps_control.alg_sign", nil))
	}
	r := FailResult(id, sum, rem...)
	for k, v := range facts {
		r.Facts[k] = v
	}
	if ex.Class == im.Class && ex.Stage == "connect" {
		r.Facts["result"] = string(ex.Class)
	}
	return r
}
