#! /usr/bin/env python3
# Copyright (c) 2026 OVS Fastpath authors.
# Licensed under the Apache License, Version 2.0.
"""A client of fastpathd's channel, for the tests: it speaks the framing of
engine/fp-chan.h (a netlink header, then netlink attributes) from the
outside, so that the tests check the protocol as a client built apart from
the daemon would see it.

    fp-chan.py SOCKET hello VERSION [NAME] [--hold]
        Says HELLO and prints the reply; with --hold, stays connected until
        it is killed.
    fp-chan.py SOCKET send HEX [SECONDS]
        Sends raw bytes, prints each reply, then "closed" if fastpathd
        closes the connection within SECONDS (30), else "open".

A reply's "pid=yes" means the pid of fastpathd.pid beside SOCKET.
    fp-chan.py SOCKET run STEP...
        Says HELLO (version 1), then each STEP, printing each reply.  A STEP
        is "dp-open TYPE NAME [create]", "dp-del NAME",
        "port-add DP NAME TYPE [port_no=N] [KEY=VALUE]..." (the options),
        "port-del DP PORT_NO", "flow-put-raw DP KEY_HEX" (a FLOW_PUT whose
        key is the bytes given; tests/test-fp-chan writes real flows) or
        "raw HEX" (bytes as they are).
"""

import errno
import os
import socket
import struct
import sys

HELLO, DP_OPEN, DP_DEL, PORT_ADD, PORT_DEL, FLOW_PUT = 16, 17, 18, 19, 20, 21
F_REPLY = 1
A_VERSION, A_PID, A_NAME, A_ERROR, A_REASON = 1, 2, 3, 4, 5
A_DP_TYPE, A_DP_NAME, A_CREATE = 6, 7, 8
A_PORT_NAME, A_PORT_TYPE, A_PORT_OPTIONS, A_PORT_NO = 9, 10, 11, 12
A_FLOW_KEY = 13
A_OPTION = 1
ERRNO_NAMES = errno.errorcode


def attr(kind, payload):
    data = struct.pack("=HH", 4 + len(payload), kind) + payload
    return data + b"\0" * (-len(data) % 4)


def message(cmd, seq, attrs):
    body = b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), cmd, 0, seq,
                       os.getpid()) + body


PENDING = b""


def receive(sock):
    """Returns one message as (cmd, flags, seq, {attr: bytes}), or None if
    the connection closed first."""
    global PENDING
    data = PENDING
    while len(data) < 16 or len(data) < struct.unpack("=I", data[:4])[0]:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return None
        data += chunk
    length, cmd, flags, seq, _ = struct.unpack("=IHHII", data[:16])
    PENDING = data[length:]
    attrs, ofs = {}, 16
    while ofs + 4 <= length:
        nla_len, kind = struct.unpack("=HH", data[ofs:ofs + 4])
        attrs[kind] = data[ofs + 4:ofs + nla_len]
        ofs += (nla_len + 3) & ~3
    return cmd, flags, seq, attrs


def fastpathd_pid(path):
    """The pid in the pidfile beside the channel's socket, or None."""
    try:
        pidfile = os.path.join(os.path.dirname(os.path.abspath(path)),
                               "fastpathd.pid")
        with open(pidfile) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def describe(reply, path):
    if reply is None:
        return "closed"
    cmd, flags, seq, attrs = reply
    words = ["reply" if flags & F_REPLY else "request", "cmd=%d" % cmd,
             "seq=%d" % seq]
    if A_ERROR in attrs:
        errno = struct.unpack("=I", attrs[A_ERROR])[0]
        words.append("error=%s" % ERRNO_NAMES.get(errno, errno))
        words.append("reason=%s" % attrs[A_REASON].rstrip(b"\0").decode())
    if A_VERSION in attrs:
        words.append("version=%d" % struct.unpack("=I", attrs[A_VERSION])[0])
    if A_NAME in attrs:
        words.append("name=%s" % attrs[A_NAME].rstrip(b"\0").decode())
    if A_PORT_NO in attrs:
        words.append("port_no=%d" % struct.unpack("=I", attrs[A_PORT_NO])[0])
    if A_PID in attrs:
        pid = struct.unpack("=I", attrs[A_PID])[0]
        words.append("pid=%s" % ("yes" if pid == fastpathd_pid(path)
                                 else pid))
    return " ".join(words)


def main():
    path, verb = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    sock.settimeout(30)
    if verb == "hello":
        version = int(sys.argv[3])
        name = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != "--hold" \
            else "fp-chan.py"
        sock.sendall(message(HELLO, 7, [
            attr(A_VERSION, struct.pack("=I", version)),
            attr(A_PID, struct.pack("=I", os.getpid())),
            attr(A_NAME, name.encode() + b"\0")]))
        print(describe(receive(sock), path), flush=True)
        if "--hold" in sys.argv:
            sock.settimeout(None)
            sock.recv(1)
    elif verb == "run":
        sock.sendall(message(HELLO, 1, [
            attr(A_VERSION, struct.pack("=I", 1)),
            attr(A_PID, struct.pack("=I", os.getpid())),
            attr(A_NAME, b"fp-chan.py\0")]))
        print(describe(receive(sock), path))
        for seq, step in enumerate(sys.argv[3:], 2):
            words = step.split()
            if words[0] == "dp-open":
                attrs = [attr(A_DP_TYPE, words[1].encode() + b"\0"),
                         attr(A_DP_NAME, words[2].encode() + b"\0")]
                if "create" in words[3:]:
                    attrs.append(attr(A_CREATE, b""))
                sock.sendall(message(DP_OPEN, seq, attrs))
            elif words[0] == "dp-del":
                sock.sendall(message(DP_DEL, seq, [
                    attr(A_DP_NAME, words[1].encode() + b"\0")]))
            elif words[0] == "port-add":
                attrs = [attr(A_DP_NAME, words[1].encode() + b"\0"),
                         attr(A_PORT_NAME, words[2].encode() + b"\0"),
                         attr(A_PORT_TYPE, words[3].encode() + b"\0")]
                options = b""
                for word in words[4:]:
                    if word.startswith("port_no="):
                        attrs.append(attr(A_PORT_NO, struct.pack(
                            "=I", int(word[8:]))))
                    else:
                        options += attr(A_OPTION, word.encode() + b"\0")
                attrs.append(attr(A_PORT_OPTIONS, options))
                sock.sendall(message(PORT_ADD, seq, attrs))
            elif words[0] == "raw":
                sock.sendall(bytes.fromhex(words[1]))
            elif words[0] == "flow-put-raw":
                sock.sendall(message(FLOW_PUT, seq, [
                    attr(A_DP_NAME, words[1].encode() + b"\0"),
                    attr(A_FLOW_KEY, bytes.fromhex(words[2]))]))
            elif words[0] == "port-del":
                sock.sendall(message(PORT_DEL, seq, [
                    attr(A_DP_NAME, words[1].encode() + b"\0"),
                    attr(A_PORT_NO, struct.pack("=I", int(words[2])))]))
            else:
                sys.exit("unknown step %s" % step)
            print(describe(receive(sock), path))
    elif verb == "send":
        if len(sys.argv) > 4:
            sock.settimeout(float(sys.argv[4]))
        sock.sendall(bytes.fromhex(sys.argv[3]))
        try:
            while True:
                reply = receive(sock)
                if reply is None:
                    print("closed")
                    break
                print(describe(reply, path))
        except socket.timeout:
            print("open")
    else:
        sys.exit("unknown verb %s" % verb)


if __name__ == "__main__":
    main()
