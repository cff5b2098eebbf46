#! /usr/bin/env python3
# Writes the seed corpus of tests/fuzz/fuzz-packet.c into DIR (default
# tests/fuzz/corpus/packet): one frame, or several, of each kind that the
# harness's megaflows act on.  Each frame is prefixed by its length, as the
# harness reads it: (length // 8, length % 8).
import os
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(ethertype, payload, dst=b"\xf0\0\0\0\0\2", src=b"\xf0\0\0\0\0\1"):
    return dst + src + struct.pack("!H", ethertype) + payload


def ipv4(proto, l4, src=b"\x0a\1\1\1", dst=b"\x0a\1\1\2", frag=0x4000,
         options=b""):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(l4), 1,
                    frag, 64, proto, 0, src, dst) + options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + l4


def udp(sport, dport, payload=b"\0" * 18):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, flags=0x02):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 0x50, flags, 8192,
                       0, 0)


def icmp(kind=8):
    h = struct.pack("!BBHHH", kind, 0, 0, 1, 1) + b"\0" * 32
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def ipv6(nh, l4):
    return (struct.pack("!IHBB", 6 << 28, len(l4), nh, 64)
            + b"\xfe\x80" + b"\0" * 13 + b"\1"
            + b"\xfe\x80" + b"\0" * 13 + b"\2" + l4)


def vlan(vid, ethertype, payload):
    return struct.pack("!HH", vid, ethertype) + payload


def frames():
    ip_udp = eth(0x0800, ipv4(17, udp(1000, 2000)))
    ip_tcp = eth(0x0800, ipv4(6, tcp(1000, 80)))
    yield "udp", [ip_udp]
    yield "tcp-syn", [ip_tcp]
    yield "tcp-syn-ack", [ip_tcp,
                          eth(0x0800, ipv4(6, tcp(80, 1000, 0x12),
                                           src=b"\x0a\1\1\2",
                                           dst=b"\x0a\1\1\1"))]
    yield "icmp", [eth(0x0800, ipv4(1, icmp()))]
    yield "ip-options", [eth(0x0800, ipv4(17, udp(1, 2),
                                          options=b"\x94\x04\0\0"))]
    yield "fragment", [eth(0x0800, ipv4(17, udp(1, 2), frag=0x2000)),
                       eth(0x0800, ipv4(17, b"\0" * 16, frag=0x0003))]
    yield "vlan5", [eth(0x8100, vlan(5, 0x0800, ipv4(17, udp(1, 2))))]
    yield "qinq", [eth(0x88a8, vlan(7, 0x8100,
                                    vlan(5, 0x0800, ipv4(17, udp(1, 2)))))]
    yield "mpls100", [eth(0x8847, struct.pack("!I", (100 << 12) | 0x1ff)
                          + ipv4(17, udp(1, 2)))]
    inner = eth(0x0800, ipv4(17, udp(5, 6)), dst=b"\xaa" * 6,
                src=b"\xbb" * 6)
    yield "vxlan", [eth(0x0800, ipv4(17, udp(50000, 4789,
                                             struct.pack("!II", 0x08000000,
                                                         0x100) + inner)))]
    yield "ipv6-udp", [eth(0x86dd, ipv6(17, udp(1, 2)))]
    yield "arp", [eth(0x0806, struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
                      + b"\xf0\0\0\0\0\1" + b"\x0a\1\1\1" + b"\0" * 6
                      + b"\x0a\1\1\2")]
    yield "runt", [b"\xf0\0\0\0\0\2\xf0\0\0\0\0\1\x08"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "packet")
    os.makedirs(out, exist_ok=True)
    for name, fs in frames():
        with open(os.path.join(out, name), "wb") as f:
            for fr in fs:
                f.write(bytes([len(fr) // 8, len(fr) % 8]) + fr)


main()
