#!/bin/bash
# TFTP and HTTP throughput of castlined against atftpd 0.8, tftpd-hpa 5.2 and dnsmasq 2.90, one
# run, same 64 MiB file, same client (atftp 0.8), blksize 1468, windowsize 1..64, inside a pair
# of network namespaces joined by a veth link. Peers without windowsize get windowsize 1 only.
# atftpd and tftpd-hpa conflict as packages, so both are fetched with apt-get download and
# unpacked (dpkg -x) into a temporary folder, never installed. Prints a table of MB/s
# (10^6 bytes per second, median of RUNS interleaved runs; every download is checked
# byte-equal).
#
# Usage (root): bench/tftp_bench.sh   Env: CASTLINE_BIN (default build/release/bin), RUNS (5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CASTLINE_SOURCE_DIR="${CASTLINE_SOURCE_DIR:-$(dirname "$here")}"
export CASTLINE_BIN="${CASTLINE_BIN:-$CASTLINE_SOURCE_DIR/build/release/bin}"
RUNS=${RUNS:-5}
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
# A second veth pair for the peers, one address each, so that all servers run at once and the
# runs interleave: load from elsewhere on the machine then hits every server alike.
ip link add "${LAB_PREFIX}p" netns "$SRV_NS" type veth peer name "${LAB_PREFIX}q" netns "$CLI_NS"
for a in 1 2 3; do ip -n "$SRV_NS" addr add "198.18.4.$a/24" dev "${LAB_PREFIX}p"; done
ip -n "$CLI_NS" addr add 198.18.4.100/24 dev "${LAB_PREFIX}q"
ip -n "$SRV_NS" link set "${LAB_PREFIX}p" up
ip -n "$CLI_NS" link set "${LAB_PREFIX}q" up
declare -A address=([castlined]=$SRV_IP [atftpd]=198.18.4.1 [tftpd-hpa]=198.18.4.2
                    [dnsmasq]=198.18.4.3)

size=$((64 * 1024 * 1024))
random_file "$BOOT/image.bin" "$size"
chmod 755 "$LAB_TMP" "$BOOT"
chmod 644 "$BOOT/image.bin"
out="$LAB_TMP/out.bin"

wait_udp() {  # wait_udp ADDRESS: until something listens on ADDRESS:69 in the server namespace
    for _ in $(seq 1 100); do
        ip netns exec "$SRV_NS" ss -Hlun | grep -q "$1:69 " && return 0
        sleep 0.05
    done
    fail "nothing listens on $1:69"
}
seconds_since() { echo "scale=6; ($(date +%s%N) - $1) / 1000000000" | bc; }
mbps_of() { echo "scale=1; $size / $1 / 1000000" | bc; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure_once SERVER WINDOWSIZE|none: one atftp download; prints MB/s, "-" on failure.
measure_once() {
    local opts=(--option "blksize 1468") t0
    [[ $2 != none ]] && opts+=(--option "windowsize $2")
    rm -f "$out"
    t0=$(date +%s%N)
    if ! cli timeout 120 atftp "${opts[@]}" -g -r image.bin -l "$out" "${address[$1]}" \
        >>"$LAB_TMP/atftp.log" 2>&1; then
        echo "-"
        return
    fi
    local s
    s=$(seconds_since "$t0")
    cmp -s "$BOOT/image.bin" "$out" || fail "$1 windowsize $2: the download differs"
    mbps_of "$s"
}

tftp_start_castlined
lab_spawn "$LAB_TMP/atftpd.log" ip netns exec "$SRV_NS" "$ATFTPD" --daemon --no-fork \
    --port 69 --bind-address "${address[atftpd]}" --user root --group root --logfile - "$BOOT"
lab_spawn "$LAB_TMP/hpa.log" ip netns exec "$SRV_NS" "$HPA" -L -u root \
    -a "${address[tftpd-hpa]}:69" -s "$BOOT"
lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "$SRV_NS" dnsmasq --keep-in-foreground \
    --conf-file=/dev/null --port=0 --enable-tftp --tftp-root="$BOOT" --user=root \
    --listen-address="${address[dnsmasq]}" --bind-interfaces --pid-file="$LAB_TMP/dnsmasq.pid"
for server in atftpd tftpd-hpa dnsmasq; do wait_udp "${address[$server]}"; done

declare -A rates
http_rates=()
for run in $(seq 1 "$RUNS"); do
    for w in "${WINDOWS[@]}"; do
        for server in castlined atftpd; do
            rates[$server,$w]+="$(measure_once "$server" "$w") "
        done
    done
    # tftpd-hpa and dnsmasq have no windowsize: windowsize 1 means no option at all.
    for server in tftpd-hpa dnsmasq; do
        rates[$server,1]+="$(measure_once "$server" none) "
    done
    rm -f "$out"
    t0=$(date +%s%N)
    cli curl -sS -f -o "$out" "http://$SRV_IP:$HTTP_PORT/image.bin"
    s=$(seconds_since "$t0")
    cmp -s "$BOOT/image.bin" "$out" || fail "HTTP download differs"
    http_rates+=("$(mbps_of "$s")")
    echo "run $run of $RUNS done" >&2
done

cell() {  # cell SERVER WINDOWSIZE: the median, or n/a
    local values=${rates[$1,$2]:-}
    [[ -z $values ]] && { echo "n/a"; return; }
    # shellcheck disable=SC2086
    median $values
}
printf '\nTFTP, 64 MiB, atftp client, blksize 1468, MB/s (median of %s interleaved runs)\n' "$RUNS"
printf '| windowsize | castlined | atftpd 0.8 | tftpd-hpa 5.2 | dnsmasq 2.90 |\n'
printf '| ---: | ---: | ---: | ---: | ---: |\n'
for w in "${WINDOWS[@]}"; do
    printf '| %s | %s | %s | %s | %s |\n' "$w" "$(cell castlined "$w")" "$(cell atftpd "$w")" \
        "$(cell tftpd-hpa "$w")" "$(cell dnsmasq "$w")"
done
printf '\nHTTP, same file, curl from castlined: %s MB/s (median)\n' "$(median "${http_rates[@]}")"
