#!/usr/bin/env bash
# Outbound side by side: Bulwark's delivery worker vs Postfix 3.7 relaying the same messages to the same
# receivers in the same run. docs/benchmarks.md, "Outbound: Bulwark against Postfix".
#
# One run of a cell: N messages of SIZE bytes, to recipients spread round-robin over D domains, are injected by
# bench/smtp/smtp_load (INJECT_SESSIONS reused connections) into the server under test, which queues them
# durably and delivers them to the receivers. The figure is the end-to-end rate: N / (time from the first
# injection until the receivers counted all N). bench/outbound/measure.py times it.
#   Bulwark: submission port, STARTTLS (its submission demands it), AUTH PLAIN, sender load@bench.example; routes by MX
#            through its [delivery] resolver, a loopback DNS server (bench/outbound/dns_zone.py).
#   Postfix: its SMTP port, relaying for mynetworks (127.0.0.0/8); it routes by transport_maps (no DNS):
#            d<i>.out.example -> smtp:[127.0.0.<i+1>]:SINK_PORT.
# Receivers: one `smtp-sink -c` (from the postfix package; it offers PIPELINING, discards, counts) per domain,
# on 127.0.0.2 .. 127.0.0.<D+1>, all on SINK_PORT, so each domain is its own destination on both sides.
# Same limits on both sides: CONCURRENCY connections per destination (Bulwark max_connections_per_domain,
# Postfix default/smtp_destination_concurrency_limit), 100 in all (Bulwark max_connections, Postfix
# default_process_limit). Both queues are durable (Postfix fsyncs the queue file before its 250; Bulwark fsyncs
# the blob and the queue.db transaction before its 250, and each outcome after the receiver's 250).
#
# Needs root (Postfix), the postfix package (`scripts/install-deps.sh --bench`), python3-dnslib, and:
#   BULWARK_BIN  (default build/src/app/bulwark)   SMTP_LOAD (default build/bench/smtp/smtp_load)
# Knobs (environment): SIZES="4096 65536"  DOMAINS="1 10"  MESSAGES=2000  REPEAT=3  CONCURRENCY=10
#   INJECT_SESSIONS=10  TIMEOUT=180 (seconds per run)  BENCH_PARENT=/tmp  RESULTS=FILE (raw JSON lines)  KEEP=1
#   POSTFIX_POSTCONF="name=value ..."  BULWARK_DELIVERY="key = value;key = value" (extra [delivery] lines)
#   BULWARK_TOP="key = value;..." (extra top-level lines, e.g. "inline_message_size = 0": queued messages as blob files)
#
# Everything listens on loopback only, on free ports. Everything started here is stopped at exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BULWARK_BIN=${BULWARK_BIN:-$ROOT/build/src/app/bulwark}
SMTP_LOAD=${SMTP_LOAD:-$ROOT/build/bench/smtp/smtp_load}
SIZES=${SIZES:-"4096 65536"}
DOMAINS=${DOMAINS:-"1 10"}
MESSAGES=${MESSAGES:-2000}
REPEAT=${REPEAT:-3}
CONCURRENCY=${CONCURRENCY:-10}
INJECT_SESSIONS=${INJECT_SESSIONS:-10}
TIMEOUT=${TIMEOUT:-180}
BENCH_PARENT=${BENCH_PARENT:-/tmp}
PEERS=${PEERS:-/work/shared/peers}
PY=/usr/bin/python3
ZONE=out.example
SENDER=load@bench.example
PASSWORD=bench-password

die() { echo "bench-outbound: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (Postfix instance)"
[ -x "$BULWARK_BIN" ] || die "no bulwark binary at $BULWARK_BIN"
[ -x "$SMTP_LOAD" ] || die "no smtp_load binary at $SMTP_LOAD"
command -v postfix >/dev/null || die "postfix not installed (scripts/install-deps.sh --bench)"
[ -x /usr/sbin/smtp-sink ] || die "no /usr/sbin/smtp-sink"
"$PY" -c 'import dnslib' 2>/dev/null || die "python3-dnslib not installed"
MAX_DOMAINS=1
for d in $DOMAINS; do [ "$d" -gt "$MAX_DOMAINS" ] && MAX_DOMAINS=$d; done
[ "$MAX_DOMAINS" -le 50 ] || die "at most 50 domains (one receiver address each)"

DIR=$(mktemp -d "$BENCH_PARENT/bench-outbound.XXXXXX")
chmod 755 "$DIR"
BULWARK_PID= DNS_PID= SINK_PIDS=() POSTFIX_UP=
cleanup() {
  set +e
  [ -n "$BULWARK_PID" ] && kill -TERM "$BULWARK_PID" 2>/dev/null && wait "$BULWARK_PID" 2>/dev/null
  [ -n "$DNS_PID" ] && kill -TERM "$DNS_PID" 2>/dev/null && wait "$DNS_PID" 2>/dev/null
  for pid in "${SINK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  if [ -n "$POSTFIX_UP" ]; then
    postfix -c "$DIR/postfix/etc" stop >/dev/null 2>&1
    for _ in $(seq 50); do [ -e "$DIR/postfix/spool/pid/master.pid" ] || break
      kill -0 "$(tr -d ' ' < "$DIR/postfix/spool/pid/master.pid")" 2>/dev/null || break; sleep 0.1; done
    postfix -c "$DIR/postfix/etc" abort >/dev/null 2>&1
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {  # a TCP port free on 127.0.0.1 and on every receiver address
  "$PY" - "$MAX_DOMAINS" <<'EOF'
import socket, sys
n = int(sys.argv[1])
for _ in range(50):
    p = socket.socket(); p.bind(("127.0.0.1", 0)); port = p.getsockname()[1]; held = [p]
    try:
        for i in range(2, n + 2):
            s = socket.socket(); s.bind((f"127.0.0.{i}", port)); held.append(s)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", port)); held.append(u)
        print(port); break
    except OSError:
        continue
    finally:
        for s in held: s.close()
EOF
}
wait_port() {  # wait_port ADDRESS PORT: until something accepts there (20 s at most)
  for _ in $(seq 200); do
    "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('$1',$2)))" && return 0
    sleep 0.1
  done
  die "nothing listening on $1:$2"
}
BULWARK_PORT=$(free_port); POSTFIX_PORT=$(free_port); SINK_PORT=$(free_port); DNS_PORT=$(free_port)
[ "$(printf '%s\n' "$BULWARK_PORT" "$POSTFIX_PORT" "$SINK_PORT" "$DNS_PORT" | sort -u | wc -l)" = 4 ] ||
  die "port collision, run again"

# --- Receivers: one smtp-sink per destination address, each writing its running counters to a file.
COUNTERS=()
for i in $(seq 1 "$MAX_DOMAINS"); do
  addr="127.0.0.$((i + 1))"
  /usr/sbin/smtp-sink -c -u postfix "$addr:$SINK_PORT" 1024 > "$DIR/sink$i.count" 2>"$DIR/sink$i.err" &
  SINK_PIDS+=($!)
  COUNTERS+=("$DIR/sink$i.count")
done
for i in $(seq 1 "$MAX_DOMAINS"); do wait_port "127.0.0.$((i + 1))" "$SINK_PORT"; done
counters_for() { local IFS=,; echo "${COUNTERS[*]:0:$1}"; }

# --- DNS for Bulwark: d<i>.out.example MX mx<i>.out.example, A 127.0.0.<i+1>.
"$PY" "$ROOT/bench/outbound/dns_zone.py" "$DNS_PORT" "$ZONE" "$MAX_DOMAINS" > "$DIR/dns.log" 2>&1 &
DNS_PID=$!
for _ in $(seq 100); do grep -q ready "$DIR/dns.log" && break; sleep 0.1; done
grep -q ready "$DIR/dns.log" || { cat "$DIR/dns.log" >&2; die "dns_zone did not start"; }

# --- Bulwark: own data_dir, submission on loopback, the sender's domain local, delivery through the DNS above.
mkdir -p "$DIR/bulwark"
EXTRA_DELIVERY=$(printf '%s' "${BULWARK_DELIVERY:-}" | tr ';' '\n')
EXTRA_TOP=$(printf '%s' "${BULWARK_TOP:-}" | tr ';' '\n')
cat > "$DIR/bulwark/bulwark.toml" <<EOF
$EXTRA_TOP
data_dir = "$DIR/bulwark/data"
hostname = "mail.bench.local"
user = ""
log_level = "info"
[listen]
submission = "127.0.0.1:$BULWARK_PORT"
[limits]
max_connections_per_ip = 1000
[smtp]
max_messages_per_minute_per_ip = 0
[auth]
hash_memory = "64K"
hash_passes = 1
[delivery]
resolver = "127.0.0.1:$DNS_PORT"
port = $SINK_PORT
max_connections = 100
max_connections_per_domain = $CONCURRENCY
# The loopback zone is unsigned: with DNSSEC validation (the default, root trust anchor) every answer is bogus.
dnssec = false
$EXTRA_DELIVERY
EOF
B() { "$BULWARK_BIN" "$@" --config "$DIR/bulwark/bulwark.toml"; }
B domain add bench.example >/dev/null
printf '%s\n' "$PASSWORD" | B user add "$SENDER" --password-stdin >/dev/null
"$BULWARK_BIN" serve --config "$DIR/bulwark/bulwark.toml" > "$DIR/bulwark/server.log" 2>&1 &
BULWARK_PID=$!
for _ in $(seq 300); do grep -q 'ready:' "$DIR/bulwark/server.log" && break
  kill -0 "$BULWARK_PID" 2>/dev/null || { cat "$DIR/bulwark/server.log" >&2; die "bulwark exited"; }; sleep 0.1; done
wait_port 127.0.0.1 "$BULWARK_PORT"

# --- Postfix: a throwaway instance from the peer templates, relaying to the receivers by transport map.
PF="$DIR/postfix"
mkdir -p "$PF/etc"
for f in main master; do
  sed -e "s|@DIR@|$PF|g" -e "s|@SMTP_PORT@|$POSTFIX_PORT|g" "$PEERS/postfix-$f.cf.in" > "$PF/etc/$f.cf"
done
TRANSPORT=
for i in $(seq 1 "$MAX_DOMAINS"); do
  TRANSPORT+="${TRANSPORT:+, }d$i.$ZONE=smtp:[127.0.0.$((i + 1))]:$SINK_PORT"
done
postconf -c "$PF/etc" -e "transport_maps = inline:{ $TRANSPORT }" \
  "default_destination_concurrency_limit = $CONCURRENCY" "smtp_destination_concurrency_limit = $CONCURRENCY" \
  "default_process_limit = 100" "smtp_tls_security_level = none"
for setting in ${POSTFIX_POSTCONF:-}; do postconf -c "$PF/etc" -e "$setting"; done
mkdir -p "$PF/spool" "$PF/data"
postfix -c "$PF/etc" set-permissions >/dev/null 2>&1
postfix -c "$PF/etc" check || die "postfix check failed"
postfix -c "$PF/etc" start >/dev/null 2>&1 || { postfix -c "$PF/etc" check; die "postfix did not start"; }
POSTFIX_UP=1
wait_port 127.0.0.1 "$POSTFIX_PORT"
postfix_queue() { find "$PF/spool/incoming" "$PF/spool/active" "$PF/spool/deferred" "$PF/spool/maildrop" -type f 2>/dev/null | wc -l; }
bulwark_queue() { sqlite3 "$DIR/bulwark/data/queue.db" 'SELECT COUNT(*) FROM queue_message' 2>/dev/null || echo 0; }

RES="$DIR/results.jsonl"
: > "$RES"
run() {  # run TARGET SIZE DOMAINS COUNT -> one JSON line
  local target=$1 size=$2 domains=$3 count=$4 rcpts=() i
  for i in $(seq 1 "$domains"); do rcpts+=(--rcpt "user$i@d$i.$ZONE"); done
  local inject=("$SMTP_LOAD" --host 127.0.0.1 --sessions "$INJECT_SESSIONS" --reuse --messages "$count" --size "$size"
                --seconds "$TIMEOUT" --grace 10 --from "$SENDER" "${rcpts[@]}" --label "$target")
  if [ "$target" = bulwark ]; then inject+=(--port "$BULWARK_PORT" --starttls --auth "$SENDER:$PASSWORD")
  else inject+=(--port "$POSTFIX_PORT"); fi
  "$PY" "$ROOT/bench/outbound/measure.py" "$(counters_for "$MAX_DOMAINS")" "$count" "$TIMEOUT" -- "${inject[@]}"
}
settle() {  # both queues empty (a run that timed out may leave mail behind), 60 s at most
  local t0=$SECONDS
  while [ $((SECONDS - t0)) -lt 60 ]; do
    [ "$(postfix_queue)" = 0 ] && [ "$(bulwark_queue)" = 0 ] && return 0
    sleep 0.5
  done
  echo "bench-outbound: queues not empty after 60 s (postfix $(postfix_queue), bulwark $(bulwark_queue))" >&2
}

echo "bench-outbound: dir $DIR; bulwark :$BULWARK_PORT, postfix :$POSTFIX_PORT, sinks 127.0.0.2-$((MAX_DOMAINS + 1)):$SINK_PORT, dns :$DNS_PORT" >&2
echo "bench-outbound: start $(date -u +%FT%TZ) uptime: $(uptime)" >&2
for t in bulwark postfix; do run "$t" 4096 "$MAX_DOMAINS" 100 > /dev/null; done   # warm-up, not recorded
settle

for rep in $(seq 1 "$REPEAT"); do
  for size in $SIZES; do
    for d in $DOMAINS; do
      for t in bulwark postfix; do
        up=$(uptime | sed 's/.*load average: //')
        line=$(run "$t" "$size" "$d" "$MESSAGES")
        line="${line%\}},\"domains\":$d,\"concurrency\":$CONCURRENCY,\"rep\":$rep,\"load_before\":\"$up\"}"
        echo "$line" | tee -a "$RES" >&2
        settle
      done
    done
  done
done
echo "bench-outbound: end $(date -u +%FT%TZ) uptime: $(uptime)" >&2

"$PY" - "$RES" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cells = {}
for r in rows:
    cells.setdefault((r["size"], r["domains"]), {}).setdefault(r["label"], []).append(r)
def fmt(rs): return " / ".join(f"{r['msgs_per_s']:.0f}" for r in rs)
print("\n| size | domains | Bulwark msg/s (runs) | Postfix msg/s (runs) | median Bulwark/Postfix | incomplete runs B/P | load before |")
print("|---:|---:|---|---|---:|---:|---|")
for (size, d), c in sorted(cells.items()):
    b, p = c.get("bulwark", []), c.get("postfix", [])
    if not b or not p: continue
    mb, mp = statistics.median(r["msgs_per_s"] for r in b), statistics.median(r["msgs_per_s"] for r in p)
    bad = f"{sum(not r['complete'] for r in b)}/{sum(not r['complete'] for r in p)}"
    print(f"| {size // 1024} KiB | {d} | {fmt(b)} | {fmt(p)} | {mb / mp if mp else float('nan'):.2f} | {bad} | {b[0]['load_before']} |")
EOF
[ -n "${RESULTS:-}" ] && cp "$RES" "$RESULTS"
exit 0
