#!/usr/bin/env bash
# Pass Google Benchmark's console output through and add one `name: value` line per benchmark
# (cpu time in ns), so scripts can read the figures.
awk '{ print } /^[A-Za-z_].*[0-9]+ ns +[0-9.]+ ns/ {
        for (i = 2; i <= NF; i++) if ($(i+1) == "ns") { cpu = $(i+2); break }
        n = $1; gsub(/[^A-Za-z0-9_\/]/, "_", n); lines[++k] = n "_ns: " cpu }
     END { for (i = 1; i <= k; i++) print lines[i] }'
