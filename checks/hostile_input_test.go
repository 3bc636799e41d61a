package checks

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/biztel-tools/biztel-doctor/probe/resolve"
)

// TestHostileFiles: malformed hosts files and route tables are read without
// panicking and without inventing entries.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts")
	content := "\x00\xff garbage\n# only a comment\n10.0.0.10\n999.1.1.1 " + mgmtHost + "\n::1 " + mgmtHost + "\n10.0.0.10 other " + mgmtHost + ". # trailing dot\n"
	if err := os.WriteFile(hosts, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := resolve.HostsEntries(hosts, mgmtHost)
	if err != nil || joinAddrs(got) != "10.0.0.10" {
		t.Errorf("resolve.HostsEntries = %v, %v; want only 10.0.0.10", got, err)
	}
}
