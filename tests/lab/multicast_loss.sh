#!/bin/bash
# Four receivers get byte-identical copies at 0 %, 1 % and 5 % random loss at each receiver's
# input, and at 5 % loss at the sender's output (the same loss for everyone).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicast_lib.sh"

mc_topology 4
image="$LAB_TMP/image.bin"
mc_image "$image" 8

run() {  # run NAME SETUP...
    local name=$1 i pids=() start=$SECONDS
    shift
    "$@"
    mc_send "$LAB_TMP/send-$name.log" --file "$image" --session "$name" --password-file "$MC_PASSWORD_FILE" \
        --clients 4 --rate 200 --give-up 60
    local sender=$MC_SENDER_PID
    for i in 1 2 3 4; do
        rm -f "$LAB_TMP/out-$name-$i"
        mc_receive "$i" "$LAB_TMP/recv-$name-$i.log" "$LAB_TMP/out-$name-$i" \
            --session "castline://$MC_SENDER_IP/$name" --password-file "$MC_PASSWORD_FILE"
        pids+=("$LAB_LAST_PID")
    done
    for i in 1 2 3 4; do
        mc_wait "${pids[i - 1]}"
        [[ $MC_RC == 0 ]] || fail "$name: receiver $i exited $MC_RC"
        mc_same "$image" "$LAB_TMP/out-$name-$i" || fail "$name: receiver $i copy differs"
    done
    mc_wait "$sender"
    [[ $MC_RC == 0 ]] || fail "$name: sender exited $MC_RC"
    grep -q "4 of 4 receivers done" "$LAB_TMP/send-$name.log" || fail "$name: sender summary"
    pass "$name: 4 receivers identical in $((SECONDS - start)) s ($(grep -o 'bytes_sent [0-9]*' "$LAB_TMP/send-$name.log"))"
}

set_loss() { for i in 1 2 3 4; do ip netns exec "$(mc_receiver_ns "$i")" nft flush ruleset; [[ $1 == 0 ]] || mc_loss "$(mc_receiver_ns "$i")" "$1"; done; }

run loss0 set_loss 0
run loss1 set_loss 10
run loss5 set_loss 50
set_loss 0
run correlated5 mc_output_loss "$MC_SENDER" 50
