package checks

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/probe/resolve"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Fuzz targets for the files and settings checks read.

func writeFuzzFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzHostsFile: resolve.HostsEntries returns only IPv4 addresses, each once.
func FuzzHostsFile(f *testing.F) {
	f.Add([]byte("127.0.0.1 localhost\n10.0.0.10 " + mgmtHost + " # vpn\n"))
	f.Add([]byte("::ffff:10.0.0.10 " + strings.ToUpper(mgmtHost) + ".\n10.0.0.10\t" + mgmtHost + "\n"))
	f.Add([]byte("\x00\xff\n#\n999.1.1.1 " + mgmtHost))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _ := resolve.HostsEntries(writeFuzzFile(t, "hosts", data), mgmtHost)
		seen := map[netip.Addr]bool{}
		for _, a := range got {
			if !a.Is4() || seen[a] {
				t.Fatalf("resolve.HostsEntries = %v", got)
			}
			seen[a] = true
		}
	})
}

// FuzzResolvConf: dnsServers gives at most three host:port servers or an
// error naming the file.
func FuzzResolvConf(f *testing.F) {
	f.Add([]byte("nameserver 192.168.1.1\nnameserver ::1\nsearch example\noptions ndots:2\n"))
	f.Add([]byte("nameserver\nnameserver 1.1.1.1 2.2.2.2\nport 99999\n"))
	f.Add([]byte("# nothing\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		env := &Env{ResolvConf: writeFuzzFile(t, "resolv.conf", data)}
		servers, err := dnsServers(env, "53")
		if err != nil {
			return
		}
		if len(servers) == 0 || len(servers) > resolve.MaxServers {
			t.Fatalf("%d servers", len(servers))
		}
		for _, s := range servers {
			if _, _, err := net.SplitHostPort(s); err != nil {
				t.Fatalf("server %q: %v", s, err)
			}
		}
	})
}

// FuzzProxyEnv: net.proxy never passes while a proxy variable is set and
// NO_PROXY does not name the server — whatever the variable holds.
func FuzzProxyEnv(f *testing.F) {
	f.Add("http://user:pw@proxy:8080", "")
	f.Add("%zz", "")
	f.Add("proxy corp:8080", "")
	f.Add("http://proxy:3128", ".biztel.example,203.0.113.0/24")
	f.Add("socks5://[::1]:1080", "*")
	f.Fuzz(func(t *testing.T, value, noProxy string) {
		p := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10"}}
		env := testEnv(t)
		env.Getenv = func(k string) string {
			switch k {
			case "HTTPS_PROXY":
				return value
			case "NO_PROXY":
				return noProxy
			}
			return ""
		}
		env.Host = fakeHost{}
		r := runCheck(t, "net.proxy", p, DefaultOptions(), env, nil)
		assertHonest(t, r)
		if value != "" && strings.TrimSpace(noProxy) == "" && r.Status == Pass {
			t.Fatalf("HTTPS_PROXY=%q with no NO_PROXY passed: %s", value, r.Summary.En)
		}
		if u := strings.Index(value, "://"); u >= 0 {
			if at := strings.LastIndex(value, "@"); at > u+3 {
				if secret := value[u+3 : at]; len(secret) > 3 && !strings.Contains(value[at:], secret) {
					for k, v := range r.Facts {
						if s, ok := v.(string); ok && strings.Contains(s, secret) {
							t.Fatalf("credentials %q in fact %s=%q", secret, k, s)
						}
					}
				}
			}
		}
	})
}
