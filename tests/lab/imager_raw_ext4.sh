# Raw capture of a disk file holding an MBR and a filled ext4, restored onto a dirty target, a
# missing target and a larger target: byte-equal, e2fsck clean, every file equal. Also split
# images, info --json and the once-a-second progress lines.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"

content="$LAB_TMP/content"
disk="$LAB_TMP/disk.img"
make_content "$content"
make_disk "$disk" "$content"
check_ext4_partition "$disk" "$content"
pass "made a 48 MiB MBR disk with a filled ext4"

"${imager[@]}" capture --source "$disk" --output "$LAB_TMP/a.cimg" --raw --progress lines \
    --description "lab ext4 \"raw\"" 2>"$LAB_TMP/capture.log" >/dev/null || fail "capture failed: $(cat "$LAB_TMP/capture.log")"
grep -qE '^progress phase=capture bytes_done=[0-9]+ bytes_total=50331648 rate_bytes_per_s=[0-9]+ elapsed_s=[0-9.]+ remaining_s=-?[0-9]+$' \
    "$LAB_TMP/capture.log" || fail "no machine-readable progress line: $(cat "$LAB_TMP/capture.log")"
image_size=$(stat -c %s "$LAB_TMP/a.cimg")
((image_size < 20 * 1024 * 1024)) || fail "image of $image_size bytes: free space was stored"
pass "captured into $image_size bytes"

"${imager[@]}" validate --image "$LAB_TMP/a.cimg" --progress none >/dev/null || fail "validate failed"
"${imager[@]}" info --image "$LAB_TMP/a.cimg" --json >"$LAB_TMP/info.json"
python3 - "$LAB_TMP/info.json" <<'PY' || fail "info --json is wrong"
import json, sys
info = json.load(open(sys.argv[1]))
m = info["manifest"]
assert info["format_version"] == "1.0", info
assert m["disk_size"] == 48 * 1024 * 1024, m
assert m["description"] == 'lab ext4 "raw"', m
assert m["chunk_count"] > 0 and m["used_bytes"] > 3000000, m
PY
pass "validate and info --json"

target="$LAB_TMP/target.img"
head -c $((48 * 1024 * 1024)) /dev/urandom >"$target"
"${imager[@]}" restore --image "$LAB_TMP/a.cimg" --target "$target" --verify --progress none >/dev/null \
    || fail "restore failed"
cmp -s "$disk" "$target" || fail "restored disk differs from the source"
check_ext4_partition "$target" "$content"
pass "restored onto a target full of random data: byte-equal, e2fsck clean, files equal"

"${imager[@]}" restore --image "$LAB_TMP/a.cimg" --target "$LAB_TMP/new.img" --progress none >/dev/null
cmp -s "$disk" "$LAB_TMP/new.img" || fail "restore to a new file differs"
rm -f "$LAB_TMP/new.img"
pass "restored into a missing target file, created at the disk size"

truncate -s 64M "$LAB_TMP/big.img"
"${imager[@]}" restore --image "$LAB_TMP/a.cimg" --target "$LAB_TMP/big.img" --progress none >/dev/null
cmp -s -n $((48 * 1024 * 1024)) "$disk" "$LAB_TMP/big.img" || fail "restore to a larger target differs"
check_ext4_partition "$LAB_TMP/big.img" "$content"
rm -f "$LAB_TMP/big.img"
pass "restored onto a larger target"

"${imager[@]}" capture --source "$disk" --output "$LAB_TMP/s.cimg" --raw --split 2MiB --level 1 \
    --progress none >/dev/null || fail "split capture failed"
[[ -f "$LAB_TMP/s.cimg.1" ]] || fail "no second part"
for f in "$LAB_TMP"/s.cimg*; do
    (( $(stat -c %s "$f") <= 2 * 1024 * 1024 )) || fail "$f is larger than the split size"
done
rm -f "$target"
"${imager[@]}" restore --image "$LAB_TMP/s.cimg" --target "$target" --no-prevalidate --progress none >/dev/null
cmp -s "$disk" "$target" || fail "restore from a split image differs"
pass "split into $(ls "$LAB_TMP"/s.cimg* | wc -l) parts of at most 2 MiB and restored"
