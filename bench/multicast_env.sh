# Shared start of the multicast benchmarks (source it): the release build, the peers, and the
# lab helpers that make the namespaces and delete them on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CASTLINE_BIN=${CASTLINE_BIN:-$root/build/release/bin}
export CASTLINE_SOURCE_DIR=$root
[[ -x $CASTLINE_BIN/castline && -x $CASTLINE_BIN/castline-imager ]] ||
    { echo "build first: bash scripts/build.sh release" >&2; exit 2; }
command -v udp-sender >/dev/null && command -v uftp >/dev/null ||
    { echo "needs udpcast and uftp (scripts/setup.sh)" >&2; exit 2; }
source "$root/tests/lab/lib.sh"
source "$root/tests/lab/multicast_lib.sh"
