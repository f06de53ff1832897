"""QUOTA (RFC 9208) with imaplib: GETQUOTAROOT / GETQUOTA report the account quota as the STORAGE resource of
the root "", SETQUOTA is refused, and APPEND over the quota fails with [OVERQUOTA]."""
import re

import pytest

from imapx_support import Raw, connect, message, tagged


@pytest.fixture
def quota_server(make_server):
    srv = make_server()
    srv.add_user("alice@example.org", quota="100K")
    srv.add_user("bob@example.org")
    return srv.start()


def storage(data):
    match = re.search(rb"STORAGE (\d+) (\d+)", b" ".join(x for x in data if isinstance(x, bytes)))
    return int(match.group(1)), int(match.group(2))


def test_capabilities(quota_server):
    client = connect(quota_server)
    assert "QUOTA" in client.capabilities and "QUOTA=RES-STORAGE" in client.capabilities
    assert "QUOTASET" not in client.capabilities
    client.logout()


def test_getquotaroot_and_getquota_follow_usage(quota_server):
    client = connect(quota_server)
    typ, data = client.getquotaroot("INBOX")
    assert typ == "OK"
    assert data[0] == [b'INBOX ""']
    assert storage(data[1]) == (0, 100)
    body = message("three k", size=3000)
    assert client.append("INBOX", None, None, body)[0] == "OK"
    typ, data = client.getquota('""')
    assert typ == "OK" and storage(data) == ((len(body) + 1023) // 1024, 100)  # KiB, rounded up
    client.logout()


def test_setquota_is_refused_and_unknown_roots_do_not_exist(quota_server):
    client = connect(quota_server)
    typ, data = client.setquota('""', "(STORAGE 1000)")
    assert typ == "NO"
    typ, data = client.getquota('"other"')
    assert typ == "NO"
    typ, data = client.getquotaroot("NoSuchMailbox")
    assert typ == "NO"
    client.logout()


def test_account_without_quota_has_no_quota_root(quota_server):
    client = connect(quota_server, "bob@example.org")
    typ, data = client.getquotaroot("INBOX")
    assert typ == "OK" and data[0] == [b"INBOX"] and data[1] == [None]
    assert client.getquota('""')[0] == "NO"
    client.logout()


def test_append_over_quota_fails_with_overquota(quota_server):
    raw = Raw(quota_server.port("imap"))
    raw.login()
    big = message("too big", size=150000)
    raw.send(f"a APPEND INBOX {{{len(big)}+}}\r\n".encode() + big + b"\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a NO [OVERQUOTA]")
    small = message("fits", size=1000)
    raw.send(f"b APPEND INBOX {{{len(small)}+}}\r\n".encode() + small + b"\r\n")
    assert tagged(raw.until_tagged("b")).startswith("b OK")
    raw.close()
