"""Command line: ``python -m fortigate sweep EXAMPLE [--grid NAME=V1,V2 ...] [--seeds 1,2]
[--workers N | --scheduler tcp://host:8786] [--csv FILE] [--plot X:Y[:BY] --png FILE]``
(what ``./fgsim sweep`` runs), and ``python -m fortigate examples``."""
import argparse
import csv
import sys
import time

from . import list_examples, plot, sweep
from .diagnose import number


def _grid(items):
    grid = {}
    for item in items or []:
        name, sep, values = item.partition("=")
        if not sep or not name or not values:
            raise SystemExit("--grid %s: expected NAME=V1,V2,..." % item)
        grid[name] = [number(v) for v in values.split(",")]
    return grid


def _sweep(argv):
    p = argparse.ArgumentParser(prog="fgsim sweep", description="Sweep an example's parameters "
                                "on Dask: every grid combination x seed in its own process.")
    p.add_argument("example", help="example name (./fgsim list)")
    p.add_argument("--grid", action="append", metavar="NAME=V1,V2",
                   help="a parameter and its values (repeatable)")
    p.add_argument("--set", action="append", metavar="NAME=V", default=[],
                   help="a fixed parameter (repeatable)")
    p.add_argument("--seeds", default="1", help="comma-separated run numbers (default 1)")
    p.add_argument("--workers", type=int, help="LocalCluster worker processes (default: CPUs)")
    p.add_argument("--scheduler", help="an existing Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--csv", help="write the table as CSV here (default: print it)")
    p.add_argument("--plot", metavar="X:Y[:BY]", help="plot Y vs X (one line per BY) ...")
    p.add_argument("--png", default="sweep.png", help="... into this PNG (default sweep.png)")
    a = p.parse_args(argv)
    grid = _grid(a.grid)
    for item in a.set:
        name, _, value = item.partition("=")
        grid[name] = [number(value)]
    seeds = [int(s) for s in a.seeds.split(",") if s]
    start = time.monotonic()
    rows = sweep(a.example, grid, seeds=seeds, scheduler=a.scheduler, workers=a.workers)
    wall = time.monotonic() - start
    keys = []
    for r in rows:
        keys += [k for k in r if k not in keys and k != "series"]
    out = open(a.csv, "w", newline="") if a.csv else sys.stdout
    w = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore",
                       delimiter="," if a.csv else "\t")
    w.writeheader()
    w.writerows(rows)
    if a.csv:
        out.close()
        print("wrote %s (%d runs)" % (a.csv, len(rows)))
    if a.plot:
        parts = a.plot.split(":")
        print("wrote %s" % plot(rows, parts[0], parts[1], by=parts[2] if len(parts) > 2 else None,
                                output=a.png))
    failed = [r for r in rows if not r["ok"]]
    print("sweep: %d runs, %d failed, wall %.1f s" % (len(rows), len(failed), wall),
          file=sys.stderr)
    return 1 if failed else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "sweep":
        return _sweep(argv[1:])
    if argv and argv[0] == "examples":
        print("\n".join(list_examples()))
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
