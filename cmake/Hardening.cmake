# Warnings as errors and hardened code generation (issue: foundation, point 1).
add_compile_options(-Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wformat=2 -Wformat-security)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # -Wmismatched-new-delete: g++ 12 reports Asio's coroutine frame allocator (awaitable_frame_base's sized
  # operator delete) as mismatched in some coroutines; it is a known false positive of g++ 12 with coroutines.
  add_compile_options(-Wshadow=local -Wno-mismatched-new-delete)
endif()
if(BULWARK_WERROR)
  add_compile_options(-Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Asio/Boost headers trip this under clang 14 only; it is not ours.
  add_compile_options(-Wno-unused-private-field)
endif()

set(CMAKE_POSITION_INDEPENDENT_CODE ON)
add_compile_options(-fstack-protector-strong -fPIE -fstack-clash-protection)
if(NOT BULWARK_SANITIZE AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  # _FORTIFY_SOURCE needs optimisation; sanitizer builds do their own checking.
  add_compile_definitions(_FORTIFY_SOURCE=2)
endif()
add_link_options(-pie -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)

if(BULWARK_SANITIZE)
  set(BULWARK_SAN_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # clang 14 + UBSan "function" check fails on Asio coroutines (toolchain-notes.md).
    list(APPEND BULWARK_SAN_FLAGS -fno-sanitize=function)
  endif()
  add_compile_options(${BULWARK_SAN_FLAGS})
  add_link_options(${BULWARK_SAN_FLAGS})
endif()

if(BULWARK_FUZZ)
  # Coverage instrumentation on every library, so libFuzzer sees inside the parsers, not just the entry point.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
