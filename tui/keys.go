package tui

import (
	"charm.land/bubbles/v2/key"

	"github.com/biztel-tools/biztel-doctor/content"
)

// keyMap is every key of the app, with help texts in the current language.
// The help bar is built from it.
type keyMap struct {
	Quit, Help, Lang, Jump     key.Binding
	Up, Down, Left, Right      key.Binding
	Enter, Back, Tick, Verify  key.Binding
	Toggle                     key.Binding
	Next, Prev, PageUp, PageDn key.Binding
	Yes, No, Rerun, RerunAll   key.Binding
	DemoFix                    key.Binding
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
		Up:       b("up", L("key.move"), "up", "k"),
		Down:     b("down", L("key.move"), "down", "j"),
		Left:     b("left", L("key.back"), "left", "h"),
		Right:    b("right", L("key.next"), "right", "l"),
		Enter:    b("enter", L("key.select"), "enter"),
		Back:     b("esc", L("key.back"), "esc"),
		Tick:     b("space", L("key.tick"), "space"),
		Verify:   b("v", L("key.verify"), "v"),
		Toggle:   b("space", L("key.toggle"), "space"),
		Next:     b("tab", L("key.move"), "tab"),
		Prev:     b("shift+tab", L("key.move"), "shift+tab"),
		PageUp:   b("pgup", L("key.scroll"), "pgup"),
		PageDn:   b("pgdown", L("key.scroll"), "pgdown"),
		Rerun:    b("r", L("key.rerun"), "r"),
		RerunAll: b("R", L("key.rerun.all"), "R"),
		DemoFix:  b("f", L("key.demofix"), "f"),
		Yes:      b("y", "yes", "y", "Y"),
		No:       b("n", "no", "n", "N", "esc"),
	}
}

// helpKeys adapts a screen's bindings to the help bubble.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

// global bindings shown on every screen.
func (k keyMap) global() []key.Binding { return []key.Binding{k.Jump, k.Lang, k.Help, k.Quit} }
