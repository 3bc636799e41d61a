package probe_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/biztel-tools/biztel-doctor/"

// allowedDeps are the packages of this module that a probe or hostinfo may
// import: codecs and leaf helpers that import nothing of the engine.
var allowedDeps = []string{
	"checks/stunmsg",
	"serve/wire",
	"internal/neterr",
	"internal/lazyregexp",
}

// TestLayeredImports: hostinfo and every package under probe/ import
// nothing of the engine (checks, content, report, …), on every OS the tool
// supports, so measuring never grows a judgement or a phrase.
func TestLayeredImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	for _, goos := range []string{"linux", "windows", "darwin"} {
		cmd := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}} <- {{join .Imports \" \"}}", "../hostinfo", "./...")
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOOS=%s go list: %v", goos, err)
		}
		importers := map[string][]string{} // package → who imports it
		var pkgs []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			pkg, imports, _ := strings.Cut(line, " <- ")
			pkgs = append(pkgs, pkg)
			for _, imp := range strings.Fields(imports) {
				importers[imp] = append(importers[imp], pkg)
			}
		}
		for _, pkg := range pkgs {
			if strings.HasPrefix(pkg, module) && !allowed(strings.TrimPrefix(pkg, module)) {
				t.Errorf("GOOS=%s: %s must not be a dependency of hostinfo or probe/… (imported by %s)", goos, pkg, strings.Join(importers[pkg], ", "))
			}
		}
	}
}

func allowed(rel string) bool {
	if rel == "hostinfo" || rel == "probe" || strings.HasPrefix(rel, "probe/") {
		return true
	}
	for _, a := range allowedDeps {
		if rel == a {
			return true
		}
	}
	return false
}
