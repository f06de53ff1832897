# Warnings as errors and hardened code generation (issue: foundation, point 1).
add_compile_options(-Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wformat=2 -Wformat-security)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # Keep -Wmismatched-new-delete an error: with g++ 12 it flags a class-type temporary (a braced list, a
  # capturing lambda) passed straight into a co_awaited coroutine call, which g++ 12 can miscompile into a
  # double free (seen in the SMTP session). Name the value first, then pass it. See docs/adr/0001.
  add_compile_options(-Wshadow=local)
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
