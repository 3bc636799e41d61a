//go:build linux

package netlab

import (
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRouterFaults proves each router fault of the scenarios is really in
// effect — with probes through the router and the rule's own counter or
// conntrack — before any check of the tool is asked to find it.
func TestRouterFaults(t *testing.T) {
	b := New(t, Options{})
	if _, err := b.StartServers(""); err != nil {
		t.Fatal(err)
	}
	c := b.Client
	set := func(t *testing.T, cfg RouterConfig) {
		t.Helper()
		if err := b.SetRouter(cfg); err != nil {
			t.Fatal(err)
		}
	}
	counter := func(t *testing.T, name string) int {
		t.Helper()
		n, err := b.Counter(name)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("block-udp-5060", func(t *testing.T) {
		blk := Block{Transport: "udp", From: 5060}
		set(t, RouterConfig{Blocks: []Block{blk}})
		if _, err := SIPOptionsUDP(probeCtx(t), c, ServerIP+":5060"); err == nil {
			t.Fatal("SIP over UDP answered through a blocked rule")
		}
		if n := counter(t, blk.CounterName()); n == 0 {
			t.Errorf("drop counter %s did not move", blk.CounterName())
		}
		if _, err := SIPOptionsTLS(probeCtx(t), c, ServerIP+":15061", ServerHost, b.CA.Pool); err != nil {
			t.Errorf("SIP/TLS should still pass: %v", err)
		}
	})
	t.Run("sip-alg", func(t *testing.T) {
		set(t, RouterConfig{SIPHelper: true})
		resp, err := SIPOptionsUDP(probeCtx(t), c, ServerIP+":5060")
		if err != nil {
			t.Fatal(err)
		}
		// The kernel's nf_nat_sip rewrote the Via on the way out (kamailio
		// logged it with the router's address) and back on the way in.
		if !strings.Contains(b.KamailioLog(), "via=[SIP/2.0/UDP "+RouterWANIP) {
			t.Errorf("kamailio never saw a rewritten Via:\n%s", lastLines(b.KamailioLog(), 5))
		}
		if !strings.Contains(resp, "received="+ClientIP) {
			t.Errorf("reply not mapped back by the ALG:\n%s", resp)
		}
		if ct := b.Conntrack("-p", "udp", "--dport", "5060"); !strings.Contains(ct, "helper=sip") {
			t.Errorf("conntrack shows no sip helper:\n%s", ct)
		}
		if counter(t, CounterSIPHelper) == 0 {
			t.Error("helper rule counter did not move")
		}
		// sipp, a second SIP peer: its INVITE's SDP connection address is
		// rewritten too (kamailio refuses the call; the rewrite is logged).
		c.Output("sipp", "-sn", "uac", "-m", "1", "-i", ClientIP, "-p", "5070", "-timeout", "3s", "-nostdin", ServerIP+":5060")
		if !strings.Contains(b.KamailioLog(), "c=IN IP4 "+RouterWANIP) {
			t.Errorf("kamailio never saw sipp's SDP rewritten to %s:\n%s", RouterWANIP, lastLines(b.KamailioLog(), 8))
		}
	})
	t.Run("udp-return-dropped", func(t *testing.T) {
		set(t, RouterConfig{DropUDPReturn: true})
		if _, err := STUNBinding(probeCtx(t), c, STUNIP+":3478"); err == nil {
			t.Fatal("STUN answered although UDP returns are dropped")
		}
		if counter(t, CounterUDPReturn) == 0 {
			t.Error("return drop counter did not move")
		}
		if code, _, err := HTTPSGet(probeCtx(t), c, ServerIP+":8000", ServerHost, b.CA.Pool); err != nil || code != 200 {
			t.Errorf("TCP should still pass: %d %v", code, err)
		}
	})
	t.Run("short-udp-timeout", func(t *testing.T) {
		set(t, RouterConfig{UDPTimeout: 20 * time.Second})
		if _, err := STUNBinding(probeCtx(t), c, STUNIP+":3478"); err != nil {
			t.Fatal(err)
		}
		if counter(t, CounterTimeout) == 0 {
			t.Error("timeout rule counter did not move")
		}
		ct := b.Conntrack("-p", "udp", "--dport", "3478")
		m := regexp.MustCompile(`udp\s+17\s+(\d+)`).FindStringSubmatch(ct)
		if m == nil {
			t.Fatalf("no conntrack entry:\n%s", ct)
		}
		if left, _ := strconv.Atoi(m[1]); left > 20 {
			t.Errorf("mapping lifetime %ds, want at most the 20s timeout object:\n%s", left, ct)
		}
	})
	t.Run("random-loss", func(t *testing.T) {
		set(t, RouterConfig{LossPercent: 50, LossTo: STUNIP})
		for range 20 {
			STUNBinding(probeCtx(t), c, STUNIP+":3478")
		}
		if counter(t, CounterLoss) == 0 {
			t.Error("loss rule dropped nothing in 20 bindings at 50 %")
		}
	})
	t.Run("random-fully", func(t *testing.T) {
		set(t, RouterConfig{RandomFully: true})
		// One local socket, two destinations: a symmetric NAT maps them
		// to different ports.
		pc, err := c.ListenPacket("udp4", ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		p1, p2 := stunFrom(t, pc, STUNIP+":3478"), stunFrom(t, pc, STUNIP2+":3478")
		if p1 == p2 {
			t.Errorf("random-fully kept one mapping %s for two destinations", p1)
		}
		set(t, RouterConfig{})
		if q1, q2 := stunFrom(t, pc, STUNIP+":3478"), stunFrom(t, pc, STUNIP2+":3478"); q1 != q2 {
			t.Errorf("plain masquerade gave two mappings %s %s", q1, q2)
		}
	})
	t.Run("ftp-alg", func(t *testing.T) {
		set(t, RouterConfig{FTPHelper: true})
		if _, err := FTPAuthTLS(probeCtx(t), c, RecordingIP+":20990", RecordingHost, b.CA.Pool); err != nil {
			t.Fatalf("FTPS control through the FTP ALG: %v", err)
		}
		if _, err := FTPPassive(probeCtx(t), c, RecordingIP+":20990", RecordingHost, b.CA.Pool); err == nil {
			t.Error("passive data connection opened: the ALG cannot read PASV inside TLS, so it should have no expectation")
		}
		if ct := b.Conntrack("-p", "tcp", "--dport", "20990"); !strings.Contains(ct, "helper=ftp") {
			t.Errorf("conntrack shows no ftp helper:\n%s", ct)
		}
		if counter(t, CounterPassive) == 0 {
			t.Error("passive drop counter did not move")
		}
	})
	t.Run("proxy-only", func(t *testing.T) {
		set(t, RouterConfig{ProxyOnly: true})
		p, err := b.StartProxy()
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := HTTPSGet(probeCtx(t), c, ServerIP+":8000", ServerHost, b.CA.Pool); err == nil {
			t.Fatal("direct TCP passed a proxy-only router")
		}
		if counter(t, CounterTCPBlock) == 0 {
			t.Error("TCP block counter did not move")
		}
		code, body, err := httpsViaProxy(probeCtx(t), c, p.Addr, ServerHost+":8000", b.CA.Pool)
		if err != nil || code != 200 || !strings.Contains(body, "test bed") || p.Tunnels.Load() == 0 {
			t.Errorf("through the proxy: %d %v %q (tunnels %d)", code, err, body, p.Tunnels.Load())
		}
	})
	assertNoEscape(t, b)
}

func stunFrom(t *testing.T, pc net.PacketConn, addr string) string {
	t.Helper()
	m, err := STUNFrom(probeCtx(t), pc, addr)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLANVariants: a client in carrier-grade NAT space, and an IPv6-only
// client.
func TestLANVariants(t *testing.T) {
	t.Run("cgnat", func(t *testing.T) {
		b := New(t, Options{LAN: LANCGNAT})
		if err := b.StartCoturn(); err != nil {
			t.Fatal(err)
		}
		m, err := STUNBinding(probeCtx(t), b.Client, STUNIP+":3478")
		if err != nil {
			t.Fatal(err)
		}
		out, _ := b.Client.Output("ip", "-4", "addr", "show", "eth0")
		if !strings.Contains(out, CGNATClientIP) || !strings.HasPrefix(m, RouterWANIP+":") {
			t.Errorf("client %q mapped %s", out, m)
		}
		assertNoEscape(t, b)
	})
	t.Run("ipv6-only", func(t *testing.T) {
		b := New(t, Options{LAN: LANIPv6Only})
		if _, err := b.Client.DialContext(probeCtx(t), "tcp4", ServerIP+":8000"); err == nil {
			t.Fatal("IPv4 reached the server from an IPv6-only client")
		}
		out, _ := b.Client.Output("ip", "-4", "route", "show")
		if strings.TrimSpace(out) != "" {
			t.Errorf("IPv6-only client has IPv4 routes: %q", out)
		}
		assertNoEscape(t, b)
	})
}

// TestCleanLeftovers: a bed whose test process died (a dead pid in its
// name) loses its namespace, its /etc/netns files and the processes still
// running in it; a bed of a live process is left alone.
func TestCleanLeftovers(t *testing.T) {
	Require(t)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := NamePrefix + strconv.Itoa(dead.Process.Pid) + "-dead-cli"
	alive := NamePrefix + strconv.Itoa(os.Getpid()) + "-live-cli"
	for _, n := range []string{stale, alive} {
		if err := run("ip", "netns", "add", n); err != nil {
			t.Fatal(err)
		}
		os.MkdirAll("/etc/netns/"+n, 0o755)
	}
	t.Cleanup(func() { removeNamespace(stale); removeNamespace(alive) })
	sleeper := exec.Command("ip", "netns", "exec", stale, "sleep", "600")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan struct{})
	go func() { sleeper.Wait(); close(waited) }()
	// `ip netns exec` opens the namespace before it enters it: under load a
	// clean-up that runs in between finds no process yet, and the sleeper
	// then lives on in the deleted namespace. Wait until it is inside.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if out, _ := exec.Command("ip", "netns", "pids", stale).Output(); len(strings.Fields(string(out))) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sleeper never showed up inside the stale namespace")
		}
	}
	if err := CleanLeftovers(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Error("process inside the stale bed still runs")
	}
	list, _ := exec.Command("ip", "netns", "list").Output()
	if strings.Contains(string(list), stale) {
		t.Errorf("stale namespace %s survived", stale)
	}
	if _, err := os.Stat("/etc/netns/" + stale); err == nil {
		t.Error("stale /etc/netns directory survived")
	}
	if !strings.Contains(string(list), alive) {
		t.Errorf("namespace of a live process was removed")
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

// TestEscapeCounter proves the guard itself: a packet from the client to
// an address outside the bed is counted (and dropped) by the router.
func TestEscapeCounter(t *testing.T) {
	b := New(t, Options{})
	conn, err := b.Client.DialContext(probeCtx(t), "udp4", "192.0.2.1:9") // TEST-NET-1, never routed
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("netlab escape test"))
	// The counter is read after the write returned; the router handles
	// the packet synchronously on the veth, but allow it a moment.
	deadline := time.Now().Add(probeTimeout)
	for {
		n, err := b.Counter(CounterEscaped)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("packet to 192.0.2.1 was not counted:\n%s", b.Ruleset())
		}
		time.Sleep(probeInterval)
	}
}
