# Passive discovery (dhcp.passive_discovery): dnsmasq, the site's DHCP server, gives a PXE client
# its address; castlined in proxy mode with boot.unknown_hosts: ignore never answers that client,
# but captures the exchange with libpcap on br0 and records the client in pxe-clients.tsv with
# the address dnsmasq acknowledged and dnsmasq's server id. A first run without the key is the
# control: castlined's own socket on 67 sees the client's broadcasts, but never the ACK (sent to
# port 68), so the address stays unknown; only the capture can learn it. A plain (non-PXE)
# client seen by the capture is not recorded. The client is busybox udhcpc with a PXE vendor
# class, 93 and 97, asking for broadcast replies as PXE ROMs and iPXE do (a unicast ACK to
# another MAC would not reach br0 without promiscuous mode). Namespaces on 198.18.0.0/24.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"

srv="${LAB_PREFIX}srv" dns="${LAB_PREFIX}dns" cli="${LAB_PREFIX}cli"
mac=52:54:00:00:00:5a plain_mac=52:54:00:00:00:5b
dhcp_lan "$srv"
dnsmasq_site_server "$srv" "$dns" 198.18.0.100 198.18.0.150
dhcp_attach "$srv" "$cli" c0 "$mac"
dhcp_write_hooks

site() {
    cat >"$LAB_TMP/site.yaml" <<YAML
version: 1
server: {interfaces: [br0], data_dir: ./state, log_level: debug, api_port: 0}
boot: {root: ./boot, unknown_hosts: ignore}
dhcp: {mode: proxy, passive_discovery: $1}
YAML
}
# pxe_client [VENDOR]: one bounded DORA with udhcpc (5 DISCOVERs 1 s apart at most), as a
# UEFI x64 PXE client (60, 93 = 7, 97) unless VENDOR is given.
pxe_client() {
    local vendor=${1:-PXEClient:Arch:00007:UNDI:003016} extra=()
    [[ -n ${1:-} ]] || extra=(-x 0x5d:0007 -x 0x61:00a0a1a2a3a4a5a6a7a8a9aaabacadaeaf)
    ip -n "$cli" addr flush dev c0
    rm -f "$LAB_TMP/udhcpc.events"
    timeout 30 ip netns exec "$cli" busybox udhcpc -f -q -n -B -i c0 -s "$LAB_TMP/udhcpc.sh" \
        -t 5 -T 1 -V "$vendor" "${extra[@]}" >>"$LAB_TMP/udhcpc.log" 2>&1 ||
        fail "udhcpc got no lease from dnsmasq"
    awk '$1=="bound"{print $2; exit}' "$LAB_TMP/udhcpc.events"
}
row() { grep "^$1"$'\t' "$LAB_TMP/state/pxe-clients.tsv" || true; }

# Control: no capture; the client is recorded from castlined's socket, without an address.
site false
castlined_start "$srv" "$LAB_TMP/castline-control.log" "$LAB_TMP/site.yaml"
ip=$(pxe_client)
[[ $ip == 198.18.0.1[0-4][0-9] || $ip == 198.18.0.150 ]] || fail "dnsmasq lease: '$ip'"
castlined_stop
grep -q "event=dhcp_no_reply .*mac=$mac" "$LAB_TMP/castline-control.log" ||
    fail "castlined did not see the client's DISCOVER on its socket"
grep -q 'event=dhcp_reply ' "$LAB_TMP/castline-control.log" && fail "castlined answered the client"
grep -q 'event=dhcp_capturing' "$LAB_TMP/castline-control.log" && fail "captured without the key"
[[ $(row "$mac" | cut -f8,9) == $'-\t-' ]] || fail "control run recorded an address: $(row "$mac")"
pass "without passive_discovery: client recorded from the socket, address unknown"

# Passive discovery on: the same client's next DORA teaches castlined dnsmasq's address.
site true
castlined_start "$srv" "$LAB_TMP/castline.log" "$LAB_TMP/site.yaml"
grep -q 'event=dhcp_capturing interface=br0' "$LAB_TMP/castline.log" || fail "no capture on br0"
ip=$(pxe_client)
lab_wait_for "$LAB_TMP/castline.log" "event=pxe_client_address mac=$mac" 10
grep -q "event=pxe_client_address mac=$mac address=$ip server=198.18.0.2 interface=br0" \
    "$LAB_TMP/castline.log" || fail "castlined logged another address: $(grep pxe_client_address "$LAB_TMP/castline.log")"
grep -q 'event=dhcp_reply ' "$LAB_TMP/castline.log" && fail "castlined answered the client"
# A plain client through the capture: dnsmasq answers it, the inventory stays of PXE clients.
ip -n "$cli" link set c0 down
ip -n "$cli" link set c0 address "$plain_mac"
ip -n "$cli" link set c0 up
pxe_client "udhcp 1.35.0" >/dev/null
lab_wait_for "$LAB_TMP/castline.log" "event=dhcp_capture_ignored .*reason=\"not a PXE" 10
castlined_stop

line=$(row "$mac")
IFS=$'\t' read -r r_mac r_arch r_vendor r_uuid r_iface r_first r_last r_address r_server <<<"$line"
[[ "$r_mac $r_arch $r_vendor $r_uuid $r_iface" == \
   "$mac 7 PXEClient:Arch:00007:UNDI:003016 a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf br0" ]] ||
    fail "recorded client facts: $line"
[[ $r_address == "$ip" && $r_server == 198.18.0.2 ]] || fail "recorded address/server: $line"
((r_first > 0 && r_first <= r_last)) || fail "first/last seen: $line"
[[ -z $(row "$plain_mac") ]] || fail "a non-PXE client was recorded: $(row "$plain_mac")"
grep -q "DHCPACK(d0) $ip $mac" "$LAB_TMP/dnsmasq.log" || fail "dnsmasq did not ACK $ip to $mac"
pass "passive discovery: $mac recorded with dnsmasq's $ip and server 198.18.0.2, plain client left out"
