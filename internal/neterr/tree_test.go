package neterr

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// errnoUse is a comparison with a Unix errno or a Winsock code by name.
var errnoUse = regexp.MustCompile(`\b(?:syscall|unix)\.(E[A-Z0-9]+)\b|\bwindows\.(WSAE[A-Z0-9]+)\b`)

// notNetwork are errnos that say nothing about the network (a retried
// system call), so the classifier has no class for them.
// ENOSPC is the disk (a report that cannot be written), not the network; on
// Windows it does not match ERROR_DISK_FULL and the OS text is shown instead.
// EIO is a terminal that is gone (cmd_tui_hangup.go), not a socket.
var notNetwork = map[string]bool{"EINTR": true, "EAGAIN": true, "ENOSPC": true, "EIO": true}

// TestNoErrnoComparisonsOutsideClassifier: every network error outside
// this package goes through Classify, because syscall.E… never matches the
// WSA codes of Windows. Tests that build errnos and the namespace bed
// (netlab/, Linux only) may keep theirs.
func TestNoErrnoComparisonsOutsideClassifier(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "internal/neterr" || rel == "netlab" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(data), "\n") {
			code := strings.TrimSpace(line)
			if strings.HasPrefix(code, "//") {
				continue
			}
			for _, m := range errnoUse.FindAllStringSubmatchIndex(code, -1) {
				name := code[m[0]:m[1]]
				name = name[strings.LastIndex(name, ".")+1:]
				if !notNetwork[name] && isComparison(code, m[0]) {
					t.Errorf("%s:%d: %s: use neterr.Classify", rel, i+1, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d Go files seen: the walk missed the tree", checked)
	}
}

// isComparison: the name at code[at:] is compared (errors.Is, ==, != or a
// case clause just before it), not passed as a flag such as unix.EPOLLIN.
func isComparison(code string, at int) bool {
	before := code[max(0, at-48):at]
	return strings.HasPrefix(code, "case ") || strings.Contains(before, "errors.Is(") ||
		strings.Contains(before, "==") || strings.Contains(before, "!=")
}
