"""Peers for the outbound delivery tests: a DNS server on loopback (python3-dnslib) serving test zones, and
receiving MTAs (python3-aiosmtpd) on 127.0.0.x that accept, temp-fail (4xx) or reject (5xx).

Every receiver of one test listens on the same port (the server's [delivery] port) at its own loopback address,
which is what the zone's A records point at.
"""
import asyncio
import socket
import threading
import time

from aiosmtpd.controller import Controller
from dnslib import AAAA, MX, QTYPE, RCODE, RR, TXT, A, DNSLabel
from dnslib.server import BaseResolver, DNSLogger, DNSServer


def free_port_on(addresses):
    """A TCP port free on every address in `addresses`."""
    for _ in range(50):
        probe = socket.socket()
        probe.bind((addresses[0], 0))
        port = probe.getsockname()[1]
        held = [probe]
        try:
            for address in addresses[1:]:
                s = socket.socket()
                s.bind((address, port))
                held.append(s)
            return port
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no common free port")


class ZoneResolver(BaseResolver):
    """records: {name: [("MX", pref, host) | ("A", ip) | ("AAAA", ip) | ("TXT", text)]}. Names not listed and
    not under a listed name's parent are NXDOMAIN; listed names without the asked type answer NOERROR/no data."""

    def __init__(self, records):
        self.records = {DNSLabel(k): v for k, v in records.items()}
        self.queries = []

    def resolve(self, request, handler):
        reply = request.reply()
        qname = request.q.qname
        qtype = QTYPE[request.q.qtype]
        self.queries.append((str(qname), qtype))
        entries = self.records.get(qname)
        if entries is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for entry in entries:
            kind = entry[0]
            if kind != qtype:
                continue
            if kind == "MX":
                rdata = MX(entry[2], entry[1])
            elif kind == "A":
                rdata = A(entry[1])
            elif kind == "AAAA":
                rdata = AAAA(entry[1])
            else:
                rdata = TXT(entry[1])
            reply.add_answer(RR(qname, getattr(QTYPE, kind), rdata=rdata, ttl=60))
        return reply


class DnsPeer:
    def __init__(self, records):
        self.resolver = ZoneResolver(records)
        self.port = free_port_on(["127.0.0.1"])
        quiet = DNSLogger(logf=lambda _: None)
        self.udp = DNSServer(self.resolver, address="127.0.0.1", port=self.port, logger=quiet)
        self.tcp = DNSServer(self.resolver, address="127.0.0.1", port=self.port, tcp=True, logger=quiet)
        self.udp.start_thread()
        self.tcp.start_thread()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        self.udp.stop()
        self.tcp.stop()


class Behaviour:
    """What a receiver answers. tempfail_data: DATA is answered 451 this many times before it is accepted.
    reject_rcpt: addresses refused with 550 5.1.1 at RCPT."""

    def __init__(self, tempfail_data=0, reject_rcpt=(), reject_all=False):
        self.tempfail_data = tempfail_data
        self.reject_rcpt = set(reject_rcpt)
        self.reject_all = reject_all


class RecordingHandler:
    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.messages = []  # (mail_from, [rcpts], content bytes)
        self.tempfails = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.behaviour.reject_all or address in self.behaviour.reject_rcpt:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.tempfails < self.behaviour.tempfail_data:
                self.tempfails += 1
                return "451 4.3.0 try again later"
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 2.0.0 accepted"


class Receiver:
    def __init__(self, address, port, behaviour=None, **smtp_kwargs):
        self.handler = RecordingHandler(behaviour or Behaviour())
        self.controller = Controller(self.handler, hostname=address, port=port, ready_timeout=10,
                                     data_size_limit=50 << 20, **smtp_kwargs)
        self.controller.start()

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def stop(self):
        self.controller.stop()


def wait_until(predicate, timeout=30, interval=0.1, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def delivery_settings(dns, port, **extra):
    # The dnslib zones are unsigned: with the root trust anchor every answer would be bogus. DNSSEC and DANE are
    # tested against a signed zone in test_outbound_dane.py.
    settings = {"enabled": True, "resolver": dns.address, "port": port, "retry_base": "1s", "retry_max": "2s",
                "poll_interval": "1s", "connect_timeout": "5s", "command_timeout": "10s", "data_timeout": "10s",
                "dnssec": False}
    settings.update(extra)
    return settings


def restart(server):
    """Starts a server whose log already holds an earlier run's "ready:" line, and waits for the new one."""
    before = server.log().count("ready:")
    server.start(wait_for="")
    wait_until(lambda: server.log().count("ready:") > before or server.proc.poll() is not None,
               what="the server to be ready")
    assert server.proc.poll() is None, server.log()
    return server
