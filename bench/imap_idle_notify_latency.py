#!/usr/bin/python3
"""How long an IMAP IDLE session takes to see a message delivered by SMTP, with the in-process change notifier
(the fallback poll is set to an hour, so only the notifier can report it). Before the notifier, IDLE polled
every second: 500 ms on average after the delivery. Starts the real binary with the integration-test harness.

    BULWARK_BIN=build/src/app/bulwark /usr/bin/python3 bench/imap_idle_notify_latency.py [deliveries]
"""
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "test" / "integration"))
from conftest import Bulwark  # noqa: E402
from imapx_support import Raw, deliver_by_smtp  # noqa: E402


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as workdir:
        server = Bulwark(workdir, {"limits": {"imap_idle_poll": "1h"}, "": {"log_level": "info"}})
        server.add_user("alice@example.org")
        server.start()
        try:
            raw = Raw(server.port("imap"))
            raw.login()
            raw.command("s", "SELECT INBOX")
            raw.send("i IDLE\r\n")
            raw.line()
            total, after_quit = [], []
            for n in range(1, count + 1):
                started = time.perf_counter()
                deliver_by_smtp(server, "alice@example.org", f"m{n}")
                delivered = time.perf_counter()
                while raw.line() != f"* {n} EXISTS":
                    pass
                seen = time.perf_counter()
                total.append((seen - started) * 1000)
                after_quit.append((seen - delivered) * 1000)
            for name, values in (("SMTP connect -> EXISTS", total), ("SMTP QUIT done -> EXISTS", after_quit)):
                values.sort()
                print(f"{name}: {count} deliveries, median {statistics.median(values):.2f} ms, "
                      f"p90 {values[int(0.9 * (count - 1))]:.2f} ms, max {values[-1]:.2f} ms")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
