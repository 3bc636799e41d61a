package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
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
			Purpose: content.T("ログインなしで PBSZ 0・PROT P・PASV（または EPSV）を要求（資格情報があればログイン）", "PBSZ 0, PROT P and PASV (or EPSV) without login (with the profile's credentials when given)")},
		{Proto: ftpsProtoData, Transport: "tcp", Address: addr, Ports: opt.Ports.FTPSPassive,
			Purpose: content.T("提示されたパッシブポートへのデータ接続と、範囲内の各ポートへの TCP 接続", "a data connection to the offered passive port, and a TCP connect to each port of the range")},
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

var (
	pasvRE = lazyregexp.New(`(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})`)
	epsvRE = lazyregexp.New(`\|\|\|(\d{1,5})\|`)
)

// parsePASV reads "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)" (RFC 959
// §4.1.2). ok is false unless every number is a byte and the port is 1-65535:
// a reply offering port 0 or "999,999" offers nothing to connect to.
func parsePASV(code int, msg string) (host string, port int, ok bool) {
	m := pasvRE().FindStringSubmatch(msg)
	if code != 227 || m == nil {
		return "", 0, false
	}
	n := make([]int, 6)
	for i := range n {
		v, err := strconv.Atoi(m[i+1])
		if err != nil || v > 255 {
			return "", 0, false
		}
		n[i] = v
	}
	port = n[4]*256 + n[5]
	if port == 0 {
		return "", 0, false
	}
	return fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3]), port, true
}

// parseEPSV reads "229 Entering Extended Passive Mode (|||port|)" (RFC 2428
// §3); the port must be 1-65535.
func parseEPSV(code int, msg string) (int, bool) {
	m := epsvRE().FindStringSubmatch(msg)
	if code != 229 || m == nil {
		return 0, false
	}
	port, err := strconv.Atoi(m[1])
	if err != nil || port < 1 || port > 65535 {
		return 0, false
	}
	return port, true
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
	sweep := sweepPorts(ctx, in.Env, control.Address, data.Ports, neg.offerPort)
	<-done
	if dataProbe != nil {
		sweep.add(neg.offerPort, dataProbe.Class)
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
	sweep.addFacts(r.Facts)
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
	sess.stop() // this session lives as long as the check, not a cancelled try
	neg.closeControl = func() { sess.Close() }
	if h, _, err := net.SplitHostPort(sess.Conn.RemoteAddr().String()); err == nil {
		neg.controlIP = h
	}
	send := func(stage, cmd string) (int, string, bool) {
		code, msg, ok := ftpCommand(ctx, sess.Conn, sess.tp, stage, &neg.probe, cmd)
		if ok && code == 530 && !neg.loggedIn && neg.loginError == "" {
			if !secrets.present() {
				neg.needsLogin = true
				return code, msg, ok
			}
			if !ftpsLogin(ctx, sess, &neg, secrets) {
				return code, msg, ok
			}
			code, msg, ok = ftpCommand(ctx, sess.Conn, sess.tp, stage, &neg.probe, cmd)
		}
		return code, msg, ok
	}
	for _, step := range []struct{ stage, cmd, fact string }{{"pbsz", "PBSZ 0", "pbsz_reply"}, {"prot", "PROT P", "prot_reply"}} {
		code, msg, ok := send(step.stage, step.cmd)
		if !ok || neg.needsLogin || neg.loginError != "" {
			return neg
		}
		neg.replies[step.fact] = secrets.redact(ftpLine(code, msg))
	}
	code, msg, ok := send("pasv", "PASV")
	if !ok || neg.needsLogin || neg.loginError != "" {
		return neg
	}
	neg.replies["pasv_reply"] = secrets.redact(ftpLine(code, msg))
	if host, port, ok := parsePASV(code, msg); ok {
		neg.offerHost, neg.offerPort = host, port
		return neg
	} else if code == 227 {
		neg.probe.ProtocolAt("pasv", "PASV answer without a usable address and port: "+secrets.redact(ftpLine(code, msg)))
		return neg
	}
	code, msg, ok = send("pasv", "EPSV")
	if !ok {
		return neg
	}
	neg.replies["epsv_reply"] = secrets.redact(ftpLine(code, msg))
	if port, ok := parseEPSV(code, msg); ok {
		neg.offerPort = port
		neg.offerHost = neg.controlIP
		return neg
	}
	neg.probe.ProtocolAt("pasv", "no passive port offered: "+secrets.redact(ftpLine(code, msg)))
	return neg
}

// ftpsLogin sends USER/PASS from the profile. The commands and the
// server's echo of them never reach facts (see ftpsSecretSet).
func ftpsLogin(ctx context.Context, sess *ftpsSession, neg *passiveNegotiation, secrets ftpsSecretSet) bool {
	code, msg, ok := ftpCommand(ctx, sess.Conn, sess.tp, "login", &neg.probe, "USER "+secrets.user)
	if ok && code == 331 {
		code, msg, ok = ftpCommand(ctx, sess.Conn, sess.tp, "login", &neg.probe, "PASS "+secrets.password)
	}
	if !ok {
		return false
	}
	if code != 230 {
		neg.loginError = secrets.redact(ftpLine(code, msg))
		return false
	}
	neg.loggedIn = true
	return true
}

// judgePassive turns the findings into a status and remedies.
func judgePassive(id, what string, rng content.PortRange, neg passiveNegotiation, data *tcp.Attempt, sweep *portSweep) Result {
	blocked := sweep.ranges(tcp.Filtered, tcp.Unreachable)
	var notes []content.Text
	if blocked != "" {
		notes = append(notes, content.Tf("範囲 %s のうち %s がフィルタされています。", "Of the range %s, %s are filtered.", rng, blocked))
	}
	if neg.offerPort != 0 && neg.offerHost != neg.controlIP {
		kind := "a different"
		if a, err := netip.ParseAddr(neg.offerHost); err == nil && a.IsPrivate() {
			kind = "a private"
		}
		notes = append(notes, content.T(
			fmt.Sprintf("PASV が制御接続と異なるアドレス %s を返しました（NAT/ALG の兆候）。データ接続は制御接続のアドレス %s に行いました。", neg.offerHost, neg.controlIP),
			fmt.Sprintf("PASV announced %s address %s instead of the control connection's (a NAT/ALG sign); the data connection went to the control address %s.", kind, neg.offerHost, neg.controlIP)))
	}
	var r Result
	login := "" // the login fact, when the dialogue got that far
	switch {
	case !neg.probe.OK():
		base := tcpFailureText(neg.probe, what)
		rem := []string{remedyAllowFTPS}
		if neg.probe.Class == tcp.Reset || neg.probe.Stage == "auth_tls" {
			rem = append(rem, remedyDisableFTPALG)
		}
		r = FailResult(id, base, rem...)
	case neg.loginError != "":
		if blocked != "" {
			r = FailResult(id, content.Tf("%s: プロファイルの資格情報でのログインが拒否されました（%s）。", "%s: the login with the profile's credentials was refused (%s).", what, neg.loginError), remedyAllowFTPS)
		} else {
			r = ErrorResult(id, content.Tf("%s: プロファイルの資格情報（ftps.user / ftps.password）でのログインが拒否されたため、提示ポートを確認できません（%s）。",
				"%s: the login with the profile's credentials (ftps.user / ftps.password) was refused, so the offered port could not be checked (%s).", what, neg.loginError))
		}
		login = "refused"
	case neg.needsLogin:
		sum := content.Tf("%s: サーバは PASV の前にログインを求めます。プロファイルに ftps.user / ftps.password を入れると提示ポートへのデータ接続まで確認できます。",
			"%s: the server wants a login before PASV; with ftps.user / ftps.password in the profile the data connection to the offered port can be checked.", what)
		if blocked != "" {
			r = FailResult(id, sum, remedyAllowFTPS)
		} else {
			r = WarnResult(id, sum, remedyAllowFTPS)
		}
		login = "needed"
	case data != nil && !data.OK():
		rem := []string{remedyAllowFTPS}
		if data.Class == tcp.Filtered {
			// With PROT P an FTP ALG cannot read the PASV reply, so a
			// firewall relying on it opens no data pinhole.
			rem = append(rem, remedyDisableFTPALG)
		}
		at := fmt.Sprintf("%s:%d", neg.controlIP, neg.offerPort)
		sum := content.T(tcpFailureText(*data, "FTPS データ接続 "+at).Ja, tcpFailureText(*data, "FTPS data "+at).En)
		r = FailResult(id, sum, rem...)
	case !rng.Contains(neg.offerPort):
		r = WarnResult(id, content.Tf("%s: 提示されたパッシブポート %d は資料の範囲 %s の外です。データ接続はできましたが、範囲だけを開けたファイアウォールでは失敗します。",
			"%s: the offered passive port %d lies outside the page's range %s; the data connection opened here, but a firewall opened for the range only would block it.", what, neg.offerPort, rng), remedyAllowFTPS)
	case blocked != "":
		r = FailResult(id, content.Tf("%s: 提示ポート %d へのデータ接続はできました。", "%s: the data connection to the offered port %d opened.", what, neg.offerPort), remedyAllowFTPS)
	default:
		r = PassResult(id, content.Tf("%s: パッシブポート %d（範囲 %s 内）へのデータ接続ができました。", "%s: the data connection to passive port %d (inside %s) opened.", what, neg.offerPort, rng))
	}
	for _, n := range notes {
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
