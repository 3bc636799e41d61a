package main

import (
	"os"

	"golang.org/x/term"
)

func systemStdio() stdio {
	return stdio{
		in: os.Stdin, out: os.Stdout, err: os.Stderr, getenv: os.Getenv,
		isTerminal: func() bool {
			return term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
		},
		errTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
		colorOut: func() bool {
			return term.IsTerminal(int(os.Stdout.Fd())) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
		},
	}
}
