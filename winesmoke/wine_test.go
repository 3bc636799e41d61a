//go:build linux

package winesmoke

// The Windows build, run for real: Debian's Wine 8.0 executes the
// windows/amd64 binary on its implementation of the Win32 socket, IP Helper
// and registry APIs, which return Windows' own error numbers (WSAE…), so a
// syscall.E… comparison that never matches on Windows shows here.
//
// Every run happens inside a network namespace this test creates (loopback
// only, plus nftables rules of its own): nothing leaves the machine.
// Where a case has a Linux meaning, the Linux binary of the same source
// runs the same command in the same namespace and the two must agree.
//
// What Wine 8.0 cannot show, so these cases leave it out:
//   - UDP: Go sets SIO_UDP_NETRESET on every UDP socket (net/fd_windows.go)
//     and Wine 8.0 rejects that ioctl (WSAEOPNOTSUPP, "wsaioctl: winapi
//     error #10045"), so no UDP socket opens: net.ipv4 (it finds its
//     route with a UDP socket), sip.udp, sip.alg, sip.size, stun.*,
//     nat.*, rtp.range, media.*, ntp.hardphone and upnp.igd cannot run.
//     On real Windows Go also turns off ICMP port-unreachable reports on
//     UDP sockets (go.dev/issue/5834), so a UDP "refused" never reaches the
//     program there anyway.
//   - Japanese by the Windows UI language: Wine derives the UI language
//     from the same LC_ALL/LC_MESSAGES/LANG variables that the program reads
//     first, so only "no variable set" reaches GetUserDefaultUILanguage;
//     Wine then answers en-US (from the C locale), which the test checks.
//   - Wi-Fi signal (netsh wlan), adapter kinds of real hardware, WinHTTP
//     proxies set by netsh: nothing of that exists in a Wine prefix.
//   - net.link with a default route: in the namespace Wine's
//     GetAdaptersAddresses fails ("Invalid data"), so Go's
//     net.InterfaceByIndex cannot name the route's interface there; only
//     the no-route case runs. Wine refuses the IPv6 route lookup
//     (GetBestInterfaceEx: "Request not supported."), which shows the
//     "not measured" reading of ipv6_default_route.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/netlab"
)

// runTimeout bounds one program run (a check's longest stage is 3 s here).
const runTimeout = 60 * time.Second

type wineBed struct {
	ns                 *netlab.Namespace
	dir, prefix        string
	wine, wineserver   string
	linuxBin, winePath string // the Linux binary; the .exe inside the prefix
}

// requireWine finds the tools or skips with one line; with CI=true a skip
// is a failure (a missing install step must not hide behind it).
func requireWine(t *testing.T) (wine string) {
	t.Helper()
	skip := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("wine smoke test: %s (CI=true: it must run in CI)", why)
		}
		t.Skip("wine smoke test: " + why)
	}
	if os.Geteuid() != 0 {
		skip("needs root for its network namespace")
	}
	wine, err := exec.LookPath("wine64")
	if err != nil {
		wine = "/usr/lib/wine/wine64" // where Debian's wine64 puts it without the wine package
		if _, err := os.Stat(wine); err != nil {
			skip("wine64 not found (apt-get install wine64)")
		}
	}
	for tool, pkg := range map[string]string{"x86_64-w64-mingw32-gcc": "gcc-mingw-w64-x86-64", "ip": "iproute2", "nft": "nftables"} {
		if _, err := exec.LookPath(tool); err != nil {
			skip(fmt.Sprintf("%s not found (apt-get install %s)", tool, pkg))
		}
	}
	return wine
}

func newWineBed(t *testing.T) *wineBed {
	wine := requireWine(t)
	netlab.CleanLeftovers()
	b := &wineBed{dir: t.TempDir(), wine: wine, wineserver: filepath.Join(filepath.Dir(wine), "wineserver")}
	b.prefix = filepath.Join(b.dir, "prefix")
	b.linuxBin = filepath.Join(b.dir, "biztel-doctor")
	exe := filepath.Join(b.dir, "biztel-doctor.exe")
	var wg sync.WaitGroup
	errs := make([]error, 3)
	build := func(i int, env []string, args ...string) {
		defer wg.Done()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = ".." // the module root
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			errs[i] = fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	wg.Add(3)
	go build(0, []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64"}, "go", "build", "-o", exe, ".")
	go build(1, []string{"CGO_ENABLED=0"}, "go", "build", "-o", b.linuxBin, ".")
	go build(2, nil, "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o", filepath.Join(b.dir, "bcryptprimitives.dll"),
		"winesmoke/testdata/bcryptprimitives.c", "-ladvapi32")
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}

	// Named like a bed's namespace, so netlab.CleanLeftovers removes it
	// if this process is killed before its clean-up runs.
	b.ns = &netlab.Namespace{Name: fmt.Sprintf("%s%d-wine", netlab.NamePrefix, os.Getpid()), Role: "client"}
	if out, err := exec.Command("ip", "netns", "add", b.ns.Name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(b.teardown)
	b.must(t, "ip", "-n", b.ns.Name, "link", "set", "lo", "up")

	// A persistent wineserver inside the namespace: Wine creates sockets
	// in the wineserver, so it must live where the program's network is.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := os.MkdirAll(b.prefix, 0o755); err != nil {
		t.Fatal(err)
	}
	// no output pipes: the daemon would hold them open past its parent's exit
	if err := b.command(ctx, nil, b.wineserver, "-p").Run(); err != nil {
		t.Fatalf("wineserver -p: %v", err)
	}
	if so, se, err := b.runFiles(b.command(ctx, nil, b.wine, "wineboot", "--init")); err != nil {
		t.Fatalf("wineboot: %v: %s%s", err, so, se)
	}
	// Go's runtime loads bcryptprimitives.dll from System32 only.
	copyFile(t, filepath.Join(b.dir, "bcryptprimitives.dll"), filepath.Join(b.prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll"))
	b.winePath = filepath.Join(b.prefix, "drive_c", "bd", "biztel-doctor.exe")
	copyFile(t, exe, b.winePath)
	return b
}

// env is the whole environment of a run: nothing of the test's own (no
// proxy variables, no locale unless a case sets one).
func (b *wineBed) env(extra []string) []string {
	return append([]string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + b.dir, "WINEPREFIX=" + b.prefix,
		"WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "USER=root"}, extra...)
}

func (b *wineBed) command(ctx context.Context, extra []string, name string, args ...string) *exec.Cmd {
	argv := append([]string{"netns", "exec", b.ns.Name, "env", "-i"}, b.env(extra)...)
	return exec.CommandContext(ctx, "ip", append(append(argv, name), args...)...)
}

func (b *wineBed) must(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}

// teardown stops Wine inside the namespace, then whatever is left there
// (by PID), and deletes the namespace.
func (b *wineBed) teardown() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b.command(ctx, nil, b.wineserver, "-k").Run()
	b.command(ctx, nil, b.wineserver, "-w").Run()
	out, _ := exec.Command("ip", "netns", "pids", b.ns.Name).Output()
	for _, p := range strings.Fields(string(out)) {
		// never this process: a thread of it entered the namespace for
		// the Ctrl-C case's listener (netlab.Namespace.Do)
		if p != strconv.Itoa(os.Getpid()) {
			exec.Command("kill", "-KILL", p).Run()
		}
	}
	exec.Command("ip", "netns", "del", b.ns.Name).Run()
}

type run struct {
	stdout, stderr string
	code           int
}

func (b *wineBed) exec(t *testing.T, extra []string, bin string, args ...string) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if bin == b.winePath {
		cmd = b.command(ctx, extra, b.wine, append([]string{bin}, args...)...)
	} else {
		cmd = b.command(ctx, extra, bin, args...)
	}
	so, se, err := b.runFiles(cmd)
	r := run{stdout: so, stderr: se}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	return r
}

// runFiles runs cmd with its output in files, not pipes: Wine's service
// processes (services.exe, winedevice.exe …) that a run starts inherit
// the descriptors and outlive it, so a pipe would never reach EOF.
func (b *wineBed) runFiles(cmd *exec.Cmd) (stdout, stderr string, err error) {
	var files [2]*os.File
	for i := range files {
		if files[i], err = os.CreateTemp(b.dir, "out-"); err != nil {
			return "", "", err
		}
		defer os.Remove(files[i].Name())
		defer files[i].Close()
	}
	cmd.Stdout, cmd.Stderr = files[0], files[1]
	err = cmd.Run()
	so, _ := os.ReadFile(files[0].Name())
	se, _ := os.ReadFile(files[1].Name())
	return string(so), string(se), err
}

// both runs the same command under Wine and natively.
func (b *wineBed) both(t *testing.T, extra []string, args ...string) (win, lin run) {
	t.Helper()
	return b.exec(t, extra, b.winePath, args...), b.exec(t, extra, b.linuxBin, args...)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err == nil {
		if err = os.MkdirAll(filepath.Dir(to), 0o755); err == nil {
			err = os.WriteFile(to, data, 0o755)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

type checkResult struct {
	ID, Status, Summary string
	Facts               map[string]any
	Remedies            []string
}

type report struct {
	Interrupted bool
	Checks      []checkResult
}

func parseCheck(t *testing.T, out, id string) checkResult {
	t.Helper()
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	for _, c := range rep.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("report has no %s:\n%s", id, out)
	return checkResult{}
}

func TestWindowsBinaryUnderWine(t *testing.T) {
	b := newWineBed(t)
	t.Run("version", func(t *testing.T) { b.version(t) })
	t.Run("help by LANG and by the Windows UI language", func(t *testing.T) { b.help(t) })
	t.Run("ports --lang en", func(t *testing.T) { b.sameOutput(t, nil, "ports", "--lang", "en") })
	t.Run("plan", func(t *testing.T) {
		b.sameOutput(t, nil, "plan", "--server", "s0123.biztel.example", "--server-ip", "203.0.113.10",
			"--stun", "198.51.100.20:3478", "--format", "json", "--lang", "en")
	})
	t.Run("net.proxy from the registry", func(t *testing.T) { b.proxies(t) })
	t.Run("sip.tls refused", func(t *testing.T) { b.tcpFinding(t, "sip.tls", "127.0.0.1", "refused", true) })
	t.Run("web.8000 black-holed", func(t *testing.T) {
		// an address of the namespace's own whose packets nftables drops:
		// the SYN goes unanswered
		b.must(t, "ip", "-n", b.ns.Name, "addr", "add", "198.18.0.1/32", "dev", "lo")
		nft := exec.Command("ip", "netns", "exec", b.ns.Name, "nft", "-f", "-")
		nft.Stdin = strings.NewReader("table inet winesmoke {\n chain out { type filter hook output priority 0; ip daddr 198.18.0.1 drop; }\n}\n")
		if out, err := nft.CombinedOutput(); err != nil {
			t.Fatalf("nft: %v: %s", err, out)
		}
		b.tcpFinding(t, "web.8000", "198.18.0.1", "filtered", false)
	})
	t.Run("web.8000 without a route", func(t *testing.T) {
		// the namespace has no route to 203.0.113.0/24: connect fails at once
		w := b.tcpFinding(t, "web.8000", "203.0.113.10", "unreachable", true)
		if w.Facts["net_error"] != "network_unreachable" || strings.Join(w.Remedies, ",") != "ipv4-required" {
			t.Errorf("no route under Wine: net_error=%v %v, want network_unreachable [ipv4-required]", w.Facts["net_error"], w.Remedies)
		}
	})
	t.Run("net.link without a default route", func(t *testing.T) { b.netLink(t) })
	t.Run("Ctrl-C", func(t *testing.T) { b.interrupt(t) })
}

// netLink: no IPv4 default route is a finding (fail, ipv4-required), and
// the IPv6 route lookup, which Wine refuses ("Request not supported."), is
// reported as not measured: ipv6_default_route absent, ipv6_route_error set.
func (b *wineBed) netLink(t *testing.T) {
	r := b.exec(t, nil, b.winePath, "check", "--only", "net.link", "--server", "127.0.0.1", "--format", "json", "--lang", "en")
	c := parseCheck(t, r.stdout, "net.link")
	if c.Status != "fail" || strings.Join(c.Remedies, ",") != "ipv4-required" {
		t.Errorf("net.link without a route under Wine: %s %q %v, want fail [ipv4-required]", c.Status, c.Summary, c.Remedies)
	}
	if _, ok := c.Facts["ipv6_default_route"]; ok && c.Facts["ipv6_route_error"] != nil {
		t.Errorf("net.link reports ipv6_default_route although its lookup failed: %v", c.Facts)
	}
	if _, ok := c.Facts["ipv6_default_route"]; !ok && c.Facts["ipv6_route_error"] == nil {
		t.Errorf("net.link has neither ipv6_default_route nor ipv6_route_error: %v", c.Facts)
	}
	t.Logf("net.link under Wine: %s %q %v", c.Status, c.Summary, c.Facts)
}

func (b *wineBed) version(t *testing.T) {
	win, lin := b.both(t, nil, "version")
	if win.code != 0 || !strings.HasPrefix(win.stdout, "biztel-doctor ") {
		t.Fatalf("version under Wine: exit %d, %q %q", win.code, win.stdout, win.stderr)
	}
	if win.stdout != lin.stdout {
		t.Errorf("version: Wine %q, Linux %q", win.stdout, lin.stdout)
	}
}

func (b *wineBed) help(t *testing.T) {
	for _, c := range []struct {
		name string
		env  []string
		want string
	}{
		{"LANG=ja_JP.UTF-8", []string{"LANG=ja_JP.UTF-8"}, "使い方:"},
		{"LANG=en_US.UTF-8", []string{"LANG=en_US.UTF-8"}, "Usage:"},
	} {
		win, lin := b.both(t, c.env, "--help")
		if win.code != 0 || !strings.Contains(win.stdout, c.want) {
			t.Errorf("%s --help under Wine: exit %d, no %q in\n%s%s", c.name, win.code, c.want, win.stdout, win.stderr)
		}
		if win.stdout != lin.stdout {
			t.Errorf("%s --help differs from Linux:\nWine:\n%s\nLinux:\n%s", c.name, win.stdout, lin.stdout)
		}
	}
	// No locale variable at all: the program asks GetUserDefaultUILanguage,
	// which Wine answers from the Unix C locale as en-US. Without the OS
	// answer it would be Japanese (the default), so English proves the
	// Windows path ran.
	win := b.exec(t, nil, b.winePath, "--help")
	en := b.exec(t, []string{"LANG=en_US.UTF-8"}, b.linuxBin, "--help")
	if win.stdout != en.stdout {
		t.Errorf("--help with the Windows UI language en-US is not the English help:\n%s", win.stdout)
	}
}

// sameOutput: a command that sends nothing prints the same on both.
func (b *wineBed) sameOutput(t *testing.T, env []string, args ...string) {
	win, lin := b.both(t, env, args...)
	if win.code != 0 || win.stdout == "" {
		t.Fatalf("under Wine: exit %d\n%s%s", win.code, win.stdout, win.stderr)
	}
	if win.stdout != lin.stdout || win.code != lin.code {
		t.Errorf("Wine and Linux differ (exit %d/%d):\nWine:\n%s\nLinux:\n%s", win.code, lin.code, win.stdout, lin.stdout)
	}
}

const inetSettings = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// proxies writes the WinINet settings with `wine reg add` and expects what
// the unit tests expect of the same values (checks/net_proxy_test.go).
func (b *wineBed) proxies(t *testing.T) {
	const server = "proxy.corp.example:8080"
	cases := []struct {
		name     string
		values   map[string]string // name → REG_SZ, except ProxyEnable (REG_DWORD)
		status   string
		summary  string
		remedies []string
	}{
		{"nothing set", nil, "pass", "no proxy in the environment or the OS settings", nil},
		{"exceptions cover name and address", map[string]string{"ProxyEnable": "1", "ProxyServer": server,
			"ProxyOverride": "*.biztel.example;203.0.113.*;<local>"},
			"pass", "exceptions (WinINet ProxyOverride) send the BIZTEL server direct", nil},
		{"<local> alone", map[string]string{"ProxyEnable": "1", "ProxyServer": server, "ProxyOverride": "<local>"},
			"warn", "a proxy is configured (http=proxy.corp.example:8080, https=proxy.corp.example:8080)", []string{"remove-proxy"}},
		{"name excepted, address not", map[string]string{"ProxyEnable": "1", "ProxyServer": server, "ProxyOverride": "*.biztel.example;<local>"},
			"warn", "but 203.0.113.10 still goes through the proxy", []string{"remove-proxy"}},
		{"PAC", map[string]string{"ProxyEnable": "0", "AutoConfigURL": "http://wpad.corp.example/proxy.pac"},
			"warn", "the PAC file decides", []string{"remove-proxy"}},
	}
	for i, c := range cases {
		if i > 0 { // the first case runs on the fresh prefix
			for _, v := range []string{"ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL"} {
				if _, ok := cases[i-1].values[v]; ok {
					b.exec(t, nil, b.wine, "reg", "delete", inetSettings, "/v", v, "/f")
				}
			}
		}
		for name, val := range c.values {
			typ := "REG_SZ"
			if name == "ProxyEnable" {
				typ = "REG_DWORD"
			}
			if r := b.exec(t, nil, b.wine, "reg", "add", inetSettings, "/v", name, "/t", typ, "/d", val, "/f"); r.code != 0 {
				t.Fatalf("%s: reg add %s: %s%s", c.name, name, r.stdout, r.stderr)
			}
		}
		r := b.exec(t, nil, b.winePath, "check", "--only", "net.proxy", "--server", "s0123.biztel.example",
			"--server-ip", "203.0.113.10", "--format", "json", "--lang", "en")
		got := parseCheck(t, r.stdout, "net.proxy")
		if got.Status != c.status || !strings.Contains(got.Summary, c.summary) || strings.Join(got.Remedies, ",") != strings.Join(c.remedies, ",") {
			t.Errorf("%s: %s %q %v, want %s with %q %v", c.name, got.Status, got.Summary, got.Remedies, c.status, c.summary, c.remedies)
		}
	}
}

// tcpFinding runs one TCP check under Wine and natively in the same
// namespace: the same status, result and remedies, and (when sameSummary)
// the same summary text.
func (b *wineBed) tcpFinding(t *testing.T, id, server, result string, sameSummary bool) checkResult {
	args := []string{"check", "--only", id, "--server", server, "--format", "json", "--lang", "en"}
	win, lin := b.both(t, nil, args...)
	w, l := parseCheck(t, win.stdout, id), parseCheck(t, lin.stdout, id)
	if w.Facts["result"] != result || w.Status != "fail" {
		t.Errorf("%s to %s under Wine: %s result=%v %q, want fail result=%s", id, server, w.Status, w.Facts["result"], w.Summary, result)
	}
	if w.Status != l.Status || w.Facts["result"] != l.Facts["result"] || strings.Join(w.Remedies, ",") != strings.Join(l.Remedies, ",") {
		t.Errorf("%s: Wine %s result=%v %v, Linux %s result=%v %v", id, w.Status, w.Facts["result"], w.Remedies, l.Status, l.Facts["result"], l.Remedies)
	}
	if sameSummary && w.Summary != l.Summary {
		t.Errorf("%s summary:\nWine:  %s\nLinux: %s", id, w.Summary, l.Summary)
	}
	return w
}

// interrupt: a SIGINT to the Wine process reaches the program as
// CTRL_C_EVENT; it must write the partial report and exit 130. The test
// holds sip.tls's TCP connection open (accepted, never answered) so the
// signal lands while the check runs.
func (b *wineBed) interrupt(t *testing.T) {
	l, err := b.ns.Listen("tcp4", "127.0.0.1:15061")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	out := filepath.Join(b.prefix, "drive_c", "bd", "interrupted.json")
	cmd := b.command(ctx, nil, b.wine, b.winePath, "check", "--only", "sip.tls,web.8000", "--server", "127.0.0.1",
		"-o", `C:\bd\interrupted.json`, "--lang", "en")
	errFile, err := os.Create(filepath.Join(b.dir, "interrupt.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	cmd.Stderr = errFile
	stderr := func() string { data, _ := os.ReadFile(errFile.Name()); return string(data) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-accepted:
		defer c.Close()
	case <-ctx.Done():
		t.Fatalf("sip.tls never connected: %s", stderr())
	}
	// ip netns exec, env and wine64 exec in turn: the PID is the program's
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("after Ctrl-C: %v, want exit 130\n%s", err, stderr())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no partial report: %v", err)
	}
	var rep report
	if err := json.Unmarshal(data, &rep); err != nil || !rep.Interrupted {
		t.Fatalf("partial report: interrupted=%v, %v", rep.Interrupted, err)
	}
	if c := parseCheck(t, string(data), "sip.tls"); c.Status != "error" || c.Summary != "interrupted" {
		t.Errorf("sip.tls after Ctrl-C: %s %q, want error \"interrupted\"", c.Status, c.Summary)
	}
}
