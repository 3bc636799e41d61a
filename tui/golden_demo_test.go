package tui

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// demoDriver replays a recorded demo scenario: the demo's site, its
// results from the fixture, the demo badge; no fake server runs.
func demoDriver(t *testing.T, sc string, lang content.Lang) *driver {
	t.Helper()
	fx := loadDemoFixture(t, sc)
	results := map[string]checks.Result{}
	for _, r := range fx.Results {
		results[r.ID] = r
	}
	m := New(Config{Lang: lang, NoColor: true, Profile: fx.Profile, Runner: fakeRunner(results), Env: &checks.Env{},
		Demo: true, DemoScenario: sc, Version: "test", OutDir: "/srv/reports", Now: func() time.Time { return fixedNow },
		NextDemo: func() (Config, error) { return Config{}, errors.New("goldens do not switch") }, NextDemoScenario: otherDemo(sc)}) // the s key as demo has it
	return newDriverFor(t, m, 0)
}

// TestGoldenDemoScreens pins every step of both demo scenarios, ja and
// en, at 80×24, symptom-first and full review, plus the ? screen, the end
// of the findings, 60×20 and the too-small screen.
// go test ./tui -run GoldenDemo -update rewrites testdata/demo/*.golden.
func TestGoldenDemoScreens(t *testing.T) {
	for _, sc := range []string{"problems", "healthy"} {
		for _, lang := range []content.Lang{content.Ja, content.En} {
			d := demoDriver(t, sc, lang)
			name := func(n string) string { return filepath.Join("demo", sc+"_"+string(lang)+"_"+n) }
			golden(t, name("1_start"), d.screen())
			d.press("pgdown", "pgdown") // the plan's middle: the reflector's rows, the widest protocol names
			golden(t, name("1_start_plan"), d.screen())
			d.press("end") // the plan's end: the checks that will not run, and why
			golden(t, name("1_start_end"), d.screen())
			d.press("2")
			golden(t, name("2_site"), d.screen())
			d.press("3", "b")
			golden(t, name("3_ways_symptom"), d.screen())
			d.press("enter") // symptom B first
			golden(t, name("4_tree_symptom"), d.screen())
			d.press("5")
			golden(t, name("5_checks_symptom"), d.screen())
			d.press("3", "up", "up", "up", "up", "up", "up", "up", "up", "up") // back to the full review
			for !strings.Contains(d.screen(), "> "+d.m.sh.L("ways.full")) {
				d.press("up")
			}
			d.press("enter")
			golden(t, name("4_tree"), d.screen())
			d.press("5")
			golden(t, name("5_checks"), d.screen())
			d.press("d")
			golden(t, name("5_checks_detail"), d.screen())
			d.press("esc", "6")
			golden(t, name("6_findings"), d.screen())
			d.press("end")
			golden(t, name("6_findings_end"), d.screen())
			d.press("?")
			golden(t, name("6_help"), d.screen())
			d.press("esc", "7")
			golden(t, name("7_config"), d.screen())
			d.press("8")
			golden(t, name("8_export"), d.screen())
			d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
			d.press("6")
			golden(t, name("6_findings_60x20"), d.screen())
			d.send(tea.WindowSizeMsg{Width: 59, Height: 19})
			golden(t, name("too_small"), d.screen())
		}
	}
}

// TestGoldenLinesAreNotCut: no golden screen has a line ending in ".."
// (text cut at the edge; a summary or a reason must wrap whole), nor a
// column cut short inside a line.
func TestGoldenLinesAreNotCut(t *testing.T) {
	files := goldenFiles(t)
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for i, l := range strings.Split(string(data), "\n") {
			if strings.HasSuffix(strings.TrimRight(l, " "), "..") || cutInside.MatchString(l) {
				t.Errorf("%s:%d cut: %q", f, i+1, l)
			}
		}
	}
}

// cutInside is a column cut short inside a line ("biztel-doct.. 127.0.0.3"
// in the plan's protocol column); ".. " after a space is the rung legend.
var cutInside = regexp.MustCompile(`[^\s.]\.\.\s`)

func goldenFiles(t *testing.T) []string {
	t.Helper()
	a, _ := filepath.Glob("testdata/*.golden")
	b, _ := filepath.Glob("testdata/demo/*.golden")
	files := append(a, b...)
	if len(files) < 40 {
		t.Fatalf("only %d golden files: run go test ./tui -run Golden -update", len(files))
	}
	return files
}

// TestGoldenScreensKeepToOneLanguage: Japanese screens have no English
// words and English screens no Japanese, apart from the allow-list:
// status tags, product, protocol and vendor names, key caps, units,
// addresses and ids inside device commands. Step 7's command lines are the
// device's language and are not scanned.
func TestGoldenScreensKeepToOneLanguage(t *testing.T) {
	for _, f := range goldenFiles(t) {
		data, _ := os.ReadFile(f)
		ja := strings.Contains(f, "_ja")
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(f, "7_config") && !strings.HasPrefix(strings.TrimSpace(l), "#") && i > 2 {
				continue // a device command
			}
			if strings.Contains(f, "7_config") {
				l = configIDs.ReplaceAllString(l, "")
			}
			if strings.Contains(f, "_help") && supportIDLine.MatchString(l) {
				continue // the ? screen's ids for support, shown there by design
			}
			if bad := otherLanguage(l, ja, strings.Contains(f, "7_config")); len(bad) > 0 {
				t.Errorf("%s:%d: %v in %q", f, i+1, bad, l)
			}
		}
	}
}

var (
	// supportIDLine is a line of the ? screen's ids for support
	// ("  tls-intercepted: sip.tls, sip.wss, web.8000").
	supportIDLine = regexp.MustCompile(`^\s+[a-z0-9.-]+: [a-z0-9., _-]+$`)
	// configIDs are "[sip-alg-off]" and "(出典: voip-alg)" in step 7's comments
	configIDs = regexp.MustCompile(`\[[a-z0-9,-]+\]|出典: [a-z0-9-]+|\((source|出典): [a-z0-9-]+\)`)
	asciiWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_./:@+-]*`)
	japanese  = regexp.MustCompile(`[\p{Han}\p{Hiragana}\p{Katakana}ー]+`)
)

// allowedInJa are the ASCII words a Japanese screen may show.
var allowedInJa = strings.Fields(`BIZTEL biztel doctor SIP UDP TCP RTP SRTP STUN NAT TLS SSL WSS HTTPS HTTP DNS FTPS FTP
NTP UPnP IPv4 IPv6 VPN WebRTC uniConnect ALG QoS PC LAN WAN IP MOS RTT MSS CGNAT IPoE MAP-E DS-Lite OK NG ms kbps Mbps
PgUp PgDn PgUp/PgDn Home End Home/End Enter Esc Esc/? Tab Shift Shift+Tab Ctrl Ctrl+C English JA EN A-H A-I d q y n v r R L w
ADSL CATV SSDP OPTIONS REGISTER INVITE Binding ID URL PAC WPAD UTM FW DSCP ICMP MTU
YAMAHA RTX NVR NEC UNIVERGE IX Fortinet FortiGate FortiOS Palo Alto PAN-OS Cisco IOS ASA Juniper SRX SonicWall SonicOS
pfSense OPNsense MikroTik RouterOS nftables Linux Rev GUI CLI SIP-ALG SIP-NAT Application Override
TLS/TCP SIP/TLS SIP/WSS RTP/SRTP HTTPS/WSS Apple Android iOS OS DL Markdown JSON RST Networks IOS-XE
biztel-doctor UTC RFC PPPoE transix over IN any Contact Content-Length From To Via c= o=
test TTL SAN AUTH PASV EPSV PBSZ PROT WebSocket received rport stratum sip-alg-detector
SDP sip Fragmented traffic block-frag fragment chain reassembly`) // the last line: devices' own setting names (allow-ip-fragments)

// allowedInConfigJa are the device's own words that step 7's Japanese
// comments quote (feature and command names), and the bracketed rule ids
// and source ids that tie a block to the page and to its vendor document.
var allowedInConfigJa = strings.Fields(`proxy kernel helper session session-helper show system name sip config npu and later
edit next end set`)

// allowedInEn are the Japanese words an English screen may show: the
// names of the contract papers, and the language key's label.
var allowedInEn = []string{"ご利用案内", "サービスご紹介資料", "日本語"}

func otherLanguage(line string, ja, config bool) []string {
	var bad []string
	if ja {
		for _, w := range asciiWord.FindAllString(line, -1) {
			w = strings.TrimRight(w, ".:/-")
			if strings.ContainsAny(w, "0123456789._@/:") && !slices.Contains(allowedInJa, w) {
				continue // addresses, host names, ports, file paths, versions
			}
			if len(w) < 2 && !slices.Contains(allowedInJa, w) {
				continue
			}
			if config && (strings.Contains(w, "-") || slices.Contains(allowedInConfigJa, w)) {
				continue // a device command or a source id, quoted in a comment
			}
			if !slices.Contains(allowedInJa, w) {
				bad = append(bad, w)
			}
		}
		return bad
	}
	for _, w := range japanese.FindAllString(line, -1) {
		if !slices.ContainsFunc(allowedInEn, func(a string) bool { return strings.Contains(a, w) }) {
			bad = append(bad, w)
		}
	}
	return bad
}
