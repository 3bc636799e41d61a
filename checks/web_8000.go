package checks

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// web8000Timeout is web.8000's budget: connect, TLS and the HTTP answer
// (3 s limits each), then a second connection for the WebSocket upgrade;
// a dead port ends at the first connect limit.
const web8000Timeout = 15 * time.Second

const remedyAllowWeb8000 = "allow-web-8000"

// webBodyLimit bounds how much of the HTTP body is read (and dropped).
const webBodyLimit = 64 << 10

func init() {
	register(Spec{
		ID:       "web.8000",
		Timeout:  web8000Timeout,
		Remedies: []string{remedyAllowWeb8000, "dns-mgmt-resolve", rmTLSInspection, rmRemoveProxy, rmTLSHostname},
		Plan:     planWeb8000,
		Run:      explainProxy(runWeb8000),
	})
}

func planWeb8000(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	return planServerTCP(p, "HTTPS, WSS", opt.Ports.Web,
		content.Phrase("check.web_8000.purpose", nil))
}

func runWeb8000(ctx context.Context, in *Input) Result {
	const id = "web.8000"
	if len(in.Targets) == 0 {
		return ErrorResult(id, tcpNoTarget)
	}
	d := in.Targets[0]
	addr := d.HostPort()
	what := tcpDescribe("HTTPS", addr)
	target := serverTLSTarget(in.Profile)
	hostport := tcpJoinHostPort(in.Profile.TLSName(), d.Ports.From)
	tc, rep, probe := dialTLS(ctx, in, addr, target)
	if tc == nil {
		return tcpFailResult(id, what, probe, serverConnRemedies(probe, remedyAllowWeb8000, false)...)
	}
	tlsStatus, tlsText, tlsRem := rep.judge(what)
	if tlsStatus == Fail {
		tc.Close()
		return tlsFailResult(id, tlsText, tlsRem, probe, rep)
	}
	resp, ok := httpsGet(ctx, tc, hostport, in.Env.UserAgent(), &probe)
	tc.Close()
	if !ok {
		r := tcpFailResult(id, what, probe, remedyAllowWeb8000)
		rep.addFacts(r.Facts)
		return r
	}
	facts := Facts{"http_status": resp.StatusCode}
	if s := resp.Header.Get("Server"); s != "" {
		facts["http_server"] = s
	}

	// The WebSocket upgrade on a connection of its own, as a browser does.
	ws := webSocketAttempt(ctx, in, addr, hostport, target)
	for k, v := range ws.facts {
		facts[k] = v
	}
	sum := content.Phrase("check.web_8000.answered", content.Vars{"what": what, "status": resp.StatusCode, "websocket": ws.text})
	r := judgeWeb8000(id, sum, ws.broken, rep.Proxy != "", tlsStatus == Warn, tlsText, tlsRem)
	tcpFacts(probe, r.Facts, "")
	rep.addFacts(r.Facts)
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

// judgeWeb8000: HTTPS answered; a WebSocket upgrade that broke (a proxy or
// inspecting firewall in the way) and a TLS warning each make a warning.
func judgeWeb8000(id string, sum content.Text, wsBroken, proxy, tlsWarn bool, tlsText content.Text, tlsRem []string) Result {
	switch {
	case wsBroken:
		rem := []string{remedyAllowWeb8000}
		if proxy {
			rem = append(rem, rmRemoveProxy)
		}
		r := WarnResult(id, sum, rem...)
		if tlsWarn {
			r.Summary = tcpJoinText(sum, tlsText)
			r.Remedies = tcpAppendNew(r.Remedies, tlsRem...)
		}
		return r
	case tlsWarn:
		return WarnResult(id, tcpJoinText(sum, tlsText), tlsRem...)
	}
	return PassResult(id, sum)
}

// httpsGet sends GET / on an established TLS connection and reads the
// answer's status and headers. Any HTTP status is an answer.
func httpsGet(ctx context.Context, tc net.Conn, hostport, ua string, probe *tcp.Attempt) (*http.Response, bool) {
	tcp.Deadline(ctx, tc, tcp.ReplyTimeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+hostport+"/", nil)
	if err != nil {
		probe.ProtocolAt("http", err.Error())
		return nil, false
	}
	req.Header.Set("User-Agent", ua)
	start := time.Now()
	if err := req.Write(tc); err != nil {
		probe.StopAt("http", err, start)
		return nil, false
	}
	resp, err := http.ReadResponse(bufio.NewReader(tcp.NewReadCapConn(tc, tcp.HTTPHeaderMaxBytes+webBodyLimit)), req)
	if err != nil {
		probe.StopAt("http", err, start)
		if probe.Class == tcp.TLSFailed { // the answer was not HTTP
			probe.Class = tcp.Protocol
		}
		return nil, false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webBodyLimit))
	resp.Body.Close()
	return resp, true
}

// webSocketOutcome is the WebSocket half of web.8000.
type webSocketOutcome struct {
	facts  Facts
	text   content.Text
	broken bool // the upgrade exchange broke (reset, stall, garbage), not just refused
}

func webSocketAttempt(ctx context.Context, in *Input, addr, hostport string, target tlsTarget) webSocketOutcome {
	out := webSocketOutcome{facts: Facts{}}
	tc, _, probe := dialTLS(ctx, in, addr, target)
	if tc != nil {
		defer tc.Close()
		up, ok := tcp.UpgradeWebSocket(ctx, tc, hostport, "/", nil, in.Env.UserAgent(), &probe)
		switch {
		case ok && up.Conn != nil:
			up.Conn.Close()
			out.facts["websocket_result"] = "upgraded"
			out.facts["websocket_http_status"] = up.HTTPStatus
			out.text = content.Phrase("check.web_8000.ws_upgraded", nil)
			return out
		case ok:
			out.facts["websocket_result"] = "refused_by_server"
			out.facts["websocket_http_status"] = up.HTTPStatus
			out.text = content.Phrase("check.web_8000.ws_declined", content.Vars{"status": up.HTTPStatus})
			return out
		}
	}
	out.broken = true
	out.facts["websocket_result"] = string(probe.Class)
	out.facts["websocket_stopped_at"] = probe.Stage
	if probe.Detail != "" {
		out.facts["websocket_error"] = probe.Detail
	}
	out.text = content.Phrase("check.web_8000.ws_broken", content.Vars{"failure": tcpFailureText(probe, "WebSocket")})
	return out
}

// tcpAppendNew appends the ids not yet in list.
func tcpAppendNew(list []string, ids ...string) []string {
	for _, id := range ids {
		seen := false
		for _, x := range list {
			seen = seen || x == id
		}
		if !seen {
			list = append(list, id)
		}
	}
	return list
}
