# What a first-time operator meets, in a private namespace on its loopback: castlined warns about
# the boot files its config serves that boot.root lacks, at start and when a client asks for one;
# the castline CLI finds the API port through $CASTLINE_CONFIG and says where it came from; a
# reload says what changed and refuses to move data_dir; a port in use is named with its service.
source "$(dirname "$0")/lib.sh"

ns="${LAB_PREFIX}fu"
lab_netns "$ns"
in_ns() { ip netns exec "$ns" "$@"; }

config="$LAB_TMP/site.yaml"
write_config() {  # write_config DATA_DIR HTTP_PORT API_PORT [HOSTS...]
    {
        cat <<YAML
version: 1
server: {interfaces: [lo], data_dir: $1, api_port: $3}
boot: {root: ./boot, tftp_port: 0, http_port: $2}
dhcp: {mode: off}
hosts:
YAML
        for host in "${@:4}"; do echo "  - $host"; done
        [[ $# -gt 3 ]] || echo "  []"
    } >"$config"
}
mkdir -p "$LAB_TMP/boot"
echo "not a loader" >"$LAB_TMP/boot/other.bin"
write_config ./state 18080 18081
log="$LAB_TMP/castlined.log"
lab_spawn "$log" ip netns exec "$ns" "$CASTLINE_BIN/castlined" --config "$config"  # exec: $! is castlined
pid=$LAB_LAST_PID
lab_wait_for "$log" 'event=started' 20

grep 'level=warn event=config_warning problem="'"$config"':3:' "$log" >"$LAB_TMP/warnings.log" || fail "no config warnings at start"
grep -qF 'warning: boot.kernel: \"vmlinuz\" is not a file in boot.root' "$LAB_TMP/warnings.log" \
    || fail "no start-up warning for the missing kernel: $(cat "$LAB_TMP/warnings.log")"
grep -qF 'warning: boot.loaders.efi_x64_http: \"ipxe.efi\"' "$LAB_TMP/warnings.log" || fail "no start-up warning for the missing HTTP loader"
! grep -q 'boot.loaders.bios' "$LAB_TMP/warnings.log" || fail "a TFTP loader was warned about with TFTP off"
pass "castlined warns at start about each served boot file boot.root lacks"

code=$(in_ns curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/vmlinuz)
[[ $code == 404 ]] || fail "the missing kernel answered $code"
lab_wait_for "$log" 'level=warn event=boot_file_missing file=vmlinuz named_by=boot.kernel ' 5
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/nothing.bin)
[[ $code == 404 ]] || fail "a missing file answered $code"
lab_wait_for "$log" 'target=/nothing.bin status=404' 5
! grep -q 'event=boot_file_missing file=nothing.bin' "$log" || fail "a file no key names was logged as a warning"
pass "a request for a served file that is missing is a warning naming its key; others are not"

# The CLI: no --config, the port from $CASTLINE_CONFIG.
CASTLINE_CONFIG="$config" in_ns "$CASTLINE_BIN/castline" rollout list >"$LAB_TMP/list.out" 2>"$LAB_TMP/list.err" \
    || fail "castline with CASTLINE_CONFIG did not reach castlined: $(cat "$LAB_TMP/list.err")"
other="$LAB_TMP/other.yaml"
sed 's/api_port: 18081/api_port: 18099/' "$config" >"$other"
rc=0
CASTLINE_CONFIG="$other" in_ns "$CASTLINE_BIN/castline" rollout list 2>"$LAB_TMP/refused.err" || rc=$?
((rc == 1)) || fail "an unreachable API exited $rc"
grep -qF "cannot reach castlined's API at 127.0.0.1:18099 (from server.api_port of $other (CASTLINE_CONFIG))" "$LAB_TMP/refused.err" \
    || fail "the error does not say where the port came from: $(cat "$LAB_TMP/refused.err")"
pass "castline finds the API port through CASTLINE_CONFIG and names it in errors"

write_config ./state 18080 18081 '{mac: "52:54:00:00:00:01", name: ws01}'
kill -HUP "$pid"
lab_wait_for "$log" 'event=reloaded config=[^ ]+ changed="hosts \+ws01"' 5
pass "a reload says what changed"

write_config ./elsewhere 18080 18081 '{mac: "52:54:00:00:00:01", name: ws01}'
kill -HUP "$pid"
lab_wait_for "$log" 'event=reload_rejected' 5
grep -qF 'server.data_dir: changed from '"$LAB_TMP"'/state to '"$LAB_TMP"'/elsewhere, expected the same data_dir on reload' "$log" \
    || fail "the refusal does not explain data_dir: $(grep config_error "$log")"
[[ ! -d "$LAB_TMP/elsewhere" ]] || fail "the new data_dir was created"
kill -0 "$pid" || fail "castlined died after refusing the reload"
code=$(in_ns curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/other.bin)
[[ $code == 200 ]] || fail "castlined stopped serving after the refused reload ($code)"
pass "a reload that moves data_dir is refused; castlined keeps running on the old config"

# A second castlined on the same ports: refused, naming the service, address, port and key.
write_config ./state2 18080 18082
rc=0
in_ns timeout 10 "$CASTLINE_BIN/castlined" --config "$config" >"$LAB_TMP/clash.log" 2>&1 || rc=$?
((rc == 1)) || fail "a port clash exited $rc"
grep -qF 'cannot listen for HTTP boot files on 127.0.0.1:18080 (boot.http_port): Address already in use' "$LAB_TMP/clash.log" \
    || fail "the clash is not named: $(cat "$LAB_TMP/clash.log")"
! grep -q 'event=api_listening\|event=started' "$LAB_TMP/clash.log" || fail "something else started after the clash"
pass "a port in use stops castlined before anything else listens, naming service, address and port"

kill -TERM "$pid"
lab_wait_exit "$pid" 5
