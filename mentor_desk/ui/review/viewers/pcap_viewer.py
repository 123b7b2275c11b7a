"""Packet captures: a summary (packets, time span, protocols, top talkers) computed with dpkt off-thread."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dpkt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from mentor_desk.ui.plain import plain_label

from .base import EvidenceViewer

PCAP_SUFFIXES = frozenset({".pcap", ".pcapng", ".cap"})
WELL_KNOWN = {
    53: "DNS",
    80: "HTTP",
    443: "TLS",
    22: "SSH",
    25: "SMTP",
    445: "SMB",
    3389: "RDP",
    123: "NTP",
    67: "DHCP",
    68: "DHCP",
    21: "FTP",
    389: "LDAP",
    88: "Kerberos",
}


@dataclass(slots=True)
class PcapSummary:
    """What a capture holds: packet and byte counts, its time span, protocols and senders by packet count."""

    packets: int = 0
    bytes: int = 0
    first: float | None = None
    last: float | None = None
    protocols: Counter[str] = field(default_factory=Counter)
    talkers: Counter[str] = field(default_factory=Counter)
    undecoded: int = 0

    @property
    def duration(self) -> float:
        return 0.0 if self.first is None or self.last is None else self.last - self.first


def _address(raw: bytes) -> str:
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, raw)


def summarize_pcap(path: Path) -> PcapSummary:
    """Read the capture once and count what it holds (blocking). Raises ValueError for unreadable files."""
    summary = PcapSummary()
    with path.open("rb") as handle:
        try:
            reader = dpkt.pcap.Reader(handle)
        except ValueError:
            handle.seek(0)
            reader = dpkt.pcapng.Reader(handle)
        for timestamp, raw in reader:
            summary.packets += 1
            summary.bytes += len(raw)
            summary.first = timestamp if summary.first is None else min(summary.first, timestamp)
            summary.last = timestamp if summary.last is None else max(summary.last, timestamp)
            try:
                frame = dpkt.ethernet.Ethernet(raw)
            except dpkt.UnpackError:
                summary.undecoded += 1
                continue
            ip = frame.data
            if not isinstance(ip, dpkt.ip.IP | dpkt.ip6.IP6):
                summary.protocols[type(ip).__name__ if not isinstance(ip, bytes) else "other"] += 1
                continue
            summary.talkers[_address(ip.src)] += 1
            transport = ip.data
            if isinstance(transport, dpkt.tcp.TCP | dpkt.udp.UDP):
                name = "TCP" if isinstance(transport, dpkt.tcp.TCP) else "UDP"
                port = min(transport.sport, transport.dport)
                app = WELL_KNOWN.get(transport.dport) or WELL_KNOWN.get(transport.sport)
                summary.protocols[f"{name}/{app}" if app else f"{name} (port {port})"] += 1
            elif isinstance(transport, dpkt.icmp.ICMP):
                summary.protocols["ICMP"] += 1
            else:
                summary.protocols["other IP"] += 1
    return summary


def _time(timestamp: float | None) -> str:
    if timestamp is None:
        return "—"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class PcapViewer(EvidenceViewer):
    """A capture's summary (never its packets' contents): counts, time span, top protocols and senders."""

    kind = "pcap"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: PcapSummary | None = None
        self.headline = plain_label("", self)
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(["Protocol / host", "Packets"])
        self.table.setRootIsDecorated(True)
        self._layout.addWidget(self.headline)
        self._layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    async def load(self, path: Path) -> None:
        try:
            summary = await asyncio.to_thread(summarize_pcap, path)
        except (ValueError, dpkt.NeedData, dpkt.UnpackError) as err:
            self.table.setVisible(False)
            self.show_message(f"This capture could not be read ({err}).")
            return
        self.result = summary
        self.headline.setText(
            f"{summary.packets:,} packets, {summary.bytes:,} bytes, {summary.duration:.3f} s "
            f"({_time(summary.first)} → {_time(summary.last)})"
            + (f"; {summary.undecoded} not decoded" if summary.undecoded else "")
        )
        for title, counter in (("Protocols", summary.protocols), ("Top senders", summary.talkers)):
            group = QTreeWidgetItem([title, ""])
            for name, count in counter.most_common(20):
                group.addChild(QTreeWidgetItem([name, f"{count:,}"]))
            self.table.addTopLevelItem(group)
            group.setExpanded(True)
        self.table.resizeColumnToContents(0)
        self.summary = f"pcap: {self.headline.text()}"
