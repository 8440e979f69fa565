"""Parsers of FortiOS text output, for simulated and real FortiGates alike.

``parse_session_list`` reads ``diagnose sys session list`` (and ``... list expectation``)
output into one dict per session with the FortiOS field names (``proto``, ``proto_state``,
``duration``, ``expire``, ``timeout``, ``policy_id``, ``serial``, ``helper``, ``state``, the
``statistic`` counters, the NAT ``hook`` lines) plus the tuple read from the hooks (``src``,
``sport``, ``dst``, ``dport`` and, when translated, ``nat_src``/``nat_sport`` or
``nat_dst``/``nat_dport``). ``parse_summary`` reads the ``summary: key=value ...`` line the
examples and tools print.
"""
import re

_KV = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\S*)")
_HOOK = re.compile(
    r"hook=(?P<hook>\w+) dir=(?P<dir>\w+) act=(?P<act>\w+) "
    r"(?P<src>[\d.]+):(?P<sport>\d+)->(?P<dst>[\d.]+):(?P<dport>\d+)"
    r"\((?P<nat>[\d.]+):(?P<nport>\d+)\)")
_STAT = re.compile(r"(org|reply)=(\d+)/(\d+)/(\d+)")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def number(text):
    """``text`` as an int or float when it is a decimal number, else unchanged."""
    if isinstance(text, str) and _NUMBER.match(text):
        try:
            return int(text)
        except ValueError:
            return float(text)
    return text


def parse_summary(text):
    """The ``key=value`` pairs of the last ``summary:`` line in ``text`` (numbers as numbers;
    ``-`` as None). Raises ValueError when there is no summary line."""
    lines = [l for l in text.splitlines() if l.startswith("summary:")]
    if not lines:
        raise ValueError("no 'summary:' line in the output")
    out = {}
    for key, value in _KV.findall(lines[-1][len("summary:"):]):
        out[key] = None if value == "-" else number(value)
    return out


def _session(block):
    s = {}
    hooks = []
    for line in block.splitlines():
        line = line.strip()
        if not line:
            continue
        m = _HOOK.match(line)
        if m:
            h = {k: number(v) for k, v in m.groupdict().items()}
            hooks.append(h)
            continue
        if line.startswith("statistic("):
            for d, b, p, e in _STAT.findall(line):
                s[d + "_bytes"], s[d + "_packets"], s[d + "_allow_err"] = int(b), int(p), int(e)
            continue
        if line.startswith("state="):
            s["state"] = line[len("state="):].split()
            continue
        if line.startswith("orgin->sink:"):
            m2 = re.search(r"dev=(\S+) gwy=(\S+)", line)
            if m2:
                s["dev"], s["gwy"] = m2.group(1), m2.group(2)
            continue
        if line.startswith("tx speed") or line.startswith("pos/"):
            continue
        for key, value in _KV.findall(line):
            # serial=, flags=, sockflag= are hexadecimal in FortiOS output: keep the text.
            s.setdefault(key, value if key in ("serial", "flags", "sockflag", "proto_state")
                         else number(value))
    s["hooks"] = hooks
    org = [h for h in hooks if h["dir"] == "org"]
    if org:
        first = org[0]
        s["src"], s["sport"], s["dst"], s["dport"] = (first["src"], first["sport"],
                                                      first["dst"], first["dport"])
        for h in org:
            if h["act"] == "snat":
                s["nat_src"], s["nat_sport"] = h["nat"], h["nport"]
            elif h["act"] == "dnat":
                s["nat_dst"], s["nat_dport"] = h["nat"], h["nport"]
    return s


def parse_session_list(text):
    """The sessions of ``diagnose sys session list`` output: a list of dicts (see module doc)."""
    blocks = re.split(r"(?m)^(?=session info:)", text or "")
    return [_session(b) for b in blocks if b.startswith("session info:")]


def parse_total(text):
    """The ``total session N`` count of a session list, or None."""
    m = re.search(r"total session (\d+)", text or "")
    return int(m.group(1)) if m else None
