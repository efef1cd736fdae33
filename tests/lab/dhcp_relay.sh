# Relay agents: a request with giaddr (sent from the relay's address to port 67, as a relay
# does) is answered by unicast to giaddr:67 with option 82 echoed unchanged as the last option;
# in full mode giaddr selects the pool of the relay's subnet. Namespaces on 198.18.0.0/15.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"
probe="$CASTLINE_SOURCE_DIR/tests/dhcp/dhcp_probe.py"

srv="${LAB_PREFIX}srv" rly="${LAB_PREFIX}rly"
dhcp_lan "$srv"
dhcp_attach "$srv" "$rly" c0
ip -n "$rly" addr add 198.18.0.2/24 dev c0
ip -n "$rly" addr add 198.19.5.1/24 dev c0  # the relay's leg on the remote subnet
ip -n "$srv" route add 198.19.5.0/24 via 198.18.0.2
json() { python3 -c "import json,sys; r=json.loads(sys.stdin.readline()); print($1)"; }
relay82=0103657468020200aa  # circuit id "eth", remote id 00aa

# site_config MODE: castlined on br0; the second pool serves the relay's subnet (its own mask).
site_config() {
    cat >"$LAB_TMP/$1.yaml" <<YAML
version: 1
server: {interfaces: [br0], data_dir: ./state-$1, log_level: debug, api_port: 0}
boot: {root: ./boot, unknown_hosts: local}
dhcp:
  mode: $1
  pools:
    - {interface: br0, range: [198.18.0.100, 198.18.0.150], router: 198.18.0.1, lease_time: 10m}
    - {interface: br0, range: [198.19.5.10, 198.19.5.20], subnet_mask: 255.255.255.0,
       router: 198.19.5.1, lease_time: 10m}
YAML
    echo "$LAB_TMP/$1.yaml"
}

# full mode: the remote subnet's pool
castlined_start "$srv" "$LAB_TMP/full.log" "$(site_config full)"
ip netns exec "$rly" python3 "$probe" relay --plain --giaddr 198.19.5.1 --server 198.18.0.1 \
    --relay-info "$relay82" --interface c0 --wait 2 >"$LAB_TMP/full.json" || fail "no reply to the relay"
reply=$(head -1 "$LAB_TMP/full.json")
[[ $(json 'r["from"], r["type"], r["yiaddr"], r["giaddr"], r["options"]["3"], r["options"]["82"], r["option_order"][-1]' <<<"$reply") == \
   "198.18.0.1:67 2 198.19.5.10 198.19.5.1 c6130501 $relay82 82" ]] || fail "full-mode relayed offer: $reply"
pass "full mode: relayed DISCOVER got 198.19.5.10 from the relay's pool, to giaddr:67, 82 echoed last"
castlined_stop

# proxy mode: a relayed PXE DISCOVER (the pools are unused, a config warning)
castlined_start "$srv" "$LAB_TMP/proxy.log" "$(site_config proxy)"
ip netns exec "$rly" python3 "$probe" relay --arch 0 --giaddr 198.19.5.1 --server 198.18.0.1 \
    --relay-info "$relay82" --interface c0 --wait 2 >"$LAB_TMP/proxy.json" || fail "no proxy reply to the relay"
reply=$(head -1 "$LAB_TMP/proxy.json")
[[ $(json 'r["from"], r["yiaddr"], r["siaddr"], r["file"], r["options"]["82"], r["option_order"][-1]' <<<"$reply") == \
   "198.18.0.1:67 0.0.0.0 198.18.0.1 undionly.kpxe $relay82 82" ]] || fail "proxy relayed offer: $reply"
pass "proxy mode: relayed PXE DISCOVER answered to giaddr:67 with 82 echoed last"
