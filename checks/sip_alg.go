package checks

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// sip.alg timeouts.
const (
	// sipEchoRetransmit is RFC 3261's T1: UDP requests are resent after
	// 500 ms, 1 s, 2 s (timer A doubling).
	sipEchoRetransmit = 500 * time.Millisecond
	sipEchoTries      = 3
	// sipEchoTCPWait bounds the wait for one echo over TCP (no resends).
	sipEchoTCPWait = 3 * time.Second
	// sipALGTimeout: Hello (≤1.2 s) + the requests, all in parallel (a UDP
	// transaction ≤3.5 s with resends), and room.
	sipALGTimeout = 8 * time.Second
)

func init() {
	register(Spec{
		ID:       "sip.alg",
		Timeout:  sipALGTimeout,
		After:    []string{"sip.udp", "stun.3478", "stun.3479"},
		Remedies: []string{"disable-sip-alg", "use-encrypted-sip", "allow-sip-udp"},
		Plan:     planSIPALG,
		Run:      runSIPALG,
	})
}

func planSIPALG(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	host, port := reflectorHost(p, opt)
	if host == "" {
		return nil, content.Text{} // the fallback reads sip.udp's and STUN's results: no traffic of its own
	}
	sip := content.PortRange{From: opt.Ports.ReflectorSIP, To: opt.Ports.ReflectorSIP}
	purpose := content.Phrase("check.sip_alg.purpose", nil)
	return []Destination{
		reflectorControlDest(host, port),
		{Proto: "SIP (echo)", Transport: "udp", Address: host, Ports: sip, Purpose: purpose},
		{Proto: "SIP (echo)", Transport: "tcp", Address: host, Ports: sip, Purpose: purpose},
	}, content.Text{}
}

// sipEchoOutcome is what one request over one transport showed.
type sipEchoOutcome struct {
	transport, method string
	rewrites          []sipmsg.FieldChange // empty: arrived as sent
	err               string               // "request dropped", "connect failed: …", refusals
	dropped           bool
	connectFailed     bool
}

func runSIPALG(ctx context.Context, in *Input) Result {
	const id = "sip.alg"
	if len(in.Targets) == 0 {
		return sipALGHeuristic(id, in.Deps)
	}
	ctl := in.Targets[0]
	ctlAddr, err := resolveUDP(ctx, in.Env, ctl.Address, ctl.Ports.From)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.sip_alg.reflector_unresolved", content.Vars{"host": ctl.Address, "err": err}))
	}
	probeConn, err := listenUDP(ctx, in.Env)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.sip_alg.socket_failed", content.Vars{"err": err}))
	}
	_, err = reflector.Hello(ctx, probeConn, ctlAddr, in.Profile.Reflector.Token)
	probeConn.Close()
	if err != nil {
		return reflectorUnreachable(id, ctlAddr, err)
	}
	sipAddr := withPort(ctlAddr, in.Targets[1].Ports.From).String()
	var (
		mu       sync.Mutex
		outcomes []sipEchoOutcome
		wg       sync.WaitGroup
	)
	// Each request on its own connection, all at once: a dropped one costs
	// its retransmission time once, not once per request.
	for _, transport := range []string{"udp", "tcp"} {
		for _, method := range []string{"REGISTER", "INVITE"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out := sipEchoOne(ctx, in, transport, method, sipAddr, ctl.Address)
				mu.Lock()
				outcomes = append(outcomes, out)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	return judgeSIPALG(id, outcomes)
}

// sipEchoOne sends one request over one transport and diffs its echo.
func sipEchoOne(ctx context.Context, in *Input, transport, method, addr, host string) sipEchoOutcome {
	out := sipEchoOutcome{transport: transport, method: method}
	conn, err := in.Env.Dialer.DialContext(ctx, transport+"4", addr)
	if err != nil {
		out.connectFailed, out.err = true, "connect failed: "+err.Error()
		return out
	}
	defer conn.Close()
	msg, callID := sipmsg.BuildProbe(method, transport, conn.LocalAddr(), host, in.Env.UserAgent())
	if token := in.Profile.Reflector.Token; token != "" {
		msg = sipmsg.AddHeader(msg, wire.SIPAuthHeader, wire.SIPAuth(token, callID))
	}
	padded := wire.Pad(msg, wire.EchoPadSize(len(msg)))
	resp, err := sipEchoExchange(ctx, conn, transport, padded, callID)
	switch {
	case err != nil:
		out.dropped, out.err = true, "request dropped (no answer)"
	case resp.StatusCode() != 200:
		out.err = "reflector answered " + resp.StartLine
	default:
		echo, err := wire.DecodeEcho(resp)
		if err != nil {
			out.err = "answer without echo: " + err.Error()
			break
		}
		out.rewrites = sipmsg.Diff(msg, echo)
	}
	return out
}

// sipEchoExchange sends msg and waits for the answer with callID.
func sipEchoExchange(ctx context.Context, conn net.Conn, transport string, msg []byte, callID string) (wire.SIPMessage, error) {
	if transport == "tcp" {
		conn.SetDeadline(deadlineOf(ctx, sipEchoTCPWait))
		if _, err := conn.Write(msg); err != nil {
			return wire.SIPMessage{}, err
		}
		var buf []byte
		chunk := make([]byte, 4096)
		for {
			if n, err := wire.SIPFrameLen(buf); err != nil {
				return wire.SIPMessage{}, err
			} else if n > 0 {
				m, err := wire.ParseSIP(buf[:n])
				if err == nil && m.Get("Call-ID") == callID {
					return m, nil
				}
				buf = buf[n:]
				continue
			}
			k, err := conn.Read(chunk)
			if err != nil {
				return wire.SIPMessage{}, err
			}
			buf = append(buf, chunk[:k]...)
		}
	}
	buf := make([]byte, wire.MaxSIPMessage)
	wait := sipEchoRetransmit
	for try := 0; try < sipEchoTries; try++ {
		if _, err := conn.Write(msg); err != nil {
			return wire.SIPMessage{}, err
		}
		conn.SetReadDeadline(deadlineOf(ctx, wait))
		for {
			n, err := conn.Read(buf)
			if err != nil {
				break
			}
			if m, err := wire.ParseSIP(buf[:n]); err == nil && m.Get("Call-ID") == callID {
				return m, nil
			}
		}
		if ctx.Err() != nil {
			return wire.SIPMessage{}, ctx.Err()
		}
		wait *= 2
	}
	return wire.SIPMessage{}, reflector.ErrNoAnswer
}

func deadlineOf(ctx context.Context, d time.Duration) time.Time {
	t := time.Now().Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(t) {
		return cd
	}
	return t
}

// judgeSIPALG turns the outcomes into a result: any rewrite or a UDP
// request dropped is a fail; every rewritten field is a fact.
func judgeSIPALG(id string, outs []sipEchoOutcome) Result {
	sort.Slice(outs, func(i, j int) bool {
		return outs[i].transport+outs[i].method > outs[j].transport+outs[j].method
	})
	facts := Facts{"method": "reflector echo (base64, as sip-alg-detector)"}
	var fields, dropped, errs []string
	for _, o := range outs {
		key := o.transport + "." + o.method
		for _, c := range o.rewrites {
			facts["rewrite."+key+"."+c.Field] = c.String()
			fields = append(fields, c.Field)
		}
		switch {
		case o.connectFailed:
			facts[key] = "not tested: " + o.err
		case o.dropped:
			facts[key] = o.err
			dropped = append(dropped, strings.ToUpper(o.transport)+" "+o.method)
		case o.err != "":
			facts[key] = o.err
			errs = append(errs, o.err)
		default:
			facts[key] = fmt.Sprintf("%d fields rewritten", len(o.rewrites))
		}
	}
	slices.Sort(fields)
	fields = slices.Compact(fields)
	facts["rewritten_fields"] = len(fields)
	var r Result
	switch {
	case len(fields) > 0:
		r = FailResult(id, content.Phrase("check.sip_alg.rewritten", content.Vars{"fields": strings.Join(fields, ", ")}), "disable-sip-alg", "use-encrypted-sip")
	case slices.Contains(dropped, "UDP REGISTER") || slices.Contains(dropped, "UDP INVITE"):
		r = FailResult(id, content.Phrase("check.sip_alg.dropped", content.Vars{"requests": strings.Join(dropped, ", ")}), "disable-sip-alg", "allow-sip-udp")
	case len(dropped) > 0:
		r = WarnResult(id, content.Phrase("check.sip_alg.tcp_dropped", content.Vars{"requests": strings.Join(dropped, ", ")}), "disable-sip-alg", "use-encrypted-sip")
	case len(errs) > 0:
		r = ErrorResult(id, content.Phrase("check.sip_alg.unexpected_answer", content.Vars{"answer": errs[0]}))
	default:
		r = PassResult(id, content.Phrase("check.sip_alg.unmodified", nil))
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}
