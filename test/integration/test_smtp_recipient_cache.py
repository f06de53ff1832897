"""RCPT answers are cached in the server (protocol/smtp/recipient_cache.h), but an admin's change made with the
CLI, another process, must be seen by the very next RCPT: the cache is checked against the directory's
change stamp (SQLite's data_version) on every use. Each test first makes the server cache the old answer."""
import smtplib

import pytest

from mailbox_inspect import inbox

MESSAGE = b"From: s@remote.example\r\nTo: x@example.org\r\nSubject: cache\r\n\r\nbody\r\n"


def rcpt(server, address):
    """One RCPT in a fresh session; returns (code, text)."""
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        s.ehlo("client.test")
        s.mail("s@remote.example")
        return s.rcpt(address)


def send(server, address):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        s.ehlo("client.test")
        return s.sendmail("s@remote.example", [address], MESSAGE)


def test_user_added_by_cli_is_accepted_at_once(server):
    for _ in range(3):  # the refusal is now cached
        assert rcpt(server, "carol@example.org")[0] == 550
    server.add_user("carol@example.org")
    assert rcpt(server, "carol@example.org")[0] == 250
    assert send(server, "carol@example.org") == {}
    assert len(inbox(server, "carol@example.org")) == 1


def test_user_removed_by_cli_is_refused_at_once(server):
    server.add_user("dave@example.org")
    for _ in range(3):  # the acceptance is now cached
        assert rcpt(server, "dave@example.org")[0] == 250
    server.cli("user", "remove", "dave@example.org")
    code, text = rcpt(server, "dave@example.org")
    assert code == 550 and text.startswith(b"5.1.1")


def test_alias_changes_are_seen_at_once(server):
    assert rcpt(server, "team@example.org")[0] == 550
    server.cli("alias", "add", "team@example.org", "bob@example.org")
    assert send(server, "team@example.org") == {}
    assert len(inbox(server, "bob@example.org")) == 1
    for _ in range(2):
        assert rcpt(server, "team@example.org")[0] == 250
    server.cli("alias", "remove", "team@example.org")
    server.cli("alias", "add", "team@example.org", "alice@example.org")
    assert send(server, "team@example.org") == {}
    assert len(inbox(server, "alice@example.org")) == 1
    assert len(inbox(server, "bob@example.org")) == 1, "the old alias target must not get it"


def rcpt_sized(server, address, size):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        s.ehlo("client.test")
        s.mail("s@remote.example", [f"SIZE={size}"])
        return s.rcpt(address)


def test_quota_is_checked_on_every_rcpt(server):
    # A recipient with a quota is never cached: whether the mailbox is full changes with every delivery.
    server.add_user("erin@example.org", quota="2K")
    assert rcpt_sized(server, "erin@example.org", 1000)[0] == 250
    assert rcpt_sized(server, "erin@example.org", 1000)[0] == 250
    big = b"From: s@remote.example\r\nSubject: big\r\n\r\n" + b"x" * 600 + b"\r\n" + b"y" * 600 + b"\r\n"
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        assert s.sendmail("s@remote.example", ["erin@example.org"], big) == {}
    code, text = rcpt_sized(server, "erin@example.org", 1000)
    assert code == 452 and text.startswith(b"4.2.2"), (code, text)


def test_domain_added_by_cli_stops_being_relay(server):
    code, text = rcpt(server, "frank@new.example")
    assert code == 550 and text.startswith(b"5.7.1")  # another domain, no AUTH: relaying refused
    server.add_user("frank@new.example")
    assert rcpt(server, "frank@new.example")[0] == 250
