# castlined runs a rollout through its operator API: wakes hosts in waves (seen on the wire in
# another namespace), survives kill -9 mid-run and resumes from its store, cancels, and keeps the
# history that castline history shows.
source "$(dirname "$0")/lib.sh"

a="${LAB_PREFIX}ra"
b="${LAB_PREFIX}rb"
lab_netns "$a"
lab_netns "$b"
ip link add ra netns "$a" type veth peer name rb netns "$b"
ip -n "$a" addr add 198.18.20.1/24 dev ra
ip -n "$b" addr add 198.18.20.2/24 dev rb
ip -n "$a" link set ra up
ip -n "$b" link set rb up

mkdir -p "$LAB_TMP/boot"
config="$LAB_TMP/site.yaml"
cat >"$config" <<YAML
version: 1
server:
  interfaces: [ra]
  data_dir: ./state
  api_port: 18081
boot:
  root: ./boot
  tftp_port: 0
  http_port: 0
dhcp:
  mode: off
wake:
  repeat: 1
hosts:
  - {mac: "52:54:00:00:20:01", name: ws01, group: line}
  - {mac: "52:54:00:00:20:02", name: ws02, group: line}
  - {mac: "52:54:00:00:20:03", name: ws03, group: line}
groups:
  line: {action: local}
rollouts:
  reimage:
    groups: [line]
    wave_size: 2
    wave_interval: 4s
YAML
castline() { ip netns exec "$a" "$CASTLINE_BIN/castline" "$@"; }

lab_spawn "$LAB_TMP/tcpdump.log" ip netns exec "$b" tcpdump -i rb --immediate-mode -U -w "$LAB_TMP/wake.pcap" 'ether proto 0x0842'
tcpdump_pid=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/tcpdump.log" 'listening on'

start_daemon() {
    lab_spawn "$LAB_TMP/castlined.$1.log" ip netns exec "$a" "$CASTLINE_BIN/castlined" --config "$config"
    daemon_pid=$LAB_LAST_PID
    lab_wait_for "$LAB_TMP/castlined.$1.log" 'event=api_listening' 20
}
start_daemon 1

castline rollout start reimage --config "$config" >"$LAB_TMP/start.out" || fail "rollout start failed"
grep -q "run 1: running" "$LAB_TMP/start.out" || fail "unexpected start output: $(cat "$LAB_TMP/start.out")"
grep -q "woken=2" "$LAB_TMP/start.out" || fail "first wave did not wake two hosts: $(cat "$LAB_TMP/start.out")"
if castline rollout start reimage --config "$config" 2>"$LAB_TMP/again.err"; then fail "started twice"; fi
grep -q "already running" "$LAB_TMP/again.err" || fail "unclear conflict: $(cat "$LAB_TMP/again.err")"
pass "rollout started through the API; the first wave woke two hosts; a second start is refused"

# kill -9 before the second wave, then restart: the run resumes and wakes the third host.
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
start_daemon 2
grep -q 'event=rollout_resumed rollout=reimage run=1' "$LAB_TMP/castlined.2.log" || fail "run not resumed"
lab_wait_for "$LAB_TMP/castlined.2.log" 'event=rollout_wake rollout=reimage mac=52:54:00:00:20:03 host=ws03' 15
lab_wait_for "$LAB_TMP/castlined.2.log" 'event=wake_sent mac=52:54:00:00:20:03 host=ws03 ' 5
castline rollout status reimage --api 18081 --json >"$LAB_TMP/status.json"
grep -q '"woken": 3' "$LAB_TMP/status.json" || fail "status after restart: $(cat "$LAB_TMP/status.json")"
pass "after kill -9 castlined resumed the run from its store and woke the next wave"

sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
frames=$(tcpdump -r "$LAB_TMP/wake.pcap" -nn -xx 2>/dev/null | grep -c '^[0-9]' || true)
((frames == 3)) || fail "expected 3 magic frames on the wire, saw $frames"
pass "three magic packets reached the other namespace"

castline rollout cancel reimage --api 18081 >"$LAB_TMP/cancel.out" || fail "cancel failed"
grep -q "cancelled" "$LAB_TMP/cancel.out" || fail "cancel output: $(cat "$LAB_TMP/cancel.out")"
castline history ws03 --api 18081 >"$LAB_TMP/history.out" || fail "history failed"
grep -qE "reimage +52:54:00:00:20:03 +ws03 +skipped" "$LAB_TMP/history.out" || fail "history: $(cat "$LAB_TMP/history.out")"
if castline rollout status nosuch --api 18081 2>"$LAB_TMP/nosuch.err"; then fail "unknown rollout accepted"; fi
grep -q "no rollout named 'nosuch'" "$LAB_TMP/nosuch.err" || fail "unclear error: $(cat "$LAB_TMP/nosuch.err")"
pass "cancel, history and unknown names work through castline"
