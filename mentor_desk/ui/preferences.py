"""Preferences (Ctrl+,): theme, font size, keyboard shortcuts, the compatibility-mode rubric file, HTTPS trust,
the proxy in use and the data folder. The dialog edits a copy of :class:`~mentor_desk.domain.preferences.Preferences`
and hands it back (:meth:`PreferencesDialog.preferences`); the caller stores and applies it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.domain.preferences import MAX_FONT_SIZE, MIN_FONT_SIZE, Preferences, ShortcutSpec, Theme, TlsSettings
from mentor_desk.ui.settings import AppSettings
from mentor_desk.ui.theme import apply_appearance

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
PORTABLE = QKeySequence.SequenceFormat.PortableText


def proxy_in_use(environ: dict[str, str] | os._Environ[str] = os.environ) -> list[str]:
    """The proxy variables set in the environment, as ``NAME=value`` with any password hidden."""
    found = []
    for name in PROXY_VARIABLES:
        value = environ.get(name) or environ.get(name.lower())
        if value:
            parts = urlsplit(value) if "://" in value else None
            if parts is not None and parts.password:
                value = value.replace(f":{parts.password}@", ":…@")
            found.append(f"{name}={value}")
    return found


class PreferencesDialog(QDialog):
    def __init__(
        self,
        prefs: Preferences,
        shortcuts: Sequence[ShortcutSpec],
        data_dir: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle(self.tr("Preferences"))
        self._prefs = prefs
        self._specs = list(shortcuts)
        self._keys = {spec.name: prefs.keys_for(spec.name, spec.default) for spec in self._specs}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(prefs, data_dir), self.tr("&General"))
        self.tabs.addTab(self._keyboard_page(), self.tr("&Keyboard"))
        self.tabs.addTab(self._connection_page(prefs.tls), self.tr("&Connection"))
        first = (self.theme_box, self.shortcut_table, self.system_store)
        self.tabs.currentChanged.connect(lambda index: first[index].setFocus())  # a page opens on its first control
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.theme_box.setFocus()

    # -- pages --------------------------------------------------------------------------------------------

    def _general_page(self, prefs: Preferences, data_dir: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.theme_box = QComboBox()
        for theme, text in (
            (Theme.SYSTEM, self.tr("Follow the desktop")),
            (Theme.LIGHT, self.tr("Light")),
            (Theme.DARK, self.tr("Dark")),
        ):
            self.theme_box.addItem(text, theme.value)
        self.theme_box.setCurrentIndex(self.theme_box.findData(prefs.theme.value))
        form.addRow(self._buddy(self.tr("&Theme:"), self.theme_box), self.theme_box)
        self.font_size = QSpinBox()
        self.font_size.setRange(MIN_FONT_SIZE - 1, MAX_FONT_SIZE)
        self.font_size.setSpecialValueText(self.tr("The desktop's"))  # the minimum, stored as 0
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setValue(prefs.font_size or MIN_FONT_SIZE - 1)
        form.addRow(self._buddy(self.tr("&Font size:"), self.font_size), self.font_size)
        self.rubric_file = QLineEdit(prefs.rubric_file)
        self.rubric_file.setPlaceholderText(self.tr("The rubric shipped with mentor_desk"))
        form.addRow(
            self._buddy(self.tr("&Rubric file (OCH v1 compatibility mode):"), self.rubric_file),
            self._with_browse(self.rubric_file, self.tr("Rubric file"), self.tr("Rubrics (*.json)")),
        )
        self.notify = QCheckBox(self.tr("Tell me when new reviews arrive while the window is minimised"))
        self.notify.setChecked(prefs.notify_new_reviews)
        form.addRow(self.notify)
        self.data_dir = QLineEdit(data_dir)
        self.data_dir.setReadOnly(True)
        self.data_dir.setCursorPosition(0)
        metrics = self.data_dir.fontMetrics()  # the whole path shown, up to 60 characters' width
        self.data_dir.setMinimumWidth(min(metrics.horizontalAdvance(data_dir) + metrics.averageCharWidth() * 2,
                                          metrics.averageCharWidth() * 60))
        self.data_dir.setToolTip(self.tr("Set MENTOR_DESK_DATA_DIR before starting mentor_desk to use another folder."))
        form.addRow(self._buddy(self.tr("&Data folder:"), self.data_dir), self.data_dir)
        return page

    def _keyboard_page(self) -> QWidget:
        page = QWidget()
        self.shortcut_table = QTableWidget(len(self._specs), 2)
        self.shortcut_table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.shortcut_table.verticalHeader().hide()
        self.shortcut_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.shortcut_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.shortcut_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.shortcut_table.setTabKeyNavigation(False)
        self.shortcut_table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.shortcut_table.setAccessibleDescription(self.tr("Choose an action; Tab moves to its new keys"))
        header = self.shortcut_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)  # keys are never cut
        for row, spec in enumerate(self._specs):
            self.shortcut_table.setItem(row, 0, QTableWidgetItem(spec.label.replace("&", "")))
            self.shortcut_table.setItem(row, 1, QTableWidgetItem())
            self._show_keys(row)
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.editingFinished.connect(self._keys_recorded)
        self.reset_button = QPushButton(self.tr("Re&set to default"))
        self.reset_button.clicked.connect(lambda: self._set_keys(self.shortcut_table.currentRow(), None))
        self.clear_button = QPushButton(self.tr("&No keys"))
        self.clear_button.clicked.connect(lambda: self._set_keys(self.shortcut_table.currentRow(), ()))
        self.key_hint = QLabel(self.tr("Choose an action, press Tab, then press its new keys."))
        self.key_hint.setWordWrap(True)
        self.shortcut_table.currentCellChanged.connect(lambda *_: self.key_edit.clear())
        self.shortcut_table.setCurrentCell(0, 0)
        row_of_keys = QHBoxLayout()
        row_of_keys.addWidget(self._buddy(self.tr("New &keys:"), self.key_edit))
        row_of_keys.addWidget(self.key_edit, 1)
        row_of_keys.addWidget(self.reset_button)
        row_of_keys.addWidget(self.clear_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.shortcut_table, 1)
        layout.addLayout(row_of_keys)
        layout.addWidget(self.key_hint)
        return page

    def _connection_page(self, tls: TlsSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.system_store = QCheckBox(self.tr("Trust the certificates installed on this computer (recommended)"))
        self.system_store.setChecked(tls.system_store)
        self.system_store.setToolTip(self.tr(
            "Uses the operating system's trust store, so a CA your organisation installed is trusted. Unticked, "
            "only the certificates shipped with mentor_desk are."))
        form.addRow(self.system_store)
        self.ca_bundle = QLineEdit(tls.ca_bundle)
        self.ca_bundle.setPlaceholderText(self.tr("None"))
        form.addRow(
            self._buddy(self.tr("Extra &CA bundle (PEM):"), self.ca_bundle),
            self._with_browse(
                self.ca_bundle, self.tr("CA bundle"), self.tr("Certificates (*.pem *.crt);;All files (*)")
            ),
        )
        proxies = proxy_in_use()
        proxy_text = "\n".join(proxies) if proxies else self.tr("None: connections go directly to the server.")
        self.proxy = QLabel(proxy_text)
        self.proxy.setTextFormat(Qt.TextFormat.PlainText)
        self.proxy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Proxy (from the environment):"), self.proxy)
        note = QLabel(self.tr("Connection settings apply from the next sign-in."))
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _with_browse(self, edit: QLineEdit, title: str, filters: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(lambda: self._browse(edit, title, filters))
        row.addWidget(edit, 1)
        row.addWidget(button)
        return box

    def _browse(self, edit: QLineEdit, title: str, filters: str) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, title, edit.text(), filters)
        if chosen:
            edit.setText(chosen)

    # -- keys ---------------------------------------------------------------------------------------------

    def _show_keys(self, row: int) -> None:
        keys = self._keys[self._specs[row].name]
        native = [QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in keys]
        item = self.shortcut_table.item(row, 1)
        assert item is not None
        item.setText(", ".join(native) if native else self.tr("(none)"))

    def _set_keys(self, row: int, keys: tuple[str, ...] | None) -> None:
        """``None``: the action's default keys."""
        if row < 0:
            return
        spec = self._specs[row]
        self._keys[spec.name] = spec.default if keys is None else keys
        self._show_keys(row)

    def _keys_recorded(self) -> None:
        sequence = self.key_edit.keySequence()
        row = self.shortcut_table.currentRow()
        if sequence.isEmpty() or row < 0:
            return
        key = sequence.toString(PORTABLE)
        owner = next((spec for spec in self._specs if key in self._keys[spec.name]), None)
        shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if owner is not None and owner.name != self._specs[row].name:
            self.key_hint.setText(self.tr("{keys} is already used by “{action}”: choose other keys, or change that "
                                          "action first.").format(keys=shown, action=owner.label.replace("&", "")))
        else:
            self._set_keys(row, (key,))
            self.key_hint.setText(self.tr("“{action}” is now {keys}.").format(
                action=self._specs[row].label.replace("&", ""), keys=shown))
        self.key_edit.clear()
        self.shortcut_table.setFocus()

    # -- result -------------------------------------------------------------------------------------------

    def preferences(self) -> Preferences:
        """The preferences as the dialog shows them."""
        changed = {spec.name: self._keys[spec.name] for spec in self._specs if self._keys[spec.name] != spec.default}
        kept = {name: keys for name, keys in self._prefs.shortcuts.items() if name not in self._keys}
        font = self.font_size.value()
        return replace(
            self._prefs,
            theme=Theme(self.theme_box.currentData()),
            font_size=0 if font < MIN_FONT_SIZE else font,
            shortcuts={**kept, **changed},
            rubric_file=self.rubric_file.text().strip(),
            notify_new_reviews=self.notify.isChecked(),
            tls=TlsSettings(system_store=self.system_store.isChecked(), ca_bundle=self.ca_bundle.text().strip()),
        )


def open_preferences(
    settings: AppSettings,
    shortcuts: Sequence[ShortcutSpec],
    data_dir: str,
    parent: QWidget,
    saved: Callable[[Preferences], None] = lambda _prefs: None,
) -> PreferencesDialog:
    """Open the dialog over ``parent``; on OK the preferences are stored, the look applied to the whole app, and
    ``saved`` called with them."""
    dialog = PreferencesDialog(settings.preferences(), shortcuts, data_dir, parent)

    def accepted() -> None:
        prefs = dialog.preferences()
        settings.set_preferences(prefs)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, prefs)
        saved(prefs)

    dialog.accepted.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
