package monitor

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// KindLabel is an event kind's name in lang.
func KindLabel(k Kind, lang content.Lang) string { return tx("monitor.kind." + string(k)).In(lang) }

// MethodLabel is a method's name in lang.
func MethodLabel(m Method, lang content.Lang) string {
	return tx("monitor.method." + string(m)).In(lang)
}

// WindowLine is the CLI's line for a finished window.
func WindowLine(w Window, lang content.Lang) string {
	sip := tx("monitor.line.sip.none")
	if w.SIPOK != nil {
		sip = map[bool]content.Text{true: tx("monitor.line.sip.ok"), false: tx("monitor.line.sip.no")}[*w.SIPOK]
	}
	return fmt.Sprintf("%s  %s %5.1f%%  %s %s  %s %s  MOS %s  %s  %s",
		w.Start.Local().Format("15:04:05"),
		tx("monitor.loss").In(lang), w.LossPct,
		tx("monitor.jitter").In(lang), optMs(w.JitterMs),
		tx("monitor.rtt").In(lang), optMs(w.RTTMs),
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
	events := tx("monitor.line.noevent").In(lang)
	if len(parts) > 0 {
		events = strings.Join(parts, tx("monitor.line.sep").In(lang))
	}
	return tx("monitor.line.summary", "duration", r.Duration.Round(time.Second).String(), "windows", strconv.Itoa(r.Summary.Windows),
		"loss", strconv.FormatFloat(r.Summary.LossPct, 'f', 2, 64), "events", events).In(lang)
}
