#!/bin/bash
# castline's main job as a demo. Installs everything, builds, then runs the imaging scenario of
# the end-to-end test in a private network namespace: castlined in full DHCP mode on its embedded
# lab defaults (tests/lab/netboot_lib.sh), the imaging boot media built from Debian's kernel, a
# captured Windows-like image, and two QEMU machines (one BIOS, one UEFI; software emulation)
# with blank disks that PXE-boot, join one multicast session, restore, get their own
# ComputerName by MAC and power off. Live job progress is shown while they work; everything is
# removed at the end, also on Ctrl-C. DEMO_SECONDS bounds the wait (default 900);
# DEMO_SKIP_BUILD=1 uses an existing build (CASTLINE_BIN, default build/release/bin).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
if [[ -z ${DEMO_SKIP_BUILD:-} ]]; then
    bash scripts/setup.sh
    bash scripts/build.sh release
fi
export CASTLINE_SOURCE_DIR=$here
export CASTLINE_BIN=${CASTLINE_BIN:-$here/build/release/bin}
source "$here/tests/lab/lib.sh"
source "$here/tests/lab/windows_disk_lib.sh"
source "$here/tests/lab/netboot_lib.sh"
trap 'exit 130' INT TERM

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

say "building the imaging boot media (Debian kernel, busybox, castline-imager) ..."
netboot_network
netboot_media
say "capturing a Windows-like GPT disk (ESP, NTFS with sysprep.inf and unattend.xml, ext4) ..."
netboot_image
netboot_config "  - {mac: \"52:54:00:d0:00:01\", name: DEMO-BIOS, group: lab, vars: {OrgName: Example}}
  - {mac: \"52:54:00:d0:00:02\", name: DEMO-UEFI, group: lab, vars: {OrgName: Example}}"
netboot_start_castlined
say "castlined runs in namespace $NETBOOT_NS on 198.18.0.1 (full DHCP, TFTP, HTTP, session 'line')"
netboot_vm demo-bios 52:54:00:d0:00:01 bios 128
netboot_vm demo-uefi 52:54:00:d0:00:02 uefi 128
say "two machines are PXE-booting (consoles in $LAB_TMP/demo-*.serial.log); progress:"

deadline=$((SECONDS + ${DEMO_SECONDS:-900}))
while kill -0 "$VM_PID_demo_bios" 2>/dev/null || kill -0 "$VM_PID_demo_uefi" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "the machines did not finish within ${DEMO_SECONDS:-900} s"
    printf '\033[2K--- %s s\n' "$SECONDS"
    castline_cli jobs 2>/dev/null || true
    sleep 3
done
say "both machines powered off; castlined's job list:"
castline_cli jobs
for vm in demo-bios demo-uefi; do
    disk_part "$LAB_TMP/$vm.disk" 2 "$LAB_TMP/p2.img"
    say "$vm: unattend.xml says $(ntfscat "$LAB_TMP/p2.img" Windows/Panther/unattend.xml |
        grep -o '<ComputerName>[^<]*</ComputerName>')"
done
say "done; removing the namespace, the machines' disks and castlined's state"
