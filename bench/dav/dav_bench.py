#!/usr/bin/python3
"""CalDAV benchmark: Bulwark against Radicale 3 and Cyrus IMAP 3.6, same machine, same run, same client, same data.

A calendar of 10,000 events (500 of them recurring weekly, COUNT=52) is loaded into each server; then, server after
server, the client times: a calendar-query REPORT for one week and for one year (getetag + calendar-data), a
calendar-multiget of 100 events, the PUT rate (one keep-alive connection, one event per request), and a
sync-collection REPORT after 10 changes. All servers are plain HTTP on 127.0.0.1 with Basic authentication, and
every timed request of a phase goes over one keep-alive connection (http.client).

Loading (not timed as a row; the load times are printed):
- Bulwark: one PUT per event over --load-connections keep-alive connections in parallel.
- Radicale: its multifilesystem storage is written directly before it starts: one `<name>.ics` file per event in
  collection-root/alice/cal/ plus the collection's `.Radicale.props` ({"tag": "VCALENDAR"}), exactly the layout
  Radicale itself writes (radicale/storage/multifilesystem). Uploading 10,000 events through Radicale's HTTP
  interface takes many minutes (each PUT scans the whole collection for a UID clash); the item cache that Radicale
  builds on first read is then built by an untimed warm-up REPORT, as it would be on a running server.
- Cyrus: one PUT per event, like Bulwark (it indexes each event in its CalDAV database on PUT).

Every server then gets one untimed warm-up year REPORT (--warmup-timeout). Each timed request has a timeout
(--timeout); a row whose request times out is reported as "timeout (>N s)" and the run goes on.

Cyrus IMAP runs as a throwaway instance (own imapd.conf / cyrus.conf / data directory / sasldb, loopback ports) when
Debian's cyrus-imapd and cyrus-caldav are installed (scripts/install-deps.sh --bench); --no-cyrus skips it.

Usage: bench/dav/dav_bench.py [--bulwark build/src/app/bulwark] [--events 10000] [--recurring 500] [--rounds N]
Prints a Markdown table (median milliseconds per request, or events per second for PUT).
"""
import argparse
import base64
import http.client
import imaplib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

USER, PASSWORD = "alice@example.org", "secret-password"
XML_DEPTH1 = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
CYRUS_BIN = "/usr/lib/cyrus/bin"


class Timeout(Exception):
    pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_event(i, recurring):
    day = 1 + (i * 7919) % 365
    start = time.gmtime(1767225600 + day * 86400 + (8 + i % 10) * 3600)
    dt = time.strftime("%Y%m%dT%H%M%SZ", start)
    end = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.mktime(start) - time.timezone + 3600))
    rule = "RRULE:FREQ=WEEKLY;COUNT=52\r\n" if recurring else ""
    return (f"BEGIN:VEVENT\r\nUID:ev-{i}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{dt}\r\nDTEND:{end}\r\n{rule}"
            f"SUMMARY:Event {i}\r\nLOCATION:Room {i % 17}\r\nDESCRIPTION:Benchmark event number {i}\r\nEND:VEVENT\r\n")


def calendar(body):
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n" + body + "END:VCALENDAR\r\n"


class Client:
    def __init__(self, port, user, password, timeout):
        self.port, self.timeout = port, timeout
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=None):
        h = {"Authorization": self.auth}
        h.update(headers or {})
        limit = timeout or self.timeout
        for attempt in range(2):
            try:
                self.conn.timeout = limit
                if self.conn.sock is not None:
                    self.conn.sock.settimeout(limit)
                self.conn.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except socket.timeout:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                raise Timeout(f"timeout (>{limit:g} s)")
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        raise RuntimeError("connection failed")


def query(start, end):
    return ('<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
            "<d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name=\"VCALENDAR\">"
            f'<c:comp-filter name="VEVENT"><c:time-range start="{start}" end="{end}"/></c:comp-filter>'
            "</c:comp-filter></c:filter></c:calendar-query>")


WEEK = query("20260302T000000Z", "20260309T000000Z")
YEAR = query("20260101T000000Z", "20270101T000000Z")


def multiget(cal, names):
    hrefs = "".join(f"<d:href>{cal}{n}</d:href>" for n in names)
    return ('<?xml version="1.0"?><c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
            f"<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>")


def sync_body(token):
    return ('<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>' + token +
            "</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>")


def sync_token(data):
    text = data.decode()
    start = text.find("sync-token>") + len("sync-token>")
    return text[start:text.find("<", start)]


def count_responses(data):
    text = data.decode(errors="replace")
    return text.count("<d:response>") + text.count("<D:response>") + text.count("<response>") + \
        text.count("<response ")


class Server:
    def __init__(self, name, cal, user, timeout):
        self.name, self.cal, self.user, self.timeout = name, cal, user, timeout
        self.proc = None

    def client(self):
        return Client(self.port, self.user, PASSWORD, self.timeout)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_bulwark(binary, work, timeout):
    s = Server("Bulwark", "/dav/calendars/alice@example.org/default/", USER, timeout)
    s.port = free_port()
    data = os.path.join(work, "bulwark-data")
    config = os.path.join(work, "bulwark.toml")
    with open(config, "w") as f:
        f.write(f'data_dir = "{data}"\nhostname = "bench.test"\nuser = ""\nlog_level = "warn"\n'
                f'[listen]\nhttp = "127.0.0.1:{s.port}"\n[auth]\nhash_memory = "64K"\nhash_passes = 1\n'
                "[http]\nmax_requests_per_minute_per_ip = 0\nmax_body_size = \"64M\"\n"
                "[dav]\nmax_query_results = 1000000\n")
    subprocess.run([binary, "domain", "add", "example.org", "--config", config], check=True, capture_output=True)
    subprocess.run([binary, "user", "add", USER, "--password-stdin", "--config", config], input=PASSWORD + "\n",
                   text=True, check=True, capture_output=True)
    s.proc = subprocess.Popen([binary, "serve", "--config", config], stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(work, "bulwark.log"), "w"))
    wait_port(s.port)
    return s


def write_radicale_storage(folder, events):
    """Writes the collection exactly as Radicale 3.1's multifilesystem storage lays it out: a folder per collection
    under collection-root/, its properties in .Radicale.props (JSON), and one iCalendar object per file."""
    cal = os.path.join(folder, "collection-root", "alice", "cal")
    os.makedirs(cal)
    with open(os.path.join(cal, ".Radicale.props"), "w") as f:
        json.dump({"tag": "VCALENDAR"}, f, sort_keys=True)
    for name, event in events:
        with open(os.path.join(cal, name), "w", newline="") as f:
            f.write(calendar(event))


def start_radicale(work, events, timeout):
    s = Server("Radicale", "/alice/cal/", "alice", timeout)
    s.port = free_port()
    users = os.path.join(work, "radicale-users")
    with open(users, "w") as f:
        f.write(f"alice:{PASSWORD}\n")
    folder = os.path.join(work, "radicale-collections")
    started = time.time()
    write_radicale_storage(folder, events)
    s.load_seconds = time.time() - started
    config = os.path.join(work, "radicale.conf")
    with open(config, "w") as f:
        f.write(f"[server]\nhosts = 127.0.0.1:{s.port}\nmax_content_length = 100000000\ntimeout = 3600\n"
                f"[auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\n"
                f"[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = {folder}\n"
                "[logging]\nlevel = warning\n")
    s.proc = subprocess.Popen(["/usr/bin/python3", "-m", "radicale", "--config", config],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "radicale.log"), "w"))
    wait_port(s.port)
    return s


def cyrus_imapd(work):
    """Cyrus's imapd, used once to create the user's mailbox. Debian's cyrus-imapd conflicts with dovecot-imapd
    (both provide imap-server), so when it is not installed its .deb is unpacked (dpkg-deb -x, not installed)."""
    if os.path.exists(f"{CYRUS_BIN}/imapd"):
        return f"{CYRUS_BIN}/imapd"
    debs = [os.path.join("/var/cache/apt/archives", f) for f in os.listdir("/var/cache/apt/archives")
            if f.startswith("cyrus-imapd_")]
    if not debs:
        subprocess.run(["apt-get", "download", "-q", "cyrus-imapd"], cwd=work, check=True, capture_output=True)
        debs = [os.path.join(work, f) for f in os.listdir(work) if f.startswith("cyrus-imapd_")]
    target = os.path.join(work, "cyrus-imapd-deb")
    subprocess.run(["dpkg-deb", "-x", sorted(debs)[-1], target], check=True)
    return os.path.join(target, "usr/lib/cyrus/bin/imapd")


def start_cyrus(work, timeout):
    """A throwaway Cyrus IMAP 3.6 (Debian's cyrus-imapd + cyrus-caldav): its own imapd.conf, cyrus.conf, spool and
    sasldb under `work`, imapd and httpd (CalDAV module) on loopback ports. master runs as root and drops to the
    `cyrus` user, so the directory is handed to that user."""
    s = Server("Cyrus", "/dav/calendars/user/alice/Default/", "alice", timeout)
    s.port, imap_port = free_port(), free_port()
    d = os.path.join(work, "cyrus")
    for sub in ("conf", "conf/db", "conf/socket", "conf/proc", "conf/lock", "spool", "sieve", "run", "socket"):
        os.makedirs(os.path.join(d, sub))
    imapd = cyrus_imapd(work)
    conf = os.path.join(d, "imapd.conf")
    with open(conf, "w") as f:
        f.write(f"configdirectory: {d}/conf\npartition-default: {d}/spool\ndefaultpartition: default\n"
                f"sievedir: {d}/sieve\nadmins: cyrus\nallowplaintext: yes\n"
                f"sasl_pwcheck_method: auxprop\nsasl_auxprop_plugin: sasldb\nsasl_sasldb_path: {d}/sasldb2\n"
                "sasl_mech_list: PLAIN\nhttpmodules: caldav\nunixhierarchysep: yes\nvirtdomains: off\n"
                f"lmtpsocket: {d}/socket/lmtp\nidlesocket: {d}/socket/idle\nnotifysocket: {d}/socket/notify\n"
                "syslog_prefix: cyrus-bench\n")
    with open(os.path.join(d, "cyrus.conf"), "w") as f:
        f.write(f'START {{\n  recover cmd="ctl_cyrusdb -C {conf} -r"\n}}\nSERVICES {{\n'
                f'  imap cmd="{imapd} -C {conf}" listen="127.0.0.1:{imap_port}" prefork=0\n'
                f'  http cmd="httpd -C {conf}" listen="127.0.0.1:{s.port}" prefork=1\n'
                "}\nEVENTS {\n}\nDAEMON {\n}\n")
    for user in ("alice", "cyrus"):
        subprocess.run(["saslpasswd2", "-c", "-p", "-f", f"{d}/sasldb2", user], input=PASSWORD + "\n", text=True,
                       check=True)
    subprocess.run(["chown", "-R", "cyrus:mail", d], check=True)
    s.proc = subprocess.Popen([f"{CYRUS_BIN}/master", "-C", conf, "-M", f"{d}/cyrus.conf", "-p",
                               f"{d}/run/master.pid", "-D"], cwd=d, stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(work, "cyrus.log"), "w"))
    wait_port(imap_port)
    wait_port(s.port)
    imap = imaplib.IMAP4("127.0.0.1", imap_port)
    imap.login("cyrus", PASSWORD)
    status, _ = imap.create("user/alice")
    assert status == "OK", status
    imap.logout()
    # The first authenticated DAV request creates the user's default calendar.
    status, _ = s.client().request("PROPFIND", "/dav/calendars/user/alice/", headers=XML_DEPTH1)
    assert status == 207, status
    return s


def wait_port(port):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def load_by_put(server, events, connections):
    """PUTs every event, `connections` keep-alive connections in parallel; returns the seconds taken."""
    errors = []

    def worker(part):
        c = server.client()
        try:
            for name, event in part:
                status, body = c.request("PUT", server.cal + name, calendar(event), {"Content-Type": "text/calendar"})
                if status not in (201, 204):
                    errors.append((name, status, body[:200]))
                    return
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(("?", repr(e)))

    start = time.time()
    threads = [threading.Thread(target=worker, args=(events[i::connections],)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{server.name} load failed: {errors[:3]}")
    return time.time() - start


def median_ms(fn, rounds):
    """Median milliseconds of `rounds` calls of fn, or the timeout text if one of them times out."""
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        try:
            fn()
        except Timeout as e:
            return str(e)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(s, args, names):
    c = s.client()
    r = {}

    def check(expected, status_data):
        assert status_data[0] in expected, (s.name, status_data[0], status_data[1][:300])
        return status_data[1]

    def report(body):
        return check((207,), c.request("REPORT", s.cal, body, XML_DEPTH1))

    try:
        r["week_hits"] = count_responses(report(WEEK))
    except Timeout as e:
        r["week_hits"] = str(e)
    r["week REPORT (ms)"] = median_ms(lambda: report(WEEK), args.rounds)
    log(s, r)
    r["year REPORT (ms)"] = median_ms(lambda: report(YEAR), args.year_rounds)
    log(s, r)
    mg = multiget(s.cal, names)
    try:
        r["multiget_found"] = report(mg).decode().count("BEGIN:VCALENDAR")
    except Timeout as e:
        r["multiget_found"] = str(e)
    r["multiget 100 (ms)"] = median_ms(lambda: report(mg), args.rounds)
    log(s, r)
    # PUT rate: --puts new events, one per request, or fewer if --put-seconds runs out first (at least 5).
    done, t = 0, time.perf_counter()
    try:
        for i in range(args.puts):
            e = calendar(make_event(100000 + i, False))
            check((201, 204), c.request("PUT", f"{s.cal}put-{i}.ics", e, {"Content-Type": "text/calendar"}))
            done += 1
            if done >= 5 and time.perf_counter() - t > args.put_seconds:
                break
        r["PUT (events/s)"] = done / (time.perf_counter() - t)
    except Timeout as e:
        r["PUT (events/s)"] = str(e)
    r["puts_done"] = done
    log(s, r)
    sync_times = []
    try:
        for round_ in range(args.sync_rounds):
            token = sync_token(check((207,), c.request("REPORT", s.cal, sync_body(""), XML_DEPTH1)))
            for i in range(10):
                e = calendar(make_event(200000 + round_ * 10 + i, False))
                check((201, 204), c.request("PUT", f"{s.cal}sync-{round_}-{i}.ics", e,
                                            {"Content-Type": "text/calendar"}))
            t = time.perf_counter()
            body = check((207,), c.request("REPORT", s.cal, sync_body(token), XML_DEPTH1))
            sync_times.append((time.perf_counter() - t) * 1000)
            r["sync_changes"] = count_responses(body)
        r["sync-collection after 10 changes (ms)"] = statistics.median(sync_times)
    except Timeout as e:
        r["sync-collection after 10 changes (ms)"] = str(e)
    log(s, r)
    return r


def log(s, r):
    print(f"# {s.name}: " + ", ".join(f"{k} = {v:.1f}" if isinstance(v, float) else f"{k} = {v}"
                                      for k, v in r.items()), file=sys.stderr, flush=True)


def fmt(v):
    return f"{v:,.1f}" if isinstance(v, float) else str(v)


def ratio(row, b, other):
    """How many times better Bulwark is; a peer's timeout gives a lower bound from the time limit."""
    if isinstance(b, float) and isinstance(other, str) and other.startswith("timeout (>") and "/s" not in row:
        limit_ms = float(other[len("timeout (>"):].split()[0]) * 1000
        return f">{limit_ms / b:,.0f}x"
    if not isinstance(b, float) or not isinstance(other, float):
        return "n/a"
    return f"{(b / other if '/s' in row else other / b):,.1f}x"


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bulwark", default="build/src/app/bulwark")
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--recurring", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the week REPORT and the multiget")
    ap.add_argument("--year-rounds", type=int, default=3, help="rounds of the year REPORT")
    ap.add_argument("--sync-rounds", type=int, default=3)
    ap.add_argument("--puts", type=int, default=200)
    ap.add_argument("--put-seconds", type=float, default=60, help="stop the PUT row after this (at least 5 PUTs)")
    ap.add_argument("--timeout", type=float, default=600, help="per-request timeout of the timed rows (s)")
    ap.add_argument("--warmup-timeout", type=float, default=3600)
    ap.add_argument("--load-connections", type=int, default=4)
    ap.add_argument("--servers", default="Bulwark,Radicale,Cyrus")
    args = ap.parse_args()
    wanted = args.servers.split(",")
    if "Cyrus" in wanted and not os.path.exists(f"{CYRUS_BIN}/httpd"):
        print("# Cyrus not installed (scripts/install-deps.sh --bench): skipped", file=sys.stderr)
        wanted.remove("Cyrus")
    work = tempfile.mkdtemp(prefix="dav-bench-")
    os.chmod(work, 0o755)
    events = [(f"ev-{i}.ics", make_event(i, i < args.recurring)) for i in range(args.events)]
    random.Random(1).shuffle(events)
    names = [f"ev-{i}.ics" for i in range(0, args.events, max(1, args.events // 100))][:100]
    print(f"# before: {uptime()}", file=sys.stderr, flush=True)
    servers = []
    try:
        for name in wanted:
            if name == "Bulwark":
                s = start_bulwark(os.path.abspath(args.bulwark), work, args.timeout)
                servers.append(s)
                s.load_seconds = load_by_put(s, events, args.load_connections)
                s.load_how = f"{len(events)} PUTs over {args.load_connections} connections"
            elif name == "Radicale":
                s = start_radicale(work, events, args.timeout)
                servers.append(s)
                s.load_how = "storage files written directly"
            elif name == "Cyrus":
                s = start_cyrus(work, args.timeout)
                servers.append(s)
                s.load_seconds = load_by_put(s, events, args.load_connections)
                s.load_how = f"{len(events)} PUTs over {args.load_connections} connections"
            print(f"# loaded {s.name} in {s.load_seconds:.1f} s ({s.load_how})", file=sys.stderr, flush=True)
        for s in servers:
            # Warm-up, untimed: Radicale builds its item cache here (it parses every file once).
            t = time.time()
            status, body = s.client().request("REPORT", s.cal, YEAR, XML_DEPTH1, timeout=args.warmup_timeout)
            assert status == 207, status
            s.warmup_seconds = time.time() - t
            s.year_hits = count_responses(body)
            print(f"# {s.name} warm-up year REPORT: {s.warmup_seconds:.1f} s", file=sys.stderr, flush=True)
        results = {}
        for s in servers:
            results[s.name] = measure(s, args, names)
        print(f"# after: {uptime()}", file=sys.stderr, flush=True)
        rows = ["week REPORT (ms)", "year REPORT (ms)", "multiget 100 (ms)", "PUT (events/s)",
                "sync-collection after 10 changes (ms)"]
        b = results.get("Bulwark")
        peers = [n for n in ("Radicale", "Cyrus") if n in results]
        print("| measurement | Bulwark | " + " | ".join(f"{p} | ratio" for p in peers) + " |")
        print("|---|---|" + "---|---|" * len(peers))
        for row in rows:
            cells = [fmt(b[row]) if b else "-"]
            for p in peers:
                cells += [fmt(results[p][row]), ratio(row, b[row], results[p][row]) if b else "-"]
            print(f"| {row} | " + " | ".join(cells) + " |")
        print()
        for s in servers:
            r = results[s.name]
            print(f"{s.name}: loaded in {s.load_seconds:.1f} s ({s.load_how}), warm-up year REPORT "
                  f"{s.warmup_seconds:.1f} s; {r['week_hits']} events in the week, {s.year_hits} in the year, multiget found "
                  f"{r['multiget_found']}, {r['puts_done']} PUTs timed, sync reported {r.get('sync_changes')} "
                  "changes")
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
