# Builds the imaging media and boots it in QEMU (TCG) on two NICs in a namespace: a virtio NIC
# with a link but no DHCP server, and an e1000 NIC with dnsmasq behind it. From the serial
# console it checks that the init loads the modules, tries DHCP on the silent NIC, gets a
# 198.18.0.x lease on the other, reads the server and token from the kernel command line, and
# on the imager's failure (no disk) shows the error, the failure reaches castlined, and the
# machine powers off by itself.
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
    --dhcp-range=198.18.0.100,198.18.0.150,255.255.255.0,10m --dhcp-leasefile="$LAB_TMP/leases" \
    --dhcp-host=52:54:00:18:00:02,198.18.0.120

# castlined (DHCP off: dnsmasq is the site's DHCP server here) knows the e1000 machine and
# gives it a unicast job; the machine has no disk, so the imager fails to find one and reports
# that to castlined, and init shows the error and powers off.
lan_mac=52:54:00:18:00:02
mkdir -p "$LAB_TMP/images" "$LAB_TMP/boot"
truncate -s 8M "$LAB_TMP/source.img"
mkfs.ext4 -q -F "$LAB_TMP/source.img"
"$CASTLINE_BIN/castline-imager" capture --source "$LAB_TMP/source.img" --output "$LAB_TMP/images/base.cimg" \
    --progress none >/dev/null
cat >"$LAB_TMP/site.yaml" <<YAML
version: 1
server: {interfaces: [taplan], data_dir: ./state, api_port: 18081}
boot: {root: ./boot, tftp_port: 0, http_port: 18080}
dhcp: {mode: off}
hosts:
  # The address dnsmasq reserves for it: the only one its job token works from (DHCP is off).
  - {mac: "$lan_mac", name: vm01, group: single, address: 198.18.0.120}
groups:
  single: {action: image, image: base, on_error: poweroff}
images:
  base: {path: ./images/base.cimg}
YAML
lab_spawn "$LAB_TMP/castlined.log" ip netns exec "$ns" "$CASTLINE_BIN/castlined" --config "$LAB_TMP/site.yaml"
lab_wait_for "$LAB_TMP/castlined.log" 'event=started' 20
server=198.18.0.1:18080
# The operator's reimage gives the token; the job binds to the machine's address on its fetch.
token=$(ip netns exec "$ns" curl -sf -X POST "http://127.0.0.1:18081/api/v1/hosts/vm01/reimage" |
    grep -oE '"token": ?"[0-9a-f]*"' | grep -oE '[0-9a-f]{32}') || fail "no job from castlined"
[[ -n $token ]] || fail "no job token from the reimage"

marker="boot$$"
serial="$LAB_TMP/serial.log"
lab_spawn "$LAB_TMP/qemu.log" ip netns exec "$ns" qemu-system-x86_64 -accel tcg -m 512 \
    -kernel "$media/vmlinuz" -initrd "$media/initramfs" \
    -append "console=ttyS0 castline.server=$server castline.token=$token castline.on_error=poweroff castline.console_marker=$marker" \
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

lab_wait_for "$serial" "castline: server $server token $token" 10
pass "server and token read from the kernel command line"

lab_wait_for "$serial" 'castline: powering off' 60
grep -qE 'castline: error: castline-imager' "$serial" || fail "no imager error on the console"
pass "error shown: $(grep -oE 'castline: error: .*' "$serial" | head -1)"

lab_wait_exit "$qemu" 30
grep -q 'reboot: Power down' "$serial" || fail "the kernel did not power down"
grep -qE 'Kernel panic|reboot: Restarting' "$serial" && fail "the machine panicked or rebooted"
pass "QEMU powered off by itself after $((SECONDS - start)) s"

jobs=$(ip netns exec "$ns" curl -sf "http://127.0.0.1:18081/api/v1/jobs?host=vm01")
grep -qE '"state": ?"failed"' <<<"$jobs" || fail "castlined does not have the job failed: $jobs"
grep -qE '"stage": ?"find-disk"' <<<"$jobs" || fail "the failure does not name the find-disk stage: $jobs"
grep -qE '"error": ?"no disk fits' <<<"$jobs" || fail "the failure does not say no disk fits: $jobs"
grep -qE 'event=job_state host=vm01 .*state=failed stage=find-disk' "$LAB_TMP/castlined.log" ||
    fail "castlined did not log the failure"
grep -q "castline: error already reported to $server by the imager" "$serial" ||
    fail "the init did not see that the imager had reported: $(grep 'castline: ' "$serial" | tail -3)"
pass "the imager reported the failure to castlined (stage find-disk); init saw the report kept"

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
