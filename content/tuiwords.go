package content

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TUIStep is a remedy step as the TUI says it: the ui text
// "tui.remedy.<id>.steps.<i>" when there is one (the command line's
// wording names a command or a flag, the TUI's the step and key that do
// it), else the step itself.
func (c *Content) TUIStep(remedy string, i int, step Text) Text {
	if t, ok := c.UI["tui.remedy."+remedy+".steps."+strconv.Itoa(i)]; ok {
		return t
	}
	return step
}

// validateTUIWords: every tui.remedy key names a real remedy step and
// uses that step's placeholders.
func (c *Content) validateTUIWords() []error {
	var errs []error
	for k, t := range c.UI {
		rest, ok := strings.CutPrefix(k, "tui.remedy.")
		if !ok {
			continue
		}
		id, idx, ok := strings.Cut(rest, ".steps.")
		i, err := strconv.Atoi(idx)
		r, found := c.Remedy(id)
		switch {
		case !ok || err != nil:
			errs = append(errs, fmt.Errorf("ui[%s]: expected tui.remedy.<id>.steps.<index>", k))
		case !found:
			errs = append(errs, fmt.Errorf("ui[%s]: unknown remedy %q", k, id))
		case i < 0 || i >= len(r.Steps):
			errs = append(errs, fmt.Errorf("ui[%s]: remedy %s has %d steps", k, id, len(r.Steps)))
		default:
			want := sortedCopy(append(Placeholders(r.Steps[i].Ja), Placeholders(r.Steps[i].En)...))
			for _, s := range []string{t.Ja, t.En} {
				if got := sortedCopy(Placeholders(s)); !slices.Equal(got, want) {
					errs = append(errs, fmt.Errorf("ui[%s]: placeholders %v, the step has %v", k, got, want))
				}
			}
		}
	}
	return errs
}
