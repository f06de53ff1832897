"""Inbound SMTP (RFC 5321) on the `smtp` listener with Python's smtplib and a raw client: delivery into INBOX,
trace fields, extensions, directory resolution (aliases, catch-all, plus-addressing), relay refusal,
one blob for several recipients, DSN parameters, 8BITMIME/SMTPUTF8, BDAT."""
import smtplib

import pytest

from mailbox_inspect import blob_count, inbox, queue_entries
from test_smtp_support import RawSmtp

MESSAGE = b"From: sender@remote.example\r\nTo: alice@example.org\r\nSubject: hello\r\n\r\nHello Alice.\r\n"


def send(server, sender, rcpts, message=MESSAGE, **kwargs):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        s.ehlo("client.test")
        return s.sendmail(sender, rcpts, message, **kwargs)


def test_smtplib_delivers_into_alice_inbox(server):
    assert send(server, "sender@remote.example", ["alice@example.org"]) == {}
    messages = inbox(server, "alice@example.org")
    assert len(messages) == 1
    content = messages[0].content
    assert content.startswith(b"Return-Path: <sender@remote.example>\r\nReceived: from client.test ([127.0.0.1])\r\n")
    assert b"by mail.test (Bulwark) with ESMTP\r\n" in content
    assert b"for <alice@example.org>;" in content
    assert content.endswith(MESSAGE)
    assert messages[0].size == len(content)
    assert inbox(server, "bob@example.org") == []
    server.wait_for_log("message accepted")
    assert "EHLO client.test" in server.log()


def test_ehlo_extensions(server):
    with smtplib.SMTP("127.0.0.1", server.port("smtp"), timeout=10) as s:
        code, _ = s.ehlo("client.test")
        assert code == 250
        for ext in ["pipelining", "8bitmime", "smtputf8", "enhancedstatuscodes", "chunking", "dsn", "starttls"]:
            assert s.has_extn(ext), ext
        assert s.esmtp_features["size"] == str(50 * 1024 * 1024)
        assert not s.has_extn("auth"), "AUTH must not be offered before TLS"
        s.starttls(context=__import__("test_smtp_support").insecure_context())
        s.ehlo("client.test")
        assert s.has_extn("auth") and "PLAIN" in s.esmtp_features["auth"] and "LOGIN" in s.esmtp_features["auth"]
        assert not s.has_extn("starttls")


def test_unknown_user_is_refused_at_rcpt(server):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as err:
        send(server, "sender@remote.example", ["nobody@example.org"])
    code, text = err.value.recipients["nobody@example.org"]
    assert code == 550 and text.startswith(b"5.1.1")
    server.wait_for_log("rejected RCPT: 550 5.1.1")


def test_relay_is_denied_without_auth(server):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as err:
        send(server, "sender@remote.example", ["someone@elsewhere.example"])
    code, text = err.value.recipients["someone@elsewhere.example"]
    assert code == 550 and text.startswith(b"5.7.1")


def test_alias_catch_all_and_plus_address(server):
    server.cli("alias", "add", "sales@example.org", "alice@example.org")
    server.cli("alias", "add", "@example.org", "bob@example.org")
    send(server, "s@remote.example", ["sales@example.org"])
    send(server, "s@remote.example", ["alice+news@example.org"])
    send(server, "s@remote.example", ["whoever@example.org"])
    send(server, "s@remote.example", ["ALICE@EXAMPLE.ORG"])
    assert len(inbox(server, "alice@example.org")) == 3
    assert len(inbox(server, "bob@example.org")) == 1


def test_several_local_recipients_share_one_blob(server):
    before = blob_count(server.data_dir)
    assert send(server, "s@remote.example", ["alice@example.org", "bob@example.org", "alice+x@example.org"]) == {}
    alice, bob = inbox(server, "alice@example.org"), inbox(server, "bob@example.org")
    assert len(alice) == 1 and len(bob) == 1, "each account gets the message once"
    assert alice[0].blob_id == bob[0].blob_id
    assert blob_count(server.data_dir) == before + 1
    assert b"for <" not in alice[0].content.split(b"\r\n\r\n")[0]


def test_vrfy_and_expn_reveal_nothing(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("VRFY alice")[0] == 252
    assert c.cmd("VRFY nobody")[0] == 252
    assert c.cmd("EXPN staff")[0] == 252
    assert c.cmd("HELP")[0] == 214
    assert c.cmd("NOOP")[0] == 250
    assert c.cmd("RSET")[0] == 250
    assert c.cmd("QUIT")[0] == 221
    assert c.closed()


def test_dsn_parameters_are_accepted(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("MAIL FROM:<s@remote.example> RET=HDRS ENVID=QQ314159")[0] == 250
    assert c.cmd("RCPT TO:<alice@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@example.org")[0] == 250
    assert c.cmd("DATA")[0] == 354
    code, text = c.cmd("Subject: dsn\r\n\r\nbody\r\n.")
    assert code == 250, text
    assert len(inbox(server, "alice@example.org")) == 1


def test_8bitmime_and_smtputf8_are_accepted(server):
    body = "Subject: caf\u00e9\r\n\r\nCaf\u00e9 cr\u00e8me.\r\n".encode()
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("MAIL FROM:<s@remote.example> BODY=8BITMIME")[0] == 250
    assert c.cmd("RCPT TO:<alice@example.org>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send(body + b".\r\n")
    assert c.reply()[0] == 250
    assert c.cmd("MAIL FROM:<j\u00f6ran@r\u00e9mote.example> SMTPUTF8")[0] == 250
    assert c.cmd("RCPT TO:<alice@example.org>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send(body + b".\r\n")
    assert c.reply()[0] == 250
    messages = inbox(server, "alice@example.org")
    assert len(messages) == 2 and all(m.content.endswith(body) for m in messages)


def test_8bit_without_declaration_is_refused(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("MAIL FROM:<s@remote.example>")[0] == 250
    assert c.cmd("RCPT TO:<alice@example.org>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    c.send("Subject: x\r\n\r\nCaf\u00e9\r\n.\r\n".encode())
    code, text = c.reply()
    assert code == 554 and text.startswith("5.6.1")
    assert inbox(server, "alice@example.org") == []


def test_bdat_chunks(server):
    part1 = b"Subject: chunked\r\n\r\nfirst part, "
    part2 = b"second part\r\n.leading dot stays\r\n"
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    c.send(b"MAIL FROM:<s@remote.example>\r\nRCPT TO:<alice@example.org>\r\n")
    assert c.reply()[0] == 250 and c.reply()[0] == 250
    c.send(b"BDAT %d\r\n" % len(part1) + part1)
    code, text = c.reply()
    assert code == 250, text
    c.send(b"BDAT %d LAST\r\n" % len(part2) + part2)
    code, text = c.reply()
    assert code == 250, text
    assert c.cmd("NOOP")[0] == 250
    messages = inbox(server, "alice@example.org")
    assert len(messages) == 1 and messages[0].content.endswith(part1 + part2)


def test_data_after_bdat_and_bdat_without_mail(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    c.send(b"BDAT 5\r\nhello")
    assert c.reply()[0] == 503
    assert c.cmd("NOOP")[0] == 250, "the chunk was consumed, the stream stays in step"


def test_quota_at_rcpt_and_end_of_data(make_server):
    srv = make_server()
    srv.add_user("alice@example.org", quota="3K")
    srv.add_user("bob@example.org")
    srv.start()
    c = RawSmtp(srv.port("smtp")).greeting()
    c.ehlo()
    # A declared size larger than the whole quota: refused at RCPT, permanently.
    assert c.cmd("MAIL FROM:<s@remote.example> SIZE=5000")[0] == 250
    code, text = c.cmd("RCPT TO:<alice@example.org>")
    assert code == 552 and text.startswith("5.2.2"), text
    assert c.cmd("RSET")[0] == 250

    def data(rcpts, size):
        c.send(b"MAIL FROM:<s@remote.example>\r\n")
        assert c.reply()[0] == 250
        for r in rcpts:
            assert c.cmd(f"RCPT TO:<{r}>")[0] == 250
        assert c.cmd("DATA")[0] == 354
        c.send(b"Subject: q\r\n\r\n" + (b"x" * 98 + b"\r\n") * (size // 100) + b".\r\n")
        return c.reply()

    code, text = data(["alice@example.org"], 4000)  # bigger than the whole quota
    assert code == 552 and text.startswith("5.2.2"), text
    assert data(["alice@example.org"], 2000)[0] == 250
    code, text = data(["alice@example.org"], 2000)  # fits the quota, not the space left: try later
    assert code == 452 and text.startswith("4.2.2"), text
    # Several recipients, one over quota: accepted (one reply after DATA); the failed one goes to the queue.
    assert data(["alice@example.org", "bob@example.org"], 2000)[0] == 250
    assert len(inbox(srv, "alice@example.org")) == 1 and len(inbox(srv, "bob@example.org")) == 1
    queued = queue_entries(srv.data_dir)
    assert len(queued) == 1 and queued[0][2] == ["alice@example.org"]


def test_full_mailbox_is_refused_at_rcpt_with_452(make_server):
    srv = make_server()
    srv.add_user("alice@example.org", quota="3K")
    srv.add_user("bob@example.org")
    srv.start()
    filler = b"Subject: filler\r\n\r\n" + (b"f" * 98 + b"\r\n") * 20  # about 2 KiB of the 3 KiB
    assert send(srv, "s@remote.example", ["alice@example.org"], filler) == {}
    # smtplib declares SIZE (RFC 1870); a message that does not fit the room left is refused at RCPT, temporarily.
    with pytest.raises(smtplib.SMTPRecipientsRefused) as err:
        send(srv, "s@remote.example", ["alice@example.org"], filler)
    code, text = err.value.recipients["alice@example.org"]
    assert code == 452 and text.startswith(b"4.2.2"), text
    srv.wait_for_log("mailbox full for <alice@example.org>")
    # Other recipients of the same transaction are unaffected: bob gets it, alice is refused.
    refused = send(srv, "s@remote.example", ["alice@example.org", "bob@example.org"], filler)
    assert refused["alice@example.org"][0] == 452
    assert len(inbox(srv, "alice@example.org")) == 1 and len(inbox(srv, "bob@example.org")) == 1
    # A message that fits the room left is still accepted.
    assert send(srv, "s@remote.example", ["alice@example.org"], b"Subject: small\r\n\r\nok\r\n") == {}
    assert len(inbox(srv, "alice@example.org")) == 2
    # Without SIZE, a mailbox with no room at all (used == quota) is refused at RCPT too. To fill it exactly, the
    # trace fields' size is taken from the small message (same sender, recipient and client name; the Received
    # id's hex counters keep their length while fewer than 16 connections and messages have been made).
    small = inbox(srv, "alice@example.org")[-1]
    overhead = small.size - len(b"Subject: small\r\n\r\nok\r\n")
    head = b"Subject: fill\r\n\r\n"
    pad = 3072 - sum(m.size for m in inbox(srv, "alice@example.org")) - overhead - len(head) - 2
    assert pad > 0
    assert send(srv, "s@remote.example", ["alice@example.org"], head + b"p" * pad + b"\r\n") == {}
    assert sum(m.size for m in inbox(srv, "alice@example.org")) == 3072
    c = RawSmtp(srv.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("MAIL FROM:<s@remote.example>")[0] == 250
    code, text = c.cmd("RCPT TO:<alice@example.org>")
    assert code == 452 and text.startswith("4.2.2"), text
    assert c.cmd("RCPT TO:<bob@example.org>")[0] == 250


def test_inline_message_size_decides_where_the_bytes_go(make_server):
    """ADR 0003: a small message for one account is kept in its mail.db; inline_message_size = 0 turns that off."""
    from mailbox_inspect import inline_body_count
    for limit, inline in ((None, True), (0, False)):
        srv = make_server({"": {"inline_message_size": limit}} if limit is not None else None)
        srv.add_user("alice@example.org")
        srv.start()
        before = blob_count(srv.data_dir)
        assert send(srv, "s@remote.example", ["alice@example.org"]) == {}
        assert inline_body_count(srv.data_dir, "alice@example.org") == (1 if inline else 0)
        assert blob_count(srv.data_dir) == before + (0 if inline else 1)
        assert inbox(srv, "alice@example.org")[0].content.endswith(MESSAGE)
        srv.stop()
