#!/usr/bin/env bash
# SMTP side by side: Bulwark vs Postfix 3.7 (durable acceptance) vs smtp-sink (no-op upper bound), one load
# generator (bench/smtp/smtp_load) in one run on one machine. docs/benchmarks.md, "SMTP: Bulwark vs Postfix".
#
# Needs root (Postfix's daemons drop to the postfix user; virtual delivery runs as the vmail uid), the postfix
# package (No configuration) and the two binaries:
#   BULWARK_BIN  (default /tmp/bench-wt/build/src/app/bulwark)
#   SMTP_LOAD    (default /tmp/bench-wt/build/bench/smtp/smtp_load)
# Knobs (environment): SIZES="4096 65536"  SESSIONS="1 20 100"  MODES="conn reuse"  RUN_SECONDS=6
#   MAX_MESSAGES=50000 (per run; a run stops at whichever of RUN_SECONDS / MAX_MESSAGES comes first)
#   BENCH_PARENT=/tmp (where the temporary directory goes; the fsyncs land on that filesystem)
#   RESULTS=FILE (keep the raw JSON lines)  KEEP=1 (keep the temporary directory)
#   POSTFIX_POSTCONF="name=value ..." (applied to the Postfix instance on top of the templates)
#   BULWARK_INLINE=SIZE (Bulwark's inline_message_size, e.g. 0 for blob files only; default: Bulwark's default)
#   BULWARK_SEARCH_INDEX=true|false (Bulwark's [search] index: the background search indexer; default true)
#
# Everything listens on 127.0.0.1 only, on free ports. Everything started here is stopped at exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BULWARK_BIN=${BULWARK_BIN:-/tmp/bench-wt/build/src/app/bulwark}
SMTP_LOAD=${SMTP_LOAD:-/tmp/bench-wt/build/bench/smtp/smtp_load}
SIZES=${SIZES:-"4096 65536"}
SESSIONS=${SESSIONS:-"1 20 100"}
MODES=${MODES:-"conn reuse"}
RUN_SECONDS=${RUN_SECONDS:-6}
MAX_MESSAGES=${MAX_MESSAGES:-50000}
BENCH_PARENT=${BENCH_PARENT:-/tmp}
PEERS=${PEERS:-/work/shared/peers}
PY=/usr/bin/python3
RCPT=sink@example.com

die() { echo "bench-smtp: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (Postfix instance)"
[ -x "$BULWARK_BIN" ] || die "no bulwark binary at $BULWARK_BIN"
[ -x "$SMTP_LOAD" ] || die "no smtp_load binary at $SMTP_LOAD"
command -v postfix >/dev/null || die "postfix not installed (apt-get install postfix, No configuration)"
[ -x /usr/sbin/smtp-sink ] || die "no /usr/sbin/smtp-sink"

DIR=$(mktemp -d "$BENCH_PARENT/bench-smtp.XXXXXX")
chmod 755 "$DIR"
BULWARK_PID= SINK_PID= POSTFIX_UP=
cleanup() {
  set +e
  [ -n "$BULWARK_PID" ] && kill -TERM "$BULWARK_PID" 2>/dev/null && wait "$BULWARK_PID" 2>/dev/null
  [ -n "$SINK_PID" ] && kill -TERM "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  if [ -n "$POSTFIX_UP" ]; then
    postfix -c "$DIR/postfix/etc" stop >/dev/null 2>&1
    # The master exits after its children; give it a moment, then make sure.
    for _ in $(seq 50); do [ -e "$DIR/postfix/spool/pid/master.pid" ] || break
      kill -0 "$(tr -d ' ' < "$DIR/postfix/spool/pid/master.pid")" 2>/dev/null || break; sleep 0.1; done
    postfix -c "$DIR/postfix/etc" abort >/dev/null 2>&1
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # wait_port PORT: until something accepts on 127.0.0.1:PORT (20 s at most)
  for _ in $(seq 200); do
    "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$1)))" && return 0
    sleep 0.1
  done
  die "nothing listening on 127.0.0.1:$1"
}
BULWARK_PORT=$(free_port); POSTFIX_PORT=$(free_port); SINK_PORT=$(free_port)
while [ "$POSTFIX_PORT" = "$BULWARK_PORT" ]; do POSTFIX_PORT=$(free_port); done
while [ "$SINK_PORT" = "$BULWARK_PORT" ] || [ "$SINK_PORT" = "$POSTFIX_PORT" ]; do SINK_PORT=$(free_port); done

# --- Bulwark: own data_dir, SMTP on loopback, domain example.com with the account sink@example.com.
# Limits that would refuse a benchmark are lifted (100 sessions from one IP; the per-IP message rate limit off).
mkdir -p "$DIR/bulwark"
INLINE_LINE=
[ -n "${BULWARK_INLINE:-}" ] && INLINE_LINE="inline_message_size = \"$BULWARK_INLINE\""
cat > "$DIR/bulwark/bulwark.toml" <<EOF
data_dir = "$DIR/bulwark/data"
hostname = "mail.bench.local"
user = ""
log_level = "info"
$INLINE_LINE
[listen]
smtp = "127.0.0.1:$BULWARK_PORT"
[limits]
max_connections_per_ip = 1000
[smtp]
max_messages_per_minute_per_ip = 0
[auth]
hash_memory = "64K"
hash_passes = 1
[search]
index = ${BULWARK_SEARCH_INDEX:-true}
EOF
B() { "$BULWARK_BIN" "$@" --config "$DIR/bulwark/bulwark.toml"; }
B domain add example.com >/dev/null
printf 'bench-password\n' | B user add "$RCPT" --password-stdin >/dev/null
"$BULWARK_BIN" serve --config "$DIR/bulwark/bulwark.toml" > "$DIR/bulwark/server.log" 2>&1 &
BULWARK_PID=$!
for _ in $(seq 300); do grep -q 'ready:' "$DIR/bulwark/server.log" && break
  kill -0 "$BULWARK_PID" 2>/dev/null || { cat "$DIR/bulwark/server.log" >&2; die "bulwark exited"; }; sleep 0.1; done
wait_port "$BULWARK_PORT"

# --- Postfix: a throwaway instance from the peer templates (own queue, loopback smtpd, virtual -> Maildir).
# virtual delivery runs as the uid/gid of virtual_uid_maps / virtual_gid_maps; create a vmail user if none has it.
PF="$DIR/postfix"
mkdir -p "$PF/etc" "$PF/maildir"
for f in main master; do
  sed -e "s|@DIR@|$PF|g" -e "s|@SMTP_PORT@|$POSTFIX_PORT|g" "$PEERS/postfix-$f.cf.in" > "$PF/etc/$f.cf"
done
VUID=$(sed -n 's/^virtual_uid_maps *= *static:\([0-9]*\).*/\1/p' "$PF/etc/main.cf")
VGID=$(sed -n 's/^virtual_gid_maps *= *static:\([0-9]*\).*/\1/p' "$PF/etc/main.cf")
[ -n "$VUID" ] && [ -n "$VGID" ] || die "virtual_uid_maps / virtual_gid_maps are not static:N in the template"
getent group "$VGID" >/dev/null || groupadd -r -g "$VGID" vmail
getent passwd "$VUID" >/dev/null || useradd -r -u "$VUID" -g "$VGID" -M -d /nonexistent -s /usr/sbin/nologin vmail
chown "$VUID:$VGID" "$PF/maildir"
for setting in ${POSTFIX_POSTCONF:-}; do postconf -c "$PF/etc" -e "$setting"; done   # e.g. "in_flow_delay=0"
mkdir -p "$PF/spool" "$PF/data"
postfix -c "$PF/etc" set-permissions >/dev/null 2>&1   # creates the queue subdirectories with their owners
postfix -c "$PF/etc" check || die "postfix check failed"
postfix -c "$PF/etc" start >/dev/null 2>&1 || { postfix -c "$PF/etc" check; die "postfix did not start"; }
POSTFIX_UP=1
wait_port "$POSTFIX_PORT"
postfix_queue() { find "$PF/spool/incoming" "$PF/spool/active" "$PF/spool/deferred" "$PF/spool/maildrop" -type f 2>/dev/null | wc -l; }

# --- smtp-sink: accepts and discards (no disk), the ceiling of this client on this machine.
/usr/sbin/smtp-sink -u postfix "127.0.0.1:$SINK_PORT" 1024 &
SINK_PID=$!
wait_port "$SINK_PORT"

RES="$DIR/results.jsonl"
: > "$RES"
load() {  # load TARGET PORT MODE SIZE SESSIONS
  local reuse=()
  [ "$3" = reuse ] && reuse=(--reuse)
  "$SMTP_LOAD" --host 127.0.0.1 --port "$2" --sessions "$5" --messages "$MAX_MESSAGES" --size "$4" \
    --seconds "$RUN_SECONDS" --grace 20 --rcpt "$RCPT" --label "$1" "${reuse[@]}"
}
wait_postfix_drained() {  # Postfix delivers after its 250; let the Maildir deliveries finish before the next run.
  local t0=$SECONDS
  while [ "$(postfix_queue)" -gt 0 ] && [ $((SECONDS - t0)) -lt 120 ]; do sleep 0.2; done
  echo $((SECONDS - t0))
}

echo "bench-smtp: dir $DIR; bulwark :$BULWARK_PORT, postfix :$POSTFIX_PORT, smtp-sink :$SINK_PORT" >&2
echo "bench-smtp: start $(date -u +%FT%TZ) uptime: $(uptime)" >&2
# A short warm-up against each target (not recorded).
for t in "bulwark $BULWARK_PORT" "postfix $POSTFIX_PORT" "sink $SINK_PORT"; do
  set -- $t
  "$SMTP_LOAD" --port "$2" --sessions 4 --messages 40 --size 4096 --seconds 5 --rcpt "$RCPT" --label warmup >/dev/null
done
wait_postfix_drained >/dev/null

for mode in $MODES; do
  for size in $SIZES; do
    for n in $SESSIONS; do
      up=$(uptime | sed 's/.*load average: //')
      for t in "bulwark $BULWARK_PORT" "postfix $POSTFIX_PORT" "sink $SINK_PORT"; do
        set -- $t
        line=$(load "$1" "$2" "$mode" "$size" "$n")
        drain=0
        [ "$1" = postfix ] && drain=$(wait_postfix_drained)
        line="${line%\}},\"mode\":\"$mode\",\"load_before\":\"$up\",\"drain_s\":$drain}"
        echo "$line" | tee -a "$RES" >&2
      done
    done
  done
done
echo "bench-smtp: end $(date -u +%FT%TZ) uptime: $(uptime)" >&2

# Sanity: every 250 from Bulwark is a logged delivery; every 250 from Postfix became a Maildir file.
bulwark_logged=$(grep -c 'message accepted' "$DIR/bulwark/server.log" || true)
postfix_files=$(find "$PF/maildir" -path '*/new/*' -type f | wc -l)
"$PY" - "$RES" "$bulwark_logged" "$postfix_files" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
warm = 40  # warm-up messages per target, not in the rows
ok = {t: sum(r["ok"] for r in rows if r["label"] == t) + warm for t in ("bulwark", "postfix", "sink")}
print(f"\nsanity (250s incl. {warm} warm-up): bulwark {ok['bulwark']} vs 'message accepted' log lines {sys.argv[2]}; "
      f"postfix {ok['postfix']} vs Maildir files {sys.argv[3]}\n")
cells = {}
for r in rows:
    cells.setdefault((r["mode"], r["size"], r["sessions"]), {})[r["label"]] = r
def kib(n): return f"{n // 1024} KiB"
print("| connections | size | sessions | Bulwark msg/s | Postfix msg/s | Bulwark/Postfix | smtp-sink msg/s "
      "| Bulwark p50 / p99 ms | Postfix p50 / p99 ms | sink p99 ms | errors B/P/S | load before |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for (mode, size, n), c in cells.items():
    b, p, s = c.get("bulwark"), c.get("postfix"), c.get("sink")
    if not (b and p and s): continue
    ratio = b["msgs_per_s"] / p["msgs_per_s"] if p["msgs_per_s"] else float("nan")
    print(f"| {'one per message' if mode == 'conn' else 'reused'} | {kib(size)} | {n} | {b['msgs_per_s']:.0f} "
          f"| {p['msgs_per_s']:.0f} | {ratio:.2f} | {s['msgs_per_s']:.0f} "
          f"| {b['p50_ms']:.1f} / {b['p99_ms']:.1f} | {p['p50_ms']:.1f} / {p['p99_ms']:.1f} | {s['p99_ms']:.1f} "
          f"| {b['errors']}/{p['errors']}/{s['errors']} | {b['load_before']} |")
EOF
[ -n "${RESULTS:-}" ] && cp "$RES" "$RESULTS"
exit 0
