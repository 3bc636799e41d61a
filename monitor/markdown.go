package monitor

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
)

// WriteMarkdown writes the record as a page a person reads at a glance: the
// totals, a text sparkline per chartMeasure (and the SVG chart svgName beside
// it), the events with the page's remedies, and a table of every window.
func (r *Record) WriteMarkdown(w io.Writer, lang content.Lang, svgName string) error {
	c := content.MustLoad()
	b := bufio.NewWriter(w)
	T := func(ja, en string) string { return content.T(ja, en).In(lang) }
	fmt.Fprintf(b, "# biztel-doctor monitor — %s\n\n", r.Started.Format("2006-01-02 15:04:05 MST"))
	if r.Simulated != "" {
		fmt.Fprintf(b, "> %s\n\n", T("デモ: 模擬サイトの記録です。実際のネットワークの結果ではありません。",
			"Demo: a simulated site's record, not a real network's."))
	}
	s := r.Summary
	fmt.Fprintf(b, "| %s | %s |\n|---|---|\n", T("項目", "item"), T("値", "value"))
	fmt.Fprintf(b, "| %s | %s |\n", T("見守った時間", "watched for"), r.Duration.Round(1e9))
	fmt.Fprintf(b, "| %s | %d × %gs |\n", T("窓", "windows"), s.Windows, r.Window.Seconds())
	fmt.Fprintf(b, "| %s | %.2f%% (%d / %d) |\n", T("損失（全体）", "loss (overall)"), s.LossPct, s.Sent-s.Received, s.Sent)
	fmt.Fprintf(b, "| %s | %s |\n", T("最低の推定 MOS", "lowest estimated MOS"), optNum(s.MOSMin))
	fmt.Fprintf(b, "| %s | %s |\n", T("計測方法", "method"), MethodLabel(r.Method, lang))
	fmt.Fprintf(b, "| %s | %s |\n\n", T("中断", "interrupted"), map[bool]string{true: T("はい", "yes"), false: T("いいえ", "no")}[r.Interrupted])

	fmt.Fprintf(b, "## %s\n\n", T("推移", "Over time"))
	if svgName != "" {
		fmt.Fprintf(b, "![%s](%s)\n\n", T("損失・ジッタ・往復遅延の推移", "loss, jitter and RTT over time"), svgName)
	}
	fmt.Fprintf(b, "```\n")
	for _, m := range measures(lang) {
		vals := m.values(r.Windows)
		fmt.Fprintf(b, "%-8s %s  max %s\n", m.label, Sparkline(vals), fmtMax(vals, m.unit))
	}
	fmt.Fprintf(b, "```\n\n")

	fmt.Fprintf(b, "## %s\n\n", T("イベント", "Events"))
	if len(r.Events) == 0 {
		fmt.Fprintf(b, "%s\n\n", T("イベントはありませんでした。", "No event."))
	} else {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", T("種類", "kind"), T("開始", "start"),
			T("秒", "seconds"), T("内容", "what"), T("対処", "remedies"))
		for _, e := range r.Events {
			var rem []string
			for _, id := range e.Remedies {
				if rm, ok := c.Remedy(id); ok {
					rem = append(rem, rm.Title.In(lang))
				}
			}
			secs := fmt.Sprintf("%.1f", e.Seconds)
			if e.Ongoing {
				secs += T("（継続中）", " (ongoing)")
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", KindLabel(e.Kind, lang), e.Start.Format("15:04:05"), secs,
				cell(e.Summary.In(lang)), cell(strings.Join(rem, "; ")))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(b, "## %s\n\n", T("窓ごとの計測", "Windows"))
	fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | MOS | %s | SIP |\n|---|---|---|---|---|---|---|---|---|---|\n",
		T("開始", "start"), T("方法", "method"), T("送信", "sent"), T("受信", "received"), T("損失", "loss"),
		T("ジッタ", "jitter"), T("往復", "RTT"), T("品質", "quality"))
	for _, x := range r.Windows {
		sip := "—"
		if x.SIPOK != nil {
			sip = map[bool]string{true: "ok", false: T("無応答", "no answer")}[*x.SIPOK]
		}
		fmt.Fprintf(b, "| %s | %s | %d | %d | %.1f%% | %s | %s | %s | %s | %s |\n", x.Start.Format("15:04:05"),
			MethodLabel(x.Method, lang), x.Sent, x.Received, x.LossPct, optMs(x.JitterMs), optMs(x.RTTMs), optNum(x.MOS), x.Quality, sip)
	}
	return b.Flush()
}

func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }

// chartMeasure is one charted figure of a window (NaN when not measured).
type chartMeasure struct {
	label, unit string
	values      func([]Window) []float64
}

func measures(lang content.Lang) []chartMeasure {
	pick := func(f func(Window) *float64) func([]Window) []float64 {
		return func(ws []Window) []float64 {
			out := make([]float64, len(ws))
			for i, w := range ws {
				out[i] = math.NaN()
				if v := f(w); v != nil {
					out[i] = *v
				}
			}
			return out
		}
	}
	return []chartMeasure{
		{content.T("損失", "loss").In(lang), "%", pick(func(w Window) *float64 { return &w.LossPct })},
		{content.T("ジッタ", "jitter").In(lang), " ms", pick(func(w Window) *float64 { return w.JitterMs })},
		{content.T("往復", "RTT").In(lang), " ms", pick(func(w Window) *float64 { return w.RTTMs })},
	}
}

// Sparkline draws values as block characters scaled to their maximum; a
// value not measured is a space.
func Sparkline(vals []float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	runes := []rune(bars)
	hi := 0.0
	for _, v := range vals {
		if !math.IsNaN(v) {
			hi = max(hi, v)
		}
	}
	var b strings.Builder
	for _, v := range vals {
		switch {
		case math.IsNaN(v):
			b.WriteRune(' ')
		case hi <= 0:
			b.WriteRune(runes[0])
		default:
			b.WriteRune(runes[min(int(v/hi*float64(len(runes)-1)+0.5), len(runes)-1)])
		}
	}
	return b.String()
}

func fmtMax(vals []float64, unit string) string {
	hi := math.NaN()
	for _, v := range vals {
		if !math.IsNaN(v) && (math.IsNaN(hi) || v > hi) {
			hi = v
		}
	}
	if math.IsNaN(hi) {
		return "—"
	}
	return fmtFloat(hi) + unit
}
