#! /usr/bin/env python3
# Usage: fp-pcap.py write FILE [HEX...]
#        fp-pcap.py read FILE
#        fp-pcap.py replay FILE IFACE
#
# "write" makes FILE a pcap file (microsecond timestamps, Ethernet link
# type) holding each HEX string as one frame.  "read" prints each frame of
# pcap file FILE as one line of hex.  "replay" sends each frame of FILE on
# Linux interface IFACE.  No scapy needed.
import socket
import struct
import sys

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


def replay(path, iface):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    for frame in frames(path):
        sock.send(frame)


if len(sys.argv) >= 3 and sys.argv[1] == "write":
    write(sys.argv[2], sys.argv[3:])
elif len(sys.argv) == 3 and sys.argv[1] == "read":
    read(sys.argv[2])
elif len(sys.argv) == 4 and sys.argv[1] == "replay":
    replay(sys.argv[2], sys.argv[3])
else:
    sys.exit("usage: fp-pcap.py write FILE [HEX...] | read FILE"
             " | replay FILE IFACE")
