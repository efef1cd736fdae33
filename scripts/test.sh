#!/bin/bash
# Installs everything, builds with sanitizers, and runs every test: unit, lab and fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh test
ctest --test-dir build/test --output-on-failure -j2 "$@"
bash scripts/build.sh fuzz
CASTLINE_FUZZ_SECONDS=${CASTLINE_FUZZ_SECONDS:-10} ctest --test-dir build/fuzz --output-on-failure -j2
