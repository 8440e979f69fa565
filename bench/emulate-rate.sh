#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# How many packets a second the emulation (./fgsim emulate) forwards without falling behind real
# time on this machine: a UDP flood from the inside namespace through the unit (SNAT) to the
# outside one (where iptables drops it quietly), at increasing rates, one emulation run per rate.
# Prints one line per rate: sent, forwarded, kernel drops, lag. Root only (namespaces).
#   bench/emulate-rate.sh [BUILD_DIR] [RATE...]     (default rates 500 1000 2000 5000 10000 20000)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build}
shift || true
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(500 1000 2000 5000 10000 20000)
SECONDS_PER_RATE=${FGSIM_RATE_SECONDS:-5}
IN=fgrate-$$-in
OUT=fgrate-$$-out
for rate in "${RATES[@]}"; do
    log=$(mktemp)
    "$BUILD/utils/fgsim-emulate" --config "$ROOT/examples/configs/emulate-nat.conf" \
        --inside "$IN:10.11.1.10/24" --outside "$OUT:10.22.2.20/24" >"$log" 2>&1 &
    emu=$!
    for _ in $(seq 200); do grep -q "emulate: running" "$log" && break; sleep 0.1; done
    ip netns exec "$OUT" iptables -A INPUT -p udp --dport 9000:9015 -j DROP
    ip netns exec "$IN" ping -c 1 -W 5 10.22.2.20 >/dev/null || true  # ARP both ways first
    flood=$(ip netns exec "$IN" /usr/bin/python3 "$ROOT/test/emulation/flood.py" udp \
        --dst 10.22.2.20 --rate "$rate" --seconds "$SECONDS_PER_RATE")
    sleep 1
    kill -TERM "$emu"
    wait "$emu" || true
    summary=$(grep '^summary:' "$log" || echo "summary: (none)")
    lag=$(grep '^lag: samples' "$log" || true)
    echo "rate=$rate $flood | ${summary#summary: } | ${lag#lag: }"
    rm -f "$log"
done
