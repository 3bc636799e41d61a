package tui

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"gopkg.in/yaml.v3"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// siteModel is step 2: load a profile file or fill the fields; every edit
// is validated with the CLI's messages, shown beside the field; the site
// can be saved as a profile file.
type siteModel struct {
	sh     *shared
	inputs []textinput.Model // one per siteField with an input
	focus  int               // index into siteFields
	option int               // option under the cursor on the options row
	opts   map[string]bool
	base   profile.Profile // loaded values the form does not show (ntp, reflector, pins …)
	err    *profile.Error
	note   content.Text // last load/save outcome, in both languages (L may switch after)
	// editing: the field under the cursor takes the keys (letters, digits,
	// ? …); Esc leaves it, then the global keys work again.
	editing bool
}

// siteField is one row of the form.
type siteField struct {
	label string // ui key
	field string // profile field prefix its errors name
}

var siteFields = []siteField{
	{"site.load", ""},
	{"site.server_host", "server.host"},
	{"site.server_ip", "server.ip"},
	{"site.vpn_ip", "server.vpn_ip"},
	{"site.stun", "stun"},
	{"site.recording", "recording"},
	{"site.channels", "channels"},
	{"site.options", "options"},
	{"site.save", ""},
}

const (
	fieldLoad     = 0
	fieldOptions  = 7
	fieldSave     = 8
	siteLabelCols = 20
)

type (
	profileLoadedMsg struct {
		path string
		p    *profile.Profile
		err  error
	}
	profileSavedMsg struct {
		path string
		err  error
	}
)

func newSite(sh *shared) siteModel {
	m := siteModel{sh: sh, opts: map[string]bool{}}
	for range siteFields {
		ti := newInput("")
		ti.CharLimit = 256
		m.inputs = append(m.inputs, ti)
	}
	m.inputs[fieldLoad].SetValue(sh.cfg.ProfilePath)
	m.inputs[fieldSave].SetValue("biztel-site.yaml")
	p := sh.ses.Profile
	if p == nil {
		p = &profile.Profile{}
	}
	m.fill(p)
	m.validate()
	if sh.cfg.Demo {
		m.note = sh.text("site.demo.readonly")
	}
	return m
}

// demoFixed reports whether the focused field is one the demo keeps
// read-only: the addresses and the profile to load. The demo is a closed
// world; an address typed here would send live checks off this PC.
func (m siteModel) demoFixed() bool {
	return m.sh.cfg.Demo && m.focus != fieldOptions && m.focus != fieldSave
}

// fill puts a profile into the form.
func (m *siteModel) fill(p *profile.Profile) {
	m.base = *p
	m.inputs[1].SetValue(p.Server.Host)
	m.inputs[2].SetValue(p.Server.IP)
	m.inputs[3].SetValue(p.Server.VPNIP)
	m.inputs[4].SetValue(strings.Join(p.STUN.Servers, ", "))
	m.inputs[5].SetValue(p.Recording.Addr())
	ch := ""
	if p.Channels > 0 {
		ch = strconv.Itoa(p.Channels)
	}
	m.inputs[6].SetValue(ch)
	for _, o := range content.AllOptions {
		m.opts[o] = p.Option(o)
	}
}

// build reads the form into a profile.
func (m siteModel) build() (*profile.Profile, *profile.Error) {
	p := m.base
	v := func(i int) string { return strings.TrimSpace(m.inputs[i].Value()) }
	p.Server = profile.Server{Host: v(1), IP: v(2), VPNIP: v(3)}
	p.STUN.Servers = nil
	for _, s := range strings.Split(v(4), ",") {
		if s = strings.TrimSpace(s); s != "" {
			p.STUN.Servers = append(p.STUN.Servers, s)
		}
	}
	p.Recording = profile.Endpoint{}
	if r := v(5); r != "" {
		if net := strings.Trim(r, "0123456789."); net == "" {
			p.Recording.IP = r
		} else {
			p.Recording.Host = r
		}
	}
	p.Channels = 0
	if c := v(6); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			return nil, &profile.Error{Field: "channels", Message: content.Tf("%q は数値ではありません（例 10）", "%q is not a number (e.g. 10)", c)}
		}
		p.Channels = n
	}
	b := func(o string) *bool { x := m.opts[o]; return &x }
	p.Options = profile.Options{Encryption: b(content.OptEncryption), WebRTC: b(content.OptWebRTC), Hardphone: b(content.OptHardphone),
		RecordingDownload: b(content.OptRecordingDownload), UniConnect: b(content.OptUniConnect)}
	if err := p.Validate(); err != nil {
		var pe *profile.Error
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, &profile.Error{Field: "profile", Message: content.T(err.Error(), err.Error())}
	}
	return &p, nil
}

// validate rebuilds the profile; a valid one becomes the session's site.
func (m *siteModel) validate() {
	p, err := m.build()
	m.err = err
	if err == nil {
		if m.sh.ses.Profile != nil {
			p.Vendor = m.sh.ses.Profile.Vendor // picked in the tree
		}
		m.sh.ses.Profile = p
		m.sh.exported = false
	}
}

func (m siteModel) capturing() bool { return m.editing && m.focus != fieldOptions }

// enter is called when the step is shown: an empty form is for typing, a
// filled one (a profile, the demo) for looking at first.
func (m *siteModel) enter() tea.Cmd {
	m.editing = m.sh.ses.Profile == nil
	return m.focusInput()
}

func (m *siteModel) focusInput() tea.Cmd {
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
	if m.focus == fieldOptions || !m.editing {
		return nil
	}
	return m.inputs[m.focus].Focus()
}

func (m siteModel) keys() []key.Binding {
	k := m.sh.keys
	switch {
	case m.editing && m.focus != fieldOptions:
		return []key.Binding{k.Leave, k.Next, k.Enter}
	case m.focus == fieldOptions:
		return []key.Binding{k.Up, k.Left, k.Toggle, k.Enter, k.Back}
	}
	return []key.Binding{k.Edit, k.Up, k.Next, k.Back}
}

func (m siteModel) update(msg tea.Msg) (siteModel, tea.Cmd) {
	switch msg := msg.(type) {
	case profileLoadedMsg:
		if m.sh.cfg.Demo {
			return m, nil // never in the demo: its site is fixed
		}
		if msg.err != nil {
			// the form keeps its own state; the file's problem is a note
			m.note = m.loadProblem(msg.path, msg.err)
			return m, nil
		}
		m.fill(msg.p)
		m.validate()
		m.note = m.sh.text("site.loaded", "path", msg.path)
		return m, nil
	case profileSavedMsg:
		m.note = m.sh.text("site.saved", "path", msg.path)
		if msg.err != nil {
			m.note = content.T(msg.err.Error(), msg.err.Error())
		}
		return m, nil
	case tea.KeyPressMsg:
		if m2, cmd, done := m.key(msg); done {
			return m2, cmd
		}
	}
	if m.focus == fieldOptions {
		return m, nil
	}
	if _, typed := msg.(tea.KeyPressMsg); typed && m.demoFixed() {
		m.note = m.sh.text("site.demo.readonly")
		return m, nil
	}
	if _, pasted := msg.(tea.PasteMsg); pasted && m.demoFixed() {
		m.note = m.sh.text("site.demo.readonly")
		return m, nil
	}
	var cmd tea.Cmd
	before := m.inputs[m.focus].Value()
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	if m.focus != fieldLoad && m.focus != fieldSave && m.inputs[m.focus].Value() != before {
		m.validate()
	}
	return m, cmd
}

// key handles a key press on the form; done false: the key goes on to the
// field under the cursor.
func (m siteModel) key(msg tea.KeyPressMsg) (siteModel, tea.Cmd, bool) {
	k := m.sh.keys
	// arrows and tab only: the letter aliases (j, k) are text here
	switch s := msg.String(); {
	case s == "down" || key.Matches(msg, k.Next):
		m.focus = (m.focus + 1) % len(siteFields)
		return m, m.focusCmd(), true
	case s == "up" || key.Matches(msg, k.Prev):
		m.focus = (m.focus + len(siteFields) - 1) % len(siteFields)
		return m, m.focusCmd(), true
	case key.Matches(msg, k.Back) && m.capturing():
		m.editing = false // leave the field: the global keys work again
		return m, m.focusCmd(), true
	case key.Matches(msg, k.Back):
		return m, goTo(screenStart), true
	case key.Matches(msg, k.Enter) && !m.editing && m.focus != fieldOptions && m.focus != fieldLoad && m.focus != fieldSave:
		m.editing = true
		return m, m.focusCmd(), true
	case key.Matches(msg, k.Enter):
		m, cmd := m.enterKey()
		return m, cmd, true
	}
	if m.focus == fieldOptions {
		return m.optionKey(msg), nil, true
	}
	if !m.editing {
		if msg.Text == "" && msg.Code != tea.KeyBackspace && msg.Code != tea.KeyDelete {
			return m, nil, true // a key with no text (arrows …) does not start typing
		}
		m.editing = true // typing starts editing the field under the cursor
		cmd := m.focusCmd()
		m2, cmd2 := m.update(msg)
		return m2, tea.Batch(cmd, cmd2), true
	}
	return m, nil, false
}

func (m *siteModel) focusCmd() tea.Cmd { return m.focusInput() }

func (m siteModel) enterKey() (siteModel, tea.Cmd) {
	switch m.focus {
	case fieldLoad:
		if m.sh.cfg.Demo {
			m.note = m.sh.text("site.demo.readonly")
			m.focus++
			return m, m.focusCmd()
		}
		if path := strings.TrimSpace(m.inputs[fieldLoad].Value()); path != "" {
			return m, loadProfile(path)
		}
		if !m.editing {
			m.editing = true
			return m, m.focusCmd()
		}
		m.focus++
		return m, m.focusCmd()
	case fieldSave:
		if m.err != nil || m.sh.ses.Profile == nil {
			return m, nil
		}
		return m, saveProfile(strings.TrimSpace(m.inputs[fieldSave].Value()), m.sh.ses.Profile)
	case fieldOptions:
		if m.err == nil && m.sh.ses.Profile != nil {
			return m, goTo(screenWays)
		}
		return m, nil
	}
	m.focus++
	return m, m.focusCmd()
}

func (m siteModel) optionKey(msg tea.KeyPressMsg) siteModel {
	k := m.sh.keys
	switch {
	case key.Matches(msg, k.Left):
		m.option = (m.option + len(content.AllOptions) - 1) % len(content.AllOptions)
	case key.Matches(msg, k.Right):
		m.option = (m.option + 1) % len(content.AllOptions)
	case key.Matches(msg, k.Toggle):
		o := content.AllOptions[m.option]
		m.opts[o] = !m.opts[o]
		m.validate()
	}
	return m
}

// loadProblem words a profile file that did not load for the form: in
// the user's language, naming the file and not the CLI's --profile flag.
// What was typed stays in the form.
func (m siteModel) loadProblem(path string, err error) content.Text {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return m.sh.text("site.load.missing", "path", path)
	case errors.Is(err, fs.ErrPermission):
		return m.sh.text("site.load.denied", "path", path)
	}
	var pe *profile.Error
	if errors.As(err, &pe) && pe.Field == "--profile" { // the file itself, not a field in it
		return content.T(path+": "+pe.Message.Ja, path+": "+pe.Message.En)
	}
	if pe != nil {
		return content.T(pe.In(content.Ja), pe.In(content.En))
	}
	return m.sh.text("site.load.failed", "path", path, "err", err.Error())
}

func loadProfile(path string) tea.Cmd {
	return func() tea.Msg {
		if _, err := os.Stat(path); err != nil { // missing or unreadable: said in the user's words
			return profileLoadedMsg{path: path, err: err}
		}
		p, err := profile.Load(path)
		if err == nil {
			err = p.Validate()
		}
		return profileLoadedMsg{path: path, p: p, err: err}
	}
}

func saveProfile(path string, p *profile.Profile) tea.Cmd {
	return func() tea.Msg {
		data, err := yaml.Marshal(p)
		if err == nil {
			err = os.WriteFile(path, data, 0o600) // may hold FTPS credentials
		}
		return profileSavedMsg{path: path, err: err}
	}
}

// view is the form; on a short screen a window that follows the field
// under the cursor, with where it is (at 60×20 the options and the hint
// went under the frame unseen).
func (m siteModel) view() string {
	lines, focusAt := m.formLines()
	h := m.sh.bodyHeight()
	if len(lines) <= h {
		return strings.Join(lines, "\n")
	}
	h = max(h-1, 1)
	shown, off := window(lines, follow(0, focusAt, h), h)
	pos := m.sh.st.bold.Render(m.sh.positionWords(off, len(shown), len(lines)))
	return strings.Join(append(append([]string{}, shown...), pos), "\n")
}

// formLines are the form's lines and the index of the focused field's last.
func (m siteModel) formLines() ([]string, int) {
	sh := m.sh
	w := sh.bodyWidth()
	focusAt := 0
	lines := wrap(sh.L("site.intro"), w)
	for i, f := range siteFields {
		marker := "  "
		switch {
		case i == m.focus && m.capturing():
			marker = "* " // typing into this field
		case i == m.focus:
			marker = "> "
		}
		label := pad(sh.L(f.label), siteLabelCols)
		if i == fieldOptions {
			lines = append(lines, marker+label)
			for _, l := range packParts(m.optionParts(), " ", w-3) {
				lines = append(lines, "   "+l)
			}
		} else {
			m.inputs[i].SetWidth(w - siteLabelCols - 4)
			lines = append(lines, marker+label+" "+m.inputs[i].View())
		}
		if i == m.focus {
			focusAt = len(lines) - 1
		}
		if m.err != nil && f.field != "" && strings.HasPrefix(m.err.Field, f.field) {
			lines = append(lines, styled(sh.st.err, hang(strings.Repeat(" ", siteLabelCols+3), sh.siteWords(m.err.Message.In(sh.lang)), w))...)
		}
	}
	lines = append(lines, "")
	switch {
	case m.err != nil && !m.errShown():
		lines = append(lines, styled(sh.st.err, wrap(m.formError(), w))...)
	case m.err == nil:
		lines = append(lines, sh.st.ok.Render(sh.L("site.ok")))
	}
	if note := m.note.In(sh.lang); note != "" {
		lines = append(lines, wrap(note, w)...)
	}
	hint := sh.L("site.hint")
	switch {
	case m.focus == fieldOptions: // left/right pick an option: not guessable
		hint = sh.L("site.hint.options")
	case m.capturing():
		hint = sh.L("site.hint.editing")
	}
	lines = append(lines, wrap(hint, w)...)
	return lines, focusAt
}

// errShown reports whether the error is shown beside a field of the form.
func (m siteModel) errShown() bool {
	for _, f := range siteFields {
		if f.field != "" && strings.HasPrefix(m.err.Field, f.field) {
			return true
		}
	}
	return false
}

// optionParts are the options row's boxes, the one under the cursor marked.
func (m siteModel) optionParts() []string {
	var parts []string
	for i, o := range content.AllOptions {
		box := "[ ]"
		if m.opts[o] {
			box = "[x]"
		}
		s := box + " " + m.sh.L("site.opt."+o)
		if m.focus == fieldOptions && i == m.option {
			// marked, not only reversed: reads without colour or attributes too
			parts = append(parts, ">"+m.sh.st.cursor.Render(s))
			continue
		}
		parts = append(parts, " "+s)
	}
	return parts
}

// formError is an error no field shows, in the form's words: the fields'
// labels, not the profile's keys ("server.host"), nor the Go prefix
// "profile: server:"; the file and line when it came from a loaded file.
func (m *siteModel) formError() string {
	msg := m.sh.siteWords(m.err.Message.In(m.sh.lang))
	switch {
	case m.err.File != "" && m.err.Line > 0:
		return m.err.File + ":" + itoa(m.err.Line) + ": " + msg
	case m.err.File != "":
		return m.err.File + ": " + msg
	}
	return msg
}

// siteWords replaces the profile keys a message names with the form's
// labels in quotes (the keys the form has a field for).
func (sh *shared) siteWords(s string) string {
	for _, f := range siteFields {
		if strings.Contains(f.field, ".") {
			q := "「" + sh.L(f.label) + "」"
			if sh.lang == content.En {
				q = "“" + sh.L(f.label) + "”"
			}
			s = strings.ReplaceAll(s, f.field, q)
		}
	}
	return s
}
