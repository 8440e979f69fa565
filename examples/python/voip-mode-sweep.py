#!/usr/bin/python3
"""Call-setup delay vs. call rate, SIP ALG against the SIP session helper (kernel helper).

Runs the flagship example sip-nat-call once per (call rate, VoIP mode, seed) on a Dask
LocalCluster, each run in its own process, then writes a table (voip-mode-sweep.csv) and a
gnuplot plot (voip-mode-sweep.png): mean setup delay of the load calls (INVITE to 200 OK at
the caller) against calls per second, one line per mode. The FortiGate gets one CPU core, so
the ALG's proxy work per SIP message queues as the rate grows.

    ./fgsim python examples/python/voip-mode-sweep.py [--quick] [--workers N] [--out DIR]
"""
import argparse
import os
import sys
import time

import fortigate


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small grid, short runs (for tests)")
    p.add_argument("--workers", type=int, default=None, help="Dask workers (default: CPUs)")
    p.add_argument("--scheduler", default=None, help="existing Dask scheduler tcp://host:8786")
    p.add_argument("--out", default=".", help="directory for the table and the plot")
    a = p.parse_args()

    if a.quick:
        rates, seeds = [20, 80], [1]
        fixed = {"quick": True, "plot": False, "loadSeconds": 0.5, "loadTalk": 0.5, "cores": 1}
    else:
        rates, seeds = [10, 25, 50, 75, 100, 125], [1, 2]
        fixed = {"quick": True, "plot": False, "loadSeconds": 2.0, "loadTalk": 1.0, "cores": 1}
    grid = {"callRate": rates, "modes": ["alg", "kernel"]}
    grid.update({k: [v] for k, v in fixed.items()})

    start = time.monotonic()
    rows = fortigate.sweep("sip-nat-call", grid, seeds=seeds, scheduler=a.scheduler,
                           workers=a.workers)
    wall = time.monotonic() - start

    # One mode per run: its keys are <mode>_...; give every row the same columns.
    table = fortigate.Records()
    for r in rows:
        m = r["modes"]
        table.append({"mode": m, "calls_per_s": r["callRate"], "seed": r["seed"],
                      "ok": r["ok"], "error": r["error"],
                      "calls": r.get(m + "_load_calls"),
                      "answered": r.get(m + "_load_answered"),
                      "setup_ms_mean": r.get(m + "_load_setup_ms_mean"),
                      "setup_ms_p95": r.get(m + "_load_setup_ms_p95"),
                      "audio": r.get(m + "_audio"), "wall_s": r["wall_s"]})

    os.makedirs(a.out, exist_ok=True)
    csv_path = os.path.join(a.out, "voip-mode-sweep.csv")
    cols = list(table[0])
    with open(csv_path, "w") as f:
        f.write(",".join(cols) + "\n")
        for r in table:
            f.write(",".join("" if r[c] is None else str(r[c]) for c in cols) + "\n")
    print("%-7s %8s %5s %6s %9s %13s %12s" % ("mode", "calls/s", "seed", "calls", "answered",
                                              "setup ms mean", "setup ms p95"))
    for r in table:
        if r["ok"]:
            print("%-7s %8s %5d %6s %9s %13s %12s" % (r["mode"], r["calls_per_s"], r["seed"],
                                                      r["calls"], r["answered"],
                                                      r["setup_ms_mean"], r["setup_ms_p95"]))
        else:
            print("%-7s %8s %5d  FAILED: %s" % (r["mode"], r["calls_per_s"], r["seed"],
                                                r["error"]))
    png = os.path.join(a.out, "voip-mode-sweep.png")
    try:
        fortigate.plot(table, "calls_per_s", "setup_ms_mean", by="mode", output=png,
                       title="SIP call setup delay through a FortiGate (1 CPU core)",
                       xlabel="calls per second", ylabel="INVITE to 200 OK, mean (ms)")
        print("wrote %s and %s" % (csv_path, png))
    except RuntimeError as e:
        print("wrote %s; no plot: %s" % (csv_path, e))
    failed = sum(not r["ok"] for r in table)
    print("summary: runs=%d failed=%d wall_s=%.1f" % (len(table), failed, wall))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
