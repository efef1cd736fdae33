# HTTP from castlined: the boot tree byte-equal with curl (large file by sendfile, ranges, HEAD),
# several requests over one kept-alive connection, and path escapes refused (403/404). Bytes
# that are not UTF-8, in request paths and in stored job reports, are answered and logged
# escaped; castlined keeps serving, also after a restart with such a report stored; job tokens
# are logged cut to 8 characters.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
echo "SECRET-$$" >"$LAB_TMP/secret.txt"
mkdir -p "$BOOT/efi"
random_file "$BOOT/efi/big.bin" 40000000
printf 'small\n' >"$BOOT/small.txt"
ln -s ../secret.txt "$BOOT/link-out"
SITE_EXTRA='hosts:
  - {mac: "52:54:00:00:31:01", name: ws01, group: lab, address: '"$CLI_IP"'}
groups:
  lab: {action: image, image: base}
images:
  base: {path: ./images/base.cimg}'
# The job reports need the job, not the image; config check needs the file of an image hosts
# image from.
mkdir -p "$LAB_TMP/images"
printf 'placeholder\n' >"$LAB_TMP/images/base.cimg"
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

# Raw request bytes (curl would encode them): in the server namespace to the operator API on
# 127.0.0.1:8081, or from the client to the boot port. Prints the answer.
srv() { ip netns exec "$SRV_NS" "$@"; }
raw_http() {  # NAMESPACE-RUNNER HOST PORT REQUEST(printf format)
    local runner=$1 host=$2 port=$3 request=$4
    $runner timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf "$2" >&3; cat <&3' \
        "$host" "$port" "$request" | tr -d '\r' || true
}
api="http://127.0.0.1:8081"
alive() { kill -0 "$CASTLINED_PID" 2>/dev/null || fail "castlined exited after $1"; }

answer=$(raw_http srv 127.0.0.1 8081 'POST /api/v1/hosts/ws\xff\xc3/reimage HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
alive "a host name that is not UTF-8 in an API path"
grep -q '^HTTP/1.1 404' <<<"$answer" || fail "a bad host name answered: $answer"
grep -qF "no host named ws$(printf '\xef\xbf\xbd\xef\xbf\xbd')" <<<"$answer" \
    || fail "the bad bytes were not replaced by U+FFFD: $answer"
answer=$(raw_http cli "$SRV_IP" "$HTTP_PORT" 'GET /boot\xff\xc3.efi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
alive "a boot file path that is not UTF-8"
grep -q '^HTTP/1.1 404' <<<"$answer" || fail "a bad boot path answered: $answer"
grep -qF 'target="/boot\xff\xc3.efi" status=404' "$CASTLINED_LOG" \
    || fail "the bad path was not logged escaped: $(grep 'status=404' "$CASTLINED_LOG" | tail -1)"
pass "paths that are not UTF-8: JSON with U+FFFD, log values escaped, castlined serving"

token=$(srv curl -sS -f -X POST "$api/api/v1/hosts/ws01/reimage" | sed -n 's/.*"token": "\([0-9a-f]*\)".*/\1/p')
[[ ${#token} == 32 ]] || fail "no job token from reimage: '$token'"
# 4095 ASCII bytes and a 2-byte character: cut at 4096 bytes a byte-wise cut keeps half of it.
{ printf '{"status":"failed","stage":"restore","error":"'; head -c 4095 /dev/zero | tr '\0' e
  printf '\xc3\xa4 and more"}'; } >"$out/result.json"
code=$(cli curl -s -o /dev/null -w '%{http_code}' --data-binary @"$out/result.json" \
    -H 'Content-Type: application/json' "$base/api/v1/jobs/$token/result")
[[ $code == 204 ]] || fail "the result was answered $code"
jobs_ok() {
    srv curl -sS -f -o "$out/jobs.json" "$api/api/v1/jobs" || fail "GET /api/v1/jobs failed $1"
    alive "listing a job whose error was cut at 4096 bytes $1"
    python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))[0]["error"]; assert e == "e"*4095, len(e)' \
        "$out/jobs.json" || fail "the stored error is not the 4095 bytes before the character $1"
}
jobs_ok "before a restart"
grep -q "$token" "$CASTLINED_LOG" && fail "a full job token is in the log"
grep -q "target=/api/v1/jobs/${token:0:8}\.\.\./result status=204" "$CASTLINED_LOG" \
    || fail "the result request was not logged with the token cut to 8 characters"
kill -TERM "$CASTLINED_PID"
lab_wait_exit "$CASTLINED_PID" 5
tftp_start_castlined
jobs_ok "after a restart"
pass "a report cut at 4096 bytes stays UTF-8; listed before and after a restart; token cut in the log"
