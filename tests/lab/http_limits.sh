# HTTP limits against clients that hold connections (docs/http.md, "Limits"): four clients that
# request a 40 MB file and never read hold their connections only until the send timeout; a
# fifth connection from the same address is closed at once (per-client cap) while another
# address downloads the file byte-equal; a connection that sends nothing is closed after the
# idle timeout. Real sockets from python3 in the client namespace, bounded in count and time.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tftp_lib.sh"

tftp_lab_network
OTHER_IP=198.18.3.3
ip -n "$CLI_NS" addr add "$OTHER_IP/24" dev "$CLI_IF"
random_file "$BOOT/big.bin" 40000000
printf 'small\n' >"$BOOT/small.txt"
BOOT_EXTRA='  http: {idle_timeout: 2s, send_timeout: 3s, max_connections_per_client: 4}'
tftp_start_castlined
out="$LAB_TMP/out"
mkdir -p "$out"

# hold.py COUNT SECONDS: COUNT connections with a 4 KiB receive buffer each ask for big.bin and
# never read; they are kept open for SECONDS, then closed.
cat >"$LAB_TMP/hold.py" <<'PY'
import socket, sys, time
host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
held = []
for _ in range(count):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, port))
    s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
    held.append(s)
print("holding", len(held), flush=True)
time.sleep(seconds)
PY
# probe.py MODE: "refused": a request on a new connection gets no answer, the server closes
# it; "idle": a connection that sends nothing is closed by the server, prints after how long.
cat >"$LAB_TMP/probe.py" <<'PY'
import socket, sys, time
host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), timeout=10)
start = time.monotonic()
if mode == "refused":
    try:
        s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        data = s.recv(100)
    except (ConnectionResetError, BrokenPipeError):
        data = b""
    print("answer" if data else "closed")
else:
    data = s.recv(100)
    print("%.2f %d" % (time.monotonic() - start, len(data)))
PY

lab_spawn "$LAB_TMP/hold.log" ip netns exec "$CLI_NS" python3 "$LAB_TMP/hold.py" "$SRV_IP" \
    "$HTTP_PORT" 4 12
lab_wait_for "$LAB_TMP/hold.log" '^holding 4' 10
result=$(cli python3 "$LAB_TMP/probe.py" "$SRV_IP" "$HTTP_PORT" refused)
[[ $result == closed ]] || fail "a fifth connection from $CLI_IP got an answer: $result"
lab_wait_for "$CASTLINED_LOG" 'event=http_connection_refused client=198.18.3.2:[0-9]+ reason="too many connections from this client"' 5
pass "the fifth connection from one address is closed at accept"

cli curl -sS -f --interface "$OTHER_IP" -o "$out/big" "http://$SRV_IP:$HTTP_PORT/big.bin"
same "$BOOT/big.bin" "$out/big" "download from another address while four clients stall"
pass "another client downloads the file while four connections never read"

deadline=$((SECONDS + 10))
until (($(grep -c 'event=http_send_timeout client=198.18.3.2' "$CASTLINED_LOG") == 4)); do
    ((SECONDS < deadline)) || fail "the stalled connections were not ended: $(grep -c http_send_timeout "$CASTLINED_LOG") of 4"
    sleep 0.1
done
kill -0 "$LAB_LAST_PID" 2>/dev/null || fail "the stalling clients ended before the server did"
cli curl -sS -f -o "$out/small" "http://$SRV_IP:$HTTP_PORT/small.txt"
same "$BOOT/small.txt" "$out/small" "download from the stalling address after the send timeout"
pass "stalled responses end after the 3 s send timeout and free the client's slots"

read -r waited bytes < <(cli python3 "$LAB_TMP/probe.py" "$SRV_IP" "$HTTP_PORT" idle)
((bytes == 0)) || fail "a silent connection got $bytes bytes"
python3 -c "import sys; t=float(sys.argv[1]); sys.exit(0 if 1.5 <= t <= 5 else 1)" "$waited" \
    || fail "a silent connection was closed after ${waited}s, expected about 2 s"
pass "a silent connection is closed after the idle timeout (${waited} s)"
kill -0 "$CASTLINED_PID" || fail "castlined exited"
