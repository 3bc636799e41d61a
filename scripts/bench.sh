#!/usr/bin/env bash
# Reproduces every number in BENCHMARKS.md. Loopback only: every peer is a
# fake from checks/checktest started by the benchsite test binary on
# 127.0.0.0/8, and `check` is pointed at it with the hidden --dev-override.
#
#   scripts/bench.sh            everything (about two minutes)
#   RUNS=10 scripts/bench.sh    more runs per measurement (default 5)
#
# Needs: go, /usr/bin/time (GNU time), python3; for the comparisons
# hyperfine, sipsak, sipp, openssl, curl, turnutils_stunclient (coturn) —
# each comparison is skipped with a note when its tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
B=$PWD/.bench
mkdir -p "$B"
results=$B/results.txt
: > "$results"
say() { echo "$*" | tee -a "$results"; }
have() { command -v "$1" >/dev/null 2>&1; }

say "# biztel-doctor benchmarks $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
say "# machine: $(nproc) CPU, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(go version | cut -d' ' -f3)"
say "# load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== build"
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w -X main.version=bench' -o "$B/biztel-doctor" .
go test -c -o "$B/benchsite" ./internal/benchsite
BIN=$B/biztel-doctor

say ""
say "## binary size (stripped, CGO_ENABLED=0, -trimpath -s -w)"
scripts/cross.sh | tee -a "$results"

site_pid=""
stop_site() { if [ -n "$site_pid" ]; then kill "$site_pid" 2>/dev/null || true; wait "$site_pid" 2>/dev/null || true; site_pid=""; fi; }
trap stop_site EXIT

# start_site MODE: starts the fakes and waits until they wrote their files.
start_site() {
  local dir=$B/$1
  rm -rf "$dir"; mkdir -p "$dir"
  BENCHSITE_MODE=$1 BENCHSITE_DIR=$dir "$B/benchsite" -test.run '^TestServeSite$' -test.timeout 0 >"$dir/site.log" 2>&1 &
  site_pid=$!
  for _ in $(seq 100); do [ -e "$dir/ready" ] && return 0; sleep 0.05; done
  echo "benchsite $1 did not start:"; cat "$dir/site.log"; exit 1
}

# measure_check MODE [SKIP]: RUNS whole runs of check --skip SKIP
# (default media.quality) against a running MODE site.
measure_check() {
  local mode=$1 skip=${2:-media.quality} dir=$B/$1
  [ -e "$dir/ready" ] && [ -n "$site_pid" ] || start_site "$mode"
  mapfile -t flags < "$dir/flags"
  say ""
  say "## check --skip $skip, $mode loopback site ($RUNS runs)"
  say "run wall_s user_s sys_s maxrss_kb exit statuses"
  for i in $(seq "$RUNS"); do
    set +e
    /usr/bin/time -o "$dir/time.$i" -f '%e %U %S %M' \
      "$BIN" check "${flags[@]}" --dev-override "$dir/override.yaml" --skip "$skip" --lang en \
      --format json -o "$dir/report.$i.json" 2>"$dir/stderr.$i"
    code=$?
    set -e
    statuses=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(",".join("%s=%s"%(k,v) for k,v in sorted(r["summary"].items()) if v))' "$dir/report.$i.json" 2>/dev/null || echo "no report")
    say "$i $(tail -n 1 "$dir/time.$i") $code $statuses"
  done
  python3 - "$dir" "$RUNS" <<'PY' | tee -a "$results"
import statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
# GNU time puts "Command exited with non-zero status N" before the numbers
rows = [list(map(float, open(f"{d}/time.{i}").read().split("\n")[-2].split())) for i in range(1, n + 1)]
wall = [r[0] for r in rows]; cpu = [r[1] + r[2] for r in rows]; rss = [r[3] / 1024 for r in rows]
print(f"median wall {statistics.median(wall):.2f} s (max {max(wall):.2f}), median CPU {statistics.median(cpu):.2f} s, peak RSS max {max(rss):.1f} MiB")
PY
  say "per-check durations (run 1, ms):"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("  " + ", ".join("%s %s %d"%(c["id"],c["status"],c.get("duration_ms",0)) for c in r["checks"]))' "$dir/report.1.json" | tee -a "$results" || true
}

measure_check healthy
# media.bandwidth streams N calls x 200 kbps for 1 s when the line clearly
# holds it (5 s otherwise); the same run without it shows what every other
# check costs.
measure_check healthy media.quality,media.bandwidth
# Comparisons need the healthy fakes: run them before stopping the site.
# shellcheck disable=SC1091
source "$B/healthy/peers.env"
mapfile -t flags < "$B/healthy/flags"
OV=(--dev-override "$B/healthy/override.yaml")

say ""
say "## side by side with public tools, same loopback fakes (hyperfine, $((RUNS * 6)) runs, process start included)"
if have hyperfine; then
  hf() { # name, then commands (split on spaces, run without a shell)
    local name=$1 c out code; shift
    for c in "$@"; do # run each once first, so a failing command is seen, not timed blind
      set +e; out=$(timeout 20 $c 2>&1 </dev/null); code=$?; set -e
      say "  once: exit $code: $(printf '%s' "$out" | python3 -c '
import json, sys
raw = sys.stdin.read()
try:
    r = json.loads(raw[raw.index("{"):])
    print(" ".join("%s=%s (check itself %d ms)" % (c["id"], c["status"], c.get("duration_ms", 0)) for c in r["checks"]))
except Exception:
    print(" / ".join(l.strip() for l in raw.strip().splitlines()[-2:])[:160])
') <- ${c%% *}"
    done
    hyperfine -N -i --warmup 2 --runs $((RUNS * 6)) --export-json "$B/hf-$name.json" "$@" >/dev/null 2>"$B/hf-$name.err" || {
      say "$name: hyperfine failed: $(tail -n 3 "$B/hf-$name.err")"; return 0; }
    python3 - "$B/hf-$name.json" <<'PY' | tee -a "$results"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
for x in r:
    cpu = (x["user"] + x["system"]) * 1000
    print(f"  wall median {x['median']*1000:7.1f} ms, min {x['min']*1000:6.1f} ms, CPU {cpu:6.1f} ms  x{x['median']/base:.2f}  {x['command']}")
PY
  }
  only() { echo "$BIN check ${flags[*]} ${OV[*]} --only $1 --format json --lang en"; }
  say "SIP OPTIONS over UDP:"
  cmds=("$(only sip.udp)")
  have sipsak && cmds+=("sipsak -s sip:ping@127.0.0.1:$SIP_PORT")
  have sipp && cmds+=("sipp -sf scripts/bench/sipp_options.xml -m 1 -i 127.0.0.1 -p 0 -nostdin -timeout 3s -timeout_error 127.0.0.1:$SIP_PORT")
  hf sip "${cmds[@]}"
  say "STUN binding:"
  cmds=("$(only stun.3478)")
  have turnutils_stunclient && cmds+=("turnutils_stunclient -p $STUN_PORT 127.0.0.1")
  hf stun "${cmds[@]}"
  say "TLS handshake (SIP/TLS port):"
  cmds=("$(only sip.tls)")
  have openssl && cmds+=("openssl s_client -connect 127.0.0.1:$SIPTLS_PORT -servername $TLS_NAME -CAfile $B/healthy/ca.pem -verify_return_error -brief -no_ign_eof")
  hf tls "${cmds[@]}"
  say "HTTPS on the web port:"
  cmds=("$(only web.8000)")
  have curl && cmds+=("curl -s -o /dev/null --cacert $B/healthy/ca.pem --resolve $TLS_NAME:$WEB_PORT:127.0.0.1 https://$TLS_NAME:$WEB_PORT/")
  hf https "${cmds[@]}"
else
  say "hyperfine not installed (apt-get install hyperfine): comparisons skipped"
fi
stop_site

measure_check blackhole
stop_site

say ""
say "## check --skip media.quality, healthy namespace bed (netlab: real daemons, nftables router; $RUNS runs)"
if [ "$(id -u)" = 0 ]; then
  BIZTEL_BENCH_BED=$RUNS BIZTEL_DOCTOR_BIN=$BIN go test -count=1 -run '^TestBenchHealthyBed$' -v ./e2e >"$B/bed.log" 2>&1 || true
  if grep -q "BENCH bed run" "$B/bed.log"; then
    grep -E "BENCH bed" "$B/bed.log" | sed 's/^ *bench_bed_test.go:[0-9]*: //' | tee -a "$results"
    python3 - "$B/bed.log" <<'PY' | tee -a "$results"
import re, statistics, sys
rows = [list(map(float, m.groups())) for m in re.finditer(r"BENCH bed run \d+: ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", open(sys.argv[1]).read())]
print(f"median wall {statistics.median(r[0] for r in rows):.2f} s (max {max(r[0] for r in rows):.2f}), median CPU {statistics.median(r[1]+r[2] for r in rows):.2f} s, peak RSS max {max(r[3] for r in rows)/1024:.1f} MiB")
PY
  else
    say "bed not measured: $(grep -E 'SKIP|FAIL|netlab:' "$B/bed.log" | head -n 2 | tr '\n' ' ' | cut -c1-200)"
  fi
else
  say "bed not measured: needs root (network namespaces) and the Debian packages of .ci/run"
fi

say ""
say "## start-up (hyperfine, no network)"
if have hyperfine; then
  hf startup "$BIN version" "$BIN plan --server 127.0.0.1 --stun 198.51.100.20 --format json" "$BIN ports --lang en" "$BIN ports --lang en --vendor yamaha --server 127.0.0.1"
else
  say "hyperfine not installed: start-up skipped"
fi

say ""
say "## TUI start to first frame (pseudo-terminal 120x40, python3 pty)"
# The marker is text of the TUI's first screen; override with TUI_MARKER.
TUI_MARKER=${TUI_MARKER:-BIZTEL network doctor}
if probe=$(python3 scripts/bench/first_frame.py -n 1 --marker "$TUI_MARKER" -- "$BIN" --server 127.0.0.1 --lang en 2>&1); then
  say "$(python3 scripts/bench/first_frame.py -n $((RUNS * 4)) --marker "$TUI_MARKER" -- "$BIN" --server 127.0.0.1 --lang en)  (biztel-doctor --server 127.0.0.1 --lang en, until \"$TUI_MARKER\" shows)"
else
  say "TUI drew no frame with \"$TUI_MARKER\" in this build: $(printf '%s' "$probe" | tail -n 3 | tr '\n' ' ' | cut -c1-200)"
fi

echo
echo "results in $results"
