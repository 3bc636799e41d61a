package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// FactValue is an evidence value as people read it, in lang: yes/no for
// booleans, whole numbers without an exponent (a report read back from
// JSON holds float64), enumerated words from content's table of fact
// values (content.FactValue), a list item by item; values quoted as
// received stay raw. The TUI's detail pane, the viewer and the Markdown
// show this; the JSON keeps the raw value.
func FactValue(c *content.Content, lang content.Lang, k string, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return c.UI["fact.yes"].In(lang)
		}
		return c.UI["fact.no"].In(lang)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
	case []string:
		v = strings.Join(x, ", ")
	}
	s := checks.FactString(v)
	if s == "" {
		return c.UI["fact.none"].In(lang)
	}
	// a list first, item by item ("loopback 1 shown as 2, loopback 3 …"
	// would match one pattern as a whole); then the whole value
	parts := strings.Split(s, ", ")
	translated := 0
	for i, p := range parts {
		if t, ok := c.FactValue(k, p); ok {
			parts[i] = t.In(lang)
			translated++
		}
	}
	if len(parts) > 1 && translated == len(parts) {
		return strings.Join(parts, c.UI["list.sep"].In(lang))
	}
	if t, ok := c.FactValue(k, s); ok {
		return t.In(lang)
	}
	if translated == 0 {
		return s // quoted as received (names, addresses)
	}
	return strings.Join(parts, c.UI["list.sep"].In(lang))
}
