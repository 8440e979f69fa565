#!/usr/bin/env python3
"""Fail when CMakeLists.txt (examples: examples/CMakeLists.txt) and wscript-compat/wscript list
different sources, headers or examples, or when a listed file does not exist."""
import ast
import re
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)


def cmake_list(text, var):
    m = re.search(r"set\(\s*%s\b(.*?)\)" % re.escape(var), text, re.S)
    if not m:
        sys.exit("CMakeLists.txt: no set(%s ...)" % var)
    body = re.sub(r"#[^\n]*", "", m.group(1))
    return body.split()


def wscript_list(text, var):
    m = re.search(r"^%s\s*=\s*(\[.*?\])" % re.escape(var), text, re.S | re.M)
    if not m:
        sys.exit("wscript: no %s = [...]" % var)
    return list(ast.literal_eval(m.group(1)))


cm = (root / "CMakeLists.txt").read_text()
cm_examples = (root / "examples" / "CMakeLists.txt").read_text()
ws = (root / "wscript-compat" / "wscript").read_text()
bad = 0
for cvar, wvar in (("fortigate_sources", "FORTIGATE_SOURCES"),
                   ("fortigate_headers", "FORTIGATE_HEADERS"),
                   ("fortigate_examples", "FORTIGATE_EXAMPLES")):
    a = cmake_list(cm_examples if cvar == "fortigate_examples" else cm, cvar)
    b = wscript_list(ws, wvar)
    for name in sorted(set(a) - set(b)):
        print("%s: %s is in CMakeLists.txt but not in wscript-compat/wscript" % (cvar, name))
        bad += 1
    for name in sorted(set(b) - set(a)):
        print("%s: %s is in wscript-compat/wscript but not in CMakeLists.txt" % (wvar, name))
        bad += 1
    for name in a:
        path = root / ("examples/%s.cc" % name if cvar == "fortigate_examples" else name)
        if not path.exists():
            print("%s: %s does not exist" % (cvar, path))
            bad += 1
if bad:
    sys.exit(1)
print("source lists agree")
