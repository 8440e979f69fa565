"""Where the build tree's programs are (the package runs examples and tools as processes)."""
import os

try:
    from . import _build
except ImportError:  # pragma: no cover - only when the package is used without a build
    _build = None


def binary_dir():
    """The CMake build directory (FGSIM_BUILD_DIR overrides the one the package was built in)."""
    env = os.environ.get("FGSIM_BUILD_DIR")
    if env:
        return env
    if _build is None:
        raise RuntimeError("fortigate: no build directory known (run ./fgsim build)")
    return _build.BINARY_DIR


def source_dir():
    """The project's source directory."""
    return _build.SOURCE_DIR if _build else os.path.dirname(os.path.dirname(__file__))


def example_names():
    """Names of the example programs, as `./fgsim list` prints them."""
    return list(_build.EXAMPLES) if _build else []


def program(*parts):
    """Path of a built program under the build directory; FileNotFoundError when missing."""
    path = os.path.join(binary_dir(), *parts)
    if not os.access(path, os.X_OK):
        raise FileNotFoundError("%s is not built (run ./fgsim build)" % path)
    return path
