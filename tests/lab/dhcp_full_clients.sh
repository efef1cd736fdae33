# Full mode with real clients and castlined: busybox udhcpc and ISC dhclient get a lease, renew
# it, and keep renewing it across a restart of castlined (leases come back from the data dir); a
# host with a reservation in `hosts` gets its reserved address. Namespaces on 198.18.0.0/24.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"

srv="${LAB_PREFIX}srv"
dhcp_lan "$srv"
dhcp_attach "$srv" "${LAB_PREFIX}c1" c1
dhcp_attach "$srv" "${LAB_PREFIX}c2" c2
dhcp_attach "$srv" "${LAB_PREFIX}c3" c3 02:00:00:00:00:33
dhcp_write_hooks

# 8 s leases (a config warning, meant for tests like this one): dhclient renews (unicast to the
# server) every 4 s; busybox udhcpc waits longer.
config="$LAB_TMP/site.yaml"
cat >"$config" <<'YAML'
version: 1
server: {interfaces: [br0], data_dir: ./state, log_level: debug, api_port: 0}
boot: {root: ./boot}
dhcp:
  mode: full
  pools:
    - {interface: br0, range: [198.18.0.100, 198.18.0.150], router: 198.18.0.1, lease_time: 8s}
hosts:
  - {mac: "02:00:00:00:00:33", name: reserved, address: 198.18.0.33}
YAML
state="$LAB_TMP/state"
castlined_start "$srv" "$LAB_TMP/castlined1.log" "$config"

lab_spawn "$LAB_TMP/udhcpc.log" ip netns exec "${LAB_PREFIX}c1" \
    busybox udhcpc -f -i c1 -s "$LAB_TMP/udhcpc.sh" -t 5 -T 1 -A 1
# dhclient in the foreground with its own lease file and hook.
lab_spawn "$LAB_TMP/dhclient.log" ip netns exec "${LAB_PREFIX}c2" dhclient -4 -d -v -sf "$LAB_TMP/dhclient.sh" -lf "$LAB_TMP/dhclient.leases" \
    -pf "$LAB_TMP/dhclient.pid" c2

lab_wait_for "$LAB_TMP/udhcpc.events" '^bound 198\.18\.0\.1[0-4][0-9] ' 15
u_ip=$(awk '$1=="bound"{print $2; exit}' "$LAB_TMP/udhcpc.events")
pass "udhcpc bound $u_ip"
lab_wait_for "$LAB_TMP/dhclient.events" '^BOUND 198\.18\.0\.1[0-4][0-9] ' 20
d_ip=$(awk '$1=="BOUND"{print $2; exit}' "$LAB_TMP/dhclient.events")
pass "dhclient bound $d_ip"
[[ $u_ip != "$d_ip" ]] || fail "both clients got $u_ip"
ip netns exec "${LAB_PREFIX}c1" ip -4 addr show dev c1 | grep -q "$u_ip" || fail "address not on c1"

lab_wait_for "$LAB_TMP/udhcpc.events" "^renew $u_ip " 25
pass "udhcpc renewed $u_ip"
lab_wait_for "$LAB_TMP/dhclient.events" "^RENEW $d_ip " 10
pass "dhclient renewed $d_ip"
grep -q "note=\"ack $u_ip (renewing)\"" "$LAB_TMP/castlined1.log" || fail "castlined did not log the renewal of $u_ip"
grep -c "L1 $u_ip " "$state/dhcp-leases" >/dev/null || fail "lease of $u_ip not in the lease file"

# Restart castlined; the clients' next renewals must be acknowledged from the reloaded leases.
castlined_stop
u_renews=$(grep -c "^renew $u_ip " "$LAB_TMP/udhcpc.events")
d_renews=$(grep -c "^RENEW $d_ip " "$LAB_TMP/dhclient.events")
castlined_start "$srv" "$LAB_TMP/castlined2.log" "$config"
grep -q 'event=dhcp_leases_loaded .*leases=2' "$LAB_TMP/castlined2.log" || fail "leases not reloaded"
deadline=$((SECONDS + 25))
until (( $(grep -c "^renew $u_ip " "$LAB_TMP/udhcpc.events") > u_renews &&
         $(grep -c "^RENEW $d_ip " "$LAB_TMP/dhclient.events") > d_renews )); do
    ((SECONDS < deadline)) || fail "no renewal acknowledged after the restart"
    sleep 0.2
done
grep -q "note=\"ack $u_ip (renewing)\"" "$LAB_TMP/castlined2.log" || fail "restarted castlined did not ack $u_ip"
grep -q "note=\"ack $d_ip (renewing)\"" "$LAB_TMP/castlined2.log" || fail "restarted castlined did not ack $d_ip"
! grep -qi 'nak' "$LAB_TMP/castlined2.log" || fail "restarted castlined sent a NAK"
! grep -q '^deconfig' <(tail -n +2 "$LAB_TMP/udhcpc.events") || fail "udhcpc lost its address"
pass "both clients kept their addresses across a castlined restart"

# Reservation: MAC 02:00:00:00:00:33 gets 198.18.0.33 (outside the dynamic range).
timeout 15 ip netns exec "${LAB_PREFIX}c3" \
    busybox udhcpc -f -q -i c3 -s "$LAB_TMP/reserved.sh" -t 5 -T 1 -n >"$LAB_TMP/reserved.log" 2>&1 \
    || fail "udhcpc on c3 got no lease"
grep -q '^bound 198.18.0.33 ' "$LAB_TMP/reserved.events" || fail "reservation not honoured: $(cat "$LAB_TMP/reserved.events")"
pass "reservation gave 198.18.0.33"
