# Used-block capture of disks with several file systems: an MBR disk and a GPT disk, each with a
# FAT32, an NTFS and an ext4 partition filled with known content over old random data. Restored
# to fresh files (and the GPT one to a larger file): every file system checks clean, every file
# is byte-equal, the free space was not stored, and the moved GPT verifies at the new size.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"

MiB=$((1024 * 1024))
# Partitions in MiB: FAT32 at 1 (40), NTFS at 41 (24), ext4 at 65 (32); disks of 100 MiB.
FAT_AT=1 FAT_SIZE=40 NTFS_AT=41 NTFS_SIZE=24 EXT_AT=65 EXT_SIZE=32 DISK_SIZE=100

content="$LAB_TMP/content"
make_content "$content"
ntfs_files=(small.bin blob.bin)

# file_system KIND FILE: a file system of KIND (fat, ntfs, ext4) filled with the content, made in
# FILE over random bytes, so that its free blocks hold old data a raw copy would store.
file_system() {
    local kind=$1 file=$2 size
    case $kind in
    fat) size=$FAT_SIZE ;; ntfs) size=$NTFS_SIZE ;; ext4) size=$EXT_SIZE ;;
    esac
    head -c $((size * MiB)) /dev/urandom >"$file"
    case $kind in
    fat)
        mkfs.vfat -F 32 -s 1 -n LABFAT "$file" >/dev/null
        mcopy -s -i "$file" "$content/text" "$content/random" ::/ ;;
    ntfs)
        mkntfs -F -q -L LABNTFS -s 512 -p $((NTFS_AT * 2048)) -H 255 -S 63 "$file" 2>/dev/null
        for f in "${ntfs_files[@]}"; do ntfscp -q "$file" "$content/random/$f" "/$f"; done ;;
    ext4)
        mkfs.ext4 -q -F -L labext -d "$content" "$file" >/dev/null ;;
    esac
}

# make_multi_disk DISK LABEL(dos|gpt): the three file systems at their offsets.
make_multi_disk() {
    local disk=$1 label=$2
    rm -f "$disk" && truncate -s ${DISK_SIZE}M "$disk"
    if [[ $label == gpt ]]; then
        # Not -q: sgdisk 1.0.9 then leaves a blank disk's new table unsaved.
        sgdisk -n 1:${FAT_AT}M:+${FAT_SIZE}M -t 1:ef00 -c 1:esp \
            -n 2:${NTFS_AT}M:+${NTFS_SIZE}M -t 2:0700 -c 2:windows \
            -n 3:${EXT_AT}M:+${EXT_SIZE}M -t 3:8300 -c 3:linux "$disk" >/dev/null
    else
        printf 'label: dos\n%s\n%s\n%s\n' \
            "start=$((FAT_AT * 2048)), size=$((FAT_SIZE * 2048)), type=c" \
            "start=$((NTFS_AT * 2048)), size=$((NTFS_SIZE * 2048)), type=7" \
            "start=$((EXT_AT * 2048)), size=$((EXT_SIZE * 2048)), type=83" | sfdisk -q "$disk"
    fi
    local kind at
    for kind in fat ntfs ext4; do
        file_system "$kind" "$LAB_TMP/$kind.img"
        case $kind in fat) at=$FAT_AT ;; ntfs) at=$NTFS_AT ;; ext4) at=$EXT_AT ;; esac
        dd if="$LAB_TMP/$kind.img" of="$disk" bs=1M seek="$at" conv=notrunc status=none
        rm -f "$LAB_TMP/$kind.img"
    done
}

# partition DISK AT SIZE OUT: copies a partition out of a disk file.
partition() { dd if="$1" of="$4" bs=1M skip="$2" count="$3" status=none; }

# check_disk DISK WHAT: each file system checks clean and holds exactly the content.
check_disk() {
    local disk=$1 what=$2 p="$LAB_TMP/p.img" out="$LAB_TMP/out"
    partition "$disk" $FAT_AT $FAT_SIZE "$p"
    fsck.fat -n "$p" >"$LAB_TMP/fsck.log" 2>&1 || fail "$what: fsck.fat: $(tail -3 "$LAB_TMP/fsck.log")"
    rm -rf "$out" && mkdir -p "$out"
    mcopy -s -i "$p" ::/text ::/random "$out/"
    diff -r "$content/text" "$out/text" >/dev/null && diff -r "$content/random" "$out/random" >/dev/null ||
        fail "$what: FAT files differ"

    partition "$disk" $NTFS_AT $NTFS_SIZE "$p"
    ntfsfix -n "$p" >"$LAB_TMP/ntfsfix.log" 2>&1 || fail "$what: ntfsfix: $(tail -3 "$LAB_TMP/ntfsfix.log")"
    for f in "${ntfs_files[@]}"; do
        ntfscat "$p" "/$f" | cmp -s - "$content/random/$f" || fail "$what: NTFS file $f differs"
    done

    partition "$disk" $EXT_AT $EXT_SIZE "$p"
    e2fsck -fn "$p" >"$LAB_TMP/e2fsck.log" 2>&1 || fail "$what: e2fsck: $(tail -3 "$LAB_TMP/e2fsck.log")"
    rm -rf "$out" && mkdir -p "$out"
    debugfs -R "rdump / $out" "$p" >/dev/null 2>&1
    rm -rf "$out/lost+found"
    diff -r "$content" "$out" >/dev/null || fail "$what: ext4 files differ"
    rm -rf "$out" "$p"
}

used=$(du -sb "$content/text" "$content/usr" "$content/random" | awk '{s += $1} END {print s}')
for label in dos gpt; do
    disk="$LAB_TMP/$label.img"
    make_multi_disk "$disk" "$label"
    check_disk "$disk" "$label source"
    "${imager[@]}" capture --source "$disk" --output "$LAB_TMP/$label.cimg" --progress none \
        >/dev/null 2>"$LAB_TMP/capture.log" || fail "$label capture: $(cat "$LAB_TMP/capture.log")"
    "${imager[@]}" info --image "$LAB_TMP/$label.cimg" --json >"$LAB_TMP/info.json"
    python3 - "$LAB_TMP/info.json" "$label" <<'PY' || fail "$label: info --json does not list the three file systems"
import json, sys
m = json.load(open(sys.argv[1]))["manifest"]
found = sorted((p["file_system"], p["label"], p["whole"]) for p in m["partitions"])
assert found == [("ext", "labext", False), ("fat", "LABFAT", False), ("ntfs", "LABNTFS", False)], found
PY
    # Free space is old random data: storing it would make the image about the disk's size.
    image=$(stat -c %s "$LAB_TMP/$label.cimg")
    ((image < used + 24 * MiB)) || fail "$label: image of $image bytes for $used bytes of files"

    target="$LAB_TMP/$label.target"
    "${imager[@]}" restore --image "$LAB_TMP/$label.cimg" --target "$target" --verify \
        --progress none >/dev/null || fail "$label restore failed"
    check_disk "$target" "$label restored"
    pass "$label disk with FAT32, NTFS and ext4: $image-byte image, restored clean and equal"
done

big="$LAB_TMP/big.img"
truncate -s $((DISK_SIZE * 2))M "$big"
"${imager[@]}" restore --image "$LAB_TMP/gpt.cimg" --target "$big" --verify --progress none >/dev/null ||
    fail "restore to a larger disk failed"
sgdisk -v "$big" >"$LAB_TMP/sgdisk.log" 2>&1 || fail "sgdisk -v failed: $(cat "$LAB_TMP/sgdisk.log")"
grep -q "No problems found" "$LAB_TMP/sgdisk.log" || fail "sgdisk -v at the new size: $(cat "$LAB_TMP/sgdisk.log")"
last=$(sgdisk -p "$big" | sed -n 's/.*last usable sector is \([0-9]*\).*/\1/p')
((last > DISK_SIZE * 2048)) || fail "the GPT's last usable sector $last did not move to the larger disk"
check_disk "$big" "gpt on a larger disk"
pass "GPT restored and verified on a disk twice the size: sgdisk -v clean, backup at the new end, files equal"
