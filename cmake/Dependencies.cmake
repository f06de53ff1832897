# Every dependency comes from Debian's -dev packages (scripts/install-deps.sh).
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS json)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
# libunbound's .pc file names libevent, which only its static library needs: find the shared library directly.
find_path(UNBOUND_INCLUDE_DIR unbound.h REQUIRED)
find_library(UNBOUND_LIBRARY unbound REQUIRED)
add_library(Unbound::Unbound UNKNOWN IMPORTED)
set_target_properties(Unbound::Unbound PROPERTIES IMPORTED_LOCATION ${UNBOUND_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${UNBOUND_INCLUDE_DIR})
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
find_path(TL_EXPECTED_INCLUDE_DIR tl/expected.hpp REQUIRED)
# Asio is used header-only with these switches; they must match in every TU.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_HAS_CO_AWAIT SPDLOG_FMT_EXTERNAL)
