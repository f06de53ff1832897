"""Real command-line clients against the SMTP listeners: swaks (plain, STARTTLS + AUTH, pipelining) and curl
(smtp:// and smtps://)."""
import shutil
import subprocess

import pytest

from mailbox_inspect import inbox

pytestmark = pytest.mark.skipif(not shutil.which("swaks") or not shutil.which("curl"), reason="swaks/curl missing")


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kwargs)


def test_swaks_plain_delivery(server):
    r = run(["swaks", "--server", f"127.0.0.1:{server.port('smtp')}", "--helo", "swaks.test",
             "--from", "someone@remote.example", "--to", "alice@example.org", "--header", "Subject: swaks"])
    assert r.returncode == 0, r.stdout + r.stderr
    messages = inbox(server, "alice@example.org")
    assert len(messages) == 1 and b"Subject: swaks" in messages[0].content


def test_swaks_submission_starttls_auth_login(server):
    r = run(["swaks", "--server", f"127.0.0.1:{server.port('submission')}", "--tls", "--auth", "LOGIN",
             "--auth-user", "alice@example.org", "--auth-password", "secret-password",
             "--from", "alice@example.org", "--to", "bob@example.org", "--header", "From: alice@example.org"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(inbox(server, "bob@example.org")) == 1


def test_swaks_pipelining(server):
    r = run(["swaks", "--server", f"127.0.0.1:{server.port('smtp')}", "--from", "someone@remote.example",
             "--to", "bob@example.org", "--pipeline", "--header", "Subject: pipelined"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(inbox(server, "bob@example.org")) == 1


def test_curl_smtp(server, tmp_path):
    mail = tmp_path / "mail.txt"
    mail.write_bytes(b"From: someone@remote.example\r\nTo: alice@example.org\r\nSubject: curl\r\n\r\nvia curl\r\n")
    r = run(["curl", "-sS", f"smtp://127.0.0.1:{server.port('smtp')}/curl.test", "--mail-from",
             "someone@remote.example", "--mail-rcpt", "alice@example.org", "--upload-file", str(mail)])
    assert r.returncode == 0, r.stderr
    messages = inbox(server, "alice@example.org")
    assert len(messages) == 1 and messages[0].content.endswith(b"via curl\r\n")


def test_curl_smtps_with_auth(server, tmp_path):
    mail = tmp_path / "mail.txt"
    mail.write_bytes(b"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: curl\r\n\r\nsubmitted\r\n")
    r = run(["curl", "-sS", "-k", f"smtps://127.0.0.1:{server.port('submissions')}/curl.test", "--user",
             "alice@example.org:secret-password", "--mail-from", "alice@example.org", "--mail-rcpt",
             "bob@example.org", "--upload-file", str(mail)])
    assert r.returncode == 0, r.stderr
    assert len(inbox(server, "bob@example.org")) == 1
