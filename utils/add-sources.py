#!/usr/bin/env python3
"""Add files to a list in CMakeLists.txt (examples: examples/CMakeLists.txt) and
wscript-compat/wscript (both), idempotently.
usage: add-sources.py sources|headers|examples|tests|bench FILE..."""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
kind, files = sys.argv[1], sys.argv[2:]
cvar = {"sources": "fortigate_sources", "headers": "fortigate_headers",
        "examples": "fortigate_examples", "tests": "fortigate_test_sources",
        "bench": "fortigate_bench_sources"}[kind]
wvar = {"sources": "FORTIGATE_SOURCES", "headers": "FORTIGATE_HEADERS",
        "examples": "FORTIGATE_EXAMPLES"}.get(kind)
cm = root / ("examples/CMakeLists.txt" if kind == "examples" else "CMakeLists.txt")
text = cm.read_text()
m = re.search(r"set\(%s\n(.*?)\)" % cvar, text, re.S)
have = m.group(1).split()
add = [f for f in files if f not in have]
if add:
    text = text[:m.end(1)] + "".join("    %s\n" % f for f in add) + text[m.end(1):]
    cm.write_text(text)
if wvar:
    ws = root / "wscript-compat" / "wscript"
    text = ws.read_text()
    m = re.search(r"^%s = \[\n(.*?)\]" % wvar, text, re.S | re.M)
    have = re.findall(r"'([^']+)'", m.group(1))
    add = [f for f in files if f not in have]
    if add:
        text = text[:m.end(1)] + "".join("    '%s',\n" % f for f in add) + text[m.end(1):]
        ws.write_text(text)
