# A single host restored by unicast HTTP from castlined (docs/jobs.md, "Unicast"): castlined in
# full DHCP mode on a bridge gives the host (its own namespace, leased by udhcpc) a job whose
# restore is unicast. A second machine on the same bridge, with a lease of its own, asks for the
# host's script and gets a local boot without a token, and every job endpoint refuses it (403)
# even with the token in hand. `castline-imager job` on the host picks the one loop disk that is
# large enough (the other is smaller than the image needs), restores and verifies it byte-equal
# to a file restore, writes the power action, and the job is done. Then `restore --url` with a
# wrong image password and a wrong token is refused before any write, and `validate --url`
# writes nothing; a reimage revokes the previous token; castline reimage takes a MAC and refuses
# a missing image; castline history refuses an unknown host; API reads log at debug only.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"
source "$(dirname "$0")/dhcp_net.sh"

srv="${LAB_PREFIX}uc"
host_ns="${LAB_PREFIX}uh"
intruder_ns="${LAB_PREFIX}ui"
dhcp_lan "$srv"
dhcp_attach "$srv" "$host_ns" uh0 52:54:00:00:31:01
dhcp_attach "$srv" "$intruder_ns" ui0 52:54:00:00:31:99
dhcp_write_hooks
cp "$LAB_TMP/udhcpc.sh" "$LAB_TMP/intruder.sh"
in_ns() { ip netns exec "$host_ns" "$@"; }
in_intruder() { ip netns exec "$intruder_ns" "$@"; }
in_srv() { ip netns exec "$srv" "$@"; }

make_content "$LAB_TMP/content"
make_disk "$LAB_TMP/source.img" "$LAB_TMP/content"
mkdir -p "$LAB_TMP/images" "$LAB_TMP/boot"
echo "image secret" >"$LAB_TMP/image.pw"
"${imager[@]}" capture --source "$LAB_TMP/source.img" --output "$LAB_TMP/images/base.cimg" \
    --password-file "$LAB_TMP/image.pw" --kdf-iterations 20000 --progress none >/dev/null
"${imager[@]}" restore --image "$LAB_TMP/images/base.cimg" --password-file "$LAB_TMP/image.pw" \
    --target "$LAB_TMP/want.img" --progress none >/dev/null

cat >"$LAB_TMP/site.yaml" <<YAML
version: 1
server: {interfaces: [br0], data_dir: ./state, api_port: 18091}
boot: {root: ./boot, tftp_port: 0, http_port: 18090}
dhcp:
  mode: full
  pools: [{interface: br0, range: [198.18.0.100, 198.18.0.150], router: 198.18.0.1}]
hosts:
  - {mac: "52:54:00:00:31:01", name: ws01, group: single}
groups:
  single: {action: image, image: base, power: poweroff}
images:
  base: {path: ./images/base.cimg, password_file: ./image.pw}
YAML
lab_spawn "$LAB_TMP/castlined.log" ip netns exec "$srv" "$CASTLINE_BIN/castlined" --config "$LAB_TMP/site.yaml"
lab_wait_for "$LAB_TMP/castlined.log" 'event=started' 20
server=198.18.0.1:18090
api=127.0.0.1:18091

# Both machines take a lease from castlined, as a netbooting host does before it asks for its
# script.
lab_spawn "$LAB_TMP/udhcpc-host.log" in_ns busybox udhcpc -f -i uh0 -s "$LAB_TMP/udhcpc.sh" -t 5 -T 1 -A 1
lab_spawn "$LAB_TMP/udhcpc-intruder.log" in_intruder busybox udhcpc -f -i ui0 -s "$LAB_TMP/intruder.sh" -t 5 -T 1 -A 1
lab_wait_for "$LAB_TMP/udhcpc.events" '^bound 198\.18\.0\.1' 15
lab_wait_for "$LAB_TMP/intruder.events" '^bound 198\.18\.0\.1' 15
host_ip=$(awk '$1=="bound"{print $2; exit}' "$LAB_TMP/udhcpc.events")
intruder_ip=$(awk '$1=="bound"{print $2; exit}' "$LAB_TMP/intruder.events")

# The intruder names the host's MAC first: it gets a local boot, no token, and no job is made.
stolen=$(in_intruder curl -sf "http://$server/ipxe/52-54-00-00-31-01.ipxe") || fail "no script for the intruder"
grep -q 'sanboot' <<<"$stolen" || fail "the intruder's script does not boot the local disk: $stolen"
grep -q 'castline.token' <<<"$stolen" && fail "the intruder got a token: $stolen"
grep -q "event=job_token_withheld host=ws01 .*client=$intruder_ip" "$LAB_TMP/castlined.log" ||
    fail "castlined did not log the withheld token"
[[ $(in_srv curl -sf "http://$api/api/v1/jobs?host=ws01") == "[]" ]] || fail "the intruder's request made a job"

script=$(in_ns curl -sf "http://$server/ipxe/52-54-00-00-31-01.ipxe") || fail "no iPXE script"
token=$(grep -o 'castline.token=[0-9a-f]*' <<<"$script" | cut -d= -f2)
[[ ${#token} == 32 ]] || fail "no job token in the host's script: $script"

# With the token in hand, the intruder is still refused everywhere.
for part in "" /image /image/chunks/0; do
    code=$(in_intruder curl -s -o /dev/null -w '%{http_code}' "http://$server/api/v1/jobs/$token$part")
    [[ $code == 403 ]] || fail "GET job$part from the intruder answered $code"
done
code=$(in_intruder curl -s -o /dev/null -w '%{http_code}' -X POST -d '{"status": "done"}' "http://$server/api/v1/jobs/$token/result")
[[ $code == 403 ]] || fail "a result from the intruder answered $code"
code=$(in_intruder curl -s -o /dev/null -w '%{http_code}' -X POST -d '{"item": "restore", "percent": 1}' "http://$server/api/v1/jobs/$token/progress")
[[ $code == 403 ]] || fail "progress from the intruder answered $code"
grep -q "event=job_request_refused host=ws01 client=$intruder_ip" "$LAB_TMP/castlined.log" ||
    fail "castlined did not log the refused requests"
pass "the host ($host_ip) got its token; the intruder ($intruder_ip) got a local boot and 403 on every job endpoint"

# Two loop disks: one 16 MiB (smaller than the 48 MiB image needs), one as large as the source.
truncate -s 16M "$LAB_TMP/small.img"
truncate -s 48M "$LAB_TMP/disk.img"
head -c 1M /dev/urandom | dd of="$LAB_TMP/small.img" conv=notrunc status=none
cp "$LAB_TMP/small.img" "$LAB_TMP/small.before"
lab_loop "$LAB_TMP/small.img"; small=$LAB_LAST_LOOP
lab_loop "$LAB_TMP/disk.img"; disk=$LAB_LAST_LOOP
# The imager sees only these two disks: a sysfs folder of their own (size in 512-byte sectors).
for dev in "$small" "$disk"; do
    d="$LAB_TMP/sysfs/$(basename "$dev")"
    mkdir -p "$d"
    cat "/sys/block/$(basename "$dev")/size" >"$d/size"
    echo 0 >"$d/removable"; echo 0 >"$d/ro"
done

rc=0
in_ns "${imager[@]}" job --server "$server" --token "$token" --sysfs "$LAB_TMP/sysfs" --allow-loop \
    --power-file "$LAB_TMP/power" >"$LAB_TMP/job.log" 2>&1 || rc=$?
((rc == 0)) || fail "job exited $rc: $(tail -5 "$LAB_TMP/job.log")"
grep -q "from http://$server/api/v1/jobs/$token/image" "$LAB_TMP/job.log" || fail "not a unicast job: $(head -3 "$LAB_TMP/job.log")"
grep -q "target disk $disk " "$LAB_TMP/job.log" || fail "wrong disk: $(grep 'target disk' "$LAB_TMP/job.log")"
cmp -s "$LAB_TMP/want.img" "$disk" || fail "the restored disk differs from a file restore"
cmp -s "$LAB_TMP/small.before" "$small" || fail "the too-small disk was written"
[[ $(cat "$LAB_TMP/power") == poweroff ]] || fail "power action: $(cat "$LAB_TMP/power")"
grep -qE '^progress phase=restore bytes_done=[0-9]+ bytes_total=[1-9]' "$LAB_TMP/job.log" || fail "no progress lines"
pass "a unicast job chose the disk that fits, restored it verified and byte-equal, power action poweroff"

jobs=$(in_srv curl -sf "http://$api/api/v1/jobs?host=ws01")
grep -qE '"state": ?"done"' <<<"$jobs" || fail "job not done: $jobs"
grep -q 'event=job_image_fetched host=ws01' "$LAB_TMP/castlined.log" || fail "castlined did not log the image fetch"
in_ns curl -sf "http://$server/ipxe/52-54-00-00-31-01.ipxe" | grep -q sanboot || fail "the next boot is not local"
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' "http://$server/api/v1/jobs/$token/image/chunks/0")
[[ $code == 410 ]] || fail "a finished job's image answered $code, expected 410"
pass "the job is done, its next boot is local, and its image is no longer served (410)"

# A fresh job for the checks below.
reimage() { in_srv curl -sf -X POST "http://$api/api/v1/hosts/ws01/reimage" | grep -oE '"token": ?"[0-9a-f]*"' | grep -oE '[0-9a-f]{32}'; }
revoked=$(reimage)
token=$(reimage)
[[ ${#token} == 32 && ${#revoked} == 32 ]] || fail "reimage gave no token"
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' "http://$server/api/v1/jobs/$revoked")
[[ $code == 410 ]] || fail "a job replaced by a reimage answered $code, expected 410"
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' -X POST -d '{"status": "done"}' "http://$server/api/v1/jobs/$revoked/result")
[[ $code == 409 ]] || fail "a result for a replaced job answered $code, expected 409"
pass "a reimage revokes the previous job (410, its result 409)"
url="http://$server/api/v1/jobs/$token/image"
echo wrong >"$LAB_TMP/wrong.pw"
expect_exit 4 "password" in_ns "${imager[@]}" restore --url "$url" --target "$LAB_TMP/a.img" \
    --password-file "$LAB_TMP/wrong.pw" --progress none
[[ ! -e $LAB_TMP/a.img ]] || fail "a wrong image password created the target"
expect_exit 8 "answered 404" in_ns "${imager[@]}" restore --url "http://$server/api/v1/jobs/00000000000000000000000000000000/image" \
    --target "$LAB_TMP/b.img" --password-file "$LAB_TMP/image.pw" --progress none
[[ ! -e $LAB_TMP/b.img ]] || fail "an unknown token created the target"
expect_exit 2 "port" "${imager[@]}" restore --url "http://$server:x/img" --target "$LAB_TMP/c.img" --progress none
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' "$url/chunks/999999")
[[ $code == 404 ]] || fail "a chunk past the end answered $code"
pass "wrong image password (4), unknown token (8, 404), malformed URL (2): refused, nothing written"

in_ns "${imager[@]}" validate --url "$url" --password-file "$LAB_TMP/image.pw" --progress none \
    >"$LAB_TMP/validate.log" 2>&1 || fail "validate --url failed: $(cat "$LAB_TMP/validate.log")"
grep -q "validated $url" "$LAB_TMP/validate.log" || fail "validate said: $(cat "$LAB_TMP/validate.log")"
pass "validate --url fetched and checked every chunk"

# The operator's side: reimage by MAC, refused for a missing image; history of an unknown host.
cli() { in_srv "$CASTLINE_BIN/castline" "$@" --api "$api"; }
cli reimage 52:54:00:00:31:01 >"$LAB_TMP/cli.out" 2>&1 || fail "reimage by MAC: $(cat "$LAB_TMP/cli.out")"
grep -q '^ws01: reimaged on its next PXE boot' "$LAB_TMP/cli.out" || fail "reimage by MAC said: $(cat "$LAB_TMP/cli.out")"
mv "$LAB_TMP/images/base.cimg" "$LAB_TMP/images/gone.cimg"
rc=0; cli reimage ws01 >"$LAB_TMP/cli.out" 2>&1 || rc=$?
((rc == 1)) || fail "reimage with a missing image exited $rc"
grep -q 'ws01: image base cannot be used: .*base.cimg: No such file' "$LAB_TMP/cli.out" || fail "reimage said: $(cat "$LAB_TMP/cli.out")"
mv "$LAB_TMP/images/gone.cimg" "$LAB_TMP/images/base.cimg"
rc=0; cli history nosuch >"$LAB_TMP/cli.out" 2>&1 || rc=$?
((rc == 1)) || fail "history of an unknown host exited $rc"
grep -q 'no host nosuch' "$LAB_TMP/cli.out" || fail "history said: $(cat "$LAB_TMP/cli.out")"
cli history ws01 >/dev/null || fail "history of a known host without runs failed"
pass "castline reimage takes a MAC and names a missing image; history refuses an unknown host"

# API reads (polls like watch castline jobs) log at debug; changes stay at info.
grep -qE 'event=http_request .*method=GET target="?/api/v1/jobs\?host=' "$LAB_TMP/castlined.log" &&
    fail "an API read was logged at info"
grep -q 'event=http_request .*method=POST target=/api/v1/hosts/ws01/reimage' "$LAB_TMP/castlined.log" ||
    fail "the reimage POST was not logged"
pass "API reads are not logged at info; the reimage POST is"
