"""Replay a capture through a FortiGate configured by CLI text (``./fgsim replay``).

The replay runs the project's fgsim-replay program (one process per replay: ns-3's simulator
is global) and reads its report into a ReplayResult.
"""
import os
import re
import subprocess
import tempfile

from . import _paths
from ._errors import ConfigError, ReplayError
from .diagnose import number, parse_session_list, parse_summary
from .results import Records

_PACKET = re.compile(r"#(?P<number>\d+) (?P<time>[\d.]+) (?P<rest>.*)$")
# "port1 tcp a:1 -> b:2 [S]: forwarded -> wan1 ..." / "...: dropped: reason" (fgsim-replay)
_VERDICT = re.compile(r"(?P<interface>\S+) (?P<packet>.*?): "
                      r"(?P<verdict>forwarded|dropped|delivered to the unit|no output)"
                      r"(?P<tail>.*)$")


class ReplayResult:
    """What a replay produced.

    - ``packets``: one dict per captured packet: ``number`` (in the file), ``time`` (seconds
      from the first), ``interface`` (where it arrived; None for skipped packets), ``packet``
      (as captured), ``verdict`` (``forwarded``, ``dropped``, ``skipped``, ``delivered``,
      ``no output``), ``reason`` (drop/skip reason), ``output`` (what left, as text), ``notes``
      (the indented lines: sessions created, pinholes opened, ...);
    - ``sessions``/``pinholes``: ``diagnose sys session list`` / ``... list expectation`` at
      the end, parsed (dicts with FortiOS field names; see fortigate.diagnose);
    - ``drops``: drop counters by reason; ``summary``: the summary line; ``exec``: {command:
      output} of the ``exec`` commands; ``text``: the whole report.
    """

    def __init__(self, text):
        self.text = text
        self.packets = Records()
        self.exec = {}
        self.drops = {}
        sections = {}
        current = None
        for line in text.splitlines():
            if line.startswith("# "):
                current = line[2:]
                sections[current] = []
                continue
            if current is not None:
                if line.startswith("drops:") or line.startswith("skipped:") \
                        or line.startswith("summary:"):
                    current = None
                else:
                    sections[current].append(line)
                    continue
            if line.startswith("drops:"):
                for key, value in re.findall(r"(\S+)=(\d+)", line):
                    self.drops[key] = int(value)
                continue
            m = _PACKET.match(line)
            if m:
                self.packets.append(self._packet(m))
            elif line.startswith("  ") and self.packets:
                self.packets[-1]["notes"].append(line.strip())
        self.sessions_text = "\n".join(sections.get("diagnose sys session list", []))
        self.pinholes_text = "\n".join(sections.get("diagnose sys session list expectation", []))
        self.sessions = Records(parse_session_list(self.sessions_text))
        self.pinholes = Records(parse_session_list(self.pinholes_text))
        for key, lines in sections.items():
            if key.startswith("exec: "):
                self.exec[key[len("exec: "):]] = "\n".join(lines).rstrip("\n") + "\n"
        self.summary = parse_summary(text)

    @staticmethod
    def _packet(m):
        rest = m.group("rest")
        p = {"number": int(m.group("number")), "time": float(m.group("time")),
             "interface": None, "packet": None, "verdict": None, "reason": None,
             "output": None, "notes": []}
        if rest.startswith("skipped: "):
            p["verdict"], p["reason"] = "skipped", rest[len("skipped: "):]
            return p
        v = _VERDICT.match(rest)
        if not v:  # a line this parser does not know: keep it whole
            p["verdict"] = rest
            return p
        p["interface"], p["packet"] = v.group("interface"), v.group("packet")
        verdict, tail = v.group("verdict"), v.group("tail")
        p["verdict"] = {"delivered to the unit": "delivered"}.get(verdict, verdict)
        if verdict == "dropped":
            p["reason"] = tail[2:] if tail.startswith(": ") else tail.strip()
        elif verdict == "forwarded":
            p["output"] = tail.strip() or None
        return p

    def __repr__(self):
        return "<ReplayResult %s>" % " ".join("%s=%s" % kv for kv in self.summary.items())


def replay(config_text, pcap_path, write=None, exec=(), options=()):
    """Replay capture ``pcap_path`` (pcap or pcapng) through a FortiGate configured by
    ``config_text`` (FortiOS CLI; it must configure the interfaces' addresses).

    ``write``: path of a pcap (classic, raw IPv4) to write what the unit sent. ``exec``: CLI commands run on
    the unit after the replay (``show``, ``get``, ``diagnose ...``), their output in
    ``result.exec``. ``options``: further fgsim-replay options (e.g. ``["--map",
    "127.0.0.1=10.0.1.10"]``). Returns a ReplayResult. Raises ConfigError for rejected CLI
    text, FileNotFoundError for a missing capture, ReplayError for an unreadable one, TypeError
    for wrong argument types.
    """
    if not isinstance(config_text, str):
        raise TypeError("config_text must be a str (FortiOS CLI), not %s"
                        % type(config_text).__name__)
    if not isinstance(pcap_path, (str, os.PathLike)):
        raise TypeError("pcap_path must be a path, not %s" % type(pcap_path).__name__)
    if isinstance(exec, str):
        exec = [exec]
    exec = list(exec)
    if not all(isinstance(c, str) for c in exec):
        raise TypeError("exec must be a list of CLI command strings")
    pcap_path = os.fspath(pcap_path)
    if not os.path.isfile(pcap_path):
        raise FileNotFoundError("capture %s does not exist" % pcap_path)
    with tempfile.NamedTemporaryFile("w", suffix=".conf", prefix="fgsim-replay-") as conf:
        conf.write(config_text)
        conf.flush()
        args = [_paths.program("utils", "fgsim-replay"), "--config", conf.name]
        if write is not None:
            args += ["--write", os.fspath(write)]
        for c in exec:
            # --after: run once the capture is replayed (--exec runs before it).
            args += ["--after", c]
        args += [str(o) for o in options]
        args.append(pcap_path)
        proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode == 1:
        err = proc.stderr.replace(conf.name + ": ", "").strip()
        m = re.search(r"line (\d+): (.*)", err)
        if m:
            token = re.search(r"'([^']*)'", err)
            raise ConfigError(err.splitlines()[0] if err else "configuration rejected",
                              line=int(m.group(1)), token=token.group(1) if token else None,
                              return_code=_return_code(err))
        raise ConfigError(err.replace("fgsim-replay: ", "") or "configuration rejected")
    if proc.returncode != 0:
        how = ("killed by signal %d" % -proc.returncode if proc.returncode < 0
               else "exit status %d" % proc.returncode)
        raise ReplayError("replay of %s failed (%s): %s"
                          % (pcap_path, how, proc.stderr.strip().replace("fgsim-replay: ", "")
                             .splitlines()[0] if proc.stderr.strip() else ""))
    return ReplayResult(proc.stdout)


def _return_code(text):
    m = re.search(r"Return code (-?\d+)", text)
    return number(m.group(1)) if m else 0
