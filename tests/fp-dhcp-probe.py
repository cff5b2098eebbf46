#! /usr/bin/env python3
# Usage: fp-dhcp-probe.py IFACE MAC
#
# A DHCP client's first exchange, on Linux interface IFACE as if its MAC
# were MAC: broadcasts a DHCPDISCOVER and prints the first DHCPOFFER for it
# as one line
#
#     OFFER yiaddr=A server=S router=R mask=M lease=SECONDS
#
# (fields the offer lacks are left out).  Exits 1 if no offer comes within
# 5 seconds.  Raw sockets, no DHCP client: the offer is printed as it came.
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def discover(mac, xid):
    options = bytes([53, 1, 1,             # DHCPDISCOVER
                     55, 5, 1, 3, 6, 51, 54,
                     255])
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s4s",
                        1, 1, 6, 0, xid, 0, 0x8000,
                        bytes(4), bytes(4), bytes(4), bytes(4),
                        mac + bytes(10), bytes(64), bytes(128),
                        bytes([99, 130, 83, 99])) + options
    udp = struct.pack("!HHHH", 68, 67, 8 + len(bootp), 0) + bootp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, bytes(4), bytes([255] * 4))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return bytes([255] * 6) + mac + b"\x08\x00" + ip + udp


def parse_offer(frame, xid):
    """Returns the offer's fields if 'frame' is a DHCPOFFER for 'xid'."""
    if len(frame) < 14 + 20 + 8 + 240 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0xF) * 4
    if ip[9] != 17:
        return None
    udp = ip[ihl:]
    if struct.unpack("!H", udp[2:4])[0] != 68:
        return None
    bootp = udp[8:]
    if bootp[0] != 2 or struct.unpack("!I", bootp[4:8])[0] != xid:
        return None
    fields = {"yiaddr": socket.inet_ntoa(bootp[16:20])}
    opts = bootp[240:]
    kind = None
    i = 0
    while i < len(opts) and opts[i] != 255:
        if opts[i] == 0:
            i += 1
            continue
        code, length = opts[i], opts[i + 1]
        value = opts[i + 2:i + 2 + length]
        if code == 53:
            kind = value[0]
        elif code == 54:
            fields["server"] = socket.inet_ntoa(value)
        elif code == 3:
            fields["router"] = socket.inet_ntoa(value[:4])
        elif code == 1:
            fields["mask"] = socket.inet_ntoa(value)
        elif code == 51:
            fields["lease"] = str(struct.unpack("!I", value)[0])
        i += 2 + length
    return fields if kind == 2 else None


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fp-dhcp-probe.py IFACE MAC")
    iface = sys.argv[1]
    mac = bytes.fromhex(sys.argv[2].replace(":", ""))
    xid = struct.unpack("!I", os.urandom(4))[0]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(0x0800))
    sock.bind((iface, 0))
    sock.send(discover(mac, xid))
    deadline = time.time() + 5
    while time.time() < deadline:
        ready, _, _ = select.select([sock], [], [], deadline - time.time())
        if not ready:
            break
        fields = parse_offer(sock.recv(65535), xid)
        if fields:
            order = ["yiaddr", "server", "router", "mask", "lease"]
            print("OFFER " + " ".join("%s=%s" % (k, fields[k])
                                      for k in order if k in fields))
            return 0
    print("no offer", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
