# A single host restored by unicast HTTP from castlined (docs/jobs.md, "Unicast"): castlined in a
# namespace gives the host a job whose restore is unicast; `castline-imager job` picks the one
# loop disk that is large enough (the other is smaller than the image needs), restores and
# verifies it byte-equal to a file restore, writes the power action, and the job is done. Then
# `restore --url` with a wrong image password and a wrong token is refused before any write, and
# `validate --url` writes nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"

ns="${LAB_PREFIX}uc"
lab_veth_ns "$ns" uc0 198.18.31.1/24
in_ns() { ip netns exec "$ns" "$@"; }

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
server: {interfaces: [uc0], data_dir: ./state, api_port: 18091}
boot: {root: ./boot, tftp_port: 0, http_port: 18090}
dhcp: {mode: off}
hosts:
  - {mac: "52:54:00:00:31:01", name: ws01, group: single}
groups:
  single: {action: image, image: base, power: poweroff}
images:
  base: {path: ./images/base.cimg, password_file: ./image.pw}
YAML
lab_spawn "$LAB_TMP/castlined.log" ip netns exec "$ns" "$CASTLINE_BIN/castlined" --config "$LAB_TMP/site.yaml"
lab_wait_for "$LAB_TMP/castlined.log" 'event=started' 20
server=198.18.31.1:18090

script=$(in_ns curl -sf "http://$server/ipxe/52-54-00-00-31-01.ipxe") || fail "no iPXE script"
token=$(grep -o 'castline.token=[0-9a-f]*' <<<"$script" | cut -d= -f2)
[[ ${#token} == 32 ]] || fail "no job token in the script: $script"

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

jobs=$(in_ns curl -sf "http://127.0.0.1:18091/api/v1/jobs?host=ws01")
grep -qE '"state": ?"done"' <<<"$jobs" || fail "job not done: $jobs"
grep -q 'event=job_image_fetched host=ws01' "$LAB_TMP/castlined.log" || fail "castlined did not log the image fetch"
in_ns curl -sf "http://$server/ipxe/52-54-00-00-31-01.ipxe" | grep -q sanboot || fail "the next boot is not local"
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' "http://$server/api/v1/jobs/$token/image/chunks/0")
[[ $code == 410 ]] || fail "a finished job's image answered $code, expected 410"
pass "the job is done, its next boot is local, and its image is no longer served (410)"

# A fresh job for the checks below.
token=$(in_ns curl -sf -X POST "http://127.0.0.1:18091/api/v1/hosts/ws01/reimage" | grep -oE '"token": ?"[0-9a-f]*"' | grep -oE '[0-9a-f]{32}')
[[ ${#token} == 32 ]] || fail "reimage gave no token"
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
