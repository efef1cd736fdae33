# Real UEFI firmware: QEMU (TCG) with OVMF and a virtio NIC without option ROM (romfile=), so
# EDK2's own PXE stack boots. (1) castline in full mode alone: address and snponly.efi in one
# answer. (2) dnsmasq hands out addresses and castline is a proxy: castline's bare OFFER on 67
# must send the firmware to 4011, whose ACK names snponly.efi. The firmware then asks TFTP for
# the file (the TFTP service is built separately; here nobody answers), and the serial console
# shows which server and file it was told.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"
ovmf=/usr/share/ovmf/OVMF.fd
[[ -f $ovmf ]] || fail "$ovmf missing (package ovmf)"

srv="${LAB_PREFIX}srv"
dhcp_lan "$srv"
ip -n "$srv" tuntap add tap0 mode tap
ip -n "$srv" link set tap0 master br0 up
mac=52:54:00:00:00:0e
start_vm() {  # start_vm NAME
    lab_spawn "$LAB_TMP/$1.qemu.log" ip netns exec "$srv" qemu-system-x86_64 -accel tcg -m 512 \
        -bios "$ovmf" -nographic -serial "file:$LAB_TMP/$1.serial.log" -monitor none -no-reboot \
        -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
        -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1"
    vm=$LAB_LAST_PID
}
told() { tr -d '\r' <"$LAB_TMP/$1.serial.log" | grep -E 'Station IP|Server IP|NBP filename' || true; }

# (1) full mode alone
lab_spawn "$LAB_TMP/full.log" ip netns exec "$srv" "$CASTLINE_BIN/castline-dhcp-lab" \
    --data-dir "$LAB_TMP/state-full" --mode full --interface br0 --host "$mac" \
    --pool br0,198.18.0.100,198.18.0.150,198.18.0.1,600
server=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/full.log" 'event=started'
start_vm full
lab_wait_for "$LAB_TMP/full.serial.log" 'NBP filename is snponly.efi' 180
told full
told full | grep -q 'Station IP address is 198.18.0.100' || fail "no address from castline"
told full | grep -q 'Server IP address is 198.18.0.1' || fail "castline not the boot server"
kill "$vm" "$server"
wait "$vm" "$server" 2>/dev/null || true
pass "OVMF, full mode: 198.18.0.100 and snponly.efi from castline in one answer"

# (2) proxy beside dnsmasq
dhcp_attach "$srv" "${LAB_PREFIX}dns" d0
ip -n "${LAB_PREFIX}dns" addr add 198.18.0.2/24 dev d0
lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "${LAB_PREFIX}dns" dnsmasq --no-ping -d \
    -C /dev/null --port=0 --interface=d0 --bind-interfaces \
    --dhcp-range=198.18.0.160,198.18.0.170,1h --dhcp-leasefile="$LAB_TMP/dnsmasq.leases" \
    --pid-file="$LAB_TMP/dnsmasq.pid"
lab_wait_for "$LAB_TMP/dnsmasq.log" 'DHCP, IP range'
lab_spawn "$LAB_TMP/proxy.log" ip netns exec "$srv" "$CASTLINE_BIN/castline-dhcp-lab" \
    --data-dir "$LAB_TMP/state" --mode proxy --interface br0 --host "$mac"
lab_wait_for "$LAB_TMP/proxy.log" 'event=started'

start_vm proxy
lab_wait_for "$LAB_TMP/proxy.log" "event=dhcp_reply .*port=4011 .*mac=$mac" 180
pass "OVMF sent its boot server REQUEST to 4011 and castline answered"
lab_wait_for "$LAB_TMP/proxy.serial.log" 'NBP filename is snponly.efi' 60
told proxy
told proxy | grep -q 'Station IP address is 198.18.0.16[0-9]' || fail "no address from dnsmasq"
told proxy | grep -q 'Server IP address is 198.18.0.1$' ||
    fail "the firmware did not take castline as its boot server"
grep -q "port=67 type=DISCOVER mac=$mac .*file follows on 4011" "$LAB_TMP/proxy.log" ||
    fail "castline's first answer was not the bare UEFI offer"
kill "$vm"
pass "OVMF: address from dnsmasq, boot server 198.18.0.1 and snponly.efi from castline via 4011"
