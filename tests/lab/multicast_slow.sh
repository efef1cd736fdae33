#!/bin/bash
# A slow receiver (its switch port capped at 20 Mbit/s while the session sends at 100) under
# each time-limit policy. The fast receivers are not slowed down in any of them.
#   wait:    everyone finishes; the slow one takes more passes.
#   drop:    the slow one is dropped at the time limit (exit 8, "dropped"); 3 of 4 meets
#            --success 75%.
#   unicast: the slow one is finished over its TCP connection; 4 of 4.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicast_lib.sh"

mc_topology 4
ip netns exec "$MC_SW" tc qdisc add dev pr4 root tbf rate 20mbit burst 32kbit latency 50ms
echo "slow receiver port: tbf 20 Mbit/s, session rate 100 Mbit/s"
image="$LAB_TMP/image.bin"
mc_image "$image" 8
ideal_fast=$(((8 * 8 * 1000 / 100) + 999))  # ms at 100 Mbit/s, rounded up
# A session paced by its slowest receiver would need 8 MiB at 20 Mbit/s = 3355 ms; the fast
# receivers must be done well before that.
slow_link_ms=3355

run() {  # run POLICY EXPECTED_SLOW_RC
    local policy=$1 expect=$2 i pids=() start fast_ms
    mc_send "$LAB_TMP/send-$policy.log" --file "$image" --session "slow-$policy" --clients 4 --rate 100 \
        --time-limit 3 --late-policy "$policy" --success 75% --give-up 60
    local sender=$MC_SENDER_PID
    for i in 1 2 3 4; do
        mc_receive "$i" "$LAB_TMP/$policy-$i.log" "$LAB_TMP/$policy-$i.out" --session "castline://$MC_SENDER_IP/slow-$policy"
        pids+=("$LAB_LAST_PID")
    done
    lab_wait_for "$LAB_TMP/send-$policy.log" "multicast_session_started" 20
    start=$(date +%s%N)
    for i in 1 2 3; do
        mc_wait "${pids[i - 1]}" 60
        [[ $MC_RC == 0 ]] || fail "$policy: fast receiver $i exited $MC_RC"
        mc_same "$image" "$LAB_TMP/$policy-$i.out" || fail "$policy: receiver $i differs"
    done
    fast_ms=$((($(date +%s%N) - start) / 1000000))
    ((fast_ms < slow_link_ms - 300)) ||
        fail "$policy: fast receivers took $fast_ms ms (ideal $ideal_fast ms; the slow link alone needs $slow_link_ms ms)"
    mc_wait "${pids[3]}" 60
    local slow_rc=$MC_RC
    [[ $slow_rc == "$expect" ]] || fail "$policy: slow receiver exited $slow_rc, expected $expect"
    if [[ $expect == 0 ]]; then mc_same "$image" "$LAB_TMP/$policy-4.out" || fail "$policy: slow copy differs"; fi
    if [[ $policy == drop ]]; then
        mc_says "$LAB_TMP/$policy-4.log" "dropped this receiver" ||
            fail "$policy: the slow receiver does not say it was dropped: $(tail -3 "$LAB_TMP/$policy-4.log")"
    fi
    mc_wait "$sender" 30
    [[ $MC_RC == 0 ]] || fail "$policy: sender exited $MC_RC"
    pass "$policy: fast receivers done in $fast_ms ms, slow receiver exit $slow_rc; $(grep -o '[0-9] of 4 receivers done' "$LAB_TMP/send-$policy.log")"
}

run wait 0
run drop 8
run unicast 0
grep -q "state=unicast" "$LAB_TMP/send-unicast.log" || fail "unicast: the slow receiver never switched to unicast (test is void)"
grep -q "4 of 4 receivers done" "$LAB_TMP/send-unicast.log" || fail "unicast: not all done"
