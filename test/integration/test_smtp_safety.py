"""SMTP safety rules, each with a test: SMTP smuggling, line and size limits, recipient limit, idle timeout,
disconnect mid-DATA, too many errors, per-IP message rate and connection limits, NUL bytes, malformed
addresses, and the 421 on shutdown."""
import signal
import socket
import time

import pytest

from mailbox_inspect import blob_count, inbox
from test_smtp_support import RawSmtp, wait_until

SMUGGLING_VARIANTS = [b"\n.\n", b"\r.\r", b"\n.\r\n", b"\r\n.\n", b"\r.\r\n"]


def smuggle(port, variant):
    c = RawSmtp(port).greeting()
    c.ehlo()
    c.send(b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
    assert [c.reply()[0] for _ in range(3)] == [250, 250, 354]
    c.send(b"Subject: outer\r\n\r\nouter body" + variant +
           b"MAIL FROM:<evil@remote.example>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n"
           b"Subject: smuggled\r\n\r\nsmuggled\r\n.\r\n")
    return c, c.reply()


@pytest.mark.parametrize("variant", SMUGGLING_VARIANTS, ids=repr)
def test_smuggling_rejected_by_default(server, variant):
    c, (code, text) = smuggle(server.port("smtp"), variant)
    assert code == 550 and text.startswith("5.6.0"), text
    assert c.cmd("NOOP")[0] == 250, "the session stays in step: nothing after the real terminator was a command"
    assert inbox(server, "alice@example.org") == [] and inbox(server, "bob@example.org") == []


@pytest.mark.parametrize("variant", SMUGGLING_VARIANTS, ids=repr)
def test_smuggling_normalized_is_one_message(make_server, variant):
    srv = make_server({"smtp": {"bare_line_ending": "normalize"}})
    srv.add_user("alice@example.org")
    srv.add_user("bob@example.org")
    srv.start()
    c, (code, text) = smuggle(srv.port("smtp"), variant)
    assert code == 250, text
    alice = inbox(srv, "alice@example.org")
    assert len(alice) == 1
    assert b"MAIL FROM:<evil@remote.example>" in alice[0].content and b"smuggled" in alice[0].content
    assert b"\r\n" in alice[0].content and b"\r\r" not in alice[0].content
    assert inbox(srv, "bob@example.org") == []


def test_command_line_too_long(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("NOOP " + "x" * 5000) == (500, "5.5.6 Line too long")
    assert c.cmd("NOOP " + "x" * 20000) == (500, "5.5.6 Line too long")
    assert c.cmd("NOOP")[0] == 250


def test_text_line_too_long(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    c.send(b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
    assert [c.reply()[0] for _ in range(3)] == [250, 250, 354]
    c.send(b"Subject: long\r\n\r\n" + b"y" * 3000 + b"\r\n.\r\n")
    code, text = c.reply()
    assert code == 550 and text.startswith("5.6.0"), text
    assert inbox(server, "alice@example.org") == []


def limited_server(make_server, **limits):
    srv = make_server({"limits": limits})
    srv.add_user("alice@example.org")
    srv.add_user("bob@example.org")
    return srv.start()


def test_message_size_limits(make_server):
    srv = limited_server(make_server, max_message_size="10K")
    c = RawSmtp(srv.port("smtp")).greeting()
    assert "SIZE 10240" in c.ehlo()
    assert c.cmd("MAIL FROM:<a@remote.example> SIZE=20000") == (
        552, "5.3.4 Message size exceeds fixed maximum message size")
    # Undeclared: consumed to the end, then refused; the session continues.
    c.send(b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
    assert [c.reply()[0] for _ in range(3)] == [250, 250, 354]
    c.send(b"Subject: big\r\n\r\n" + (b"z" * 70 + b"\r\n") * 300 + b".\r\n")
    assert c.reply() == (552, "5.3.4 Message size exceeds fixed maximum message size")
    assert c.cmd("NOOP")[0] == 250
    # BDAT too: the chunk is consumed, refused, and so is the rest of the transaction.
    c.send(b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\n")
    assert c.reply()[0] == 250 and c.reply()[0] == 250
    c.send(b"BDAT 20000\r\n" + b"q" * 20000)
    assert c.reply()[0] == 552
    c.send(b"BDAT 10 LAST\r\n" + b"q" * 10)
    assert c.reply()[0] == 554
    assert c.cmd("NOOP")[0] == 250
    assert inbox(srv, "alice@example.org") == []


def test_too_many_recipients(make_server):
    srv = limited_server(make_server, max_recipients=2)
    c = RawSmtp(srv.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("MAIL FROM:<a@remote.example>")[0] == 250
    assert c.cmd("RCPT TO:<alice@example.org>")[0] == 250
    assert c.cmd("RCPT TO:<bob@example.org>")[0] == 250
    assert c.cmd("RCPT TO:<alice+x@example.org>") == (452, "4.5.3 Too many recipients")


def test_idle_timeout_says_421(make_server):
    srv = limited_server(make_server, idle_timeout=2)
    c = RawSmtp(srv.port("smtp")).greeting()
    c.ehlo()
    started = time.time()
    assert c.reply() == (421, "4.4.2 mail.test Timeout, closing")
    assert 1.5 < time.time() - started < 10
    assert c.closed()


def test_disconnect_mid_data_delivers_nothing(server):
    before = blob_count(server.data_dir)
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    c.send(b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
    assert [c.reply()[0] for _ in range(3)] == [250, 250, 354]
    c.send(b"Subject: cut\r\n\r\nhalf a message\r\n")
    c.close()
    server.wait_for_log("connection lost during DATA")
    assert inbox(server, "alice@example.org") == []
    assert blob_count(server.data_dir) == before


def test_too_many_errors_closes(server):
    c = RawSmtp(server.port("smtp")).greeting()
    for _ in range(20):
        assert c.cmd("BOGUS")[0] == 500
    assert c.cmd("BOGUS")[0] == 500
    assert c.reply() == (421, "4.7.0 mail.test Too many errors, closing")
    assert c.closed()


def test_message_rate_limit_per_ip(make_server):
    srv = make_server({"smtp": {"max_messages_per_minute_per_ip": 2}})
    srv.add_user("alice@example.org")
    srv.start()
    c = RawSmtp(srv.port("smtp")).greeting()
    c.ehlo()
    for _ in range(2):
        assert c.cmd("MAIL FROM:<a@remote.example>")[0] == 250
        assert c.cmd("RSET")[0] == 250
    assert c.cmd("MAIL FROM:<a@remote.example>") == (451, "4.7.1 Rate limit exceeded, try again later")


def test_connection_limit_per_ip(make_server):
    srv = limited_server(make_server, max_connections_per_ip=1)
    first = RawSmtp(srv.port("smtp")).greeting()
    second = RawSmtp(srv.port("smtp"))
    code, text = second.reply()
    assert code == 421 and text.startswith("4.7.0 mail.test"), text
    first.ehlo()


def test_nul_bytes(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("NOOP \x00")[0] == 501
    c.send(b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
    assert [c.reply()[0] for _ in range(3)] == [250, 250, 354]
    c.send(b"Subject: nul\r\n\r\nbad\x00byte\r\n.\r\n")
    code, text = c.reply()
    assert code == 550 and text.startswith("5.6.0")
    assert inbox(server, "alice@example.org") == []


def test_malformed_addresses(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    code, text = c.cmd("MAIL FROM:<not an address>")
    assert code == 501 and text.startswith("5.1.7"), text
    assert c.cmd("MAIL FROM:<a@remote.example>")[0] == 250
    code, text = c.cmd("RCPT TO:<alice@@example.org>")
    assert code == 501 and text.startswith("5.1.3"), text
    code, text = c.cmd("RCPT TO:<alice@example.org> BOGUS=1")
    assert code == 555, text


def test_sequence_errors(server):
    c = RawSmtp(server.port("smtp")).greeting()
    assert c.cmd("MAIL FROM:<a@remote.example>")[0] == 503
    c.ehlo()
    assert c.cmd("RCPT TO:<alice@example.org>")[0] == 503
    assert c.cmd("DATA")[0] == 503
    assert c.cmd("MAIL FROM:<a@remote.example>")[0] == 250
    assert c.cmd("MAIL FROM:<a@remote.example>")[0] == 503
    assert c.cmd("DATA")[0] == 554


def test_sigterm_during_session_gets_421(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    server.proc.send_signal(signal.SIGTERM)
    assert c.reply() == (421, "4.3.2 mail.test Service shutting down")
    assert c.closed()
    assert wait_until(lambda: server.proc.poll() is not None, timeout=15)
