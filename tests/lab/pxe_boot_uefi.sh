# Real UEFI firmware PXE-boots a kernel from castlined: QEMU (TCG) with OVMF and a virtio NIC
# without option ROM, so EDK2's own PXE stack asks for a loader. castlined sends it Debian's
# snponly.efi over TFTP; that iPXE asks DHCP again and gets the per-host script URL, whose script
# boots the test kernel + initramfs over HTTP; the init prints the marker (qemu_lib.sh).
# Once with castlined in full mode alone (address and loader in one answer), once in proxy mode
# beside dnsmasq (a bare OFFER on 67 sends the firmware to 4011, whose ACK names the loader).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/qemu_lib.sh"
mac=52:54:00:00:00:0e
qemu_lab

# loaded_snponly MODE: EDK2 fetched snponly.efi by TFTP (whose iPXE then asked for its script).
loaded_snponly() {
    grep -q 'event=tftp_transfer file=snponly.efi .*result=complete' "$LAB_TMP/castlined-$1.log" ||
        fail "$1: the firmware did not fetch snponly.efi by TFTP"
}

qemu_pxe_boot uefi full "$mac"
loaded_snponly full
grep -q 'Station IP address is 198.18.0.100' "$LAB_TMP/uefi-full.console" ||
    fail "full: the firmware did not get castlined's 198.18.0.100"
pass "full mode: address and snponly.efi in castlined's one answer"

qemu_pxe_boot uefi proxy "$mac"
loaded_snponly proxy
grep -q "port=67 type=DISCOVER mac=$mac .*file follows on 4011" "$LAB_TMP/castlined-proxy.log" ||
    fail "proxy: castlined's first answer was not the bare UEFI offer"
grep -q "event=dhcp_reply interface=br0 port=4011 .*mac=$mac" "$LAB_TMP/castlined-proxy.log" ||
    fail "proxy: the firmware's REQUEST on 4011 was not answered"
grep -q 'Station IP address is 198.18.0.16[0-9]' "$LAB_TMP/uefi-proxy.console" ||
    fail "proxy: the firmware did not take dnsmasq's address"
pass "proxy mode: address from dnsmasq, snponly.efi via 4011 and the script from castlined"
