"""ns-3 FortiGate from Python.

Offline: ``check_config`` (FortiOS CLI), ``replay`` (a capture through a configured unit), the
pure parsers (``parse_sip``, ``parse_sdp``, ``find_ftp_address_commands``, ``parse_tftp``,
``parse_rtsp``, ``parse_pptp``, ``parse_rsh_start``) and the FortiOS output parsers
(``parse_session_list``). Simulations: ``run_example`` (the example programs),
``Scenario`` (build your own), ``sweep`` (parameter sweeps on Dask) and ``plot`` (gnuplot).
Simulations run in their own processes: ns-3's simulator is global, and an ns-3 abort must not
end the interpreter.
"""
import re as _re

from . import _core
from ._errors import ConfigError, ExampleError, FortiGateError, ReplayError, ScenarioError
from .diagnose import parse_session_list, parse_summary
from .examples import example_parameters, list_examples, run_example
from .plot import plot
from .replay import ReplayResult, replay
from .results import Records
from .scenario import OUTBOUND_NAT_POLICY, Scenario, ScenarioResult
from .sweep import grid_points, sweep

__all__ = [
    "ConfigError", "ExampleError", "FortiGateError", "ReplayError", "ScenarioError",
    "check_config", "table_paths", "replay", "ReplayResult", "run_example", "list_examples",
    "example_parameters", "Scenario", "ScenarioResult", "OUTBOUND_NAT_POLICY", "sweep",
    "grid_points", "plot", "Records", "parse_session_list", "parse_summary", "parse_sip",
    "parse_sdp", "find_ftp_address_commands", "parse_tftp", "parse_rtsp", "parse_pptp",
    "parse_rsh_start",
]


def check_config(text, full=False, restore=False, interfaces=()):
    """Run FortiOS CLI ``text`` on a factory-default configuration and return ``show`` of the
    result (every value with ``full``; ``restore`` loads it as a backup restore does).
    ``interfaces``: names of the unit's ports before the text (as ``./fgsim cli``, none by
    default: the text configures them; a Scenario's unit has "port1" and "port2").

    Raises ConfigError (``.line``, ``.token``, ``.return_code``, FortiOS message) when a line
    is rejected; nothing is applied then. TypeError when ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError("check_config: text must be a str (FortiOS CLI), not %s"
                        % type(text).__name__)
    if isinstance(interfaces, str):
        interfaces = [interfaces]
    r = _core.check_config(text, bool(full), bool(restore), [str(i) for i in interfaces])
    if not r["ok"]:
        m = _re.search(r"'([^']*)'|\"([^\"]*)\"", r["error"])
        token = (m.group(1) if m.group(1) is not None else m.group(2)) if m else None
        raise ConfigError(r["error"], line=r["line"], token=token, return_code=r["return_code"])
    return r["show"]


table_paths = _core.table_paths


def _bytes(data):
    if isinstance(data, str):
        return data.encode("utf-8", "surrogateescape")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError("expected bytes or str, not %s" % type(data).__name__)


def parse_sip(data, stream=False):
    """Parse one SIP message (a UDP payload; ``stream=True``: the start of a TCP stream).
    Returns a dict: status ('ok', 'incomplete', 'error'), method/request_uri or
    status_code/reason, headers, vias, from, to, contacts, call_id, cseq, sdp (dict or None),
    violations (FortiOS malformed-header checks), ..."""
    return _core.parse_sip(_bytes(data), bool(stream))


def parse_sdp(data):
    """Parse an SDP body: origin, connections, media (port, proto, formats, connection,
    rtcp_port, direction, attributes), violations."""
    return _core.parse_sdp(_bytes(data))


def find_ftp_address_commands(data, from_client):
    """The PORT/EPRT (``from_client=True``) or 227/229 announcements in FTP control bytes:
    a list of dicts {kind, address, port, line, text}."""
    return _core.find_ftp_address_commands(_bytes(data), bool(from_client))


def parse_tftp(data):
    """Parse one TFTP packet (op, filename/mode/options, block, data, error); ValueError when
    it is not one."""
    return _core.parse_tftp(_bytes(data))


def parse_rtsp(data):
    """Parse one RTSP message: status ('complete', 'incomplete', 'invalid'), method/uri or
    status_code/reason, cseq, session, headers, transports (client_port, server_port, ...)."""
    return _core.parse_rtsp(_bytes(data))


def parse_pptp(data):
    """Parse the PPTP control messages of one TCP payload: status, messages (type, name,
    call_id, peer_call_id, ...), consumed, error."""
    return _core.parse_pptp(_bytes(data))


def parse_rsh_start(data):
    """Parse the start of an rsh connection (stderr_port, local_user, remote_user, command);
    ValueError when incomplete or malformed."""
    return _core.parse_rsh_start(_bytes(data))
