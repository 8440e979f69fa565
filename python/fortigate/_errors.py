"""Exceptions of the fortigate package."""


class FortiGateError(Exception):
    """Base class of the package's errors."""


class ConfigError(FortiGateError, ValueError):
    """FortiOS CLI text was rejected.

    Attributes: ``line`` (1-based line of the failing command, 0 when unknown), ``token`` (the
    word FortiOS complained about, or None), ``return_code`` (FortiOS ``Return code``, e.g.
    -61 for a parse error) and ``message`` (the FortiOS error text, also ``str(err)``).
    """

    def __init__(self, message, line=0, token=None, return_code=0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.token = token
        self.return_code = return_code


class ExampleError(FortiGateError):
    """An example program failed (non-zero exit, crash, or no ``summary:`` line).

    Attributes: ``name``, ``params``, ``returncode`` (negative: killed by that signal) and
    ``output`` (the tail of what it printed).
    """

    def __init__(self, message, name=None, params=None, returncode=None, output=""):
        super().__init__(message)
        self.name = name
        self.params = params or {}
        self.returncode = returncode
        self.output = output


class ReplayError(FortiGateError):
    """fgsim-replay refused its arguments or could not read the capture."""


class ScenarioError(FortiGateError):
    """A scenario's simulation process failed (e.g. ns-3 aborted)."""
