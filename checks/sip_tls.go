package checks

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
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
		return nil, content.Phrase("check.sip_tls.option_off", nil)
	}
	return planServerTCP(p, "SIP/TLS", opt.Ports.SIPTLS,
		content.Phrase("check.sip_tls.purpose", nil))
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

	req := sipmsg.NewStreamOptions("TLS", in.Profile.TLSName(), tc.LocalAddr(), in.Env.UserAgent())
	tcp.Deadline(ctx, tc, tcp.ReplyTimeout)
	start := time.Now()
	_, err := tc.Write(req.Raw)
	var res *sip.Response
	if err == nil {
		res, err = sipmsg.ReadStreamResponse(bufio.NewReader(tc))
	}
	rtt := time.Since(start)
	if err != nil {
		var ns sipmsg.NotSIP
		if errors.As(err, &ns) {
			probe.ProtocolAt("sip", ns.Detail)
		} else {
			probe.StopAt("sip", err, start)
		}
		r := tcpFailResult(id, what, probe, remedyAllowSIPTLS)
		rep.addFacts(r.Facts)
		return r
	}
	sum := content.Phrase("check.sip_tls.answered", content.Vars{"what": what, "status": content.T(res.StartLine(), fmt.Sprintf("%q", res.StartLine())), "rtt_ms": fmt.Sprintf("%.0f", tcpMillis(rtt))})
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

// sipResponseFacts records what the answer says.
func sipResponseFacts(f Facts, res *sip.Response) {
	f["sip_status"] = res.StartLine()
	f["sip_status_code"] = res.StatusCode
	for _, name := range []string{"Server", "User-Agent"} {
		if h := res.GetHeader(name); h != nil {
			f["sip_"+strings.ToLower(strings.ReplaceAll(name, "-", "_"))] = h.Value()
		}
	}
	if via := res.Via(); via != nil && via.Params != nil {
		if v, ok := via.Params.Get("received"); ok {
			f["sip_received"] = v
		}
		if v, ok := via.Params.Get("rport"); ok && v != "" {
			f["sip_rport"] = v
		}
	}
}
