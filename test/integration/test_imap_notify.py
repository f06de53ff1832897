"""Immediate change notification: an IDLE session hears of new mail delivered by SMTP, of another session's
APPEND, flag change and expunge at once. The fallback poll (limits.imap_idle_poll) is set to an hour, so these
responses can only come from the in-process notifier; each read waits up to 20 s, far less than the poll."""
import time

import pytest

from imapx_support import Raw, connect, deliver_by_smtp, message, tagged


@pytest.fixture
def slow_poll_server(make_server):
    srv = make_server({"limits": {"imap_idle_poll": "1h"}})
    srv.add_user("alice@example.org")
    srv.add_user("bob@example.org")
    return srv.start()


def idle_on_inbox(server, user="alice@example.org"):
    raw = Raw(server.port("imap"))
    raw.login(user)
    raw.command("s", "SELECT INBOX")
    raw.send("i IDLE\r\n")
    assert raw.line().startswith("+ ")
    return raw


def test_smtp_delivery_wakes_idle(slow_poll_server):
    raw = idle_on_inbox(slow_poll_server)
    deliver_by_smtp(slow_poll_server, "alice@example.org", "delivered")
    assert raw.line() == "* 1 EXISTS"
    raw.send("DONE\r\n")
    assert tagged(raw.until_tagged("i")).startswith("i OK")
    raw.close()


def test_other_sessions_append_store_and_expunge_wake_idle(slow_poll_server):
    raw = idle_on_inbox(slow_poll_server)
    other = connect(slow_poll_server)
    assert other.append("INBOX", None, None, message("appended"))[0] == "OK"
    assert raw.line() == "* 1 EXISTS"
    other.select("INBOX")
    other.store("1", "+FLAGS", r"(\Flagged)")
    line = raw.line()
    assert line.startswith("* 1 FETCH (") and "\\Flagged" in line
    other.store("1", "+FLAGS", r"(\Deleted)")
    other.expunge()
    assert raw.until(lambda line: "EXPUNGE" in line)[-1] == "* 1 EXPUNGE"
    raw.send("DONE\r\n")
    assert tagged(raw.until_tagged("i")).startswith("i OK")
    other.logout()
    raw.close()


def test_changes_to_another_account_do_not_concern_the_idle_session(slow_poll_server):
    raw = idle_on_inbox(slow_poll_server)
    deliver_by_smtp(slow_poll_server, "bob@example.org", "for bob")
    deliver_by_smtp(slow_poll_server, "alice@example.org", "for alice")
    assert raw.line() == "* 1 EXISTS"  # bob's message never showed up as alice's
    raw.send("DONE\r\n")
    lines = raw.until_tagged("i")
    assert lines == ["i OK IDLE terminated"]
    raw.close()


def test_notification_between_commands_is_reported_when_idle_starts(slow_poll_server):
    raw = Raw(slow_poll_server.port("imap"))
    raw.login()
    raw.command("s", "SELECT INBOX")
    deliver_by_smtp(slow_poll_server, "alice@example.org", "before idle")
    raw.send("i IDLE\r\n")
    lines = raw.until(lambda line: "EXISTS" in line)
    assert lines[-1] == "* 1 EXISTS"
    raw.send("DONE\r\n")
    assert tagged(raw.until_tagged("i")).startswith("i OK")
    raw.close()


def test_wake_up_and_fallback_poll_inside_tls_reads(make_server):
    """A wake-up (or a poll) cuts a pending TLS read short; the TLS session must carry on unharmed."""
    srv = make_server({"limits": {"imap_idle_poll": "1s"}})
    srv.add_user("alice@example.org")
    srv.start()
    raw = Raw(srv.port("imaps"), tls=True)
    raw.login()
    raw.command("s", "SELECT INBOX")
    raw.send("i IDLE\r\n")
    assert raw.line().startswith("+ ")
    time.sleep(2.5)  # a few fallback polls pass inside TLS reads
    other = connect(srv)
    for n in range(1, 4):
        assert other.append("INBOX", None, None, message(f"n{n}"))[0] == "OK"
        assert raw.until(lambda line: "EXISTS" in line)[-1] == f"* {n} EXISTS"
    raw.send("DONE\r\n")
    assert tagged(raw.until_tagged("i")) == "i OK IDLE terminated"
    lines = raw.command("f", "FETCH 3 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    assert "Subject: n3" in "\n".join(lines)
    other.logout()
    raw.close()
