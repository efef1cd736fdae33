# Helpers for the imager lab tests: a disk file holding an MBR and an ext4 file system filled
# with known content (made with sfdisk and mkfs.ext4 -d, no mounting), and checks on targets.
imager=("$CASTLINE_BIN/castline-imager")

# make_content DIR: random data, real files from /usr and small text files.
make_content() {
    local dir=$1
    mkdir -p "$dir/random" "$dir/usr" "$dir/text"
    head -c 3000000 /dev/urandom >"$dir/random/blob.bin"
    head -c 70000 /dev/urandom >"$dir/random/small.bin"
    cp -r /usr/include/linux "$dir/usr/" 2>/dev/null || true
    cp /usr/bin/bash /usr/bin/ls "$dir/usr/"
    for i in $(seq 1 50); do echo "file $i of the castline imager lab test" >"$dir/text/f$i.txt"; done
}

# make_disk DISK CONTENT_DIR: 48 MiB disk file, MBR, one Linux partition at 1 MiB with ext4.
make_disk() {
    local disk=$1 content=$2
    local fs="$LAB_TMP/fs.img"
    rm -f "$fs"
    mkfs.ext4 -q -F -L labdata -d "$content" "$fs" 40M
    truncate -s 48M "$disk"
    printf 'label: dos\nstart=2048, size=81920, type=83\n' | sfdisk -q "$disk"
    dd if="$fs" of="$disk" bs=1M seek=1 conv=notrunc status=none
    rm -f "$fs"
}

# check_ext4_partition DISK CONTENT_DIR: e2fsck is clean and every file is byte-equal.
check_ext4_partition() {
    local disk=$1 content=$2
    local part="$LAB_TMP/part.img" out="$LAB_TMP/rdump"
    dd if="$disk" of="$part" bs=1M skip=1 count=40 status=none
    e2fsck -fn "$part" >"$LAB_TMP/e2fsck.log" 2>&1 || fail "e2fsck found errors: $(tail -3 "$LAB_TMP/e2fsck.log")"
    rm -rf "$out" && mkdir -p "$out"
    debugfs -R "rdump / $out" "$part" >/dev/null 2>&1 || fail "debugfs rdump failed"
    rm -rf "$out/lost+found"
    diff -r "$content" "$out" >/dev/null || fail "restored files differ from the originals"
    rm -rf "$out" "$part"
}

# expect_exit CODE PATTERN CMD...: runs CMD, which must exit with CODE and print PATTERN on stderr.
expect_exit() {
    local code=$1 pattern=$2; shift 2
    local rc=0
    "$@" >"$LAB_TMP/out.log" 2>"$LAB_TMP/err.log" || rc=$?
    ((rc == code)) || fail "'$*' exited $rc, expected $code: $(cat "$LAB_TMP/err.log")"
    grep -qE -- "$pattern" "$LAB_TMP/err.log" || fail "'$*' did not say /$pattern/: $(cat "$LAB_TMP/err.log")"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
