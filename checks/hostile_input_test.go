package checks

import (
	"os"
	"path/filepath"
	"testing"
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
	got, err := hostsEntries(hosts, mgmtHost)
	if err != nil || joinAddrs(got) != "10.0.0.10" {
		t.Errorf("hostsEntries = %v, %v; want only 10.0.0.10", got, err)
	}
	if got := printableHead([]byte("\x00\x01SIP\xff"), 60); got != `"\x00\x01SIP\xff"` {
		t.Errorf("printableHead = %s", got)
	}
	if got := clip(string([]rune("あいうえお")[0:5]) + string(make([]byte, 200))); len([]rune(got)) > 121 {
		t.Errorf("clip kept %d runes", len([]rune(got)))
	}
}
