# castlined serves each host's iPXE script over HTTP and TFTP: kernel + initramfs for a host whose
# group images, a local boot for one that boots its disk, the unknown-host policy otherwise; a
# SIGHUP with a changed action changes the script at once.
source "$(dirname "$0")/lib.sh"

ns="${LAB_PREFIX}hs"
lab_veth_ns "$ns" hs0 198.18.30.1/24
mkdir -p "$LAB_TMP/boot" "$LAB_TMP/images"
# The scripts need the job, not the image; config check needs the file of an image hosts image from.
printf 'placeholder\n' >"$LAB_TMP/images/base.cimg"
config="$LAB_TMP/site.yaml"
write_config() {
    cat >"$config" <<YAML
version: 1
server: {interfaces: [hs0], data_dir: ./state, api_port: 0}
boot: {root: ./boot, tftp_port: 1069, http_port: 18080, unknown_hosts: local}
dhcp: {mode: off}
hosts:
  # With DHCP off, hosts[].address is the address the site's DHCP gives the host, the only one
  # its job token goes to; curl runs beside castlined, so here it is castlined's own.
  - {mac: "52:54:00:00:30:01", name: ws01, group: lab, address: 198.18.30.1}
  - {mac: "52:54:00:00:30:02", name: ws02, group: lab, action: local}
groups:
  lab: {action: $1, image: base, on_error: poweroff}
images:
  base: {path: ./images/base.cimg}
YAML
}
write_config image
lab_spawn "$LAB_TMP/castlined.log" ip netns exec "$ns" "$CASTLINE_BIN/castlined" --config "$config"
pid=$LAB_LAST_PID
lab_wait_for "$LAB_TMP/castlined.log" 'event=started' 20
get() { ip netns exec "$ns" curl -sf "$@"; }

script=$(get http://198.18.30.1:18080/ipxe/52-54-00-00-30-01.ipxe) || fail "no script over HTTP"
grep -q '^#!ipxe' <<<"$script" || fail "not an iPXE script: $script"
grep -q '^kernel http://198.18.30.1:18080/vmlinuz .*castline.server=198.18.30.1:18080' <<<"$script" || fail "no kernel line: $script"
grep -q '^initrd http://198.18.30.1:18080/initramfs' <<<"$script" || fail "no initrd line: $script"
grep -q '^kernel .* castline.token=[0-9a-f]\{32\} .*castline.on_error=poweroff' <<<"$script" || fail "no token or on_error: $script"
pass "an imaging host gets kernel + initramfs with the server on the command line (HTTP)"

tftp_script=$(get tftp://198.18.30.1:1069/ipxe/52-54-00-00-30-01.ipxe) || fail "no script over TFTP"
[[ $tftp_script == "$script" ]] || fail "TFTP and HTTP scripts differ"
pass "the same script over TFTP"

local_script=$(get http://198.18.30.1:18080/ipxe/52-54-00-00-30-02.ipxe)
grep -q 'sanboot --no-describe --drive 0x80' <<<"$local_script" || fail "no local boot: $local_script"
unknown=$(get http://198.18.30.1:18080/ipxe/52-54-00-00-30-99.ipxe)
grep -q 'sanboot' <<<"$unknown" || fail "unknown host not booted locally: $unknown"
pass "a host with action local, and an unknown host under unknown_hosts: local, boot their disk"

write_config local
kill -HUP "$pid"
lab_wait_for "$LAB_TMP/castlined.log" 'event=reloaded'
after=$(get http://198.18.30.1:18080/ipxe/52-54-00-00-30-01.ipxe)
grep -q 'sanboot' <<<"$after" || fail "reload did not change the script: $after"
pass "a reload changes the scripts at once"

code=$(ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}' http://198.18.30.1:18080/ipxe/not-a-mac.ipxe)
[[ $code == 404 ]] || fail "a bad script name got HTTP $code"
pass "a name that is not a MAC is 404"
