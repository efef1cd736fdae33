# `castline config check FILE...`: exit 0 and "ok" for valid files, 1 with every error on stderr
# as FILE:LINE:COL: key.path: message, 2 for bad usage. No network: it judges files alone.
source "$(dirname "$0")/lib.sh"

castline="$CASTLINE_BIN/castline"
source_examples="$CASTLINE_SOURCE_DIR/config/examples"

# The examples image hosts from images captured after the config is written: until then each
# such image is an error naming who images from it.
rc=0
"$castline" config check "$source_examples/lab.yaml" >/dev/null 2>"$LAB_TMP/uncaptured.err" || rc=$?
((rc == 1)) || fail "an example without its image exited $rc, expected 1"
grep -qF 'images.base.path: "'"$source_examples"'/images/base.cimg" does not exist but group "lab" (action: image) images from it' \
    "$LAB_TMP/uncaptured.err" || fail "the missing image is not named: $(cat "$LAB_TMP/uncaptured.err")"
pass "an image a group images from must exist (exit 1, naming the group)"

examples="$LAB_TMP/examples"
cp -r "$source_examples" "$examples"
mkdir -p "$examples/images"
for image in base win11-assembly win11-test; do echo captured >"$examples/images/$image.cimg"; done
"$castline" config check "$examples/lab.yaml" "$examples/factory-line.yaml" \
    >"$LAB_TMP/ok.out" 2>"$LAB_TMP/ok.err" || fail "the examples did not pass (rc=$?): $(cat "$LAB_TMP/ok.err")"
grep -q "lab.yaml: ok" "$LAB_TMP/ok.out" || fail "no ok line for lab.yaml"
grep -q "factory-line.yaml: ok (17 hosts" "$LAB_TMP/ok.out" || fail "no ok line for factory-line.yaml"
pass "the examples are valid once their images are captured (exit 0)"

# A boot tree that exists but lacks what the config serves: one warning per file, still exit 0.
mkdir -p "$examples/boot"
echo kernel >"$examples/boot/vmlinuz"
"$castline" config check "$examples/lab.yaml" >"$LAB_TMP/boot.out" 2>"$LAB_TMP/boot.err" \
    || fail "missing boot files failed the check: $(cat "$LAB_TMP/boot.err")"
grep -qF ': warning: boot.initramfs: "initramfs" is not a file in boot.root' "$LAB_TMP/boot.err" \
    || fail "the missing initramfs is not warned about: $(cat "$LAB_TMP/boot.err")"
grep -qF ': warning: boot.loaders.bios: "undionly.kpxe" is not a file in boot.root' "$LAB_TMP/boot.err" \
    || fail "the missing BIOS loader is not warned about: $(cat "$LAB_TMP/boot.err")"
! grep -q 'boot.kernel' "$LAB_TMP/boot.err" || fail "the kernel that is there was warned about"
grep -q "lab.yaml: ok (2 hosts, 5 warnings)" "$LAB_TMP/boot.out" || fail "unexpected summary: $(cat "$LAB_TMP/boot.out")"
pass "each served boot file the tree lacks is a warning"

# Counts read as words: one host, one warning.
mkdir -p "$LAB_TMP/one/boot"
cat >"$LAB_TMP/one/site.yaml" <<'YAML'
version: 1
server: {interfaces: [lo], data_dir: ./state}
dhcp: {mode: off}
boot: {root: ./missing-boot, tftp_port: 0, http_port: 0}
hosts: [{mac: "52:54:00:00:0b:01", name: one}]
YAML
"$castline" config check "$LAB_TMP/one/site.yaml" >"$LAB_TMP/one.out" 2>"$LAB_TMP/one.err" \
    || fail "a one-host config failed: $(cat "$LAB_TMP/one.err")"
grep -qF "site.yaml: ok (1 host, 1 warning)" "$LAB_TMP/one.out" || fail "one-host summary: $(cat "$LAB_TMP/one.out" "$LAB_TMP/one.err")"
pass "one host and one warning are counted in the singular"

# A tab in the indentation is named as such, at the tab.
printf 'version: 1\nserver:\n\tinterfaces: [lo]\n' >"$LAB_TMP/tab.yaml"
rc=0
"$castline" config check "$LAB_TMP/tab.yaml" 2>"$LAB_TMP/tab.err" || rc=$?
((rc == 1)) || fail "a tab exited $rc, expected 1"
grep -qF "$LAB_TMP/tab.yaml:3:1: YAML syntax error: a tab in the indentation, expected spaces" "$LAB_TMP/tab.err" \
    || fail "the tab is not named: $(cat "$LAB_TMP/tab.err")"
pass "a tab in the indentation is named at its line and column"

# An interface that does not exist on this machine is not the check's business.
cat >"$LAB_TMP/elsewhere.yaml" <<'YAML'
version: 1
server: {interfaces: [castline-nx0]}
boot: {root: ./boot}
YAML
"$castline" config check "$LAB_TMP/elsewhere.yaml" >/dev/null 2>&1 || fail "a missing interface failed the check"
pass "a config for another machine passes"

cat >"$LAB_TMP/bad.yaml" <<'YAML'
version: 1
server:
  interfaces: [lab0]
  log_levl: info
boot: {root: ./boot}
hosts:
  - mac: "52:54:00:00:00:01"
    name: ws01
  - mac: "52:54:00:zz:00:01"
    name: ws02
    group: nowhere
YAML
rc=0
"$castline" config check "$LAB_TMP/bad.yaml" >"$LAB_TMP/bad.out" 2>"$LAB_TMP/bad.err" || rc=$?
((rc == 1)) || fail "an invalid config exited $rc, expected 1"
bad="$LAB_TMP/bad.yaml"
grep -qxF "$bad:4:3: server.log_levl: unknown key \"log_levl\" (did you mean \"log_level\"?), expected interfaces, data_dir, log_level, api_port or history_keep" "$LAB_TMP/bad.err" \
    || fail "unknown key not reported as expected: $(cat "$LAB_TMP/bad.err")"
grep -qxF "$bad:9:10: hosts[1].mac: \"52:54:00:zz:00:01\" is not a MAC address, expected six hex octets like 52:54:00:12:34:56" "$LAB_TMP/bad.err" \
    || fail "bad MAC not reported as expected: $(cat "$LAB_TMP/bad.err")"
grep -qF "$bad: 2 errors" "$LAB_TMP/bad.err" || fail "no error count"
[[ ! -s "$LAB_TMP/bad.out" ]] || fail "an invalid config printed to stdout"
pass "an invalid config exits 1 with every error on stderr"

# The state folder inside the served tree would hand job tokens and leases to the boot LAN.
mkdir -p "$LAB_TMP/served/boot"
cat >"$LAB_TMP/served/site.yaml" <<'YAML'
version: 1
server: {interfaces: [lab0], data_dir: ./boot/state}
boot: {root: ./boot}
YAML
rc=0
"$castline" config check "$LAB_TMP/served/site.yaml" >/dev/null 2>"$LAB_TMP/served.err" || rc=$?
((rc == 1)) || fail "a data_dir inside boot.root exited $rc, expected 1"
grep -q "^$LAB_TMP/served/site.yaml:2:40: server.data_dir: .* is inside boot.root .*, which TFTP and HTTP serve" \
    "$LAB_TMP/served.err" || fail "data_dir inside boot.root not reported: $(cat "$LAB_TMP/served.err")"
pass "a data_dir inside boot.root is refused"

# One bad file among good ones fails the whole check but every file is judged.
rc=0
"$castline" config check "$examples/lab.yaml" "$bad" >"$LAB_TMP/mixed.out" 2>/dev/null || rc=$?
((rc == 1)) || fail "a mixed check exited $rc, expected 1"
grep -q "lab.yaml: ok" "$LAB_TMP/mixed.out" || fail "the good file was not judged"
pass "several files: each judged, exit 1 if any is invalid"

for args in "config" "config check" "config frobnicate x.yaml"; do
    rc=0
    # shellcheck disable=SC2086
    "$castline" $args >/dev/null 2>"$LAB_TMP/usage.err" || rc=$?
    ((rc == 2)) || fail "'castline $args' exited $rc, expected 2"
    grep -q "usage: castline config check" "$LAB_TMP/usage.err" || fail "no usage for '$args'"
done
pass "bad usage exits 2 with the usage"

rc=0
"$castline" config check "$LAB_TMP/missing.yaml" 2>"$LAB_TMP/missing.err" || rc=$?
((rc == 1)) || fail "a missing file exited $rc, expected 1"
grep -qF "$LAB_TMP/missing.yaml:1:1: the file does not exist" "$LAB_TMP/missing.err" || fail "missing file not named"
pass "a missing file exits 1 and is named"
