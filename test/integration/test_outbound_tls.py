"""Transport security of outbound delivery: opportunistic STARTTLS (the TLS version and cipher are logged per
delivery), `require_tls_domains` deferring instead of sending in clear, and a smarthost (`relay_host`) with
AUTH PLAIN inside TLS and a certificate verified against a test CA (relay_tls_verify). The other receivers are
aiosmtpd with the server's own self-signed certificate (opportunistic TLS does not check it)."""
import smtplib
import ssl

from aiosmtpd.smtp import AuthResult

from mailbox_inspect import queue_entries
from outbound_harness import DnsPeer, Receiver, delivery_settings, free_port_on, wait_until
from test_smtp_support import insecure_context
from tls_test_ca import CertAuthority

ZONE = {"remote.example": [("MX", 10, "mx.remote.example")], "mx.remote.example": [("A", "127.0.0.2")],
        "plain.example": [("MX", 10, "mx.plain.example")], "mx.plain.example": [("A", "127.0.0.3")]}


def tls_context(srv):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(srv.data_dir / "tls" / "self-signed.crt", srv.data_dir / "tls" / "self-signed.key")
    return ctx


def submit(srv, rcpt, subject):
    with smtplib.SMTP("127.0.0.1", srv.port("submission"), timeout=10) as s:
        s.starttls(context=insecure_context())
        s.login("alice@example.org", "secret-password")
        s.sendmail("alice@example.org", [rcpt], f"From: alice@example.org\r\nSubject: {subject}\r\n\r\nx\r\n".encode())


def test_starttls_used_when_offered_and_required_domain_deferred_in_clear(make_server):
    port = free_port_on(["127.0.0.2", "127.0.0.3"])
    dns = DnsPeer(ZONE)
    receivers = []
    try:
        srv = make_server({"delivery": delivery_settings(dns, port, require_tls_domains=["plain.example"],
                                                         retry_base="1h", retry_max="1h")})
        srv.add_user("alice@example.org")
        srv.start()
        receivers.append(Receiver("127.0.0.2", port, tls_context=tls_context(srv)))
        receivers.append(Receiver("127.0.0.3", port))  # no STARTTLS offered
        submit(srv, "bob@remote.example", "secure")
        wait_until(lambda: len(receivers[0].messages) == 1, what="delivery over TLS")
        srv.wait_for_log("delivery: connected to mx.remote.example[127.0.0.2]:%d for remote.example tls=opportunistic TLSv1." % port)
        assert "with cipher" in srv.log()
        submit(srv, "carol@plain.example", "cleartext")
        srv.wait_for_log("to=<carol@plain.example> deferred", timeout=30)
        assert "mx.plain.example offers no STARTTLS (require_tls_domains)" in srv.log()
        assert receivers[1].messages == []
        assert len(queue_entries(srv.data_dir)) == 1
    finally:
        for r in receivers:
            r.stop()
        dns.stop()


def test_smarthost_with_auth_plain_after_starttls(make_server, tmp_path):
    port = free_port_on(["127.0.0.3"])
    ca = CertAuthority(tmp_path / "ca")  # the relay's certificate is verified (relay_tls_verify), here for its IP
    dns = DnsPeer(ZONE)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"relayuser" and auth_data.password == b"relay-pw")

    relay = None
    try:
        srv = make_server({"delivery": delivery_settings(dns, port, relay_host=f"127.0.0.3:{port}",
                                                         tls_ca_file=str(ca.cert_path),
                                                         relay_user="relayuser", relay_password="relay-pw")})
        srv.add_user("alice@example.org")
        srv.start()
        relay = Receiver("127.0.0.3", port, tls_context=ca.server_context("127.0.0.3"), authenticator=authenticator,
                         auth_require_tls=True, auth_required=True)
        submit(srv, "bob@remote.example", "relayed")  # remote.example's MX is 127.0.0.2: the relay wins
        wait_until(lambda: len(relay.messages) == 1, what="delivery through the relay")
        assert logins == [("PLAIN", b"relayuser", b"relay-pw")]
        srv.wait_for_log("for [relay] tls=verified PKIX (relay) TLSv1.")
        wait_until(lambda: queue_entries(srv.data_dir) == [], what="empty queue")
    finally:
        if relay:
            relay.stop()
        dns.stop()
