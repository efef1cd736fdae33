# Every way out of the boot root fails over TFTP (error 2, or 1 where the name stays inside),
# castlined opens no file outside the root (checked with strace on its open calls), error
# messages carry no server path, and write requests are refused with error 2.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
secret="$LAB_TMP/secret.txt"
echo "SECRET-$$" >"$secret"
mkdir -p "$BOOT/sub"
echo inside >"$BOOT/sub/inside.txt"
ln -s ../secret.txt "$BOOT/link-out"
ln -s "$secret" "$BOOT/link-abs"
ln -s .. "$BOOT/sub/up"
ln -s inside.txt "$BOOT/sub/link-in"
tftp_start_castlined

strace_log="$LAB_TMP/strace.out"
lab_spawn "$LAB_TMP/strace.log" strace -f -qq -e trace=open,openat,openat2 -o "$strace_log" \
    -p "$(pgrep -P "$CASTLINED_PID" castlined || echo "$CASTLINED_PID")"
sleep 0.5
out="$LAB_TMP/out"
mkdir -p "$out"

attempts=(
    "../secret.txt"
    "/../secret.txt"
    "..\\secret.txt"
    "sub/../../secret.txt"
    "sub\\..\\..\\secret.txt"
    "//$secret"
    "$secret"
    "link-out"
    "link-abs"
    "sub/up/secret.txt"
    "C:\\secret.txt"
    "$(printf 'a%.0s' {1..1100})"
)
i=0
for name in "${attempts[@]}"; do
    i=$((i + 1))
    if cli atftp -g -r "$name" -l "$out/e$i" "$SRV_IP" >"$out/e$i.msg" 2>&1; then
        fail "atftp read '$name'"
    fi
    grep -q "SECRET" "$out/e$i" 2>/dev/null && fail "'$name' returned the secret"
    grep -q "$LAB_TMP" "$out/e$i.msg" && fail "the error for '$name' names a server path"
done
# curl normalises ../ itself unless told not to.
if cli curl -sS --path-as-is -o "$out/curl" "tftp://$SRV_IP/../secret.txt" 2>"$out/curl.msg"; then
    fail "curl read ../secret.txt"
fi
pass "${#attempts[@]} escape attempts with atftp and one with curl all failed"

refusals=$(grep -c 'event=tftp_refused .*error=2' "$CASTLINED_LOG")
((refusals >= 10)) || fail "expected at least 10 access violations (error 2) logged, got $refusals"
grep -q 'reason="access outside the boot root refused"' "$CASTLINED_LOG" ||
    fail "symbolic links out of the root were not refused as such"
pass "refused with error 2 and logged ($refusals)"

cli atftp -g -r sub/link-in -l "$out/in" "$SRV_IP" >/dev/null 2>&1
same "$BOOT/sub/inside.txt" "$out/in" "a link that stays inside the root"
pass "a symbolic link inside the root still works"

kill "$LAB_LAST_PID"
wait "$LAB_LAST_PID" 2>/dev/null || true
# openat2 (RESOLVE_BENEATH) is given the requested name and resolves links in the kernel; the
# realpath fallback opens the resolved name.
grep -qE 'inside.txt|openat2\(.*"sub/link-in"' "$strace_log" \
    || fail "strace saw no opens at all; the check below would prove nothing"
# A name may reach openat2 as asked ("tmp/.../secret.txt" below the root); only an open that
# succeeded counts.
if grep 'secret.txt' "$strace_log" | grep -qv '= -1 '; then
    grep 'secret.txt' "$strace_log" | grep -v '= -1 ' >&2
    fail "castlined opened a file outside the root"
fi
pass "castlined opened no file outside the root (strace)"

echo "upload" >"$LAB_TMP/upload.txt"
if cli atftp -p -l "$LAB_TMP/upload.txt" -r upload.txt "$SRV_IP" >"$out/put.msg" 2>&1; then
    fail "atftp put succeeded"
fi
if cli curl -sS -T "$LAB_TMP/upload.txt" "tftp://$SRV_IP/upload2.txt" 2>"$out/put2.msg"; then
    fail "curl upload succeeded"
fi
[[ ! -e $BOOT/upload.txt && ! -e $BOOT/upload2.txt ]] || fail "a write request created a file"
n=$(grep -c 'event=tftp_refused .*error=2 reason="write request"' "$CASTLINED_LOG")
((n == 2)) || fail "expected 2 refused write requests, got $n"
pass "write requests refused with error 2"
