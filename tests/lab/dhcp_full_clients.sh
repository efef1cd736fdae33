# Full mode with real clients: busybox udhcpc and ISC dhclient get a lease, renew it, and keep
# renewing it across a restart of the server (leases come back from the data dir); a host with a
# reservation gets its reserved address. All inside namespaces on 198.18.0.0/24.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"

srv="${LAB_PREFIX}srv"
dhcp_lan "$srv"
dhcp_attach "$srv" "${LAB_PREFIX}c1" c1
dhcp_attach "$srv" "${LAB_PREFIX}c2" c2
dhcp_attach "$srv" "${LAB_PREFIX}c3" c3 02:00:00:00:00:33
dhcp_write_hooks

state="$LAB_TMP/state"
server_args=(--data-dir "$state" --mode full --interface br0 --log-level debug
             --pool br0,198.18.0.100,198.18.0.150,198.18.0.1,8
             --host 02:00:00:00:00:33,198.18.0.33)
start_server() {
    lab_spawn "$LAB_TMP/server$1.log" ip netns exec "$srv" "$CASTLINE_BIN/castline-dhcp-lab" "${server_args[@]}"
    server_pid=$LAB_LAST_PID
    lab_wait_for "$LAB_TMP/server$1.log" 'event=started'
}
start_server 1

# 8 s leases: dhclient renews (unicast to the server) every 4 s; busybox udhcpc waits longer.
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
grep -q "note=\"ack $u_ip (renewing)\"" "$LAB_TMP/server1.log" || fail "server did not log the renewal of $u_ip"
grep -c "L1 $u_ip " "$state/dhcp-leases" >/dev/null || fail "lease of $u_ip not in the lease file"

# Restart the server; the clients' next renewals must be acknowledged from the reloaded leases.
kill -TERM "$server_pid"
lab_wait_exit "$server_pid" 5
u_renews=$(grep -c "^renew $u_ip " "$LAB_TMP/udhcpc.events")
d_renews=$(grep -c "^RENEW $d_ip " "$LAB_TMP/dhclient.events")
start_server 2
grep -q 'event=dhcp_leases_loaded .*leases=2' "$LAB_TMP/server2.log" || fail "leases not reloaded"
deadline=$((SECONDS + 25))
until (( $(grep -c "^renew $u_ip " "$LAB_TMP/udhcpc.events") > u_renews &&
         $(grep -c "^RENEW $d_ip " "$LAB_TMP/dhclient.events") > d_renews )); do
    ((SECONDS < deadline)) || fail "no renewal acknowledged after the restart"
    sleep 0.2
done
grep -q "note=\"ack $u_ip (renewing)\"" "$LAB_TMP/server2.log" || fail "restarted server did not ack $u_ip"
grep -q "note=\"ack $d_ip (renewing)\"" "$LAB_TMP/server2.log" || fail "restarted server did not ack $d_ip"
! grep -qi 'nak' "$LAB_TMP/server2.log" || fail "restarted server sent a NAK"
! grep -q '^deconfig' <(tail -n +2 "$LAB_TMP/udhcpc.events") || fail "udhcpc lost its address"
pass "both clients kept their addresses across a server restart"

# Reservation: MAC 02:00:00:00:00:33 gets 198.18.0.33 (outside the dynamic range).
timeout 15 ip netns exec "${LAB_PREFIX}c3" \
    busybox udhcpc -f -q -i c3 -s "$LAB_TMP/reserved.sh" -t 5 -T 1 -n >"$LAB_TMP/reserved.log" 2>&1 \
    || fail "udhcpc on c3 got no lease"
grep -q '^bound 198.18.0.33 ' "$LAB_TMP/reserved.events" || fail "reservation not honoured: $(cat "$LAB_TMP/reserved.events")"
pass "reservation gave 198.18.0.33"
