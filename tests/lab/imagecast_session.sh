# An image over a multicast session (`castline multicast send --image`, `castline-imager
# restore|validate --session`): two receivers restore an encrypted Windows-like GPT image
# byte-equal to a file restore; a wrong session password, a wrong image password and a target
# too small are refused before anything is written; validate --session writes nothing; `receive`
# (plain files) refuses an image session.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/multicast_lib.sh"
source "$(dirname "$0")/windows_disk_lib.sh"
imager="$CASTLINE_BIN/castline-imager"

mc_topology 2
windows_fixtures "$LAB_TMP/fixtures"
make_windows_disk "$LAB_TMP/source.img" "$LAB_TMP/fixtures"
echo "image secret" >"$LAB_TMP/image.pw"
"$imager" capture --source "$LAB_TMP/source.img" --output "$LAB_TMP/base.cimg" \
    --password-file "$LAB_TMP/image.pw" --kdf-iterations 20000 --progress none >/dev/null
"$imager" restore --image "$LAB_TMP/base.cimg" --password-file "$LAB_TMP/image.pw" \
    --target "$LAB_TMP/want.img" --progress none >/dev/null

# receive I TARGET ARGS...: castline-imager restore --session in receiver I's namespace.
receive() {
    local i=$1 target=$2; shift 2
    lab_spawn "$LAB_TMP/recv-$i.log" ip netns exec "$(mc_receiver_ns "$i")" "$imager" restore \
        --session "castline://$MC_SENDER_IP/base" --target "$target" --progress lines "$@"
}
send() {
    mc_send "$LAB_TMP/send.log" --image "$LAB_TMP/base.cimg" --image-password-file "$LAB_TMP/image.pw" \
        --session base --password-file "$MC_PASSWORD_FILE" --give-up 120 "$@"
}

# 1. two receivers, verified, byte-equal to the file restore
send --clients 2
receive 1 "$LAB_TMP/r1.img" --session-password-file "$MC_PASSWORD_FILE" --password-file "$LAB_TMP/image.pw" --verify
r1=$LAB_LAST_PID
receive 2 "$LAB_TMP/r2.img" --session-password-file "$MC_PASSWORD_FILE" --password-file "$LAB_TMP/image.pw"
r2=$LAB_LAST_PID
for pid in $r1 $r2 $MC_SENDER_PID; do
    mc_wait "$pid" 120
    ((MC_RC == 0)) || fail "process $pid exited $MC_RC: $(tail -3 "$LAB_TMP"/recv-*.log "$LAB_TMP/send.log")"
done
for i in 1 2; do
    cmp -s "$LAB_TMP/want.img" "$LAB_TMP/r$i.img" || fail "receiver $i's disk differs from a file restore"
done
grep -qE '^progress phase=restore bytes_done=[0-9]+ bytes_total=[1-9][0-9]* ' "$LAB_TMP/recv-1.log" ||
    fail "no progress lines: $(head -5 "$LAB_TMP/recv-1.log")"
grep -q "verified" "$LAB_TMP/recv-1.log" || fail "receiver 1 did not say it verified"
pass "two receivers restored the encrypted image byte-equal to a file restore (one verified)"

# 2. refusals before any write: wrong session password, wrong image password, too small
echo wrong >"$LAB_TMP/wrong.pw"
expect_refusal() {  # expect_refusal CODE PATTERN TARGET ARGS...: one one-shot session each
    local code=$1 pattern=$2 target=$3; shift 3
    send --clients 1
    receive 1 "$target" "$@"
    mc_wait "$LAB_LAST_PID" 60
    ((MC_RC == code)) || fail "expected exit $code, got $MC_RC: $(cat "$LAB_TMP/recv-1.log")"
    grep -qiE "$pattern" "$LAB_TMP/recv-1.log" || fail "no /$pattern/ in: $(cat "$LAB_TMP/recv-1.log")"
    kill "$MC_SENDER_PID" 2>/dev/null || true
    wait "$MC_SENDER_PID" 2>/dev/null || true
}
expect_refusal 8 "password|refused" "$LAB_TMP/a.img" --session-password-file "$LAB_TMP/wrong.pw" \
    --password-file "$LAB_TMP/image.pw"
[[ ! -e $LAB_TMP/a.img ]] || fail "a wrong session password created the target"
expect_refusal 4 "password" "$LAB_TMP/b.img" --session-password-file "$MC_PASSWORD_FILE" \
    --password-file "$LAB_TMP/wrong.pw"
[[ ! -e $LAB_TMP/b.img ]] || fail "a wrong image password created the target"
head -c $((16 << 20)) /dev/urandom >"$LAB_TMP/small.img"
cp "$LAB_TMP/small.img" "$LAB_TMP/small.before"
expect_refusal 5 "too small|smaller|fit" "$LAB_TMP/small.img" --session-password-file "$MC_PASSWORD_FILE" \
    --password-file "$LAB_TMP/image.pw"
cmp -s "$LAB_TMP/small.img" "$LAB_TMP/small.before" || fail "the too-small target was written"
pass "wrong session password (8), wrong image password (4), target too small (5): refused, nothing written"

# 3. validate --session receives and checks every chunk, writes nothing
send --clients 1
lab_spawn "$LAB_TMP/validate.log" ip netns exec "$(mc_receiver_ns 2)" "$imager" validate \
    --session "castline://$MC_SENDER_IP/base" --session-password-file "$MC_PASSWORD_FILE" \
    --password-file "$LAB_TMP/image.pw" --progress none
mc_wait "$LAB_LAST_PID" 120
((MC_RC == 0)) || fail "validate --session exited $MC_RC: $(cat "$LAB_TMP/validate.log")"
grep -q "validated session base" "$LAB_TMP/validate.log" || fail "validate said: $(cat "$LAB_TMP/validate.log")"
mc_wait "$MC_SENDER_PID" 60
pass "validate --session checked every chunk"

# 4. receive (plain files) from an image session: refused before the target is created (3)
send --clients 1
lab_spawn "$LAB_TMP/plain.log" ip netns exec "$(mc_receiver_ns 1)" "$imager" receive \
    --session "castline://$MC_SENDER_IP/base" --password-file "$MC_PASSWORD_FILE" \
    --target "$LAB_TMP/plain.out" --progress none
mc_wait "$LAB_LAST_PID" 60
((MC_RC == 3)) || fail "receive from an image session exited $MC_RC: $(cat "$LAB_TMP/plain.log")"
grep -q "^castline-imager: .*does not send a plain file" "$LAB_TMP/plain.log" ||
    fail "unclear refusal: $(cat "$LAB_TMP/plain.log")"
[[ ! -e $LAB_TMP/plain.out ]] || fail "receive from an image session created the target"
kill "$MC_SENDER_PID" 2>/dev/null || true
wait "$MC_SENDER_PID" 2>/dev/null || true
pass "receive from an image session: refused (3), nothing written"
