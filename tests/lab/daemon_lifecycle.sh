# castlined starts, reloads a good config on SIGHUP, keeps the old one after a bad one, stops on
# SIGTERM within 2 s, and refuses to start on an invalid config.
source "$(dirname "$0")/lib.sh"

config="$LAB_TMP/site.yaml"
write_config() {
    cat >"$config" <<YAML
version: 1
server:
  interfaces: [lo]
  data_dir: ./state
  api_port: 0
  log_level: $1
boot:
  root: ./boot
  tftp_port: 0
  http_port: 0
dhcp:
  mode: off
YAML
}
mkdir -p "$LAB_TMP/boot"
write_config info
log="$LAB_TMP/castlined.log"
lab_spawn "$log" "$CASTLINE_BIN/castlined" --config "$config"
pid=$LAB_LAST_PID
lab_wait_for "$log" 'event=started'
[[ -d "$LAB_TMP/state" ]] || fail "data dir was not created next to the config"
pass "started"

write_config debug
kill -HUP "$pid"
lab_wait_for "$log" 'event=reloaded'
pass "reloaded a good config"

echo "server: {interfaces: [lo], bogus_key: 1" >"$config"
kill -HUP "$pid"
lab_wait_for "$log" 'event=reload_rejected'
kill -0 "$pid" || fail "castlined died after a bad reload"
pass "kept running on the old config after a bad reload"

start=$(date +%s%N)
kill -TERM "$pid"
lab_wait_exit "$pid" 2
wait "$pid" && rc=0 || rc=$?
((rc == 0)) || fail "castlined exited with $rc after SIGTERM"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q 'event=stopped' "$log" || fail "no stopped event"
pass "stopped on SIGTERM in ${elapsed_ms} ms"

if "$CASTLINE_BIN/castlined" --config "$config" >"$LAB_TMP/bad.log" 2>&1; then
    fail "castlined started on an invalid config"
fi
grep -q "site.yaml:" "$LAB_TMP/bad.log" || fail "the refusal does not name the config file"
pass "refused to start on an invalid config"
