# Wake-on-LAN and a scheduled rollout end to end (issue 8): castlined's schedule starts a rollout
# at a set time; the rollout wakes its host; a listener on the lab's switch plays the machine's
# NIC and starts that QEMU machine when it sees the machine's magic packet; the machine
# PXE-boots, restores by multicast, and the rollout run ends succeeded with the host done in
# castlined's history. The host's own action is local: the rollout alone has it imaged.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/windows_disk_lib.sh"
source "$(dirname "$0")/netboot_lib.sh"

mac=52:54:00:c5:00:21
netboot_network
netboot_media
netboot_image
# A once-schedule 40 s from now (UTC, to the second): enough for castlined to start and load.
at=$(date -u -d '+40 seconds' '+%Y-%m-%d %H:%M:%S')
# The host's own action is local: only the rollout has it imaged.
netboot_config "  - {mac: \"$mac\", name: LAB-WOL, group: single, action: local, vars: {OrgName: Example}}" \
"rollouts:
  night: {hosts: [LAB-WOL], wave_size: 1, time_limit: 15m}
schedules:
  tonight: {kind: once, at: \"$at\", rollout: night}"
netboot_start_castlined
pass "castlined up; schedule tonight starts rollout night at $at UTC"

# The listener: every frame on br0 (the bridge sees what castlined sends); the machine "powers
# on" at the first frame holding its magic packet, as a UDP datagram or a raw 0x0842 frame.
cat >"$LAB_TMP/listen.py" <<'PY'
import socket, sys, time
mac = bytes.fromhex(sys.argv[1].replace(":", ""))
magic = b"\xff" * 6 + mac * 16
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
s.bind((sys.argv[2], 0))
s.settimeout(1)
deadline = time.time() + float(sys.argv[3])
while time.time() < deadline:
    try:
        frame = s.recv(65536)
    except socket.timeout:
        continue
    if magic in frame:
        kind = "raw EtherType 0x0842" if frame[12:14] == b"\x08\x42" else "UDP"
        print(f"magic packet for {sys.argv[1]} ({kind}) at {time.strftime('%H:%M:%S', time.gmtime())}", flush=True)
        sys.exit(0)
sys.exit(1)
PY
lab_spawn "$LAB_TMP/listen.log" ip netns exec "$NETBOOT_NS" python3 "$LAB_TMP/listen.py" "$mac" br0 120
listener=$LAB_LAST_PID
wait "$listener" || fail "no magic packet for $mac within 120 s: $(tail -5 "$NETBOOT_LOG")"
woke_at=$(date -u '+%Y-%m-%d %H:%M:%S')
[[ $woke_at > "$at" || $woke_at == "$at" ]] || fail "woken at $woke_at, before the schedule's $at"
grep -q 'event=schedule_started\|event=rollout_started' "$NETBOOT_LOG" || fail "castlined did not log the scheduled start"
pass "$(cat "$LAB_TMP/listen.log"), not before $at"

start=$SECONDS
netboot_vm lab-wol "$mac" bios 128
netboot_wait_off lab-wol 600
pass "the woken machine PXE-booted, imaged and powered off in $((SECONDS - start)) s"

status=$(castline_cli rollout status night)
echo "$status"
grep -q 'run 1: succeeded' <<<"$status" || fail "the rollout did not succeed: $status"
grep -qE "$mac +LAB-WOL +done" <<<"$status" || fail "LAB-WOL is not done in the run: $status"
history=$(castline_cli history LAB-WOL)
grep -qE 'night .*LAB-WOL +done' <<<"$history" || fail "history has no done run for LAB-WOL: $history"
sgdisk -p "$LAB_TMP/source.img" | sed -n '/^Number/,$p' >"$LAB_TMP/table.want"
sgdisk -p "$LAB_TMP/lab-wol.disk" | sed -n '/^Number/,$p' | cmp -s - "$LAB_TMP/table.want" ||
    fail "the machine's disk does not hold the image's partition table"
pass "rollout night succeeded, LAB-WOL done in the run and in the history, its disk holds the image"

in_ns curl -sf "http://$NETBOOT_SERVER:8080/ipxe/${mac//:/-}.ipxe" | grep -q sanboot ||
    fail "after the run, LAB-WOL's next boot is not its own action (local)"
pass "after the run the host boots by its own action again (local)"
