"""LITERAL- before authentication and LITERAL+ after it (RFC 7888, RFC 9051 7.5), and UTF8=ACCEPT (RFC 6855):
UTF-8 mailbox names and APPEND with UTF8 (literal8)."""
import imaplib

from imapx_support import Raw, find, message, tagged


def test_literal_minus_before_and_literal_plus_after_authentication(server):
    raw = Raw(server.port("imap"))
    assert " LITERAL-" in raw.greeting and "LITERAL+" not in raw.greeting
    caps = raw.login()
    caps += raw.command("c", "CAPABILITY")
    line = find(caps, r"^\* CAPABILITY")[0]
    assert " LITERAL+" in line and "LITERAL-" not in line
    raw.close()


def test_big_non_synchronizing_literal_before_authentication_is_bad_toobig(server):
    raw = Raw(server.port("imap"))
    raw.send(b"a LOGIN {5000+}\r\n" + b"u" * 5000 + b" password\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a BAD [TOOBIG]")
    # The literal was skipped, not executed as commands; the session goes on.
    assert tagged(raw.command("n", "NOOP")).startswith("n OK")
    # Up to 4096 octets is fine under LITERAL-.
    user = b"alice@example.org"
    raw.send(b"b LOGIN {%d+}\r\n" % len(user) + user + b" secret-password\r\n")
    assert tagged(raw.until_tagged("b")).startswith("b OK")
    raw.close()


def test_big_non_synchronizing_literal_after_authentication_is_accepted(server):
    raw = Raw(server.port("imap"))
    raw.login()
    body = message("big plus", size=20000)
    raw.send(f"a APPEND INBOX {{{len(body)}+}}\r\n".encode() + body + b"\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a OK [APPENDUID")
    raw.close()


def test_utf8_accept_mailbox_names_and_append(server):
    raw = Raw(server.port("imap"))
    raw.login()
    assert "UTF8=ACCEPT" in raw.command("c", "CAPABILITY")[0]
    lines = raw.command("e", "ENABLE UTF8=ACCEPT")
    assert "* ENABLED UTF8=ACCEPT" in lines
    assert tagged(raw.command("c", 'CREATE "Über/Straße"')).startswith("c OK")
    lines = raw.command("l", 'LIST "" "Über*"')
    assert any('"Über/Straße"' in line for line in lines), lines
    body = ("From: Jörg <jörg@example.org>\r\nSubject: Grüße\r\n\r\nHallo.\r\n").encode()
    raw.send(f'a APPEND "Über/Straße" UTF8 (~{{{len(body)}+}}\r\n'.encode() + body + b")\r\n")
    assert tagged(raw.until_tagged("a")).startswith("a OK [APPENDUID")
    raw.command("s", 'SELECT "Über/Straße"')
    raw.send(b"f FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]\r\n")
    data = b""
    while b"f OK" not in data:
        data += raw.sock.recv(65536)
    assert "Subject: Grüße".encode() in data
    raw.close()


def test_without_utf8_accept_names_are_modified_utf7(server):
    client = imaplib.IMAP4("127.0.0.1", server.port("imap"))
    client.starttls(ssl_context=__import__("imapx_support").tls_context())
    client.login("alice@example.org", "secret-password")
    assert client.create('"&ANw-ber"')[0] == "OK"
    typ, data = client.list('""', '"&ANw-ber"')
    assert typ == "OK" and b"&ANw-ber" in data[0]
    client.logout()
