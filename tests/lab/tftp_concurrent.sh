# 50 transfers at once from castlined, with a mix of clients and options, all byte-equal, and
# castlined answers a new request afterwards (no leaked transfers or sockets).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
random_file "$BOOT/kernel" 4000000
tftp_start_castlined
out="$LAB_TMP/out"
mkdir -p "$out"

pids=()
for i in $(seq 1 50); do
    case $((i % 5)) in
        0) cli curl -sS -o "$out/$i" "tftp://$SRV_IP/kernel" & ;;
        1) cli curl -sS --tftp-blksize 1432 -o "$out/$i" "tftp://$SRV_IP/kernel" & ;;
        2) cli atftp --option "blksize 1468" --option "windowsize 4" -g -r kernel -l "$out/$i" \
               "$SRV_IP" >/dev/null 2>&1 & ;;
        3) cli atftp --option "blksize 1468" --option "windowsize 16" -g -r kernel -l "$out/$i" \
               "$SRV_IP" >/dev/null 2>&1 & ;;
        4) cli busybox tftp -b 1468 -g -r kernel -l "$out/$i" "$SRV_IP" & ;;
    esac
    pids+=($!)
done
failed=0
deadline=$((SECONDS + 120))
for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || { kill "$pid"; fail "a client was still running after 120 s"; }
        sleep 0.1
    done
    wait "$pid" || failed=$((failed + 1))
done
((failed == 0)) || fail "$failed of 50 clients failed"
for i in $(seq 1 50); do same "$BOOT/kernel" "$out/$i" "concurrent transfer $i"; done
pass "50 concurrent transfers byte-equal"

n=$(grep -c 'event=tftp_transfer file=kernel .*result=complete' "$CASTLINED_LOG")
((n == 50)) || fail "expected 50 complete transfers logged, found $n"
cli busybox tftp -g -r kernel -l "$out/after" "$SRV_IP"
same "$BOOT/kernel" "$out/after" "a transfer after the burst"
pass "50 complete transfers logged; castlined still serves afterwards"
