"""Outbound delivery end to end: the real server resolves MX records at a loopback DNS server (dnslib) and hands
mail to receiving MTAs (aiosmtpd) on 127.0.0.x. Each outcome ends as docs/operations.md documents it:
delivered; retried after 4xx then delivered; 5xx bounced with an RFC 3464 DSN in the sender's INBOX; never a
bounce for the null sender; null MX (RFC 7505) bounced without a connection; connection reuse per domain."""
import re
import smtplib

import pytest

from mailbox_inspect import inbox, queue_entries
from outbound_harness import Behaviour, DnsPeer, Receiver, delivery_settings, free_port_on, restart, wait_until
from test_smtp_support import insecure_context

PASSWORD = "secret-password"
ADDRESSES = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]

ZONE = {
    "remote.example": [("MX", 10, "mx.remote.example")],
    "mx.remote.example": [("A", "127.0.0.2")],
    "slow.example": [("MX", 10, "mx.slow.example")],
    "mx.slow.example": [("A", "127.0.0.3")],
    "reject.example": [("MX", 10, "mx.reject.example")],
    "mx.reject.example": [("A", "127.0.0.4")],
    "implicit.example": [("A", "127.0.0.2")],   # no MX: the domain itself (RFC 5321 5.1)
    "nullmx.example": [("MX", 0, ".")],         # RFC 7505
}


@pytest.fixture
def outbound(make_server):
    port = free_port_on(ADDRESSES)
    dns = DnsPeer(ZONE)
    receivers = {
        "remote": Receiver("127.0.0.2", port),
        "slow": Receiver("127.0.0.3", port, Behaviour(tempfail_data=2)),
        "reject": Receiver("127.0.0.4", port, Behaviour(reject_rcpt={"nobody@reject.example"})),
    }
    srv = make_server({"delivery": delivery_settings(dns, port)})
    srv.add_user("alice@example.org")
    srv.add_user("bob@example.org")
    srv.start()
    yield srv, dns, receivers
    srv.stop()
    for r in receivers.values():
        r.stop()
    dns.stop()


def submit(server, rcpts, subject="hello", sender="alice@example.org", extra_headers=""):
    body = (f"From: {sender}\r\nTo: {', '.join(rcpts)}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject}@example.org>\r\n{extra_headers}\r\nHello out there.\r\n.leading dot\r\n")
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as s:
        s.starttls(context=insecure_context())
        s.login(sender, PASSWORD)
        assert s.sendmail(sender, rcpts, body.encode()) == {}


def dsns(server):
    return [m.content for m in inbox(server, "alice@example.org") if b"multipart/report" in m.content]


def test_delivered_and_queue_emptied(outbound):
    srv, dns, rx = outbound
    submit(srv, ["bob@remote.example", "carol@implicit.example"], subject="plain")
    wait_until(lambda: len(rx["remote"].messages) == 2, what="two deliveries at 127.0.0.2")
    rcpts = sorted(r for m in rx["remote"].messages for r in m[1])
    assert rcpts == ["bob@remote.example", "carol@implicit.example"]
    mail_from, _, content = rx["remote"].messages[0]
    assert mail_from == "alice@example.org"
    assert b"Subject: plain" in content and b"\r\n.leading dot\r\n" in content  # dot-stuffing undone by the peer
    assert b"Received: from" in content
    wait_until(lambda: queue_entries(srv.data_dir) == [], what="empty queue")
    assert ("mx.remote.example.", "A") in dns.resolver.queries
    srv.wait_for_log("to=<bob@remote.example> delivered")
    srv.wait_for_log("tls=none")  # aiosmtpd without a certificate offers no STARTTLS; logged per delivery
    assert dsns(srv) == []


def test_tempfail_is_retried_then_delivered(outbound):
    srv, _, rx = outbound
    submit(srv, ["dave@slow.example"], subject="retry")
    wait_until(lambda: len(rx["slow"].messages) == 1, timeout=60, what="delivery after two 451s")
    assert rx["slow"].handler.tempfails == 2
    assert srv.log().count("to=<dave@slow.example> deferred") == 2
    assert "451 4.3.0 try again later" in srv.log()
    wait_until(lambda: queue_entries(srv.data_dir) == [], what="empty queue")
    assert dsns(srv) == []


def test_reject_bounces_with_dsn_to_sender(outbound):
    srv, _, rx = outbound
    submit(srv, ["nobody@reject.example", "bob@remote.example"], subject="bounce")
    wait_until(lambda: len(dsns(srv)) == 1, what="a DSN in alice's INBOX")
    dsn = dsns(srv)[0]
    assert b"Content-Type: multipart/report; report-type=delivery-status" in dsn
    assert b"Content-Type: message/delivery-status" in dsn
    assert b"Reporting-MTA: dns; mail.test" in dsn
    assert b"Final-Recipient: rfc822; nobody@reject.example" in dsn
    assert b"Action: failed" in dsn and b"Status: 5.1.1" in dsn
    assert b"Diagnostic-Code: smtp; 550 5.1.1 <nobody@reject.example>: no such user here" in dsn
    assert b"Remote-MTA: dns; mx.reject.example" in dsn
    assert b"Subject: bounce" in dsn            # the original header comes back (text/rfc822-headers)
    assert b"Hello out there." not in dsn       # but not the body (no RET=FULL)
    assert re.search(rb"Return-Path: <>", dsn)  # DSNs are sent from the null reverse path
    assert b"bob@remote.example" not in dsn.split(b"message/delivery-status")[1].split(b"text/rfc822-headers")[0]
    wait_until(lambda: len(rx["remote"].messages) == 1, what="the other recipient still delivered")
    wait_until(lambda: queue_entries(srv.data_dir) == [], what="empty queue")


def test_null_sender_is_never_bounced(outbound):
    srv, _, rx = outbound
    srv.cli("alias", "add", "fwd@example.org", "nobody@reject.example")
    with smtplib.SMTP("127.0.0.1", srv.port("smtp"), timeout=10) as s:
        s.ehlo("peer.test")
        s.sendmail("", ["fwd@example.org"], b"From: someone@peer.test\r\nSubject: null\r\n\r\nbody\r\n")
    srv.wait_for_log("to=<nobody@reject.example> bounced", timeout=30)
    wait_until(lambda: queue_entries(srv.data_dir) == [], what="empty queue")
    assert "DSN to" not in srv.log()
    assert dsns(srv) == []
    assert rx["reject"].messages == []


def test_null_mx_bounces_without_connecting(outbound):
    srv, dns, _ = outbound
    submit(srv, ["x@nullmx.example"], subject="nullmx")
    wait_until(lambda: len(dsns(srv)) == 1, what="a DSN for the null MX")
    dsn = dsns(srv)[0]
    assert b"Status: 5.1.10" in dsn and b"null MX" in dsn
    assert ("nullmx.example.", "A") not in dns.resolver.queries


def test_unknown_domain_bounces(outbound):
    srv, _, _ = outbound
    submit(srv, ["x@nowhere.example"], subject="nxdomain")
    wait_until(lambda: len(dsns(srv)) == 1, what="a DSN for NXDOMAIN")
    assert b"Status: 5.1.2" in dsns(srv)[0]


def test_one_connection_carries_many_messages(outbound):
    srv, _, rx = outbound
    srv.stop()
    srv.settings["delivery"]["enabled"] = False
    srv.write_config()
    restart(srv)
    for i in range(5):
        submit(srv, [f"user{i}@remote.example"], subject=f"batch{i}")
    srv.stop()
    srv.settings["delivery"].update(enabled=True, max_connections_per_domain=1)
    srv.write_config()
    restart(srv)
    wait_until(lambda: len(rx["remote"].messages) == 5, what="five deliveries")
    assert srv.log().count("delivery: connected to mx.remote.example[127.0.0.2]") == 1


@pytest.fixture
def quiet_poll(make_server):
    """Like `outbound`, but the worker's poll comes only once an hour: whatever is delivered after the first pass
    was started by the wake-up that queueing a message sends the worker."""
    def start(**extra):
        port = free_port_on(ADDRESSES)
        dns = DnsPeer(ZONE)
        rx = Receiver("127.0.0.2", port)
        srv = make_server({"delivery": delivery_settings(dns, port, poll_interval="1h", **extra)})
        srv.add_user("alice@example.org")
        srv.start()
        started.append((srv, dns, rx))
        return srv, rx
    started = []
    yield start
    for srv, dns, rx in started:
        srv.stop()
        rx.stop()
        dns.stop()


def test_queued_message_is_delivered_without_waiting_for_the_poll(quiet_poll):
    srv, rx = quiet_poll()
    srv.wait_for_log("delivery: worker started")
    submit(srv, ["bob@remote.example"], subject="woken")
    wait_until(lambda: len(rx.messages) == 1, timeout=30, what="a delivery started by the wake-up")
    assert b"Subject: woken" in rx.messages[0][2]


def test_cached_connection_carries_the_next_message(quiet_poll):
    srv, rx = quiet_poll(connection_cache_time="60s")
    submit(srv, ["bob@remote.example"], subject="first")
    srv.wait_for_log("to=<bob@remote.example> delivered")
    submit(srv, ["carol@remote.example"], subject="second")  # the first connection is idle, still open
    srv.wait_for_log("to=<carol@remote.example> delivered")
    assert len(rx.messages) == 2
    assert srv.log().count("delivery: connected to mx.remote.example[127.0.0.2]") == 1


def test_without_connection_cache_each_lull_closes_the_connection(quiet_poll):
    srv, rx = quiet_poll(connection_cache_time="0s")
    submit(srv, ["bob@remote.example"], subject="first")
    srv.wait_for_log("to=<bob@remote.example> delivered")
    submit(srv, ["carol@remote.example"], subject="second")
    srv.wait_for_log("to=<carol@remote.example> delivered")
    assert len(rx.messages) == 2
    assert srv.log().count("delivery: connected to mx.remote.example[127.0.0.2]") == 2


def test_queue_cli_list_show_retry_delete(make_server):
    port = free_port_on(ADDRESSES)
    dns = DnsPeer(ZONE)
    try:
        # Nothing listens at the MX: every attempt is a connection failure, retried with backoff.
        srv = make_server({"delivery": delivery_settings(dns, port, retry_base="1h", retry_max="2h",
                                                         connect_timeout="2s")})
        srv.add_user("alice@example.org")
        srv.start()
        submit(srv, ["bob@remote.example", "eve@slow.example"], subject="stuck")
        srv.wait_for_log("to=<bob@remote.example> deferred", timeout=30)
        srv.wait_for_log("to=<eve@slow.example> deferred", timeout=30)
        listing = srv.cli("queue", "list").stdout
        qid = listing.split()[0]
        assert "from=<alice@example.org>" in listing and "pending=2" in listing and "1 message(s) queued" in listing
        shown = srv.cli("queue", "show", qid).stdout
        assert "recipient: bob@remote.example\tstate=pending\tattempts=1" in shown
        assert "last_error=cannot connect to mx.remote.example[127.0.0.2]" in shown
        log_before = srv.log().count("to=<bob@remote.example> deferred")
        assert "due now" in srv.cli("queue", "retry", qid).stdout
        wait_until(lambda: srv.log().count("to=<bob@remote.example> deferred") == log_before + 1,
                   what="an attempt after queue retry")
        assert "attempts=2" in srv.cli("queue", "show", qid).stdout
        assert "1 message(s) due now" in srv.cli("queue", "retry", "--all").stdout
        assert "deleted" in srv.cli("queue", "delete", qid).stdout
        assert "0 message(s) queued" in srv.cli("queue", "list").stdout
        missing = srv.cli("queue", "show", qid, check=False)
        assert missing.returncode == 1 and "no queued message" in missing.stderr
        bad = srv.cli("queue", "delete", "abc", check=False)
        assert bad.returncode == 1 and "must be a number" in bad.stderr
    finally:
        dns.stop()


def test_lifetime_expiry_bounces_with_4_4_7(make_server):
    port = free_port_on(ADDRESSES)
    dns = DnsPeer(ZONE)
    try:
        srv = make_server({"delivery": delivery_settings(dns, port, lifetime="3s", connect_timeout="1s")})
        srv.add_user("alice@example.org")
        srv.start()
        submit(srv, ["bob@remote.example"], subject="expire")
        wait_until(lambda: len(dsns(srv)) == 1, timeout=30, what="an expiry DSN")
        dsn = dsns(srv)[0]
        assert b"Status: 4.4.7" in dsn and b"Action: failed" in dsn
        # The DSN lands in alice's INBOX before the expired entry's removal commits (a separate queue.db write):
        # give that write time under a slow build (ASan) before checking.
        wait_until(lambda: queue_entries(srv.data_dir) == [], timeout=30, what="the expired entry removed")
        assert queue_entries(srv.data_dir) == []
    finally:
        dns.stop()


def test_bounce_wakes_the_senders_idle_session(make_server):
    """The worker's local deliveries (here a DSN) reach IMAP IDLE through the in-process notifier: the fallback
    poll is an hour, so only the notifier can report the bounce."""
    from imapx_support import Raw, tagged
    dns = DnsPeer(ZONE)
    srv = make_server({"delivery": delivery_settings(dns, free_port_on(ADDRESSES)), "limits": {"imap_idle_poll": "1h"}})
    srv.add_user("alice@example.org")
    srv.start()
    try:
        raw = Raw(srv.port("imap"), timeout=30)
        raw.login()
        raw.command("s", "SELECT INBOX")
        raw.send("i IDLE\r\n")
        assert raw.line().startswith("+ ")
        submit(srv, ["x@nullmx.example"], subject="wake")
        assert raw.line() == "* 1 EXISTS"
        raw.send("DONE\r\n")
        assert tagged(raw.until_tagged("i")).startswith("i OK")
        raw.close()
        assert b"Status: 5.1.10" in dsns(srv)[0]
    finally:
        srv.stop()
        dns.stop()
