# An encrypted image: the right password restores byte-equal; a wrong or missing password is
# refused as such (exit 4) and leaves the target's bytes untouched; the content is unreadable.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imager_lib.sh"

content="$LAB_TMP/content"
disk="$LAB_TMP/disk.img"
make_content "$content"
make_disk "$disk" "$content"

printf '%s\n' 'correct horse "battery" staple ünïcode $HOME \ ;' >"$LAB_TMP/pw"
printf 'correct horse\n' >"$LAB_TMP/wrong"
"${imager[@]}" capture --source "$disk" --output "$LAB_TMP/e.cimg" --raw --password-file "$LAB_TMP/pw" \
    --progress none >/dev/null || fail "encrypted capture failed"
if grep -q "castline imager lab test" "$LAB_TMP/e.cimg"; then fail "plaintext visible in the encrypted image"; fi
"${imager[@]}" info --image "$LAB_TMP/e.cimg" | grep -q "encrypted:       yes" || fail "info does not say encrypted"
pass "captured encrypted (default PBKDF2 iterations); content not visible"

target="$LAB_TMP/target.img"
head -c $((48 * 1024 * 1024)) /dev/urandom >"$target"
before=$(sha "$target")
expect_exit 4 "wrong password" "${imager[@]}" restore --image "$LAB_TMP/e.cimg" --target "$target" \
    --password-file "$LAB_TMP/wrong" --progress none
expect_exit 4 "encrypted.*--password-file" "${imager[@]}" restore --image "$LAB_TMP/e.cimg" --target "$target" \
    --progress none
expect_exit 4 "wrong password" "${imager[@]}" validate --image "$LAB_TMP/e.cimg" \
    --password-file "$LAB_TMP/wrong" --progress none
[[ $(sha "$target") == "$before" ]] || fail "the target changed after a refused restore"
pass "wrong and missing passwords refused with exit 4, target untouched"

"${imager[@]}" validate --image "$LAB_TMP/e.cimg" --password-file "$LAB_TMP/pw" --progress none >/dev/null \
    || fail "validate with the right password failed"
"${imager[@]}" restore --image "$LAB_TMP/e.cimg" --target "$target" --password-file "$LAB_TMP/pw" \
    --verify --progress none >/dev/null || fail "restore with the right password failed"
cmp -s "$disk" "$target" || fail "restored disk differs"
check_ext4_partition "$target" "$content"
pass "the right password restores byte-equal, e2fsck clean"
