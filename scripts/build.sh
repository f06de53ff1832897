#!/usr/bin/env bash
# Configures and builds one flavour of Bulwark.
#   scripts/build.sh release   -> build/        (g++, RelWithDebInfo, hardened, -Werror)
#   scripts/build.sh asan      -> build-asan/   (g++, ASan + UBSan)
#   scripts/build.sh fuzz      -> build-fuzz/   (clang: the whole tree, instrumented, plus libFuzzer targets)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
jobs=$(nproc)
case "$flavour" in
  release) dir=build; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  # g++ for the sanitizer build: the release binary's compiler is the one whose code ASan should watch
  # (g++ 12 has coroutine bugs clang does not). The fuzz flavour builds the whole tree with clang.
  asan) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DBULWARK_SANITIZE=ON -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc) ;;
  fuzz) dir=build-fuzz; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DBULWARK_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang) ;;
  *) echo "usage: $0 release|asan|fuzz" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja -DBULWARK_SKIP_PARSERS= "${args[@]}" >/dev/null
ninja -C "$dir" -j "$jobs"
echo "build: $flavour -> $dir"
