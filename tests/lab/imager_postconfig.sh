# Post-config on a GPT disk file: FAT32 ESP (1), NTFS with Windows (2), ext4 (3), each made with
# its own mkfs in a file and copied in at its partition's offset. castline-imager postconfig edits
# sysprep.inf (CRLF) and unattend.xml and drops files; ntfscat, mtype and debugfs read them back.
# Failures exit 7 with a message and leave the disk byte for byte as it was.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"

disk="$LAB_TMP/disk.img"
mac="00:0a:48:00:dd:1a"

# The fixtures, written the way Windows setup leaves them.
printf '%s\r\n' '; sysprep.inf for the lab image' '[Unattended]' '    OemSkipEula=Yes' \
    '    InstallFilesPath=C:\sysprep\i386' '' '[GuiUnattended]' '    AdminPassword=*' \
    '    TimeZone=110' '' '[UserData]' '    FullName="Lab User"' '    ComputerName=OLDNAME' \
    '    ProductKey=XXXXX-XXXXX-XXXXX-XXXXX-XXXXX' '' '[Identification]' \
    '    JoinWorkgroup=WORKGROUP' >"$LAB_TMP/sysprep.inf"
cat >"$LAB_TMP/unattend.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend">
    <settings pass="windowsPE">
        <component name="Microsoft-Windows-International-Core-WinPE" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <SetupUILanguage>
                <UILanguage>en-US</UILanguage>
            </SetupUILanguage>
            <InputLocale>0409:00000409</InputLocale>
        </component>
    </settings>
    <settings pass="specialize">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <ComputerName>OLDNAME</ComputerName>
            <TimeZone>UTC</TimeZone>
        </component>
        <component name="Microsoft-Windows-Deployment" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <RunSynchronous>
                <RunSynchronousCommand wcm:action="add">
                    <Order>1</Order>
                    <Path>cmd /c echo specialize &gt; C:\castline.log</Path>
                </RunSynchronousCommand>
            </RunSynchronous>
        </component>
    </settings>
    <settings pass="oobeSystem">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <!-- accounts made at first logon -->
            <UserAccounts>
                <LocalAccounts>
                    <LocalAccount wcm:action="add">
                        <Name>lab</Name>
                        <Group>Administrators</Group>
                    </LocalAccount>
                </LocalAccounts>
            </UserAccounts>
            <OOBE>
                <HideEULAPage>true</HideEULAPage>
            </OOBE>
        </component>
    </settings>
</unattend>
XML

esp="$LAB_TMP/esp.img" ntfs="$LAB_TMP/ntfs.img" ext="$LAB_TMP/ext.img"
mkfs.vfat -F 32 -s 1 -n ESP -C "$esp" $((40 * 1024)) >/dev/null
truncate -s 40M "$ntfs"
mkntfs -q -F -Q -L WINDOWS "$ntfs" >/dev/null 2>&1
mkdir -p "$LAB_TMP/extroot/etc"
echo "keep" >"$LAB_TMP/extroot/etc/hostname"
mke2fs -q -F -t ext4 -L linuxdata -d "$LAB_TMP/extroot" "$ext" 16M >/dev/null

# ntfs-3g's tools cannot make folders; the fixture tree is made through ntfs-3g (FUSE), then
# unmounted before castline-imager ever sees the file system.
mnt="$LAB_TMP/mnt"
mkdir -p "$mnt"
ntfs-3g "$ntfs" "$mnt"
made=0
{ mkdir -p "$mnt/Windows/Panther" "$mnt/Sysprep" &&
    cp "$LAB_TMP/unattend.xml" "$mnt/Windows/Panther/unattend.xml" &&
    cp "$LAB_TMP/sysprep.inf" "$mnt/Sysprep/sysprep.inf"; } || made=$?
umount "$mnt"
((made == 0)) || fail "cannot make the NTFS fixture"

truncate -s 100M "$disk"
sgdisk -n 1:2048:+40M -t 1:ef00 -n 2:0:+40M -t 2:0700 -n 3:0:+16M -t 3:8300 "$disk" >/dev/null
start() { sgdisk -i "$1" "$disk" | awk '/^First sector/ {print $3}'; }
esp_at=$(($(start 1) * 512)) ntfs_at=$(($(start 2) * 512)) ext_at=$(($(start 3) * 512))
dd if="$esp" of="$disk" bs=1M seek=$((esp_at / 1048576)) conv=notrunc status=none
dd if="$ntfs" of="$disk" bs=1M seek=$((ntfs_at / 1048576)) conv=notrunc status=none
dd if="$ext" of="$disk" bs=1M seek=$((ext_at / 1048576)) conv=notrunc status=none
rm -f "$esp" "$ntfs" "$ext"

# part N FILE: copies partition N out of the disk for the file system tools that want a file.
part() {
    local at
    at=$(start "$1")
    local sectors=$(( $(sgdisk -i "$1" "$disk" | awk '/^Last sector/ {print $3}') - at + 1 ))
    dd if="$disk" of="$2" bs=512 skip="$at" count="$sectors" status=none
}
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
