package tui

import (
	"charm.land/bubbles/v2/key"

	"github.com/biztel-tools/biztel-doctor/content"
)

// keyMap is every key of the app, with help texts in the current language.
// The footer and the ? screen are built from it. Key caps are shown the
// way they are printed on a keyboard (↑ ↓ Enter Esc), Space in the user's
// language.
type keyMap struct {
	Quit, Help, Lang, Jump     key.Binding
	Up, Down, Left, Right      key.Binding
	Enter, Back, Tick, Verify  key.Binding
	Toggle                     key.Binding
	Next, Prev, PageUp, PageDn key.Binding
	Home, End, Detail          key.Binding
	Yes, No, Rerun, RerunAll   key.Binding
	Edit, Leave, DemoFix       key.Binding
}

func newKeyMap(c *content.Content, lang content.Lang) keyMap {
	L := func(k string) string { return c.Label(k, lang) }
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Quit:     b("q", L("key.quit"), "q", "ctrl+c"),
		Help:     b("?", L("key.help"), "?"),
		Lang:     b("L", L("key.lang"), "L"),
		Jump:     b("1-8", L("key.jump"), "1", "2", "3", "4", "5", "6", "7", "8"),
		Up:       b("↑↓", L("key.move"), "up", "k"),
		Down:     b("↑↓", L("key.move"), "down", "j"),
		Left:     b("←", L("key.back"), "left", "h"),
		Right:    b("→", L("key.next"), "right", "l"),
		Enter:    b("Enter", L("key.select"), "enter"),
		Back:     b("Esc", L("key.back"), "esc"),
		Tick:     b(L("key.name.space"), L("key.tick"), "space"),
		Verify:   b("v", L("key.verify"), "v"),
		Toggle:   b(L("key.name.space"), L("key.toggle"), "space"),
		Next:     b("Tab", L("key.field"), "tab"),
		Prev:     b("Shift+Tab", L("key.field.prev"), "shift+tab"),
		PageUp:   b("PgUp/PgDn", L("key.scroll"), "pgup"),
		PageDn:   b("PgUp/PgDn", L("key.scroll"), "pgdown"),
		Home:     b("Home/End", L("key.ends"), "home"),
		End:      b("Home/End", L("key.ends"), "end"),
		Detail:   b("d", L("key.detail"), "d"),
		Rerun:    b("r", L("key.rerun"), "r"),
		RerunAll: b("R", L("key.rerun.all"), "R"),
		Edit:     b("Enter", L("key.edit"), "enter"),
		Leave:    b("Esc", L("key.leave"), "esc"),
		DemoFix:  b("f", L("key.demofix"), "f"),
		Yes:      b("y", L("key.yes"), "y", "Y"),
		No:       b("n", L("key.no"), "n", "N", "esc"),
	}
}

// global bindings shown on every screen, in the order the footer drops
// them (the last two, ? and q, are never dropped).
func (k keyMap) global() []key.Binding { return []key.Binding{k.Lang, k.Jump, k.Help, k.Quit} }

// scroll bindings every scrolling screen takes.
func (k keyMap) scroll() []key.Binding { return []key.Binding{k.PageDn, k.Home} }
