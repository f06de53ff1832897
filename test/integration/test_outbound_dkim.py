"""DKIM signing of outbound mail (RFC 6376 relaxed/relaxed; rsa-sha256 2048-bit and ed25519-sha256, RFC 8463),
verified by an independent implementation (python3-dkim) against the TXT record `bulwark dkim generate` printed."""
import re
import smtplib

import dkim
import pytest

from outbound_harness import DnsPeer, Receiver, delivery_settings, free_port_on, wait_until
from test_smtp_support import insecure_context

ZONE = {"remote.example": [("MX", 10, "mx.remote.example")], "mx.remote.example": [("A", "127.0.0.2")]}


def txt_record(output):
    """The TXT value from `bulwark dkim generate` output: the quoted character-strings joined."""
    line = next(l for l in output.splitlines() if "IN TXT" in l)
    return "".join(re.findall(r'"([^"]*)"', line))


def test_generate_prints_record_and_refuses_overwrite(make_server):
    srv = make_server()
    out = srv.cli("dkim", "generate", "example.org", "--selector", "s1", "--algorithm", "ed25519").stdout
    assert "s1._domainkey.example.org. IN TXT" in out
    assert txt_record(out).startswith("v=DKIM1; k=ed25519; p=")
    again = srv.cli("dkim", "generate", "example.org", "--selector", "s1", "--algorithm", "ed25519", check=False)
    assert again.returncode == 1 and "--force" in again.stderr
    assert srv.cli("dkim", "generate", "example.org", "--selector", "s1", "--force").returncode == 0
    rsa = txt_record(srv.cli("dkim", "generate", "example.org", "--selector", "big").stdout)
    assert rsa.startswith("v=DKIM1; k=rsa; p=MIIBIjAN")  # 2048-bit key
    bad = srv.cli("dkim", "generate", "example.org", "--algorithm", "dsa", check=False)
    assert bad.returncode != 0
    key = srv.data_dir / "dkim" / "example.org" / "s1.pem"
    assert key.stat().st_mode & 0o077 == 0


def test_outbound_mail_is_signed_and_verifies(make_server):
    port = free_port_on(["127.0.0.2"])
    dns = DnsPeer(ZONE)
    receiver = Receiver("127.0.0.2", port)
    try:
        srv = make_server({"delivery": delivery_settings(dns, port)})
        srv.add_user("alice@example.org")
        records = {}
        for selector, algorithm in (("ed", "ed25519"), ("rsa", "rsa")):
            out = srv.cli("dkim", "generate", "example.org", "--selector", selector, "--algorithm", algorithm).stdout
            records[f"{selector}._domainkey.example.org."] = txt_record(out)
        srv.start()
        body = ("From: Alice <alice@example.org>\r\nTo: bob@remote.example\r\nSubject:  signed \t mail\r\n"
                "Message-ID: <dkim1@example.org>\r\n\r\nLine with trailing space   \r\n\r\n\r\n")
        with smtplib.SMTP("127.0.0.1", srv.port("submission"), timeout=10) as s:
            s.starttls(context=insecure_context())
            s.login("alice@example.org", "secret-password")
            s.sendmail("alice@example.org", ["bob@remote.example"], body.encode())
        wait_until(lambda: len(receiver.messages) == 1, what="delivery")
        content = receiver.messages[0][2]
        assert content.count(b"DKIM-Signature:") == 2

        def dnsfunc(name, timeout=5):
            key = name.decode() if isinstance(name, bytes) else name
            value = records.get(key if key.endswith(".") else key + ".")
            return value.encode() if value else None

        verifier = dkim.DKIM(content)
        for index in (0, 1):
            assert verifier.verify(idx=index, dnsfunc=dnsfunc), f"signature {index} does not verify"
        # A changed body must not verify (the check can fail).
        tampered = content.replace(b"Line with trailing", b"Line with changed")
        try:
            tampered_ok = dkim.DKIM(tampered).verify(idx=0, dnsfunc=dnsfunc)
        except dkim.ValidationError:
            tampered_ok = False
        assert not tampered_ok
    finally:
        receiver.stop()
        dns.stop()
