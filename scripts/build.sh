#!/usr/bin/env bash
# Configures and builds one flavour of Bulwark.
#   scripts/build.sh release   -> build/        (g++, RelWithDebInfo, hardened, -Werror)
#   scripts/build.sh asan      -> build-asan/   (clang, ASan + UBSan)
#   scripts/build.sh fuzz      -> build-fuzz/   (clang, libFuzzer targets)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
jobs=$(nproc)
case "$flavour" in
  release) dir=build; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  # The sanitizer build uses clang, so every commit also builds with both compilers (g++ above).
  asan) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DBULWARK_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang) ;;
  fuzz) dir=build-fuzz; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DBULWARK_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang) ;;
  *) echo "usage: $0 release|asan|fuzz" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja -DBULWARK_SKIP_PARSERS= "${args[@]}" >/dev/null
if [ "$flavour" = fuzz ]; then
  targets=$(ninja -C "$dir" -t targets all | sed -n 's/^\([a-z0-9_]*_fuzz\): .*/\1/p' | sort -u)
  ninja -C "$dir" -j "$jobs" $targets
else
  ninja -C "$dir" -j "$jobs"
fi
echo "build: $flavour -> $dir"
