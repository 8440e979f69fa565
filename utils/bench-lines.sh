#!/usr/bin/env bash
# Pass Google Benchmark's console output (stdin) through unchanged and append `name: value` lines
# that scripts can read:
#   <benchmark>_cpu_ns: <cpu time in ns>            one per benchmark (BM_ dropped, / -> _)
#   <benchmark>_<counter>: <value>                  one per user counter (k/M/G suffixes expanded;
#                                                   items_per_second left out)
# and the figures issue 2 asks for, when the benchmarks ran:
#   session_lookup_ns_<N>, session_insert_remove_ns_<N>   (table of N sessions)
#   policy_lookup_ns_<N>                                  (N policies, the interleaved
#                                                         BM_PolicyLookupScaling when it ran)
#   policy_lookup_ratio_10000_vs_10, _target (10), _ok    (same source)
#   policy_lookup_ratio_100000_vs_10, _100000_target (4), _100000_ok
#   policy_compile_ms_<N>, policy_matcher_kib_<N>         (BM_PolicyCompile, BM_PolicyLookup)
#   session_insert_growing_ns_1e6                         (BM_SessionInsertGrowing, per insert)
#   sip_parse_ns_per_byte                                 (BM_SipParseInvite: an INVITE with SDP)
#   sip_parse_allocs_per_message, sip_parse_allocs_per_header   (heap allocations of one parse;
#                                                       per header: what 7 more headers add, / 7)
# Run the benchmark with --benchmark_color=false (colour codes are stripped anyway).
awk '
function ns(v, unit) {
    if (unit == "ns") return v
    if (unit == "us") return v * 1e3
    if (unit == "ms") return v * 1e6
    if (unit == "s") return v * 1e9
    return v
}
function num(s,    m) {
    m = 1
    if (s ~ /k$/) m = 1e3; else if (s ~ /M$/) m = 1e6; else if (s ~ /G$/) m = 1e9
    else if (s ~ /T$/) m = 1e12
    if (m != 1) s = substr(s, 1, length(s) - 1)
    return s * m
}
function key(s) {
    sub(/^BM_/, "", s)
    gsub(/[^A-Za-z0-9_]/, "_", s)
    return s
}
function emit(k, v) { out[++n] = k ": " v }
{ print; fflush() }
{ line = $0; gsub(/\033\[[0-9;]*m/, "", line) }
# name  <real> <unit>  <cpu> <unit>  <iterations>  [counters...]
line ~ /^[A-Za-z_][^ ]* +[0-9.e+-]+ (ns|us|ms|s) +[0-9.e+-]+ (ns|us|ms|s) +[0-9]+/ {
    split(line, f, /[ \t]+/)
    name = f[1]; cpu = ns(f[4], f[5])
    cpuNs[name] = cpu
    emit(key(name) "_cpu_ns", sprintf("%.10g", cpu))
    for (i = 7; i in f; i++) {
        if (f[i] ~ /=/) { split(f[i], kv0, "="); v0 = kv0[2]; sub(/\/s$/, "", v0); counter[name "|" kv0[1]] = num(v0) }
        # items_per_second is 1e9 / cpu_ns: left out.
        if (f[i] ~ /^[A-Za-z_][A-Za-z0-9_]*=[0-9.e+-]+[kMGT]?(\/s)?$/ && f[i] !~ /^items_per_second=/) {
            split(f[i], kv, "=")
            v = kv[2]; sub(/\/s$/, "", v)
            emit(key(name) "_" kv[1], sprintf("%.10g", num(v)))
        }
    }
}
END {
    split("1000 10000 100000 1000000", sizes, " ")
    for (i = 1; i <= 4; i++) {
        s = sizes[i]
        if (("BM_SessionLookupHit/" s) in cpuNs)
            emit("session_lookup_ns_" s, sprintf("%.10g", cpuNs["BM_SessionLookupHit/" s]))
        if (("BM_SessionInsertRemove/" s) in cpuNs)
            emit("session_insert_remove_ns_" s, sprintf("%.10g", cpuNs["BM_SessionInsertRemove/" s]))
    }
    split("10 100 1000 10000 100000", pols, " ")
    scaling = ("BM_PolicyLookupScaling|ns_per_lookup_10" in counter)
    for (i = 1; i <= 5; i++) {
        p = pols[i]
        if (scaling && (("BM_PolicyLookupScaling|ns_per_lookup_" p) in counter))
            lk[p] = counter["BM_PolicyLookupScaling|ns_per_lookup_" p]
        else if (!scaling && (("BM_PolicyLookup/" p) in cpuNs))
            lk[p] = cpuNs["BM_PolicyLookup/" p]
        if (p in lk) emit("policy_lookup_ns_" p, sprintf("%.4g", lk[p]))
        if (("BM_PolicyCompile/" p) in cpuNs)
            emit("policy_compile_ms_" p, sprintf("%.4g", cpuNs["BM_PolicyCompile/" p] / 1e6))
        if (("BM_PolicyLookup/" p "|memory_KiB") in counter)
            emit("policy_matcher_kib_" p, sprintf("%.6g", counter["BM_PolicyLookup/" p "|memory_KiB"]))
    }
    if (("10" in lk) && ("10000" in lk) && lk["10"] > 0) {
        r = lk["10000"] / lk["10"]
        emit("policy_lookup_ratio_10000_vs_10", sprintf("%.2f", r))
        emit("policy_lookup_ratio_target", "10")
        emit("policy_lookup_ratio_ok", r <= 10 ? "yes" : "no")
    }
    if (("10" in lk) && ("100000" in lk) && lk["10"] > 0) {
        r = lk["100000"] / lk["10"]
        emit("policy_lookup_ratio_100000_vs_10", sprintf("%.2f", r))
        emit("policy_lookup_ratio_100000_target", "4")
        emit("policy_lookup_ratio_100000_ok", r <= 4 ? "yes" : "no")
    }
    if (("BM_SipParseInvite" in cpuNs) && (("BM_SipParseInvite|bytes") in counter))
        emit("sip_parse_ns_per_byte", sprintf("%.4g", cpuNs["BM_SipParseInvite"] / counter["BM_SipParseInvite|bytes"]))
    if (("BM_SipParseInvite|allocs" in counter) && counter["BM_SipParseInvite|headers_more"] > counter["BM_SipParseInvite|headers"]) {
        emit("sip_parse_allocs_per_message", sprintf("%d", counter["BM_SipParseInvite|allocs"]))
        emit("sip_parse_allocs_per_header", sprintf("%.3g", (counter["BM_SipParseInvite|allocs_more"] - counter["BM_SipParseInvite|allocs"]) / (counter["BM_SipParseInvite|headers_more"] - counter["BM_SipParseInvite|headers"])))
    }
    if ("BM_SessionInsertGrowing/1000000" in cpuNs)
        emit("session_insert_growing_ns_1e6", sprintf("%.4g", cpuNs["BM_SessionInsertGrowing/1000000"] / 1e6))
    for (i = 1; i <= n; i++) print out[i]
}'
