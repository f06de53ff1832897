#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: installs dependencies, builds, writes ./bulwark.toml (localhost
# ports, SQLite store in ./data, self-signed TLS), creates the demo domain example.org with the account
# demo@example.org and a random password, prints them and the ports, and runs the server in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
BIN=$PWD/build/src/app/bulwark

if [ ! -f bulwark.toml ]; then
  service_user=""
  data_dir="data"
  if [ "$(id -u)" -eq 0 ]; then
    # Started as root, the server drops to this unprivileged user after binding its ports; its data lives
    # where that user can reach it (a checkout under /root is not traversable by other users).
    id bulwark >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin bulwark
    service_user="bulwark"
    data_dir="/var/lib/bulwark"
  fi
  cat > bulwark.toml <<TOML
# Bulwark quick-start configuration: every key is documented in README.md, "Configuration".
data_dir = "${data_dir}"
hostname = "localhost"
user = "${service_user}"

[listen]
smtp = "127.0.0.1:2525"
submission = "127.0.0.1:2587"
submissions = "127.0.0.1:2465"
imap = "127.0.0.1:2143"
imaps = "127.0.0.1:2993"
http = "127.0.0.1:8080"
https = "127.0.0.1:8443"
TOML
  [ "$(id -u)" -eq 0 ] && chmod 0644 bulwark.toml
fi

if ! "$BIN" user list --config bulwark.toml | grep -q '^demo@example.org'; then
  "$BIN" domain list --config bulwark.toml | grep -qx example.org || "$BIN" domain add example.org --config bulwark.toml
  password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 16)
  echo "$password" | "$BIN" user add demo@example.org --password-stdin --name "Demo User" --config bulwark.toml
  echo "$password" > .demo-password
  chmod 600 .demo-password
fi

echo
echo "Demo account:  demo@example.org"
echo "Password:      $(cat .demo-password)"
"$BIN" config check --config bulwark.toml | grep '^listen:'
echo "Stop with Ctrl-C (SIGTERM drains connections). Admin commands: $BIN --help"
echo
exec "$BIN" serve --config bulwark.toml
