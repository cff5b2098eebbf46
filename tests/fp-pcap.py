#! /usr/bin/env python3
# Usage: fp-pcap.py write FILE [HEX...]
#        fp-pcap.py read FILE
#        fp-pcap.py replay FILE IFACE
#        fp-pcap.py flood FILE IFACE
#        fp-pcap.py flows FILE N
#        fp-pcap.py udp FILE N SRC_MAC DST_MAC SRC_IP DST_IP
#        fp-pcap.py seq FILE N K
#        fp-pcap.py order FILE
#
# "write" makes FILE a pcap file (microsecond timestamps, Ethernet link
# type) holding each HEX string as one frame.  "read" prints each frame of
# pcap file FILE as one line of hex.  "replay" sends each frame of FILE on
# Linux interface IFACE; "flood" does so again and again, until it is
# killed, at most 64 frames a millisecond.  "flows" makes FILE a pcap file
# of N UDP frames of 60 bytes (64 on the wire), one per flow: frame i
# (from 0) goes from f0:00:00:00:00:01, 10.1.(i / 256).(i % 256), UDP port
# 10000 + i, to f0:00:00:00:00:02, 10.2.0.1, UDP port 9, with correct IPv4
# and UDP checksums.  "udp" makes N such frames, all from SRC_MAC and
# SRC_IP to DST_MAC and DST_IP (UDP ports 10000 + i to 9).  "seq" makes
# N frames of K flows taken in turn: frame j is of flow j % K (the frame
# "flows" makes for i = j % K) and carries j in its first payload bytes.
# "order" reads such frames from FILE and prints, per flow, how many came
# and whether their numbers only grew ("in order") or not (the first pair
# that did not).  No scapy needed.
import errno
import socket
import struct
import sys
import time

MAGIC = 0xa1b2c3d4
LINKTYPE_ETHERNET = 1


def write(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", MAGIC, 2, 4, 0, 0, 65535,
                            LINKTYPE_ETHERNET))
        for i, frame in enumerate(frames):
            data = bytes.fromhex(frame)
            f.write(struct.pack("<IIII", 1, i, len(data), len(data)))
            f.write(data)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def udp_frame(i, src_mac="f0:00:00:00:00:01", dst_mac="f0:00:00:00:00:02",
              src=None, dst=None, seq=0):
    if src is None:
        src = bytes([10, 1, i // 256 % 256, i % 256])
    if dst is None:
        dst = bytes([10, 2, 0, 1])
    payload = struct.pack("!I", seq) + bytes(14)
    udp_len = 8 + len(payload)
    sport = 10000 + i
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, 9, udp_len, 0) + payload
    udp_csum = checksum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", udp_csum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0x4000, 64,
                     17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = (bytes.fromhex(dst_mac.replace(":", ""))
           + bytes.fromhex(src_mac.replace(":", ""))
           + struct.pack("!H", 0x0800))
    return (eth + ip + udp).hex()


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (MAGIC, 0xa1b23c4d):
        endian = "<"
    elif struct.unpack(">I", data[:4])[0] in (MAGIC, 0xa1b23c4d):
        endian = ">"
    else:
        sys.exit("%s: not a pcap file" % path)
    ofs = 24
    while ofs + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[ofs:ofs + 16])
        ofs += 16
        yield data[ofs:ofs + caplen]
        ofs += caplen


def read(path):
    for frame in frames(path):
        print(frame.hex())


def order(path):
    last = {}
    counts = {}
    bad = {}
    for frame in frames(path):
        if len(frame) < 46 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
            continue
        sport = struct.unpack("!H", frame[34:36])[0]
        seq = struct.unpack("!I", frame[42:46])[0]
        counts[sport] = counts.get(sport, 0) + 1
        if sport in last and seq <= last[sport] and sport not in bad:
            bad[sport] = (last[sport], seq)
        last[sport] = seq
    for sport in sorted(counts):
        if sport in bad:
            print("flow %d: %d frames, %d after %d" % (sport, counts[sport],
                                                      bad[sport][1],
                                                      bad[sport][0]))
        else:
            print("flow %d: %d frames, in order" % (sport, counts[sport]))


def replay(path, iface):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    for frame in frames(path):
        sock.send(frame)


def flood(path, iface):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    todo = list(frames(path))
    if not todo:
        sys.exit("%s: no frames" % path)
    while True:
        for i, frame in enumerate(todo):
            try:
                sock.send(frame)
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
            if i % 64 == 63:
                time.sleep(0.001)


if len(sys.argv) >= 3 and sys.argv[1] == "write":
    write(sys.argv[2], sys.argv[3:])
elif len(sys.argv) == 3 and sys.argv[1] == "read":
    read(sys.argv[2])
elif len(sys.argv) == 4 and sys.argv[1] == "replay":
    replay(sys.argv[2], sys.argv[3])
elif len(sys.argv) == 4 and sys.argv[1] == "flood":
    flood(sys.argv[2], sys.argv[3])
elif (len(sys.argv) == 4 and sys.argv[1] == "flows"
      and 0 < int(sys.argv[3]) <= 55535):
    write(sys.argv[2], [udp_frame(i) for i in range(int(sys.argv[3]))])
elif (len(sys.argv) == 5 and sys.argv[1] == "seq"
      and 0 < int(sys.argv[4]) <= 55535):
    write(sys.argv[2], [udp_frame(j % int(sys.argv[4]), seq=j)
                        for j in range(int(sys.argv[3]))])
elif len(sys.argv) == 3 and sys.argv[1] == "order":
    order(sys.argv[2])
elif (len(sys.argv) == 8 and sys.argv[1] == "udp"
      and 0 < int(sys.argv[3]) <= 55535):
    write(sys.argv[2], [udp_frame(i, sys.argv[4], sys.argv[5],
                                  socket.inet_aton(sys.argv[6]),
                                  socket.inet_aton(sys.argv[7]))
                        for i in range(int(sys.argv[3]))])
else:
    sys.exit("usage: fp-pcap.py write FILE [HEX...] | read FILE"
             " | replay FILE IFACE | flood FILE IFACE"
             " | flows FILE N (N <= 55535)"
             " | udp FILE N SRC_MAC DST_MAC SRC_IP DST_IP")
