# Real TFTP clients (curl, atftp, busybox) fetch files from castlined over a veth pair, with and
# without options, and get them byte-equal; a 33 MiB file at blksize 512 crosses the block
# number rollover; each transfer is logged with file, client, options, bytes and rate.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
mkdir -p "$BOOT/efi/x64"
printf 'small file\n' >"$BOOT/small.txt"
random_file "$BOOT/efi/x64/loader.efi" 3000000
random_file "$BOOT/rollover.bin" 34603009  # 67584 blocks of 512 and one byte: past 65535
: >"$BOOT/empty"
random_file "$BOOT/exact.bin" 2936  # two full 1468-byte blocks: ends with an empty block
tftp_start_castlined
out="$LAB_TMP/out"
mkdir -p "$out"
url="tftp://$SRV_IP"

cli curl -sS -o "$out/c1" "$url/small.txt"
same "$BOOT/small.txt" "$out/c1" "curl, no blksize"
cli curl -sS -o "$out/c2" "$url/efi/x64/loader.efi"
same "$BOOT/efi/x64/loader.efi" "$out/c2" "curl, default blksize"
cli curl -sS --tftp-blksize 1432 -o "$out/c3" "$url/efi/x64/loader.efi"
same "$BOOT/efi/x64/loader.efi" "$out/c3" "curl --tftp-blksize 1432 (iPXE's)"
cli curl -sS --tftp-no-options -o "$out/c4" "$url/efi/x64/loader.efi"
same "$BOOT/efi/x64/loader.efi" "$out/c4" "curl --tftp-no-options"
pass "curl: with and without blksize, no options"

for w in 1 4 16 64; do
    cli atftp --option "blksize 1468" --option "windowsize $w" -g -r efi/x64/loader.efi \
        -l "$out/a$w" "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
    same "$BOOT/efi/x64/loader.efi" "$out/a$w" "atftp blksize 1468 windowsize $w"
done
cli atftp --option "blksize 1468" --option "windowsize 4" -g -r exact.bin -l "$out/a-exact" \
    "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
same "$BOOT/exact.bin" "$out/a-exact" "atftp, file of whole blocks"
cli atftp --option "blksize 8" -g -r small.txt -l "$out/a-tiny" "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
same "$BOOT/small.txt" "$out/a-tiny" "atftp blksize 8"
cli atftp --option "tsize 0" -g -r 'efi\x64\loader.efi' -l "$out/a-bs" "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
same "$BOOT/efi/x64/loader.efi" "$out/a-bs" "atftp, backslashes in the name"
pass "atftp: windowsize 1/4/16/64, blksize 8, whole-block file, backslash names"

cli busybox tftp -g -r efi/x64/loader.efi -l "$out/b1" "$SRV_IP"
same "$BOOT/efi/x64/loader.efi" "$out/b1" "busybox tftp"
cli busybox tftp -b 1468 -g -r /efi/x64/loader.efi -l "$out/b2" "$SRV_IP"
same "$BOOT/efi/x64/loader.efi" "$out/b2" "busybox tftp -b 1468, leading slash"
cli busybox tftp -g -r empty -l "$out/b3" "$SRV_IP"
same "$BOOT/empty" "$out/b3" "busybox tftp, empty file"
pass "busybox tftp: default, blksize 1468, empty file"

cli curl -sS --tftp-blksize 512 -o "$out/roll-curl" "$url/rollover.bin"
same "$BOOT/rollover.bin" "$out/roll-curl" "curl, 33 MiB at blksize 512"
cli atftp --option "blksize 512" --option "windowsize 8" -g -r rollover.bin \
    -l "$out/roll-atftp" "$SRV_IP" >>"$LAB_TMP/atftp.out" 2>&1
same "$BOOT/rollover.bin" "$out/roll-atftp" "atftp, 33 MiB at blksize 512 windowsize 8"
pass "33 MiB at blksize 512 (67585 blocks, past the rollover) byte-equal with curl and atftp"

grep -E "event=tftp_transfer file=rollover.bin client=$CLI_IP:[0-9]+ .*options=\"[^ ]*blksize=512[^ ]*\" result=complete bytes=34603009 size=34603009 duration_ms=[0-9]+ rate_MBps=[0-9.]+" \
    "$CASTLINED_LOG" >/dev/null || fail "no complete transfer log line for rollover.bin"
grep -q 'event=tftp_transfer file=efi/x64/loader.efi .*options="blksize=1468,windowsize=64" result=complete' \
    "$CASTLINED_LOG" || fail "windowsize 64 not negotiated or not logged"
n=$(grep -c 'event=tftp_transfer .*result=complete' "$CASTLINED_LOG")
((n == 16)) || fail "expected 16 complete transfers in the log, found $n"
pass "one log line per transfer with file, client, options, bytes, duration and rate"
