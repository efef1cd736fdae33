# Helpers for the DHCP lab tests (sourced after lib.sh, not a test itself).
# dhcp_lan SERVER_NS: a namespace holding bridge br0 (198.18.0.1/24), the "switch" of the LAN.
dhcp_lan() {
    local ns=$1
    lab_netns "$ns"
    ip -n "$ns" link add br0 type bridge
    ip -n "$ns" addr add 198.18.0.1/24 dev br0
    ip -n "$ns" link set br0 up
}
# dhcp_attach SERVER_NS CLIENT_NS IFNAME [MAC]: a new namespace wired to br0 through a veth pair.
dhcp_attach() {
    local sns=$1 cns=$2 ifname=$3 mac=${4:-}
    lab_netns "$cns"
    local peer="p${ifname}${LAB_PREFIX: -5}"
    ip link add "$peer" type veth peer name "$ifname"
    ip link set "$peer" netns "$sns"
    ip link set "$ifname" netns "$cns"
    [[ -n $mac ]] && ip -n "$cns" link set "$ifname" address "$mac"
    ip -n "$sns" link set "$peer" master br0 up
    ip -n "$cns" link set "$ifname" up
}
# udhcpc/dhclient hooks (HOOK.sh logs to HOOK.events; dhclient clears the environment) that
# record events and configure the address (nothing else: these namespaces share /etc with the
# machine, so resolv.conf must stay untouched).
dhcp_write_hooks() {
    cat >"$LAB_TMP/udhcpc.sh" <<'HOOK'
#!/bin/sh
echo "$1 ${ip:-} $(date +%s)" >>"${0%.sh}.events"
case "$1" in
  bound|renew) ip addr replace "$ip/$mask" dev "$interface" ;;
  deconfig) ip addr flush dev "$interface" ;;
esac
HOOK
    cat >"$LAB_TMP/dhclient.sh" <<'HOOK'
#!/bin/sh
echo "$reason ${new_ip_address:-} $(date +%s)" >>"${0%.sh}.events"
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/24" dev "$interface" ;;
  EXPIRE|FAIL|RELEASE|STOP) ip addr flush dev "$interface" ;;
esac
HOOK
    cp "$LAB_TMP/udhcpc.sh" "$LAB_TMP/reserved.sh"
    chmod +x "$LAB_TMP/udhcpc.sh" "$LAB_TMP/dhclient.sh" "$LAB_TMP/reserved.sh"
}
# castlined_start NS LOG CONFIG: runs castlined in NS on a site config whose boot root is ./boot
# (made here) and waits until it serves (DHCP sockets are bound before it logs event=started);
# sets castlined_pid.
castlined_start() {
    local ns=$1 log=$2 config=$3
    mkdir -p "$(dirname "$config")/boot"
    lab_spawn "$log" ip netns exec "$ns" "$CASTLINE_BIN/castlined" --config "$config"
    castlined_pid=$LAB_LAST_PID
    lab_wait_for "$log" 'event=(started|fatal)|not starting' 20
    grep -q 'event=started' "$log" || fail "castlined did not start: $(tail -n 5 "$log")"
}
# castlined_stop: SIGTERM, and a bounded wait for castlined to save its state and exit cleanly
# (a sanitizer report at exit makes the status non-zero).
castlined_stop() {
    local status=0
    kill -TERM "$castlined_pid"
    lab_wait_exit "$castlined_pid" 10
    wait "$castlined_pid" || status=$?
    ((status == 0)) || fail "castlined exited with status $status"
}
# dnsmasq_site_server SERVER_NS DNS_NS FIRST LAST: dnsmasq as the site's DHCP server on
# 198.18.0.2, handing out FIRST..LAST and no boot options.
dnsmasq_site_server() {
    local sns=$1 dns=$2 first=$3 last=$4
    dhcp_attach "$sns" "$dns" d0
    ip -n "$dns" addr add 198.18.0.2/24 dev d0
    lab_spawn "$LAB_TMP/dnsmasq.log" ip netns exec "$dns" dnsmasq --no-ping -d -C /dev/null \
        --port=0 --interface=d0 --bind-interfaces --dhcp-range="$first,$last,1h" \
        --dhcp-leasefile="$LAB_TMP/dnsmasq.leases" --pid-file="$LAB_TMP/dnsmasq.pid" --log-dhcp
    lab_wait_for "$LAB_TMP/dnsmasq.log" 'DHCP, IP range'
}
