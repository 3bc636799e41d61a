package monitor

import (
	"fmt"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// kindName is each event kind's label.
var kindName = map[Kind]content.Text{
	KindOutage:    content.T("途切れ", "outage"),
	KindQuality:   content.T("品質低下", "quality"),
	KindMapping:   content.T("NAT 対応付けの変化", "NAT mapping"),
	KindSIP:       content.T("SIP 無応答", "SIP"),
	KindLink:      content.T("回線の変化", "link"),
	KindReflector: content.T("リフレクタ停止", "reflector"),
	KindGap:       content.T("計測の空白", "gap"),
}

// KindLabel is an event kind's name in lang.
func KindLabel(k Kind, lang content.Lang) string { return kindName[k].In(lang) }

var methodName = map[Method]content.Text{
	MethodReflector: content.T("リフレクタ", "reflector"),
	MethodSTUN:      content.T("STUN（簡易）", "STUN (weaker)"),
}

// MethodLabel is a method's name in lang.
func MethodLabel(m Method, lang content.Lang) string { return methodName[m].In(lang) }

// WindowLine is the CLI's line for a finished window.
func WindowLine(w Window, lang content.Lang) string {
	sip := content.T("SIP —", "SIP —")
	if w.SIPOK != nil {
		sip = map[bool]content.Text{true: content.T("SIP 応答あり", "SIP ok"), false: content.T("SIP 無応答", "SIP no answer")}[*w.SIPOK]
	}
	return fmt.Sprintf("%s  %s %5.1f%%  %s %s  %s %s  MOS %s  %s  %s",
		w.Start.Local().Format("15:04:05"),
		content.T("損失", "loss").In(lang), w.LossPct,
		content.T("ジッタ", "jitter").In(lang), optMs(w.JitterMs),
		content.T("往復", "RTT").In(lang), optMs(w.RTTMs),
		optNum(w.MOS), sip.In(lang), MethodLabel(w.Method, lang))
}

// EventLine is the CLI's line for a new event.
func EventLine(e Event, lang content.Lang) string {
	return fmt.Sprintf("  ! %s %s: %s", e.Start.Local().Format("15:04:05"), KindLabel(e.Kind, lang), e.Summary.In(lang))
}

// SummaryLine closes a run on the CLI.
func SummaryLine(r *Record, lang content.Lang) string {
	var parts []string
	for _, k := range Kinds() {
		if n := r.Summary.Events[string(k)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", KindLabel(k, lang), n))
		}
	}
	events := content.T("イベントなし", "no event").In(lang)
	if len(parts) > 0 {
		events = strings.Join(parts, content.T("、", ", ").In(lang))
	}
	return content.Tf("%s 見守りました: 窓 %d、損失 %.2f%%、%s", "watched for %s: %d windows, loss %.2f%%, %s",
		r.Duration.Round(time.Second), r.Summary.Windows, r.Summary.LossPct, events).In(lang)
}
