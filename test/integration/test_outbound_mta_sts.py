"""Authenticated transport security of outbound delivery (docs/adr/0004-outbound.md "TLS policy"): MTA-STS
(RFC 8461) with a real HTTPS policy server and a test CA made at test time, PKIX certificate checks for
require_tls_domains and the relay, REQUIRETLS (RFC 8689) bouncing with 5.7.30, "TLS-Required: No", and the SSRF
guard of the policy fetch. Peers: dnslib DNS, aiosmtpd receivers on 127.0.0.x with and without STARTTLS, with
certificates that do or do not match the MX name."""
import re
import smtplib

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from mailbox_inspect import inbox, queue_entries
from outbound_harness import (Behaviour, DnsPeer, Receiver, RecordingHandler, delivery_settings, free_port_on,
                              restart, wait_until)
from test_smtp_support import insecure_context
from tls_test_ca import PolicyServer, CertAuthority, policy_route

MX = "127.0.0.2"        # mx.sts.example
PLAIN = "127.0.0.3"     # mx.plain.example: no STARTTLS
BANK = "127.0.0.4"      # mx.bank.example: a require_tls_domains destination
POLICY_HOST = "127.0.0.5"  # mta-sts.sts.example, the HTTPS policy server


def zone(txt_id="1"):
    return {
        "sts.example": [("MX", 10, "mx.sts.example")],
        "mx.sts.example": [("A", MX)],
        "_mta-sts.sts.example": [("TXT", f"v=STSv1; id={txt_id};")],
        "mta-sts.sts.example": [("A", POLICY_HOST)],
        "plain.example": [("MX", 10, "mx.plain.example")],
        "mx.plain.example": [("A", PLAIN)],
        "bank.example": [("MX", 10, "mx.bank.example")],
        "mx.bank.example": [("A", BANK)],
    }


class World:
    """DNS, a test CA, the SMTP port shared by the receivers and the policy server's port."""

    def __init__(self, tmp_path, make_server):
        self.ca = CertAuthority(tmp_path / "ca")
        self.port = free_port_on([MX, PLAIN, BANK])
        self.https_port = free_port_on([POLICY_HOST])
        self.dns = DnsPeer(zone())
        self.make_server = make_server
        self.stoppers = [self.dns.stop]

    def policy_server(self, routes):
        server = PolicyServer(POLICY_HOST, self.https_port, self.ca.server_context("mta-sts.sts.example"), routes)
        self.stoppers.append(server.stop)
        return server

    def receiver(self, address, cert_names=None, **kwargs):
        if cert_names:
            kwargs["tls_context"] = self.ca.server_context(*cert_names)
        r = Receiver(address, self.port, **kwargs)
        self.stoppers.append(r.stop)
        return r

    def server(self, **delivery):
        settings = delivery_settings(self.dns, self.port, tls_ca_file=str(self.ca.cert_path),
                                     mta_sts_port=self.https_port, mta_sts_allow_private_addresses=True,
                                     retry_base="1h", retry_max="1h")
        settings.update(delivery)
        srv = self.make_server({"delivery": settings})
        srv.add_user("alice@example.org")
        srv.start()
        return srv

    def stop(self, peer):
        self.stoppers.remove(peer.stop)
        peer.stop()

    def close(self):
        for stop in reversed(self.stoppers):
            stop()


@pytest.fixture
def world(tmp_path, make_server):
    w = World(tmp_path, make_server)
    yield w
    w.close()


def submit(srv, rcpt, subject, mail_options=(), extra_headers=""):
    body = f"From: alice@example.org\r\nTo: {rcpt}\r\nSubject: {subject}\r\n{extra_headers}\r\nhello\r\n"
    with smtplib.SMTP("127.0.0.1", srv.port("submission"), timeout=10) as s:
        s.starttls(context=insecure_context())
        s.login("alice@example.org", "secret-password")
        s.sendmail("alice@example.org", [rcpt], body.encode(), mail_options=list(mail_options))


def dsns(srv):
    return [m.content for m in inbox(srv, "alice@example.org") if b"multipart/report" in m.content]


def test_enforce_with_valid_certificate_delivers_and_logs_mta_sts(world):
    policy = world.policy_server(policy_route("enforce", ["mx.sts.example"]))
    rx = world.receiver(MX, ["mx.sts.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "enforced")
    wait_until(lambda: len(rx.messages) == 1, what="delivery under MTA-STS enforce")
    srv.wait_for_log("to=<bob@sts.example> delivered")
    assert "MTA-STS sts.example: fetched policy id=1 mode=enforce max_age=86400" in srv.log()
    assert "tls=MTA-STS enforce policy id=1 verified PKIX TLSv1." in srv.log()
    assert policy.requests == [("/.well-known/mta-sts.txt", f"mta-sts.sts.example:{world.https_port}")]
    assert (srv.data_dir / "mta-sts" / "sts.example.policy").exists()


def test_enforce_refuses_mx_not_in_policy(world):
    world.policy_server(policy_route("enforce", ["other.sts.example", "*.elsewhere.example"]))
    rx = world.receiver(MX, ["mx.sts.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "wrong mx")
    srv.wait_for_log("to=<bob@sts.example> deferred", timeout=30)
    log = srv.log()
    assert "MX mx.sts.example is not in the policy (id=1), not used" in log
    assert "no MX host of sts.example matches its MTA-STS policy (id=1)" in log
    assert rx.messages == []
    assert len(queue_entries(srv.data_dir)) == 1


def test_enforce_with_certificate_for_another_name_defers_and_queue_show_says_why(world):
    world.policy_server(policy_route("enforce", ["mx.sts.example"]))
    rx = world.receiver(MX, ["mismatch.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "bad cert")
    srv.wait_for_log("to=<bob@sts.example> deferred", timeout=30)
    assert "certificate of mx.sts.example not verified" in srv.log()
    assert rx.messages == []
    (qid, _, _, _), = queue_entries(srv.data_dir)
    shown = srv.cli("queue", "show", str(qid)).stdout
    assert "tls=not established; required by MTA-STS enforce (policy id=1)" in shown
    assert "certificate of mx.sts.example not verified" in shown


def test_testing_mode_with_bad_certificate_delivers_with_warning(world):
    world.policy_server(policy_route("testing", ["mx.sts.example"]))
    rx = world.receiver(MX, ["mismatch.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "testing")
    wait_until(lambda: len(rx.messages) == 1, what="delivery under MTA-STS testing")
    srv.wait_for_log("MTA-STS testing sts.example: certificate of mx.sts.example not verified")
    assert "delivering anyway" in srv.log()
    assert "tls=MTA-STS testing policy id=1 UNVERIFIED TLSv1." in srv.log()


def test_ssrf_guard_refuses_loopback_policy_host_and_delivers_without_policy(world):
    policy = world.policy_server(policy_route("enforce", ["other.sts.example"]))
    rx = world.receiver(MX, ["mismatch.example"])
    srv = world.server(mta_sts_allow_private_addresses=False)
    submit(srv, "bob@sts.example", "ssrf")
    # Had the policy been fetched, this MX would be refused; the fetch is refused instead (RFC 8461: no policy).
    wait_until(lambda: len(rx.messages) == 1, what="delivery without a policy")
    log = srv.log()
    assert f"refused to fetch from mta-sts.sts.example: not a public address: {POLICY_HOST} (loopback)" in log
    assert "delivering without MTA-STS" in log
    assert "tls=opportunistic TLSv1." in log
    assert policy.requests == []


def test_redirect_is_not_followed(world):
    routes = policy_route("enforce", ["other.sts.example"])
    routes["/moved.txt"] = routes.pop("/.well-known/mta-sts.txt")
    routes["/.well-known/mta-sts.txt"] = (301, {"Location": "/moved.txt", "Content-Type": "text/plain"}, "moved")
    policy = world.policy_server(routes)
    rx = world.receiver(MX, ["mx.sts.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "redirect")
    wait_until(lambda: len(rx.messages) == 1, what="delivery without a policy")
    assert "HTTP status 301 (not 200; redirects are not followed)" in srv.log()
    assert [p for p, _ in policy.requests] == ["/.well-known/mta-sts.txt"]


def test_policy_cache_survives_restart_without_the_policy_server(world):
    policy = world.policy_server(policy_route("enforce", ["mx.sts.example"]))
    good = world.receiver(MX, ["mx.sts.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "first")
    wait_until(lambda: len(good.messages) == 1, what="first delivery")
    srv.stop()
    world.stop(policy)
    world.stop(good)
    bad = world.receiver(MX, ["mismatch.example"])
    restart(srv)
    submit(srv, "bob@sts.example", "second")
    srv.wait_for_log("to=<bob@sts.example> deferred", timeout=30)
    # The cached policy (same TXT id) still enforces: no fetch, and the mismatching certificate is refused.
    assert srv.log().count("fetched policy id=1") == 1
    assert "policy fetch failed" not in srv.log()
    assert "certificate of mx.sts.example not verified" in srv.log()
    assert bad.messages == []


def test_requiretls_to_receiver_without_starttls_bounces_with_5_7_30(world):
    rx = world.receiver(PLAIN)  # no certificate: no STARTTLS
    srv = world.server()
    submit(srv, "carol@plain.example", "must be secret", mail_options=["REQUIRETLS"])
    wait_until(lambda: len(dsns(srv)) == 1, what="a 5.7.30 DSN")
    dsn = dsns(srv)[0]
    assert b"Status: 5.7.30" in dsn and b"Action: failed" in dsn
    assert b"mx.plain.example offers no STARTTLS (REQUIRETLS)" in dsn
    assert b"text/rfc822-headers" in dsn and b"Subject: must be secret" in dsn  # headers only, as with RET=HDRS
    assert rx.messages == []


def test_requiretls_passes_parameter_only_when_offered(world):
    # aiosmtpd offers no REQUIRETLS: even with a verified certificate the message must bounce (RFC 8689 5).
    rx = world.receiver(MX, ["mx.sts.example"])
    srv = world.server(mta_sts=False)
    submit(srv, "bob@sts.example", "requiretls", mail_options=["REQUIRETLS"])
    wait_until(lambda: len(dsns(srv)) == 1, what="a 5.7.30 DSN")
    assert b"mx.sts.example does not offer REQUIRETLS" in dsns(srv)[0]
    assert rx.messages == []


class RequireTlsSmtp(SMTP):
    """aiosmtpd with RFC 8689 REQUIRETLS: offered after STARTTLS, the MAIL parameter recorded and accepted."""

    async def smtp_MAIL(self, arg):
        if arg and re.search(r"\sREQUIRETLS\b", arg, re.I):
            self.event_handler.requiretls_mail.append(arg)
            arg = re.sub(r"\s+REQUIRETLS\b", "", arg, flags=re.I)
        return await super().smtp_MAIL(arg)


class RequireTlsHandler(RecordingHandler):
    def __init__(self):
        super().__init__(Behaviour())
        self.requiretls_mail = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if session.ssl is not None:
            responses.insert(len(responses) - 1, "250-REQUIRETLS")
        return responses


class RequireTlsController(Controller):
    def factory(self):
        return RequireTlsSmtp(self.handler, **self.SMTP_kwargs)


def test_requiretls_delivered_verified_to_a_receiver_that_offers_it(world):
    handler = RequireTlsHandler()
    controller = RequireTlsController(handler, hostname=MX, port=world.port, ready_timeout=10,
                                      tls_context=world.ca.server_context("mx.sts.example"))
    controller.start()
    world.stoppers.append(controller.stop)
    srv = world.server(mta_sts=False)
    submit(srv, "bob@sts.example", "requiretls ok", mail_options=["REQUIRETLS"])
    wait_until(lambda: len(handler.messages) == 1, what="REQUIRETLS delivery")
    assert len(handler.requiretls_mail) == 1 and "<alice@example.org>" in handler.requiretls_mail[0]
    srv.wait_for_log("tls=REQUIRETLS verified PKIX TLSv1.")
    assert dsns(srv) == []


def test_requiretls_needs_tls_on_submission_and_is_advertised_inside_it(world):
    srv = world.server()
    with smtplib.SMTP("127.0.0.1", srv.port("submission"), timeout=10) as s:
        s.ehlo()
        assert not s.has_extn("requiretls")
        s.starttls(context=insecure_context())
        s.ehlo()
        assert s.has_extn("requiretls")


def test_tls_required_no_header_waives_mta_sts(world):
    world.policy_server(policy_route("enforce", ["mx.sts.example"]))
    rx = world.receiver(MX, ["mismatch.example"])
    srv = world.server()
    submit(srv, "bob@sts.example", "waived", extra_headers="TLS-Required: No\r\n")
    wait_until(lambda: len(rx.messages) == 1, what="delivery with TLS-Required: No")
    assert "tls=opportunistic (TLS-Required: No) TLSv1." in srv.log()


def test_require_tls_domain_with_bad_certificate_defers(world):
    rx = world.receiver(BANK, ["mismatch.example"])
    srv = world.server(require_tls_domains=["bank.example"])
    submit(srv, "dan@bank.example", "bank")
    srv.wait_for_log("to=<dan@bank.example> deferred", timeout=30)
    assert "certificate of mx.bank.example not verified" in srv.log()
    assert "(require_tls_domains)" in srv.log()
    assert rx.messages == []


def test_require_tls_domain_with_valid_certificate_delivers_verified(world):
    rx = world.receiver(BANK, ["mx.bank.example"])
    srv = world.server(require_tls_domains=["bank.example"])
    submit(srv, "dan@bank.example", "bank ok")
    wait_until(lambda: len(rx.messages) == 1, what="verified delivery")
    srv.wait_for_log("tls=verified PKIX (require_tls_domains) TLSv1.")


def test_smarthost_certificate_is_verified(world):
    bad = world.receiver(BANK, ["mismatch.example"])
    srv = world.server(relay_host=f"{BANK}:{world.port}")
    submit(srv, "bob@sts.example", "relay bad")
    srv.wait_for_log("to=<bob@sts.example> deferred", timeout=30)
    assert f"certificate of {BANK} not verified" in srv.log()
    assert bad.messages == []
