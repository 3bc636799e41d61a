package main

import (
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
)

// hangupInput is the terminal the app reads keys from. A read that finds
// the terminal gone — EIO or end of file — calls gone once: the window was
// closed but no SIGHUP reached this process (a parent shell that traps it
// and stays), so the app would otherwise run on, unseen, with its results
// unsaved. gone ends the app as SIGHUP does: it saves the report and exits.
// It keeps the *os.File (its Fd) so the terminal is still set to raw mode.
type hangupInput struct {
	*os.File
	gone func()
	once sync.Once
}

func (h *hangupInput) Read(p []byte) (int, error) {
	n, err := h.File.Read(p)
	if n == 0 && terminalGone(err) {
		h.once.Do(h.gone)
	}
	return n, err
}

// terminalGone reports whether a read error means the terminal is gone (a
// raw-mode terminal never reads end of file otherwise: Ctrl-D is a byte).
func terminalGone(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO)
}

// watchHangup wraps the input when it is a terminal file; anything else
// (a test's reader) is returned as it is.
func watchHangup(in io.Reader, isTerminal bool, gone func()) io.Reader {
	f, ok := in.(*os.File)
	if !ok || !isTerminal {
		return in
	}
	return &hangupInput{File: f, gone: gone}
}
