#!/bin/bash
# Multicast fault scenarios: castline against udpcast (udp-sender/udp-receiver) and uftp, the
# same file, in the same run, in network namespaces (198.18.0.0/24 as in multicast_bench.sh).
# One receiver is made special and the others' time is compared with a run where nothing
# happens:
#   base      nothing special
#   slow      receiver 1's switch port is limited to a quarter of the sender's cap
#   late      receiver N starts when the sender has sent 50 % of the image (senders start with
#             N-1; castline with --constantcast)
#   killed    receiver 1 is killed (SIGKILL) when the sender has sent 30 % of the image
#   ctl-drop  the first 3 packets every receiver sends (its session requests) are dropped
# Prints one row per scenario and tool: when the last of the other receivers was done, that
# against base, what became of the special receiver, bytes on the wire per image byte.
#
# usage (root, release build): bash bench/multicast_scenarios_bench.sh
#   MC_SCEN_RECEIVERS=4  MC_SCEN_MIB=32  MC_SCEN_CAP=100 (Mbit/s at the sender's port)
#   MC_SCEN_TOOLS="castline udpcast uftp"  MC_SCEN_LIST="base slow late killed ctl-drop"
#   MC_SCEN_RUN_SECONDS=60 (every process is bounded by this)
#   MC_SCEN_RUNS=1 (runs per scenario and tool; with more, a summary line each, and later
#   scenarios compare with the median of the base runs)
# Not part of the test suite.
source "$(dirname "$0")/multicast_env.sh"

n=${MC_SCEN_RECEIVERS:-4}
mib=${MC_SCEN_MIB:-32}
cap=${MC_SCEN_CAP:-100}
tools=${MC_SCEN_TOOLS:-"castline udpcast uftp"}
scenarios=${MC_SCEN_LIST:-"base slow late killed ctl-drop"}
run_seconds=${MC_SCEN_RUN_SECONDS:-60}
runs=${MC_SCEN_RUNS:-1}
((n >= 2)) || { echo "MC_SCEN_RECEIVERS must be at least 2" >&2; exit 2; }

mc_topology "$n"
ip netns exec "$MC_SENDER" tc qdisc add dev eth0 root tbf rate "${cap}mbit" burst 256kbit latency 20ms
image="$LAB_TMP/image.bin"
mc_image "$image" "$mib"
image_bytes=$((mib << 20))
ideal_ms=$((image_bytes * 8 / (cap * 1000)))
# uftpd runs this after each file: the receiver's "done" time.
cat >"$LAB_TMP/uftp-done.sh" <<'EOF'
#!/bin/bash
echo "0 $(($(date +%s%N) / 1000000))" >"$(dirname "$0")/done-$UFTP_RECEIVER"
EOF
chmod +x "$LAB_TMP/uftp-done.sh"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
sender_tx_bytes() { ip netns exec "$MC_SW" cat /sys/class/net/psnd/statistics/rx_bytes; }

kill_tree() {  # kill_tree PID: the process and everything it started
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true  # reaps our own children quietly
}

# wait_sent TX0 PERCENT: until the sender has put PERCENT % of the image on the wire (whatever
# the tool's start-up takes), at most run_seconds.
wait_sent() {
    local deadline=$(($(now_ms) + run_seconds * 1000))
    while (($(sender_tx_bytes) - $1 < image_bytes * $2 / 100)) && (($(now_ms) < deadline)); do
        sleep 0.02
    done
}

# start_receiver TOOL I: in the background; writes "RC END_MS" to done-I when the receiver ends
# by itself. Sets RECEIVER_PID.
start_receiver() {
    local tool=$1 i=$2 ns
    ns=$(mc_receiver_ns "$i")
    case $tool in
    castline)
        (ip netns exec "$ns" "$CASTLINE_BIN/castline-imager" receive --interface eth0 --no-sync \
            --session "castline://$MC_SENDER_IP/bench" --target "$LAB_TMP/out/$i" \
            --timeout "$run_seconds" --progress none >"$LAB_TMP/recv-$i.log" 2>&1
         echo "$? $(now_ms)" >"$LAB_TMP/done-$i") &
        ;;
    udpcast)
        (ip netns exec "$ns" timeout -k 2 "$run_seconds" udp-receiver --interface eth0 --nokbd \
            --file "$LAB_TMP/out/$i" >"$LAB_TMP/recv-$i.log" 2>&1
         echo "$? $(now_ms)" >"$LAB_TMP/done-$i") &
        ;;
    uftp)
        mkdir -p "$LAB_TMP/out/d$i"
        UFTP_RECEIVER=$i ip netns exec "$ns" timeout -k 2 "$run_seconds" uftpd -d -I eth0 \
            -D "$LAB_TMP/out/d$i" -U "0x$(printf '%08x' "$i")" -s "$LAB_TMP/uftp-done.sh" \
            >"$LAB_TMP/recv-$i.log" 2>&1 &
        ;;
    esac
    RECEIVER_PID=$!
    LAB_PIDS+=("$RECEIVER_PID")
}

# start_sender TOOL CLIENTS: the sender waits for CLIENTS receivers. Sets SENDER_PID.
start_sender() {
    local tool=$1 clients=$2 late=$3
    case $tool in
    castline)
        local extra=()
        ((late)) && extra=(--constantcast)
        ip netns exec "$MC_SENDER" "$CASTLINE_BIN/castline" multicast send --interface eth0 \
            --file "$image" --session bench --clients "$clients" --rate $((cap * 95 / 100)) \
            --give-up "$run_seconds" "${extra[@]}" >"$LAB_TMP/sender.log" 2>&1 &
        ;;
    udpcast)
        ip netns exec "$MC_SENDER" timeout -k 2 "$run_seconds" udp-sender --interface eth0 --nokbd \
            --min-receivers "$clients" --file "$image" >"$LAB_TMP/sender.log" 2>&1 &
        ;;
    uftp)
        ip netns exec "$MC_SENDER" timeout -k 2 "$run_seconds" uftp -I eth0 -R $((cap * 950)) -Y none \
            -H "$(for ((i = 1; i <= n; i++)); do printf '0x%08x,' "$i"; done | sed 's/,$//')" \
            "$image" >"$LAB_TMP/sender.log" 2>&1 &
        ;;
    esac
    SENDER_PID=$!
    LAB_PIDS+=("$SENDER_PID")
}

# received TOOL I: the receiver's copy is the image
received() {
    local f="$LAB_TMP/out/$2"
    [[ $1 == uftp ]] && f="$LAB_TMP/out/d$2/$(basename "$image")"
    cmp -s "$image" "$f" 2>/dev/null
}

# run_scenario TOOL SCENARIO: prints "OTHERS_S SPECIAL BYTES_PER_IMAGE"
run_scenario() {
    local tool=$1 scenario=$2 i special=0 clients=$n late=0 pids=() start tx0 tx1
    rm -rf "$LAB_TMP/out" "$LAB_TMP"/done-*; mkdir -p "$LAB_TMP/out"
    case $scenario in
    slow)
        special=1
        ip netns exec "$MC_SW" tc qdisc add dev pr1 root tbf rate "$((cap / 4))mbit" burst 64kbit latency 50ms
        ;;
    late) special=$n clients=$((n - 1)) late=1 ;;
    killed) special=1 ;;
    ctl-drop)
        for ((i = 1; i <= n; i++)); do
            ip netns exec "$(mc_receiver_ns "$i")" nft add table inet ctl
            ip netns exec "$(mc_receiver_ns "$i")" nft add chain inet ctl c '{ type filter hook output priority 0; }'
            ip netns exec "$(mc_receiver_ns "$i")" nft add rule inet ctl c numgen inc mod 1000000 "<" 3 drop
        done
        ;;
    esac
    tx0=$(sender_tx_bytes)
    for ((i = 1; i <= n; i++)); do
        ((late && i == special)) && continue
        start_receiver "$tool" "$i"
        pids[i]=$RECEIVER_PID
    done
    [[ $tool == uftp ]] && sleep 0.5  # uftpd must listen before the announcement
    start=$(now_ms)
    start_sender "$tool" "$clients" "$late"
    case $scenario in
    late)
        wait_sent "$tx0" 50
        start_receiver "$tool" "$special"
        pids[special]=$RECEIVER_PID
        ;;
    killed)
        wait_sent "$tx0" 30
        kill_tree "${pids[special]}"
        ;;
    esac
    # The sender ends when its session does; uftpd never ends by itself: wait for the done files.
    local deadline=$(($(now_ms) + run_seconds * 1000))
    while kill -0 "$SENDER_PID" 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.1; done
    if [[ $tool == uftp ]]; then
        sleep 1
        for ((i = 1; i <= n; i++)); do kill_tree "${pids[i]}"; done
    fi
    wait "$SENDER_PID" 2>/dev/null || true
    for ((i = 1; i <= n; i++)); do wait "${pids[i]}" 2>/dev/null || true; done
    tx1=$(sender_tx_bytes)

    local others=0 all_others=1 special_text="-" end
    for ((i = 1; i <= n; i++)); do
        end=""
        [[ -s $LAB_TMP/done-$i ]] && end=$(awk '{print $2}' "$LAB_TMP/done-$i")
        if ((i == special)); then
            if [[ -n $end ]] && received "$tool" "$i"; then
                special_text="done at $(awk -v ms=$((end - start)) 'BEGIN { printf "%.2f", ms / 1000 }') s"
            else
                special_text="not done"
            fi
            continue
        fi
        if [[ -n $end ]] && received "$tool" "$i"; then
            ((end - start > others)) && others=$((end - start))
        else
            all_others=0
        fi
    done
    local others_text
    others_text=$(awk -v ms="$others" 'BEGIN { printf "%.2f", ms / 1000 }')
    ((all_others)) || others_text="not all done in ${run_seconds} s"
    ip netns exec "$MC_SW" tc qdisc del dev pr1 root 2>/dev/null || true
    for ((i = 1; i <= n; i++)); do ip netns exec "$(mc_receiver_ns "$i")" nft flush ruleset; done
    echo "$others_text|$special_text|$(awk -v t=$((tx1 - tx0)) -v b="$image_bytes" 'BEGIN { printf "%.3f", t / b }')"
}

echo "$n receivers, ${mib} MiB, sender capped at $cap Mbit/s: ideal $(awk -v ms="$ideal_ms" 'BEGIN { printf "%.2f", ms / 1000 }') s"
printf "| %-9s | %-9s | %-24s | %-8s | %-20s | %-11s |\n" scenario tool "others done (s)" "vs base" "special receiver" bytes/image
printf "| %-9s | %-9s | %-24s | %-8s | %-20s | %-11s |\n" --------- --------- ------------------------ -------- -------------------- -----------
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
against_base() { awk -v o="$1" -v b="$2" 'BEGIN { printf "%+.0f %%", (o / b - 1) * 100 }'; }  # OTHERS BASE
declare -A base
for scenario in $scenarios; do
    for tool in $tools; do
        times=""
        for ((run = 1; run <= runs; run++)); do
            run_scenario "$tool" "$scenario" >"$LAB_TMP/result"
            IFS='|' read -r others special ratio <"$LAB_TMP/result"
            [[ $others != not* ]] && times="$times $others"
            change="-"
            if [[ $scenario != base && -n ${base[$tool]:-} && $others != not* ]]; then
                change=$(against_base "$others" "${base[$tool]}")
            fi
            printf "| %-9s | %-9s | %-24s | %-8s | %-20s | %-11s |\n" "$scenario" "$tool" "$others" "$change" "$special" "$ratio"
        done
        # Later scenarios compare with the median of the base runs.
        [[ $scenario == base && -n $times ]] && base[$tool]=$(median <<<"$times")
        if ((runs > 1)); then
            done_runs=$(wc -w <<<"$times")
            summary="$done_runs/$runs runs with the others done"
            if ((done_runs > 0)); then
                m=$(median <<<"$times")
                summary="$summary, median $m s"
                [[ $scenario != base && -n ${base[$tool]:-} ]] &&
                    summary="$summary ($(against_base "$m" "${base[$tool]}") against base)"
            fi
            echo "summary $scenario $tool: $summary"
        fi
    done
done
