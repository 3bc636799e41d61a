package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/ftps"
	"github.com/biztel-tools/biztel-doctor/probe/portsweep"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// ftpsPassiveTimeout is ftps.passive's budget: the control dialogue
// (connect, TLS, up to seven short commands) and then the data connection
// and the range sweep, which run their connects in parallel under one 3 s
// connect limit.
const ftpsPassiveTimeout = 15 * time.Second

func init() {
	register(Spec{
		ID:       "ftps.passive",
		Timeout:  ftpsPassiveTimeout,
		Needs:    []string{"ftps.control"},
		Remedies: []string{remedyAllowFTPS, remedyDisableFTPALG},
		Plan:     planFTPSPassive,
		Run:      runFTPSPassive,
	})
}

// Destination protocols of ftps.passive.
const (
	ftpsProtoControl = "FTPS"
	ftpsProtoData    = "FTPS-DATA"
)

func planFTPSPassive(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if why := ftpsPlanSkip(p); !why.IsZero() {
		return nil, why
	}
	addr := p.Recording.Addr()
	return []Destination{
		{Proto: ftpsProtoControl, Transport: "tcp", Address: addr,
			Ports:   content.PortRange{From: opt.Ports.FTPSControl, To: opt.Ports.FTPSControl},
			Purpose: content.Phrase("check.ftps_passive.purpose_control", nil)},
		{Proto: ftpsProtoData, Transport: "tcp", Address: addr, Ports: opt.Ports.FTPSPassive,
			Purpose: content.Phrase("check.ftps_passive.purpose_data", nil)},
	}, content.Text{}
}

// passiveNegotiation is what the control dialogue showed.
type passiveNegotiation struct {
	probe      tcp.Attempt // how the control dialogue went (OK when it reached PASV)
	needsLogin bool        // the server answered 530 and the profile has no credentials
	loginError string      // the server refused the profile's credentials (reply, redacted)
	loggedIn   bool
	replies    Facts // pbsz_reply, prot_reply, pasv_reply … (redacted)
	offerHost  string
	offerPort  int // 0: no port offered
	controlIP  string
	// closeControl ends the control connection. The caller holds it open
	// until the data connection has been tried: vsftpd (and most servers)
	// drop the passive listener when the control session ends.
	closeControl func()
}

func runFTPSPassive(ctx context.Context, in *Input) Result {
	const id = "ftps.passive"
	var control, data *Destination
	for i := range in.Targets {
		switch in.Targets[i].Proto {
		case ftpsProtoControl:
			control = &in.Targets[i]
		case ftpsProtoData:
			data = &in.Targets[i]
		}
	}
	if control == nil || data == nil {
		return ErrorResult(id, tcpNoTarget)
	}
	secrets := ftpsSecrets(in.Profile.FTPS)
	mode := ftpsExplicit
	if ev, ok := EvidenceOf[FTPSControlEvidence](in.Deps["ftps.control"]); ok && ev.Mode == ftpsImplicit {
		mode = ftpsImplicit
	}
	neg := negotiatePassive(ctx, in, control.HostPort(), mode, secrets)
	defer neg.closeControl()

	// The data connection to the offered port and, at the same time, a
	// connect to every other port of the range (the offered port is left to
	// the data connection: a server accepts one connection there).
	var dataProbe *tcp.Attempt
	done := make(chan struct{})
	go func() {
		defer close(done)
		if neg.offerPort != 0 {
			c, p := tcp.Dial(ctx, in.Env.Dialer, tcpJoinHostPort(neg.controlIP, neg.offerPort))
			if c != nil {
				c.Close()
			}
			dataProbe = &p
		}
	}()
	sweep := portsweep.Run(ctx, in.Env.Dialer, control.Address, data.Ports.From, data.Ports.To, neg.offerPort)
	<-done
	if dataProbe != nil {
		sweep.Add(neg.offerPort, dataProbe.Class)
	}

	r := judgePassive(id, ftpsWhat(control.HostPort()), data.Ports, neg, dataProbe, sweep)
	r.Facts["ftps_mode"] = mode
	tcpFacts(neg.probe, r.Facts, "control_")
	for k, v := range neg.replies {
		r.Facts[k] = v
	}
	if dataProbe != nil {
		tcpFacts(*dataProbe, r.Facts, "data_")
	}
	sweepFacts(sweep, r.Facts)
	secrets.scrub(&r)
	return r
}

// negotiatePassive opens the control connection in mode and asks for a
// passive port, logging in only when the server insists and the profile
// has credentials.
func negotiatePassive(ctx context.Context, in *Input, addr, mode string, secrets ftpsSecretSet) passiveNegotiation {
	neg := passiveNegotiation{replies: Facts{}, closeControl: func() {}}
	sess, probe := openFTPS(ctx, in, addr, mode, recordingTLSTarget(in.Profile))
	neg.probe = probe
	if sess == nil {
		return neg
	}
	sess.Detach() // this session lives as long as the check, not a cancelled try
	neg.closeControl = func() { sess.Close() }
	if h, _, err := net.SplitHostPort(sess.Conn.RemoteAddr().String()); err == nil {
		neg.controlIP = h
	}
	send := func(stage, cmd string) (int, string, bool) {
		code, msg, ok := sess.Command(ctx, stage, &neg.probe, cmd)
		if ok && code == 530 && !neg.loggedIn && neg.loginError == "" {
			if !secrets.present() {
				neg.needsLogin = true
				return code, msg, ok
			}
			if !ftpsLogin(ctx, sess, &neg, secrets) {
				return code, msg, ok
			}
			code, msg, ok = sess.Command(ctx, stage, &neg.probe, cmd)
		}
		return code, msg, ok
	}
	for _, step := range []struct{ stage, cmd, fact string }{{"pbsz", "PBSZ 0", "pbsz_reply"}, {"prot", "PROT P", "prot_reply"}} {
		code, msg, ok := send(step.stage, step.cmd)
		if !ok || neg.needsLogin || neg.loginError != "" {
			return neg
		}
		neg.replies[step.fact] = secrets.redact(ftps.Line(code, msg))
	}
	code, msg, ok := send("pasv", "PASV")
	if !ok || neg.needsLogin || neg.loginError != "" {
		return neg
	}
	neg.replies["pasv_reply"] = secrets.redact(ftps.Line(code, msg))
	if host, port, ok := ftps.ParsePASV(code, msg); ok {
		neg.offerHost, neg.offerPort = host, port
		return neg
	} else if code == 227 {
		neg.probe.ProtocolAt("pasv", "PASV answer without a usable address and port: "+secrets.redact(ftps.Line(code, msg)))
		return neg
	}
	code, msg, ok = send("pasv", "EPSV")
	if !ok {
		return neg
	}
	neg.replies["epsv_reply"] = secrets.redact(ftps.Line(code, msg))
	if port, ok := ftps.ParseEPSV(code, msg); ok {
		neg.offerPort = port
		neg.offerHost = neg.controlIP
		return neg
	}
	neg.probe.ProtocolAt("pasv", "no passive port offered: "+secrets.redact(ftps.Line(code, msg)))
	return neg
}

// ftpsLogin sends USER/PASS from the profile. The commands and the
// server's echo of them never reach facts (see ftpsSecretSet).
func ftpsLogin(ctx context.Context, sess *ftpsSession, neg *passiveNegotiation, secrets ftpsSecretSet) bool {
	code, msg, ok := sess.Command(ctx, "login", &neg.probe, "USER "+secrets.user)
	if ok && code == 331 {
		code, msg, ok = sess.Command(ctx, "login", &neg.probe, "PASS "+secrets.password)
	}
	if !ok {
		return false
	}
	if code != 230 {
		neg.loginError = secrets.redact(ftps.Line(code, msg))
		return false
	}
	neg.loggedIn = true
	return true
}

// judgePassive turns the findings into a status and remedies.
func judgePassive(id, what string, rng content.PortRange, neg passiveNegotiation, data *tcp.Attempt, sweep *portsweep.Result) Result {
	blocked := sweep.Ranges(tcp.Filtered, tcp.Unreachable)
	r, login := passiveVerdict(id, what, rng, neg, data, blocked)
	for _, n := range passiveNotes(rng, neg, blocked) {
		r.Summary = tcpJoinText(r.Summary, n)
	}
	switch {
	case neg.loggedIn:
		login = "credentials from the profile"
	case login == "" && neg.probe.OK():
		login = "not needed"
	}
	if login != "" {
		r.Facts["login"] = login
	}
	if neg.offerPort != 0 {
		r.Facts["pasv_ip"] = neg.offerHost
		r.Facts["pasv_port"] = neg.offerPort
		r.Facts["pasv_port_in_range"] = rng.Contains(neg.offerPort)
		r.Facts["pasv_ip_differs"] = neg.offerHost != neg.controlIP
	}
	r.Facts["passive_range"] = rng.String()
	return r
}

// passiveNotes are the remarks added to any verdict: filtered ports of the
// range, and a PASV offer naming another address than the control
// connection's.
func passiveNotes(rng content.PortRange, neg passiveNegotiation, blocked string) []content.Text {
	var notes []content.Text
	if blocked != "" {
		notes = append(notes, content.Phrase("check.ftps_passive.filtered", content.Vars{"range": rng, "blocked": blocked}))
	}
	if neg.offerPort != 0 && neg.offerHost != neg.controlIP {
		kind := "a different"
		if a, err := netip.ParseAddr(neg.offerHost); err == nil && a.IsPrivate() {
			kind = "a private"
		}
		notes = append(notes, content.Phrase("check.ftps_passive.offer_differs", content.Vars{"kind": kind, "offer": neg.offerHost, "control": neg.controlIP}))
	}
	return notes
}

// passiveVerdict is the status, summary and remedies, and the login fact
// when the dialogue got that far ("refused", "needed").
func passiveVerdict(id, what string, rng content.PortRange, neg passiveNegotiation, data *tcp.Attempt, blocked string) (Result, string) {
	switch {
	case !neg.probe.OK():
		rem := []string{remedyAllowFTPS}
		if neg.probe.Class == tcp.Reset || neg.probe.Stage == "auth_tls" {
			rem = append(rem, remedyDisableFTPALG)
		}
		return FailResult(id, tcpFailureText(neg.probe, what), rem...), ""
	case neg.loginError != "":
		if blocked != "" {
			return FailResult(id, content.Phrase("check.ftps_passive.login_refused", content.Vars{"what": what, "reply": neg.loginError}), remedyAllowFTPS), "refused"
		}
		return ErrorResult(id, content.Phrase("check.ftps_passive.login_refused_unchecked", content.Vars{"what": what, "reply": neg.loginError})), "refused"
	case neg.needsLogin:
		sum := content.Phrase("check.ftps_passive.needs_login", content.Vars{"what": what})
		if blocked != "" {
			return FailResult(id, sum, remedyAllowFTPS), "needed"
		}
		return WarnResult(id, sum, remedyAllowFTPS), "needed"
	case data != nil && !data.OK():
		rem := []string{remedyAllowFTPS}
		if data.Class == tcp.Filtered {
			// With PROT P an FTP ALG cannot read the PASV reply, so a
			// firewall relying on it opens no data pinhole.
			rem = append(rem, remedyDisableFTPALG)
		}
		at := fmt.Sprintf("%s:%d", neg.controlIP, neg.offerPort)
		return FailResult(id, tcpFailureIn(*data, content.Phrase("check.ftps_passive.data_name", content.Vars{"at": at})), rem...), ""
	case !rng.Contains(neg.offerPort):
		return WarnResult(id, content.Phrase("check.ftps_passive.outside_range", content.Vars{"what": what, "port": neg.offerPort, "range": rng}), remedyAllowFTPS), ""
	case blocked != "":
		return FailResult(id, content.Phrase("check.ftps_passive.data_opened", content.Vars{"what": what, "port": neg.offerPort}), remedyAllowFTPS), ""
	}
	return PassResult(id, content.Phrase("check.ftps_passive.ok", content.Vars{"what": what, "port": neg.offerPort, "range": rng})), ""
}

// ftpsSecretSet holds the profile's FTPS credentials for the login and
// scrubs them from anything the check reports: servers echo the user name
// ("331 Password required for alice").
type ftpsSecretSet struct{ user, password string }

func ftpsSecrets(c profile.FTPS) ftpsSecretSet {
	return ftpsSecretSet{user: c.User, password: c.Password}
}

func (s ftpsSecretSet) present() bool { return s.user != "" }

func (s ftpsSecretSet) redact(v string) string {
	for _, secret := range []string{s.password, s.user} {
		if secret != "" {
			v = strings.ReplaceAll(v, secret, "***")
		}
	}
	return v
}

// scrub redacts the credentials from every text fact and the summary, a
// second line of defence behind redacting each reply.
func (s ftpsSecretSet) scrub(r *Result) {
	for k, v := range r.Facts {
		if str, ok := v.(string); ok {
			r.Facts[k] = s.redact(str)
		}
	}
	r.Summary = content.T(s.redact(r.Summary.Ja), s.redact(r.Summary.En))
}
