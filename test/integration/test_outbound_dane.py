"""DANE for outbound SMTP (RFC 7672) through a real validating resolver path: libunbound (inside bulwark)
forwards to a DNSSEC-signed zone served on loopback (dnssec_zone.py) and validates it with the zone's DNSKEY as
trust anchor (`[delivery] dnssec_trust_anchor_file`). Receivers are aiosmtpd on 127.0.0.x with certificates made
here, so the TLSA records can match (or not) what each receiver presents.

Hosts and what must happen:
  good     DANE-EE 3 1 1 of the receiver's key (its certificate names another host: no name checks) -> delivered, logged
  wrong    DANE-EE 3 1 1 of some other key -> deferred, never delivered, the reason in `queue show`
  clear    TLSA published, receiver offers no STARTTLS -> deferred, never sent in clear
  notlsa   signed zone, no TLSA (secure NXDOMAIN) -> opportunistic TLS, delivered
  bogus    TLSA served with other data than signed -> deferred (DNSSEC validation failed)
  plain.example   outside the signed zone (insecure) -> opportunistic delivery
"""
import datetime
import hashlib
import smtplib
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dnssec_zone import SignedZone, SignedZonePeer
from mailbox_inspect import queue_entries
from outbound_harness import Receiver, free_port_on, restart, wait_until
from test_smtp_support import insecure_context


class Cert:
    """A key and a certificate for `names`, self-signed or issued by `issuer` (a CA Cert)."""

    def __init__(self, directory, stem, names, issuer=None, ca=False):
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        builder = (x509.CertificateBuilder()
                   .subject_name(subject)
                   .issuer_name(issuer.cert.subject if issuer else subject)
                   .public_key(self.key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                                            critical=False)
        self.cert = builder.sign(issuer.key if issuer else self.key, hashes.SHA256())
        self.cert_path = directory / f"{stem}.crt"
        self.key_path = directory / f"{stem}.key"
        chain = self.cert.public_bytes(serialization.Encoding.PEM)
        if issuer:
            chain += issuer.cert.public_bytes(serialization.Encoding.PEM)
        self.cert_path.write_bytes(chain)
        self.key_path.write_bytes(self.key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))

    def spki_sha256(self):
        spki = self.cert.public_key().public_bytes(serialization.Encoding.DER,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
        return hashlib.sha256(spki).hexdigest()

    def context(self):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert_path, self.key_path)
        return ctx


def submit(srv, rcpts, subject):
    with smtplib.SMTP("127.0.0.1", srv.port("submission"), timeout=10) as s:
        s.starttls(context=insecure_context())
        s.login("alice@example.org", "secret-password")
        s.sendmail("alice@example.org", rcpts, f"From: alice@example.org\r\nSubject: {subject}\r\n\r\nx\r\n".encode())


def mx_records(hosts, port):
    """{label: (address, [TLSA rdata])} -> zone records for <label>.dane.example with MX mx.<label>.dane.example."""
    records = {}
    for label, (address, tlsa) in hosts.items():
        mx = f"mx.{label}.dane.example"
        records[f"{label}.dane.example"] = [("MX", f"10 {mx}.")]
        records[mx] = [("A", address)]
        if tlsa:
            records[f"_{port}._tcp.{mx}"] = [("TLSA", t) for t in tlsa]
    return records


def delivery(zone_peer, anchor, port, **extra):
    settings = {"enabled": True, "resolver": zone_peer.address, "port": port, "retry_base": "1h", "retry_max": "1h",
                "poll_interval": "1s", "connect_timeout": "5s", "command_timeout": "10s", "data_timeout": "10s",
                "dnssec": True, "dnssec_trust_anchor_file": str(anchor)}
    settings.update(extra)
    return settings


def recipient_line(shown, address):
    return next(line for line in shown.splitlines() if line.startswith(f"recipient: {address}"))


def test_dane_ee_enforced_where_dnssec_validates(make_server, tmp_path):
    addresses = {"good": "127.0.0.2", "wrong": "127.0.0.3", "clear": "127.0.0.4", "notlsa": "127.0.0.5",
                 "bogus": "127.0.0.6", "plain": "127.0.0.7"}
    port = free_port_on(list(addresses.values()))
    # The receivers' certificates name no MX host: DANE-EE(3) checks the key only (RFC 7672 3.1.1).
    certs = {label: Cert(tmp_path, label, ["unrelated.invalid"]) for label in ("good", "wrong", "notlsa", "bogus", "plain")}
    other = Cert(tmp_path, "other", ["other.invalid"])
    zone = SignedZone()
    hosts = {
        "good": (addresses["good"], [f"3 1 1 {certs['good'].spki_sha256()}"]),
        "wrong": (addresses["wrong"], [f"3 1 1 {other.spki_sha256()}"]),
        "clear": (addresses["clear"], [f"3 1 1 {other.spki_sha256()}"]),
        "notlsa": (addresses["notlsa"], []),
        "bogus": (addresses["bogus"], [f"3 1 1 {certs['bogus'].spki_sha256()}"]),
    }
    zone.publish(mx_records(hosts, port),
                 unsigned={"plain.example": [("MX", "10 mx.plain.example.")],
                           "mx.plain.example": [("A", addresses["plain"])]},
                 tamper={(f"_{port}._tcp.mx.bogus.dane.example", "TLSA"): f"3 1 1 {other.spki_sha256()}"})
    anchor = tmp_path / "anchor.key"
    anchor.write_text(zone.anchor_text())
    peer = SignedZonePeer(zone)
    receivers = {}
    try:
        srv = make_server({"delivery": delivery(peer, anchor, port)})
        srv.add_user("alice@example.org")
        srv.start()
        assert f"DNSSEC validation with trust anchor {anchor}" in srv.log()
        for label, address in addresses.items():
            tls = None if label == "clear" else certs[label].context()
            receivers[label] = Receiver(address, port, tls_context=tls) if tls else Receiver(address, port)
        submit(srv, ["bob@good.dane.example"], "dane good")
        wait_until(lambda: len(receivers["good"].messages) == 1, what="delivery authenticated by DANE")
        log = srv.log()
        assert f"connected to mx.good.dane.example[127.0.0.2]:{port} for good.dane.example tls=DANE-verified TLSv1." in log
        assert "DANE DANE-EE(3) SPKI(1) SHA2-256(1) " + certs["good"].spki_sha256()[:16] + "... matched at depth 0" in log

        for label in ("wrong", "clear", "bogus"):
            submit(srv, [f"bob@{label}.dane.example"], f"dane {label}")
            srv.wait_for_log(f"to=<bob@{label}.dane.example> deferred", timeout=30)
        log = srv.log()
        assert "DANE: the certificate of mx.wrong.dane.example does not match its TLSA records" in log
        assert "DANE: mx.clear.dane.example has TLSA records but offers no STARTTLS" in log
        assert "TLSA lookup for mx.bogus.dane.example failed" in log and "DNSSEC validation failed" in log
        for label in ("wrong", "clear", "bogus"):
            assert receivers[label].messages == []
        assert len(queue_entries(srv.data_dir)) == 3
        shown = {label: None for label in ("wrong", "clear", "bogus")}
        for qid, _, rcpts, _ in queue_entries(srv.data_dir):
            label = rcpts[0].split("@")[1].split(".")[0]
            shown[label] = recipient_line(srv.cli("queue", "show", str(qid)).stdout, rcpts[0])
        assert "tls=not established; DANE failed: the certificate of mx.wrong.dane.example" in shown["wrong"]
        assert "tls=not established; DANE failed: mx.clear.dane.example has TLSA records" in shown["clear"]
        assert "tls=not established; DANE: TLSA lookup for mx.bogus.dane.example failed" in shown["bogus"]

        # A secure denial of TLSA records and an unsigned domain: ordinary opportunistic TLS.
        submit(srv, ["bob@notlsa.dane.example", "carol@plain.example"], "opportunistic")
        wait_until(lambda: len(receivers["notlsa"].messages) == 1 and len(receivers["plain"].messages) == 1,
                   what="opportunistic deliveries")
        log = srv.log()
        assert f"connected to mx.notlsa.dane.example[127.0.0.5]:{port} for notlsa.dane.example tls=opportunistic TLSv1." in log
        connected = [line for line in log.splitlines() if "connected to mx.notlsa.dane.example" in line]
        assert connected and "DANE" not in connected[0]
        # The signed host's TLSA lookup was a secure denial (libunbound may answer it from cached NSEC records,
        # RFC 8198); the unsigned host's TLSA was never asked for (its MX is insecure).
        assert "DANE for mx.notlsa.dane.example: no TLSA records (secure denial)" in log
        asked = set(zone.queries)
        assert not any(name.endswith("mx.plain.example.") and qtype == "TLSA" for name, qtype in asked)
    finally:
        for r in receivers.values():
            r.stop()
        peer.stop()


def test_dane_ta_checks_names_and_dnssec_off_ignores_tlsa(make_server, tmp_path):
    addresses = {"ta": "127.0.0.2", "taname": "127.0.0.3"}
    port = free_port_on(list(addresses.values()))
    ca = Cert(tmp_path, "ca", ["Test CA"], ca=True)
    # DANE-TA(2): the chain must lead to the CA, and the server certificate must name the MX host or the
    # next-hop domain (RFC 7672 3.2.2).
    leaf_named = Cert(tmp_path, "ta", ["mx.ta.dane.example"], issuer=ca)
    leaf_misnamed = Cert(tmp_path, "taname", ["somewhere.invalid"], issuer=ca)
    zone = SignedZone()
    zone.publish(mx_records({"ta": (addresses["ta"], [f"2 1 1 {ca.spki_sha256()}"]),
                             "taname": (addresses["taname"], [f"2 1 1 {ca.spki_sha256()}"])}, port))
    anchor = tmp_path / "anchor.key"
    anchor.write_text(zone.anchor_text())
    peer = SignedZonePeer(zone)
    receivers = []
    try:
        srv = make_server({"delivery": delivery(peer, anchor, port)})
        srv.add_user("alice@example.org")
        srv.start()
        receivers.append(Receiver(addresses["ta"], port, tls_context=leaf_named.context()))
        receivers.append(Receiver(addresses["taname"], port, tls_context=leaf_misnamed.context()))
        submit(srv, ["bob@ta.dane.example"], "dane-ta")
        wait_until(lambda: len(receivers[0].messages) == 1, what="delivery authenticated by DANE-TA")
        assert "DANE DANE-TA(2) SPKI(1) SHA2-256(1) " + ca.spki_sha256()[:16] + "... matched at depth 1" in srv.log()
        submit(srv, ["bob@taname.dane.example"], "dane-ta wrong name")
        srv.wait_for_log("to=<bob@taname.dane.example> deferred", timeout=30)
        assert "DANE: the certificate of mx.taname.dane.example does not match its TLSA records" in srv.log()
        assert receivers[1].messages == []
        srv.stop()

        # delivery.dnssec = false: nothing validates, so the TLSA records are not used and the mail goes out
        # with opportunistic TLS.
        srv.settings["delivery"]["dnssec"] = False
        srv.write_config()
        restart(srv)
        assert "no DNSSEC validation (delivery.dnssec = false)" in srv.log()
        srv.cli("queue", "retry", "--all")
        wait_until(lambda: len(receivers[1].messages) == 1, what="delivery without DNSSEC")
    finally:
        for r in receivers:
            r.stop()
        peer.stop()
