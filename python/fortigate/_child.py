"""Run one job in a fresh Python process (ns-3's simulator is global; a crash stays there).

Parent side: ``run_isolated(fn, *args, **kwargs)`` pickles (fn, args, kwargs) (cloudpickle,
so lambdas and functions of ``__main__`` travel too) into a temporary directory, runs
``fortigate._child.main(JOB, RESULT)`` in a new interpreter and returns fn's value, re-raises its exception as
the same type where possible, or raises ChildProcessError when the process died (ns-3 abort,
segmentation fault) with its exit status and the tail of its output.
"""
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import traceback

try:
    import cloudpickle as _pickler
except ImportError:  # pragma: no cover - cloudpickle comes with python3-distributed
    _pickler = pickle

_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


_MAIN = "import sys; from fortigate._child import main; main(sys.argv[1], sys.argv[2])"


class RemoteError(Exception):
    """An exception of a type that could not be re-created in the parent."""


def run_isolated(fn, *args, **kwargs):
    """fn(*args, **kwargs) in a child process (see the module doc)."""
    with tempfile.TemporaryDirectory(prefix="fgsim-job-") as tmp:
        job = os.path.join(tmp, "job")
        res = os.path.join(tmp, "result")
        with open(job, "wb") as f:
            _pickler.dump((fn, args, kwargs), f)
        # The child sees what this process imports from (the module of a function defined
        # in a script or a test is unpickled there by name).
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [_PACKAGE_PARENT] + [p or os.getcwd() for p in sys.path])
        proc = subprocess.run([sys.executable, "-c", _MAIN, job, res], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if os.path.exists(res) and proc.returncode == 0:
            with open(res, "rb") as f:
                outcome = pickle.load(f)
        else:
            tail = proc.stdout.decode(errors="replace")[-1500:].strip()
            if proc.returncode < 0:
                try:
                    how = "killed by %s" % signal.Signals(-proc.returncode).name
                except ValueError:
                    how = "killed by signal %d" % -proc.returncode
            else:
                how = "exit status %d" % proc.returncode
            raise ChildProcessError("simulation process died (%s)%s"
                                    % (how, ": " + tail if tail else ""))
    if outcome[0] == "ok":
        return outcome[1]
    _, exc, message, tb = outcome
    raise exc if isinstance(exc, BaseException) else RemoteError(message + "\n" + tb)


def main(job, result):
    with open(job, "rb") as f:
        fn, args, kwargs = pickle.load(f)
    try:
        outcome = ("ok", fn(*args, **kwargs))
    except Exception as e:  # every exception is this job's outcome
        tb = traceback.format_exc()
        try:
            pickle.dumps(e)
            outcome = ("error", e, str(e), tb)
        except Exception:
            outcome = ("error", None, "%s: %s" % (type(e).__name__, e), tb)
    sys.stdout.flush()
    with open(result, "wb") as f:
        pickle.dump(outcome, f)

