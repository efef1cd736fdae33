# castlined's sessions through the operator API and `castline session`: a start by hand with
# nobody joined is refused (and not remembered); a session that waits for two clients lists the
# one that joined; a receiver that goes away while waiting is listed as left and no longer
# counts, so the next single receiver does not start the session and is told "1 of 2 joined";
# the session is started by hand, paused and resumed, and that receiver restores byte-equal; in
# the session's next run a receiver is dropped by hand (exit 8) and listed as dropped; an
# unknown session or a resume of a running one is refused clearly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicast_lib.sh"
source "$(dirname "$0")/imager_lib.sh"

mc_topology 2
make_content "$LAB_TMP/content"
make_disk "$LAB_TMP/source.img" "$LAB_TMP/content"
mkdir -p "$LAB_TMP/images" "$LAB_TMP/boot"
"${imager[@]}" capture --source "$LAB_TMP/source.img" --output "$LAB_TMP/images/base.cimg" --progress none >/dev/null
"${imager[@]}" restore --image "$LAB_TMP/images/base.cimg" --target "$LAB_TMP/want.img" --progress none >/dev/null
cat >"$LAB_TMP/site.yaml" <<YAML
version: 1
server: {interfaces: [eth0], data_dir: ./state, api_port: 18093}
boot: {root: ./boot, tftp_port: 0, http_port: 0}
dhcp: {mode: off}
images:
  base: {path: ./images/base.cimg}
sessions:
  line: {image: base, clients: 2, rate_mbit: 10, interface: eth0}
YAML
lab_spawn "$LAB_TMP/castlined.log" ip netns exec "$MC_SENDER" "$CASTLINE_BIN/castlined" --config "$LAB_TMP/site.yaml"
lab_wait_for "$LAB_TMP/castlined.log" 'event=session_open session=line' 20
session() { ip netns exec "$MC_SENDER" "$CASTLINE_BIN/castline" session "$@" --api 127.0.0.1:18093; }
# wait_list PATTERN: until `castline session list` shows PATTERN (10 s at most).
wait_list() {
    local deadline=$((SECONDS + 10))
    until session list >"$LAB_TMP/list.out" 2>&1 && grep -qE -- "$1" "$LAB_TMP/list.out"; do
        ((SECONDS < deadline)) || fail "session list never showed /$1/: $(cat "$LAB_TMP/list.out")"
        sleep 0.2
    done
}
receive() {  # receive I TARGET: castline-imager restore --session in receiver I's namespace
    lab_spawn "$LAB_TMP/recv-$1.log" ip netns exec "$(mc_receiver_ns "$1")" "${imager[@]}" restore \
        --session "castline://$MC_SENDER_IP/line" --target "$2" --progress lines
}

wait_list '^session line \(image base, 239\.198\.10\.10:[0-9]+\): waiting, 0 clients'
if session start line >"$LAB_TMP/early.out" 2>&1; then fail "a start with nobody joined was accepted"; fi
grep -q "session 'line': no clients have joined, nothing to start" "$LAB_TMP/early.out" ||
    fail "unclear refusal of an early start: $(cat "$LAB_TMP/early.out")"
pass "a start by hand with nobody joined is refused: $(cat "$LAB_TMP/early.out")"

# A receiver joins and goes away (a machine rebooted) while the session waits for two.
receive 1 "$LAB_TMP/gone.img"
gone=$LAB_LAST_PID
wait_list "^  [0-9]+ .*198\.18\.0\.11 +joined"
pass "the waiting session lists the client that joined: $(grep -E '198\.18\.0\.11' "$LAB_TMP/list.out" | tr -s ' ')"
kill -KILL "$gone"
wait "$gone" 2>/dev/null || true
wait_list "^  [0-9]+ .*198\.18\.0\.11 +left +.*connection lost"
pass "a receiver that went away while waiting is listed as left"

# The next single receiver neither starts the session (the early start was not remembered and
# the one that left does not count) nor waits without saying why.
receive 2 "$LAB_TMP/r1.img"
r1=$LAB_LAST_PID
wait_list "^  [0-9]+ .*198\.18\.0\.12 +joined"
lab_wait_for "$LAB_TMP/recv-2.log" "^waiting for the session to start: 1 of 2 joined$" 10
sleep 1
session list >"$LAB_TMP/list.out"
grep -qE '^session line .*: waiting, 2 clients' "$LAB_TMP/list.out" ||
    fail "one receiver after one that left started the session: $(cat "$LAB_TMP/list.out")"
! grep -q 'multicast_session_started' "$LAB_TMP/castlined.log" || fail "the session started early"
! grep -q '^progress' "$LAB_TMP/recv-2.log" || fail "the waiting receiver printed empty progress lines"
pass "one receiver after one that left waits, and says: $(grep -m1 '^waiting' "$LAB_TMP/recv-2.log")"

session start line >"$LAB_TMP/start.out" || fail "session start failed"
session pause line >/dev/null || fail "session pause failed: $(session list)"
wait_list '^session line .*: paused'
if session pause line 2>"$LAB_TMP/again.err"; then fail "a paused session was paused again"; fi
grep -q "is paused, not running" "$LAB_TMP/again.err" || fail "unclear refusal: $(cat "$LAB_TMP/again.err")"
session resume line >/dev/null || fail "session resume failed"
wait_list '^session line .*: (running|ended)'
lab_wait_exit "$r1" 60
wait "$r1" || fail "receiver 1 failed: $(tail -3 "$LAB_TMP/recv-2.log")"
cmp -s "$LAB_TMP/want.img" "$LAB_TMP/r1.img" || fail "receiver 1's disk differs from a file restore"
grep -q 'event=session_started_by_hand session=line' "$LAB_TMP/castlined.log" || fail "no start logged"
grep -q 'event=session_paused session=line' "$LAB_TMP/castlined.log" || fail "no pause logged"
grep -q 'multicast_session_started session=line receivers=1' "$LAB_TMP/castlined.log" ||
    fail "the session did not start with one receiver: $(grep multicast_session_started "$LAB_TMP/castlined.log")"
pass "started by hand with one of two clients, paused (a second pause refused), resumed, restored byte-equal"

# The session opens again for its next run; a receiver dropped by hand ends with exit 8.
wait_list '^session line .*: waiting, 0 clients'
receive 1 "$LAB_TMP/r2.img"
r2=$LAB_LAST_PID
wait_list "198\.18\.0\.11 +joined"
id=$(grep -E '198\.18\.0\.11' "$LAB_TMP/list.out" | awk '{print $1}')
session drop line "$id" >/dev/null || fail "drop of client $id failed"
lab_wait_exit "$r2" 20
rc=0; wait "$r2" || rc=$?
((rc == 8)) || fail "the dropped receiver exited $rc: $(tail -3 "$LAB_TMP/recv-1.log")"
grep -qi "drop" "$LAB_TMP/recv-1.log" || fail "the receiver does not say it was dropped: $(tail -3 "$LAB_TMP/recv-1.log")"
wait_list "^  $id .* left +.*dropped by hand"
pass "client $id dropped by hand before the start: the receiver ended with exit 8, the list shows it left (dropped by hand)"

if session pause nosuch 2>"$LAB_TMP/nosuch.err"; then fail "an unknown session was paused"; fi
grep -q "no open session named 'nosuch'" "$LAB_TMP/nosuch.err" || fail "unclear error: $(cat "$LAB_TMP/nosuch.err")"
if session drop line 9999 2>"$LAB_TMP/noclient.err"; then fail "an unknown client was dropped"; fi
grep -q "has no active client 9999" "$LAB_TMP/noclient.err" || fail "unclear error: $(cat "$LAB_TMP/noclient.err")"
pass "unknown session and unknown client refused with clear errors"
