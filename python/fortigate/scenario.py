"""Build a FortiGate scenario in Python and run it.

The shape is the one the examples use::

    hosts on the LAN 10.0.1.0/24 -- port1 [FortiGate] port2 -- hosts on the WAN 203.0.113.0/24
                       (.1)                           (.1)

Hosts get .10, .11, ... in order (or the address you give); they route through the unit.
The unit starts from the factory configuration (no policy: nothing passes) plus your CLI.

    s = Scenario(seed=1)
    s.lan_host("alice"); s.wan_host("server")
    s.cli(OUTBOUND_NAT_POLICY)
    s.ftp_server("server", files={"big.bin": 200000})
    s.ftp_client("alice", server="server", FileName="big.bin", start=1.0)
    s.snapshot(2.0, "diagnose sys session list")
    r = s.run(duration=10)
    r.sessions, r.apps, r.events, r.snapshots, r.drops

``run()`` simulates in a child process (ns-3's simulator is global; an ns-3 abort then fails
that run with ChildProcessError instead of ending the interpreter); ``run(isolated=False)``
simulates in this process.
"""
import ipaddress
import re

from ._child import run_isolated
from ._errors import ConfigError
from .diagnose import parse_session_list
from .results import Records

#: A policy port1 -> port2, all addresses and services, with source NAT (the examples' base).
OUTBOUND_NAT_POLICY = """config firewall policy
    edit 1
        set name "lan-out"
        set srcintf "port1"
        set dstintf "port2"
        set action accept
        set srcaddr "all"
        set dstaddr "all"
        set schedule "always"
        set service "ALL"
        set nat enable
    next
end
"""

_SUBNET = {"lan": ipaddress.ip_network("10.0.1.0/24"),
           "wan": ipaddress.ip_network("203.0.113.0/24")}
_RATE = re.compile(r"^\d+(\.\d+)?([kKmMgG]?)(bps|b/s|Bps|B/s)$")
_TIME = re.compile(r"^\d+(\.\d+)?(s|ms|us|ns|min|h)$")
_KINDS = ("ftp-server", "ftp-client", "tftp-server", "tftp-client", "rtsp-server",
          "rtsp-client", "sip-registrar", "sip-phone", "bulk-tcp", "udp-echo")


def _number(name, value, minimum=0.0):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s must be a number, not %s" % (name, type(value).__name__))
    if value < minimum:
        raise ValueError("%s must be >= %s, not %s" % (name, minimum, value))
    return float(value)


class ScenarioResult:
    """What a scenario run produced.

    ``sessions`` / ``pinholes``: the session list / expectation list at the end (dicts with
    FortiOS field names); ``sessions_text`` / ``pinholes_text``: the same as FortiOS prints
    them; ``snapshots``: [{at, command, output}] of the commands scheduled with
    Scenario.snapshot; ``apps``: one dict per application (its results); ``events``: trace
    events (session-created, session-closed, drop, policy-denied) with their time;
    ``drops``: drop counters by reason; ``forwarded``: packets forwarded. ``apps``, ``events``
    and ``sessions`` are Records: ``.to_dataframe()`` with pandas installed.
    """

    def __init__(self, raw):
        self.raw = raw
        self.sessions_text = raw["sessions"]
        self.pinholes_text = raw["expectations"]
        self.sessions = Records(parse_session_list(raw["sessions"]))
        self.pinholes = Records(parse_session_list(raw["expectations"]))
        self.snapshots = Records(raw["snapshots"])
        self.apps = Records(raw["apps"])
        self.events = Records(raw["events"])
        self.drops = dict(raw["drops"])
        self.forwarded = raw["forwarded"]
        self.pinholes_used = raw["pinholes_used"]

    def app(self, name):
        """The result of the application called ``name``."""
        for a in self.apps:
            if a["name"] == name:
                return a
        raise KeyError("no application %r (applications: %s)"
                       % (name, ", ".join(a["name"] for a in self.apps)))

    def snapshot(self, command, at=None):
        """Output of a scheduled command (the last one run when ``at`` is None)."""
        outs = [s for s in self.snapshots
                if s["command"] == command and (at is None or abs(s["at"] - at) < 1e-9)]
        if not outs:
            raise KeyError("no snapshot of %r%s" % (command, "" if at is None else " at %s" % at))
        return outs[-1]["output"]

    def __repr__(self):
        return "<ScenarioResult sessions=%d apps=%d events=%d forwarded=%d>" % (
            len(self.sessions), len(self.apps), len(self.events), self.forwarded)


def _run_spec(spec):
    from . import _core
    return _core.run_scenario(spec)


class Scenario:
    """A FortiGate between a LAN and a WAN, with hosts, applications and CLI (see module doc)."""

    def __init__(self, seed=1, lan_rate="1Gbps", lan_delay="50us", wan_rate="100Mbps",
                 wan_delay="5ms"):
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 1:
            raise ValueError("seed must be a positive int, not %r" % (seed,))
        self._spec = {"seed": seed, "hosts": [], "apps": [], "cli": [], "snapshots": [],
                      "cpu": {}, "lan": {}, "wan": {}}
        self._next = {"lan": 10, "wan": 10}
        self._names = set()
        self.link("lan", lan_rate, lan_delay)
        self.link("wan", wan_rate, wan_delay)

    # ---- topology ----------------------------------------------------------------------
    def link(self, side, rate=None, delay=None):
        """Set the rate ("100Mbps") and one-way delay ("5ms") of the LAN or WAN segment."""
        if side not in ("lan", "wan"):
            raise ValueError("side must be 'lan' or 'wan', not %r" % (side,))
        if rate is not None:
            if not isinstance(rate, str) or not _RATE.match(rate):
                raise ValueError("%s rate %r: expected e.g. '100Mbps', '1Gbps'" % (side, rate))
            self._spec[side]["rate"] = rate
        if delay is not None:
            if not isinstance(delay, str) or not _TIME.match(delay):
                raise ValueError("%s delay %r: expected e.g. '5ms', '50us'" % (side, delay))
            self._spec[side]["delay"] = delay
        return self

    def _host(self, side, name, address):
        if not isinstance(name, str) or not re.match(r"^[A-Za-z][\w-]*$", name):
            raise ValueError("host name %r: letters, digits, '-' and '_', starting with a letter"
                             % (name,))
        if name in self._names:
            raise ValueError("host %r exists already" % name)
        net = _SUBNET[side]
        if address is None:
            address = str(net.network_address + self._next[side])
            self._next[side] += 1
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise ValueError("host %s: %r is not an IPv4 address" % (name, address)) from None
        if ip not in net or int(ip) & 0xff in (0, 1, 255):
            raise ValueError("host %s: %s must be a host address of %s other than .1 (the unit)"
                             % (name, ip, net))
        if any(h["address"] == str(ip) for h in self._spec["hosts"]):
            raise ValueError("host %s: address %s is taken" % (name, ip))
        self._names.add(name)
        self._spec["hosts"].append({"name": name, "side": side, "address": str(ip)})
        return str(ip)

    def lan_host(self, name, address=None):
        """Add a host behind the FortiGate (port1); returns its address."""
        return self._host("lan", name, address)

    def wan_host(self, name, address=None):
        """Add a host on the WAN side (port2); returns its address."""
        return self._host("wan", name, address)

    def address(self, name):
        """The address of host ``name``."""
        for h in self._spec["hosts"]:
            if h["name"] == name:
                return h["address"]
        raise KeyError("no host %r" % name)

    # ---- the unit ----------------------------------------------------------------------
    def cli(self, text, check=True):
        """Add FortiOS CLI for the unit (applied in order at install). With ``check`` the text
        is checked now: ConfigError for a bad line."""
        if not isinstance(text, str):
            raise TypeError("CLI text must be a str, not %s" % type(text).__name__)
        if check:
            from . import check_config
            check_config("".join(self._spec["cli"]) + text, interfaces=("port1", "port2"))
        self._spec["cli"].append(text if text.endswith("\n") else text + "\n")
        return self

    def cpu(self, **attributes):
        """Set attributes of the unit's CPU model (Cores, ProxyCost="50us", ...)."""
        self._spec["cpu"].update({k: str(v) for k, v in attributes.items()})
        return self

    def snapshot(self, at, command="diagnose sys session list"):
        """Run a CLI command on the unit at simulated time ``at`` (output in the result)."""
        self._spec["snapshots"].append({"at": _number("snapshot time", at),
                                        "command": str(command)})
        return self

    # ---- applications ------------------------------------------------------------------
    def app(self, kind, host, name=None, start=0.5, stop=None, **options):
        """Add an application of ``kind`` on ``host``; keyword options are the kind's
        (server=, port=, files=, user=, calls=, sink_host=) and any other is an ns-3 attribute
        of the application (e.g. FileName="x.bin", Mode="passive"). Returns its name."""
        if kind not in _KINDS:
            raise ValueError("unknown application kind %r (kinds: %s)" % (kind, ", ".join(_KINDS)))
        if host not in self._names:
            raise ValueError("%s: no host %r (add it with lan_host/wan_host first)" % (kind, host))
        name = name or "%s-%d" % (kind, len(self._spec["apps"]) + 1)
        if any(a["name"] == name for a in self._spec["apps"]):
            raise ValueError("application %r exists already" % name)
        entry = {"kind": kind, "host": host, "name": name, "start": _number("start", start)}
        if stop is not None:
            entry["stop"] = _number("stop", stop)
        for key in ("server", "port", "files", "user", "calls", "sink_host", "server_port"):
            if key in options:
                entry[key] = options.pop(key)
        server = entry.get("server")
        if server is not None and server not in self._names:
            try:
                ipaddress.IPv4Address(server)
            except ValueError:
                raise ValueError("%s: server %r is neither a host nor an IPv4 address"
                                 % (name, server)) from None
        if kind in ("bulk-tcp", "udp-echo"):
            entry.setdefault("sink_host", server)
            if entry["sink_host"] not in self._names:
                raise ValueError("%s: sink_host %r is not a host" % (name, entry["sink_host"]))
        entry["attributes"] = options
        self._spec["apps"].append(entry)
        return name

    def ftp_server(self, host, files, **kw):
        """An FTP server on ``host`` offering ``files`` ({name: size in bytes})."""
        return self.app("ftp-server", host, files=dict(files), **kw)

    def ftp_client(self, host, server, **kw):
        """An FTP client on ``host`` (FileName=, Mode="passive"/"active", Command=...)."""
        return self.app("ftp-client", host, server=server, **kw)

    def tftp_server(self, host, **kw):
        return self.app("tftp-server", host, **kw)

    def tftp_client(self, host, server, **kw):
        return self.app("tftp-client", host, server=server, **kw)

    def rtsp_server(self, host, **kw):
        return self.app("rtsp-server", host, **kw)

    def rtsp_client(self, host, server, **kw):
        return self.app("rtsp-client", host, server=server, **kw)

    def sip_registrar(self, host, **kw):
        """A SIP registrar/proxy on ``host`` (port 5060)."""
        return self.app("sip-registrar", host, **kw)

    def sip_phone(self, host, user, registrar=None, calls=(), **kw):
        """A SIP phone for ``user`` on ``host`` registering at ``registrar`` (a host or
        address); ``calls``: [(target, at, duration), ...] or dicts {to, at, duration}."""
        norm = []
        for c in calls:
            if isinstance(c, dict):
                norm.append({"to": str(c["to"]), "at": _number("call at", c.get("at", 1.0)),
                             "duration": _number("call duration", c.get("duration", 5.0))})
            else:
                to, at, duration = c
                norm.append({"to": str(to), "at": _number("call at", at),
                             "duration": _number("call duration", duration)})
        return self.app("sip-phone", host, user=user, server=registrar, calls=norm,
                        name=kw.pop("name", user), **kw)

    def bulk_tcp(self, host, to, **kw):
        """TCP bulk transfer from ``host`` to host ``to`` (MaxBytes=..., port=5001)."""
        return self.app("bulk-tcp", host, server=to, **kw)

    def udp_echo(self, host, to, **kw):
        """UDP echo client on ``host`` to a server on host ``to`` (MaxPackets=, Interval=)."""
        return self.app("udp-echo", host, server=to, **kw)

    # ---- run ---------------------------------------------------------------------------
    def spec(self):
        """The plain description this scenario runs (a dict)."""
        import copy
        return copy.deepcopy(self._spec)

    def run(self, duration=10.0, isolated=True, trace=True):
        """Simulate ``duration`` seconds; returns a ScenarioResult."""
        spec = self.spec()
        spec["duration"] = _number("duration", duration, 0.001)
        spec["trace"] = bool(trace)
        raw = run_isolated(_run_spec, spec) if isolated else _run_spec(spec)
        return ScenarioResult(raw)
