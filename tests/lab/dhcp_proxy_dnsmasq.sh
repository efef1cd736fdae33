# Proxy mode beside a real DHCP server: dnsmasq hands out addresses (no boot options) and
# castlined answers only PXE clients, with the answers each firmware needs (docs/pxe.md):
# BIOS gets 43{6:8}+siaddr+file on 67; UEFI gets a bare OFFER then the file on 4011, back to the
# request's source port; iPXE gets its script URL; a non-PXE client and a corpus of malformed
# packets get nothing from castline, and castline survives them. Namespaces on 198.18.0.0/24.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dhcp_net.sh"
probe="$CASTLINE_SOURCE_DIR/tests/dhcp/dhcp_probe.py"

srv="${LAB_PREFIX}srv" dns="${LAB_PREFIX}dns" cli="${LAB_PREFIX}cli"
dhcp_lan "$srv"
dnsmasq_site_server "$srv" "$dns" 198.18.0.100 198.18.0.150
dhcp_attach "$srv" "$cli" c0
# Unknown hosts boot locally, so that castline answers the probe's made-up MACs.
cat >"$LAB_TMP/site.yaml" <<'YAML'
version: 1
server: {interfaces: [br0], data_dir: ./state, log_level: debug, api_port: 0}
boot: {root: ./boot, unknown_hosts: local}
dhcp: {mode: proxy}
YAML
castlined_start "$srv" "$LAB_TMP/castline.log" "$LAB_TMP/site.yaml"

in_cli() { ip netns exec "$cli" "$@"; }
from_castline() { grep '"from": "198.18.0.1:' "$1" || true; }
from_dnsmasq() { grep '"server_id": "198.18.0.2"' "$1" || true; }
json() { python3 -c "import json,sys; r=json.loads(sys.stdin.readline()); print($1)"; }

# BIOS PXE DISCOVER
in_cli python3 "$probe" discover --arch 0 --wait 2 >"$LAB_TMP/bios.json" || true
[[ -n $(from_dnsmasq "$LAB_TMP/bios.json") ]] || fail "dnsmasq did not offer an address"
reply=$(from_castline "$LAB_TMP/bios.json")
[[ -n $reply ]] || fail "castline did not answer the BIOS PXE DISCOVER"
[[ $(json 'r["type"], r["yiaddr"], r["siaddr"], r["file"], r["options"].get("43"), r["vendor_class"]' <<<"$reply") == \
   "2 0.0.0.0 198.18.0.1 undionly.kpxe 060108ff PXEClient" ]] || fail "BIOS offer: $reply"
pass "BIOS: dnsmasq offered an address, castline offered 43{6:8} + siaddr + undionly.kpxe"

# UEFI x64 (93 = 7): bare OFFER on 67, then the file on 4011
in_cli python3 "$probe" discover --arch 7 --wait 2 >"$LAB_TMP/uefi.json" || true
reply=$(from_castline "$LAB_TMP/uefi.json")
[[ -n $reply ]] || fail "castline did not answer the UEFI PXE DISCOVER"
[[ $(json 'r["siaddr"], r["file"] == "", "43" in r["options"]' <<<"$reply") == "198.18.0.1 True False" ]] ||
    fail "UEFI offer: $reply"
ip -n "$cli" addr add 198.18.0.77/24 dev c0
in_cli python3 "$probe" request4011 --server 198.18.0.1 --client-ip 198.18.0.77 --arch 7 \
    --wait 2 >"$LAB_TMP/uefi4011.json" || fail "no answer on 4011"
reply=$(head -1 "$LAB_TMP/uefi4011.json")
[[ $(json 'r["type"], r["from"], r["file"], r["siaddr"], r["vendor_class"], "97" in r["options"]' <<<"$reply") == \
   "5 198.18.0.1:4011 snponly.efi 198.18.0.1 PXEClient True" ]] || fail "4011 ACK: $reply"
pass "UEFI: bare OFFER on 67, ACK with snponly.efi on 4011 back to port 4011"

# iPXE (77 = "iPXE"): the per-host script, at once
in_cli python3 "$probe" discover --arch 0 --user-class iPXE --mac 52:54:00:00:00:42 --wait 2 \
    >"$LAB_TMP/ipxe.json" || true
reply=$(from_castline "$LAB_TMP/ipxe.json")
[[ $(json 'r["siaddr"], r["file"]' <<<"$reply") == \
   "198.18.0.1 http://198.18.0.1:8080/ipxe/52-54-00-00-00-42.ipxe" ]] || fail "iPXE offer: $reply"
pass "iPXE: script URL with siaddr"

# A non-PXE client: dnsmasq answers, castline stays silent
in_cli python3 "$probe" discover --plain --vendor "udhcp 1.35.0" --mac 52:54:00:00:00:43 \
    --wait 2 >"$LAB_TMP/plain.json" || true
[[ -n $(from_dnsmasq "$LAB_TMP/plain.json") ]] || fail "dnsmasq did not answer the plain client"
[[ -z $(from_castline "$LAB_TMP/plain.json") ]] || fail "castline answered a non-PXE client"
pass "non-PXE DISCOVER: no answer from castline"

# The malformed corpus, to 67 and 4011: no answer from castline, no crash
ip -n "$cli" addr flush dev c0
in_cli python3 "$probe" corpus "$CASTLINE_SOURCE_DIR/tests/dhcp/malformed" --port 67 --wait 1 \
    >"$LAB_TMP/corpus67.json"
ip -n "$cli" addr add 198.18.0.77/24 dev c0
in_cli python3 "$probe" corpus "$CASTLINE_SOURCE_DIR/tests/dhcp/malformed" --port 4011 --wait 1 \
    >"$LAB_TMP/corpus4011.json"
[[ -z $(from_castline "$LAB_TMP/corpus67.json") ]] || fail "castline answered a malformed packet on 67"
[[ -z $(from_castline "$LAB_TMP/corpus4011.json") ]] || fail "castline answered a malformed packet on 4011"
kill -0 "$castlined_pid" || fail "castline died on the corpus"
malformed=$(grep -c 'event=dhcp_malformed' "$LAB_TMP/castline.log" || true)
((malformed >= 17)) || fail "expected the decoder to refuse at least 17 packets on 67, saw $malformed"
ip -n "$cli" addr flush dev c0
in_cli python3 "$probe" discover --arch 0 --wait 2 >"$LAB_TMP/after.json" || true
[[ -n $(from_castline "$LAB_TMP/after.json") ]] || fail "castline stopped answering after the corpus"
pass "malformed corpus: $malformed refused by the decoder, no reply, still answering"

grep -q 'event=pxe_client_seen mac=52:54:00:00:00:01 arch=0' "$LAB_TMP/castline.log" ||
    fail "PXE client not recorded in the inventory"
castlined_stop
grep -q '^52:54:00:00:00:42	0	PXEClient' "$LAB_TMP/state/pxe-clients.tsv" || fail "inventory file lacks the iPXE client"
pass "PXE clients recorded in the data dir"
