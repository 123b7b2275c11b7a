"""Make the pseudo-locale: a translation source (.ts) whose every message is the English one accented, bracketed
and 40 % longer, so that a string shown without brackets did not go through tr(), and one cut short would be
cut in a longer language too.

    python scripts/pseudo_locale.py TEMPLATE.ts PSEUDO.ts
"""

from __future__ import annotations

import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%L?\d+|&&|&(?=\w)|<[^>]*>|\\.")
"""Kept as they are: str.format fields, Qt's %1 and %n, mnemonic ampersands, markup."""
GROWTH = 1.4
OPEN, CLOSE, PAD = "[", "]", "~"


def pseudo(text: str) -> str:
    """``text`` accented (placeholders kept), bracketed, and padded to at least 140 % of its length."""
    pieces, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(text[last:match.start()].translate(ACCENTED))
        pieces.append(match.group())
        last = match.end()
    pieces.append(text[last:].translate(ACCENTED))
    body = "".join(pieces)
    padding = max(1, math.ceil(len(text) * GROWTH) - len(body) - 2)
    return f"{OPEN}{body}{PAD * padding}{CLOSE}"


def pseudo_catalogue(template: Path, out: Path) -> int:
    """Write the pseudo-locale of ``template`` to ``out``; returns how many messages it holds."""
    tree = ET.parse(template)
    root = tree.getroot()
    root.set("language", "en_XA")  # the usual name of the accented pseudo-locale
    count = 0
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            translation.text = None
            for child in list(translation):
                translation.remove(child)
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = pseudo(source)
        else:
            translation.text = pseudo(source)
        count += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"pseudo-locale: {pseudo_catalogue(Path(sys.argv[1]), Path(sys.argv[2]))} messages")
