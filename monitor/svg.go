package monitor

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
)

// SVG chart geometry: one strip per chartMeasure, windows left to right.
const (
	svgWidth  = 800
	svgStrip  = 110
	svgLeft   = 90
	svgRight  = 20
	svgTop    = 30
	svgStripH = 80
)

// WriteSVG draws loss, jitter and RTT per window as three strips, with
// outages shaded, for the Markdown page and anyone opening the file.
func (r *Record) WriteSVG(w io.Writer, lang content.Lang) error {
	b := bufio.NewWriter(w)
	charts := measures(lang)
	height := svgTop + len(charts)*svgStrip
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		svgWidth, height, svgWidth, height)
	fmt.Fprintf(b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(b, `<text x="%d" y="18" font-size="14">%s</text>`+"\n", svgLeft,
		html.EscapeString(content.Tf("biztel-doctor monitor %s（網掛け: 途切れ）", "biztel-doctor monitor %s (shaded: outages)",
			r.Started.Format("2006-01-02 15:04")).In(lang)))
	n := len(r.Windows)
	plotW := float64(svgWidth - svgLeft - svgRight)
	x := func(i float64) float64 { return svgLeft + plotW*i/math.Max(float64(n), 1) }
	for k, m := range charts {
		top := float64(svgTop + k*svgStrip)
		vals := m.values(r.Windows)
		hi := 0.0
		for _, v := range vals {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
			}
		}
		if hi == 0 {
			hi = 1
		}
		fmt.Fprintf(b, `<rect x="%d" y="%.0f" width="%.0f" height="%d" fill="none" stroke="#ccc"/>`+"\n", svgLeft, top, plotW, svgStripH)
		fmt.Fprintf(b, `<text x="4" y="%.0f">%s</text><text x="4" y="%.0f" fill="#666">max %s</text>`+"\n",
			top+20, html.EscapeString(m.label), top+36, html.EscapeString(fmtFloat(hi)+m.unit))
		r.shadeOutages(b, top, x)
		var pts []string
		for i, v := range vals {
			if math.IsNaN(v) {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(i)+0.5), top+svgStripH-v/hi*(svgStripH-4)))
		}
		if len(pts) > 0 {
			fmt.Fprintf(b, `<polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="%s"/>`+"\n", joinSpace(pts))
		}
	}
	b.WriteString("</svg>\n")
	return b.Flush()
}

// shadeOutages shades the windows an outage overlapped.
func (r *Record) shadeOutages(b *bufio.Writer, top float64, x func(float64) float64) {
	for _, e := range r.Events {
		if e.Kind != KindOutage {
			continue
		}
		for i, w := range r.Windows {
			end := w.Start.Add(secondsDur(w.Seconds))
			if w.Start.Before(e.End) && end.After(e.Start) {
				fmt.Fprintf(b, `<rect x="%.1f" y="%.0f" width="%.1f" height="%d" fill="#f85149" fill-opacity="0.2"/>`+"\n",
					x(float64(i)), top, x(float64(i+1))-x(float64(i)), svgStripH)
			}
		}
	}
}

func joinSpace(ss []string) string { return strings.Join(ss, " ") }
