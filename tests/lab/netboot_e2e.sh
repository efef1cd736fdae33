# castline's main job end to end (issue 7): castlined in full DHCP mode in a namespace; a BIOS
# machine (QEMU's iPXE NIC ROM) and a UEFI machine (OVMF, EDK2's own PXE) with blank disks
# PXE-boot the imaging media, join one multicast session, restore a Windows-like GPT image, get
# their own ComputerName by MAC and power off. Then: each disk is the image plus only that
# host's post-config; castlined's store has both jobs done; a third boot gets the local-boot
# script. Bad cases: a disk too small, an image that fails validation and a wrong session
# password fail with a clear error and leave the disk untouched.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/windows_disk_lib.sh"
source "$(dirname "$0")/netboot_lib.sh"

bios_mac=52:54:00:c5:00:01 uefi_mac=52:54:00:c5:00:02 small_mac=52:54:00:c5:00:03
damaged_mac=52:54:00:c5:00:04
netboot_network
netboot_media
netboot_image
netboot_config "  - {mac: \"$bios_mac\", name: LAB-BIOS, group: lab, vars: {OrgName: Example}}
  - {mac: \"$uefi_mac\", name: LAB-UEFI, group: lab, vars: {OrgName: Example}}
  - {mac: \"$small_mac\", name: LAB-SMALL, group: single, vars: {OrgName: Example}}
  - {mac: \"$damaged_mac\", name: LAB-DAMAGED, group: damaged}"
netboot_start_castlined
pass "castlined up with boot media, loaders and a $(stat -c %s "$NETBOOT_DIR/images/base.cimg")-byte image"

start=$SECONDS
netboot_vm lab-bios "$bios_mac" bios 128
netboot_vm lab-uefi "$uefi_mac" uefi 128
netboot_vm lab-small "$small_mac" bios 32
netboot_vm lab-damaged "$damaged_mac" uefi 128
netboot_wait_off lab-small 400
netboot_wait_off lab-damaged 400
netboot_wait_off lab-bios 600
netboot_wait_off lab-uefi 600
pass "four machines booted and powered off by themselves in $((SECONDS - start)) s"

# --- the good machines: the image, plus that host's post-config and nothing else
jobs=$(castline_cli jobs)
echo "$jobs"
for host in LAB-BIOS LAB-UEFI; do
    grep -E "^$host +done" <<<"$jobs" >/dev/null || fail "$host's job is not done: $jobs"
done

windows_fixtures "$LAB_TMP/want"
sgdisk -p "$LAB_TMP/source.img" | sed -n '/^Number/,$p' >"$LAB_TMP/table.want"
for vm in lab-bios lab-uefi; do
    disk="$LAB_TMP/$vm.disk" name=${vm^^}
    sgdisk -v "$disk" | grep -q "No problems found" || fail "$vm: sgdisk -v: $(sgdisk -v "$disk")"
    sgdisk -p "$disk" | sed -n '/^Number/,$p' | cmp -s - "$LAB_TMP/table.want" ||
        fail "$vm: partition table differs from the image's"
    disk_part "$disk" 1 "$LAB_TMP/p1.img"
    disk_part "$LAB_TMP/source.img" 1 "$LAB_TMP/s1.img"
    cmp -s "$LAB_TMP/p1.img" "$LAB_TMP/s1.img" || fail "$vm: the ESP differs from the image's"
    disk_part "$disk" 3 "$LAB_TMP/p3.img"
    disk_part "$LAB_TMP/source.img" 3 "$LAB_TMP/s3.img"
    cmp -s "$LAB_TMP/p3.img" "$LAB_TMP/s3.img" || fail "$vm: the ext4 partition differs from the image's"

    disk_part "$disk" 2 "$LAB_TMP/p2.img"
    disk_part "$LAB_TMP/source.img" 2 "$LAB_TMP/s2.img"
    ntfscat "$LAB_TMP/p2.img" Windows/System32/kernel.bin |
        cmp -s - <(ntfscat "$LAB_TMP/s2.img" Windows/System32/kernel.bin) || fail "$vm: kernel.bin differs"
    ntfscat "$LAB_TMP/p2.img" Sysprep/sysprep.inf >"$LAB_TMP/sysprep.got"
    sed -e "s/^    ComputerName=OLDNAME\r\$/    ComputerName=$name\r/" \
        -e "s/^\(    ComputerName=.*\r\)\$/\1/" "$LAB_TMP/want/sysprep.inf" |
        awk -v org=$'OrgName=Example\r' '{print} /ProductKey=/ {print org}' >"$LAB_TMP/sysprep.want"
    cmp -s "$LAB_TMP/sysprep.want" "$LAB_TMP/sysprep.got" ||
        fail "$vm: sysprep.inf: $(diff "$LAB_TMP/sysprep.want" "$LAB_TMP/sysprep.got" | cat -A | head)"
    ntfscat "$LAB_TMP/p2.img" Windows/Panther/unattend.xml >"$LAB_TMP/unattend.got"
    sed "s|<ComputerName>OLDNAME</ComputerName>|<ComputerName>$name</ComputerName>|" \
        "$LAB_TMP/want/unattend.xml" | cmp -s - "$LAB_TMP/unattend.got" ||
        fail "$vm: unattend.xml: $(diff "$LAB_TMP/want/unattend.xml" "$LAB_TMP/unattend.got" | head)"
    pass "$vm: partition table, ESP, ext4 and NTFS files as in the image; ComputerName=$name in sysprep.inf and unattend.xml"
done

# --- a disk too small: a clear error on the console and in castlined's log, disk untouched
# castlined tells the imager how large a disk the image needs, so the only disk is refused
# already when the imager chooses its target.
grep -qiE "castline-imager: job failed in find-disk: no disk fits" "$LAB_TMP/lab-small.serial.log" ||
    fail "lab-small: no clear error on the console: $(tail -c 1200 "$LAB_TMP/lab-small.serial.log")"
grep -qiE "/dev/vda \(32 MiB[^)]*\): left out, smaller than the image needs" "$LAB_TMP/lab-small.serial.log" ||
    fail "lab-small: no clear error on the console: $(tail -c 1200 "$LAB_TMP/lab-small.serial.log")"
grep -qE "event=job_state .*host=LAB-SMALL .*state=failed" "$NETBOOT_LOG" ||
    fail "castlined did not log LAB-SMALL's job as failed"
cmp -s "$LAB_TMP/lab-small.disk" <(head -c $((32 * 1024 * 1024)) /dev/zero) ||
    fail "lab-small's disk was written"
pass "a 32 MiB disk: '$(grep -oiE 'left out, smaller than the image needs.*' "$LAB_TMP/lab-small.serial.log" | head -1 | tr -d '\r')', disk untouched"

# --- an image that fails validation: refused by castlined before any disk is touched
grep -qE "castline-imager: job failed in fetch: .*image damaged failed validation: chunk 0 .*checksum mismatch" \
    "$LAB_TMP/lab-damaged.serial.log" ||
    fail "lab-damaged: no clear error on the console: $(tail -c 1200 "$LAB_TMP/lab-damaged.serial.log")"
grep -qE "event=job_state host=LAB-DAMAGED .*state=failed .*failed validation" "$NETBOOT_LOG" ||
    fail "castlined did not log LAB-DAMAGED's job as failed"
cmp -s "$LAB_TMP/lab-damaged.disk" <(head -c $((128 * 1024 * 1024)) /dev/zero) ||
    fail "lab-damaged's disk was written"
pass "a damaged image: '$(grep -oE 'image damaged failed validation: [^"]*' "$LAB_TMP/lab-damaged.serial.log" | head -1 | tr -d '\r')', disk untouched"

# --- a wrong session password: refused, nothing written
echo wrong >"$LAB_TMP/wrong.pw"
rc=0
in_ns "$CASTLINE_BIN/castline-imager" restore --session "castline://$NETBOOT_SERVER/line" \
    --session-password-file "$LAB_TMP/wrong.pw" --target "$LAB_TMP/wrong.disk" --progress none \
    >"$LAB_TMP/wrong.log" 2>&1 || rc=$?
((rc != 0)) || fail "a wrong session password was accepted"
grep -qi "password" "$LAB_TMP/wrong.log" || fail "no clear error for a wrong password: $(cat "$LAB_TMP/wrong.log")"
[[ ! -s $LAB_TMP/wrong.disk ]] || fail "the target was written despite the wrong password"
pass "wrong session password: '$(grep '^castline-imager:' "$LAB_TMP/wrong.log" | tail -1)' (exit $rc), nothing written"

# --- the next boot of an imaged machine goes to its local disk
netboot_vm lab-bios "$bios_mac" bios
lab_wait_for "$NETBOOT_LOG" "event=host_script .*mac=$bios_mac .*action=local" 180
pass "LAB-BIOS's third boot got the local-boot script"
