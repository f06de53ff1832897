#!/usr/bin/python3
"""A loopback DNS server (python3-dnslib) for scripts/bench-outbound.sh: Bulwark routes by MX, so each benchmark
domain d<i>.<zone> (i = 1..DOMAINS) gets an MX record naming mx<i>.<zone>, whose A record is 127.0.0.<i+1>: one
receiver address per domain, as the script's Postfix transport map has it. Other names are NXDOMAIN. Runs in
the foreground until killed; UDP and TCP on 127.0.0.1:PORT.

usage: dns_zone.py PORT ZONE DOMAINS     e.g. dns_zone.py 5353 out.example 10
"""
import signal
import sys

from dnslib import MX, QTYPE, RCODE, RR, A, DNSLabel
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class BenchZone(BaseResolver):
    def __init__(self, zone, domains):
        self.mx = {DNSLabel(f"d{i}.{zone}"): DNSLabel(f"mx{i}.{zone}") for i in range(1, domains + 1)}
        self.a = {DNSLabel(f"mx{i}.{zone}"): f"127.0.0.{i + 1}" for i in range(1, domains + 1)}

    def resolve(self, request, handler):
        reply = request.reply()
        name, qtype = request.q.qname, QTYPE[request.q.qtype]
        if name in self.mx:
            if qtype == "MX":
                reply.add_answer(RR(name, QTYPE.MX, rdata=MX(self.mx[name], 10), ttl=3600))
        elif name in self.a:
            if qtype == "A":
                reply.add_answer(RR(name, QTYPE.A, rdata=A(self.a[name]), ttl=3600))
        else:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    port, zone, domains = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if not 1 <= domains <= 250:
        sys.exit("dns_zone: 1 to 250 domains (127.0.0.2 .. 127.0.0.251)")
    resolver = BenchZone(zone, domains)
    quiet = DNSLogger(logf=lambda _: None)
    servers = [DNSServer(resolver, address="127.0.0.1", port=port, logger=quiet),
               DNSServer(resolver, address="127.0.0.1", port=port, tcp=True, logger=quiet)]
    for s in servers:
        s.start_thread()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("dns_zone: ready", flush=True)
    signal.pause()


if __name__ == "__main__":
    main()
