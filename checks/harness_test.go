package checks

import (
	"context"
	"io"
	"log"
	"net"
	"slices"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// fakeHost is a hostinfo.Host with fixed answers.
type fakeHost struct {
	iface   string
	hasV6   bool
	routeEr error
	kind    string
	details map[string]string
	kindErr error
	proxies map[string]string
	proxyEr error
}

func (h fakeHost) DefaultRoute() (string, bool, error) { return h.iface, h.hasV6, h.routeEr }
func (h fakeHost) LinkKind(string) (string, map[string]string, error) {
	return h.kind, h.details, h.kindErr
}
func (h fakeHost) ProxySettings() (map[string]string, error) { return h.proxies, h.proxyEr }

// mapResolver is an OS-resolver stand-in with fixed answers; unknown names
// fail like NXDOMAIN. It never asks the system resolver.
type mapResolver map[string][]string

func (m mapResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ips, ok := m[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, s := range ips {
		out = append(out, net.IPAddr{IP: net.ParseIP(s)})
	}
	return out, nil
}

// testEnv is an Env whose every edge stays on loopback: resolver, DNS,
// hosts file, SSDP target and host information are fakes. Tests override
// fields as needed.
func testEnv(t testing.TB) *Env {
	return &Env{
		Version:    "test",
		Resolver:   mapResolver{},
		DNSServers: []string{"127.0.0.1:9"}, // discard port: nothing answers
		ResolvConf: "/nonexistent/resolv.conf",
		HostsFile:  "/nonexistent/hosts",
		SSDPAddr:   "127.0.0.1:9",
		SSDPWindow: 300e6,
		Getenv:     func(string) string { return "" },
		Log:        log.New(io.Discard, "", 0),
		Host:       fakeHost{iface: "eth0", kind: "wired"},
	}
}

// runCheck runs one registered check the way the runner does: its Plan
// gives the targets, its timeout bounds the run.
func runCheck(t testing.TB, id string, p *profile.Profile, opt Options, env *Env, deps map[string]Result) Result {
	t.Helper()
	spec, ok := registeredSpec(id)
	if !ok {
		t.Fatalf("check %s is not registered", id)
	}
	if opt.Ports == (Ports{}) {
		opt.Ports = DefaultPorts()
	}
	var targets []Destination
	if spec.Plan != nil {
		dests, skip := spec.Plan(p, opt)
		if !skip.IsZero() {
			r := SkipResult(id, skip)
			return r
		}
		for i := range dests {
			dests[i].Check = id
		}
		targets = dests
	}
	ctx, cancel := context.WithTimeout(context.Background(), spec.timeout(opt))
	defer cancel()
	in := &Input{Profile: p, Options: opt, Targets: targets, Deps: deps, Env: env.withDefaults(),
		Content: content.MustLoad(), Sample: func(Sample) {}}
	r := spec.Run(ctx, in)
	if ctx.Err() != nil {
		t.Errorf("%s: ran past its %s budget", id, spec.timeout(opt))
	}
	return r
}

func registeredSpec(id string) (Spec, bool) {
	registryMu.Lock()
	defer registryMu.Unlock()
	s, ok := registered[id]
	return s, ok
}

// want is what a table test expects of a result.
type want struct {
	status   Status
	remedies []string       // exactly these (order-insensitive); nil: none
	facts    map[string]any // each key must be present with this value; a nil value: present, any value
	absent   []string       // facts that must not be present
}

// checkResult asserts status, remedies and facts, and that every remedy the
// check emitted is declared in its Spec.Remedies (and named for warn/fail).
func checkResult(t *testing.T, r Result, w want) {
	t.Helper()
	if r.Status != w.status {
		t.Errorf("%s: status %s, want %s (summary %q, facts %v)", r.ID, r.Status, w.status, r.Summary.En, r.Facts)
	}
	if r.Summary.Ja == "" || r.Summary.En == "" {
		t.Errorf("%s: summary missing a language: %+v", r.ID, r.Summary)
	}
	got := slices.Clone(r.Remedies)
	slices.Sort(got)
	exp := slices.Clone(w.remedies)
	slices.Sort(exp)
	if !slices.Equal(got, exp) {
		t.Errorf("%s: remedies %v, want %v", r.ID, r.Remedies, w.remedies)
	}
	if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
		t.Errorf("%s: %s without a remedy", r.ID, r.Status)
	}
	if spec, ok := registeredSpec(r.ID); ok {
		for _, rem := range r.Remedies {
			if !slices.Contains(spec.Remedies, rem) {
				t.Errorf("%s: emitted remedy %q not declared in Spec.Remedies %v", r.ID, rem, spec.Remedies)
			}
		}
	}
	for k, v := range w.facts {
		got, ok := r.Facts[k]
		if !ok {
			t.Errorf("%s: fact %q missing (facts %v)", r.ID, k, r.Facts)
			continue
		}
		if v != nil && got != v {
			t.Errorf("%s: fact %q = %v (%T), want %v (%T)", r.ID, k, got, got, v, v)
		}
	}
	for _, k := range w.absent {
		if _, ok := r.Facts[k]; ok {
			t.Errorf("%s: fact %q present (%v), want absent", r.ID, k, r.Facts[k])
		}
	}
}
