#!/bin/bash
# Joining (`castline-imager receive`): the resolver finds sessions by name and only those; a
# wrong password is refused clearly (exit 8, "refused"), and after 5 failed joins from one address
# that address is turned away ("too_many_failures") while others join; an unknown name is not found (exit 8,
# "not found"); --timeout ends a search (exit 8, "timed out"); TeraByte's address form works; a
# connection that never finishes its handshake is no participant (a lost connect reply cannot
# stall the start); two sessions on the same group and port at once each deliver their own
# file, never the other's datagrams; forged and malformed datagrams are ignored.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicast_lib.sh"

mc_topology 4
lab_netns "${LAB_PREFIX}evil"
mc_attach "${LAB_PREFIX}evil" pevil 198.18.0.99
a="$LAB_TMP/a.bin" b="$LAB_TMP/b.bin"
mc_image "$a" 4
mc_image "$b" 3
echo "wrong one" >"$LAB_TMP/wrong"

# --- wrong password, unknown name, and a phantom that connects but never authenticates ---
mc_send "$LAB_TMP/send-a.log" --file "$a" --session alpha --password-file "$MC_PASSWORD_FILE" --clients 2 \
    --port 5000 --rate 40 --give-up 60
sender_a=$MC_SENDER_PID
lab_wait_for "$LAB_TMP/send-a.log" "control_port [0-9]+" 10
control_a=$(grep -o 'control_port [0-9]*' "$LAB_TMP/send-a.log" | head -1 | cut -d' ' -f2)

mc_receive 1 "$LAB_TMP/wrong.log" "$LAB_TMP/wrong.out" --session "castline://$MC_SENDER_IP/alpha" \
    --password-file "$LAB_TMP/wrong"
mc_wait "$LAB_LAST_PID" 20
[[ $MC_RC == 8 ]] || fail "wrong password: exit $MC_RC, expected 8"
mc_says "$LAB_TMP/wrong.log" "session alpha at $MC_SENDER_IP refused this receiver: refused \(bad_password\)" ||
    fail "wrong password: no clear refusal: $(tail -3 "$LAB_TMP/wrong.log")"
[[ ! -s "$LAB_TMP/wrong.out" ]] || fail "wrong password: something was written"
pass "wrong password refused"

# Password guessing from one address: after 5 failed joins it is turned away at once, while the
# receivers of other addresses still join (below).
for i in 1 2 3 4 5 6; do
    lab_spawn "$LAB_TMP/guess-$i.log" ip netns exec "${LAB_PREFIX}evil" "$CASTLINE_BIN/castline-imager" receive \
        --session "castline://$MC_SENDER_IP/alpha" --target "$LAB_TMP/guess.out" --password-file "$LAB_TMP/wrong" \
        --progress none
    mc_wait "$LAB_LAST_PID" 20
    [[ $MC_RC == 8 ]] || fail "guess $i: exit $MC_RC, expected 8"
done
mc_says "$LAB_TMP/guess-5.log" "refused \(bad_password\)" || fail "guess 5: $(tail -2 "$LAB_TMP/guess-5.log")"
mc_says "$LAB_TMP/guess-6.log" "refused \(too_many_failures\): too many failed joins from 198\.18\.0\.99; try again in [0-9]+ s" ||
    fail "the 6th guess was not turned away: $(tail -2 "$LAB_TMP/guess-6.log")"
pass "failed joins are limited per address: $(grep -m1 -o 'refused (too_many_failures)[^"]*' "$LAB_TMP/guess-6.log")"

mc_receive 1 "$LAB_TMP/unknown.log" "$LAB_TMP/unknown.out" --session "castline://$MC_SENDER_IP/nosuch" \
    --password-file "$MC_PASSWORD_FILE" --find-timeout 3
mc_wait "$LAB_LAST_PID" 20
[[ $MC_RC == 8 ]] || fail "unknown session: exit $MC_RC, expected 8"
mc_says "$LAB_TMP/unknown.log" "session nosuch at $MC_SENDER_IP not found: .*does not know session 'nosuch'" ||
    fail "unknown session: message: $(tail -3 "$LAB_TMP/unknown.log")"
pass "resolver stays silent for unknown sessions"

# --timeout ends the search before --find-timeout does, and says so.
lab_spawn "$LAB_TMP/timeout.log" ip netns exec "$(mc_receiver_ns 1)" "$CASTLINE_BIN/castline-imager" receive \
    --session "castline://$MC_SENDER_IP/nosuch" --target "$LAB_TMP/timeout.out" --interface eth0 \
    --timeout 2 --find-timeout 30
mc_wait "$LAB_LAST_PID" 20
[[ $MC_RC == 8 ]] || fail "timeout: exit $MC_RC, expected 8"
mc_says "$LAB_TMP/timeout.log" "session nosuch at $MC_SENDER_IP timed out: gave up after 2 s" ||
    fail "timeout: message: $(tail -3 "$LAB_TMP/timeout.log")"
pass "--timeout: exit 8, timed out"

# The phantom: TCP connects, sends nothing. It must not count towards --clients 2.
lab_spawn "$LAB_TMP/phantom.log" ip netns exec "$(mc_receiver_ns 4)" bash -c \
    "exec 3<>/dev/tcp/$MC_SENDER_IP/$control_a; sleep 30"
phantom=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/send-a.log" "multicast_client_connected.*peer=198.18.0.14" 10

# --- second session on the same group and port ---
lab_spawn "$LAB_TMP/send-b.log" ip netns exec "$MC_SENDER" "$CASTLINE_BIN/castline" multicast send \
    --interface eth0 --pbkdf2-iterations 20000 --file "$b" --session beta --clients 2 --port 5000 \
    --rate 10 --resolver-port 31600 --control-port 7100 --give-up 60
sender_b=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/send-b.log" "control_port 7100" 10
session_a=$(grep -o 'session_id=[0-9]*' "$LAB_TMP/send-a.log" | head -1 | cut -d= -f2)

# Forged datagrams with the right session id, group and port but no valid tag, and junk.
forge() {
    local hex i payload
    hex=$(printf '%08x' "$session_a")
    payload=$(head -c 1440 /dev/zero | tr '\0' 'A')
    for ((i = 0; i < 300; i++)); do
        printf "CL\x03\x01\x${hex:0:2}\x${hex:2:2}\x${hex:4:2}\x${hex:6:2}\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00%s01234567" "$payload" \
            >/dev/udp/239.198.10.10/5000 || true
        printf 'junk' >/dev/udp/239.198.10.10/5000 || true
        sleep 0.01
    done
}
export -f forge
export session_a
lab_spawn "$LAB_TMP/forge.log" ip netns exec "${LAB_PREFIX}evil" bash -c forge
forger=$LAB_LAST_PID

# Beta's receivers first: beta (at 10 Mbit/s, about 2.5 s) still runs when alpha starts, so they
# are on the group while alpha sends and must reject its datagrams.
mc_receive 3 "$LAB_TMP/b3.log" "$LAB_TMP/b3.out" --session "castline://$MC_SENDER_IP:31600/beta"
rb3=$LAB_LAST_PID
mc_receive 4 "$LAB_TMP/b4.log" "$LAB_TMP/b4.out" --session "\\\\\\$MC_SENDER_IP:31600**beta*"
rb4=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/send-b.log" "multicast_session_started" 20
mc_receive 1 "$LAB_TMP/a1.log" "$LAB_TMP/a1.out" --session "castline://$MC_SENDER_IP/alpha" --password-file "$MC_PASSWORD_FILE"
ra1=$LAB_LAST_PID
mc_receive 2 "$LAB_TMP/a2.log" "$LAB_TMP/a2.out" --session "\\\\\\$MC_SENDER_IP*$control_a*alpha*s3cret pass"
ra2=$LAB_LAST_PID

for pid in $ra1 $ra2 $rb3 $rb4; do
    mc_wait "$pid" 60
    [[ $MC_RC == 0 ]] || fail "receiver $pid exited $MC_RC"
done
mc_same "$a" "$LAB_TMP/a1.out" || fail "alpha copy 1 differs"
mc_same "$a" "$LAB_TMP/a2.out" || fail "alpha copy 2 (TeraByte form with password) differs"
mc_same "$b" "$LAB_TMP/b3.out" || fail "beta copy 3 differs"
mc_same "$b" "$LAB_TMP/b4.out" || fail "beta copy 4 differs"
pass "two sessions on one group and port, each copy identical"
grep -qE '^progress phase=receive bytes_done=4194304 bytes_total=4194304 ' "$LAB_TMP/a1.log" ||
    fail "no final progress line: $(grep progress "$LAB_TMP/a1.log" | tail -2)"
grep -q "^received session alpha from $MC_SENDER_IP into $LAB_TMP/a1.out" "$LAB_TMP/a1.log" ||
    fail "no closing line: $(tail -2 "$LAB_TMP/a1.log")"
pass "progress lines and a closing line on success"
grep -q "session_id: .* is not this session" "$LAB_TMP/b3.log" || fail "beta receiver never saw alpha's datagrams (test is void)"
pass "datagrams of the other session were rejected by session id"
grep -q "tag: authentication failed" "$LAB_TMP/a1.log" || fail "forged datagrams were not seen (test is void)"
pass "forged datagrams rejected by their tag"
mc_wait "$sender_a" 20
[[ $MC_RC == 0 ]] || fail "sender alpha exited $MC_RC"
grep -q "2 of 2 receivers done" "$LAB_TMP/send-a.log" || fail "alpha summary: the phantom counted"
mc_wait "$sender_b" 20
[[ $MC_RC == 0 ]] || fail "sender beta exited $MC_RC"
pass "a connection that never authenticated did not count as a participant"
kill "$forger" "$phantom" 2>/dev/null || true
