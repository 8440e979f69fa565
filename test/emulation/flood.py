#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Send frames at a rate through a link, for the emulation's lag measurements and fault tests.

  flood.py udp  --dst A.B.C.D --rate PPS --seconds S [--size BYTES]   UDP from a normal socket
  flood.py garbage --link DEV --seconds S                             random frames, as fast as
                                                                      a packet socket takes them
Prints one line: `sent=N seconds=S rate=PPS`.
"""
import argparse
import os
import socket
import time


def udp(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"x" * args.size
    interval = 1.0 / args.rate
    start = time.monotonic()
    end = start + args.seconds
    sent = 0
    nxt = start
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if now < nxt:
            time.sleep(min(nxt - now, 0.001))
            continue
        # Catch up in bursts when the sender itself fell behind (keeps the average rate).
        while nxt <= now and sent < args.rate * args.seconds:
            try:
                s.sendto(payload, (args.dst, 9000 + sent % 16))
            except OSError:
                pass
            sent += 1
            nxt += interval
    return sent, time.monotonic() - start


def garbage(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.link, 0))
    rnd = os.urandom(1 << 16)
    start = time.monotonic()
    end = start + args.seconds
    sent = 0
    while time.monotonic() < end:
        for _ in range(256):
            off = (sent * 97) % 60000
            n = 34 + (sent * 31) % 1400
            body = bytearray(rnd[off:off + n])
            if sent % 2 == 0:
                # Broadcast IPv4 with a random header and payload (the unit parses it).
                body[0:6] = b"\xff" * 6
                body[12:14] = b"\x08\x00"
                body[14] = 0x45
            try:
                s.send(bytes(body))
            except OSError:
                pass
            sent += 1
    return sent, time.monotonic() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["udp", "garbage"])
    p.add_argument("--dst")
    p.add_argument("--link")
    p.add_argument("--rate", type=float, default=1000)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--size", type=int, default=64)
    a = p.parse_args()
    sent, secs = udp(a) if a.mode == "udp" else garbage(a)
    print("sent=%d seconds=%.2f rate=%.0f" % (sent, secs, sent / secs if secs else 0))


if __name__ == "__main__":
    main()
