package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// goreleaserConfig is the part of .goreleaser.yaml the release promises
// depend on (issue 7). Unknown keys are fine here: `goreleaser check`
// validates the whole schema; this test pins our choices without it.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
	Snapshot struct {
		VersionTemplate string `yaml:"version_template"`
	} `yaml:"snapshot"`
}

func loadGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	raw, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if strings.Contains(string(raw), "includes:") {
		t.Error(".goreleaser.yaml has includes: the release config must be self-contained (no remote includes)")
	}
	return cfg
}

func TestGoreleaserConfig(t *testing.T) {
	cfg := loadGoreleaser(t)
	if cfg.Version != 2 {
		t.Errorf("version: %d, want 2 (GoReleaser v2 schema)", cfg.Version)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("builds: %d, want exactly one (the single biztel-doctor binary)", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if b.Binary != "biztel-doctor" || b.Main != "." {
		t.Errorf("build main %q binary %q, want main . binary biztel-doctor", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build env %v lacks CGO_ENABLED=0 (the binary must be static)", b.Env)
	}
	if got := targetsOf(b.Goos, b.Goarch); !slices.Equal(got, releaseTargets) {
		t.Errorf("build targets %v, want %v", got, releaseTargets)
	}

	ld := strings.Join(b.Ldflags, " ")
	for _, want := range []string{"-s", "-w"} {
		if !slices.Contains(strings.Fields(ld), want) {
			t.Errorf("ldflags %q lack %s (binary must be stripped)", ld, want)
		}
	}
	// Every -X must name a variable version.go really has, with the right template.
	stamped := map[string]string{}
	for _, m := range regexp.MustCompile(`-X main\.(\w+)=(\S+)`).FindAllStringSubmatch(ld, -1) {
		stamped[m[1]] = m[2]
	}
	wantStamp := map[string]string{"version": "{{.Version}}", "commit": "{{.Commit}}", "date": "{{.Date}}"}
	for name, tmpl := range wantStamp {
		if stamped[name] != tmpl {
			t.Errorf("ldflags stamp main.%s=%q, want %q", name, stamped[name], tmpl)
		}
	}
	for name := range stamped {
		if _, ok := wantStamp[name]; !ok {
			t.Errorf("ldflags stamp main.%s, which version.go does not declare", name)
		}
	}
	// The variables exist and are empty in a plain build (so buildVersion falls back).
	if version != "" || commit != "" || date != "" {
		t.Errorf("version.go variables are preset (%q, %q, %q); the release must stamp them", version, commit, date)
	}

	if len(cfg.Archives) != 1 {
		t.Fatalf("archives: %d, want 1", len(cfg.Archives))
	}
	a := cfg.Archives[0]
	if !slices.Equal(a.Formats, []string{"tar.gz"}) {
		t.Errorf("archive formats %v, want [tar.gz]", a.Formats)
	}
	var windowsZip bool
	for _, o := range a.FormatOverrides {
		windowsZip = windowsZip || (o.Goos == "windows" && slices.Equal(o.Formats, []string{"zip"}))
	}
	if !windowsZip {
		t.Errorf("archives: no zip override for windows: %+v", a.FormatOverrides)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf("checksum name %q, want checksums.txt", cfg.Checksum.NameTemplate)
	}
	if !strings.Contains(cfg.Snapshot.VersionTemplate, "snapshot") {
		t.Errorf("snapshot version template %q should say snapshot", cfg.Snapshot.VersionTemplate)
	}
}

// releaseTargets are the six platforms a technician's laptop may be.
var releaseTargets = []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}

func targetsOf(goos, goarch []string) []string {
	var out []string
	for _, o := range goos {
		for _, a := range goarch {
			out = append(out, o+"/"+a)
		}
	}
	slices.Sort(out)
	return out
}

// TestCICrossCompilesEveryReleaseTarget keeps .ci/run's cross-compile loop
// and the release matrix the same, so a platform file cannot rot unbuilt.
func TestCICrossCompilesEveryReleaseTarget(t *testing.T) {
	raw, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`for target in ([^;]+);`).FindSubmatch(raw)
	if m == nil {
		t.Fatal(".ci/run: no `for target in …;` cross-compile loop")
	}
	got := strings.Fields(string(m[1]))
	slices.Sort(got)
	if !slices.Equal(got, releaseTargets) {
		t.Errorf(".ci/run cross-compiles %v, release builds %v", got, releaseTargets)
	}
}
