//go:build linux

package netlab

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// kamailioCfg answers OPTIONS on UDP 5060, TLS 15061 and WSS 15062 (also
// on the VPN address). A WebSocket upgrade must ask for the "sip"
// subprotocol: the websocket module refuses it otherwise (400). Every
// request is logged with the Via and Contact it arrived with, so a test can
// see what a SIP ALG rewrote.
const kamailioCfg = `#!KAMAILIO
debug=2
log_stderror=yes
log_facility=LOG_LOCAL0
children=2
tcp_children=2
auto_aliases=no
enable_tls=yes
tcp_accept_no_cl=yes
listen=udp:{{SERVER}}:5060
listen=tls:{{SERVER}}:15061
listen=tls:{{SERVER}}:15062
listen=udp:{{VPN}}:5060
listen=tls:{{VPN}}:15061
listen=tls:{{VPN}}:15062
mpath="{{MODDIR}}/"
loadmodule "tls.so"
loadmodule "sl.so"
loadmodule "xlog.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "pv.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
modparam("tls", "config", "{{TLSCFG}}")
modparam("websocket", "sub_protocols", 1)
request_route {
	xlog("L_NOTICE", "bed-sip: $rm $pr from $si:$sp via=[$hdr(Via)] contact=[$hdr(Contact)] ua=[$ua]\n");
	if (has_body("application/sdp")) { xlog("L_NOTICE", "bed-sdp: $rm from $si:$sp body=[$rb]\n"); }
	if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
	sl_send_reply("405", "Method Not Allowed");
}
event_route[xhttp:request] {
	xlog("L_NOTICE", "bed-ws: $rm $hu from $si:$sp proto=[$hdr(Sec-WebSocket-Protocol)]\n");
	if ($Rp == 15062 && $hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) { exit; }
	}
	xhttp_reply("403", "Forbidden", "", "");
}
`

const kamailioTLSCfg = `[server:default]
method = TLSv1.2+
certificate = {{CERT}}
private_key = {{KEY}}
`

func fill(tmpl string, vars map[string]string) string {
	for k, v := range vars {
		tmpl = strings.ReplaceAll(tmpl, "{{"+k+"}}", v)
	}
	return tmpl
}

// StartKamailio runs kamailio in the foreground (-DD -E) in the server
// namespace and waits until UDP 5060 and TLS 15061 answer OPTIONS with 200.
func (b *Bed) StartKamailio(leaf Leaf) (*Process, error) {
	dir := filepath.Join(b.Dir, "kamailio")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tlsCfg := filepath.Join(dir, "tls.cfg")
	cfg := filepath.Join(dir, "kamailio.cfg")
	vars := map[string]string{"SERVER": ServerIP, "VPN": VPNIP, "MODDIR": kamailioModDir(), "TLSCFG": tlsCfg, "CERT": leaf.CertFile, "KEY": leaf.KeyFile}
	if err := os.WriteFile(tlsCfg, []byte(fill(kamailioTLSCfg, vars)), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(cfg, []byte(fill(kamailioCfg, vars)), 0o644); err != nil {
		return nil, err
	}
	p, err := b.Start(b.Server, "kamailio", "-DD", "-E", "-f", cfg, "-P", filepath.Join(dir, "kamailio.pid"),
		"-Y", dir, "-m", "32", "-M", "8")
	if err != nil {
		return nil, err
	}
	return p, p.WaitReady(func(ctx context.Context) error {
		if _, err := SIPOptionsUDP(ctx, b.Server, ServerIP+":5060"); err != nil {
			return err
		}
		_, err := SIPOptionsTLS(ctx, b.Server, ServerIP+":15061", ServerHost, b.CA.Pool)
		return err
	})
}

// KamailioLog returns what kamailio logged (its "bed-sip:" lines show
// each request's Via and Contact as it arrived).
func (b *Bed) KamailioLog() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.procs {
		if p.Name == "kamailio" {
			return p.Log()
		}
	}
	return ""
}
