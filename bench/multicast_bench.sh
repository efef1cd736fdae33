#!/bin/bash
# Multicast benchmark: castline against udp-sender/udp-receiver (udpcast, defaults and with
# --rexmit-hello-interval) and uftp/uftpd, the same file, in the same run, in network
# namespaces (198.18.0.0/24, a bridge, one namespace per receiver). The sender's link is capped
# with tbf so the ideal time is known; loss is nftables random drop of UDP at each receiver.
# Prints one table row per run: time until every receiver is done, bytes the sender put on the
# wire per image byte, sender CPU seconds.
#
# usage (root, release build): bash bench/multicast_bench.sh
#   MC_BENCH_RECEIVERS="2 8 16"  MC_BENCH_LOSS="0 10 50" (per mille)  MC_BENCH_MIB=32
#   MC_BENCH_TOOLS="castline udpcast udpcast-hello uftp"  MC_BENCH_RUN_SECONDS=120
#   MC_BENCH_RUNS=1 (runs per row; with more, a summary line per tool: runs in which every
#   receiver finished, median and worst time, worst bytes/image)
#   MC_BENCH_MTU=1500 (9000: jumbo frames on every link, and packets to match)
#   MC_BENCH_RATE_PERCENT=99 (the share of the cap castline and uftp are told to send at)
#   MC_BENCH_CAP (Mbit/s for every N instead of the caps below)
#   MC_BENCH_KEEP_LOGS=DIR (copies the logs of any run in which a receiver did not finish)
# Not part of the test suite.
source "$(dirname "$0")/multicast_env.sh"

receivers_list=${MC_BENCH_RECEIVERS:-"2 8 16"}
loss_list=${MC_BENCH_LOSS:-"0 10 50"}
tools=${MC_BENCH_TOOLS:-"castline udpcast udpcast-hello uftp"}
mib=${MC_BENCH_MIB:-32}
runs=${MC_BENCH_RUNS:-1}
mtu=${MC_BENCH_MTU:-1500}
run_seconds=${MC_BENCH_RUN_SECONDS:-120}
rate_percent=${MC_BENCH_RATE_PERCENT:-99}
max_receivers=0
for n in $receivers_list; do ((n > max_receivers)) && max_receivers=$n; done

mc_topology "$max_receivers"
if ((mtu != 1500)); then
    for link in $(ip -n "$MC_SW" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
        ip -n "$MC_SW" link set "$link" mtu "$mtu"
    done
    ip -n "$MC_SENDER" link set eth0 mtu "$mtu"
    for ((i = 1; i <= max_receivers; i++)); do ip -n "$(mc_receiver_ns "$i")" link set eth0 mtu "$mtu"; done
fi
packet_size=$((mtu - 28))  # IPv4 + UDP headers
# At 1500 the peers run with their own block sizes (udpcast 1456, uftp 1300); for jumbo frames
# every tool is told to fill them.
udpcast_size=() uftp_size=()
if ((mtu != 1500)); then udpcast_size=(--blocksize $((packet_size - 12))) uftp_size=(-b 8800); fi
image="$LAB_TMP/image.bin"
mc_image "$image" "$mib"
image_bytes=$((mib << 20))

# The cap this 2-core machine sustains for every receiver: 500 Mbit/s for two receivers, less
# as receivers (all on the same 2 cores, every datagram copied to each) multiply. Measured: at
# 1500-byte frames 8 receivers at 200 Mbit/s saturate both cores (every tool then runs at
# 1.6x its ideal time or worse), so 8 get 100 and 16 get 50.
cap_for() {
    if [[ -n ${MC_BENCH_CAP:-} ]]; then echo "$MC_BENCH_CAP"; return; fi
    local scale=1
    ((mtu >= 9000)) && scale=2
    if (($1 <= 2)); then echo $((500 * scale)); elif (($1 <= 8)); then echo $((100 * scale)); else echo $((50 * scale)); fi
}

set_cap() {
    ip netns exec "$MC_SENDER" tc qdisc del dev eth0 root 2>/dev/null || true
    ip netns exec "$MC_SENDER" tc qdisc add dev eth0 root tbf rate "${1}mbit" burst 256kbit latency 20ms
}

set_loss() {  # set_loss N PERMILLE
    local i
    for ((i = 1; i <= max_receivers; i++)); do
        ip netns exec "$(mc_receiver_ns "$i")" nft flush ruleset
        if ((i <= $1 && $2 > 0)); then mc_loss "$(mc_receiver_ns "$i")" "$2"; fi
    done
}

# What the sender put on the wire: bytes its switch port received.
sender_tx_bytes() { ip netns exec "$MC_SW" cat /sys/class/net/psnd/statistics/rx_bytes; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run_tool TOOL N CAP: prints "seconds ok_receivers tx_bytes cpu_seconds"
run_tool() {
    local tool=$1 n=$2 cap=$3 i pids=() out="$LAB_TMP/out" start ok=0 tx0 tx1 cpu sender_pid
    rm -rf "$out"; mkdir -p "$out"
    # The same rate for castline (Mbit/s, with decimals: 99 % of 50 is 49.5, not 49) and uftp (kbit/s).
    local rate_kbps=$((cap * rate_percent * 10))
    local rate_mbit
    rate_mbit=$(awk -v k="$rate_kbps" 'BEGIN { printf "%.3f", k / 1000 }')
    tx0=$(sender_tx_bytes)
    case $tool in  # receivers first
    castline)
        for ((i = 1; i <= n; i++)); do
            ip netns exec "$(mc_receiver_ns "$i")" "$CASTLINE_BIN/castline-imager" receive --interface eth0 \
                --session "castline://$MC_SENDER_IP/bench" --target "$out/$i" --timeout "$run_seconds" --no-sync \
                --progress none \
                >"$LAB_TMP/recv-$i.log" 2>&1 &
            pids+=($!)
        done
        ;;
    udpcast | udpcast-hello)
        for ((i = 1; i <= n; i++)); do
            ip netns exec "$(mc_receiver_ns "$i")" timeout -k 5 "$run_seconds" udp-receiver --interface eth0 --nokbd \
                --file "$out/$i" >"$LAB_TMP/recv-$i.log" 2>&1 &
            pids+=($!)
        done
        ;;
    uftp)
        for ((i = 1; i <= n; i++)); do
            mkdir -p "$out/d$i"
            ip netns exec "$(mc_receiver_ns "$i")" timeout -k 5 "$run_seconds" uftpd -d -I eth0 -D "$out/d$i" \
                -U "0x$(printf '%08x' "$i")" >"$LAB_TMP/recv-$i.log" 2>&1 &
            pids+=($!)
        done
        ;;
    esac
    sleep 0.5  # every receiver is up (uftpd must listen before the announcement)
    start=$(now_ms)
    case $tool in
    castline)
        ip netns exec "$MC_SENDER" /usr/bin/time -f "%U %S" -o "$LAB_TMP/cpu" "$CASTLINE_BIN/castline" multicast send \
            --interface eth0 --file "$image" --session bench --clients "$n" --rate "$rate_mbit" --packet-size "$packet_size" \
            --give-up "$run_seconds" >"$LAB_TMP/sender.log" 2>&1 &
        ;;
    udpcast | udpcast-hello)
        local extra=()
        [[ $tool == udpcast-hello ]] && extra=(--rexmit-hello-interval 100)
        ip netns exec "$MC_SENDER" /usr/bin/time -f "%U %S" -o "$LAB_TMP/cpu" timeout -k 5 "$run_seconds" udp-sender \
            --interface eth0 --nokbd --min-receivers "$n" --file "$image" "${udpcast_size[@]}" "${extra[@]}" \
            >"$LAB_TMP/sender.log" 2>&1 &
        ;;
    uftp)
        ip netns exec "$MC_SENDER" /usr/bin/time -f "%U %S" -o "$LAB_TMP/cpu" timeout -k 5 "$run_seconds" uftp \
            -I eth0 -R "$rate_kbps" -Y none "${uftp_size[@]}" -H "$(for ((i = 1; i <= n; i++)); do printf '0x%08x,' "$i"; done | sed 's/,$//')" \
            "$image" >"$LAB_TMP/sender.log" 2>&1 &
        ;;
    esac
    sender_pid=$!
    wait "$sender_pid" || true
    if [[ $tool == uftp ]]; then
        for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    fi
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    local seconds_ms=$(($(now_ms) - start))
    tx1=$(sender_tx_bytes)
    for ((i = 1; i <= n; i++)); do
        local f="$out/$i"
        [[ $tool == uftp ]] && f="$out/d$i/$(basename "$image")"
        cmp -s "$image" "$f" 2>/dev/null && ok=$((ok + 1))
    done
    cpu=$(tail -n 1 "$LAB_TMP/cpu" 2>/dev/null | awk '{printf "%.2f", $1 + $2}')
    if ((ok < n)) && [[ -n ${MC_BENCH_KEEP_LOGS:-} ]]; then  # keep the logs of a run that failed someone
        local keep="$MC_BENCH_KEEP_LOGS/$tool-n$n-$(date +%H%M%S)"
        mkdir -p "$keep" && cp "$LAB_TMP"/*.log "$keep/" 2>/dev/null || true
    fi
    echo "$((seconds_ms / 1000)).$(printf '%03d' $((seconds_ms % 1000))) $ok $((tx1 - tx0)) $cpu"
}

printf "%-14s %3s %6s %9s %9s %8s %8s %12s %8s\n" tool N loss cap_mbit ideal_s time_s done bytes/image cpu_s
for n in $receivers_list; do
    cap=$(cap_for "$n")
    set_cap "$cap"
    ideal=$(awk -v b="$image_bytes" -v c="$cap" 'BEGIN { printf "%.2f", b * 8 / (c * 1e6) }')
    for loss in $loss_list; do
        set_loss "$n" "$loss"
        for tool in $tools; do
            : >"$LAB_TMP/rows"
            for ((run = 1; run <= runs; run++)); do
                read -r seconds ok tx cpu < <(run_tool "$tool" "$n" "$cap")
                ratio=$(awk -v t="$tx" -v b="$image_bytes" 'BEGIN{printf "%.3f", t/b}')
                echo "$seconds $ok $ratio" >>"$LAB_TMP/rows"
                printf "%-14s %3d %5.1f%% %9d %9s %8s %5d/%-2d %12s %8s\n" "$tool" "$n" "$(awk -v l="$loss" 'BEGIN{print l/10}')" \
                    "$cap" "$ideal" "$seconds" "$ok" "$n" "$ratio" "$cpu"
            done
            if ((runs > 1)); then
                sort -n "$LAB_TMP/rows" | awk -v n="$n" -v tool="$tool" -v ideal="$ideal" '
                    { t[NR] = $1; if ($2 == n) full++; if ($3 > worst_ratio) worst_ratio = $3 }
                    END { printf "summary %-14s N=%d: %d/%d runs with every receiver done, median %.3f s (%.2fx ideal), worst %.3f s, worst bytes/image %.3f\n",
                          tool, n, full, NR, t[int((NR + 1) / 2)], t[int((NR + 1) / 2)] / ideal, t[NR], worst_ratio }'
            fi
        done
    done
done
