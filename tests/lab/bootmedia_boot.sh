# Builds the imaging media and boots it in QEMU (TCG) on two NICs in a namespace: a virtio NIC
# with a link but no DHCP server, and an e1000 NIC with dnsmasq behind it. From the serial
# console it checks that the init loads the modules, tries DHCP on the silent NIC, gets a
# 198.18.0.x lease on the other, reads the server and token from the kernel command line, and
# on the imager's failure shows the error, reports it over HTTP and powers off by itself.
source "$(dirname "$0")/lib.sh"

for tool in qemu-system-x86_64 dnsmasq busybox timeout; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/packages.txt)"
done

# The kernel .deb is cached in the build folder so that runs after the first need no download.
cache=${CASTLINE_BOOTMEDIA_CACHE:-$CASTLINE_BIN/../cache}
media="$LAB_TMP/media"
"$CASTLINE_BIN/castline" bootmedia build --output "$media" --cache "$cache" >"$LAB_TMP/build.log" 2>&1 ||
    fail "castline bootmedia build failed: $(cat "$LAB_TMP/build.log")"
pass "media built: $(grep '^initramfs:' "$LAB_TMP/build.log")"

ns="${LAB_PREFIX}boot"
lab_netns "$ns"
ip -n "$ns" tuntap add dev tapsilent mode tap
ip -n "$ns" tuntap add dev taplan mode tap
ip -n "$ns" link set tapsilent up
ip -n "$ns" link set taplan up
ip -n "$ns" addr add 198.18.0.1/24 dev taplan

lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "$ns" dnsmasq --no-daemon --no-ping --log-dhcp \
    --conf-file=/dev/null --port=0 --interface=taplan --bind-interfaces --pid-file= \
    --dhcp-range=198.18.0.100,198.18.0.150,255.255.255.0,10m --dhcp-leasefile="$LAB_TMP/leases"

# A stand-in castlined API that answers 200 to anything and keeps each request, to check that
# the init reports its error. (The real API is the daemon's issue; here only the report matters.)
requests="$LAB_TMP/requests.txt"
: >"$requests"
cat >"$LAB_TMP/http_reply.sh" <<SCRIPT
#!/bin/sh
printf 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
timeout 5 cat >>"$requests"
echo "---" >>"$requests"
SCRIPT
chmod +x "$LAB_TMP/http_reply.sh"
lab_spawn "$LAB_TMP/http.log" ip netns exec "$ns" busybox nc -ll -p 80 -e "$LAB_TMP/http_reply.sh"

marker="boot$$"
serial="$LAB_TMP/serial.log"
lan_mac=52:54:00:18:00:02
lab_spawn "$LAB_TMP/qemu.log" ip netns exec "$ns" qemu-system-x86_64 -accel tcg -m 512 \
    -kernel "$media/vmlinuz" -initrd "$media/initramfs" \
    -append "console=ttyS0 castline.server=198.18.0.1 castline.token=test castline.on_error=poweroff castline.console_marker=$marker" \
    -nographic -serial "file:$serial" -monitor none -no-reboot \
    -netdev tap,id=silent,ifname=tapsilent,script=no,downscript=no \
    -device virtio-net-pci,netdev=silent,mac=52:54:00:18:00:01,romfile= \
    -netdev tap,id=lan,ifname=taplan,script=no,downscript=no \
    -device e1000,netdev=lan,mac=$lan_mac,romfile=
qemu=$LAB_LAST_PID
start=$SECONDS

# A second machine, booted at the same time, has no NIC at all and castline.on_error=wait: it
# must show the network error, not report it, and stay up without rebooting.
wait_serial="$LAB_TMP/serial-wait.log"
lab_spawn "$LAB_TMP/qemu-wait.log" qemu-system-x86_64 -accel tcg -m 512 \
    -kernel "$media/vmlinuz" -initrd "$media/initramfs" \
    -append "console=ttyS0 castline.server=198.18.0.1 castline.token=test castline.on_error=wait" \
    -nographic -serial "file:$wait_serial" -monitor none -no-reboot -nic none
qemu_wait=$LAB_LAST_PID

lab_wait_for "$serial" "castline: console marker $marker" 90
pass "init started and read the command line ($((SECONDS - start)) s)"

lab_wait_for "$serial" 'castline: modules loaded: ' 60
loaded=$(grep -oE 'modules loaded: [0-9]+ of [0-9]+' "$serial")
read -r _ _ n _ total <<<"$loaded"
((n == total && total >= 30)) || fail "not every module loaded: $loaded"
pass "$loaded"

lab_wait_for "$serial" 'castline: nic .* driver e1000 ' 10
silent_ifc=$(grep -oE 'castline: nic [a-z0-9]+ driver virtio_net' "$serial" | awk '{print $3}')
lan_ifc=$(grep -oE "castline: nic [a-z0-9]+ driver e1000 mac $lan_mac" "$serial" | awk '{print $3}')
[[ -n $silent_ifc && -n $lan_ifc ]] || fail "the virtio and e1000 NICs were not both found"
pass "NICs: $silent_ifc (virtio_net, no DHCP server), $lan_ifc (e1000)"

lab_wait_for "$serial" "castline: network up on $lan_ifc 198\.18\.0\.[0-9]+" 60
grep -q "castline: no DHCP answer on $silent_ifc" "$serial" ||
    fail "the init did not try (and give up on) the NIC without a DHCP server first"
leased_ip=$(grep -oE "network up on $lan_ifc 198\.18\.0\.[0-9]+" "$serial" | awk '{print $5}')
grep -qE "DHCPACK\(taplan\) $leased_ip $lan_mac" "$LAB_TMP/dnsmasq.log" ||
    fail "dnsmasq did not hand out $leased_ip to $lan_mac"
pass "lease $leased_ip on $lan_ifc after no answer on $silent_ifc ($((SECONDS - start)) s)"

lab_wait_for "$serial" 'castline: server 198\.18\.0\.1 token test' 10
pass "server and token read from the kernel command line"

lab_wait_for "$serial" 'castline: powering off' 60
grep -qE 'castline: error: castline-imager' "$serial" || fail "no imager error on the console"
pass "error shown: $(grep -oE 'castline: error: .*' "$serial" | head -1)"

lab_wait_exit "$qemu" 30
grep -q 'reboot: Power down' "$serial" || fail "the kernel did not power down"
grep -qE 'Kernel panic|reboot: Restarting' "$serial" && fail "the machine panicked or rebooted"
pass "QEMU powered off by itself after $((SECONDS - start)) s"

grep -q 'POST /api/v1/jobs/test/result' "$requests" || fail "no error report reached the server"
grep -q '"status":"failed","stage":"job","error":"castline-imager' "$requests" ||
    fail "the report does not say failed, in the job stage, with the error"
grep -q 'castline: error reported to 198.18.0.1' "$serial" || fail "the init did not see its report go through"
pass "the error was reported to the server"

lab_wait_for "$wait_serial" 'castline: waiting \(castline.on_error=wait\)' 60
grep -q 'castline: error: no DHCP answer on any network interface' "$wait_serial" ||
    fail "the machine without a NIC did not show the network error"
grep -q 'castline: could not report\|error reported' "$wait_serial" &&
    fail "the machine without a network tried to report"
sleep 3
kill -0 "$qemu_wait" 2>/dev/null || fail "the machine with on_error=wait did not stay up"
grep -qE 'Kernel panic|reboot:' "$wait_serial" && fail "the waiting machine panicked, rebooted or powered off"
kill "$qemu_wait"
wait "$qemu_wait" 2>/dev/null || true
pass "without a network: error shown, no report, waited without rebooting"
