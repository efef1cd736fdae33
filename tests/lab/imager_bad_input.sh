# Damaged images and impossible targets: a flipped bit in a chunk, in the manifest, a truncated
# image, a missing split part, an unknown format version, a target too small, not an image. Each
# gives its own message and exit code, and the target's bytes are unchanged.
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
expect_exit 5 "target too small: it has 8388608 bytes" "${imager[@]}" restore --image "$good" \
    --target "$small" --progress none
[[ $(sha "$small") == "$small_before" ]] || fail "the small target changed"
pass "target too small: exit 5, target untouched"

expect_exit 2 "unknown option" "${imager[@]}" restore --image "$good" --target "$target" --frobnicate
expect_exit 2 "--target is required" "${imager[@]}" restore --image "$good"
expect_exit 6 "cannot open" "${imager[@]}" capture --source "$LAB_TMP/nonexistent" --output "$LAB_TMP/x.cimg" --raw
untouched "usage errors"
pass "bad usage: exit 2; unreadable source: exit 6"
