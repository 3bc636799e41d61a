//go:build linux

package netlab

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gorilla/websocket"
)

// StartCoturn runs one coturn per STUN port (3478, 3479) on both STUN
// addresses, STUN only, and waits for a Binding answer on each.
func (b *Bed) StartCoturn() error {
	for _, port := range []int{3478, 3479} {
		p, err := b.Start(b.Server, "turnserver", "--stun-only", "-n", "--no-cli", "--no-tls", "--no-dtls",
			"--no-rfc5780", "--no-software-attribute", "--simple-log", "--log-file", "stdout",
			"-L", STUNIP, "-L", STUNIP2, "-p", strconv.Itoa(port),
			"--pidfile", filepath.Join(b.Dir, fmt.Sprintf("turnserver%d.pid", port)),
			"--db", filepath.Join(b.Dir, fmt.Sprintf("turndb%d", port)))
		if err != nil {
			return err
		}
		for _, ip := range []string{STUNIP, STUNIP2} {
			addr := net.JoinHostPort(ip, strconv.Itoa(port))
			if err := p.WaitReady(func(ctx context.Context) error { _, err := STUNBinding(ctx, b.Server, addr); return err }); err != nil {
				return err
			}
		}
	}
	return nil
}

// chronyConf serves time from the local clock. chronyd always runs with
// -x (never set this machine's clock) and -d (foreground); cmdport 0: no
// control socket outside the bed's directory.
const chronyConf = `allow all
local stratum 8
bindaddress {{SERVER}}
port 123
cmdport 0
pidfile {{DIR}}/chronyd.pid
`

// StartChrony runs chronyd -d -x as the NTP server and waits for an NTP
// answer.
func (b *Bed) StartChrony() error {
	conf := filepath.Join(b.Dir, "chrony.conf")
	if err := os.WriteFile(conf, []byte(fill(chronyConf, map[string]string{"SERVER": ServerIP, "DIR": b.Dir})), 0o644); err != nil {
		return err
	}
	p, err := b.Start(b.Server, "chronyd", "-d", "-x", "-f", conf)
	if err != nil {
		return err
	}
	return p.WaitReady(func(ctx context.Context) error { _, err := NTPQuery(ctx, b.Server, ServerIP+":123"); return err })
}

// vsftpdConf: explicit FTPS (AUTH TLS) on 20990, passive 20991-21000,
// anonymous read-only login (the profile's ftps credentials are
// anonymous/netlab) so PASV can be asked for. ssl_ciphers=HIGH because
// vsftpd 3.0.3's default (DES-CBC3-SHA) is gone from OpenSSL 3.
const vsftpdConf = `listen=YES
listen_ipv6=NO
listen_address={{ADDR}}
listen_port=20990
background=NO
anonymous_enable=YES
no_anon_password=YES
local_enable=NO
write_enable=NO
anon_root={{DIR}}/ftproot
ftp_username=ftp
secure_chroot_dir={{DIR}}/ftpempty
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
require_ssl_reuse=NO
ssl_ciphers=HIGH
rsa_cert_file={{CERT}}
rsa_private_key_file={{KEY}}
pasv_enable=YES
pasv_min_port=20991
pasv_max_port=21000
pasv_address={{ADDR}}
seccomp_sandbox=NO
xferlog_enable=NO
syslog_enable=NO
`

// StartVsftpd runs vsftpd in the foreground and waits for banner, AUTH
// TLS and a verified handshake.
func (b *Bed) StartVsftpd(leaf Leaf) error {
	for _, d := range []string{"ftproot", "ftpempty"} {
		if err := os.MkdirAll(filepath.Join(b.Dir, d), 0o755); err != nil {
			return err
		}
	}
	conf := filepath.Join(b.Dir, "vsftpd.conf")
	vars := map[string]string{"ADDR": RecordingIP, "DIR": b.Dir, "CERT": leaf.CertFile, "KEY": leaf.KeyFile}
	if err := os.WriteFile(conf, []byte(fill(vsftpdConf, vars)), 0o644); err != nil {
		return err
	}
	p, err := b.Start(b.Server, "vsftpd", conf)
	if err != nil {
		return err
	}
	return p.WaitReady(func(ctx context.Context) error {
		_, err := FTPAuthTLS(ctx, b.Server, RecordingIP+":20990", RecordingHost, b.CA.Pool)
		return err
	})
}

// nginxConf: HTTPS on 8000; a WebSocket upgrade is passed to a small echo
// server inside the server namespace, anything else gets 200.
const nginxConf = `worker_processes 1;
pid {{DIR}}/nginx.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path {{DIR}}/body;
	proxy_temp_path {{DIR}}/proxy;
	fastcgi_temp_path {{DIR}}/fcgi;
	uwsgi_temp_path {{DIR}}/uwsgi;
	scgi_temp_path {{DIR}}/scgi;
	server {
		listen {{SERVER}}:8000 ssl;
		listen {{VPN}}:8000 ssl;
		server_name {{HOST}};
		ssl_certificate {{CERT}};
		ssl_certificate_key {{KEY}};
		location / {
			if ($http_upgrade = "") { return 200 "biztel-doctor test bed\n"; }
			proxy_pass http://{{WS}};
			proxy_http_version 1.1;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection "upgrade";
			proxy_set_header Host $host;
		}
	}
}
`

// StartNginx runs nginx (daemon off) with a WebSocket echo backend and
// waits for an HTTPS 200 and a WebSocket 101.
func (b *Bed) StartNginx(leaf Leaf) error {
	ws, err := b.startWebSocketEcho()
	if err != nil {
		return err
	}
	dir := filepath.Join(b.Dir, "nginx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	conf := filepath.Join(dir, "nginx.conf")
	vars := map[string]string{"DIR": dir, "SERVER": ServerIP, "VPN": VPNIP, "HOST": ServerHost, "CERT": leaf.CertFile, "KEY": leaf.KeyFile, "WS": ws}
	if err := os.WriteFile(conf, []byte(fill(nginxConf, vars)), 0o644); err != nil {
		return err
	}
	p, err := b.Start(b.Server, "nginx", "-e", "stderr", "-p", dir, "-c", conf, "-g", "daemon off;")
	if err != nil {
		return err
	}
	return p.WaitReady(func(ctx context.Context) error {
		code, _, err := HTTPSGet(ctx, b.Server, ServerIP+":8000", ServerHost, b.CA.Pool)
		if err == nil && code != 200 {
			err = fmt.Errorf("HTTPS status %d", code)
		}
		if err != nil {
			return err
		}
		code, _, err = WebSocketUpgrade(ctx, b.Server, ServerIP+":8000", ServerHost, b.CA.Pool, "")
		if err == nil && code != http.StatusSwitchingProtocols {
			err = fmt.Errorf("WebSocket upgrade status %d", code)
		}
		return err
	})
}

// startWebSocketEcho serves WebSocket echo (gorilla/websocket) on a
// loopback port inside the server namespace, behind nginx.
func (b *Bed) startWebSocketEcho() (string, error) {
	l, err := b.Server.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }, Subprotocols: []string{"sip"}}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			t, msg, err := c.ReadMessage()
			if err != nil || c.WriteMessage(t, msg) != nil {
				return
			}
		}
	})}
	go srv.Serve(l)
	b.OnTeardown(func() { srv.Close() })
	return l.Addr().String(), nil
}
