package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		name, in string
		w        int
		want     []string
	}{
		{"english at spaces", "the quick brown fox jumps", 10, []string{"the quick", "brown fox", "jumps"}},
		{"ascii words inside japanese stay whole", "根拠: jitter_down_ms=0.12  loss_pct=0", 25,
			[]string{"根拠: jitter_down_ms=0.12", "loss_pct=0"}},
		{"japanese between any two characters", "要件を満たしているかを確認します", 10,
			[]string{"要件を満た", "しているか", "を確認しま", "す"}},
		{"no long-vowel mark at a line's start", "あいうえおサーバ", 12, []string{"あいうえお", "サーバ"}},
		{"no closing bracket at a line's start", "brochure 「サービスご紹介資料」.", 10,
			[]string{"brochure", "「サービス", "ご紹介資", "料」."}},
		{"two closing marks in a row go down with the word before them", "ab有線・VPN）、プロキシ", 13,
			[]string{"ab有線・", "VPN）、プロキ", "シ"}},
		{"no opening bracket at a line's end", "abcdefg 「サ」", 10, []string{"abcdefg", "「サ」"}},
		{"a word longer than the line is cut", "http://127.0.0.1:45695/rootDesc.xml", 20,
			[]string{"http://127.0.0.1:456", "95/rootDesc.xml"}},
		{"lines kept", "one\ntwo", 10, []string{"one", "two"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := wrap(c.in, c.w)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
			}
			for _, l := range got {
				if ansi.StringWidth(l) > c.w {
					t.Errorf("line %q is wider than %d", l, c.w)
				}
			}
		})
	}
}
