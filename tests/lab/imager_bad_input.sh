# Damaged images and impossible targets: a flipped bit in a chunk, in the manifest, a truncated
# image, a missing split part, an unknown format version, a target too small (also one that holds
# every used byte but not every partition: GPT and MBR logical), not an image, an existing capture
# output. Each gives its own message and exit code, and the target's bytes are unchanged.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"

content="$LAB_TMP/content"
disk="$LAB_TMP/disk.img"
make_content "$content"
make_disk "$disk" "$content"
good="$LAB_TMP/good.cimg"
"${imager[@]}" capture --source "$disk" --output "$good" --raw --split 4MiB --progress none >/dev/null
"${imager[@]}" info --image "$good" --json >"$LAB_TMP/info.json"

target="$LAB_TMP/target.img"
head -c $((48 * 1024 * 1024)) /dev/urandom >"$target"
before=$(sha "$target")
untouched() { [[ $(sha "$target") == "$before" ]] || fail "$1: the target changed"; }

# copy_image NAME: a fresh copy of every part of the good image as $LAB_TMP/NAME.cimg*.
copy_image() {
    local name=$1 f
    rm -f "$LAB_TMP/$name".cimg*
    for f in "$good"*; do cp "$f" "$LAB_TMP/$name.cimg${f#"$good"}"; done
}
flip() {  # flip FILE OFFSET: inverts one bit
    local byte
    byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((byte ^ 4)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
restore_into_target() { "${imager[@]}" restore --image "$1" --target "$target" --progress none "${@:2}"; }

# A flipped bit in chunk 0's stored bytes (after the 512-byte header and 32-byte chunk header).
copy_image chunk
flip "$LAB_TMP/chunk.cimg" 1000
expect_exit 3 "chunk 0 \(disk offset [0-9]+\): checksum mismatch" restore_into_target "$LAB_TMP/chunk.cimg"
untouched "flipped chunk bit"
expect_exit 3 "chunk 0 \(disk offset [0-9]+\): checksum mismatch" \
    "${imager[@]}" validate --image "$LAB_TMP/chunk.cimg" --progress none
pass "flipped bit in a chunk: exit 3 naming the chunk and its disk offset; target untouched"

# Without prevalidation the restore stops at the bad chunk; the target changes (tables wiped),
# but the bad chunk's bytes are not written.
cp "$target" "$LAB_TMP/np-target.img"
rc=0
"${imager[@]}" restore --image "$LAB_TMP/chunk.cimg" --target "$LAB_TMP/np-target.img" --no-prevalidate \
    --progress none 2>"$LAB_TMP/np.log" || rc=$?
((rc == 3)) || fail "--no-prevalidate with a bad chunk exited $rc"
grep -q "chunk 0 (disk offset" "$LAB_TMP/np.log" || fail "no chunk named: $(cat "$LAB_TMP/np.log")"
if cmp -s "$disk" "$LAB_TMP/np-target.img"; then fail "a bad image restored completely"; fi
rm -f "$LAB_TMP/np-target.img"
pass "--no-prevalidate: stops with exit 3 at the bad chunk"

# A flipped bit in the manifest (the last bytes of the last part).
copy_image manifest
last=$(ls "$LAB_TMP"/manifest.cimg* | sort -V | tail -1)
flip "$last" $(( $(stat -c %s "$last") - 20 ))
expect_exit 3 "manifest checksum mismatch" restore_into_target "$LAB_TMP/manifest.cimg"
untouched "flipped manifest bit"
pass "flipped bit in the manifest: exit 3"

copy_image truncated
last=$(ls "$LAB_TMP"/truncated.cimg* | sort -V | tail -1)
truncate -s -1000 "$last"
expect_exit 3 "image truncated: .*truncated.cimg.* has [0-9]+ bytes, expected [0-9]+" \
    restore_into_target "$LAB_TMP/truncated.cimg"
untouched "truncated image"
pass "truncated image: exit 3 naming the part"

copy_image missing
rm "$LAB_TMP/missing.cimg.1"
expect_exit 3 "missing.cimg.1 is missing" restore_into_target "$LAB_TMP/missing.cimg"
expect_exit 3 "missing.cimg.1 is missing" "${imager[@]}" validate --image "$LAB_TMP/missing.cimg"
untouched "missing part"
pass "missing split part: exit 3 naming it"

copy_image version
printf '\x02' | dd of="$LAB_TMP/version.cimg" bs=1 seek=8 conv=notrunc status=none
expect_exit 3 "unsupported image format version 2\.0" restore_into_target "$LAB_TMP/version.cimg"
expect_exit 3 "unsupported image format version 2\.0" "${imager[@]}" info --image "$LAB_TMP/version.cimg"
untouched "unknown version"
pass "unknown major version: exit 3"

head -c 100000 /dev/urandom >"$LAB_TMP/noise.cimg"
expect_exit 3 "not a castline image" restore_into_target "$LAB_TMP/noise.cimg"
untouched "not an image"
pass "not an image: exit 3"

small="$LAB_TMP/small.img"
head -c $((8 * 1024 * 1024)) /dev/urandom >"$small"
small_before=$(sha "$small")
expect_exit 5 "target too small: it has 8\.0 MiB \(8388608 bytes\); the image holds the whole disk, whose partitions it does not know, up to byte 50331648; the smallest target this image fits on has 48\.0 MiB" "${imager[@]}" restore --image "$good" \
    --target "$small" --progress none
[[ $(sha "$small") == "$small_before" ]] || fail "the small target changed"
pass "target too small: exit 5, target untouched"

# Every partition must fit the target whole, checked before the first write. A 64 MiB GPT disk
# whose second partition runs to the last usable sector, its ext4 used blocks ending near 50 MiB:
# a 60 MiB target holds every used byte but not the partition, nor the backup GPT behind it.
gpt="$LAB_TMP/gpt.img"
truncate -s 64M "$gpt"
sgdisk -n 1:2048:+8M -n 2:0:0 "$gpt" >/dev/null
mkfs.ext4 -q -F -L gptdata -E offset=$((18432 * 512)) "$gpt" 56303k
"${imager[@]}" capture --source "$gpt" --output "$LAB_TMP/gpt.cimg" --progress none >/dev/null
"${imager[@]}" info --image "$LAB_TMP/gpt.cimg" --json >"$LAB_TMP/gpt-info.json"
python3 - "$LAB_TMP/gpt-info.json" <<'PY' || fail "info --json: min_target_bytes is not the partition end plus the backup GPT"
import json, sys
m = json.load(open(sys.argv[1]))["manifest"]
last_used = max(e[0] + e[1] for p in m["partitions"] for e in p["used"])
assert last_used < 60 << 20, last_used  # the used bytes alone would fit a 60 MiB target
assert m["min_target_bytes"] == 131039 * 512 + 33 * 512 == 64 << 20, m["min_target_bytes"]
PY
short="$LAB_TMP/short.img"
head -c $((60 * 1024 * 1024)) /dev/urandom >"$short"
short_before=$(sha "$short")
expect_exit 5 "target too small: it has 60\.0 MiB \(62914560 bytes\); partition 2 \(ext 'gptdata'\) ends at byte 67091968, past the target's end; the smallest target this image fits on has 64\.0 MiB \(67108864 bytes\)" \
    "${imager[@]}" restore --image "$LAB_TMP/gpt.cimg" --target "$short" --progress none
[[ $(sha "$short") == "$short_before" ]] || fail "the 60 MiB target changed"
# One sector short: the partition fits, the relocated backup GPT does not.
truncate -s $((64 * 1024 * 1024 - 512)) "$short"
short_before=$(sha "$short")
expect_exit 5 "ends at byte 67091968, and the backup GPT \(16896 bytes\) follows it" \
    "${imager[@]}" restore --image "$LAB_TMP/gpt.cimg" --target "$short" --progress none
[[ $(sha "$short") == "$short_before" ]] || fail "the target one sector short changed"
pass "GPT partition running to the disk end: a smaller target is refused with exit 5 before writing, untouched"

# MBR: logical partition 5 runs to the end of the extended partition and the disk, with ext3;
# a target one sector smaller would leave a file system one block larger than its device.
mbr="$LAB_TMP/mbr.img"
truncate -s 100M "$mbr"
printf 'label: dos\nstart=2048, size=16384, type=83\nstart=18432, type=5\nstart=20480, type=83\n' |
    sfdisk -q "$mbr"
mkfs.ext3 -q -F -L logical -E offset=$((20480 * 512)) "$mbr" 92160k
"${imager[@]}" capture --source "$mbr" --output "$LAB_TMP/mbr.cimg" --progress none >/dev/null
head -c $((100 * 1024 * 1024 - 512)) /dev/urandom >"$short"
short_before=$(sha "$short")
expect_exit 5 "target too small: it has 100\.0 MiB \(104857088 bytes\); partition 5 \(ext 'logical'\) ends at byte 104857600, past the target's end; the smallest target this image fits on has 100\.0 MiB \(104857600 bytes\)" \
    "${imager[@]}" restore --image "$LAB_TMP/mbr.cimg" --target "$short" --progress none
[[ $(sha "$short") == "$short_before" ]] || fail "the MBR target one sector short changed"
# The exact size takes it, and the logical partition's ext3 checks clean.
truncate -s 100M "$short"
"${imager[@]}" restore --image "$LAB_TMP/mbr.cimg" --target "$short" --progress none >/dev/null ||
    fail "restore onto a target of the disk's size failed"
dd if="$short" of="$LAB_TMP/p5.img" bs=512 skip=20480 status=none
e2fsck -fn "$LAB_TMP/p5.img" >"$LAB_TMP/e2fsck.log" 2>&1 || fail "e2fsck: $(tail -3 "$LAB_TMP/e2fsck.log")"
rm -f "$short" "$LAB_TMP/p5.img" "$gpt" "$mbr"
pass "MBR logical partition running to the disk end: a target one sector smaller is refused with exit 5, untouched"

# capture does not replace an existing image unless --force.
good_before=$(sha "$good")
expect_exit 2 "capture: .*good\.cimg already exists; give --force to overwrite it" \
    "${imager[@]}" capture --source "$disk" --output "$good" --raw --progress none
[[ $(sha "$good") == "$good_before" ]] || fail "capture without --force changed the existing image"
"${imager[@]}" capture --source "$disk" --output "$LAB_TMP/again.cimg" --raw --progress none >/dev/null
"${imager[@]}" capture --source "$disk" --output "$LAB_TMP/again.cimg" --raw --force --progress none \
    >/dev/null || fail "capture --force onto an existing image failed"
pass "capture refuses an existing --output (exit 2) unless --force"

expect_exit 2 "unknown option" "${imager[@]}" restore --image "$good" --target "$target" --frobnicate
expect_exit 2 "--target is required" "${imager[@]}" restore --image "$good"
expect_exit 6 "cannot open" "${imager[@]}" capture --source "$LAB_TMP/nonexistent" --output "$LAB_TMP/x.cimg" --raw
untouched "usage errors"
pass "bad usage: exit 2; unreadable source: exit 6"
