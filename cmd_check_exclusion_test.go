package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

// noProxyHost is a PC with a wired default route and no proxy: net.proxy
// passes on it, whatever this machine's settings.
type noProxyHost struct{}

func (noProxyHost) DefaultRoute() (string, bool, error) { return "eth0", false, nil }
func (noProxyHost) LinkKind(string) (string, map[string]string, error) {
	return "wired", nil, nil
}
func (noProxyHost) ProxySettings() (map[string]string, error) { return map[string]string{}, nil }

// withLocalOnlyEnv makes check's environment the fake PC above, with an
// empty process environment.
func withLocalOnlyEnv(t *testing.T) {
	t.Helper()
	old := newCheckEnv
	t.Cleanup(func() { newCheckEnv = old })
	newCheckEnv = func(v string) *checks.Env {
		env := checks.SystemEnv(v)
		env.Host = noProxyHost{}
		env.Getenv = func(string) string { return "" }
		return env
	}
}

type jsonCheckRow struct {
	ID, Status, Summary string
	SkippedBecause      string `json:"skipped_because"`
}

// runCheckJSON runs check with args and returns the exit status and the
// validated JSON report's checks by id.
func runCheckJSON(t *testing.T, lang string, args ...string) (int, map[string]jsonCheckRow, []string) {
	t.Helper()
	args = append([]string{"check", "--server", "127.0.0.1", "--format", "json", "--lang", lang}, args...)
	code, tio := runCLI(t, args...)
	if err := reporttest.ValidateJSON(tio.out.Bytes()); err != nil {
		t.Fatalf("%v: %v\n%s\nstderr %s", args, err, tio.out.String(), tio.err.String())
	}
	var doc struct {
		Checks []jsonCheckRow `json:"checks"`
	}
	if err := json.Unmarshal(tio.out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	byID := map[string]jsonCheckRow{}
	var order []string
	for _, c := range doc.Checks {
		byID[c.ID] = c
		order = append(order, c.ID)
	}
	return code, byID, order
}

// Every check of the catalog is in the report: those --skip, --only and a
// missing --long leave out are skips naming the flag, in the report's
// language; they are no finding (exit 0 when what ran passed).
func TestCheckReportsWhatTheFlagsLeftOut(t *testing.T) {
	withLocalOnlyEnv(t)
	catalog := checks.IDs()
	var skipAllBut []string
	for _, id := range catalog {
		if id != "net.proxy" && id != "nat.timer" {
			skipAllBut = append(skipAllBut, id)
		}
	}
	want := map[string]map[string]string{ // lang → flag → summary
		"ja": {"--skip": "--skip で除外されました", "--only": "この実行では選ばれていないため除外されました（--only）",
			"--long": "長時間の確認のため --long のときだけ実行します"},
		"en": {"--skip": "excluded with --skip", "--only": "excluded: not selected for this run (--only)",
			"--long": "a long check: runs only with --long"},
	}
	for _, lang := range []string{"ja", "en"} {
		// --skip everything but net.proxy and nat.timer: nat.timer skips for
		// want of --long
		code, got, order := runCheckJSON(t, lang, "--skip", strings.Join(skipAllBut, ","))
		if code != exitOK {
			t.Errorf("%s --skip: exit %d, want 0 (net.proxy passes, the rest are skips)", lang, code)
		}
		if len(order) != len(content.MustLoad().Checks) {
			t.Errorf("%s --skip: %d checks in the report, want the whole catalog", lang, len(order))
		}
		if r := got["net.proxy"]; r.Status != "pass" {
			t.Errorf("%s: net.proxy %+v, want pass", lang, r)
		}
		if r := got["nat.timer"]; r.Status != "skip" || r.SkippedBecause != "--long" || r.Summary != want[lang]["--long"] {
			t.Errorf("%s: nat.timer %+v", lang, r)
		}
		for _, id := range skipAllBut {
			if r := got[id]; r.Status != "skip" || r.SkippedBecause != "--skip" || r.Summary != want[lang]["--skip"] {
				t.Errorf("%s: %s %+v, want skip with --skip", lang, id, r)
			}
		}

		// --only net.proxy: the other 20 are excluded by --only
		code, got, order = runCheckJSON(t, lang, "--only", "net.proxy")
		if code != exitOK || len(order) != len(catalog) {
			t.Errorf("%s --only: exit %d, %d checks", lang, code, len(order))
		}
		for _, id := range catalog {
			r := got[id]
			if id == "net.proxy" {
				if r.Status != "pass" {
					t.Errorf("%s --only: net.proxy %+v", lang, r)
				}
				continue
			}
			if r.Status != "skip" || r.SkippedBecause != "--only" || r.Summary != want[lang]["--only"] {
				t.Errorf("%s --only: %s %+v", lang, id, r)
			}
		}
	}
}

// The text report shows the exclusions too, and the summary says how many
// of the skips the flags asked for.
func TestCheckTextNamesExclusions(t *testing.T) {
	withLocalOnlyEnv(t)
	code, tio := runCLI(t, "check", "--server", "127.0.0.1", "--only", "net.proxy", "--skip", "net.link", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, tio.err.String())
	}
	out := tio.out.String()
	for _, s := range []string{"[--] net.link         skip  excluded with --skip", "[--] nat.timer        skip  excluded: not selected for this run (--only)",
		"skip 20 (of which excluded by --skip / --only / --long 20)"} {
		if !strings.Contains(out, s) {
			t.Errorf("text lacks %q:\n%s", s, out)
		}
	}
}

// plan lists what the flags leave out, in every format.
func TestPlanListsExclusions(t *testing.T) {
	code, tio := runCLI(t, "plan", "--server", "127.0.0.1", "--only", "sip.udp", "--lang", "en", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, tio.err.String())
	}
	var doc struct {
		Excluded map[string]string `json:"excluded"`
	}
	if err := json.Unmarshal(tio.out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Excluded["web.8000"] != "excluded: not selected for this run (--only)" || doc.Excluded["sip.udp"] != "" {
		t.Errorf("plan excluded %v", doc.Excluded)
	}
	code, tio = runCLI(t, "plan", "--server", "127.0.0.1", "--skip", "web.8000")
	if code != exitOK || !strings.Contains(tio.out.String(), "実行時の指定で除外する確認") ||
		!strings.Contains(tio.out.String(), "web.8000       --skip で除外されました") {
		t.Errorf("exit %d, plan text:\n%s", code, tio.out.String())
	}
}
