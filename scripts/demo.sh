#!/bin/bash
# Installs everything, builds, and runs castlined on config/examples/lab.yaml inside a lab network
# namespace with a lab0 interface on 198.18.0.1/24, until Ctrl-C (or DEMO_SECONDS). The namespace
# and all state are removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
ns="castline-demo-$$"
work="$(mktemp -d /tmp/castline-demo.XXXXXX)"
cleanup() {
  [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
  echo "demo: cleaned up namespace $ns"
}
trap cleanup EXIT
trap 'exit 0' INT TERM
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add lab0 type veth peer name lab1  # no dummy interfaces in every kernel
ip -n "$ns" addr add 198.18.0.1/24 dev lab0
ip -n "$ns" link set lab0 up
ip -n "$ns" link set lab1 up
cp config/examples/lab.yaml "$work/lab.yaml"
mkdir -p "$work/boot" "$work/images"
echo "demo: castlined on lab.yaml in namespace $ns (lab0 198.18.0.1/24); Ctrl-C stops it"
ip netns exec "$ns" build/release/bin/castlined --config "$work/lab.yaml" &
pid=$!
if [[ -n ${DEMO_SECONDS:-} ]]; then sleep "$DEMO_SECONDS"; else wait "$pid"; fi
