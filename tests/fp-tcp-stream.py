#!/usr/bin/env python3
# Copyright (c) 2026 OVS Fastpath authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""One long-lived TCP connection at a low, steady rate, for tests that
check that an established connection goes on through something (a restart
of ovs-vswitchd): the client sends BLOCK bytes every INTERVAL seconds
until STOPFILE exists, then closes; each side writes its byte count to
COUNTFILE as it goes, and the final count when the connection ends.

  fp-tcp-stream.py server ADDR PORT COUNTFILE
  fp-tcp-stream.py client ADDR PORT COUNTFILE STOPFILE [INTERVAL [BLOCK]]

tcp-retrans prints the TCP segments retransmitted in this network
namespace since boot (RetransSegs of /proc/net/snmp)."""

import os
import socket
import sys
import time


def write_count(path, n):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % n)
    os.rename(tmp, path)


def server(addr, port, countfile):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(1)
    write_count(countfile, 0)
    conn, _ = ls.accept()
    total = 0
    while True:
        data = conn.recv(65536)
        if not data:
            break
        total += len(data)
        write_count(countfile, total)
    write_count(countfile, total)
    print("received %d" % total)


def client(addr, port, countfile, stopfile, interval="0.01", block="1000"):
    s = socket.create_connection((addr, int(port)), timeout=30)
    s.settimeout(None)
    payload = b"x" * int(block)
    total = 0
    while not os.path.exists(stopfile):
        s.sendall(payload)
        total += len(payload)
        write_count(countfile, total)
        time.sleep(float(interval))
    s.shutdown(socket.SHUT_WR)
    s.recv(1)                   # The server's close.
    s.close()
    write_count(countfile, total)
    print("sent %d" % total)


def tcp_retrans():
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Tcp:")]
    print(rows[1][rows[0].index("RetransSegs")])


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "server" and len(sys.argv) == 5:
        server(*sys.argv[2:])
    elif (len(sys.argv) >= 2 and sys.argv[1] == "client"
          and 6 <= len(sys.argv) <= 8):
        client(*sys.argv[2:])
    elif sys.argv[1:] == ["tcp-retrans"]:
        tcp_retrans()
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
