#!/usr/bin/env bash
# IMAP side by side: Bulwark vs Dovecot 2.3 (Maildir), one client (bench/imap/imap_load) in one run on one machine,
# the same generated 10,000-message mailbox (bench/imap/generate_mailbox.py) in both. docs/benchmarks.md, "IMAP".
#
# Needs root (Dovecot's master drops to its users; mail is owned by vmail), dovecot-imapd, and the two binaries:
#   BULWARK_BIN  (default ./build/src/app/bulwark)   IMAP_LOAD (default ./build/bench/imap/imap_load)
# Knobs (environment):
#   PHASES="fetch search mixed idle"  CLIENTS="1 20 100"  MIXED_SECONDS=20  IDLE_CONNECTIONS="1000 10000"
#   IDLE_SELECT=INBOX (the mailbox each idle connection selects before IDLE; empty: IDLE unselected)
#   FETCH_OPENS=6 (open 1 is the first open; the median of the others is the second-open figure)
#   SEARCH_REPEAT=3  SEARCH_WORD=quarterly  COUNT=10000 (messages)  SEED=1
#   WORK=/var/tmp/imapbench: the generated mailbox (WORK/mbox) and the loaded servers (WORK/loaded-COUNT-SEED) are
#     kept there and reused by later runs; every run works on a fresh copy of the loaded state, so the first
#     FETCH of a run is a real first open for both servers. Delete WORK to start over.
#   SEARCH_INDEX=build (default): before the servers start, `bulwark search-index build` fills Bulwark's search index
#     (docs/search-index.md; as `doveadm index` would for Dovecot FTS, which this Dovecot has not) and its time and
#     size are reported; off: [search] index = false (every SEARCH BODY reads every message); lazy: neither.
#   LOAD_ONLY=bulwark|dovecot (only load that server's pristine state, then exit)
#   KEEP=1 (keep the run directory)  RESULTS=FILE (copy the raw JSON lines there)
#
# Everything listens on 127.0.0.1 only, on free ports. Everything started here is stopped at exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BULWARK_BIN=${BULWARK_BIN:-$ROOT/build/src/app/bulwark}
IMAP_LOAD=${IMAP_LOAD:-$ROOT/build/bench/imap/imap_load}
PHASES=${PHASES:-"fetch search mixed idle"}
CLIENTS=${CLIENTS:-"1 20 100"}
MIXED_SECONDS=${MIXED_SECONDS:-20}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-"1000 10000"}
IDLE_SELECT=${IDLE_SELECT-INBOX}
SEARCH_WORD=${SEARCH_WORD:-quarterly}
FETCH_OPENS=${FETCH_OPENS:-6}
SEARCH_REPEAT=${SEARCH_REPEAT:-3}
COUNT=${COUNT:-10000}
SEED=${SEED:-1}
SEARCH_INDEX=${SEARCH_INDEX:-build}
WORK=${WORK:-/var/tmp/imapbench}
PEERS=${PEERS:-/work/shared/peers}
PY=/usr/bin/python3
USER_NAME=bench@example.org
PASSWORD=bench-password
# Connection limits for 10,000 idle connections (and some room), on both servers.
MAX_CONN=20000

die() { echo "bench-imap: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (Dovecot instance)"
[ "${LOAD_ONLY:-}" = dovecot ] || [ -x "$BULWARK_BIN" ] || die "no bulwark binary at $BULWARK_BIN"
[ -x "$IMAP_LOAD" ] || die "no imap_load binary at $IMAP_LOAD"
command -v dovecot >/dev/null || die "dovecot not installed (DEBIAN_FRONTEND=noninteractive apt-get install dovecot-imapd)"
# One socket per connection in the client and in Bulwark; Dovecot's log process keeps a pipe per imap process.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 12000 ] || die "open file limit $(ulimit -n) is below 12000"

getent passwd vmail >/dev/null || useradd -r -M -d /nonexistent -s /usr/sbin/nologin vmail
VUID=$(id -u vmail); VGID=$(id -g vmail)

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # wait_port PORT: until something accepts on 127.0.0.1:PORT (30 s at most)
  for _ in $(seq 300); do
    "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$1)))" && return 0
    sleep 0.1
  done
  die "nothing listening on 127.0.0.1:$1"
}

# --- servers: write_configs DIR BULWARK_PORT DOVECOT_PORT; start_servers DIR; stop_servers
write_configs() {
  local dir=$1
  mkdir -p "$dir/bulwark" "$dir/dovecot"
  # Bulwark: plain IMAP on loopback (allow_plaintext_auth_on_loopback, its default), connection limits raised,
  # a cheap password hash (Dovecot's passwords are {PLAIN}; the benchmark is not about login cost).
  cat > "$dir/bulwark/bulwark.toml" <<EOF
data_dir = "$dir/bulwark/data"
hostname = "mail.bench.local"
user = ""
log_level = "info"
allow_plaintext_auth_on_loopback = true
[listen]
imap = "127.0.0.1:$2"
[limits]
max_connections = $MAX_CONN
max_connections_per_ip = $MAX_CONN
[auth]
hash_memory = "64K"
hash_passes = 1
[search]
index = $([ "$SEARCH_INDEX" = off ] && echo false || echo true)
EOF
  # Dovecot: the peer template (high-performance login settings) plus the limits 10,000 connections need.
  sed -e "s|@DIR@|$dir/dovecot|g" -e "s|@IMAP_PORT@|$3|g" -e "s|@LMTP_PORT@|0|g" \
      -e "s|^first_valid_uid = .*|first_valid_uid = $VUID|" -e "s|^last_valid_uid = .*|last_valid_uid = $VUID|" \
      -e "s|mail_max_userip_connections = .*|mail_max_userip_connections = $MAX_CONN|" \
      "$PEERS/dovecot.conf.in" > "$dir/dovecot/dovecot.conf"
  sed -i -e 's/^protocols = imap lmtp/protocols = imap/' "$dir/dovecot/dovecot.conf"
  cat >> "$dir/dovecot/dovecot.conf" <<EOF
# --- bench-imap.sh: room for $MAX_CONN connections (one imap process per connection, Dovecot's default)
default_client_limit = $MAX_CONN
service imap {
  client_limit = 1
  process_limit = $MAX_CONN
}
service anvil {
  client_limit = $((MAX_CONN + 1000))
}
service auth {
  client_limit = $((MAX_CONN + 1000))
}
EOF
  echo "bench:{PLAIN}$PASSWORD" > "$dir/dovecot/passwd"
  mkdir -p "$dir/dovecot/mail" "$dir/dovecot/run" "$dir/dovecot/state"
  chown "$VUID:$VGID" "$dir/dovecot/mail"
  chmod 755 "$dir" "$dir/dovecot"
}

BULWARK_PID= DOVECOT_PID=
start_bulwark() {
  "$BULWARK_BIN" serve --config "$1/bulwark/bulwark.toml" > "$1/bulwark/server.log" 2>&1 &
  BULWARK_PID=$!
  for _ in $(seq 300); do grep -q 'ready:' "$1/bulwark/server.log" && break
    kill -0 "$BULWARK_PID" 2>/dev/null || { cat "$1/bulwark/server.log" >&2; die "bulwark exited"; }; sleep 0.1; done
  wait_port "$BPORT"
}
start_dovecot() {
  dovecot -F -c "$1/dovecot/dovecot.conf" > "$1/dovecot/stderr.log" 2>&1 &
  DOVECOT_PID=$!
  wait_port "$DPORT"
}
stop_servers() {
  [ -n "$BULWARK_PID" ] && kill -TERM "$BULWARK_PID" 2>/dev/null && wait "$BULWARK_PID" 2>/dev/null
  [ -n "$DOVECOT_PID" ] && kill -TERM "$DOVECOT_PID" 2>/dev/null && wait "$DOVECOT_PID" 2>/dev/null
  BULWARK_PID= DOVECOT_PID=
  return 0
}
RUN=
cleanup() {
  set +e
  stop_servers
  if [ -n "$RUN" ]; then
    if [ -n "${KEEP:-}" ]; then echo "kept $RUN" >&2; else rm -rf "$RUN"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BPORT=$(free_port); DPORT=$(free_port)
while [ "$DPORT" = "$BPORT" ]; do DPORT=$(free_port); done
TARGETS=(--user "$USER_NAME" --pass "$PASSWORD")

# --- 1. the mailbox (generated once)
MBOX=$WORK/mbox-$COUNT-$SEED
mkdir -p "$WORK"
exec 9>"$WORK/.lock"
flock -n 9 || die "another bench-imap.sh is using $WORK"
if [ ! -s "$MBOX/index.tsv" ]; then
  echo "bench-imap: generating $COUNT messages into $MBOX" >&2
  rm -rf "$MBOX"
  "$PY" "$ROOT/bench/imap/generate_mailbox.py" "$MBOX.tmp" --count "$COUNT" --seed "$SEED" >&2
  mv "$MBOX.tmp" "$MBOX"
fi

# --- 2. both servers loaded once by APPEND (the path a client uses), kept as the pristine state
load_one() {  # load_one bulwark|dovecot: APPEND the mailbox into one server of $LOADED (once)
  [ -e "$LOADED/$1.loaded" ] && return 0
  echo "bench-imap: loading $1 in $LOADED (once)" >&2
  if [ "$1" = bulwark ]; then
    rm -rf "$LOADED/bulwark/data"
    "$BULWARK_BIN" domain add example.org --config "$LOADED/bulwark/bulwark.toml" >/dev/null
    printf '%s\n' "$PASSWORD" | "$BULWARK_BIN" user add "$USER_NAME" --password-stdin \
      --config "$LOADED/bulwark/bulwark.toml" >/dev/null
    start_bulwark "$LOADED"; port=$BPORT
  else
    rm -rf "$LOADED/dovecot/mail/bench"
    start_dovecot "$LOADED"; port=$DPORT
  fi
  # One connection: the messages get the same UIDs, in the same order, on both servers.
  "$IMAP_LOAD" append --dir "$MBOX" --connections 1 --target "$1:$port" "${TARGETS[@]}" | tee "$LOADED/$1.append.jsonl" >&2
  stop_servers
  touch "$LOADED/$1.loaded"
}
LOADED=$WORK/loaded-$COUNT-$SEED
write_configs "$LOADED" "$BPORT" "$DPORT"   # (configs only: the ports change from run to run)
for server in ${LOAD_ONLY:-bulwark dovecot}; do load_one "$server"; done
[ -n "${LOAD_ONLY:-}" ] && exit 0

# --- 3. a run on a fresh copy
RUN=$(mktemp -d "$WORK/run.XXXXXX")
write_configs "$RUN" "$BPORT" "$DPORT"
cp -a "$LOADED/bulwark/data" "$RUN/bulwark/"
cp -a "$LOADED/dovecot/mail/." "$RUN/dovecot/mail/"
if [ "$SEARCH_INDEX" = build ]; then
  t0=$(date +%s.%N)
  "$BULWARK_BIN" search-index build --config "$RUN/bulwark/bulwark.toml" >&2
  t1=$(date +%s.%N)
  mail_db=$(du -cb "$RUN"/bulwark/data/accounts/*/mail.db* | tail -1 | cut -f1)
  search_db=$(du -cb "$RUN"/bulwark/data/accounts/*/search.db* | tail -1 | cut -f1)
  blobs=$(du -sb "$RUN/bulwark/data" | cut -f1)
  echo "bench-imap: search index built in $(echo "$t1 - $t0" | bc) s; search.db $search_db bytes, mail.db $mail_db bytes, data_dir $blobs bytes" | tee -a "$RUN/report.md" >&2
fi
sync
start_bulwark "$RUN"; start_dovecot "$RUN"
BT="bulwark:$BPORT:$BULWARK_PID"; DT="dovecot:$DPORT:$DOVECOT_PID"
RES=$RUN/results.jsonl
echo "bench-imap: run $RUN; bulwark :$BPORT (pid $BULWARK_PID), dovecot :$DPORT (pid $DOVECOT_PID)" >&2
echo "bench-imap: start $(date -u +%FT%TZ) uptime: $(uptime)" | tee -a "$RUN/report.md" >&2
for phase in $PHASES; do
  echo "bench-imap: $phase, load average before: $(uptime | sed 's/.*load average: //')" | tee -a "$RUN/report.md" >&2
  case $phase in
    fetch) "$IMAP_LOAD" fetch-all --opens "$FETCH_OPENS" --target "$BT" --target "$DT" "${TARGETS[@]}" ;;
    search) "$IMAP_LOAD" search --word "$SEARCH_WORD" --repeat "$SEARCH_REPEAT" --target "$BT" --target "$DT" "${TARGETS[@]}" ;;
    mixed) "$IMAP_LOAD" mixed --clients "$CLIENTS" --seconds "$MIXED_SECONDS" --target "$BT" --target "$DT" "${TARGETS[@]}" ;;
    idle) "$IMAP_LOAD" idle --connections "$IDLE_CONNECTIONS" --idle-select "$IDLE_SELECT" --target "$BT" --target "$DT" "${TARGETS[@]}" ;;
    *) die "unknown phase $phase" ;;
  esac > "$RUN/$phase.out"
  grep '^{' "$RUN/$phase.out" >> "$RES" || true
  grep -v '^{' "$RUN/$phase.out" | tee -a "$RUN/report.md"
done
echo "bench-imap: end $(date -u +%FT%TZ) uptime: $(uptime)" | tee -a "$RUN/report.md" >&2
[ -n "${RESULTS:-}" ] && cp "$RES" "$RESULTS"
exit 0
