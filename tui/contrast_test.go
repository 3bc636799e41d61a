package tui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// sgr finds the parameters of SGR sequences ("\x1b[...m").
var sgr = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// TestNoDimOrDarkGreyText: with colour on, no frame of any step uses faint
// text (SGR 2) or a grey darker than the default foreground (the help
// bubble's 237/239 used to): on a compressed screen share those are lost.
func TestNoDimOrDarkGreyText(t *testing.T) {
	fx := loadDemoFixture(t, "problems")
	results := map[string]checks.Result{}
	for _, r := range fx.Results {
		results[r.ID] = r
	}
	for _, lang := range []content.Lang{content.Ja, content.En} {
		m := New(Config{Lang: lang, Profile: fx.Profile, Runner: fakeRunner(results), Env: &checks.Env{},
			Demo: true, DemoScenario: "problems", Version: "test", OutDir: t.TempDir(), Now: func() time.Time { return fixedNow }})
		d := newDriverFor(t, m, 0)
		d.press("5", "enter")
		for s := screenStart; s < screenCount; s++ {
			d.press(string(rune('1' + s)))
			if s == screenSite {
				d.press("esc")
			}
			for _, frame := range []string{d.m.View().Content, func() string { d.press("?"); defer d.press("esc"); return d.m.View().Content }()} {
				for _, match := range sgr.FindAllStringSubmatch(frame, -1) {
					if bad := lowContrast(match[1]); bad != "" {
						t.Errorf("%s step %d: %s in %q", lang, s+1, bad, match[0])
					}
				}
			}
		}
	}
}

// lowContrast names what is unreadable in one SGR parameter list: faint,
// a 256-colour grey 232-245, or a truecolour grey darker than #808080.
func lowContrast(params string) string {
	p := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == "2":
			return "faint text"
		case (p[i] == "38" || p[i] == "48") && i+2 < len(p) && p[i+1] == "5":
			if n, _ := strconv.Atoi(p[i+2]); n >= 232 && n <= 245 {
				return "dark grey"
			}
			i += 2
		case (p[i] == "38" || p[i] == "48") && i+4 < len(p) && p[i+1] == "2":
			r, _ := strconv.Atoi(p[i+2])
			g, _ := strconv.Atoi(p[i+3])
			b, _ := strconv.Atoi(p[i+4])
			if r == g && g == b && r < 128 && p[i] == "38" {
				return "dark grey"
			}
			i += 4
		}
	}
	return ""
}
