package profile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
)

var errBadPort = errors.New("bad port")

// Error is a profile problem: the field, the line in the file when known, and
// what is expected, in both languages. The CLI prints Message in the user's
// language and exits 2; the TUI shows it beside the field.
type Error struct {
	File    string       // profile file, "" for a flag
	Line    int          // 1-based line in File, 0 when unknown
	Field   string       // dotted key, e.g. "stun.servers[1]", or a flag "--server"
	Message content.Text // what is wrong and what to do
}

func (e *Error) Error() string { return e.In(content.En) }

// In renders the error in lang, as one line.
func (e *Error) In(lang content.Lang) string {
	where := "profile"
	switch {
	case e.File == "" && strings.HasPrefix(e.Field, "--"):
		return fmt.Sprintf("%s: %s", e.Field, e.Message.In(lang))
	case e.File != "" && e.Line > 0:
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	case e.File != "":
		where = e.File
	}
	return fmt.Sprintf("%s: %s: %s", where, e.Field, e.Message.In(lang))
}

func fieldErr(field string, ja, en string, args ...any) *Error {
	return &Error{Field: field, Message: content.Tf(ja, en, args...)}
}
