"""Submission (RFC 6409) on `submission` (STARTTLS required before AUTH and MAIL) and `submissions` (RFC 8314
implicit TLS): AUTH PLAIN and LOGIN, sender enforcement, remote recipients into the outbound queue, login
throttling, and the STARTTLS command injection defence."""
import smtplib
import socket
import ssl

import pytest

from mailbox_inspect import inbox, queue_entries
from test_smtp_support import RawSmtp, insecure_context

PASSWORD = "secret-password"


def message(sender, to="bob@example.org", subject="hi"):
    return f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n\r\nHello.\r\n".encode()


def submission(server):
    s = smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10)
    s.ehlo("laptop.test")
    s.starttls(context=insecure_context())
    s.ehlo("laptop.test")
    return s


def test_starttls_required_before_auth_and_mail(server):
    c = RawSmtp(server.port("submission")).greeting()
    text = c.ehlo()
    assert "STARTTLS" in text and "AUTH" not in text
    assert c.cmd("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldC1wYXNzd29yZA==") == (
        530, "5.7.0 Must issue a STARTTLS command first")
    assert c.cmd("MAIL FROM:<alice@example.org>") == (530, "5.7.0 Must issue a STARTTLS command first")


def test_mail_requires_auth_after_starttls(server):
    with submission(server) as s:
        code, text = s.mail("alice@example.org")
        assert code == 530 and text == b"5.7.0 Authentication required"


def test_starttls_auth_plain_local_and_remote(server):
    with submission(server) as s:
        s.login("alice@example.org", PASSWORD)  # smtplib picks PLAIN
        refused = s.sendmail("alice@example.org", ["bob@example.org", "friend@remote.example"],
                             message("alice@example.org"))
        assert refused == {}
    bob = inbox(server, "bob@example.org")
    assert len(bob) == 1
    headers = bob[0].content.split(b"\r\n\r\n")[0]
    assert b"Return-Path: <alice@example.org>" in headers
    assert b"with ESMTPSA\r\n\t(TLSv1." in headers
    queued = queue_entries(server.data_dir)
    assert len(queued) == 1
    qid, sender, rcpts, _ = queued[0]
    assert sender == "alice@example.org" and rcpts == ["friend@remote.example"]
    server.wait_for_log("AUTH PLAIN succeeded for alice@example.org")
    server.wait_for_log(f"queue={qid}")


def test_submissions_implicit_tls_auth_login(server):
    with smtplib.SMTP_SSL("127.0.0.1", server.port("submissions"), timeout=10, context=insecure_context()) as s:
        s.ehlo("laptop.test")
        assert "LOGIN" in s.esmtp_features["auth"]
        s.user, s.password = "alice@example.org", PASSWORD
        code, _ = s.auth("LOGIN", s.auth_login, initial_response_ok=False)
        assert code == 235
        s.sendmail("alice@example.org", ["bob@example.org"], message("alice@example.org"))
    assert len(inbox(server, "bob@example.org")) == 1
    server.wait_for_log("AUTH LOGIN succeeded")


def test_wrong_password_is_refused_and_logged(server):
    with submission(server) as s:
        with pytest.raises(smtplib.SMTPAuthenticationError) as err:
            s.login("alice@example.org", "wrong")
        assert err.value.smtp_code == 535
    server.wait_for_log("AUTH PLAIN failed for alice@example.org from 127.0.0.1:")


def test_sender_enforcement(server):
    server_alias = server.cli("alias", "add", "sales@example.org", "alice@example.org")
    assert server_alias.returncode == 0
    with submission(server) as s:
        s.login("alice@example.org", PASSWORD)
        code, text = s.mail("bob@example.org")
        assert code == 553 and text.startswith(b"5.7.1")
        s.rset()
        # Envelope fine, From: header someone else's: refused at the end of the data.
        with pytest.raises(smtplib.SMTPDataError) as err:
            s.sendmail("alice@example.org", ["bob@example.org"], message("bob@example.org"))
        assert err.value.smtp_code == 550 and err.value.smtp_error.startswith(b"5.7.1")
        # An alias of alice, in any case, is hers.
        assert s.sendmail("Sales@Example.org", ["bob@example.org"], message("SALES@example.org")) == {}
    assert len(inbox(server, "bob@example.org")) == 1


def test_auth_throttling_bans_after_max_failures(make_server):
    srv = make_server({"auth": {"max_failures_per_ip": 3}})
    srv.add_user("alice@example.org")
    srv.start()
    for _ in range(3):
        with submission(srv) as s:
            with pytest.raises(smtplib.SMTPAuthenticationError):
                s.login("alice@example.org", "wrong")
    with submission(srv) as s:
        with pytest.raises(smtplib.SMTPAuthenticationError) as err:
            s.login("alice@example.org", PASSWORD)
        assert err.value.smtp_code == 454
    srv.wait_for_log("banned")


def test_starttls_pipelining_injection_is_dropped(server):
    c = RawSmtp(server.port("submission")).greeting()
    c.ehlo()
    c.send(b"STARTTLS\r\nMAIL FROM:<x@y.example>\r\n")
    code, text = c.reply()
    assert code == 220, text
    c.starttls()
    # Nothing may answer the injected MAIL: the next reply must be the one to our EHLO.
    c.sock.settimeout(1)
    with pytest.raises((socket.timeout, ssl.SSLError)):
        c.sock.recv(1)
    c.sock.settimeout(10)
    text = c.ehlo()
    assert "AUTH PLAIN LOGIN" in text
    assert c.cmd("NOOP")[0] == 250
    injected = len(b"MAIL FROM:<x@y.example>\r\n")
    server.wait_for_log(f"STARTTLS: dropped {injected} bytes")


def test_auth_plain_after_empty_challenge_and_login_cancel(server):
    import base64
    c = RawSmtp(server.port("submissions"), tls=True).greeting()
    c.ehlo()
    assert c.cmd("AUTH LOGIN") == (334, "VXNlcm5hbWU6")
    assert c.cmd("*")[0] == 501
    assert c.cmd("AUTH CRAM-MD5")[0] == 504
    assert c.cmd("AUTH PLAIN") == (334, "")
    assert c.cmd("not base64!")[0] == 501
    assert c.cmd("AUTH PLAIN") == (334, "")
    token = base64.b64encode(b"\0alice@example.org\0" + PASSWORD.encode()).decode()
    assert c.cmd(token) == (235, "2.7.0 Authentication successful")
    assert c.cmd("AUTH PLAIN " + token)[0] == 503
    assert c.cmd("MAIL FROM:<alice@example.org>")[0] == 250


def test_smtp_port_auth_needs_tls_and_authenticated_relay_is_queued(server):
    c = RawSmtp(server.port("smtp")).greeting()
    c.ehlo()
    assert c.cmd("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldC1wYXNzd29yZA==")[0] == 530
    assert c.cmd("STARTTLS")[0] == 220
    c.starttls()
    assert c.cmd("MAIL FROM:<alice@example.org>")[0] == 503, "EHLO again after STARTTLS (RFC 3207 4.2)"
    c.ehlo()
    assert c.cmd("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldC1wYXNzd29yZA==")[0] == 235
    assert c.cmd("MAIL FROM:<alice@example.org>")[0] == 250
    assert c.cmd("RCPT TO:<friend@remote.example>")[0] == 250
    assert c.cmd("DATA")[0] == 354
    assert c.cmd("From: alice@example.org\r\nSubject: relay\r\n\r\nhi\r\n.")[0] == 250
    assert [q[2] for q in queue_entries(server.data_dir)] == [["friend@remote.example"]]
