# Real firmware: QEMU (TCG) with Debian's iPXE e1000 ROM PXE-boots from castline, (1) with
# castline as the only DHCP server (full mode) and (2) with dnsmasq handing out addresses and
# castline in proxy mode beside it. The ROM is already iPXE, so castline must answer its first
# DISCOVER with the per-host script URL; a plain HTTP server stands in for the boot-file service
# (built separately) and serves a script that prints a marker on the serial console.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing"
rom=/usr/lib/ipxe/qemu/efi-e1000.rom
[[ -f $rom ]] || fail "$rom missing (package ipxe-qemu)"

srv="${LAB_PREFIX}srv"
dhcp_lan "$srv"
ip -n "$srv" tuntap add tap0 mode tap
ip -n "$srv" link set tap0 master br0 up
mac=52:54:00:00:00:01
mkdir -p "$LAB_TMP/www/ipxe"
printf '#!ipxe\necho CASTLINE-MARKER ${net0/ip} from ${next-server}\nexit\n' \
    >"$LAB_TMP/www/ipxe/52-54-00-00-00-01.ipxe"
lab_spawn "$LAB_TMP/http.log" ip netns exec "$srv" python3 -m http.server 8080 \
    --bind 198.18.0.1 --directory "$LAB_TMP/www"

boot_vm() {  # boot_vm NAME: boots until the marker is on the serial console
    local serial="$LAB_TMP/$1.serial.log"
    lab_spawn "$LAB_TMP/$1.qemu.log" ip netns exec "$srv" qemu-system-x86_64 -accel tcg -m 256 \
        -nographic -serial "file:$serial" -monitor none -no-reboot \
        -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
        -device "e1000,netdev=n0,mac=$mac,romfile=$rom" -boot n
    local vm=$LAB_LAST_PID
    lab_wait_for "$serial" 'CASTLINE-MARKER' 90
    kill "$vm"
    wait "$vm" 2>/dev/null || true
    tr -d '\r' <"$serial" | grep -E 'net0: 198|Next server|Filename|CASTLINE-MARKER'
}

# (1) full mode alone
lab_spawn "$LAB_TMP/full.log" ip netns exec "$srv" "$CASTLINE_BIN/castline-dhcp-lab" \
    --data-dir "$LAB_TMP/state-full" --mode full --interface br0 --host "$mac" \
    --pool br0,198.18.0.100,198.18.0.150,198.18.0.1,600
server=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/full.log" 'event=started'
boot_vm full
grep -q 'CASTLINE-MARKER 198.18.0.100 from 198.18.0.1' "$LAB_TMP/full.serial.log" ||
    fail "iPXE did not run the script with castline's address"
grep -q "note=\"ack 198.18.0.100 (selecting)\"" "$LAB_TMP/full.log" || fail "no ACK logged"
pass "full mode: iPXE got 198.18.0.100 and fetched its script from castline's answer"
kill "$server"
wait "$server" 2>/dev/null || true

# (2) proxy beside dnsmasq
dhcp_attach "$srv" "${LAB_PREFIX}dns" d0
ip -n "${LAB_PREFIX}dns" addr add 198.18.0.2/24 dev d0
lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "${LAB_PREFIX}dns" dnsmasq --no-ping -d \
    -C /dev/null --port=0 --interface=d0 --bind-interfaces \
    --dhcp-range=198.18.0.160,198.18.0.170,1h --dhcp-leasefile="$LAB_TMP/dnsmasq.leases" \
    --pid-file="$LAB_TMP/dnsmasq.pid"
lab_wait_for "$LAB_TMP/dnsmasq.log" 'DHCP, IP range'
lab_spawn "$LAB_TMP/proxy.log" ip netns exec "$srv" "$CASTLINE_BIN/castline-dhcp-lab" \
    --data-dir "$LAB_TMP/state-proxy" --mode proxy --interface br0 --host "$mac"
lab_wait_for "$LAB_TMP/proxy.log" 'event=started'
boot_vm proxy
# The script ran with dnsmasq's address (its own siaddr stays in next-server; the proxy's
# siaddr served the file name, which only castline gave).
grep -q 'CASTLINE-MARKER 198.18.0.16[0-9] ' "$LAB_TMP/proxy.serial.log" ||
    fail "iPXE did not combine dnsmasq's address with castline's boot answer"
grep -q 'event=dhcp_reply .*type=DISCOVER mac=52:54:00:00:00:01' "$LAB_TMP/proxy.log" ||
    fail "castline did not answer the ROM's DISCOVER"
pass "proxy mode: address from dnsmasq, script URL from castline"
