package checks

import (
	"bufio"
	"context"
	"errors"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/emiago/sipgo/sip"
)

// sipTLSTimeout is sip.tls's budget: connect, TLS handshake and the OPTIONS
// answer each stop at their own 3 s limit; 10 s leaves room for all three
// on a slow path while a dead port ends at the first.
const sipTLSTimeout = 10 * time.Second

const remedyAllowSIPTLS = "allow-sip-tls"

func init() {
	register(Spec{
		ID:       "sip.tls",
		Timeout:  sipTLSTimeout,
		Remedies: []string{remedyAllowSIPTLS, "allow-return-traffic", "dns-mgmt-resolve", rmTLSInspection, rmRemoveProxy, rmTLSHostname},
		Plan:     planSIPTLS,
		Run:      explainProxy(runSIPTLS),
	})
}

func planSIPTLS(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if !p.Option(content.OptEncryption) {
		return nil, content.T("暗号化オプション（encryption）がオフのため対象外です", "the encryption option is off")
	}
	return planServerTCP(p, "SIP/TLS", opt.Ports.SIPTLS,
		content.T("TLS ハンドシェイクと SIP OPTIONS 1 回（暗号化ソフトフォンと同じ）", "TLS handshake and one SIP OPTIONS (what an encrypted softphone sends)"))
}

func runSIPTLS(ctx context.Context, in *Input) Result {
	const id = "sip.tls"
	if len(in.Targets) == 0 {
		return ErrorResult(id, tcpNoTarget)
	}
	addr := in.Targets[0].HostPort()
	what := tcpDescribe("SIP/TLS", addr)
	tc, rep, probe := dialTLS(ctx, in, addr, serverTLSTarget(in.Profile))
	if tc == nil {
		return tcpFailResult(id, what, probe, serverConnRemedies(probe, remedyAllowSIPTLS, true)...)
	}
	defer tc.Close()
	tlsStatus, tlsText, tlsRem := rep.judge(what)
	if tlsStatus == Fail {
		return tlsFailResult(id, tlsText, tlsRem, probe, rep)
	}

	req := newStreamOptions("TLS", in.Profile.TLSName(), tc.LocalAddr(), in.Env.UserAgent())
	tcp.Deadline(ctx, tc, tcp.ReplyTimeout)
	start := time.Now()
	_, err := tc.Write(req.Raw)
	var res *sip.Response
	if err == nil {
		res, err = readStreamSIPResponse(bufio.NewReader(tc))
	}
	rtt := time.Since(start)
	if err != nil {
		var ns errNotSIP
		if errors.As(err, &ns) {
			probe.ProtocolAt("sip", ns.detail)
		} else {
			probe.StopAt("sip", err, start)
		}
		r := tcpFailResult(id, what, probe, remedyAllowSIPTLS)
		rep.addFacts(r.Facts)
		return r
	}
	sum := content.Tf("%s: OPTIONS に「%s」が %.0f ms で返りました", "%s: OPTIONS answered %q in %.0f ms", what, res.StartLine(), tcpMillis(rtt))
	var r Result
	if tlsStatus == Warn {
		r = WarnResult(id, tcpJoinText(sum, tlsText), tlsRem...)
	} else {
		r = PassResult(id, sum)
	}
	tcpFacts(probe, r.Facts, "")
	rep.addFacts(r.Facts)
	sipResponseFacts(r.Facts, res)
	r.Facts["rtt_ms"] = tcpMillis(rtt)
	return r
}
