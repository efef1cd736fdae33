# Shared set-up for the multicast lab tests; source after lib.sh.
# Topology: a "switch" namespace with a bridge (multicast snooping off, so the group floods),
# the sender in its own namespace, one namespace per receiver, veth pairs to the bridge.
# Addresses from 198.18.0.0/24: sender .1, receiver i .(10+i). The group route lives on eth0.

MC_SW="${LAB_PREFIX}sw"
MC_SENDER="${LAB_PREFIX}snd"
MC_SENDER_IP=198.18.0.1
MC_PASSWORD_FILE="$LAB_TMP/password"
echo "s3cret pass" >"$MC_PASSWORD_FILE"

mc_attach() {  # mc_attach NS PORTNAME ADDRESS
    local ns=$1 port=$2 address=$3
    ip -n "$MC_SW" link add "$port" type veth peer name eth0 netns "$ns"
    ip -n "$MC_SW" link set "$port" master br0 up
    ip -n "$ns" addr add "$address/24" brd + dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add 224.0.0.0/4 dev eth0
}

# mc_topology N: the switch, the sender and receivers 1..N (namespaces ${LAB_PREFIX}r1..).
mc_topology() {
    local count=$1 i
    lab_netns "$MC_SW"
    ip -n "$MC_SW" link add br0 type bridge mcast_snooping 0
    ip -n "$MC_SW" link set br0 up
    lab_netns "$MC_SENDER"
    mc_attach "$MC_SENDER" psnd "$MC_SENDER_IP"
    for ((i = 1; i <= count; i++)); do mc_add_receiver_ns "$i"; done
}

mc_add_receiver_ns() {  # mc_add_receiver_ns I
    lab_netns "${LAB_PREFIX}r$1"
    mc_attach "${LAB_PREFIX}r$1" "pr$1" "198.18.0.$((10 + $1))"
}

mc_receiver_ns() { echo "${LAB_PREFIX}r$1"; }

# mc_loss NS PERMILLE: drop that share of UDP input in the namespace (no netem on this kernel).
mc_loss() {
    ip netns exec "$1" nft add table inet t
    ip netns exec "$1" nft add chain inet t c '{ type filter hook input priority 0; }'
    ip netns exec "$1" nft add rule inet t c meta l4proto udp numgen random mod 1000 "<" "$2" drop
}

# mc_output_loss NS PERMILLE: drop UDP output of the namespace (loss every receiver shares).
mc_output_loss() {
    ip netns exec "$1" nft add table inet o
    ip netns exec "$1" nft add chain inet o c '{ type filter hook output priority 0; }'
    ip netns exec "$1" nft add rule inet o c meta l4proto udp numgen random mod 1000 "<" "$2" drop
}

# mc_image PATH MIB: a file of random bytes.
mc_image() { head -c "$(($2 << 20))" /dev/urandom >"$1"; }

# mc_send LOG ARGS...: starts the one-shot sender in the sender namespace (always with a hard
# give-up time so no sending loop outlives the test).
mc_send() {
    local log=$1; shift
    lab_spawn "$log" ip netns exec "$MC_SENDER" "$CASTLINE_BIN/castline" multicast send --interface eth0 \
        --pbkdf2-iterations 20000 "$@"
    MC_SENDER_PID=$LAB_LAST_PID
}

# mc_receive I LOG TARGET ARGS...: starts receiver I (`castline-imager receive`; its progress
# lines go to LOG with everything else).
mc_receive() {
    local i=$1 log=$2 target=$3; shift 3
    lab_spawn "$log" ip netns exec "$(mc_receiver_ns "$i")" "$CASTLINE_BIN/castline-imager" receive \
        --target "$target" --interface eth0 --name "r$i" --timeout 90 "$@"
}

# mc_says LOG PATTERN: the receiver's error line (stderr: "castline-imager: ...") matches PATTERN.
mc_says() {
    grep -qE "^castline-imager: .*$2" "$1"
}

# mc_wait PID [SECONDS]: waits for PID (at most SECONDS, default 90) and sets MC_RC to its status.
mc_wait() {
    lab_wait_exit "$1" "${2:-90}"
    MC_RC=0
    wait "$1" || MC_RC=$?
}

mc_same() {  # mc_same A B: files identical
    cmp -s "$1" "$2"
}
