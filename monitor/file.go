package monitor

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// DefaultFileName is the record's name when none is given:
// biztel-doctor-monitor-<start time>.json, the time in a form every file
// system takes.
func DefaultFileName(start time.Time) string {
	return "biztel-doctor-monitor-" + start.Format("20060102-150405") + ".json"
}

// Beside returns path with its extension replaced by ext (".svg", ".md").
func Beside(path, ext string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ext
}

// WriteFileAtomic writes via render to a temporary file in path's folder
// and renames it over path, so a reader (or a process killed mid-write)
// only ever sees a complete file.
func WriteFileAtomic(path string, render func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := render(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("monitor: %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("monitor: %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("monitor: %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("monitor: %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("monitor: %s: %w", path, err)
	}
	return nil
}

// WriteJSONFile rewrites the record's JSON file atomically.
func (r *Record) WriteJSONFile(path string, lang content.Lang) error {
	return WriteFileAtomic(path, func(w io.Writer) error { return r.WriteJSON(w, lang) })
}
