# Shared helpers for lab tests. Source it; it sets `set -euo pipefail` and an EXIT trap that
# stops every process started with lab_spawn and deletes every namespace made with lab_netns.
set -euo pipefail

: "${CASTLINE_BIN:?CASTLINE_BIN must point at the bin folder of a build}"
: "${CASTLINE_SOURCE_DIR:?CASTLINE_SOURCE_DIR must point at the source tree}"

LAB_TMP="$(mktemp -d /tmp/castline-lab.XXXXXX)"
LAB_PIDS=()
LAB_NETNS=()
LAB_LOOPS=()
LAB_PREFIX="cl$$"  # namespace and device names unique to this test run

lab_cleanup() {
    local rc=$?
    # A spawned shell function runs in a subshell whose child is the real process: stop the
    # children too, or they outlive the test (and keep its namespace alive).
    for pid in "${LAB_PIDS[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; done
    for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for ns in "${LAB_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    for loop in "${LAB_LOOPS[@]}"; do losetup -d "$loop" 2>/dev/null || true; done
    if ((rc != 0)); then
        echo "--- lab test failed (rc=$rc); logs in $LAB_TMP:" >&2
        for f in "$LAB_TMP"/*.log; do [[ -f $f ]] && { echo "== $f" >&2; tail -n 40 "$f" >&2; }; done
    else
        rm -rf "$LAB_TMP"
    fi
    exit "$rc"
}
trap lab_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# lab_spawn LOGFILE CMD...: starts CMD in the background, remembers its PID in LAB_LAST_PID.
lab_spawn() {
    local logfile=$1; shift
    "$@" >"$logfile" 2>&1 &
    LAB_LAST_PID=$!
    LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_netns NAME: creates a namespace with loopback up; deleted on exit.
lab_netns() {
    ip netns add "$1"
    LAB_NETNS+=("$1")
    ip -n "$1" link set lo up
}

# lab_veth_ns NAME IF ADDRESS/PREFIX: a namespace (deleted on exit) whose interface IF carries
# ADDRESS; IF is one end of a veth pair with both ends inside, as this kernel has no dummy
# interfaces. For a castlined that serves IF without a peer to talk to.
lab_veth_ns() {
    lab_netns "$1"
    ip -n "$1" link add "$2" type veth peer name "${2}p"
    ip -n "$1" addr add "$3" dev "$2"
    ip -n "$1" link set "$2" up
    ip -n "$1" link set "${2}p" up
}

# lab_loop FILE: attaches FILE to a new loop device, named in LAB_LAST_LOOP; detached on exit.
lab_loop() {
    LAB_LAST_LOOP=$(losetup -f --show "$1")
    LAB_LOOPS+=("$LAB_LAST_LOOP")
}

# lab_wait_for FILE PATTERN [SECONDS]: waits until FILE has a line matching PATTERN.
lab_wait_for() {
    local file=$1 pattern=$2 seconds=${3:-10}
    local deadline=$((SECONDS + seconds))
    until grep -qE -- "$pattern" "$file" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "timed out after ${seconds}s waiting for /$pattern/ in $file"
        sleep 0.05
    done
}

# lab_wait_exit PID SECONDS: waits for PID to exit; fails if it is still running after SECONDS.
lab_wait_exit() {
    local pid=$1 seconds=$2 waited=0
    while kill -0 "$pid" 2>/dev/null; do
        ((waited < seconds * 20)) || fail "process $pid still running after ${seconds}s"
        sleep 0.05
        waited=$((waited + 1))
    done
}
