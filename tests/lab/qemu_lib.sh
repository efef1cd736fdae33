# Shared setup of the QEMU PXE boot tests (sourced after lib.sh; not a test itself). A namespace
# holds the LAN: bridge br0 (198.18.0.1/24, castlined's side) and tap0 for QEMU. castlined serves
# Debian's iPXE loaders, a test kernel and a marker initramfs from its boot root; the client's
# group images, so castlined's per-host iPXE script boots that kernel, whose init prints
# "CASTLINE-PXE-MARKER <castline.mac from the command line>" on the serial console and powers off.
source "$(dirname "${BASH_SOURCE[0]}")/dhcp_net.sh"

for tool in qemu-system-x86_64 dnsmasq busybox apt-get dpkg-deb; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/packages.txt)"
done
QEMU_BOOT_SECONDS=${CASTLINE_PXE_BOOT_SECONDS:-240}  # one boot under TCG, firmware to marker
QEMU_NS="${LAB_PREFIX}srv"
QEMU_DNS_NS="${LAB_PREFIX}dns"

# qemu_lab: the namespace with br0 and tap0, and the boot root in $LAB_TMP/boot.
qemu_lab() {
    dhcp_lan "$QEMU_NS"
    ip -n "$QEMU_NS" tuntap add tap0 mode tap
    ip -n "$QEMU_NS" link set tap0 master br0 up
    local boot="$LAB_TMP/boot"
    mkdir -p "$boot"
    cp /usr/lib/ipxe/undionly.kpxe /usr/lib/ipxe/snponly.efi "$boot/" ||
        fail "Debian's iPXE loaders missing (package ipxe)"
    qemu_test_kernel "$boot/vmlinuz"
    qemu_marker_initramfs "$boot/initramfs"
}

# qemu_test_kernel DEST: the vmlinuz of Debian's current linux-image-amd64. The .deb (shared with
# the boot media tests) and the extracted kernel are cached in the build folder, so only the
# first run downloads (apt-get download, never installed).
qemu_test_kernel() {
    local dest=$1 cache=${CASTLINE_BOOTMEDIA_CACHE:-$CASTLINE_BIN/../cache}
    local package deb
    package=$(apt-cache depends linux-image-amd64 |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
    [[ -n $package ]] || fail "apt-cache knows no linux-image-amd64 (run apt-get update)"
    mkdir -p "$cache/pxe-test"
    deb=$(compgen -G "$cache/${package}_*_amd64.deb" | head -n 1 || true)
    if [[ -z $deb ]]; then
        # Downloaded into a fresh folder and moved in whole: the cache never holds half a file.
        local download
        download=$(mktemp -d "$cache/download.XXXXXX")
        if ! (cd "$download" && timeout 600 apt-get download -q "$package") >"$LAB_TMP/apt.log" 2>&1
        then
            rm -rf "$download"
            fail "apt-get download $package failed: $(tail -n 3 "$LAB_TMP/apt.log")"
        fi
        deb="$cache/$(basename "$download"/*.deb)"
        mv "$download"/*.deb "$deb"
        rmdir "$download"
    fi
    local kernel="$cache/pxe-test/$(basename "$deb" .deb).vmlinuz"
    if [[ ! -f $kernel ]]; then
        dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './boot/vmlinuz-*' >"$kernel.tmp.$$" ||
            fail "no boot/vmlinuz-* in $deb"
        mv "$kernel.tmp.$$" "$kernel"
    fi
    cp "$kernel" "$dest"
}

# qemu_marker_initramfs DEST: busybox-static and an init that prints the marker and powers off.
qemu_marker_initramfs() {
    local root="$LAB_TMP/initramfs-root"
    mkdir -p "$root/bin" "$root/proc" "$root/dev"
    cp "$(command -v busybox)" "$root/bin/busybox"  # static: the busybox-static package
    cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
mac=unknown
for arg in $(/bin/busybox cat /proc/cmdline); do
    case $arg in castline.mac=*) mac=${arg#castline.mac=} ;; esac
done
echo "CASTLINE-PXE-MARKER $mac" >/dev/console
/bin/busybox poweroff -f
INIT
    chmod 755 "$root/init"
    (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 >"$1"
}

# qemu_castlined MODE MAC: castlined in full or proxy mode with MAC as an imaging host.
qemu_castlined() {
    local mode=$1 mac=$2 config="$LAB_TMP/site-$1.yaml" dhcp_extra=""
    if [[ $mode == full ]]; then
        dhcp_extra="  pools: [{interface: br0, range: [198.18.0.100, 198.18.0.150], router: 198.18.0.1}]"
    else
        # The job token goes only to the address dnsmasq gave the machine, seen by the capture.
        dhcp_extra="  passive_discovery: true"
    fi
    cat >"$config" <<YAML
version: 1
server: {interfaces: [br0], data_dir: ./state-$mode, api_port: 0}
boot: {root: ./boot, kernel_args: console=ttyS0 panic=-1}
dhcp:
  mode: $mode
$dhcp_extra
hosts:
  - {mac: "$mac", name: pxe-client, group: lab}
groups:
  lab: {action: image, image: base}
images:
  base: {path: ./images/base.cimg}
YAML
    # These scenarios stop at the boot; an image a group images from must exist all the same.
    mkdir -p "$LAB_TMP/images"
    [[ -f "$LAB_TMP/images/base.cimg" ]] || echo "boot scenarios send no image" >"$LAB_TMP/images/base.cimg"
    castlined_start "$QEMU_NS" "$LAB_TMP/castlined-$mode.log" "$config"
}

# qemu_site_dhcp: dnsmasq as the site's DHCP server (addresses 198.18.0.160-170, no boot
# options) for the proxy scenarios; started once, kept for the rest of the test.
qemu_site_dhcp() {
    [[ -n ${QEMU_DNSMASQ_UP:-} ]] && return
    dnsmasq_site_server "$QEMU_NS" "$QEMU_DNS_NS" 198.18.0.160 198.18.0.170
    QEMU_DNSMASQ_UP=1
}

# qemu_boot NAME bios|uefi MAC: boots a VM on tap0 until the marker is on its serial console
# ($LAB_TMP/NAME.serial, then NAME.console) and the kernel has powered it off; on a timeout
# fails with the end of the serial console and of castlined's log.
qemu_boot() {
    local name=$1 firmware=$2 mac=$3 serial="$LAB_TMP/$1.serial"
    local args=(-accel tcg -nographic -serial "file:$serial" -monitor none -no-reboot
                -netdev tap,id=n0,ifname=tap0,script=no,downscript=no)
    case $firmware in
        # SeaBIOS runs the NIC's option ROM (Debian's iPXE) only on e1000, not on virtio-net.
        bios) args+=(-m 256 -boot n
                     -device "e1000,netdev=n0,mac=$mac,romfile=/usr/lib/ipxe/qemu/efi-e1000.rom") ;;
        # romfile= empty: no iPXE ROM, so OVMF boots through EDK2's own PXE stack.
        uefi) args+=(-m 512 -bios /usr/share/ovmf/OVMF.fd
                     -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
    esac
    local start=$SECONDS
    lab_spawn "$LAB_TMP/$name.qemu.log" ip netns exec "$QEMU_NS" qemu-system-x86_64 "${args[@]}"
    local vm=$LAB_LAST_PID
    local deadline=$((SECONDS + QEMU_BOOT_SECONDS))
    until grep -q "CASTLINE-PXE-MARKER" "$serial" 2>/dev/null; do
        if ((SECONDS >= deadline)) || ! kill -0 "$vm" 2>/dev/null; then
            qemu_show_console "$name"
            fail "$name: no marker on the serial console after $((SECONDS - start)) s"
        fi
        sleep 0.5
    done
    QEMU_MARKER_SECONDS=$((SECONDS - start))
    lab_wait_exit "$vm" 30
    qemu_console "$name"
    grep -q 'reboot: Power down' "$LAB_TMP/$name.console" ||
        fail "$name: the test kernel did not power off"
}

# qemu_console NAME: NAME.serial as plain lines (no carriage returns, terminal escapes or blank
# lines) in $LAB_TMP/NAME.console, which the tests read.
qemu_console() {
    sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e '/^[[:space:]]*$/d' \
        "$LAB_TMP/$1.serial" >"$LAB_TMP/$1.console"
}

# qemu_show_console NAME: the end of the console, on a failure (lib.sh's exit trap then shows
# the end of every log, castlined's among them).
qemu_show_console() {
    qemu_console "$1"
    echo "--- $1: end of the serial console:" >&2
    tail -n 30 "$LAB_TMP/$1.console" >&2
    echo >&2
}

# qemu_pxe_boot bios|uefi full|proxy MAC: one scenario. castlined alone (full) or beside dnsmasq
# (proxy; run the proxy scenarios after the full ones); the VM PXE-boots the test kernel through
# castlined's per-host script. castlined is stopped afterwards; its log stays in
# $LAB_TMP/castlined-MODE.log, the console in $LAB_TMP/FIRMWARE-MODE.console.
qemu_pxe_boot() {
    local firmware=$1 mode=$2 mac=$3
    local name=$firmware-$mode script_url="http://198.18.0.1:8080/ipxe/${mac//:/-}.ipxe"
    if [[ $mode == proxy ]]; then qemu_site_dhcp; fi
    qemu_castlined "$mode" "$mac"
    qemu_boot "$name" "$firmware" "$mac"
    castlined_stop
    local console="$LAB_TMP/$name.console"
    # iPXE (the ROM, or snponly.efi) prints the boot file DHCP gave it, then fetches it.
    grep -qxF "Filename: $script_url" "$console" ||
        fail "$name: iPXE was not told $script_url: $(grep -E '^(net0|Filename)' "$console")"
    grep -q "event=host_script mac=$mac .*action=image" "$LAB_TMP/castlined-$mode.log" ||
        fail "$name: castlined did not serve the imaging script to $mac"
    grep -qx "CASTLINE-PXE-MARKER $mac" "$console" ||
        fail "$name: the marker does not name $mac: $(grep MARKER "$console")"
    pass "$firmware, $mode mode: marker after $QEMU_MARKER_SECONDS s, then powered off"
}
