#!/usr/bin/env python3
"""A small DHCP test client for the lab tests, independent of castline's codec: it builds PXE or
plain DHCP requests byte by byte, sends them (bounded in count and time), and prints each reply
as one JSON line. Run it only inside a test network namespace.

  dhcp_probe.py discover [--arch N] [--vendor S] [--user-class S] [--mac M] [--wait S]
  dhcp_probe.py request4011 --server A --client-ip A [--arch N] [--mac M] [--wait S]
  dhcp_probe.py corpus DIR [--port P]   send every file of DIR once to 255.255.255.255:P
  dhcp_probe.py relay --giaddr A --server A [--relay-info HEX] [--plain]
      act as a relay agent: from giaddr:67 to server:67, replies expected at giaddr:67
  dhcp_probe.py flood --count N --seconds S [--window W] [--plain] [--arch N]
      N DISCOVERs, each from a new random locally administered MAC (0a:...), at most W
      unanswered at a time (so the server, not its socket buffer, sees them), stopping after
      S seconds at the latest; prints {"sent", "replies", "seconds"}
"""
import argparse, json, os, random, socket, struct, sys, time

def options_bytes(opts):
    out = b""
    for code, value in opts:
        out += bytes([code, len(value)]) + value
    return out + b"\xff"

def build(msg_type, mac, xid, opts, ciaddr="0.0.0.0", flags=0x8000, giaddr="0.0.0.0"):
    hdr = struct.pack("!BBBBIHH4s4s4s4s", 1, 1, 6, 1 if giaddr != "0.0.0.0" else 0, xid, 0,
                      flags, socket.inet_aton(ciaddr), bytes(4), bytes(4), socket.inet_aton(giaddr))
    hdr += mac + bytes(10) + bytes(64) + bytes(128) + bytes([99, 130, 83, 99])
    return hdr + options_bytes([(53, bytes([msg_type]))] + opts)

def parse(data):
    if len(data) < 240 or data[236:240] != bytes([99, 130, 83, 99]):
        return None
    r = {"op": data[0], "xid": struct.unpack("!I", data[4:8])[0],
         "yiaddr": socket.inet_ntoa(data[16:20]), "siaddr": socket.inet_ntoa(data[20:24]),
         "giaddr": socket.inet_ntoa(data[24:28]),
         "sname": data[44:108].split(b"\0")[0].decode("latin1"),
         "file": data[108:236].split(b"\0")[0].decode("latin1"), "options": {}}
    i = 240
    while i < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        code, n = data[i], data[i + 1]
        r.setdefault("option_order", []).append(code)
        r["options"].setdefault(str(code), "")
        r["options"][str(code)] += data[i + 2:i + 2 + n].hex()
        i += 2 + n
    o = r["options"]
    r["type"] = int(o.get("53", "00"), 16)
    r["server_id"] = socket.inet_ntoa(bytes.fromhex(o["54"])) if "54" in o else None
    r["vendor_class"] = bytes.fromhex(o.get("60", "")).decode("latin1")
    return r

def pxe_options(args):
    arch = args.arch
    vendor = args.vendor or "PXEClient:Arch:%05d:UNDI:002001" % arch
    opts = [(55, bytes([1, 3, 43, 60, 66, 67, 97])), (60, vendor.encode())]
    if not args.plain:
        opts += [(93, struct.pack("!H", arch)), (94, bytes([1, 2, 1])),
                 (97, bytes([0]) + bytes(range(0xa0, 0xb0)))]
    if args.user_class:
        opts.append((77, args.user_class.encode()))
    return opts

def collect(sock, xid, wait):
    deadline = time.time() + wait
    replies = []
    while time.time() < deadline:
        sock.settimeout(max(0.01, deadline - time.time()))
        try:
            data, peer = sock.recvfrom(4096)
        except socket.timeout:
            break
        r = parse(data)
        if r and r["op"] == 2 and (xid is None or r["xid"] == xid):
            r["from"] = "%s:%d" % peer
            replies.append(r)
            print(json.dumps(r), flush=True)
    return replies

def flood(sock, args):
    opts = [(61, b"\x01" + bytes(6))] if args.plain else pxe_options(args)
    packet = bytearray(build(1, bytes(6), 0, opts))
    client_id = packet.find(b"\x3d\x07\x01") + 3 if args.plain else -1
    count = min(args.count, 1_000_000)  # bounded whatever the caller asks
    start = time.time()
    deadline = start + min(args.seconds, 120.0)
    sent = replies = forgiven = 0
    sock.setblocking(False)
    while sent < count and time.time() < deadline:
        while sent < count and sent - replies - forgiven < args.window:
            mac = bytes([0x0a]) + random.getrandbits(40).to_bytes(5, "big")
            packet[4:8] = random.getrandbits(32).to_bytes(4, "big")
            packet[28:34] = mac
            if client_id > 0:
                packet[client_id:client_id + 6] = mac
            sock.sendto(packet, ("255.255.255.255", 67))
            sent += 1
        waited = time.time()
        while sent - replies - forgiven >= args.window:
            try:
                data = sock.recv(4096)
                if len(data) > 240 and data[0] == 2:
                    replies += 1
            except BlockingIOError:
                if time.time() - waited > 0.2:  # lost or unanswered: go on
                    forgiven = sent - replies
                    break
                time.sleep(0.0002)
    drain_until = time.time() + 1.0
    while replies + forgiven < sent and time.time() < drain_until:
        try:
            data = sock.recv(4096)
            if len(data) > 240 and data[0] == 2:
                replies += 1
        except BlockingIOError:
            time.sleep(0.001)
    print(json.dumps({"sent": sent, "replies": replies,
                      "seconds": round(time.time() - start, 2)}), flush=True)
    return 0

def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["discover", "request4011", "corpus", "relay", "flood"])
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--window", type=int, default=64)
    p.add_argument("--giaddr")
    p.add_argument("--relay-info", help="option 82 value in hex")
    p.add_argument("dir", nargs="?")
    p.add_argument("--arch", type=int, default=0)
    p.add_argument("--vendor")
    p.add_argument("--plain", action="store_true", help="no 93/94/97")
    p.add_argument("--user-class")
    p.add_argument("--mac", default="52:54:00:00:00:01")
    p.add_argument("--wait", type=float, default=2.0)
    p.add_argument("--server")
    p.add_argument("--client-ip")
    p.add_argument("--port", type=int, default=67)
    p.add_argument("--interface", default="c0", help="device to send from (no routes needed)")
    args = p.parse_args()
    mac = bytes.fromhex(args.mac.replace(":", ""))
    xid = int.from_bytes(os.urandom(4), "big")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.interface.encode())
    if args.what == "corpus":
        s.bind(("0.0.0.0", 68))
        files = sorted(os.listdir(args.dir))[:1000]  # bounded
        for name in files:
            with open(os.path.join(args.dir, name), "rb") as f:
                s.sendto(f.read(), ("255.255.255.255", args.port))
            time.sleep(0.002)
        print(json.dumps({"sent": len(files)}), flush=True)
        collect(s, None, args.wait)  # whatever answers, for the test to judge by source
        return 0
    if args.what == "flood":
        s.bind(("0.0.0.0", 68))
        return flood(s, args)
    if args.what == "discover":
        s.bind(("0.0.0.0", 68))
        opts = [(61, b"\x01" + mac)] + ([(60, args.vendor.encode())] if args.plain and args.vendor else [])
        if not args.plain:
            opts = pxe_options(args)
        s.sendto(build(1, mac, xid, opts), ("255.255.255.255", 67))
    elif args.what == "relay":
        s.bind((args.giaddr, 67))
        opts = [(61, b"\x01" + mac)] if args.plain else pxe_options(args)
        if args.relay_info:
            opts.append((82, bytes.fromhex(args.relay_info)))
        s.sendto(build(1, mac, xid, opts, flags=0, giaddr=args.giaddr), (args.server, 67))
    else:
        # The PXE boot server request, from port 4011 as OVMF sends it.
        s.bind((args.client_ip, 4011))
        s.sendto(build(3, mac, xid, pxe_options(args), ciaddr=args.client_ip, flags=0),
                 (args.server, 4011))
    replies = collect(s, xid, args.wait)
    return 0 if replies else 3

if __name__ == "__main__":
    sys.exit(main())
