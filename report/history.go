package report

import (
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// HistoryLine is one verify run of a checklist item for people:
// "前回 NG → 今回 OK 23:09:06" (local time of the machine that ran it).
func HistoryLine(v Verification, lang content.Lang, c *content.Content) string {
	word := func(s checks.Status) string {
		if s == "" {
			return c.Label("report.history.none", lang)
		}
		return strings.Trim(s.Symbol(), "[]")
	}
	return content.Fill(c.Label("report.history.line", lang), map[string]string{
		"before": word(v.Before), "after": word(v.After), "time": v.At.Local().Format("15:04:05")})
}
