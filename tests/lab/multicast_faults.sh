#!/bin/bash
# Faults: a receiver that joins late (ConstantCast) finishes; a receiver killed midway does not
# stop the others; operator commands (manual start, pause, resume, list, drop) work.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicast_lib.sh"

mc_topology 4
image="$LAB_TMP/image.bin"
mc_image "$image" 8

# --- late joiner ---
mc_send "$LAB_TMP/send-late.log" --file "$image" --session late --clients 3 --constantcast --rate 40 --give-up 60
sender=$MC_SENDER_PID
pids=()
for i in 1 2 3; do
    mc_receive "$i" "$LAB_TMP/late-$i.log" "$LAB_TMP/late-$i.out" --session "castline://$MC_SENDER_IP/late"
    pids+=("$LAB_LAST_PID")
done
lab_wait_for "$LAB_TMP/send-late.log" "multicast_session_started" 20
sleep 0.8  # about half of the first pass
mc_receive 4 "$LAB_TMP/late-4.log" "$LAB_TMP/late-4.out" --session "castline://$MC_SENDER_IP/late"
pids+=("$LAB_LAST_PID")
for i in 1 2 3 4; do
    mc_wait "${pids[i - 1]}" 60
    [[ $MC_RC == 0 ]] || fail "late: receiver $i exited $MC_RC"
    mc_same "$image" "$LAB_TMP/late-$i.out" || fail "late: receiver $i differs"
done
grep -q "multicast_client_joined.*name=r4.*late=1" "$LAB_TMP/send-late.log" || fail "late: r4 did not join late (test is void)"
mc_wait "$sender" 20
[[ $MC_RC == 0 ]] || fail "late: sender exited $MC_RC"
pass "a receiver that joined after the start finished with an identical copy"

# --- a receiver killed midway ---
mc_send "$LAB_TMP/send-kill.log" --file "$image" --session kill --clients 4 --rate 40 --success 75% --give-up 60
sender=$MC_SENDER_PID
pids=()
for i in 1 2 3 4; do
    mc_receive "$i" "$LAB_TMP/kill-$i.log" "$LAB_TMP/kill-$i.out" --session "castline://$MC_SENDER_IP/kill"
    pids+=("$LAB_LAST_PID")
done
lab_wait_for "$LAB_TMP/send-kill.log" "multicast_session_started" 20
sleep 0.5
# ip netns exec has exec'd into the receiver, so this PID is the receiver itself.
kill -9 "${pids[1]}"
start=$SECONDS
for i in 1 3 4; do
    mc_wait "${pids[i - 1]}" 60
    [[ $MC_RC == 0 ]] || fail "kill: receiver $i exited $MC_RC"
    mc_same "$image" "$LAB_TMP/kill-$i.out" || fail "kill: receiver $i differs"
done
((SECONDS - start <= 5)) || fail "kill: the others took $((SECONDS - start)) s after the kill"
mc_wait "$sender" 20
[[ $MC_RC == 0 ]] || fail "kill: sender exited $MC_RC (75 % success expected)"
grep -q "3 of 4 receivers done.*r2(failed: connection lost" "$LAB_TMP/send-kill.log" || fail "kill: summary does not name r2"
pass "a receiver killed midway did not stop the others; the summary names it"

# --- operator commands ---
fifo="$LAB_TMP/commands"
mkfifo "$fifo"
lab_spawn "$LAB_TMP/send-ops.log" ip netns exec "$MC_SENDER" bash -c \
    "exec '$CASTLINE_BIN/castline' multicast send --interface eth0 --pbkdf2-iterations 20000 --file '$image' \
     --session ops --manual --interactive --rate 20 --success 1 --give-up 60 <'$fifo'"
sender=$LAB_LAST_PID
exec 7>"$fifo"
lab_wait_for "$LAB_TMP/send-ops.log" "control_port [0-9]+" 10
echo start >&7
lab_wait_for "$LAB_TMP/send-ops.log" "^no clients have joined, nothing to start$" 5
pids=()
for i in 1 2; do
    mc_receive "$i" "$LAB_TMP/ops-$i.log" "$LAB_TMP/ops-$i.out" --session "castline://$MC_SENDER_IP/ops"
    pids+=("$LAB_LAST_PID")
done
lab_wait_for "$LAB_TMP/send-ops.log" "multicast_client_joined.*name=r2" 20
sleep 1
grep -q multicast_session_started "$LAB_TMP/send-ops.log" && fail "ops: a manual session started by itself (or by the start refused before anyone joined)"
lab_wait_for "$LAB_TMP/ops-2.log" "^waiting for the session to be started by hand: 2 receivers joined$" 5
echo start >&7
lab_wait_for "$LAB_TMP/send-ops.log" "multicast_session_started" 5
echo pause >&7
lab_wait_for "$LAB_TMP/ops-1.log" "multicast_paused" 5
echo list >&7
lab_wait_for "$LAB_TMP/send-ops.log" "^[0-9]+ +r2 .* receiving" 5
echo "drop $(grep -E '^[0-9]+ +r2 ' "$LAB_TMP/send-ops.log" | head -1 | cut -d' ' -f1)" >&7
mc_wait "${pids[1]}" 10
[[ $MC_RC == 8 ]] || fail "ops: dropped receiver exited $MC_RC, expected 8"
mc_says "$LAB_TMP/ops-2.log" "session ops at $MC_SENDER_IP dropped this receiver: dropped by the sender: dropped by the operator" ||
    fail "ops: the dropped receiver does not say so: $(tail -3 "$LAB_TMP/ops-2.log")"
echo resume >&7
lab_wait_for "$LAB_TMP/ops-1.log" "multicast_resumed" 5
mc_wait "${pids[0]}" 60
[[ $MC_RC == 0 ]] || fail "ops: receiver 1 exited $MC_RC"
mc_same "$image" "$LAB_TMP/ops-1.out" || fail "ops: receiver 1 differs"
exec 7>&-
mc_wait "$sender" 20
[[ $MC_RC == 0 ]] || fail "ops: sender exited $MC_RC"
grep -q "r2(dropped: dropped by hand)" "$LAB_TMP/send-ops.log" || fail "ops: summary does not show the drop"
pass "manual start (refused while nobody had joined), receivers told they wait for it, pause, list, drop and resume"
