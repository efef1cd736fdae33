# Real UEFI firmware: QEMU (TCG) with OVMF and a virtio NIC without option ROM (romfile=), so
# EDK2's own PXE stack boots, with dnsmasq handing out addresses and castline in proxy mode.
# castline's bare OFFER on 67 must send the firmware to 4011, whose ACK names snponly.efi; the
# firmware then asks TFTP for it (the TFTP service is built separately; here nobody answers),
# and the serial console shows which server and file it was told.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"
ovmf=/usr/share/ovmf/OVMF.fd
[[ -f $ovmf ]] || fail "$ovmf missing (package ovmf)"

srv="${LAB_PREFIX}srv"
dhcp_lan "$srv"
ip -n "$srv" tuntap add tap0 mode tap
ip -n "$srv" link set tap0 master br0 up
dhcp_attach "$srv" "${LAB_PREFIX}dns" d0
ip -n "${LAB_PREFIX}dns" addr add 198.18.0.2/24 dev d0
lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "${LAB_PREFIX}dns" dnsmasq --no-ping -d \
    -C /dev/null --port=0 --interface=d0 --bind-interfaces \
    --dhcp-range=198.18.0.160,198.18.0.170,1h --dhcp-leasefile="$LAB_TMP/dnsmasq.leases" \
    --pid-file="$LAB_TMP/dnsmasq.pid"
lab_wait_for "$LAB_TMP/dnsmasq.log" 'DHCP, IP range'
mac=52:54:00:00:00:0e
lab_spawn "$LAB_TMP/proxy.log" ip netns exec "$srv" "$CASTLINE_BIN/castline-dhcp-lab" \
    --data-dir "$LAB_TMP/state" --mode proxy --interface br0 --host "$mac"
lab_wait_for "$LAB_TMP/proxy.log" 'event=started'

serial="$LAB_TMP/uefi.serial.log"
lab_spawn "$LAB_TMP/qemu.log" ip netns exec "$srv" qemu-system-x86_64 -accel tcg -m 512 \
    -bios "$ovmf" -nographic -serial "file:$serial" -monitor none -no-reboot \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
    -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1"
vm=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/proxy.log" "event=dhcp_reply .*port=4011 .*mac=$mac" 180
pass "OVMF sent its boot server REQUEST to 4011 and castline answered"
lab_wait_for "$serial" 'NBP filename is snponly.efi' 60
tr -d '\r' <"$serial" | grep -E 'Station IP|Server IP|NBP filename' || true
grep -q 'Server IP address is 198.18.0.1' <(tr -d '\r' <"$serial") ||
    fail "the firmware did not take castline as its boot server"
grep -q "port=67 type=DISCOVER mac=$mac .*file follows on 4011" "$LAB_TMP/proxy.log" ||
    fail "castline's first answer was not the bare UEFI offer"
kill "$vm"
pass "OVMF: address from dnsmasq, boot server 198.18.0.1 and snponly.efi from castline via 4011"
