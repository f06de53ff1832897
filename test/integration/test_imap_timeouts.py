"""Autologout timers (RFC 9051 5.4): limits.imap_preauth_timeout before authentication, limits.imap_idle_timeout
(default 30 minutes) after it; the two are independent. Values here are small so the test is quick; the margins
are seconds wide."""
import time

from imapx_support import Raw, tagged


def test_preauth_timeout_closes_unauthenticated_connections(make_server):
    srv = make_server({"limits": {"imap_preauth_timeout": "1s", "imap_idle_timeout": "1h"}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    assert raw.line() == "* BYE Autologout; idle for too long"
    assert raw.closed()


def test_authenticated_sessions_get_the_longer_idle_timeout(make_server):
    srv = make_server({"limits": {"imap_preauth_timeout": "1s", "imap_idle_timeout": "8s"}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    raw.login()
    time.sleep(3)  # three times the pre-auth timeout
    assert tagged(raw.command("n", "NOOP")).startswith("n OK")
    started = time.time()
    assert raw.line() == "* BYE Autologout; idle for too long"
    assert time.time() - started >= 4  # not the pre-auth timeout
    assert raw.closed()


def test_idle_timeout_also_ends_idle(make_server):
    srv = make_server({"limits": {"imap_idle_timeout": "2s"}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imap"))
    raw.login()
    raw.command("s", "SELECT INBOX")
    raw.send("i IDLE\r\n")
    assert raw.line().startswith("+ ")
    assert raw.line() == "* BYE Autologout; idle for too long"

