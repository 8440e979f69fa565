"""Draw sweep results with gnuplot (the project's plotting tool)."""
import os
import shutil
import statistics
import subprocess


def _rows(results):
    if hasattr(results, "to_dict") and hasattr(results, "columns"):  # a pandas DataFrame
        return results.to_dict("records")
    return list(results)


def plot(results, x, y, by=None, output="sweep.png", title=None, xlabel=None, ylabel=None,
         logx=False):
    """Plot ``y`` against ``x`` with one line per value of ``by`` (e.g. mode), the mean over
    seeds with min/max error bars. Writes OUTPUT (PNG), OUTPUT's .dat and .plt next to it and
    returns the PNG's path. Rows that failed (``ok`` false) or lack ``y`` are left out.
    Raises RuntimeError when gnuplot is not installed (the .dat and .plt are written anyway).
    """
    rows = [r for r in _rows(results)
            if r.get("ok", True) and isinstance(r.get(y), (int, float)) and r.get(x) is not None]
    if not rows:
        raise ValueError("nothing to plot: no successful row has a numeric %r" % y)
    groups = {}
    for r in rows:
        groups.setdefault(r.get(by) if by else y, {}).setdefault(r[x], []).append(r[y])
    base = os.path.splitext(output)[0]
    dat, plt = base + ".dat", base + ".plt"
    with open(dat, "w") as f:
        f.write("# %s: %s vs %s%s; columns: %s mean min max runs\n"
                % (os.path.basename(base), y, x, " by " + by if by else "", x))
        for g, points in groups.items():
            f.write("\n\n# %s\n" % g)
            for xv in sorted(points):
                v = points[xv]
                f.write("%s %g %g %g %d\n" % (xv, statistics.mean(v), min(v), max(v), len(v)))
    names = list(groups)
    with open(plt, "w") as f:
        f.write("# gnuplot %s -> %s\n" % (os.path.basename(plt), os.path.basename(output)))
        f.write("set terminal png size 900,560 noenhanced\nset output '%s'\n" % output)
        f.write("set title '%s'\n" % (title or "%s vs %s" % (y, x)))
        f.write("set xlabel '%s'\nset ylabel '%s'\n" % (xlabel or x, ylabel or y))
        f.write("set grid\nset key top left\nset yrange [0:*]\n")
        if logx:
            f.write("set logscale x\n")
        f.write("plot " + ", \\\n     ".join(
            "'%s' index %d using 1:2:3:4 with yerrorlines title '%s'"
            % (dat, i, str(g).replace("'", "")) for i, g in enumerate(names)) + "\n")
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        raise RuntimeError("gnuplot is not installed (apt-get install gnuplot-nox); wrote %s "
                           "and %s" % (dat, plt))
    proc = subprocess.run([gnuplot, plt], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("gnuplot %s failed: %s" % (plt, proc.stderr.strip()))
    return output
