#!/bin/bash
# DHCP benchmark: perfdhcp (Kea's load generator) against castline full mode (leases persisted),
# Kea's kea-dhcp4 (memfile, persisted) and dnsmasq (lease file), one after another in the same
# namespace pair, then castline proxy mode (PXE DISCOVER -> OFFER only). Prints a table with
# the rate achieved, drops, p50/p99 latency (from perfdhcp -x t timestamps) and the server's own
# CPU time per exchange, which stays meaningful when other work loads the machine.
# Usage (root): bench/dhcp_bench.sh [SECONDS_PER_RUN] [RATES...]    e.g. bench/dhcp_bench.sh 10 2000 4000 6000
# Needs the release build (scripts/build.sh release) and packages kea-admin, kea-dhcp4-server,
# dnsmasq-base. All traffic stays inside two namespaces made here (198.18.0.0/16) and removed after.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export CASTLINE_SOURCE_DIR="$here" CASTLINE_BIN="${CASTLINE_BIN:-$here/build/release/bin}"
source "$here/tests/lab/lib.sh"
period=${1:-10}
shift || true
rates=("${@:-2000 4000 6000}")
read -r -a rates <<<"${rates[*]}"
for tool in perfdhcp kea-dhcp4 dnsmasq "$CASTLINE_BIN/castlined"; do
    command -v "$tool" >/dev/null || fail "$tool missing"
done

srv="${LAB_PREFIX}bs" cli="${LAB_PREFIX}bc"
lab_netns "$srv"
lab_netns "$cli"
ip link add bs0 type veth peer name bc0
ip link set bs0 netns "$srv"
ip link set bc0 netns "$cli"
ip -n "$srv" addr add 198.18.0.1/16 dev bs0
ip -n "$cli" addr add 198.18.0.2/16 dev bc0
ip -n "$srv" link set bs0 up
ip -n "$cli" link set bc0 up
clients=50000  # distinct client MACs; the pool (198.18.1.0-198.18.255.254) holds them all

start_castline() {  # MODE: castlined on a site config; ready once its DHCP socket is bound
    cat >"$LAB_TMP/castline-$1.yaml" <<YAML
version: 1
server: {interfaces: [bs0], data_dir: ./castline-state, log_level: warn, api_port: 0}
boot: {root: ./boot, tftp_port: 0, http_port: 0, unknown_hosts: local}
dhcp:
  mode: $1
  pools: [{interface: bs0, range: [198.18.1.0, 198.18.255.254], router: 198.18.0.1, lease_time: 1h}]
YAML
    mkdir -p "$LAB_TMP/boot"
    lab_spawn "$LAB_TMP/castline.log" ip netns exec "$srv" "$CASTLINE_BIN/castlined" \
        --config "$LAB_TMP/castline-$1.yaml"
    server_pid=$LAB_LAST_PID
    local deadline=$((SECONDS + 20))
    until ip netns exec "$srv" ss -Hlun 'sport = :67' | grep -q .; do
        kill -0 "$server_pid" 2>/dev/null || fail "castlined did not start: $(cat "$LAB_TMP/castline.log")"
        ((SECONDS < deadline)) || fail "castlined did not bind port 67 within 20 s"
        sleep 0.1
    done
}
start_kea() {
    cat >"$LAB_TMP/kea.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["bs0"]},
  "lease-database": {"type": "memfile", "persist": true, "name": "$LAB_TMP/kea-leases4.csv",
                     "lfc-interval": 0},
  "valid-lifetime": 3600,
  "subnet4": [{"id": 1, "subnet": "198.18.0.0/16",
               "pools": [{"pool": "198.18.1.0 - 198.18.255.254"}]}],
  "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}],
               "severity": "WARN"}]}}
JSON
    lab_spawn "$LAB_TMP/kea.log" env KEA_LOCKFILE_DIR="$LAB_TMP" KEA_PIDFILE_DIR="$LAB_TMP" \
        ip netns exec "$srv" kea-dhcp4 -c "$LAB_TMP/kea.json"
    server_pid=$LAB_LAST_PID
    lab_wait_for "$LAB_TMP/kea.log" 'DHCP4_STARTED|DHCP4_MULTI_THREADING_INFO' 10
}
start_dnsmasq() {
    lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "$srv" dnsmasq --no-ping -d -C /dev/null \
        --port=0 --interface=bs0 --bind-interfaces --dhcp-range=198.18.1.0,198.18.255.254,1h \
        --dhcp-lease-max=70000 --dhcp-leasefile="$LAB_TMP/dnsmasq.leases" \
        --pid-file="$LAB_TMP/dnsmasq.pid"
    server_pid=$LAB_LAST_PID
    lab_wait_for "$LAB_TMP/dnsmasq.log" 'DHCP, IP range'
}
server_cpu() {  # CPU seconds (user + system) the server process has used so far
    awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$server_pid/stat"
}
stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    rm -rf "$LAB_TMP/castline-state" "$LAB_TMP"/kea-leases4.csv* "$LAB_TMP/dnsmasq.leases"
}

# perfdhcp as a relay on 198.18.0.2 (-l ADDRESS), -x t for per-exchange timestamps.
# Prints: achieved_rate do_sent do_drop% ra_sent ra_drop% p50_ms p99_ms
run_perfdhcp() {  # RATE [extra perfdhcp args...]
    local rate=$1; shift
    local out="$LAB_TMP/perfdhcp.out"
    ip netns exec "$cli" timeout $((period + 20)) perfdhcp -4 -l 198.18.0.2 -r "$rate" \
        -R "$clients" -p "$period" -x t "$@" 198.18.0.1 >"$out" 2>&1 || true
    python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rate = re.search(r"Rate: ([\d.]+)", text)
def section(name):
    m = re.search(r"Statistics for: %s\*\*\*(.*?)(\*\*\*|$)" % name, text, re.S)
    if not m:
        return 0, float("nan")
    s = m.group(1)
    sent = int(re.search(r"sent packets: (\d+)", s).group(1))
    drops = int(re.search(r"drops: (\d+)", s).group(1))
    return sent, (100.0 * drops / sent if sent else float("nan"))
delays = []
for kind in ("DISCOVER-OFFER", "REQUEST-ACK"):
    m = re.search(r"Timestamps for packets: %s\*\*\*\n(.*?)(\n\*\*\*|\Z)" % kind, text, re.S)
    if m:
        for a, b in re.findall(r"sent / received: ([\d.]+) / ([\d.]+)", m.group(1)):
            delays.append((float(b) - float(a)) * 1000)
delays.sort()
pct = lambda p: delays[min(len(delays) - 1, int(p * len(delays)))] if delays else float("nan")
do, ra = section("DISCOVER-OFFER"), section("REQUEST-ACK")
print("%s %d %.2f %d %.2f %.2f %.2f" % (rate.group(1) if rate else "0", do[0], do[1], ra[0],
                                         ra[1], pct(0.5), pct(0.99)))
PY
}

rows=()
for rate in "${rates[@]}"; do
    for server in castline kea dnsmasq; do
        case $server in
            castline) start_castline full ;;
            kea) start_kea ;;
            dnsmasq) start_dnsmasq ;;
        esac
        cpu0=$(server_cpu)
        read -r achieved do_sent do_drop ra_sent ra_drop p50 p99 < <(run_perfdhcp "$rate")
        cpu=$(awk -v a="$cpu0" -v b="$(server_cpu)" -v n="$achieved" -v p="$period" \
            'BEGIN {printf "%.0f", (n > 0 ? (b - a) * 1e6 / (n * p) : 0)}')
        stop_server
        rows+=("$server full|$rate|$achieved|$do_drop|$ra_drop|$p50|$p99|$cpu")
        echo "  $server rate=$rate: ${achieved} DORA/s, drops DO ${do_drop}% RA ${ra_drop}%, p50 ${p50} ms, p99 ${p99} ms, ${cpu} us CPU/DORA" >&2
    done
    # Proxy mode: PXE DISCOVERs (60 PXEClient, 93 BIOS), DISCOVER->OFFER only (-i).
    start_castline proxy
    cpu0=$(server_cpu)
    read -r achieved do_sent do_drop ra_sent ra_drop p50 p99 < <(run_perfdhcp "$rate" -i \
        -o 60,505845436c69656e743a417263683a30303030303a554e44493a303032303031 -o 93,0000)
    cpu=$(awk -v a="$cpu0" -v b="$(server_cpu)" -v n="$achieved" -v p="$period" \
        'BEGIN {printf "%.0f", (n > 0 ? (b - a) * 1e6 / (n * p) : 0)}')
    stop_server
    rows+=("castline proxy (DO only)|$rate|$achieved|$do_drop|-|$p50|$p99|$cpu")
    echo "  castline proxy rate=$rate: ${achieved} DO/s, drops ${do_drop}%" >&2
done

echo
echo "DHCP benchmark: perfdhcp, ${period} s per run, $clients clients, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
printf '| %-24s | %6s | %10s | %10s | %10s | %8s | %8s | %11s |\n' server "rate" "achieved/s" "DO drops %" "RA drops %" "p50 ms" "p99 ms" "CPU us/exch"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..26})" "--------" "------------" "------------" "------------" "----------" "----------" "-------------"
for row in "${rows[@]}"; do
    IFS='|' read -r name rate achieved dod rad p50 p99 cpu <<<"$row"
    printf '| %-24s | %6s | %10s | %10s | %10s | %8s | %8s | %11s |\n' "$name" "$rate" "$achieved" "$dod" "$rad" "$p50" "$p99" "$cpu"
done
