package checks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/gorilla/websocket"
)

// sipWSSTimeout is sip.wss's budget: connect, TLS, the upgrade and one
// OPTIONS answer, each stopping at its own 3 s limit; a dead port ends at
// the first.
const sipWSSTimeout = 12 * time.Second

const remedyAllowSIPWSS = "allow-sip-wss"

// sipWSSPath is the request path of the upgrade; RFC 7118 leaves it to the
// server, and "/" is what a SIP WebSocket server on its own port serves.
const sipWSSPath = "/"

func init() {
	register(Spec{
		ID:       "sip.wss",
		Timeout:  sipWSSTimeout,
		Remedies: []string{remedyAllowSIPWSS, "allow-return-traffic", "dns-mgmt-resolve", rmTLSInspection, rmRemoveProxy, rmTLSHostname},
		Plan:     planSIPWSS,
		Run:      explainProxy(runSIPWSS),
	})
}

func planSIPWSS(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if !p.Option(content.OptWebRTC) {
		return nil, content.Phrase("check.sip_wss.option_off", nil)
	}
	return planServerTCP(p, "SIP/WSS", opt.Ports.SIPWSS,
		content.Phrase("check.sip_wss.purpose", nil))
}

func runSIPWSS(ctx context.Context, in *Input) Result {
	const id = "sip.wss"
	if len(in.Targets) == 0 {
		return ErrorResult(id, tcpNoTarget)
	}
	d := in.Targets[0]
	addr := d.HostPort()
	what := tcpDescribe("SIP/WSS", addr)
	tc, rep, probe := dialTLS(ctx, in, addr, serverTLSTarget(in.Profile))
	if tc == nil {
		return tcpFailResult(id, what, probe, serverConnRemedies(probe, remedyAllowSIPWSS, true)...)
	}
	defer tc.Close()
	tlsStatus, tlsText, tlsRem := rep.judge(what)
	if tlsStatus == Fail {
		return tlsFailResult(id, tlsText, tlsRem, probe, rep)
	}
	up, ok := tcp.UpgradeWebSocket(ctx, tc, tcpJoinHostPort(in.Profile.TLSName(), d.Ports.From), sipWSSPath, []string{"sip"}, in.Env.UserAgent(), &probe)
	if r, failed := judgeWSSUpgrade(id, what, probe, rep, up, ok); failed {
		if up.Conn != nil {
			up.Conn.Close()
		}
		return r
	}
	defer up.Conn.Close()
	opt := sipOverWebSocket(ctx, up.Conn, in)
	sum := content.Phrase("check.sip_wss.upgraded", content.Vars{"what": what, "options": opt.text})
	var r Result
	switch {
	case opt.garbage:
		r = WarnResult(id, sum, append([]string{remedyAllowSIPWSS}, tlsRem...)...)
	case tlsStatus == Warn:
		r = WarnResult(id, tcpJoinText(sum, tlsText), tlsRem...)
	default:
		r = PassResult(id, sum)
	}
	tcpFacts(probe, r.Facts, "")
	rep.addFacts(r.Facts)
	wsFacts(r.Facts, up)
	for k, v := range opt.facts {
		r.Facts[k] = v
	}
	return r
}

// judgeWSSUpgrade fails an upgrade that gave no SIP WebSocket: the exchange
// broke, the server answered plain HTTP, or it did not choose the "sip"
// subprotocol. failed is false when the upgrade is good.
func judgeWSSUpgrade(id, what string, probe tcp.Attempt, rep *tlsReport, up tcp.WSUpgrade, ok bool) (r Result, failed bool) {
	rem := []string{remedyAllowSIPWSS}
	if rep.Proxy != "" {
		rem = append(rem, rmRemoveProxy)
	}
	switch {
	case !ok:
		r = tcpFailResult(id, what, probe, remedyAllowSIPWSS)
	case up.Conn == nil:
		r = FailResult(id, content.Phrase("check.sip_wss.http_instead", content.Vars{"what": what, "status": up.HTTPStatus}), rem...)
		tcpFacts(probe, r.Facts, "")
	case up.Subprotocol != "sip":
		// RFC 7118 §4.1: the 101 reply MUST carry "sip"; without it
		// a WebRTC client has no SIP peer on this connection.
		r = FailResult(id, content.Phrase("check.sip_wss.wrong_subprotocol", content.Vars{"what": what, "subprotocol": strconv.Quote(up.Subprotocol)}), rem...)
		tcpFacts(probe, r.Facts, "")
	default:
		return Result{}, false
	}
	rep.addFacts(r.Facts)
	wsFacts(r.Facts, up)
	return r, true
}

// wsFacts records the upgrade answer.
func wsFacts(f Facts, up tcp.WSUpgrade) {
	if up.HTTPStatus != 0 {
		f["http_status"] = up.HTTPStatus
	}
	if up.Conn != nil {
		f["websocket_subprotocol"] = up.Subprotocol
	}
	if up.Server != "" {
		f["http_server"] = up.Server
	}
}

// wsOptionsOutcome is what one OPTIONS over the WebSocket showed.
type wsOptionsOutcome struct {
	text    content.Text
	facts   Facts
	garbage bool // the answer was not SIP
}

// sipOverWebSocket sends one OPTIONS as a text message (RFC 7118 §5) and
// reads one answer. No answer is noted, not failed: the upgrade with "sip"
// already shows the path and the server; a server may leave OPTIONS from an
// unregistered client unanswered.
func sipOverWebSocket(ctx context.Context, ws *websocket.Conn, in *Input) wsOptionsOutcome {
	req := sipmsg.NewStreamOptions("WSS", in.Profile.TLSName(), nil, in.Env.UserAgent())
	ws.SetReadLimit(sipmsg.MaxMessage)
	dl := tcp.Deadline(ctx, ws.NetConn(), tcp.ReplyTimeout)
	_ = ws.SetReadDeadline(dl)
	start := time.Now()
	out := wsOptionsOutcome{facts: Facts{}}
	if err := ws.WriteMessage(websocket.TextMessage, req.Raw); err != nil {
		out.facts["sip_options"] = "not sent: " + tcp.ShortErr(err)
		out.text = content.Phrase("check.sip_wss.options_not_sent", nil)
		return out
	}
	_, msg, err := ws.ReadMessage()
	rtt := time.Since(start)
	if err != nil {
		why := "no answer"
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			why = fmt.Sprintf("closed by the server (%d)", ce.Code)
		}
		out.facts["sip_options"] = why
		out.text = content.Phrase("check.sip_wss.options_unanswered", content.Vars{"why": why})
		return out
	}
	res, err := sipmsg.ParseResponse(msg)
	if err != nil {
		out.garbage = true
		out.facts["sip_options"] = "not SIP"
		out.facts["error"] = err.Error()
		out.text = content.Phrase("check.sip_wss.options_not_sip", content.Vars{"answer": tcp.Quote(msg)})
		return out
	}
	out.facts["sip_options"] = "answered"
	sipResponseFacts(out.facts, res)
	out.facts["rtt_ms"] = tcpMillis(rtt)
	out.text = content.Phrase("check.sip_wss.options_answered", content.Vars{"status": content.T(res.StartLine(), fmt.Sprintf("%q", res.StartLine())), "rtt_ms": fmt.Sprintf("%.0f", tcpMillis(rtt))})
	return out
}
