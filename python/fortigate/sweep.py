"""Parameter sweeps on Dask: every combination of a grid and seeds as its own simulation.

``sweep(target, grid, seeds=(1,), scheduler=None, workers=None)`` runs each (parameters,
seed) as an independent simulation in its own process (ns-3's simulator is global) on a Dask
``LocalCluster`` (default) or on the Dask cluster at ``scheduler`` ("tcp://host:8786" or a
``distributed.Client``). ``target`` is an example name (run as run_example(name, seed=seed,
**params)) or a callable run as ``target(seed=seed, **params)`` returning a dict. Each row of
the result holds the parameters, the seed, ``ok``, ``error`` (None or what went wrong) and
``wall_s``, plus the run's values. A failed or crashed run is that row's error; the others
complete. A progress bar shows in a terminal (tqdm).
"""
import itertools
import logging
import os
import sys
import time

from ._child import run_isolated
from .results import Records


def grid_points(grid):
    """The parameter combinations of ``grid``: a dict {name: [values]} (every combination, in
    order, the last name varying fastest), a list of dicts (as given), or None/{} (one run
    without parameters)."""
    if grid is None:
        return [{}]
    if isinstance(grid, dict):
        names = list(grid)
        values = []
        for n in names:
            v = grid[n]
            if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
                v = [v]
            v = list(v)
            if not v:
                raise ValueError("grid parameter %r has no values" % n)
            values.append(v)
        return [dict(zip(names, combo)) for combo in itertools.product(*values)]
    if isinstance(grid, (list, tuple)) and all(isinstance(p, dict) for p in grid):
        return [dict(p) for p in grid]
    raise TypeError("grid must be a dict {name: [values]} or a list of dicts, not %s"
                    % type(grid).__name__)


def _run_one(target, params, seed):
    """One sweep run (executes on a Dask worker). Never raises: errors are the row's."""
    row = dict(params)
    row["seed"] = seed
    start = time.monotonic()
    try:
        if isinstance(target, str):
            from .examples import run_example
            values = run_example(target, seed=seed, **params)
        else:
            values = run_isolated(target, seed=seed, **params)
        if not isinstance(values, dict):
            values = {"value": values}
        row.update({k: v for k, v in values.items() if k not in row})
        row["ok"], row["error"] = True, None
    except Exception as e:  # the run's error, reported with its parameters
        row["ok"], row["error"] = False, "%s: %s" % (type(e).__name__, e)
    row["wall_s"] = round(time.monotonic() - start, 3)
    return row


def _progress_bar(total, enabled):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="run", desc="sweep", file=sys.stderr)


def sweep(target, grid=None, seeds=(1,), scheduler=None, workers=None, progress=None,
          as_dataframe=False):
    """Run ``target`` for every combination of ``grid`` x ``seeds`` (see the module doc).

    ``workers``: LocalCluster worker processes (default: the number of CPUs); ignored with
    ``scheduler``. ``progress``: True/False to force the progress bar on/off (default: on in
    a terminal). Returns a Records list (``.to_dataframe()``) in grid order, seeds varying
    fastest, or a pandas DataFrame with ``as_dataframe=True``.
    """
    from .examples import list_examples
    if isinstance(target, str):
        if target not in list_examples():
            raise ValueError("unknown example %r (examples: %s)"
                             % (target, ", ".join(list_examples())))
    elif not callable(target):
        raise TypeError("target must be an example name or a callable, not %s"
                        % type(target).__name__)
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        seeds = [seeds]
    seeds = list(seeds)
    if not seeds or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in seeds):
        raise ValueError("seeds must be positive ints, not %r" % (seeds,))
    points = grid_points(grid)
    if isinstance(target, str):
        # Unknown parameters fail the whole sweep at once, not every run.
        from .examples import example_parameters
        known = example_parameters(target)
        for p in points:
            for k in p:
                if k not in known:
                    raise ValueError("example %s has no parameter %r (parameters: %s)"
                                     % (target, k, ", ".join(sorted(known))))
    jobs = [(target, p, s) for p in points for s in seeds]

    from distributed import Client, LocalCluster, as_completed
    cluster = None
    own_client = False
    if scheduler is None:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
        own_client = True
    elif isinstance(scheduler, str):
        client = Client(scheduler)
        own_client = True
    else:
        client = scheduler
    bar = _progress_bar(len(jobs), progress)
    rows = [None] * len(jobs)
    try:
        # Separate argument lists: Dask would take a (callable, ...) tuple for a task.
        futures = client.map(_run_one, [j[0] for j in jobs], [j[1] for j in jobs],
                             [j[2] for j in jobs], pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for f in as_completed(futures):
            i = index[f.key]
            try:
                rows[i] = f.result()
            except Exception as e:  # the worker died under the run
                target_, params, seed = jobs[i]
                rows[i] = dict(params, seed=seed, ok=False,
                               error="%s: %s" % (type(e).__name__, e), wall_s=None)
            if bar:
                bar.update(1)
    finally:
        if bar:
            bar.close()
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    result = Records(rows)
    return result.to_dataframe() if as_dataframe else result
