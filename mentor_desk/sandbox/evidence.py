"""Real evidence files for the seed: each one opens in the program its type promises.

Everything is generated from code (no Qt, no third-party writers: the pcap is framed with ``struct``, which
keeps dpkt's ~50 protocol modules out of the seed) except the short MP4, which ships in ``seed_files/``
because encoding video needs ffmpeg.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Evidence:
    key: str
    filename: str
    file_type: str  # MissionFile.file_type: log|screenshot|report|code|video|other
    content_type: str
    content: bytes


def pdf_report(title: str, lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with real text, a correct xref table and trailer."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 16 Tf", "72 760 Td", f"({esc(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        ops += [f"({esc(line)}) Tj", "0 -16 Td"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_diagram(width: int = 240, height: int = 160) -> bytes:
    """An RGB PNG: a network diagram of three coloured boxes joined by lines."""
    boxes = [((20, 60, 70, 100), (200, 40, 40)), ((95, 20, 145, 60), (40, 120, 200)),
             ((170, 60, 220, 100), (40, 160, 80)), ((95, 110, 145, 150), (220, 160, 30))]
    background, line = bytes((245, 245, 245)), bytes((60, 60, 60))
    rows = []
    for y in range(height):  # whole spans per row: a per-pixel loop costs the seed ~12 ms
        row = bytearray((line if y == 80 else background) * width)
        if 40 <= y <= 130:
            row[120 * 3: 121 * 3] = line
        for (x0, y0, x1, y1), fill in boxes:
            if y0 <= y < y1:
                row[x0 * 3: x1 * 3] = bytes(fill) * (x1 - x0)
        rows.append(b"\0" + bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


ETHERNET_HEADER = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"  # dst, src, IPv4
TCP_SYN, TCP_PUSH, TCP_ACK = 0x02, 0x08, 0x10
DNS_NAME = b"".join(bytes([len(label)]) + label for label in b"update-cdn.sync-telemetry.net".split(b".")) + b"\0"


def _checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _frame(src: bytes, dst: bytes, proto: int, segment: bytes) -> bytes:
    """Ethernet + IPv4 around a UDP or TCP segment whose checksum field is still zero."""
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(segment))
    at = 6 if proto == 17 else 16  # where the checksum sits in a UDP / TCP header
    segment = segment[:at] + struct.pack("!H", _checksum(pseudo + segment)) + segment[at + 2:]
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(segment), 0, 0, 64, proto, 0, src, dst)
    header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
    return ETHERNET_HEADER + header + segment


def _udp(sport: int, dport: int, payload: bytes) -> bytes:
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def _tcp(sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes = b"") -> bytes:
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


def pcap_capture() -> bytes:
    """A libpcap file with a DNS query/answer, a TCP handshake to 185.220.101.7:443 and an HTTP beacon."""
    client, server, resolver = bytes([10, 0, 5, 20]), bytes([185, 220, 101, 7]), bytes([10, 0, 0, 53])
    question = DNS_NAME + struct.pack("!HH", 1, 1)  # A, IN
    query = struct.pack("!HHHHHH", 0x1F2E, 0x0100, 1, 0, 0, 0) + question
    answer = (struct.pack("!HHHHHH", 0x1F2E, 0x8100, 1, 1, 0, 0) + question
              + struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + server)  # the name points back at the question
    beacon = b"POST /api/v2/checkin HTTP/1.1\r\nHost: update-cdn.sync-telemetry.net\r\nContent-Length: 0\r\n\r\n"
    packets = [
        _frame(client, resolver, 17, _udp(53211, 53, query)),
        _frame(resolver, client, 17, _udp(53, 53211, answer)),
        _frame(client, server, 6, _tcp(49822, 443, 1000, 0, TCP_SYN)),
        _frame(server, client, 6, _tcp(443, 49822, 5000, 1001, TCP_SYN | TCP_ACK)),
        _frame(client, server, 6, _tcp(49822, 443, 1001, 5001, TCP_ACK)),
        _frame(client, server, 6, _tcp(49822, 443, 1001, 5001, TCP_PUSH | TCP_ACK, beacon)),
    ]
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 1500, 1)]  # libpcap header: snaplen 1500, Ethernet
    for index, packet in enumerate(packets):
        out.append(struct.pack("<IIII", 1_764_000_000, index * 250_000, len(packet), len(packet)) + packet)
    return b"".join(out)


def zip_bundle() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("iocs.txt", "185.220.101.7\nupdate-cdn.sync-telemetry.net\n"
                                     "sha256:9f2b5c0e7d1a44c3b8e6f0a2d9c1b7e5f3a8d6c4b2e0f9a7c5d3b1e8f6a4c2d0\n")
        archive.writestr("yara/beacon_loader.yar",
                         'rule BeaconLoader {\n  strings:\n    $a = "checkin" ascii\n'
                         '    $b = { 6A 40 68 00 30 00 00 }\n  condition:\n    all of them\n}\n')
        archive.writestr("README.md", "# Malware triage bundle\nStatic analysis notes and IOC list.\n")
    return out.getvalue()


PYTHON_SCRIPT = b'''"""Correlate proxy logs with known C2 beacons (evidence for subtask 2)."""

import csv
import sys
from collections import Counter

BEACON_HOSTS = {"update-cdn.sync-telemetry.net", "cdn-metrics.cloudsync.io"}


def suspicious(rows):
    hits = Counter()
    for row in rows:
        if row["host"] in BEACON_HOSTS:
            hits[(row["src_ip"], row["host"])] += 1
    return [(src, host, n) for (src, host), n in hits.items() if n >= 3]


if __name__ == "__main__":
    with open(sys.argv[1], newline="") as handle:
        for src, host, count in suspicious(csv.DictReader(handle)):
            print(f"{src} -> {host}: {count} beacons")
'''


def auth_log() -> bytes:
    """A short sshd log with a few bytes that are not valid UTF-8 (a mangled username)."""
    return (b"Nov 18 02:14:07 bastion sshd[4121]: Failed password for invalid user admin from 203.0.113.45\n"
            b"Nov 18 02:14:09 bastion sshd[4121]: Failed password for invalid user \xff\xfeadm\xc3n from "
            b"203.0.113.45\n"
            b"Nov 18 02:14:12 bastion sshd[4125]: Accepted publickey for svc_backup from 10.0.5.20 port 49822\n"
            b"Nov 18 02:15:40 bastion sudo: svc_backup : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh\n")


def long_log(lines: int = 20_000) -> bytes:
    """A long firewall log (~1.6 MB) for paging and search in the viewer."""
    rows = []
    for n in range(lines):
        action = "DENY" if n % 17 == 0 else "ALLOW"
        rows.append(f"2026-11-18T{(n // 3600) % 24:02d}:{(n // 60) % 60:02d}:{n % 60:02d}Z fw01 {action} "
                    f"TCP 10.0.{n % 8}.{n % 250 + 1}:{40000 + n % 20000} -> 185.220.101.{n % 16}:443 "
                    f"bytes={(n * 7919) % 65536} rule=egress-{n % 12}")
    return ("\n".join(rows) + "\n").encode()


def short_mp4() -> bytes:
    return resources.files("mentor_desk.sandbox").joinpath("seed_files/short.mp4").read_bytes()


def catalogue() -> dict[str, Evidence]:
    """All seed evidence, keyed by a short name the seed refers to."""
    report = pdf_report("Initial Threat Assessment - Incident IR-2026-114", [
        "Scope: 14 hosts in the OT DMZ, 3 domain controllers, the VPN concentrator.",
        "Initial indicators: beaconing to update-cdn.sync-telemetry.net every 300 s.",
        "Methodology: triage, memory capture, network forensics, timeline reconstruction.",
        "Stakeholders: SOC lead, plant operations, legal, CISO office.",
    ])
    items = [
        Evidence("report", "assessment-report.pdf", "report", "application/pdf", report),
        Evidence("script", "beacon_correlation.py", "code", "text/x-python", PYTHON_SCRIPT),
        Evidence("authlog", "bastion-auth.log", "log", "text/plain", auth_log()),
        Evidence("longlog", "fw01-egress.log", "log", "text/plain", long_log()),
        Evidence("pcap", "beacon-capture.pcap", "other", "application/vnd.tcpdump.pcap", pcap_capture()),
        Evidence("zip", "malware-triage.zip", "other", "application/zip", zip_bundle()),
        Evidence("diagram", "network-diagram.png", "screenshot", "image/png", png_diagram()),
        Evidence("video", "presentation.mp4", "video", "video/mp4", short_mp4()),
    ]
    return {item.key: item for item in items}
