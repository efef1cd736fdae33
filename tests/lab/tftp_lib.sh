# Shared by the tftp_*.sh and http_*.sh lab tests. Source after lib.sh.
# Two namespaces joined by a veth pair: castlined in the server namespace on 198.18.3.1, the
# clients in the client namespace on 198.18.3.2.

SRV_NS="${LAB_PREFIX}s"
CLI_NS="${LAB_PREFIX}c"
SRV_IF="${LAB_PREFIX}a"
CLI_IF="${LAB_PREFIX}b"
SRV_IP=198.18.3.1
CLI_IP=198.18.3.2
TFTP_PORT=69
HTTP_PORT=8080
BOOT="$LAB_TMP/boot"
CASTLINED_LOG="$LAB_TMP/castlined.log"

# In the client namespace.
cli() { ip netns exec "$CLI_NS" "$@"; }

tftp_lab_network() {
    lab_netns "$SRV_NS"
    lab_netns "$CLI_NS"
    ip link add "$SRV_IF" netns "$SRV_NS" type veth peer name "$CLI_IF" netns "$CLI_NS"
    ip -n "$SRV_NS" addr add "$SRV_IP/24" dev "$SRV_IF"
    ip -n "$CLI_NS" addr add "$CLI_IP/24" dev "$CLI_IF"
    ip -n "$SRV_NS" link set "$SRV_IF" up
    ip -n "$CLI_NS" link set "$CLI_IF" up
    mkdir -p "$BOOT"
}

# tftp_start_castlined: castlined on the server side of the veth pair with TFTP and HTTP on.
# BOOT_EXTRA (keys under boot:, indented two spaces) and SITE_EXTRA (top-level sections) are
# added to its config when set.
tftp_start_castlined() {
    cat >"$LAB_TMP/site.yaml" <<YAML
version: 1
server:
  interfaces: [$SRV_IF]
  data_dir: ./state
  log_level: info
boot:
  root: ./boot
  tftp_port: $TFTP_PORT
  http_port: $HTTP_PORT
${BOOT_EXTRA:-}
dhcp:
  mode: off
${SITE_EXTRA:-}
YAML
    lab_spawn "$CASTLINED_LOG" ip netns exec "$SRV_NS" "$CASTLINE_BIN/castlined" \
        --config "$LAB_TMP/site.yaml"
    CASTLINED_PID=$LAB_LAST_PID
    lab_wait_for "$CASTLINED_LOG" 'event=started' 20
    grep -q "event=tftp_listening interface=$SRV_IF address=$SRV_IP port=$TFTP_PORT" \
        "$CASTLINED_LOG" || fail "castlined does not listen for TFTP on $SRV_IP"
    grep -q "event=http_listening interface=$SRV_IF address=$SRV_IP port=$HTTP_PORT" \
        "$CASTLINED_LOG" || fail "castlined does not listen for HTTP on $SRV_IP"
}

# random_file PATH SIZE: SIZE bytes of random data (dd size suffixes: 1M, 512K ...).
random_file() {
    head -c "$2" /dev/urandom >"$1"
}

# same FILE1 FILE2 WHAT: fails unless the files are byte-equal.
same() {
    cmp -s "$1" "$2" || fail "$3: $2 differs from $1 ($(stat -c %s "$2" 2>/dev/null || echo missing) bytes)"
}
