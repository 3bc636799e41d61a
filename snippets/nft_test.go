package snippets

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// nftCheckTimeout bounds one "nft -c" run; a parse of a few dozen rules takes
// milliseconds, so a hang means something is wrong, not slow.
const nftCheckTimeout = 20 * time.Second

// existingRuleset stands in for the operator's ruleset the snippet inserts
// into (the Debian default "table inet filter"), with a drop policy.
const existingRuleset = `table inet filter {
	chain forward { type filter hook forward priority filter; policy drop; }
}
`

// The nftables output is checked by the real parser and kernel, inside a
// network namespace this test creates and removes, so the host's ruleset is
// never touched ("nft -c" also applies nothing).
func TestNftablesOutputPassesNftCheck(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace for nft -c (run as root or via .ci/run)")
	}
	nft, err := exec.LookPath("nft")
	if err != nil {
		t.Skip("nft not installed (apt-get install nftables)")
	}
	ipCmd, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("ip (iproute2) not installed")
	}
	ns := fmt.Sprintf("bzsnip-%d", os.Getpid())
	if out, err := exec.Command(ipCmd, "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("cannot create network namespace %s: %v: %s", ns, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(ipCmd, "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("removing namespace %s: %v: %s", ns, err, out)
		}
	})
	dir := t.TempDir()
	for _, s := range sites() {
		for _, lang := range []content.Lang{content.En, content.Ja} {
			p := s.p
			out, err := Render("nftables", &p, lang)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, s.name+"_"+string(lang)+".nft")
			if err := os.WriteFile(file, []byte(existingRuleset+out), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), nftCheckTimeout)
			res, err := exec.CommandContext(ctx, ipCmd, "netns", "exec", ns, nft, "-c", "-f", file).CombinedOutput()
			cancel()
			if err != nil {
				t.Errorf("nft -c -f rejects the %s/%s snippet: %v\n%s", s.name, lang, err, res)
			}
		}
	}
}
