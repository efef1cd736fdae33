# castline wake sends magic packets that a capture in another namespace sees byte for byte: as a
# raw 0x0842 frame and as UDP to the subnet broadcast on ports 9 and 7, with and without SecureOn,
# in waves of --count hosts per --interval.
source "$(dirname "$0")/lib.sh"

a="${LAB_PREFIX}wa"
b="${LAB_PREFIX}wb"
lab_netns "$a"
lab_netns "$b"
ip link add wa netns "$a" type veth peer name wb netns "$b"
ip -n "$a" addr add 198.18.10.1/24 dev wa
ip -n "$b" addr add 198.18.10.2/24 dev wb
ip -n "$a" link set wa address 02:00:00:00:0a:01 up
ip -n "$b" link set wb up

capture() {  # capture FILE: starts tcpdump in b and waits until it listens
    lab_spawn "$1.log" ip netns exec "$b" tcpdump -i wb --immediate-mode -U -w "$1" 'ether proto 0x0842 or udp port 9 or udp port 7'
    tcpdump_pid=$LAB_LAST_PID
    lab_wait_for "$1.log" 'listening on'
}
stop_capture() {
    sleep 0.3
    kill -INT "$tcpdump_pid"
    wait "$tcpdump_pid" || true
}
# packets FILE FILTER: one line per packet, "EPOCH.USEC HEX", for packets matching FILTER.
packets() {
    tcpdump -r "$1" -nn -tt -xx "$2" 2>/dev/null | awk '
        /^[0-9]/ { if (hex != "") print t, hex; t = $1; hex = ""; next }
        { for (i = 2; i <= NF; i++) hex = hex $i }
        END { if (hex != "") print t, hex }'
}
repeat16() { local s=""; for _ in $(seq 16); do s+="$1"; done; echo "$s"; }

mac1=525400000a11 mac2=525400000a12 mac3=525400000a13
capture "$LAB_TMP/plain.pcap"
ip netns exec "$a" "$CASTLINE_BIN/castline" wake --interface wa --count 2 --interval 1 --repeat 1 \
    52:54:00:00:0a:11 52:54:00:00:0a:12 52-54-00-00-0a-13 >"$LAB_TMP/wake.log" 2>&1 \
    || fail "castline wake failed: $(cat "$LAB_TMP/wake.log")"
stop_capture

raw=$(packets "$LAB_TMP/plain.pcap" 'ether proto 0x0842')
[[ $(wc -l <<<"$raw") -eq 3 ]] || fail "expected 3 raw frames, got: $raw"
expected="ffffffffffff020000000a01""0842""ffffffffffff$(repeat16 $mac1)"
[[ $(sed -n 1p <<<"$raw" | cut -d' ' -f2) == "$expected" ]] || fail "raw frame 1 differs: $raw"
pass "raw 0x0842 frames carry the magic packet byte for byte"

for port in 9 7; do
    udp=$(packets "$LAB_TMP/plain.pcap" "udp dst port $port and dst host 198.18.10.255")
    [[ $(wc -l <<<"$udp") -eq 3 ]] || fail "expected 3 UDP datagrams to port $port, got: $udp"
    # Ethernet (14) + IPv4 (20) + UDP (8) headers precede the payload: 84 hex digits.
    payload=$(sed -n 2p <<<"$udp" | cut -d' ' -f2 | cut -c85-)
    [[ $payload == "ffffffffffff$(repeat16 $mac2)" ]] || fail "UDP payload to port $port differs: $payload"
done
pass "UDP datagrams to the subnet broadcast on ports 9 and 7 carry the magic packet"

t1=$(sed -n 1p <<<"$raw" | cut -d' ' -f1)
t2=$(sed -n 2p <<<"$raw" | cut -d' ' -f1)
t3=$(sed -n 3p <<<"$raw" | cut -d' ' -f1)
awk -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN { exit !((b - a) < 0.5 && (c - a) >= 0.95 && (c - a) < 2.5) }' \
    || fail "waves not paced: first wave at $t1 $t2, second at $t3"
grep -q 'wave 2/2' "$LAB_TMP/wake.log" || fail "no progress line for the second wave"
! grep -q 'level=' "$LAB_TMP/wake.log" || fail "castline wake printed log lines: $(cat "$LAB_TMP/wake.log")"
pass "two hosts in the first wave, the third one interval later"

capture "$LAB_TMP/secure.pcap"
ip netns exec "$a" "$CASTLINE_BIN/castline" wake --interface wa --repeat 2 --raw-only \
    --password 01:02:03:04:05:06 52:54:00:00:0a:13 >/dev/null 2>&1 || fail "wake with SecureOn failed"
stop_capture
raw=$(packets "$LAB_TMP/secure.pcap" 'ether proto 0x0842')
[[ $(wc -l <<<"$raw") -eq 2 ]] || fail "expected 2 repeated raw frames, got: $raw"
[[ $(packets "$LAB_TMP/secure.pcap" 'udp' | wc -c) -eq 0 ]] || fail "--raw-only sent UDP"
[[ $(sed -n 1p <<<"$raw" | cut -d' ' -f2) == "ffffffffffff020000000a010842ffffffffffff$(repeat16 $mac3)010203040506" ]] \
    || fail "SecureOn frame differs: $raw"
pass "SecureOn password follows the sixteen MACs; --repeat and --raw-only are honoured"

if ip netns exec "$a" "$CASTLINE_BIN/castline" wake --interface nosuch0 52:54:00:00:0a:13 2>"$LAB_TMP/err.log"; then
    fail "waking through a missing interface succeeded"
fi
grep -q "interface 'nosuch0' does not exist" "$LAB_TMP/err.log" || fail "unclear error: $(cat "$LAB_TMP/err.log")"
if "$CASTLINE_BIN/castline" wake --interface wa ws01 2>"$LAB_TMP/err.log"; then fail "a host name without --config worked"; fi
grep -q "need a site config: --config FILE, CASTLINE_CONFIG or /etc/castline/site.yaml" "$LAB_TMP/err.log" \
    || fail "unclear error: $(cat "$LAB_TMP/err.log")"
pass "bad interface and unknown names are clear errors"

# Host names through $CASTLINE_CONFIG, printed with their MACs.
cat >"$LAB_TMP/site.yaml" <<'YAML'
version: 1
server: {interfaces: [wa]}
dhcp: {mode: off}
boot: {root: ./boot, tftp_port: 0, http_port: 0}
hosts: [{mac: "52:54:00:00:0a:13", name: ws13}]
YAML
CASTLINE_CONFIG="$LAB_TMP/site.yaml" ip netns exec "$a" "$CASTLINE_BIN/castline" wake --repeat 1 ws13 \
    >"$LAB_TMP/named.out" 2>"$LAB_TMP/named.err" || fail "wake by name through CASTLINE_CONFIG failed: $(cat "$LAB_TMP/named.err")"
grep -q "woke ws13 52:54:00:00:0a:13 via wa" "$LAB_TMP/named.out" || fail "the host is not named: $(cat "$LAB_TMP/named.out")"
[[ ! -s "$LAB_TMP/named.err" ]] || fail "castline wake wrote to stderr: $(cat "$LAB_TMP/named.err")"
rc=0
CASTLINE_CONFIG="$LAB_TMP/site.yaml" "$CASTLINE_BIN/castline" wake --interface wa nobody 2>"$LAB_TMP/nobody.err" || rc=$?
((rc == 1)) || fail "an unknown name exited $rc"
grep -qF "nor a host or group of the site config $LAB_TMP/site.yaml (CASTLINE_CONFIG)" "$LAB_TMP/nobody.err" \
    || fail "the error does not name the config: $(cat "$LAB_TMP/nobody.err")"
pass "host names come from \$CASTLINE_CONFIG; the output names host and MAC without log lines"
