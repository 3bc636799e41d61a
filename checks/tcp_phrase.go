package checks

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/neterr"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// The TCP checks judge and phrase a tcp.Attempt (probe/tcp) here.

// tcpNoTarget is the error summary of a check run without the destination
// its plan should have given (a runner or plan bug, not a network finding).
var tcpNoTarget = content.Phrase("check.tcp_phrase.no_target", nil)

// tcpFacts writes the attempt as facts under prefix (e.g. "" or "explicit_").
func tcpFacts(p tcp.Attempt, f Facts, prefix string) {
	f[prefix+"result"] = string(p.Class)
	if p.Addr != "" {
		f[prefix+"address"] = p.Addr
	}
	if p.Local != "" {
		f[prefix+"local_address"] = p.Local
	}
	if p.Remote != "" {
		f[prefix+"remote_address"] = p.Remote
	}
	if p.Connect > 0 {
		f[prefix+"connect_ms"] = tcpMillis(p.Connect)
	}
	if !p.OK() {
		f[prefix+"stopped_at"] = p.Stage
		if p.Detail != "" {
			f[prefix+"error"] = p.Detail
		}
		if p.Waited > 0 {
			f[prefix+"waited_ms"] = tcpMillis(p.Waited)
		}
		if p.Net != neterr.Other {
			f[prefix+"net_error"] = p.Net.String()
		}
		if p.OSError != "" {
			f[prefix+"os_error"] = p.OSError
		}
	}
}

// tcpMillis renders a duration as milliseconds with 0.1 ms resolution.
func tcpMillis(d time.Duration) float64 {
	return float64(d.Round(100*time.Microsecond)) / float64(time.Millisecond)
}

// tcpFailureText is the one-sentence summary of a failed TCP exchange to what
// (e.g. "SIP/TLS 203.0.113.10:15061").
func tcpFailureText(p tcp.Attempt, what string) content.Text {
	stage := tcpStageName(p.Stage)
	waited := p.Waited.Round(time.Millisecond)
	switch p.Class {
	case tcp.Resolve:
		return content.Phrase("check.tcp_phrase.resolve_failed", content.Vars{"what": what, "detail": p.Detail})
	case tcp.Refused:
		return content.Phrase("check.tcp_phrase.refused", content.Vars{"what": what})
	case tcp.Filtered:
		return content.Phrase("check.tcp_phrase.filtered", content.Vars{"what": what, "waited": waited})
	case tcp.Unreachable:
		if p.Net.Unreachable() {
			return noRouteText(what, p.Net)
		}
		return content.Phrase("check.tcp_phrase.unreachable", content.Vars{"what": what, "detail": p.Detail})
	case tcp.Reset:
		return content.Phrase("check.tcp_phrase.reset", content.Vars{"what": what, "stage": stage})
	case tcp.Closed:
		return content.Phrase("check.tcp_phrase.closed", content.Vars{"what": what, "stage": stage})
	case tcp.Stalled:
		return content.Phrase("check.tcp_phrase.stalled", content.Vars{"what": what, "stage": stage, "waited": waited})
	case tcp.TLSFailed:
		return content.Phrase("check.tcp_phrase.tls_failed", content.Vars{"what": what, "detail": p.Detail})
	case tcp.Protocol:
		return content.Phrase("check.tcp_phrase.protocol", content.Vars{"what": what, "stage": stage, "detail": p.Detail})
	}
	return content.Tf("%s: %s", "%s: %s", what, p.Detail)
}

// tcpStageName names a probe stage (tcp.Attempt.Stage) for summaries: in
// Japanese words, in English the stage's own id; an unknown stage is its id.
func tcpStageName(stage string) content.Text {
	switch stage {
	case "connect":
		return content.Phrase("check.tcp_phrase.stage_connect", nil)
	case "tls":
		return content.Phrase("check.tcp_phrase.stage_tls", nil)
	case "sip":
		return content.Phrase("check.tcp_phrase.stage_sip", nil)
	case "http":
		return content.Phrase("check.tcp_phrase.stage_http", nil)
	case "websocket":
		return content.Phrase("check.tcp_phrase.stage_websocket", nil)
	case "banner":
		return content.Phrase("check.tcp_phrase.stage_banner", nil)
	case "auth_tls":
		return content.Phrase("check.tcp_phrase.stage_auth_tls", nil)
	case "pbsz":
		return content.Phrase("check.tcp_phrase.stage_pbsz", nil)
	case "prot":
		return content.Phrase("check.tcp_phrase.stage_prot", nil)
	case "login":
		return content.Phrase("check.tcp_phrase.stage_login", nil)
	case "pasv":
		return content.Phrase("check.tcp_phrase.stage_pasv", nil)
	case "data":
		return content.Phrase("check.tcp_phrase.stage_data", nil)
	}
	return content.T(stage, stage)
}

// tcpFailResult is the fail result of a TCP exchange that did not complete:
// the probe's summary and facts plus the remedies for it.
func tcpFailResult(id, what string, p tcp.Attempt, remedies ...string) Result {
	if p.Class == tcp.Unreachable && p.Net.Unreachable() {
		remedies = []string{remedyIPv4Required} // no route: opening a port would not help
	}
	r := FailResult(id, tcpFailureText(p, what), remedies...)
	tcpFacts(p, r.Facts, "")
	return r
}

// tcpJoinHostPort joins a host and a port.
func tcpJoinHostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

// tcpDescribe names a destination for summaries: "SIP/TLS 203.0.113.10:15061".
func tcpDescribe(proto, addr string) string { return fmt.Sprintf("%s %s", proto, addr) }

// planServerTCP is the plan of a TCP check to the BIZTEL server (sip.tls,
// sip.wss, web.8000): one destination at p.ServerAddr() on port, or why it
// cannot run.
func planServerTCP(p *profile.Profile, proto string, port int, purpose content.Text) ([]Destination, content.Text) {
	if p.ServerAddr() == "" {
		return nil, content.Phrase("check.tcp_phrase.no_server", nil)
	}
	return []Destination{{
		Proto: proto, Transport: "tcp", Address: p.ServerAddr(),
		Ports:   content.PortRange{From: port, To: port},
		Purpose: purpose,
	}}, content.Text{}
}
