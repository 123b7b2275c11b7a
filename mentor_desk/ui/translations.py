"""Qt's translators for the user's language: mentor_desk's own strings and Qt's (standard buttons, dialogs).

The compiled catalogues (``mentor_desk_<language>.qm``) are made by ``scripts/translations.sh`` from
``resources/translations/*.ts`` into ``mentor_desk/translations/``, which the package ships. ``$MENTOR_DESK_LANGUAGE``
picks a catalogue by name instead of the desktop's locale: ``pseudo`` is the pseudo-locale (every translated
string accented, bracketed and 40 % longer), which shows at a glance what does not go through ``tr()`` and what
a longer language would clip.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

CATALOGUES = Path(__file__).resolve().parent.parent / "translations"
LANGUAGE_ENV = "MENTOR_DESK_LANGUAGE"


def install_translators(
    app: QApplication, language: str | None = None, folder: Path = CATALOGUES
) -> list[QTranslator]:
    """Install the translators for ``language`` (default: ``$MENTOR_DESK_LANGUAGE``, else the desktop's locale)
    before any window is made; returns those installed. A language without a catalogue keeps the strings as
    written (English)."""
    language = language or os.environ.get(LANGUAGE_ENV) or None
    loaded = []
    for name, where in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                        ("mentor_desk", str(folder))):
        translator = QTranslator(app)
        found = (translator.load(f"{name}_{language}", where) if language
                 else translator.load(QLocale(), name, "_", where))
        if found:
            app.installTranslator(translator)
            loaded.append(translator)
    return loaded
