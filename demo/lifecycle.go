package demo

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

// lifecycle lets demo reuse the loopback fakes of checks/checktest (written
// for tests: each takes a checktest.TB for clean-up and failure) in the
// binary. It records clean-ups to run on Close and turns a fatal set-up
// error into an error from Start.
type lifecycle struct {
	mu       sync.Mutex
	cleanups []func()
	err      error
}

// the fakes take this
var _ checktest.TB = (*lifecycle)(nil)

// errSetup is the panic a Fatal raises inside Start's set-up; Start
// recovers it and returns the recorded error.
var errSetup = errors.New("demo: set-up failed")

func (l *lifecycle) Helper()      {}
func (l *lifecycle) Name() string { return "biztel-doctor-demo" }
func (l *lifecycle) Cleanup(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cleanups = append(l.cleanups, f)
}
func (l *lifecycle) Log(args ...any)                 {}
func (l *lifecycle) Logf(format string, args ...any) {}
func (l *lifecycle) Error(args ...any)               { l.fail(fmt.Sprint(args...)) }
func (l *lifecycle) Errorf(format string, args ...any) {
	l.fail(fmt.Sprintf(format, args...))
}
func (l *lifecycle) Fatal(args ...any) { l.fail(fmt.Sprint(args...)); panic(errSetup) }
func (l *lifecycle) Fatalf(format string, args ...any) {
	l.fail(fmt.Sprintf(format, args...))
	panic(errSetup)
}
func (l *lifecycle) FailNow() { panic(errSetup) }
func (l *lifecycle) Failed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err != nil
}
func (l *lifecycle) TempDir() string {
	dir, err := os.MkdirTemp("", "biztel-doctor-demo-")
	if err != nil {
		l.Fatal(err)
	}
	l.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func (l *lifecycle) fail(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = errors.New("demo: " + msg)
	}
}

// close runs the clean-ups, last first.
func (l *lifecycle) close() {
	l.mu.Lock()
	fs := l.cleanups
	l.cleanups = nil
	l.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
