"""Safety of the HTTP / DAV front-end, each with the real binary: XXE and DTDs refused, XML depth and size limits,
HTTP header/body/request limits, recurrence bombs cut at the configured limit, URL paths never reaching files,
one account unable to touch another's collections, and Basic authentication refused without TLS."""
import http.client
import re
import socket

from dav_client import CAL, NS, calendar_query, curl, event

ALICE_CAL = CAL


def test_xxe_and_dtds_are_refused(server):
    secret = server.workdir / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for body in (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&xxe;</d:displayname></d:prop></d:propfind>',
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        '<d:propfind xmlns:d="DAV:"><d:prop>&lol2;</d:prop></d:propfind>',
    ):
        r = curl(server, "PROPFIND", CAL, body, headers={"Depth": "0"})
        assert r.status == 400, r
        assert "TOP-SECRET" not in r.body
        assert "DTD" in r.body
    r = curl(server, "PROPPATCH", CAL, f'<!DOCTYPE x SYSTEM "file://{secret}"><d:propertyupdate xmlns:d="DAV:"/>')
    assert r.status == 400


def test_xml_depth_and_element_limits(make_server):
    srv = make_server({"dav": {"max_xml_depth": 8, "max_xml_elements": 100}})
    srv.add_user("alice@example.org")
    srv.start()
    deep = '<d:propfind xmlns:d="DAV:"><d:prop>' + "<x>" * 10 + "</x>" * 10 + "</d:prop></d:propfind>"
    r = curl(srv, "PROPFIND", CAL, deep, headers={"Depth": "0"})
    assert r.status == 400 and "deep" in r.body
    wide = '<d:propfind xmlns:d="DAV:"><d:prop>' + "<d:getetag/>" * 150 + "</d:prop></d:propfind>"
    r = curl(srv, "PROPFIND", CAL, wide, headers={"Depth": "0"})
    assert r.status == 400 and "too many" in r.body
    ok = '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
    assert curl(srv, "PROPFIND", CAL, ok, headers={"Depth": "0"}).status == 207


def test_http_header_body_and_resource_limits(make_server):
    srv = make_server({"http": {"max_header_size": "4K", "max_body_size": "64K"}, "dav": {"max_resource_size": "8K"}})
    srv.add_user("alice@example.org")
    srv.start()
    r = curl(srv, "PROPFIND", CAL, headers={"Depth": "0", "X-Filler": "a" * 6000})
    assert r.status == 431
    r = curl(srv, "PUT", CAL + "big.ics", "x" * 70000, headers={"Content-Type": "text/calendar"})
    assert r.status == 413
    big_event = event("big", "20260105T100000Z", extra="DESCRIPTION:" + "y" * 9000 + "\r\n")
    r = curl(srv, "PUT", CAL + "big.ics", big_event, headers={"Content-Type": "text/calendar"})
    assert r.status == 413 and "max-resource-size" in r.body
    # The server still serves requests after refusing those.
    assert curl(srv, "PROPFIND", CAL, headers={"Depth": "0"}).status == 207


def test_recurrence_bomb_is_cut_at_the_limit(make_server):
    srv = make_server({"dav": {"max_recurrence_instances": 1000}})
    srv.add_user("alice@example.org")
    srv.start()
    for name, rule in (("unbounded.ics", "RRULE:FREQ=SECONDLY\r\n"),
                       ("counted.ics", "RRULE:FREQ=SECONDLY;COUNT=900000000\r\n")):
        r = curl(srv, "PUT", CAL + name, event(name, "20260101T000000Z", extra=rule),
                 headers={"Content-Type": "text/calendar"})
        assert r.status == 201, r
    r = curl(srv, "REPORT", CAL, calendar_query("20260101T000000Z", "20270101T000000Z", expand=True),
             headers={"Depth": "1"})
    assert r.status == 207, r
    datas = [e.text for e in r.xml().findall(".//c:calendar-data", NS)]
    assert len(datas) == 2
    for data in datas:
        instances = len(re.findall("BEGIN:VEVENT", data))
        assert 0 < instances <= 1000  # a year of seconds is 31,536,000 instances; the limit cut it
    # A sub-daily rule with a filter that never matches would keep libical busy for minutes: refused on PUT.
    r = curl(srv, "PUT", CAL + "never.ics", event("never", "20260101T000000Z",
                                                  extra="RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\n"),
             headers={"Content-Type": "text/calendar"})
    assert r.status == 403 and "valid-calendar-data" in r.body
    # Time-range matching on a bomb far from its start still answers.
    r = curl(srv, "REPORT", CAL, calendar_query("20300101T000000Z", "20300102T000000Z"), headers={"Depth": "1"})
    assert r.status == 207


def test_url_paths_never_reach_files(server):
    (server.data_dir / "leak.txt").write_text("LEAKED")
    for path in ("/dav/calendars/alice@example.org/../../../leak.txt",
                 "/dav/calendars/alice@example.org/default/..%2f..%2f..%2fleak.txt",
                 "/dav/calendars/alice@example.org/%2e%2e/%2e%2e/leak.txt",
                 "/dav/calendars/alice@example.org/default/%2e%2e",
                 "/dav/calendars/alice@example.org/default/..%5c..%5cleak.txt",
                 "/dav/calendars/alice@example.org/default/%00",
                 "/dav/calendars/alice@example.org/default/x/y",
                 "/leak.txt", "/../leak.txt", "/dav/../leak.txt", "/dav/calendars/1/default/dav.db",
                 "/dav/calendars/alice@example.org/default/..%252f..%252fleak.txt"):
        r = curl(server, "GET", path)
        assert r.status in (400, 404, 405), (path, r)
        assert "LEAKED" not in r.body
        assert "SQLite" not in r.body


def test_bob_cannot_read_or_write_alices_collections(server):
    ics = event("private", "20260105T100000Z")
    assert curl(server, "PUT", CAL + "p.ics", ics, headers={"Content-Type": "text/calendar"}).status == 201
    bob = "bob@example.org"
    checks = [
        ("GET", CAL + "p.ics", None),
        ("PROPFIND", CAL, None),
        ("PROPFIND", "/dav/calendars/alice@example.org/", None),
        ("PUT", CAL + "evil.ics", event("evil", "20260105T100000Z")),
        ("PUT", CAL + "p.ics", event("private", "20260105T100000Z", summary="Overwritten")),
        ("DELETE", CAL + "p.ics", None),
        ("DELETE", CAL, None),
        ("PROPPATCH", CAL, '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>x</d:displayname>'
                           "</d:prop></d:set></d:propertyupdate>"),
        ("REPORT", CAL, calendar_query("20260101T000000Z", "20270101T000000Z")),
        ("MKCALENDAR", "/dav/calendars/alice@example.org/evil/", None),
        ("MOVE", CAL + "p.ics", None),
    ]
    for method, path, body in checks:
        headers = {"Depth": "1"}
        if method == "PUT":
            headers["Content-Type"] = "text/calendar"
        if method == "MOVE":
            headers["Destination"] = "/dav/calendars/bob@example.org/default/stolen.ics"
        r = curl(server, method, path, body, user=bob, headers=headers)
        assert r.status in (403, 404), (method, path, r)
        assert "UID:private" not in r.body and "p.ics" not in r.body
    r = curl(server, "PROPFIND", "/dav/calendars/alice@example.org/", user=bob, headers={"Depth": "1"})
    assert "default" not in r.body
    r = curl(server, "GET", CAL + "p.ics")
    assert r.status == 200 and "Overwritten" not in r.body


def test_basic_auth_refused_without_tls_when_loopback_is_not_trusted(make_server):
    srv = make_server({"": {"allow_plaintext_auth_on_loopback": False}})
    srv.add_user("alice@example.org")
    srv.start()
    r = curl(srv, "PROPFIND", CAL, headers={"Depth": "0"})
    assert r.status == 403 and "TLS" in r.body
    assert "HTTP Basic refused without TLS" in srv.log()
    r = curl(srv, "PROPFIND", CAL, headers={"Depth": "0"}, scheme="https")
    assert r.status == 207, r


def test_failed_logins_are_throttled(make_server):
    srv = make_server({"auth": {"max_failures_per_ip": 2}})
    srv.add_user("alice@example.org")
    srv.start()
    assert curl(srv, "PROPFIND", CAL, password="wrong1", headers={"Depth": "0"}).status == 401
    assert curl(srv, "PROPFIND", CAL, password="wrong2", headers={"Depth": "0"}).status == 401
    r = curl(srv, "PROPFIND", CAL, headers={"Depth": "0"})
    assert r.status == 429  # banned, even with the right password
    assert "banned" in srv.log()


def test_keep_alive_and_requests_per_connection(make_server):
    srv = make_server({"http": {"max_requests_per_connection": 3}})
    srv.add_user("alice@example.org")
    srv.start()
    conn = http.client.HTTPConnection("127.0.0.1", srv.port("http"), timeout=30)
    import base64
    auth = "Basic " + base64.b64encode(b"alice@example.org:secret-password").decode()
    statuses, connection_headers = [], []
    for _ in range(3):
        conn.request("PROPFIND", CAL, headers={"Authorization": auth, "Depth": "0"})
        response = conn.getresponse()
        response.read()
        statuses.append(response.status)
        connection_headers.append(response.getheader("Connection"))
    assert statuses == [207, 207, 207]
    assert connection_headers == ["keep-alive", "keep-alive", "close"]
    conn.close()


def test_request_rate_limit(make_server):
    srv = make_server({"http": {"max_requests_per_minute_per_ip": 3}})
    srv.add_user("alice@example.org")
    srv.start()
    statuses = [curl(srv, "OPTIONS", CAL).status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_malformed_and_slow_requests(make_server):
    srv = make_server({"http": {"request_timeout": 1}})
    srv.add_user("alice@example.org")
    srv.start()
    with socket.create_connection(("127.0.0.1", srv.port("http")), timeout=30) as s:
        s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 400")
    with socket.create_connection(("127.0.0.1", srv.port("http")), timeout=30) as s:
        s.sendall(b"PROPFIND /dav/ HTTP/1.1\r\nHost: x\r\n")  # and never finishes the header
        assert s.recv(100).startswith(b"HTTP/1.1 408")


def test_multiget_and_query_result_limits(make_server):
    srv = make_server({"dav": {"max_multiget_hrefs": 2, "max_query_results": 1}})
    srv.add_user("alice@example.org")
    srv.start()
    for i in range(2):
        assert curl(srv, "PUT", f"{CAL}q{i}.ics", event(f"q{i}", "20260105T100000Z"),
                    headers={"Content-Type": "text/calendar"}).status == 201
    hrefs = "".join(f"<d:href>{CAL}q{i}.ics</d:href>" for i in range(3))
    body = ('<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/>'
            f"</d:prop>{hrefs}</c:calendar-multiget>")
    assert curl(srv, "REPORT", CAL, body).status == 413
    r = curl(srv, "REPORT", CAL, calendar_query("20260101T000000Z", "20270101T000000Z"), headers={"Depth": "1"})
    assert r.status == 207
    assert len([h for h in r.hrefs() if h.endswith(".ics")]) == 1
    assert r.xml().find(".//d:number-of-matches-within-limits", NS) is not None


def test_idle_keep_alive_connections_are_closed(make_server):
    srv = make_server({"http": {"keepalive_timeout": 1}})
    srv.add_user("alice@example.org")
    srv.start()
    with socket.create_connection(("127.0.0.1", srv.port("http")), timeout=30) as s:
        s.sendall(b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while True:  # the response, then the server closes the idle connection (recv returns b"")
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.1 200")
        assert b"Connection: keep-alive" in data
