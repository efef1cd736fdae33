#!/bin/bash
# Capture and restore speed and image size of castline-imager against partclone + zstd, on the
# same ext4 and NTFS file systems in the same run (README, "Imager benchmark").
#
#   bash bench/imager_bench.sh            # uses build/release/bin (scripts/build.sh release)
#   IMAGER_LEVEL=3 IMAGER_EXTRA_LEVELS="1" IMAGER_CHUNK_SIZES="1MiB 4MiB" IMAGER_VARIANTS=old-data
#   IMAGER_RUNS=3    # every tool 3 times on each disk, in turn; the table shows medians
#
# A 2 GiB disk file with ~700 MB used (random data and copies of /usr/lib), in two variants:
#   old-data:  the file is filled with random bytes first and mkfs.ext4 -E nodiscard keeps them
#              in the free blocks (what a used disk looks like);
#   zero-free: a sparse file, so free blocks read as zeros;
#   ntfs:      NTFS (mkntfs --quick keeps the old random data in free clusters), filled with
#              ntfscp: the same random files, and the /usr/lib copy as 50 MB tar pieces (ntfscp
#              cannot make folders).
# Peers: `partclone.FS -c -s DISK -O - | zstd -T2 -3` and `zstd -d | partclone.FS -r`.
# MB/s are of used data (10^6 bytes). Files are read warm from the page cache for both tools;
# what each tool writes is on disk before its clock stops (castline-imager fsyncs its image and
# target, the peer's output is synced).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CASTLINE_BIN:-build/release/bin}
imager="$bin/castline-imager"
[[ -x $imager ]] || { echo "build first: bash scripts/build.sh release" >&2; exit 2; }
for tool in partclone.ext4 partclone.ntfs zstd mkfs.ext4 dumpe2fs mkntfs ntfscp ntfsresize; do
    command -v "$tool" >/dev/null || { echo "missing $tool (scripts/setup.sh)" >&2; exit 2; }
done
work=$(mktemp -d "${BENCH_TMP:-/tmp}/castline-imager-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
level=${IMAGER_LEVEL:-3}

echo "preparing content (~700 MB) in $work ..." >&2
mkdir -p "$work/content/random" "$work/content/lib"
for i in 1 2 3 4 5 6 7; do head -c 50000000 /dev/urandom >"$work/content/random/r$i.bin"; done
python3 - "$work/content/lib" <<'PY'
import os, shutil, sys
dest, budget = sys.argv[1], 350_000_000
for root, dirs, files in os.walk("/usr/lib"):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(root, name)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        size = os.path.getsize(path)
        if size > 50_000_000 or size > budget:
            continue
        target = os.path.join(dest, os.path.relpath(path, "/usr/lib"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(path, target)
        budget -= size
        if budget <= 0:
            sys.exit(0)
PY

used_bytes() {  # used_bytes FS DISK: used data, from the file system's own accounting
    if [[ $1 == ntfs ]]; then
        ntfsresize --info --force --no-progress-bar "$2" 2>/dev/null |
            awk '/Space in use/ {printf "%d\n", $5 * 1000000}'
        return
    fi
    dumpe2fs -h "$2" 2>/dev/null | awk -F: '
        /^Block count/ {c=$2} /^Free blocks/ {f=$2} /^Block size/ {b=$2}
        END {printf "%d\n", (c-f)*b}'
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b-a)/1e9}'; }
rss_mib() { awk '/Maximum resident/ {printf "%.0f", $NF/1024}' "$1"; }
# CPU seconds (user + system) from a `/usr/bin/time -v` log: robust when other jobs share the
# machine, where wall-clock times are not.
cpu_s() { awk '/User time/ {u=$NF} /System time/ {s=$NF} END {printf "%.1f", u+s}' "$1"; }

run_variant() {
    local name=$1 disk="$work/disk.img" fs=ext4
    rm -f "$disk"
    if [[ $name == ntfs ]]; then
        fs=ntfs
        head -c $((2 * 1024 * 1024 * 1024)) /dev/urandom >"$disk"
        mkntfs -q -F -Q -L BENCH "$disk" >/dev/null 2>&1
        for f in "$work"/content/random/*.bin; do ntfscp -q "$disk" "$f" "/$(basename "$f")"; done
        tar -C "$work/content" -cf - lib | split -b 50000000 -a 2 - "$work/lib-tar."
        for f in "$work"/lib-tar.*; do ntfscp -q "$disk" "$f" "/$(basename "$f")"; done
        rm -f "$work"/lib-tar.*
    elif [[ $name == old-data ]]; then
        head -c $((2 * 1024 * 1024 * 1024)) /dev/urandom >"$disk"
        mkfs.ext4 -q -F -E nodiscard -d "$work/content" "$disk" >/dev/null
    else
        truncate -s 2G "$disk"
        mkfs.ext4 -q -F -d "$work/content" "$disk" >/dev/null
    fi
    local used cl_level chunk
    used=$(used_bytes "$fs" "$disk")
    local run
    for run in $(seq "${IMAGER_RUNS:-1}"); do
        cat "$disk" >/dev/null  # warm the page cache the same way for every tool
        run_partclone "$name" "$disk" "$fs" "$used"
        for cl_level in $level ${IMAGER_EXTRA_LEVELS:-1}; do
            for chunk in ${IMAGER_CHUNK_SIZES:-default}; do
                cat "$disk" >/dev/null
                run_castline "$name" "$disk" "$used" "$cl_level" "$chunk"
            done
        done
    done
}

run_partclone() {
    local name=$1 disk=$2 fs=$3 used=$4 t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/pc-capture.time" bash -c \
        "partclone.$fs -q -c -s '$disk' -O - -L '$work/pc.log' 2>/dev/null | zstd -q -T2 -$level >'$work/pc.zst'"
    sync "$work/pc.zst"
    t1=$(date +%s%N)
    local pc_capture pc_size
    pc_capture=$(seconds "$t0" "$t1")
    pc_size=$(stat -c %s "$work/pc.zst")
    rm -f "$work/pc-target.img"
    truncate -s 2G "$work/pc-target.img"
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/pc-restore.time" bash -c \
        "zstd -q -d -c '$work/pc.zst' | partclone.$fs -q -r -s - -O '$work/pc-target.img' -L '$work/pc.log' 2>/dev/null"
    sync "$work/pc-target.img"
    t1=$(date +%s%N)
    local pc_restore
    pc_restore=$(seconds "$t0" "$t1")
    rm -f "$work/pc-target.img" "$work/pc.zst"

    result "$name" "partclone.$fs + zstd -T2 -$level" "$used" "$pc_capture" "$pc_restore" "$pc_size" "-" \
        "$(cpu_s "$work/pc-capture.time")" "$(cpu_s "$work/pc-restore.time")"
}

# One measurement: VARIANT TOOL USED CAPTURE_S RESTORE_S IMAGE_BYTES RSS CAPTURE_CPU RESTORE_CPU
results=()
result() {
    local IFS='|'
    results+=("$*")
}

# castline-imager: file-system aware when the used-block readers are built in, else the whole
# disk with zero blocks skipped; the tool column says which.
run_castline() {
    local name=$1 disk=$2 used=$3 cl_level=$4 chunk=$5 t0 t1
    local chunk_args=() chunk_label=""
    [[ $chunk == default ]] || { chunk_args=(--chunk-size "$chunk"); chunk_label=", $chunk"; }
    t0=$(date +%s%N)
    /usr/bin/time -v "$imager" capture --source "$disk" --output "$work/c.cimg" --level "$cl_level" \
        "${chunk_args[@]}" --progress none >/dev/null 2>"$work/c-capture.log"
    t1=$(date +%s%N)
    local cl_capture cl_size cl_rss mode
    cl_capture=$(seconds "$t0" "$t1")
    cl_size=$(stat -c %s "$work/c.cimg")
    cl_rss=$(rss_mib "$work/c-capture.log")
    mode=used-blocks
    grep -q "no used-block readers" "$work/c-capture.log" && mode=whole-disk
    rm -f "$work/c-target.img"
    t0=$(date +%s%N)
    /usr/bin/time -v "$imager" restore --image "$work/c.cimg" --target "$work/c-target.img" \
        --progress none >/dev/null 2>"$work/c-restore.log"
    t1=$(date +%s%N)
    local cl_restore cl_rrss
    cl_restore=$(seconds "$t0" "$t1")
    cl_rrss=$(rss_mib "$work/c-restore.log")
    if [[ $mode == whole-disk ]] && ! cmp -s "$disk" "$work/c-target.img"; then
        echo "warning: the restored disk differs from the source" >&2
    fi
    rm -f "$work/c-target.img" "$work/c.cimg"
    result "$name" "castline-imager -$cl_level ($mode$chunk_label)" "$used" "$cl_capture" "$cl_restore" "$cl_size" \
        "$cl_rss/$cl_rrss" "$(cpu_s "$work/c-capture.log")" "$(cpu_s "$work/c-restore.log")"
}

for variant in ${IMAGER_VARIANTS:-zero-free old-data ntfs}; do
    echo "running $variant ..." >&2
    run_variant "$variant"
done

echo
echo "castline-imager vs partclone + zstd, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(medians of ${IMAGER_RUNS:-1} run(s); RSS: maximum resident set, CPU: user+system seconds, each as"
echo "capture/restore; x pc: partclone's capture time over the tool's in the same run, median and range)"
echo "| disk      | tool                                 | used MB | capture   | MB/s  | restore   | MB/s  | image MB | RSS MiB   | CPU s       | x pc capture      |"
echo "| --------- | ------------------------------------ | ------- | --------- | ----- | --------- | ----- | -------- | --------- | ----------- | ----------------- |"
printf '%s\n' "${results[@]}" | awk -F'|' '
    function median(list,    n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
        return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function range(list,    n, a, i, lo, hi) {
        n = split(list, a, " "); lo = hi = a[1]
        for (i = 2; i <= n; i++) { if (a[i] + 0 < lo + 0) lo = a[i]; if (a[i] + 0 > hi + 0) hi = a[i] }
        return sprintf("%.2f-%.2f", lo, hi)
    }
    $2 ~ /^partclone/ { pc[$1] = $4 }
    {
        key = $1 "|" $2
        if (!(key in seen)) { seen[key] = 1; order[++n] = key }
        used[key] = $3; size[key] = $6; rss[key] = $7
        cap[key] = cap[key] " " $4; res[key] = res[key] " " $5
        ccpu[key] = ccpu[key] " " $8; rcpu[key] = rcpu[key] " " $9
        if ($2 !~ /^partclone/ && $4 > 0) ratio[key] = ratio[key] " " sprintf("%.3f", pc[$1] / $4)
    }
    END {
        for (i = 1; i <= n; i++) {
            key = order[i]; split(key, k, "|")
            c = median(cap[key]); r = median(res[key])
            x = (key in ratio) ? sprintf("%.2f (%s)", median(ratio[key]), range(ratio[key])) : "-"
            printf "| %-9s | %-36s | %7d | %7.2f s | %5.0f | %7.2f s | %5.0f | %8.1f | %9s | %11s | %-17s |\n",
                k[1], k[2], used[key] / 1e6, c, used[key] / c / 1e6, r, used[key] / r / 1e6,
                size[key] / 1e6, rss[key], sprintf("%.1f/%.1f", median(ccpu[key]), median(rcpu[key])), x
        }
    }'
