#!/bin/bash
# Times a default `check` (no --skip) against an all-silent network, three
# runs per binary, for BENCHMARKS.md. Root and Linux only:
#   sudo scripts/bench_silent.sh BIN_BEFORE BIN_AFTER     # REFLECTOR=1: with a (silent) reflector
# The all-silent network: a namespace whose only link is loopback; 198.18.0.0/15
# and the default route lead there and nftables drops every packet on input: each
# remote address is a silent black hole. Nothing leaves the namespace.
set -u
NS=bd-silent-$$
D=$(mktemp -d)
cleanup() { for p in $(ip netns pids $NS 2>/dev/null); do kill -9 $p; done; ip netns del $NS 2>/dev/null; rm -rf /etc/netns/$NS $D; }
trap cleanup EXIT
ip netns add $NS
ip -n $NS link set lo up
ip -n $NS route add local 198.18.0.0/15 dev lo
ip -n $NS route add default dev lo
# drop on input, so senders see no local error (an output drop says EPERM)
ip netns exec $NS nft -f - <<'NFT'
table inet silent {
  chain in { type filter hook input priority 0; ip daddr != 127.0.0.0/8 drop; }
}
NFT
mkdir -p /etc/netns/$NS; echo "nameserver 198.18.0.53" > /etc/netns/$NS/resolv.conf
cat > $D/site.yaml <<'Y'
server: {host: pbx.biztel.test, ip: 198.18.0.10}
stun: {servers: [198.18.0.20, 198.18.0.21]}
recording: {ip: 198.18.0.11}
ntp: 198.18.0.10
Y
[ -n "${REFLECTOR:-}" ] && echo "reflector: {addr: 198.18.0.40, token: bench}" >> $D/site.yaml
cat >/dev/null <<'Y'
Y
for bin in "$@"; do
  for i in 1 2 3; do
    s=$(date +%s.%N)
    ip netns exec $NS env -i PATH=/usr/bin:/bin LANG=C.UTF-8 $bin check --profile $D/site.yaml --format json --lang en > $D/out.json 2>$D/err
    rc=$?
    e=$(date +%s.%N)
    python3 - "$D/out.json" "$bin" "$i" "$s" "$e" "$rc" <<'PY'
import json, sys
f, b, i, s, e, rc = sys.argv[1:]
r = json.load(open(f))
longest = sorted(((c.get("duration_ms", 0), c["id"], c["status"]) for c in r["checks"]), reverse=True)[:3]
errs = [c["id"] for c in r["checks"] if c["status"] == "error"]
print(f"{b.split('/')[-1]} run {i}: wall {float(e)-float(s):.2f} s, exit {rc}, longest {longest}, errors {errs}")
PY
  done
done
