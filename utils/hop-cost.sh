#!/usr/bin/env bash
# hop-cost.sh BUILD/bench/fortigate-hopcost: instructions the FortiGate hop costs per packet
# compared with a plain ns-3 router hop (same sender, receiver and datagrams), counted by
# valgrind's callgrind (deterministic, unlike wall time on a shared machine).
# For each case and middle node it runs the program with FGSIM_HOP_FEW and FGSIM_HOP_MANY
# datagrams; (Ir(many) - Ir(few)) / (many - few) is the cost of one datagram end to end with
# start-up excluded, and ir_hop_ratio_<case> = that cost with the FortiGate / with the router.
# Prints `ir_per_packet_<middle>_<case>: N` and `ir_hop_ratio_<case>: X` lines.
# Cases: established, new_session, sip_kernel, sip_alg, ftp_port, and sip_alg_<N>: the SIP ALG
# with N dialogs opened on the session before the measured INVITEs (--open=N; callgrind starts
# instrumenting just before the measured packets, so the set-up is not counted).
# ir_alg_open_ratio_10000_vs_10 = cost per INVITE at 10,000 open dialogs / at 10 (target <= 1.2).
set -euo pipefail
prog=${1:?usage: hop-cost.sh PATH/TO/fortigate-hopcost}
few=${FGSIM_HOP_FEW:-100}
many=${FGSIM_HOP_MANY:-500}
command -v valgrind >/dev/null || { echo "hop-cost: valgrind not installed (./fgsim setup)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir() { # middle case packets -> total instructions
    local out=$tmp/cg.$1.$2.$3 args=(--case="$2")
    if [[ $2 =~ ^(sip_alg|sip_kernel)_([0-9]+)$ ]]; then
        args=(--case="${BASH_REMATCH[1]}" --open="${BASH_REMATCH[2]}")
    fi
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" "$prog" \
        --middle="$1" "${args[@]}" --packets="$3" >"$tmp/log" 2>&1 \
        || { cat "$tmp/log" >&2; echo "hop-cost: run $1 $2 $3 failed" >&2; return 1; }
    awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

status=0
declare -A alg=()
for c in ${FGSIM_HOP_CASES:-established new_session sip_kernel sip_alg sip_alg_10 sip_alg_10000 ftp_port h323_ras mgcp_crcx}; do
    declare -A per=()
    for m in router fortigate; do
        a=$(ir "$m" "$c" "$few") || { status=1; continue 2; }
        b=$(ir "$m" "$c" "$many") || { status=1; continue 2; }
        per[$m]=$(( (b - a) / (many - few) ))
        echo "ir_per_packet_${m}_${c}: ${per[$m]}"
    done
    awk -v f="${per[fortigate]}" -v r="${per[router]}" -v c="$c" \
        'BEGIN { printf "ir_hop_ratio_%s: %.2f\n", c, f / r }'
    [[ $c =~ ^sip_alg_([0-9]+)$ ]] && alg[${BASH_REMATCH[1]}]=${per[fortigate]}
    unset per
done
if [ -n "${alg[10]:-}" ] && [ -n "${alg[10000]:-}" ]; then
    awk -v a="${alg[10]}" -v b="${alg[10000]}" 'BEGIN {
        printf "ir_alg_open_ratio_10000_vs_10: %.2f\n", b / a
        printf "ir_alg_open_ratio_ok: %s\n", b / a <= 1.2 ? "yes" : "no" }'
fi
exit $status
