#!/usr/bin/env python3
"""Time from starting a TUI to its first frame on a pseudo-terminal.

usage: first_frame.py [-n RUNS] [--marker TEXT] -- COMMAND [ARGS...]

Starts COMMAND on a fresh 120x40 pseudo-terminal, reads the terminal
output, strips ANSI escape sequences and stops the clock when MARKER
appears (default: the first 20 printable characters, i.e. the first frame
that draws text). Answers nothing to terminal queries, like a slow terminal
would not: a program that waits for answers shows it here. Prints min,
median and p90 in milliseconds; exits 1 if a run never drew a frame.
"""
import argparse
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]")
FRAME_TIMEOUT = 5.0  # seconds: far beyond the 100 ms goal, short enough to fail fast


def once(argv, marker):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=env)
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - start < FRAME_TIMEOUT:
            r, _, _ = select.select([master], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            text = ANSI.sub(b"", seen).decode("utf-8", "replace")
            printable = "".join(c for c in text if c.isprintable() and not c.isspace())
            if (marker and marker in text) or (not marker and len(printable) >= 20):
                elapsed = time.perf_counter() - start
                break
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        os.close(master)
    return elapsed, ANSI.sub(b"", seen).decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--marker", default="")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    times = []
    for _ in range(a.n):
        t, screen = once(cmd, a.marker)
        if t is None:
            print("no frame within %.0f s; the terminal showed:\n%s" % (FRAME_TIMEOUT, screen[-2000:]), file=sys.stderr)
            sys.exit(1)
        times.append(t * 1000)
    times.sort()
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    print("first_frame_ms min=%.1f median=%.1f p90=%.1f runs=%d" % (times[0], statistics.median(times), p90, len(times)))


if __name__ == "__main__":
    main()
