"""MULTIAPPEND (RFC 3502): several messages in one APPEND, all or none; and a client that disconnects in the
middle of an APPEND or MULTIAPPEND leaves nothing behind (checked again after a restart)."""
import pytest

from imapx_support import restart, Raw, connect, message, tagged


def count(server, mailbox="INBOX"):
    client = connect(server)
    typ, data = client.select(mailbox)
    client.logout()
    assert typ == "OK"
    return int(data[0])


def test_multiappend_with_synchronizing_literals(server):
    raw = Raw(server.port("imap"))
    raw.login()
    parts = [message("one"), message("two"), message("three")]
    raw.send(f"a APPEND INBOX (\\Seen) {{{len(parts[0])}}}\r\n")
    assert raw.line().startswith("+ ")
    raw.send(parts[0] + f' "01-Jul-2025 10:00:00 +0200" {{{len(parts[1])}}}\r\n'.encode())
    assert raw.line().startswith("+ ")
    raw.send(parts[1] + f" (\\Flagged) {{{len(parts[2])}}}\r\n".encode())
    assert raw.line().startswith("+ ")
    raw.send(parts[2] + b"\r\n")
    reply = tagged(raw.until_tagged("a"))
    assert reply.startswith("a OK [APPENDUID ") and reply.split()[4] == "1:3]"
    lines = raw.command("s", "SELECT INBOX")
    assert "* 3 EXISTS" in lines
    lines = raw.command("f", "FETCH 1:3 (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    text = "\n".join(lines)
    assert "Subject: one" in text and "Subject: two" in text and "Subject: three" in text
    assert "01-Jul-2025 10:00:00 +0200" in text or "01-Jul-2025 08:00:00 +0000" in text
    assert "\\Seen" in lines[0] and "\\Flagged" in text
    raw.close()


def test_multiappend_with_non_synchronizing_literals(server):
    raw = Raw(server.port("imap"))
    raw.login()
    a, b = message("plus one"), message("plus two")
    raw.send(f"a APPEND Drafts {{{len(a)}+}}\r\n".encode() + a + f" {{{len(b)}+}}\r\n".encode() + b + b"\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a OK [APPENDUID ")
    raw.close()
    assert count(server, "Drafts") == 2


def test_multiappend_over_quota_appends_nothing(make_server):
    srv = make_server()
    srv.add_user("alice@example.org", quota="20K")
    srv.start()
    raw = Raw(srv.port("imap"))
    raw.login()
    a, b = message("half", size=12000), message("other half", size=12000)  # each fits, together they do not
    raw.send(f"a APPEND INBOX {{{len(a)}+}}\r\n".encode() + a + f" {{{len(b)}+}}\r\n".encode() + b + b"\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a NO [OVERQUOTA]")
    raw.close()
    assert count(srv, "INBOX") == 0


def test_multiappend_to_a_missing_mailbox_says_trycreate(server):
    raw = Raw(server.port("imap"))
    raw.login()
    a = message("nowhere")
    raw.send(f"a APPEND Nowhere {{{len(a)}+}}\r\n".encode() + a + f" {{{len(a)}+}}\r\n".encode() + a + b"\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a NO [TRYCREATE]")
    raw.close()


@pytest.mark.parametrize("multi", [False, True])
def test_disconnect_mid_append_leaves_nothing(server, multi):
    raw = Raw(server.port("imap"))
    raw.login()
    first = message("first", size=5000)
    if multi:
        # The first message is complete, the second is cut off half-way.
        raw.send(f"a APPEND INBOX {{{len(first)}+}}\r\n".encode() + first + b" {5000+}\r\n" + b"y" * 2500)
    else:
        raw.send(b"a APPEND INBOX {5000+}\r\n" + first[:2500])
    raw.close()
    # The server noticed the EOF: a new session works and finds nothing, also after a restart.
    assert count(server) == 0
    restart(server)
    assert count(server) == 0
    client = connect(server)
    typ, data = client.status("INBOX", "(MESSAGES UIDNEXT)")
    assert typ == "OK" and b"MESSAGES 0" in data[0]
    client.logout()
