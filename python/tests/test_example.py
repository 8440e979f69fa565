"""The Python example and the shell entry points."""
import csv
import os
import subprocess
import sys

from fortigate import _paths

ROOT = _paths.source_dir()


def test_voip_mode_sweep_quick(tmp_path):
    script = os.path.join(ROOT, "examples", "python", "voip-mode-sweep.py")
    proc = subprocess.run([sys.executable, script, "--quick", "--workers", "2", "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "summary: runs=4 failed=0" in proc.stdout
    with open(tmp_path / "voip-mode-sweep.csv") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["mode"], r["calls_per_s"]) for r in rows) == \
        [("alg", "20"), ("alg", "80"), ("kernel", "20"), ("kernel", "80")]
    assert all(float(r["setup_ms_mean"]) > 0 for r in rows)
    png = tmp_path / "voip-mode-sweep.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_fgsim_env_and_python():
    env = subprocess.run([os.path.join(ROOT, "fgsim"), "env"], capture_output=True, text=True,
                         env=dict(os.environ, FGSIM_BUILD_DIR=_paths.binary_dir()))
    assert env.returncode == 0
    assert env.stdout.startswith("export PYTHONPATH=" + os.path.join(_paths.binary_dir(),
                                                                     "python"))
