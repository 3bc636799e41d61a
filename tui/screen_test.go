package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestTooSmallTerminalSaysSo: below 60×20 the frame is one clear message
// naming the size needed, not a broken layout; q still quits.
func TestTooSmallTerminalSaysSo(t *testing.T) {
	for _, size := range [][2]int{{59, 24}, {80, 19}, {40, 10}} {
		d := newDriver(t, content.En, testProfile(false), nil)
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		d.mustShow("Terminal too small: 60×20 needed", "q: quit")
		d.mustNotShow("1/8")
		d.press("2") // no key acts on a screen nobody sees
		if d.m.screen != screenStart {
			t.Fatalf("%v: a key moved to step %d behind the message", size, d.m.screen+1)
		}
		d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
		d.mustShow("1/8")
	}
}

// TestFooterAlwaysKeepsHelpAndQuit: on every step, in both languages, at
// 60 and 80 columns, the footer ends with "? help | q quit" (lower
// hints are dropped first), and is never cut with "..".
func TestFooterAlwaysKeepsHelpAndQuit(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		for _, w := range []int{60, 80} {
			d := newDriver(t, lang, testProfile(false), manyFaults())
			d.send(tea.WindowSizeMsg{Width: w, Height: 24})
			d.press("5", "enter")
			k := d.m.sh.keys
			want := footerItem(k.Help) + " | " + footerItem(k.Quit)
			for s := screenStart; s < screenCount; s++ {
				d.press(string(rune('1' + s)))
				if s == screenSite {
					d.press("esc") // an empty field may take the keys
				}
				lines := strings.Split(d.screen(), "\n")
				last := strings.TrimRight(lines[len(lines)-1], " ")
				if !strings.HasSuffix(last, want) || strings.HasSuffix(last, "..") {
					t.Errorf("%s %d cols step %d: footer %q does not end with %q", lang, w, s+1, last, want)
				}
			}
		}
	}
}

// TestLongFindingsScrollWithPosition: with six findings the checklist is
// below the screen: a position line says so, End shows the last item, Home
// the top again, PgDn/PgUp move a page.
func TestLongFindingsScrollWithPosition(t *testing.T) {
	d := newDriver(t, content.Ja, testProfile(false), manyFaults())
	d.press("5", "enter", "enter")
	d.mustShow("原因ごとの結果", "↓ あと", "行")
	items := d.m.sh.report().Checklist
	d.press("end")
	d.mustShow("> " + itoa(len(items)) + ". [ ] " + items[len(items)-1].Title.Ja[:9])
	d.mustShow("↑ 上に")
	d.press("home")
	d.mustShow("原因ごとの結果")
	d.mustNotShow("↑ 上に")
	d.press("pgdown")
	d.mustShow("↑ 上に")
	d.press("pgup")
	d.mustNotShow("↑ 上に")
}

// TestEveryListSaysWhereItIs: the live list of twenty checks at 80×24 does
// not fit under its detail pane: a line says which rows show and how many
// are below; Home/End/PgDn move the cursor.
func TestEveryListSaysWhereItIs(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), manyFaults())
	d.press("5", "enter")
	d.mustShow("lines 1–", "more")
	d.press("end")
	d.mustShow("> [")
	if d.m.live.cur != len(d.m.live.list())-1 {
		t.Fatalf("End put the cursor on %d of %d", d.m.live.cur, len(d.m.live.list()))
	}
	d.press("home")
	if d.m.live.cur != 0 {
		t.Fatalf("Home put the cursor on %d", d.m.live.cur)
	}
	d.press("pgdown")
	if d.m.live.cur == 0 {
		t.Fatal("PgDn did not move")
	}
}

// TestSymptomLettersArePressable: the letters A-H shown beside the
// symptoms put the cursor on that symptom (Enter starts it).
func TestSymptomLettersArePressable(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("3", "c")
	sy := d.m.sh.c.Symptoms()[2]
	d.mustShow("> C. " + sy.Title.En)
	d.press("A")
	d.mustShow("> A. ")
	d.press("enter")
	if d.m.sh.ses.Symptom != d.m.sh.c.Symptoms()[0].ID {
		t.Fatalf("Enter after A started %q", d.m.sh.ses.Symptom)
	}
}

// TestDetailPaneShowsWholeSummary: a long failure reason wraps whole in
// the detail pane (it used to be cut with ".." at any width), and d shows
// everything, facts with labels, on a screen of its own.
func TestDetailPaneShowsWholeSummary(t *testing.T) {
	long := "SIP OPTIONS に 4 回送っても応答がありません。UDP 5060 の送信が塞がれているか、サーバが応答していません。ファイアウォールの LAN→WAN ① を確認してください。"
	res := manyFaults()
	r := res["sip.udp"]
	r.Summary = content.T(long, long)
	res["sip.udp"] = r
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		d := newDriver(t, content.Ja, testProfile(false), res)
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		d.press("5", "enter")
		for d.m.live.list()[d.m.live.cur] != "sip.udp" {
			d.press("down")
		}
		d.mustShow("を確認してください。")
		for _, l := range strings.Split(d.screen(), "\n") {
			if strings.HasSuffix(strings.TrimSpace(l), "..") {
				t.Errorf("%v: line cut: %q", size, l)
			}
		}
		d.press("d")
		d.mustShow("(sip.udp)", "を確認してください。")
		d.press("esc")
		d.mustShow("5/8")
	}
}
