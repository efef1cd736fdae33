#!/bin/bash
# Configures and builds one flavour of castline. Usage: scripts/build.sh release|test|fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  test) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASTLINE_WERROR=ON -DCASTLINE_SANITIZE=ON) ;;
  fuzz) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASTLINE_FUZZ=ON
              -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
  *) echo "usage: scripts/build.sh release|test|fuzz" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavour" -G Ninja "${args[@]}" >/dev/null
if [[ $flavour == fuzz ]]; then
  cmake --build "build/$flavour" --target fuzz_targets
else
  cmake --build "build/$flavour"
fi
