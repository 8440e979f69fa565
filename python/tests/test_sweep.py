"""Sweeps on a 2-worker Dask LocalCluster: deterministic, failures per run."""
import os

import pytest

import fortigate


@pytest.fixture(scope="module")
def client():
    """One 2-worker LocalCluster for the callable sweeps (starting one takes seconds)."""
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def ftp_run(size, wan_delay, seed):
    s = fortigate.Scenario(seed=seed, wan_delay=wan_delay)
    s.lan_host("alice")
    s.wan_host("server")
    s.cli(fortigate.OUTBOUND_NAT_POLICY)
    s.ftp_server("server", files={"f.bin": size})
    s.ftp_client("alice", server="server", FileName="f.bin", FileSize=size, name="dl",
                 start=1.0)
    r = s.run(duration=10, isolated=False)  # the sweep already runs it in its own process
    dl = r.app("dl")
    return {"completed": dl["completed"], "transfer_s": dl["transfer_s"],
            "sessions": len(r.events)}


def flaky(x, seed):
    if x == 2:
        raise RuntimeError("bad parameter x=2")
    if x == 3:
        os.abort()  # a crash inside one run
    return {"y": x * 10 + seed}


def test_example_sweep_is_deterministic_on_two_workers():
    # Every point twice with the same seed, in separate processes on a 2-worker LocalCluster:
    # the same numbers each time (and different ones for another seed).
    grid = {"callRate": [20, 40], "modes": ["alg", "kernel"], "quick": [True], "plot": [False],
            "loadSeconds": [0.5], "loadTalk": [0.5], "cores": [1]}
    rows = fortigate.sweep("sip-nat-call", grid, seeds=[1, 1, 2], workers=2, progress=False)
    assert [r["ok"] for r in rows] == [True] * 12, [r["error"] for r in rows]
    assert [(r["callRate"], r["modes"], r["seed"]) for r in rows[:4]] == \
        [(20, "alg", 1), (20, "alg", 1), (20, "alg", 2), (20, "kernel", 1)]
    for r in rows:
        assert r[r["modes"] + "_load_calls"] == r["callRate"] // 2
    strip = [{k: v for k, v in r.items() if k != "wall_s"} for r in rows]
    for i in range(0, 12, 3):
        assert strip[i] == strip[i + 1]
    series = [r["series"] for r in rows]
    assert any(series[i] != series[i + 2] for i in range(0, 12, 3))


def test_callable_sweep_keeps_parameters_and_seeds(client):
    rows = fortigate.sweep(ftp_run, {"size": [20000, 40000], "wan_delay": ["1ms", "20ms"]},
                           seeds=[1, 2], scheduler=client, progress=False)
    assert len(rows) == 8 and all(r["ok"] for r in rows), [r["error"] for r in rows]
    assert all(r["completed"] for r in rows)
    assert [(r["size"], r["wan_delay"], r["seed"]) for r in rows][:3] == \
        [(20000, "1ms", 1), (20000, "1ms", 2), (20000, "20ms", 1)]
    fast = [r["transfer_s"] for r in rows if r["wan_delay"] == "1ms"]
    slow = [r["transfer_s"] for r in rows if r["wan_delay"] == "20ms"]
    assert max(fast) < min(slow)
    df = rows.to_dataframe()
    assert list(df["seed"]) == [1, 2] * 4


def test_failed_and_crashed_runs_are_their_rows_errors(client):
    # With the progress bar forced on (tqdm, on stderr) and a DataFrame as the result.
    df = fortigate.sweep(flaky, {"x": [1, 2, 3, 4]}, seeds=[5], scheduler=client,
                         progress=True, as_dataframe=True)
    assert list(df["x"]) == [1, 2, 3, 4]
    by_x = {r["x"]: r for r in df.to_dict("records")}
    assert by_x[1]["ok"] and by_x[1]["y"] == 15
    assert by_x[4]["ok"] and by_x[4]["y"] == 45
    assert not by_x[2]["ok"] and "bad parameter x=2" in by_x[2]["error"]
    assert not by_x[3]["ok"] and "SIGABRT" in by_x[3]["error"]
