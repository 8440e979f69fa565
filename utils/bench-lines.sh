#!/usr/bin/env bash
# Pass Google Benchmark's console output (stdin) through unchanged and append `name: value` lines
# that scripts can read:
#   <benchmark>_cpu_ns: <cpu time in ns>            one per benchmark (BM_ dropped, / -> _)
#   <benchmark>_<counter>: <value>                  one per user counter (k/M/G suffixes expanded;
#                                                   items_per_second left out)
# and the figures issue 2 asks for, when the benchmarks ran:
#   session_lookup_ns_<N>, session_insert_remove_ns_<N>   (table of N sessions)
#   policy_lookup_ns_<N>                                  (N policies)
#   policy_lookup_ratio_10000_vs_10, _target (10), _ok    (from the CPU times of BM_PolicyLookup)
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
    split("10 100 1000 10000", pols, " ")
    for (i = 1; i <= 4; i++)
        if (("BM_PolicyLookup/" pols[i]) in cpuNs)
            emit("policy_lookup_ns_" pols[i], sprintf("%.10g", cpuNs["BM_PolicyLookup/" pols[i]]))
    if (("BM_PolicyLookup/10" in cpuNs) && ("BM_PolicyLookup/10000" in cpuNs) \
        && cpuNs["BM_PolicyLookup/10"] > 0) {
        r = cpuNs["BM_PolicyLookup/10000"] / cpuNs["BM_PolicyLookup/10"]
        emit("policy_lookup_ratio_10000_vs_10", sprintf("%.2f", r))
        emit("policy_lookup_ratio_target", "10")
        emit("policy_lookup_ratio_ok", r <= 10 ? "yes" : "no")
    }
    for (i = 1; i <= n; i++) print out[i]
}'
