"""A DNSSEC-signed zone on loopback for the DANE tests (python3-dnspython, python3-cryptography).

One ECDSA P-256 key (algorithm 13, flags 257) signs every RRset of the zone and an NSEC chain. The server answers
over UDP and TCP like an authoritative server that also serves a few unsigned names: RRSIGs when the query has
the DO bit, the NSEC proofs (RFC 4035 3.1.3) for no-data and NXDOMAIN answers, TC over UDP when the answer does
not fit. libunbound, forwarding to it and given the zone's DNSKEY as trust anchor (`anchor_text()`, a
trust-anchor island: no root chain needed), validates the zone's answers as secure; names outside the zone
have no anchor and are insecure. `tamper={(name, type): "rdata"}` serves other data than was signed (bogus).
"""
import datetime
import socket
import socketserver
import threading

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
from cryptography.hazmat.primitives.asymmetric import ec

TTL = 60


def _name(text):
    return dns.name.from_text(text if text.endswith(".") else text + ".")


class SignedZone:
    def __init__(self, origin="dane.example"):
        self.origin = _name(origin)
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.dnskey = dns.dnssec.make_dnskey(self.key.public_key(), dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257)
        self.lock = threading.Lock()
        self.nodes = {}     # Name -> {rdtype: Rdataset}, signed zone content
        self.sigs = {}      # Name -> {covered rdtype: RRSIG Rdataset}
        self.order = []     # names in DNSSEC canonical order (the NSEC chain)
        self.unsigned = {}  # Name -> {rdtype: Rdataset}, outside the zone
        self.queries = []

    def anchor_text(self):
        return f"{self.origin.to_text()} {TTL} IN DNSKEY {self.dnskey.to_text()}\n"

    def publish(self, records, unsigned=None, tamper=None):
        """records / unsigned: {name: [(type, rdata text)]}; names in `records` must be in the zone."""
        nodes = {}

        def add(table, name, rdtype, text):
            rdtype = dns.rdatatype.from_text(rdtype)
            rdataset = table.setdefault(name, {}).setdefault(rdtype, dns.rdataset.Rdataset(dns.rdataclass.IN, rdtype))
            rdataset.update_ttl(TTL)
            rdataset.add(dns.rdata.from_text(dns.rdataclass.IN, rdtype, text, origin=self.origin, relativize=False))

        add(nodes, self.origin, "SOA", f"ns.{self.origin} hostmaster.{self.origin} 1 3600 600 86400 {TTL}")
        add(nodes, self.origin, "NS", f"ns.{self.origin}")
        nodes[self.origin][dns.rdatatype.DNSKEY] = dns.rdataset.from_rdata(TTL, self.dnskey)
        for name, entries in records.items():
            owner = _name(name)
            assert owner.is_subdomain(self.origin), owner
            for rdtype, text in entries:
                add(nodes, owner, rdtype, text)
        order = sorted(nodes)
        for i, owner in enumerate(order):
            following = order[(i + 1) % len(order)]
            types = sorted(dns.rdatatype.to_text(t) for t in nodes[owner]) + ["NSEC", "RRSIG"]
            add(nodes, owner, "NSEC", f"{following} {' '.join(types)}")
        now = datetime.datetime.now(datetime.timezone.utc)
        sigs = {}
        for owner, rdatasets in nodes.items():
            for rdtype, rdataset in rdatasets.items():
                rrsig = dns.dnssec.sign((owner, rdataset), self.key, self.origin, self.dnskey,
                                        inception=now - datetime.timedelta(hours=1),
                                        expiration=now + datetime.timedelta(days=1))
                sigs.setdefault(owner, {})[rdtype] = dns.rdataset.from_rdata(TTL, rrsig)
        for (name, rdtype), text in (tamper or {}).items():
            rdtype = dns.rdatatype.from_text(rdtype)
            nodes[_name(name)][rdtype] = dns.rdataset.from_rdata(
                TTL, dns.rdata.from_text(dns.rdataclass.IN, rdtype, text, origin=self.origin, relativize=False))
        plain = {}
        for name, entries in (unsigned or {}).items():
            for rdtype, text in entries:
                add(plain, _name(name), rdtype, text)
        with self.lock:
            self.nodes, self.sigs, self.order, self.unsigned = nodes, sigs, order, plain

    # --- answering -------------------------------------------------------------------------------------------

    def _covering(self, name):
        """The NSEC owner whose span (owner, next) covers `name` (canonical order, wrapping at the end)."""
        previous = self.order[-1]
        for owner in self.order:
            if owner > name:
                return previous
            previous = owner
        return self.order[-1]

    def _exists(self, name):
        """The name owns records, or is an empty non-terminal above names that do."""
        return name in self.nodes or any(owner.is_subdomain(name) for owner in self.nodes)

    def _add(self, section, owner, rdataset, dnssec):
        section.append(dns.rrset.from_rdata_list(owner, rdataset.ttl, list(rdataset)))
        if dnssec and owner in self.sigs and rdataset.rdtype in self.sigs[owner]:
            sig = self.sigs[owner][rdataset.rdtype]
            section.append(dns.rrset.from_rdata_list(owner, sig.ttl, list(sig)))

    def _add_nsec(self, section, owner, dnssec, seen):
        if dnssec and owner not in seen:
            seen.add(owner)
            self._add(section, owner, self.nodes[owner][dns.rdatatype.NSEC], dnssec)

    def answer(self, query):
        response = dns.message.make_response(query, recursion_available=True)
        dnssec = query.edns >= 0 and bool(query.ednsflags & dns.flags.DO)
        if dnssec:
            response.want_dnssec(True)
        if not query.question:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        qname, qtype = query.question[0].name, query.question[0].rdtype
        with self.lock:
            self.queries.append((qname.to_text(), dns.rdatatype.to_text(qtype)))
            if not qname.is_subdomain(self.origin):
                rdataset = self.unsigned.get(qname, {}).get(qtype)
                if rdataset is not None:
                    response.answer.append(dns.rrset.from_rdata_list(qname, rdataset.ttl, list(rdataset)))
                elif qname not in self.unsigned:
                    response.set_rcode(dns.rcode.NXDOMAIN)
                return response
            response.flags |= dns.flags.AA
            soa = self.nodes[self.origin][dns.rdatatype.SOA]
            seen = set()
            node = self.nodes.get(qname)
            if node is not None and qtype in node:
                self._add(response.answer, qname, node[qtype], dnssec)
            elif node is not None:  # no data: the name's own NSEC shows the type is absent
                self._add(response.authority, self.origin, soa, dnssec)
                self._add_nsec(response.authority, qname, dnssec, seen)
            elif self._exists(qname):  # empty non-terminal: the NSEC spanning it
                self._add(response.authority, self.origin, soa, dnssec)
                self._add_nsec(response.authority, self._covering(qname), dnssec, seen)
            else:  # NXDOMAIN: an NSEC covering the name and one covering the wildcard at the closest encloser
                response.set_rcode(dns.rcode.NXDOMAIN)
                self._add(response.authority, self.origin, soa, dnssec)
                self._add_nsec(response.authority, self._covering(qname), dnssec, seen)
                encloser = qname.parent()
                while not self._exists(encloser):
                    encloser = encloser.parent()
                wildcard = dns.name.Name((b"*",) + encloser.labels)
                self._add_nsec(response.authority, self._covering(wildcard), dnssec, seen)
        return response


def _wire(zone, data, max_size):
    try:
        query = dns.message.from_wire(data)
    except dns.exception.DNSException:
        return None
    response = zone.answer(query)
    try:
        return response.to_wire(max_size=max_size)
    except dns.exception.TooBig:
        truncated = dns.message.make_response(query, recursion_available=True)
        truncated.flags |= dns.flags.TC
        return truncated.to_wire()


class _Udp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        try:
            query = dns.message.from_wire(data)
            limit = max(512, query.payload) if query.edns >= 0 else 512
        except dns.exception.DNSException:
            return
        wire = _wire(self.server.zone, data, limit)
        if wire:
            sock.sendto(wire, self.client_address)


class _Tcp(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        while True:
            header = conn.recv(2, socket.MSG_WAITALL)
            if len(header) < 2:
                return
            length = int.from_bytes(header, "big")
            data = conn.recv(length, socket.MSG_WAITALL)
            if len(data) < length:
                return
            wire = _wire(self.server.zone, data, 65535)
            if not wire:
                return
            conn.sendall(len(wire).to_bytes(2, "big") + wire)


class _UdpServer(socketserver.ThreadingUDPServer):
    daemon_threads = True


class _TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SignedZonePeer:
    """The zone served on 127.0.0.1 (UDP and TCP, one port)."""

    def __init__(self, zone):
        self.zone = zone
        for _ in range(50):
            udp = _UdpServer(("127.0.0.1", 0), _Udp)
            try:
                tcp = _TcpServer(("127.0.0.1", udp.server_address[1]), _Tcp)
            except OSError:
                udp.server_close()
                continue
            break
        else:
            raise RuntimeError("no free DNS port")
        self.udp, self.tcp = udp, tcp
        self.port = udp.server_address[1]
        for server in (udp, tcp):
            server.zone = zone
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        for server in (self.udp, self.tcp):
            server.shutdown()
            server.server_close()
