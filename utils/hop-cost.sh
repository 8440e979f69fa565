#!/usr/bin/env bash
# hop-cost.sh BUILD/bench/fortigate-hopcost: instructions the FortiGate hop costs per packet
# compared with a plain ns-3 router hop (same sender, receiver and datagrams), counted by
# valgrind's callgrind (deterministic, unlike wall time on a shared machine).
# For each case and middle node it runs the program with FGSIM_HOP_FEW and FGSIM_HOP_MANY
# datagrams; (Ir(many) - Ir(few)) / (many - few) is the cost of one datagram end to end with
# start-up excluded, and ir_hop_ratio_<case> = that cost with the FortiGate / with the router.
# Prints `ir_per_packet_<middle>_<case>: N` and `ir_hop_ratio_<case>: X` lines.
set -euo pipefail
prog=${1:?usage: hop-cost.sh PATH/TO/fortigate-hopcost}
few=${FGSIM_HOP_FEW:-100}
many=${FGSIM_HOP_MANY:-500}
command -v valgrind >/dev/null || { echo "hop-cost: valgrind not installed (./fgsim setup)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir() { # middle case packets -> total instructions
    local out=$tmp/cg.$1.$2.$3
    valgrind --tool=callgrind --callgrind-out-file="$out" "$prog" --middle="$1" --case="$2" \
        --packets="$3" >"$tmp/log" 2>&1 \
        || { cat "$tmp/log" >&2; echo "hop-cost: run $1 $2 $3 failed" >&2; return 1; }
    awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

status=0
for c in ${FGSIM_HOP_CASES:-established new_session sip_kernel sip_alg h323_ras mgcp_crcx}; do
    declare -A per=()
    for m in router fortigate; do
        a=$(ir "$m" "$c" "$few") || { status=1; continue 2; }
        b=$(ir "$m" "$c" "$many") || { status=1; continue 2; }
        per[$m]=$(( (b - a) / (many - few) ))
        echo "ir_per_packet_${m}_${c}: ${per[$m]}"
    done
    awk -v f="${per[fortigate]}" -v r="${per[router]}" -v c="$c" \
        'BEGIN { printf "ir_hop_ratio_%s: %.2f\n", c, f / r }'
    unset per
done
exit $status
