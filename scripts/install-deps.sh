#!/usr/bin/env bash
# Installs everything Bulwark needs to build and test, from Debian 12's own packages. Idempotent.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache clang libclang-rt-14-dev git
  # libraries (Boost 1.81, not Debian's default 1.74: see ../shared/design/toolchain-notes.md)
  libboost1.81-dev libboost-json1.81-dev libssl-dev libsqlite3-dev libsodium-dev libseccomp-dev libidn2-dev
  libtomlplusplus-dev libcli11-dev libexpected-dev libfmt-dev libspdlog-dev libgtest-dev libgmock-dev
  libbenchmark-dev zlib1g-dev libunbound-dev
  # CalDAV / CardDAV: iCalendar (libical) and XML (expat, DTDs refused)
  libical-dev libexpat1-dev
  # test clients and tools
  python3 python3-pytest swaks curl openssl sqlite3 passwd isync
  # outbound delivery tests: a DNS server, receiving MTAs, an independent DKIM verifier (ed25519 needs nacl)
  python3-dnslib python3-aiosmtpd python3-dkim python3-nacl
  # TLS policy tests: a test CA made at test time (cryptography); DANE: a DNSSEC-signed zone (dnspython signs),
  # and Debian's root trust anchor for DNSSEC validation
  python3-cryptography python3-dnspython dns-root-data
  # CalDAV / CardDAV clients for the integration tests; radicale for bench/dav
  python3-caldav vdirsyncer khal radicale
)
# Peer servers for the side-by-side benchmarks (docs/benchmarks.md), not needed by CI: --bench adds them.
if [ "${1:-}" = --bench ]; then
  # postfix: scripts/bench-smtp.sh, scripts/bench-outbound.sh (and smtp-sink). cyrus-caldav (httpd) + cyrus-common
  # (master, lmtpd): the second CalDAV peer of bench/dav; sasl2-bin for saslpasswd2. Not cyrus-imapd: it conflicts
  # with dovecot-imapd, so bench/dav unpacks its imapd (dpkg-deb -x).
  PACKAGES+=(dovecot-imapd postfix cyrus-caldav cyrus-common sasl2-bin linux-perf)  # linux-perf: profiling under load
  # Postfix's own configuration question: "No configuration", so nothing of it listens on port 25.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
