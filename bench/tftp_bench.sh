#!/bin/bash
# TFTP and HTTP throughput of castlined against atftpd 0.8, tftpd-hpa 5.2 and dnsmasq 2.90, one
# run, same 64 MiB file, same client (atftp 0.8), blksize 1468, windowsize 1..64, inside a pair
# of network namespaces joined by a veth link. Peers without windowsize get windowsize 1 only.
# atftpd and tftpd-hpa conflict as packages, so both are fetched with apt-get download and
# unpacked (dpkg -x) into a temporary folder, never installed. Prints a table of MB/s
# (10^6 bytes per second, median of RUNS runs; every download is checked byte-equal).
#
# Usage (root): bench/tftp_bench.sh   Env: CASTLINE_BIN (default build/release/bin), RUNS (3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CASTLINE_SOURCE_DIR="${CASTLINE_SOURCE_DIR:-$(dirname "$here")}"
export CASTLINE_BIN="${CASTLINE_BIN:-$CASTLINE_SOURCE_DIR/build/release/bin}"
RUNS=${RUNS:-3}
WINDOWS=(1 4 8 16 32 64)
source "$CASTLINE_SOURCE_DIR/tests/lab/lib.sh"
source "$CASTLINE_SOURCE_DIR/tests/lab/tftp_lib.sh"
[[ -x $CASTLINE_BIN/castlined ]] || fail "no castlined in $CASTLINE_BIN (run scripts/build.sh release)"

# --- the peers, unpacked, not installed
debs="$LAB_TMP/debs"
mkdir -p "$debs"
(cd "$debs" && apt-get download atftpd tftpd-hpa libwrap0 >/dev/null 2>&1) ||
    fail "apt-get download atftpd tftpd-hpa libwrap0 failed"
for deb in "$debs"/*.deb; do dpkg -x "$deb" "$debs/root"; done
ATFTPD="$debs/root/usr/sbin/atftpd"
mkdir -p "$debs/hpa" && dpkg -x "$debs"/tftpd-hpa_*.deb "$debs/hpa"
HPA="$debs/hpa/usr/sbin/in.tftpd"
export LD_LIBRARY_PATH="$debs/root/usr/lib/x86_64-linux-gnu:$debs/root/lib/x86_64-linux-gnu"
"$HPA" -V >/dev/null 2>&1 || fail "tftpd-hpa from the deb does not run"

tftp_lab_network
size=$((64 * 1024 * 1024))
random_file "$BOOT/image.bin" "$size"
chmod 755 "$LAB_TMP" "$BOOT"
chmod 644 "$BOOT/image.bin"
out="$LAB_TMP/out.bin"

srv() { ip netns exec "$SRV_NS" "$@"; }
wait_port() {  # wait_port udp|tcp PORT
    local flag=-Hlun; [[ $1 == tcp ]] && flag=-Hltn
    for _ in $(seq 1 100); do
        [[ -n $(srv ss $flag "sport = :$2") ]] && return 0
        sleep 0.05
    done
    fail "nothing listens on $1 port $2"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# mbps_of SECONDS: MB/s for the file.
mbps_of() { echo "scale=1; $size / $1 / 1000000" | bc; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure WINDOWSIZE: runs atftp RUNS times, prints the median MB/s ("-" when a run failed).
measure() {
    local w=$1 rates=() opts=(--option "blksize 1468")
    [[ $w != none ]] && opts+=(--option "windowsize $w")
    for _ in $(seq 1 "$RUNS"); do
        rm -f "$out"
        local t0 t1
        t0=$(date +%s%N)
        if ! cli timeout 120 atftp "${opts[@]}" -g -r image.bin -l "$out" "$SRV_IP" \
            >>"$LAB_TMP/atftp.log" 2>&1; then
            echo "-"; return
        fi
        t1=$(date +%s%N)
        cmp -s "$BOOT/image.bin" "$out" || { echo "corrupt"; return; }
        rates+=("$(mbps_of "$(echo "scale=6; ($t1 - $t0) / 1000000000" | bc)")")
    done
    median "${rates[@]}"
}

declare -A result
# castlined: TFTP and HTTP from one daemon.
tftp_start_castlined
for w in "${WINDOWS[@]}"; do result[castlined,$w]=$(measure "$w"); done
http_rates=()
for _ in $(seq 1 "$RUNS"); do
    rm -f "$out"
    t0=$(date +%s%N)
    cli curl -sS -f -o "$out" "http://$SRV_IP:$HTTP_PORT/image.bin"
    t1=$(date +%s%N)
    cmp -s "$BOOT/image.bin" "$out" || fail "HTTP download differs"
    http_rates+=("$(mbps_of "$(echo "scale=6; ($t1 - $t0) / 1000000000" | bc)")")
done
http_rate=$(median "${http_rates[@]}")
stop "$CASTLINED_PID"

# atftpd 0.8, foreground, as root so it can read the temporary tree.
lab_spawn "$LAB_TMP/atftpd.log" ip netns exec "$SRV_NS" "$ATFTPD" --daemon --no-fork \
    --port 69 --bind-address "$SRV_IP" --user root --group root --logfile - "$BOOT"
pid=$LAB_LAST_PID
wait_port udp 69
for w in "${WINDOWS[@]}"; do result[atftpd,$w]=$(measure "$w"); done
stop "$pid"

# tftpd-hpa 5.2 in the foreground (-L); no windowsize.
lab_spawn "$LAB_TMP/hpa.log" ip netns exec "$SRV_NS" "$HPA" -L -u root -a "$SRV_IP:69" -s "$BOOT"
pid=$LAB_LAST_PID
wait_port udp 69
result[tftpd-hpa,1]=$(measure none)
stop "$pid"

# dnsmasq 2.90 as a TFTP server only (--port=0: no DNS); no windowsize.
lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "$SRV_NS" dnsmasq --keep-in-foreground \
    --conf-file=/dev/null --port=0 --enable-tftp --tftp-root="$BOOT" --user=root \
    --listen-address="$SRV_IP" --bind-interfaces --pid-file="$LAB_TMP/dnsmasq.pid"
pid=$LAB_LAST_PID
wait_port udp 69
result[dnsmasq,1]=$(measure none)
stop "$pid"

printf '\nTFTP, 64 MiB, atftp client, blksize 1468, MB/s (median of %s runs)\n' "$RUNS"
printf '| windowsize | castlined | atftpd 0.8 | tftpd-hpa 5.2 | dnsmasq 2.90 |\n'
printf '| ---: | ---: | ---: | ---: | ---: |\n'
for w in "${WINDOWS[@]}"; do
    printf '| %s | %s | %s | %s | %s |\n' "$w" "${result[castlined,$w]}" "${result[atftpd,$w]}" \
        "${result[tftpd-hpa,$w]:-n/a}" "${result[dnsmasq,$w]:-n/a}"
done
printf '\nHTTP, same file, curl from castlined: %s MB/s\n' "$http_rate"
