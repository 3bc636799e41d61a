package checks

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// The TCP checks judge and phrase a tcp.Attempt (probe/tcp) here.

// tcpNoTarget is the error summary of a check run without the destination
// its plan should have given (a runner or plan bug, not a network finding).
var tcpNoTarget = content.T("計画に宛先がありません", "the plan has no destination")

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
	}
}

// tcpMillis renders a duration as milliseconds with 0.1 ms resolution.
func tcpMillis(d time.Duration) float64 {
	return float64(d.Round(100*time.Microsecond)) / float64(time.Millisecond)
}

// tcpFailureText is the one-sentence summary of a failed TCP exchange to what
// (e.g. "SIP/TLS 203.0.113.10:15061").
func tcpFailureText(p tcp.Attempt, what string) content.Text {
	stageJa := stageNamesJa[p.Stage]
	if stageJa == "" {
		stageJa = p.Stage
	}
	t := func(ja string, jargs []any, en string, eargs []any) content.Text {
		return content.T(fmt.Sprintf(ja, jargs...), fmt.Sprintf(en, eargs...))
	}
	waited := p.Waited.Round(time.Millisecond)
	switch p.Class {
	case tcp.Resolve:
		return content.Tf("%s: 名前解決できませんでした（%s）", "%s: the host name did not resolve (%s)", what, p.Detail)
	case tcp.Refused:
		return content.Tf("%s への TCP 接続が拒否されました（RST）。サーバが待ち受けていないか、途中の機器が拒否しています", "%s: the TCP connection was refused (RST): nothing listens there, or a device on the path rejects it", what)
	case tcp.Filtered:
		return content.Tf("%s への TCP 接続に %s 応答がありません（フィルタされています）", "%s: no answer to the TCP connection attempt within %s (filtered)", what, waited)
	case tcp.Unreachable:
		return content.Tf("%s に到達できません（%s）", "%s is unreachable (%s)", what, p.Detail)
	case tcp.Reset:
		return t("%s: 接続後、%sの段階で接続がリセットされました（IPS・ALG・検査型ファイアウォールの兆候）", []any{what, stageJa},
			"%s: the connection was reset during %s after it was established (a sign of an IPS, ALG or inspecting firewall)", []any{what, p.Stage})
	case tcp.Closed:
		return t("%s: %sの段階で相手が接続を閉じました", []any{what, stageJa}, "%s: the peer closed the connection during %s", []any{what, p.Stage})
	case tcp.Stalled:
		return t("%s: 接続はできましたが、%sの段階で %s 応答がありません", []any{what, stageJa, waited},
			"%s: connected, but no answer during %s within %s", []any{what, p.Stage, waited})
	case tcp.TLSFailed:
		return content.Tf("%s: TLS ハンドシェイクに失敗しました（%s）", "%s: the TLS handshake failed (%s)", what, p.Detail)
	case tcp.Protocol:
		return t("%s: %sの段階で想定外の応答がありました（%s）", []any{what, stageJa, p.Detail},
			"%s: unexpected answer during %s (%s)", []any{what, p.Stage, p.Detail})
	}
	return content.Tf("%s: %s", "%s: %s", what, p.Detail)
}

// stageNamesJa names the stages in Japanese for summaries.
var stageNamesJa = map[string]string{
	"connect":   "接続",
	"tls":       "TLS ハンドシェイク",
	"sip":       "SIP 応答待ち",
	"http":      "HTTP 応答待ち",
	"websocket": "WebSocket アップグレード",
	"banner":    "FTP バナー待ち",
	"auth_tls":  "AUTH TLS",
	"pbsz":      "PBSZ",
	"prot":      "PROT P",
	"login":     "ログイン",
	"pasv":      "パッシブモード要求",
	"data":      "データ接続",
}

// tcpFailResult is the fail result of a TCP exchange that did not complete:
// the probe's summary and facts plus the remedies for it.
func tcpFailResult(id, what string, p tcp.Attempt, remedies ...string) Result {
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
		return nil, content.T("BIZTEL サーバのアドレスがありません", "no BIZTEL server address")
	}
	return []Destination{{
		Proto: proto, Transport: "tcp", Address: p.ServerAddr(),
		Ports:   content.PortRange{From: port, To: port},
		Purpose: purpose,
	}}, content.Text{}
}
