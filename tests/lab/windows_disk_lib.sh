# A disk file that looks like an imaged Windows machine, for the post-config and end-to-end
# tests: GPT with a FAT32 ESP (1, label ESP, EFI/Boot/bootx64.efi), an NTFS partition (2, label
# WINDOWS) holding Sysprep/sysprep.inf (CRLF) and Windows/Panther/unattend.xml written the way
# Windows setup leaves them, and an ext4 partition (3, label linuxdata). Each file system is made
# in its own file and copied in at its partition's offset. Source after lib.sh.

# windows_fixtures DIR: DIR/sysprep.inf and DIR/unattend.xml, the originals put on the disk.
windows_fixtures() {
    local dir=$1
    mkdir -p "$dir"
    printf '%s\r\n' '; sysprep.inf for the lab image' '[Unattended]' '    OemSkipEula=Yes' \
        '    InstallFilesPath=C:\sysprep\i386' '' '[GuiUnattended]' '    AdminPassword=*' \
        '    TimeZone=110' '' '[UserData]' '    FullName="Lab User"' '    ComputerName=OLDNAME' \
        '    ProductKey=XXXXX-XXXXX-XXXXX-XXXXX-XXXXX' '' '[Identification]' \
        '    JoinWorkgroup=WORKGROUP' >"$dir/sysprep.inf"
    cat >"$dir/unattend.xml" <<'XML'
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
}

# make_windows_disk DISK FIXTURES: a 100 MiB disk file with the three partitions; FIXTURES is a
# folder made by windows_fixtures.
make_windows_disk() {
    local disk=$1 fixtures=$2
    local esp="$LAB_TMP/esp.img" ntfs="$LAB_TMP/ntfs.img" ext="$LAB_TMP/ext.img"
    mkfs.vfat -F 32 -s 1 -n ESP -C "$esp" $((40 * 1024)) >/dev/null
    head -c 200000 /dev/urandom >"$LAB_TMP/bootx64.efi"
    mmd -i "$esp" ::/EFI ::/EFI/Boot
    mcopy -i "$esp" "$LAB_TMP/bootx64.efi" ::/EFI/Boot/bootx64.efi
    truncate -s 40M "$ntfs"
    mkntfs -q -F -Q -L WINDOWS "$ntfs" >/dev/null 2>&1
    mkdir -p "$LAB_TMP/extroot/etc"
    echo "keep" >"$LAB_TMP/extroot/etc/hostname"
    mke2fs -q -F -t ext4 -L linuxdata -d "$LAB_TMP/extroot" "$ext" 16M >/dev/null

    # ntfs-3g's tools cannot make folders; the tree is made through ntfs-3g (FUSE), then
    # unmounted before castline-imager ever sees the file system.
    local mnt="$LAB_TMP/mnt" made=0
    mkdir -p "$mnt"
    ntfs-3g "$ntfs" "$mnt"
    { mkdir -p "$mnt/Windows/Panther" "$mnt/Windows/System32" "$mnt/Sysprep" &&
        cp "$fixtures/unattend.xml" "$mnt/Windows/Panther/unattend.xml" &&
        cp "$fixtures/sysprep.inf" "$mnt/Sysprep/sysprep.inf" &&
        head -c 300000 /dev/urandom >"$mnt/Windows/System32/kernel.bin"; } || made=$?
    umount "$mnt"
    ((made == 0)) || fail "cannot make the NTFS fixture"

    rm -f "$disk" && truncate -s 100M "$disk"
    sgdisk -n 1:2048:+40M -t 1:ef00 -n 2:0:+40M -t 2:0700 -n 3:0:+16M -t 3:8300 "$disk" >/dev/null
    local n image
    for n in 1 2 3; do
        case $n in 1) image=$esp ;; 2) image=$ntfs ;; 3) image=$ext ;; esac
        dd if="$image" of="$disk" bs=512 seek="$(disk_part_start "$disk" "$n")" conv=notrunc \
            status=none
    done
    rm -f "$esp" "$ntfs" "$ext" "$LAB_TMP/bootx64.efi"
}

# disk_part_start DISK N: the first sector of partition N.
disk_part_start() { sgdisk -i "$2" "$1" | awk '/^First sector/ {print $3}'; }

# disk_part DISK N FILE: copies partition N out of DISK for tools that want a file system file.
disk_part() {
    local at last
    at=$(disk_part_start "$1" "$2")
    last=$(sgdisk -i "$2" "$1" | awk '/^Last sector/ {print $3}')
    dd if="$1" of="$3" bs=512 skip="$at" count=$((last - at + 1)) status=none
}
