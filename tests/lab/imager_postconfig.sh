# Post-config on a GPT disk file: FAT32 ESP (1), NTFS with Windows (2), ext4 (3), made by
# windows_disk_lib.sh. castline-imager postconfig edits sysprep.inf (CRLF) and unattend.xml and
# drops files; ntfscat, mtype and debugfs read them back.
# Failures exit 7 with a message and leave the disk byte for byte as it was.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"
source "$(dirname "$0")/windows_disk_lib.sh"

disk="$LAB_TMP/disk.img"
mac="00:0a:48:00:dd:1a"

windows_fixtures "$LAB_TMP"
make_windows_disk "$disk" "$LAB_TMP"
start() { disk_part_start "$disk" "$1"; }
esp_at=$(($(start 1) * 512)) ntfs_at=$(($(start 2) * 512)) ext_at=$(($(start 3) * 512))

part() { disk_part "$disk" "$1" "$2"; }
ntfs_cat() { part 2 "$LAB_TMP/p2.img" && ntfscat "$LAB_TMP/p2.img" "$1"; }
b64() { printf '%s' "$1" | base64 -w0; }
postconfig() { "${imager[@]}" postconfig --target "$disk" --spec "$1" --mac "$mac"; }

# 1. Windows partition found by itself: sysprep.inf (found without case), a per-MAC update file,
# unattend.xml, a file drop.
update=$'[00-0A-48-00-DD-1A.SysprepInf.UserData]\r\nOrgName="Example Inc"\r\n[52-54-00-00-00-09.SysprepInf.UserData]\r\nOrgName=Other\r\n'
cat >"$LAB_TMP/windows.json" <<JSON
{"partition": "",
 "sysprep_path": "sysprep/SYSPREP.INF",
 "sysprep": [{"section": "userdata", "key": "computername", "value": "WS01"}],
 "sysprep_update": $(printf '%s' "$update" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'),
 "unattend": [{"path": "specialize/Microsoft-Windows-Shell-Setup/ComputerName", "value": "WS01"},
              {"path": "oobeSystem/Microsoft-Windows-Shell-Setup/UserAccounts/AdministratorPassword/Value", "value": "s3cret"}],
 "files": [{"target": "castline/host.txt", "content_base64": "$(b64 $'ws01\n')"}]}
JSON
postconfig "$LAB_TMP/windows.json" >"$LAB_TMP/run1.log"
grep -q "partition 2 (NTFS): Sysprep/SYSPREP.INF\|partition 2 (NTFS): sysprep/SYSPREP.INF" "$LAB_TMP/run1.log" ||
    fail "no change line for sysprep.inf: $(cat "$LAB_TMP/run1.log")"
grep -q "s3cret" "$LAB_TMP/run1.log" && fail "a value was printed"

ntfs_cat Sysprep/sysprep.inf >"$LAB_TMP/sysprep.new"
sed -e 's/^    ComputerName=OLDNAME\r$/    ComputerName=WS01\r/' \
    -e 's/^\(    ProductKey=.*\r\)$/\1\nOrgName="Example Inc"\r/' "$LAB_TMP/sysprep.inf" >"$LAB_TMP/sysprep.want"
cmp -s "$LAB_TMP/sysprep.want" "$LAB_TMP/sysprep.new" ||
    fail "sysprep.inf differs: $(diff "$LAB_TMP/sysprep.want" "$LAB_TMP/sysprep.new" | cat -A | head)"
pass "sysprep.inf: ComputerName replaced in place, this MAC's OrgName added, CRLF kept"

ntfs_cat Windows/Panther/unattend.xml >"$LAB_TMP/unattend.new"
diff "$LAB_TMP/unattend.xml" "$LAB_TMP/unattend.new" >"$LAB_TMP/unattend.diff" || true
cat >"$LAB_TMP/unattend.diff.want" <<'DIFF'
13c13
<             <ComputerName>OLDNAME</ComputerName>
---
>             <ComputerName>WS01</ComputerName>
34a35,37
>                 <AdministratorPassword>
>                     <Value>s3cret</Value>
>                 </AdministratorPassword>
DIFF
cmp -s "$LAB_TMP/unattend.diff.want" "$LAB_TMP/unattend.diff" ||
    fail "unattend.xml changed elsewhere: $(cat "$LAB_TMP/unattend.diff")"
pass "unattend.xml: ComputerName replaced, AdministratorPassword created, the rest byte-equal"

[[ $(ntfs_cat castline/host.txt) == ws01 ]] || fail "NTFS file drop"
pass "file drop into NTFS with a new folder"

# 2. File drops into each file system, by number and by label.
drop() {  # drop PARTITION TARGET TEXT
    printf '{"partition": "%s", "files": [{"target": "%s", "content_base64": "%s"}]}' \
        "$1" "$2" "$(b64 "$3")" >"$LAB_TMP/drop.json"
    postconfig "$LAB_TMP/drop.json" >/dev/null
}
drop 1 EFI/castline/host.txt "esp by number"
drop esp EFI/castline/label.txt "esp by label"
[[ $(mtype -i "$disk@@$esp_at" ::/EFI/castline/host.txt) == "esp by number" ]] || fail "FAT drop by number"
[[ $(mtype -i "$disk@@$esp_at" ::/efi/CASTLINE/label.txt) == "esp by label" ]] || fail "FAT drop by label"
part 1 "$LAB_TMP/p1.img"
fsck.vfat -n "$LAB_TMP/p1.img" >"$LAB_TMP/fsck.log" 2>&1 || fail "fsck.vfat: $(cat "$LAB_TMP/fsck.log")"
pass "file drops into FAT32 by number and by label; fsck.vfat clean"

drop 3 etc/castline/host.txt "ext by number"
drop linuxdata etc/hostname "ext by label"
part 3 "$LAB_TMP/p3.img"
[[ $(debugfs -R "cat /etc/castline/host.txt" "$LAB_TMP/p3.img" 2>/dev/null) == "ext by number" ]] || fail "ext drop by number"
[[ $(debugfs -R "cat /etc/hostname" "$LAB_TMP/p3.img" 2>/dev/null) == "ext by label" ]] || fail "ext drop by label"
e2fsck -fn "$LAB_TMP/p3.img" >"$LAB_TMP/e2fsck.log" 2>&1 || fail "e2fsck: $(tail -5 "$LAB_TMP/e2fsck.log")"
pass "file drops into ext4 by number and by label (replacing a file); e2fsck clean"

drop WINDOWS Windows/Setup/Scripts/SetupComplete.cmd "echo done"
[[ $(ntfs_cat Windows/Setup/Scripts/SetupComplete.cmd) == "echo done" ]] || fail "NTFS drop by label"
pass "file drop into NTFS by label"

# 3. Failures: exit 7, a message naming the problem, the disk unchanged.
before=$(sha "$disk")
refused() {  # refused PATTERN JSON
    printf '%s' "$2" >"$LAB_TMP/bad.json"
    expect_exit 7 "$1" postconfig "$LAB_TMP/bad.json"
    [[ $(sha "$disk") == "$before" ]] || fail "the disk changed after: $1"
}
refused "partition 2 \(NTFS\): Sysprep/sysprep.inf: computer name \"BAD_NAME\" contains '_'" \
    '{"sysprep": [{"section": "UserData", "key": "ComputerName", "value": "BAD_NAME"}], "files": [{"target": "x.txt", "content_base64": ""}]}'
refused "partition 2 \(NTFS\): Sysprep/missing.inf does not exist; sysprep settings need it" \
    '{"sysprep_path": "Sysprep/missing.inf", "sysprep": [{"section": "UserData", "key": "ComputerName", "value": "WS01"}]}'
refused "no partition has the label \"nosuchlabel\"" \
    '{"partition": "nosuchlabel", "files": [{"target": "x.txt", "content_base64": ""}]}'
refused "files\[0\].target: path \"../x.txt\" climbs out" \
    '{"files": [{"target": "../x.txt", "content_base64": ""}]}'
refused "partition 9 does not exist \(the disk has 1, 2, 3\)" \
    '{"partition": "9", "files": [{"target": "x.txt", "content_base64": ""}]}'
pass "bad computer name, missing sysprep.inf, unknown label, '..', unknown number: exit 7, disk unchanged"

drop 2 Windows/Panther/unattend.xml $'<?xml version="1.0"?>\n<unattend xmlns="urn:schemas-microsoft-com:unattend">\n<settings pass="specialize">\n</unattend>\n'
before=$(sha "$disk")
refused "partition 2 \(NTFS\): Windows/Panther/unattend.xml: not well-formed XML at offset [0-9]+ \(line 4\)" \
    '{"unattend": [{"path": "specialize/Microsoft-Windows-Shell-Setup/ComputerName", "value": "WS01"}], "files": [{"target": "x.txt", "content_base64": ""}]}'
pass "malformed unattend.xml: exit 7 with offset and line, disk unchanged"
