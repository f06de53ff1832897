#!/usr/bin/python3
"""Times one outbound run for scripts/bench-outbound.sh: starts the injector command (smtp_load), and waits until
the receivers (smtp-sink -c, one per destination address, whose running counters go to the comma-separated
COUNTER_FILES) have counted EXPECT more messages in all than they had at the start. Prints one JSON line: the injector's own JSON, plus
  relayed:      messages that arrived at the receiver during the run,
  inject_s:     from the start until the injector finished (every message accepted by the server under test),
  total_s:      from the start until the last message arrived at the receiver,
  msgs_per_s:   relayed / total_s (the end-to-end rate; the injector's own rate becomes inject_msgs_per_s),
  complete:     whether all EXPECT arrived before TIMEOUT seconds (the wait ends early when the server accepted
                fewer: then only those are waited for, and the run is incomplete).
Polls the counter file every 5 ms (it costs little CPU next to the servers being measured).

usage: measure.py COUNTER_FILES EXPECT TIMEOUT -- COMMAND...
"""
import json
import re
import subprocess
import sys
import time

COUNT = re.compile(rb"mesg=(\d+)")


def received(paths):
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 256))
            found = COUNT.findall(f.read())
        total += int(found[-1]) if found else 0
    return total


def main():
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        sys.exit(__doc__)
    counter, expect, timeout, command = sys.argv[1].split(","), int(sys.argv[2]), float(sys.argv[3]), sys.argv[5:]
    base = received(counter)
    t0 = time.monotonic()
    injector = subprocess.Popen(command, stdout=subprocess.PIPE)
    inject_s = None
    target = expect  # lowered to what the server accepted once the injector is done
    out = b""
    got = 0
    while True:
        now = time.monotonic() - t0
        if inject_s is None and injector.poll() is not None:
            inject_s = now
            out = injector.stdout.read()
            target = min(expect, json.loads(out.decode().strip().splitlines()[-1])["ok"])
        got = received(counter) - base
        if got >= target or now > timeout:
            break
        time.sleep(0.005)
    total_s = time.monotonic() - t0
    if inject_s is None:
        out, _ = injector.communicate(timeout=max(1.0, timeout - total_s + 30))
        inject_s = total_s
    row = json.loads(out.decode().strip().splitlines()[-1])
    row["inject_msgs_per_s"] = row.pop("msgs_per_s", 0)
    row.update(relayed=got, expect=expect, inject_s=round(inject_s, 3), total_s=round(total_s, 3),
               msgs_per_s=round(got / total_s, 1) if total_s > 0 else 0.0, complete=got >= expect)
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
