# HTTP from castlined: the boot tree byte-equal with curl (large file by sendfile, ranges, HEAD),
# several requests over one kept-alive connection, and path escapes refused (403/404).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
echo "SECRET-$$" >"$LAB_TMP/secret.txt"
mkdir -p "$BOOT/efi"
random_file "$BOOT/efi/big.bin" 40000000
printf 'small\n' >"$BOOT/small.txt"
ln -s ../secret.txt "$BOOT/link-out"
tftp_start_castlined
out="$LAB_TMP/out"
mkdir -p "$out"
base="http://$SRV_IP:$HTTP_PORT"

cli curl -sS -f -o "$out/big" "$base/efi/big.bin"
same "$BOOT/efi/big.bin" "$out/big" "HTTP download of a 40 MB file"
cli curl -sS -f -o "$out/small" "$base/small.txt"
same "$BOOT/small.txt" "$out/small" "HTTP download of a small file"
cli curl -sS -f -o "$out/bs" "$base/efi%5Cbig.bin"
same "$BOOT/efi/big.bin" "$out/bs" "HTTP download with an encoded backslash"
pass "downloads byte-equal"

len=$(cli curl -sS -f -I "$base/efi/big.bin" | tr -d '\r' | sed -n 's/^Content-Length: //Ip')
[[ $len == 40000000 ]] || fail "HEAD Content-Length is '$len'"
cli curl -sS -f -r 1000-1999 -o "$out/part" "$base/efi/big.bin"
dd if="$BOOT/efi/big.bin" of="$out/expected-part" bs=1000 skip=1 count=1 status=none
same "$out/expected-part" "$out/part" "Range 1000-1999"
code=$(cli curl -s -o /dev/null -w '%{http_code}' -r 50000000- "$base/efi/big.bin")
[[ $code == 416 ]] || fail "a range past the end answered $code"
pass "HEAD, Range and unsatisfiable Range"

cli curl -sS -f -v -o "$out/k1" "$base/small.txt" -o "$out/k2" "$base/efi/big.bin" \
    -o "$out/k3" "$base/small.txt" 2>"$out/keepalive.log"
same "$BOOT/small.txt" "$out/k3" "third request on a kept-alive connection"
same "$BOOT/efi/big.bin" "$out/k2" "second request on a kept-alive connection"
reused=$(grep -c 'Re-using existing connection' "$out/keepalive.log" || true)
((reused == 2)) || fail "curl reused the connection $reused times, expected 2"
n=$(grep -c "event=http_request client=$CLI_IP:[0-9]* method=GET" "$CASTLINED_LOG")
ports=$(grep "event=http_request" "$CASTLINED_LOG" | tail -3 | grep -o "client=[^ ]*" | sort -u | wc -l)
((ports == 1)) || fail "the last three requests came over $ports connections"
pass "three requests over one kept-alive connection"

for target in "/../secret.txt" "/%2e%2e/secret.txt" "/efi/..%2f..%2fsecret.txt" "/link-out" \
    "/%2f$(echo "$LAB_TMP" | sed 's|^/||')/secret.txt" "/efi/big.bin%00"; do
    code=$(cli curl -s --path-as-is -o "$out/esc" -w '%{http_code}' "$base$target")
    [[ $code == 403 || $code == 404 ]] || fail "$target answered $code"
    grep -q SECRET "$out/esc" && fail "$target returned the secret"
    grep -q "$LAB_TMP" "$out/esc" && fail "the answer to $target names a server path"
done
pass "path escapes refused with 403/404"
grep -q 'event=http_request .*target=/efi/big.bin status=200 bytes=40000000 duration_ms=[0-9]* rate_MBps=' \
    "$CASTLINED_LOG" || fail "no log line for the large download"
pass "one log line per request"
