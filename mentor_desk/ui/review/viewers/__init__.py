"""One small viewer per kind of evidence file; :func:`viewer_for` picks one from a file name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from .base import EvidenceViewer
from .code_viewer import CODE_SUFFIXES, CodeViewer
from .external_viewer import ExternalViewer
from .image_viewer import IMAGE_SUFFIXES, ImageViewer
from .media_viewer import MEDIA_SUFFIXES, MediaViewer
from .pcap_viewer import PCAP_SUFFIXES, PcapViewer
from .pdf_viewer import PdfViewer
from .text_viewer import TEXT_SUFFIXES, TextViewer
from .zip_viewer import ZipViewer

__all__ = ["EvidenceViewer", "viewer_class_for", "viewer_for"]


def viewer_class_for(filename: str) -> type[EvidenceViewer]:
    """The viewer class that shows files named like ``filename`` (by suffix; unknown → external)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf":
        return PdfViewer
    if suffix == ".zip":
        return ZipViewer
    if suffix in PCAP_SUFFIXES:
        return PcapViewer
    if suffix in IMAGE_SUFFIXES:
        return ImageViewer
    if suffix in MEDIA_SUFFIXES:
        return MediaViewer
    if suffix in CODE_SUFFIXES:
        return CodeViewer
    if suffix in TEXT_SUFFIXES:
        return TextViewer
    return ExternalViewer


def viewer_for(filename: str, parent: QWidget | None = None) -> EvidenceViewer:
    """A fresh viewer widget for ``filename``; call ``await viewer.load(path)`` to show the file."""
    viewer = viewer_class_for(filename)(parent)
    viewer.filename = filename
    return viewer
