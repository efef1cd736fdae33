# castline's main job, start to finish, for the end-to-end test and the demo (scripts/demo.sh):
# castlined in full DHCP mode on a bridge in a network namespace, the imaging boot media, a
# captured Windows-like image (windows_disk_lib.sh), and QEMU machines (TCG) with blank disks
# that PXE-boot, restore by multicast, get their post-config by MAC and power off.
# Source after lib.sh and windows_disk_lib.sh; set CASTLINE_BIN.

NETBOOT_NS="${LAB_PREFIX}net"
NETBOOT_SERVER=198.18.0.1
NETBOOT_DIR="$LAB_TMP/site"
NETBOOT_LOG="$LAB_TMP/castlined.log"
NETBOOT_API=18082  # castlined's operator API, inside the namespace only
OVMF=/usr/share/ovmf/OVMF.fd

# in_ns CMD...: runs CMD in the lab namespace.
in_ns() { ip netns exec "$NETBOOT_NS" "$@"; }
castline_cli() { in_ns "$CASTLINE_BIN/castline" "$@" --api "127.0.0.1:$NETBOOT_API"; }

# netboot_network: the namespace with bridge br0 (the lab's switch) at 198.18.0.1/24.
netboot_network() {
    lab_netns "$NETBOOT_NS"
    ip -n "$NETBOOT_NS" link add br0 type bridge
    ip -n "$NETBOOT_NS" addr add "$NETBOOT_SERVER/24" dev br0
    ip -n "$NETBOOT_NS" link set br0 up
}

# netboot_media: castlined's boot root with the iPXE loaders and the imaging kernel and initramfs.
netboot_media() {
    mkdir -p "$NETBOOT_DIR/boot"
    cp /usr/lib/ipxe/undionly.kpxe /usr/lib/ipxe/snponly.efi "$NETBOOT_DIR/boot/"
    local cache=${CASTLINE_BOOTMEDIA_CACHE:-$CASTLINE_BIN/../cache}
    "$CASTLINE_BIN/castline" bootmedia build --output "$NETBOOT_DIR/boot" --cache "$cache" \
        >"$LAB_TMP/bootmedia.log" 2>&1 || fail "castline bootmedia build: $(tail -5 "$LAB_TMP/bootmedia.log")"
}

# netboot_image: the Windows-like source disk and its image, images/base.cimg.
netboot_image() {
    windows_fixtures "$LAB_TMP/fixtures"
    make_windows_disk "$LAB_TMP/source.img" "$LAB_TMP/fixtures"
    mkdir -p "$NETBOOT_DIR/images" "$NETBOOT_DIR/secrets"
    "$CASTLINE_BIN/castline-imager" capture --source "$LAB_TMP/source.img" \
        --output "$NETBOOT_DIR/images/base.cimg" --description "lab Windows image" \
        --progress none >/dev/null 2>"$LAB_TMP/capture.log" ||
        fail "capture: $(cat "$LAB_TMP/capture.log")"
    echo "lab-session-secret" >"$NETBOOT_DIR/secrets/session.pw"
    # The same image with one byte flipped in its first chunk's stored data, which starts after
    # the 512-byte image header and the 32-byte chunk header (docs/image-format.md).
    cp "$NETBOOT_DIR/images/base.cimg" "$NETBOOT_DIR/images/damaged.cimg"
    python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(644); b = f.read(1)[0]; f.seek(644); f.write(bytes([b ^ 0xFF]))' \
        "$NETBOOT_DIR/images/damaged.cimg"
    "$CASTLINE_BIN/castline-imager" validate --image "$NETBOOT_DIR/images/damaged.cimg" --progress none \
        >/dev/null 2>&1 && fail "the damaged image still validates"
    return 0
}

# netboot_config HOSTS_YAML [MORE_YAML]: the site config; HOSTS_YAML lists the machines (hosts:
# entries) in group lab (session line, two machines), single (session single, one machine) or
# damaged (an image that fails validation); MORE_YAML (rollouts, schedules) is appended.
netboot_config() {
    cat >"$NETBOOT_DIR/site.yaml" <<YAML
version: 1
server:
  interfaces: [br0]
  data_dir: ./state
  log_level: info
  api_port: $NETBOOT_API
boot:
  root: ./boot
  tftp_port: 69
  http_port: 8080
  kernel_args: console=ttyS0 castline.on_error=poweroff
dhcp:
  mode: full
  pools:
    - interface: br0
      range: [198.18.0.100, 198.18.0.199]
      router: $NETBOOT_SERVER
      lease_time: 1h
hosts:
$1
groups:
  lab: {image: base, action: image, session: line, postconfig: windows}
  # A second session, so that a machine refused by its disk never counts towards line's start.
  single: {image: base, action: image, session: single, postconfig: windows}
  # An image with a damaged chunk (made by netboot_image): castlined refuses its jobs.
  damaged: {image: damaged, action: image, session: damaged}
images:
  base: {path: ./images/base.cimg, description: lab Windows image}
  damaged: {path: ./images/damaged.cimg, description: base with one byte flipped}
sessions:
  line: {image: base, password_file: ./secrets/session.pw, clients: 2}
  single: {image: base, password_file: ./secrets/session.pw, clients: 1, port: 9002, address: 239.198.10.11}
  damaged: {image: damaged, clients: 1, port: 9003, address: 239.198.10.12}
postconfig:
  windows:
    sysprep: {UserData: {ComputerName: "\${name}", OrgName: "\${OrgName}"}}
    unattend: {specialize/Microsoft-Windows-Shell-Setup/ComputerName: "\${name}"}
${2:-}
YAML
}

netboot_start_castlined() {
    lab_spawn "$NETBOOT_LOG" ip netns exec "$NETBOOT_NS" "$CASTLINE_BIN/castlined" --config "$NETBOOT_DIR/site.yaml"
    NETBOOT_CASTLINED=$LAB_LAST_PID
    lab_wait_for "$NETBOOT_LOG" 'event=started' 30
}

# netboot_vm NAME MAC bios|uefi [DISK_MIB]: a machine with one NIC on br0 that boots from the
# network first, and a blank disk of DISK_MIB (without it, the disk it already has). Its serial
# console goes to $LAB_TMP/NAME.serial.log.
netboot_vm() {
    local name=$1 mac=$2 firmware=$3 disk_mib=${4:-}
    local tap="t${name:(-8 < -${#name} ? 0 : -8)}"  # interface names: at most 15 characters
    [[ -z $disk_mib ]] || { rm -f "$LAB_TMP/$name.disk" && truncate -s "${disk_mib}M" "$LAB_TMP/$name.disk"; }
    ip -n "$NETBOOT_NS" link show "$tap" >/dev/null 2>&1 || {
        ip -n "$NETBOOT_NS" tuntap add "$tap" mode tap
        ip -n "$NETBOOT_NS" link set "$tap" master br0 up
    }
    local nic=(-device "virtio-net-pci,netdev=n0,mac=$mac,bootindex=1")
    local fw=()
    if [[ $firmware == uefi ]]; then
        fw=(-bios "$OVMF")
        nic=(-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1")  # EDK2's own PXE
    fi
    lab_spawn "$LAB_TMP/$name.qemu.log" ip netns exec "$NETBOOT_NS" qemu-system-x86_64 -accel tcg -m 768 "${fw[@]}" \
        -nographic -serial "file:$LAB_TMP/$name.serial.log" -monitor none -no-reboot \
        -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" "${nic[@]}" \
        -drive "file=$LAB_TMP/$name.disk,format=raw,if=virtio"
    eval "VM_PID_${name//-/_}=$LAB_LAST_PID"
}

# netboot_wait_off NAME SECONDS: waits for the machine to power itself off.
netboot_wait_off() {
    local pid_var="VM_PID_${1//-/_}" deadline=$((SECONDS + $2))
    while kill -0 "${!pid_var}" 2>/dev/null; do
        ((SECONDS < deadline)) ||
            fail "$1 did not power off within $2 s; console: $(tail -c 1500 "$LAB_TMP/$1.serial.log")"
        sleep 1
    done
}
