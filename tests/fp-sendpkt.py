#! /usr/bin/env python3
# Usage: fp-sendpkt.py IFACE HEX...
#
# Sends each HEX string as one Ethernet frame on Linux interface IFACE.
import socket
import sys

if len(sys.argv) < 3:
    sys.exit("usage: fp-sendpkt.py IFACE HEX...")
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((sys.argv[1], 0))
for frame in sys.argv[2:]:
    sock.send(bytes.fromhex(frame))
