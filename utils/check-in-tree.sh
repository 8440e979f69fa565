#!/usr/bin/env bash
# Build the module in tree, as a new user would: ns-3.37's source from Debian's source package,
# this checkout in contrib/fortigate, `./ns3 configure --enable-modules=fortigate` (only the
# modules it needs), `./ns3 build`, then one example through `./ns3 run`.
#
# Too slow for every CI run (it compiles a dozen ns-3 modules): run it by hand after changing
# CMakeLists.txt, examples/CMakeLists.txt, the header list or includes.
#
# usage: utils/check-in-tree.sh [WORKDIR]   (default /tmp/fgsim-in-tree; reused when present)
# Environment: FGSIM_JOBS (default 2), FGSIM_INTREE_EXAMPLE (default nat-basic),
# FGSIM_INTREE_PROFILE (ns-3 build profile, default: ns-3's own default).
# Needs root (or sudo) once: it adds its own deb-src entry for bookworm and runs apt-get update.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-/tmp/fgsim-in-tree}
JOBS=${FGSIM_JOBS:-2}
EXAMPLE=${FGSIM_INTREE_EXAMPLE:-nat-basic}
PROFILE=${FGSIM_INTREE_PROFILE:-default}
SRC_LIST=/etc/apt/sources.list.d/fgsim-deb-src.sources
START=$(date +%s)

die() { echo "check-in-tree: $*" >&2; exit 1; }
step() { echo "check-in-tree: [$(( $(date +%s) - START ))s] $*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# ---- 1. ns-3.37's source from Debian's source package ---------------------------------------
mkdir -p "$WORK"
NS3_DIR=$(find "$WORK" -maxdepth 2 -type d -name 'ns-3.37' | head -n1)
if [ -z "$NS3_DIR" ]; then
    command -v dpkg-source >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends dpkg-dev
    if [ ! -f "$SRC_LIST" ]; then
        step "adding the deb-src entry $SRC_LIST"
        as_root tee "$SRC_LIST" >/dev/null <<'EOF'
# Added by ns-3 FortiGate's utils/check-in-tree.sh (apt-get source ns3).
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    fi
    step "apt-get source ns3 into $WORK"
    (cd "$WORK" && apt-get source -q ns3) || die "apt-get source ns3 failed"
    NS3_DIR=$(find "$WORK" -maxdepth 2 -type d -name 'ns-3.37' | head -n1)
    [ -n "$NS3_DIR" ] || die "no ns-3.37 folder in the source package"
fi
step "ns-3 source: $NS3_DIR"

# ---- 2. the module in contrib/fortigate (tracked and new files of this checkout) -------------
DEST="$NS3_DIR/contrib/fortigate"
rm -rf "$DEST"
# A reused tree keeps ns-3's forwarding headers (build/include/ns3/x.h: #include "<path>") of the
# module's previous layout: a header that moved (gre-header.h into pptp/) would still point at
# its old place. Drop the module's; configure writes them again.
if [ -d "$NS3_DIR/build/include/ns3" ]; then
    grep -l -F "/contrib/fortigate/" "$NS3_DIR/build/include/ns3/"*.h 2>/dev/null | xargs -r rm -f
fi
mkdir -p "$DEST"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
    | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$DEST"
step "module copied to $DEST"

# ---- 3. configure only what the module needs, build ------------------------------------------
cd "$NS3_DIR"
step "./ns3 configure --enable-modules=fortigate --enable-examples -d $PROFILE"
./ns3 configure --enable-modules=fortigate --enable-examples --disable-tests \
    --disable-python-bindings -d "$PROFILE" 2>&1 | tee "$WORK/configure.log" | tail -n 25
grep -q "fortigate" "$WORK/configure.log" || die "fortigate is not among the configured modules"
step "./ns3 build -j $JOBS"
if ! ./ns3 build -j "$JOBS" >"$WORK/build.log" 2>&1; then
    tail -n 60 "$WORK/build.log"
    die "build failed (log: $WORK/build.log)"
fi
grep -E "warning:" "$WORK/build.log" | grep -F "contrib/fortigate" | head -n 20 || true

# ---- 4. run one example ----------------------------------------------------------------------
step "./ns3 run '$EXAMPLE --quick'"
./ns3 run "$EXAMPLE --quick" 2>&1 | tee "$WORK/run.log" | tail -n 5
grep -q '^summary: ' "$WORK/run.log" || die "$EXAMPLE printed no summary line"
step "in-tree check passed in $(( $(date +%s) - START ))s"
