package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

func TestTakeDevOverride(t *testing.T) {
	for _, tc := range []struct {
		args []string
		rest []string
		path string
		err  bool
	}{
		{[]string{"--server", "127.0.0.1"}, []string{"--server", "127.0.0.1"}, "", false},
		{[]string{"--dev-override", "o.yaml", "--server", "x"}, []string{"--server", "x"}, "o.yaml", false},
		{[]string{"--server", "x", "-dev-override=o.yaml"}, []string{"--server", "x"}, "o.yaml", false},
		{[]string{"--only", "sip.udp", "--", "--dev-override", "o"}, []string{"--only", "sip.udp", "--", "--dev-override", "o"}, "", false},
		{[]string{"--dev-override"}, nil, "", true},
		{[]string{"--dev-override="}, nil, "", true},
		{[]string{"--dev-overrides", "x"}, []string{"--dev-overrides", "x"}, "", false}, // not ours: the flag set rejects it
	} {
		rest, path, err := takeDevOverride(tc.args)
		if (err != nil) != tc.err || path != tc.path || !slices.Equal(rest, tc.rest) {
			t.Errorf("%q: rest %q path %q err %v", tc.args, rest, path, err)
		}
	}
}

func testStdio() (stdio, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return stdio{in: strings.NewReader(""), out: &out, err: &errb, getenv: func(string) string { return "" }}, &out, &errb
}

func TestDevOverrideIsHiddenFromHelp(t *testing.T) {
	for _, cmd := range []string{"check", "plan"} {
		std, out, _ := testStdio()
		if code := run(context.Background(), []string{cmd, "--help"}, std); code != exitOK {
			t.Fatalf("%s --help: exit %d", cmd, code)
		}
		if strings.Contains(out.String(), devOverrideFlag) {
			t.Errorf("%s --help shows the developer flag", cmd)
		}
	}
}

func TestDevOverrideFileErrorsAreUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "o.yaml")
	if err := os.WriteFile(bad, []byte("ports: {sip: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"plan", "--server", "127.0.0.1", "--dev-override", bad},
		{"plan", "--server", "127.0.0.1", "--dev-override", filepath.Join(t.TempDir(), "missing.yaml")},
		{"plan", "--server", "127.0.0.1", "--dev-override"},
	} {
		std, _, errb := testStdio()
		if code := run(context.Background(), args, std); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
		if !strings.Contains(errb.String(), "dev-override") && !strings.Contains(errb.String(), "override") {
			t.Errorf("%q: message %q does not name the override", args, errb.String())
		}
	}
}

func TestDevOverrideAppliesAndAnnounces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.yaml")
	if err := os.WriteFile(path, []byte("ports: {sip_udp: 40001, stun_primary: 40002}\nssdp_addr: 127.0.0.1:40010\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := loadDevOverride(path)
	if err != nil {
		t.Fatal(err)
	}
	std, _, errb := testStdio()
	ports, env := checks.DefaultPorts(), checks.SystemEnv("test")
	if err := applyDevOverride(f, path, "check", &ports, env, std, content.En); err != nil {
		t.Fatal(err)
	}
	if ports.SIPUDP != 40001 || ports.STUNPrimary != 40002 || ports.Web != 8000 || env.SSDPAddr != "127.0.0.1:40010" {
		t.Errorf("ports %+v ssdp %s", ports, env.SSDPAddr)
	}
	if !strings.Contains(errb.String(), "developer override") {
		t.Errorf("an overridden run was not announced: %q", errb.String())
	}
	// Without the flag nothing changes and nothing is said.
	none, err := loadDevOverride("")
	if none != nil || err != nil {
		t.Fatalf("no flag: %v %v", none, err)
	}
	std2, _, errb2 := testStdio()
	ports2 := checks.DefaultPorts()
	if err := applyDevOverride(nil, "", "check", &ports2, nil, std2, content.En); err != nil || ports2 != checks.DefaultPorts() || errb2.Len() != 0 {
		t.Errorf("no override changed something: %+v %q", ports2, errb2.String())
	}
}
