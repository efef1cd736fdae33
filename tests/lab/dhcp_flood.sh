# DHCP floods from made-up MACs against real castlined, with real clients after them
# (docs/dhcp.md, "Floods"). Namespaces on 198.18.0.0/24; every sender is bounded in count and time.
#  - full mode, a 100-address pool: 3,000 DISCOVERs hold every address with offers; busybox
#    udhcpc still gets a lease at once (the oldest unrequested offer is reused), and strace shows
#    the lease journal fdatasynced before the ACK is sent;
#  - full mode: 100,000 more DISCOVERs; proxy mode: 100,000 PXE DISCOVERs (each a new client for
#    the PXE inventory). castlined's resident memory grows by less than the documented bound, and
#    not in the second half of the flood, and a real client is still served (udhcpc / a PXE
#    DISCOVER answered).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"

probe="$CASTLINE_SOURCE_DIR/tests/dhcp/dhcp_probe.py"
flood_count=${CASTLINE_FLOOD_COUNT:-100000}
# Resident memory growth allowed under a flood of any length (docs/dhcp.md), and allowed in its
# second half (bounded structures are full by then). Under ASan, freed memory waits in a
# quarantine before reuse: keep it small so the measurement is of castlined.
rss_bound_kib=$((16 * 1024))
rss_flat_kib=$((2 * 1024))
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"

srv="${LAB_PREFIX}srv"
dhcp_lan "$srv"
dhcp_attach "$srv" "${LAB_PREFIX}f" f0
dhcp_attach "$srv" "${LAB_PREFIX}c1" c1
dhcp_attach "$srv" "${LAB_PREFIX}c2" c2
dhcp_write_hooks

rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$castlined_pid/status"; }
flood() {  # flood NAME MIN_PERCENT ARGS...: prints the summary; fails if fewer were answered
    local name=$1 min=$2; shift 2
    ip netns exec "${LAB_PREFIX}f" timeout 90 python3 "$probe" flood --interface f0 "$@" \
        >"$LAB_TMP/$name.json" || fail "flood $name: sender failed"
    python3 - "$LAB_TMP/$name.json" "$name" "$min" <<'PY' || fail "flood $name: $(cat "$LAB_TMP/$name.json")"
import json, sys
r = json.load(open(sys.argv[1]))
print("   %s: %d sent, %d answered in %.1f s" % (sys.argv[2], r["sent"], r["replies"], r["seconds"]))
sys.exit(0 if r["replies"] * 100 >= int(sys.argv[3]) * r["sent"] else 1)
PY
}
udhcpc_lease() {  # udhcpc_lease NS IF NAME: one DORA, at most 3 DISCOVERs 1 s apart
    timeout 10 ip netns exec "$1" busybox udhcpc -f -q -n -i "$2" -s "$LAB_TMP/$3.sh" -t 3 -T 1 \
        >"$LAB_TMP/$3.log" 2>&1 || fail "udhcpc on $2 got no lease after the flood"
    awk '$1=="bound"{print $2; exit}' "$LAB_TMP/$3.events"
}

config="$LAB_TMP/site.yaml"
cat >"$config" <<'YAML'
version: 1
server: {interfaces: [br0], data_dir: ./state, api_port: 0}
boot: {root: ./boot, unknown_hosts: local}
dhcp:
  mode: full
  pools:
    - {interface: br0, range: [198.18.0.100, 198.18.0.199], router: 198.18.0.1, lease_time: 1h}
YAML
castlined_start "$srv" "$LAB_TMP/castlined-full.log" "$config"
rss_start=$(rss_kib)

# 1. Every address offered to made-up clients, then a real one.
flood offers 0 --count 3000 --seconds 20 --plain
cp "$LAB_TMP/udhcpc.sh" "$LAB_TMP/first.sh"
# strace the DORA: the ACK's sendto/sendmsg must come after the journal's fdatasync.
lab_spawn "$LAB_TMP/strace.log" strace -f -qq -T -yy -xx -s 512 -e trace=sendto,sendmsg,fdatasync,fsync \
    -o "$LAB_TMP/strace.out" -p "$castlined_pid"
strace_pid=$LAB_LAST_PID
sleep 1  # attached (strace prints nothing with -qq)
t0=$SECONDS
ip1=$(udhcpc_lease "${LAB_PREFIX}c1" c1 first)
[[ $ip1 =~ ^198\.18\.0\.1[0-9][0-9]$ ]] || fail "udhcpc bound '$ip1'"
pass "after 3,000 DISCOVERs from made-up MACs udhcpc got $ip1 in $((SECONDS - t0)) s"
kill -INT "$strace_pid"
wait "$strace_pid" 2>/dev/null || true
# The ACK: a DHCP reply (op 2) whose first option is 53 = 5.
python3 - "$LAB_TMP/strace.out" <<'PY' || fail "ACK not sent after the lease journal's fdatasync: see $LAB_TMP/strace.out"
import re, sys
unhex = lambda text: re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text)
synced = None
for line in open(sys.argv[1]):
    line = unhex(line)  # strace -xx: every byte as \xNN, paths too
    m = re.search(r"fdatasync\(\d+<[^>]*/dhcp-leases>\)\s*=\s*0 <([0-9.]+)>", line)
    if m:
        synced = float(m.group(1))
        continue
    # A BOOTREPLY (op 2) whose options, after the magic cookie, start with 53 = 5 (ACK).
    m = re.search(r"send(?:to|msg)\(\d+<[^>]*>, \"\x02(.*)", line, re.S)
    if m and "\x63\x82\x53\x63\x35\x01\x05" in m.group(1):
        if synced is None:
            sys.exit(1)
        print("   strace: fdatasync of the journal (%.1f ms) before the ACK's sendto" % (synced * 1000))
        sys.exit(0)
sys.exit(1)
PY
pass "strace: the lease journal was fdatasynced before the ACK left"

# 2. A long flood: memory stays bounded, a real client is still served.
flood full-1 80 --count $((flood_count / 2)) --seconds 30 --plain
rss_half=$(rss_kib)
flood full-2 80 --count $((flood_count / 2)) --seconds 30 --plain
rss_full=$(rss_kib)
echo "   RSS: start $rss_start, half $rss_half, end $rss_full KiB"
cp "$LAB_TMP/udhcpc.sh" "$LAB_TMP/second.sh"
ip2=$(udhcpc_lease "${LAB_PREFIX}c2" c2 second)
[[ -n $ip2 && $ip2 != "$ip1" ]] || fail "second client bound '$ip2' (first $ip1)"
((rss_full - rss_start < rss_bound_kib && rss_full - rss_half < rss_flat_kib)) ||
    fail "full mode: resident memory grew from $rss_start to $rss_half to $rss_full KiB"
pass "full mode: $flood_count DISCOVERs, RSS $rss_start -> $rss_full KiB, udhcpc got $ip2"
castlined_stop
[[ $(grep -c '^L1 ' "$LAB_TMP/state/dhcp-leases") -le 100 ]] || fail "lease journal holds more than the pool"

# 3. Proxy mode: every DISCOVER a new PXE client for the inventory.
sed -i 's/mode: full/mode: proxy/' "$config"
castlined_start "$srv" "$LAB_TMP/castlined-proxy.log" "$config"
rss_start=$(rss_kib)
flood proxy-1 80 --count $((flood_count / 2)) --seconds 30 --arch 7
rss_half=$(rss_kib)
flood proxy-2 80 --count $((flood_count / 2)) --seconds 30 --arch 7
rss_proxy=$(rss_kib)
echo "   RSS: start $rss_start, half $rss_half, end $rss_proxy KiB"
ip netns exec "${LAB_PREFIX}c1" timeout 10 python3 "$probe" discover --interface c1 --arch 0 \
    --mac 52:54:00:00:00:77 >"$LAB_TMP/pxe.json" || fail "no proxy offer for a PXE client after the flood"
grep -q '"from": "198.18.0.1:67".*"file": "undionly.kpxe"\|"file": "undionly.kpxe".*"from": "198.18.0.1:67"' "$LAB_TMP/pxe.json" || fail "proxy offer without a boot file: $(cat "$LAB_TMP/pxe.json")"
# A known client repeating itself changes no fact: the inventory file is not rewritten (each
# save replaces it, so its inode would change).
sleep 1.5
inode=$(stat -c %i "$LAB_TMP/state/pxe-clients.tsv")
for _ in 1 2; do
    ip netns exec "${LAB_PREFIX}c1" timeout 10 python3 "$probe" discover --interface c1 --arch 0 \
        --mac 52:54:00:00:00:77 --wait 1 >/dev/null || fail "no proxy offer for the PXE client's repeat"
done
sleep 1.5
[[ $(stat -c %i "$LAB_TMP/state/pxe-clients.tsv") == "$inode" ]] ||
    fail "the inventory was rewritten although only last-seen times changed"
pass "a known PXE client's repeated DISCOVERs did not rewrite the inventory"
((rss_proxy - rss_start < rss_bound_kib && rss_proxy - rss_half < rss_flat_kib)) ||
    fail "proxy mode: resident memory grew from $rss_start to $rss_half to $rss_proxy KiB"
castlined_stop
clients=$(grep -vc '^#' "$LAB_TMP/state/pxe-clients.tsv")
((clients <= 10000)) || fail "inventory holds $clients clients, more than its maximum 10,000"
grep -q '^52:54:00:00:00:77' "$LAB_TMP/state/pxe-clients.tsv" || fail "the real PXE client is not in the inventory"
grep -q 'event=pxe_inventory_full' "$LAB_TMP/castlined-proxy.log" || fail "no warning that the inventory is full"
pass "proxy mode: $flood_count PXE DISCOVERs, RSS $rss_start -> $rss_proxy KiB, inventory $clients clients, PXE client answered"
