"""The strip under the toolbar that says which platform layer this server offers."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QLabel, QWidget

FULL_TEXT = str(QT_TRANSLATE_NOOP("ModeBanner", "Full Tier-5 review API"))
OCH_V1_TEXT = str(QT_TRANSLATE_NOOP(
    "ModeBanner",
    "OCH v1 compatibility mode — no rubrics from the server, no decision paths, no evidence files, no claims, "
    "no Tier-5 approval; reviews are sent as a decision + written feedback",
))
OFFLINE_TEXT = str(QT_TRANSLATE_NOOP(
    "ModeBanner", "Working offline — showing the queue saved on this computer; reviews wait in the outbox"
))
DEMO_TEXT = str(QT_TRANSLATE_NOOP(
    "ModeBanner",
    "DEMO — a practice platform on this computer with made-up learners. Nothing you review here reaches OCH; "
    "sign out to sign in to your real server.",
))
"""The banner's words in English (shown through tr(), in the user's language)."""

_STYLES = {
    "full": "background: #e7f1ff; color: #084298; border-bottom: 1px solid #b6d4fe;",
    "och-v1": "background: #fff3cd; color: #664d03; border-bottom: 1px solid #ffe69c;",
    "offline": "background: #e2e3e5; color: #41464b; border-bottom: 1px solid #c4c8cb;",
    "demo": "background: #6f42c1; color: #ffffff; font-weight: bold; border-bottom: 2px solid #432874;",
}


class ModeBanner(QLabel):
    """One line of plain text, coloured by mode."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modeBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.set_mode("full")

    def set_mode(self, mode: str, *, offline: bool = False, demo: bool = False) -> None:
        """``demo``: the desk runs on the local demo sandbox, which the banner says above all else."""
        key = "demo" if demo else "offline" if offline else mode
        text = DEMO_TEXT if demo else OFFLINE_TEXT if offline else FULL_TEXT if mode == "full" else OCH_V1_TEXT
        self.setText(self.tr(text))
        self.setToolTip(self.tr(OCH_V1_TEXT if mode != "full" else FULL_TEXT))
        self.setStyleSheet(f"QLabel#modeBanner {{ {_STYLES.get(key, _STYLES['och-v1'])} padding: 6px 12px; }}")
