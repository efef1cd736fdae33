# Real BIOS firmware PXE-boots a kernel from castlined: QEMU (TCG) with SeaBIOS and Debian's iPXE
# e1000 ROM. The ROM already is iPXE, so castlined's first answer must be the per-host script URL
# (no chain-loaded undionly.kpxe); the script boots the test kernel + initramfs over HTTP and
# its init prints the marker (qemu_lib.sh). Once with castlined in full mode alone, once in
# proxy mode beside dnsmasq.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/qemu_lib.sh"
mac=52:54:00:00:00:01
qemu_lab

# from_rom MODE: the ROM's first DHCP exchange already got the script: no loader was fetched.
from_rom() {
    ! grep -q 'event=tftp_transfer' "$LAB_TMP/castlined-$1.log" ||
        fail "$1: the ROM chain-loaded a loader"
}

qemu_pxe_boot bios full "$mac"
from_rom full
grep -q 'net0: 198.18.0.100/' "$LAB_TMP/bios-full.console" ||
    fail "full: iPXE did not get castlined's 198.18.0.100"
pass "full mode: 198.18.0.100 and the script URL in castlined's one answer"

qemu_pxe_boot bios proxy "$mac"
from_rom proxy
grep -q 'net0: 198.18.0.16[0-9]/' "$LAB_TMP/bios-proxy.console" ||
    fail "proxy: no address from dnsmasq"
pass "proxy mode: address from dnsmasq, script URL from castlined"
