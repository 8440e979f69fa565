"""Run the project's example programs from Python.

Every example is a separate process (ns-3's simulator is global, and an example that aborts
must not take the interpreter with it). Its command-line parameters are keyword arguments;
the result is its ``summary:`` line as a dict, numbers as numbers, plus ``series`` when the
example prints time series (``series: NAME T VALUE`` lines), e.g. call-setup delays.
"""
import functools
import os
import re
import subprocess
import tempfile

from . import _paths
from ._errors import ExampleError
from .diagnose import number, parse_summary


def list_examples():
    """Names of the example programs (``./fgsim list``)."""
    return _paths.example_names()


def _check_name(name):
    if not isinstance(name, str):
        raise TypeError("example name must be a str, not %s" % type(name).__name__)
    if name not in list_examples():
        raise ValueError("unknown example %r (examples: %s)" % (name, ", ".join(list_examples())))


@functools.lru_cache(maxsize=None)
def example_parameters(name):
    """The parameters example ``name`` accepts: {name: (type, default, help)} from its
    ``--PrintHelp`` (ns-3 CommandLine)."""
    _check_name(name)
    out = subprocess.run([_paths.program("examples", name), "--PrintHelp"],
                         capture_output=True, text=True, timeout=60).stdout
    params = {}
    section = False
    for line in out.splitlines():
        if line.startswith("Program Options:"):
            section = True
            continue
        if section and not line.strip():
            break
        m = re.match(r"\s+--(\w+):\s+(.*?)\s+\[(.*)\]\s*$", line)
        if section and m:
            params[m.group(1)] = (m.group(3), m.group(2))
    return params


def _arg(key, value):
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif not isinstance(value, (int, float, str)):
        raise TypeError("parameter %s: %s values are not supported (use bool, int, float or str)"
                        % (key, type(value).__name__))
    return "--%s=%s" % (key, value)


def parse_series(text):
    """The ``series: NAME T VALUE`` lines of an example's output: {NAME: [(t, value), ...]}."""
    series = {}
    for line in text.splitlines():
        if line.startswith("series:"):
            parts = line.split()
            if len(parts) == 4:
                series.setdefault(parts[1], []).append((number(parts[2]), number(parts[3])))
    return series


def run_example(name, seed=None, cwd=None, timeout=None, **params):
    """Run example ``name`` with ``params`` as its command-line parameters.

    ``seed`` sets ns-3's run number (``--RngRun``). ``cwd`` is where it writes its files (a
    temporary directory, removed afterwards, when None). Returns the ``summary:`` values as a
    dict (numbers as numbers) with ``series`` (dict of lists of (t, value)) when the example
    prints time series and ``output`` (its whole standard output) removed. Raises ValueError
    for an unknown example or parameter, TypeError for a value of the wrong type, and
    ExampleError when the program fails or crashes.
    """
    _check_name(name)
    known = example_parameters(name)
    args = [_paths.program("examples", name)]
    for key, value in params.items():
        if key not in known:
            raise ValueError("example %s has no parameter %r (parameters: %s)"
                             % (name, key, ", ".join(sorted(known))))
        args.append(_arg(key, value))
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 1:
            raise ValueError("seed must be a positive int, not %r" % (seed,))
        args.append("--RngRun=%d" % seed)
    with tempfile.TemporaryDirectory(prefix="fgsim-") as tmp:
        proc = subprocess.run(args, cwd=cwd or tmp, capture_output=True, text=True,
                              timeout=timeout)
    tail = (proc.stdout[-2000:] + proc.stderr[-2000:]).strip()
    if proc.returncode != 0:
        how = ("killed by signal %d" % -proc.returncode if proc.returncode < 0
               else "exit status %d" % proc.returncode)
        raise ExampleError("example %s %s failed (%s): %s"
                           % (name, " ".join(args[1:]), how, tail[-500:]),
                           name=name, params=params, returncode=proc.returncode, output=tail)
    try:
        result = parse_summary(proc.stdout)
    except ValueError:
        raise ExampleError("example %s printed no summary line: %s" % (name, tail[-500:]),
                           name=name, params=params, returncode=0, output=tail) from None
    series = parse_series(proc.stdout)
    if series:
        result["series"] = series
    return result
