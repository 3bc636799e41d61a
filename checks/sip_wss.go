package checks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
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
		return nil, content.T("WebRTC オプション（webrtc）がオフのため対象外です", "the webrtc option is off")
	}
	return planServerTCP(p, "SIP/WSS", opt.Ports.SIPWSS,
		content.T("TLS と WebSocket アップグレード（サブプロトコル sip）、SIP OPTIONS 1 回", "TLS, WebSocket upgrade (subprotocol sip) and one SIP OPTIONS"))
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
	fail := func(summary content.Text) Result {
		rem := []string{remedyAllowSIPWSS}
		if rep.Proxy != "" {
			rem = append(rem, rmRemoveProxy)
		}
		r := FailResult(id, summary, rem...)
		tcpFacts(probe, r.Facts, "")
		rep.addFacts(r.Facts)
		wsFacts(r.Facts, up)
		return r
	}
	switch {
	case !ok:
		r := tcpFailResult(id, what, probe, remedyAllowSIPWSS)
		rep.addFacts(r.Facts)
		wsFacts(r.Facts, up)
		return r
	case up.Conn == nil:
		return fail(content.Tf("%s: WebSocket へのアップグレードの代わりに HTTP %d が返りました。到達はしていますが SIP の WebSocket 窓口ではありません（プロキシか別のサーバ）",
			"%s: answered HTTP %d instead of upgrading to WebSocket: reachable, but not a SIP WebSocket endpoint (a proxy or another server)", what, up.HTTPStatus))
	}
	defer up.Conn.Close()
	if up.Subprotocol != "sip" {
		// RFC 7118 §4.1: the 101 reply MUST carry "sip"; without it
		// a WebRTC client has no SIP peer on this connection.
		return fail(content.Tf("%s: 101 で WebSocket になりましたが、サブプロトコル sip が選ばれませんでした（選ばれたもの: %q）。SIP の WebSocket 窓口ではない機器が応答しています",
			"%s: upgraded (101) but the server did not select subprotocol sip (selected: %q): something other than a SIP WebSocket server answered", what, up.Subprotocol))
	}
	opt := sipOverWebSocket(ctx, up.Conn, in)
	sum := content.T(fmt.Sprintf("%s: WebSocket アップグレード成功（サブプロトコル sip）。%s", what, opt.text.Ja),
		fmt.Sprintf("%s: WebSocket upgrade with subprotocol sip. %s", what, opt.text.En))
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
	req := newStreamOptions("WSS", in.Profile.TLSName(), nil, in.Env.UserAgent())
	ws.SetReadLimit(sipStreamMaxMessage)
	dl := tcp.Deadline(ctx, ws.NetConn(), tcp.ReplyTimeout)
	_ = ws.SetReadDeadline(dl)
	start := time.Now()
	out := wsOptionsOutcome{facts: Facts{}}
	if err := ws.WriteMessage(websocket.TextMessage, req.Raw); err != nil {
		out.facts["sip_options"] = "not sent: " + tcp.ShortErr(err)
		out.text = content.T("OPTIONS を送れませんでした", "the OPTIONS could not be sent")
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
		out.text = content.Tf("OPTIONS には応答がありませんでした（%s）", "The OPTIONS got no answer (%s).", why)
		return out
	}
	res, err := parseSIPResponse(msg)
	if err != nil {
		out.garbage = true
		out.facts["sip_options"] = "not SIP"
		out.facts["error"] = err.Error()
		out.text = content.Tf("OPTIONS への応答が SIP ではありません（%s）", "The answer to the OPTIONS is not SIP (%s).", tcp.Quote(msg))
		return out
	}
	out.facts["sip_options"] = "answered"
	sipResponseFacts(out.facts, res)
	out.facts["rtt_ms"] = tcpMillis(rtt)
	out.text = content.Tf("OPTIONS に「%s」が %.0f ms で返りました。", "OPTIONS answered %q in %.0f ms.", res.StartLine(), tcpMillis(rtt))
	return out
}
