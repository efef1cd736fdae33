# Transfers complete byte-equal while both namespaces drop 5 % of incoming UDP at random
# (nftables; this kernel has no netem): data and ACKs are lost, retransmission recovers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
for ns in "$SRV_NS" "$CLI_NS"; do
    ip netns exec "$ns" nft add table inet t
    ip netns exec "$ns" nft add chain inet t c '{ type filter hook input priority 0; }'
    ip netns exec "$ns" nft add rule inet t c meta l4proto udp numgen random mod 1000 '<' 50 counter drop
done
random_file "$BOOT/a.bin" 300000
random_file "$BOOT/b.bin" 2000000
tftp_start_castlined
out="$LAB_TMP/out"
mkdir -p "$out"

start=$SECONDS
# The peers give up by their own retry limits (atftp exits 255 after a few lost replies in a row,
# which 5 % loss in both directions sometimes produces); a person would ask again, so each client
# gets up to three attempts; what it finally wrote is compared byte for byte.
attempts() {
    local try
    for try in 1 2 3; do
        "$@" && return 0
        echo "client attempt $try failed: $*" >>"$LAB_TMP/client-retries.log"
    done
    return 1
}
attempts cli atftp --tftp-timeout 1 --option "blksize 1468" -g -r a.bin -l "$out/w1" "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
same "$BOOT/a.bin" "$out/w1" "atftp windowsize 1 under loss"
# atftp's windowed receive answers only the first repeated block with an ACK; when that ACK is
# lost it waits for its own timer, which only silence lets run out (docs/adr/0011).
for w in 4 16; do
    attempts cli atftp --tftp-timeout 1 --option "blksize 1468" --option "windowsize $w" -g -r b.bin -l "$out/w$w" \
        "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
    same "$BOOT/b.bin" "$out/w$w" "atftp windowsize $w under loss"
done
pass "atftp windowsize 1, 4 and 16 under 5 % loss"
attempts cli busybox tftp -b 1468 -g -r a.bin -l "$out/bb" "$SRV_IP"
same "$BOOT/a.bin" "$out/bb" "busybox tftp under loss"
pass "busybox tftp under 5 % loss"
attempts cli curl -sS --tftp-blksize 1468 -o "$out/curl" "tftp://$SRV_IP/a.bin"
same "$BOOT/a.bin" "$out/curl" "curl under loss"
pass "curl under 5 % loss"

dropped=0
for ns in "$SRV_NS" "$CLI_NS"; do
    n=$(ip netns exec "$ns" nft list chain inet t c | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
    dropped=$((dropped + n))
done
((dropped > 20)) || fail "only $dropped packets dropped: the loss rule did not bite"
grep -o 'event=tftp_transfer file=[^ ]* .*duration_ms=[0-9]*' "$CASTLINED_LOG" |
    sed 's/client=.*requested=\("[^"]*"\|\)//; s/mode=octet //' || true
timeouts=$(grep -o 'timeouts=[0-9]*' "$CASTLINED_LOG" | cut -d= -f2 | paste -sd+ | bc)
pass "$dropped packets dropped, $timeouts server timeouts, all done in $((SECONDS - start)) s"
