"""Preferences (Ctrl+,) driven with real keys: theme, font size and a shortcut change apply at once and are kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QKeySequenceEdit, QTableWidget

from mentor_desk.domain.preferences import Preferences, Theme
from mentor_desk.ui.preferences import PreferencesDialog, proxy_in_use
from mentor_desk.ui.theme import apply_appearance, is_dark
from tests.hostile.hostile_server import HostileServer, Reply, tls_context
from tests.ui.test_queue_keys import active_window


@pytest.fixture
def desktop_look():
    """Whatever a test chooses, the next one starts with the desktop's look."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    apply_appearance(app, Preferences())


def key(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def open_preferences(qtbot, until) -> PreferencesDialog:
    key(qtbot, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    until(lambda: isinstance(QApplication.activeModalWidget(), PreferencesDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, PreferencesDialog)
    until(lambda: dialog.isActiveWindow() and QApplication.focusWidget() is dialog.theme_box)
    return dialog


def test_preferences_change_theme_font_and_a_shortcut_by_keyboard(shell, sandbox, run, until, qtbot,
                                                                   desktop_look) -> None:
    window = active_window(shell, run, until, sandbox.url)
    assert not is_dark(desktop_look)
    dialog = open_preferences(qtbot, until)

    key(qtbot, Qt.Key.Key_Down)  # Follow the desktop → Light
    key(qtbot, Qt.Key.Key_Down)  # → Dark
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.font_size
    qtbot.keyClicks(QApplication.focusWidget(), "14")
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # the Keyboard tab
    until(lambda: isinstance(QApplication.focusWidget(), QTableWidget))
    key(qtbot, Qt.Key.Key_Home)
    outbox_row = [spec.name for spec in dialog._specs].index("outbox")
    for _ in range(outbox_row):
        key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QKeySequenceEdit)
    key(qtbot, Qt.Key.Key_F5)  # Refresh has it: refused, said in words
    until(lambda: "already used" in dialog.key_hint.text())
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_F6)
    until(lambda: "is now F6" in dialog.key_hint.text())
    assert QApplication.focusWidget() is dialog.shortcut_table
    key(qtbot, Qt.Key.Key_Return)  # OK
    until(lambda: not dialog.isVisible())

    prefs = shell.settings.preferences()
    assert (prefs.theme, prefs.font_size, dict(prefs.shortcuts)) == (Theme.DARK, 14, {"outbox": ("F6",)})
    assert is_dark(desktop_look) and desktop_look.font().pointSize() == 14
    assert "F6" in window.actions_by_name["outbox"].toolTip()
    window.activateWindow()
    until(window.isActiveWindow)
    window.queue.table.setFocus()
    key(qtbot, Qt.Key.Key_F6)
    until(lambda: window.sync_panel.isVisible())

    dialog = open_preferences(qtbot, until)  # shows what was chosen
    assert dialog.theme_box.currentData() == "dark" and dialog.font_size.value() == 14
    key(qtbot, Qt.Key.Key_Escape)
    until(lambda: not dialog.isVisible())


def test_the_connection_page_shows_the_trust_choice_the_data_folder_and_the_proxy(shell, sandbox, run, until, qtbot,
                                                                                   monkeypatch, tmp_path) -> None:
    """A CA bundle typed in the preferences is what the next sign-in's client trusts."""
    monkeypatch.setenv("HTTPS_PROXY", "http://ann:secret@proxy.uni.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")  # this test's servers are reached directly
    active_window(shell, run, until, sandbox.url)
    dialog = open_preferences(qtbot, until)
    assert dialog.data_dir.text() == str(shell.paths.data_dir) and dialog.data_dir.isReadOnly()
    assert "HTTPS_PROXY=http://ann:…@proxy.uni.example:3128" in dialog.proxy.text()
    assert "secret" not in dialog.proxy.text()
    key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # the Connection tab
    until(lambda: QApplication.focusWidget() is dialog.system_store)
    assert dialog.system_store.isChecked()
    key(qtbot, Qt.Key.Key_Space)  # only the certificates shipped with mentor_desk
    key(qtbot, Qt.Key.Key_Tab)
    with HostileServer(lambda _request: Reply(404, b"{}"), tls=tls_context(tmp_path, expired=False)) as server:
        bundle = str(tmp_path / "cert.pem")  # the university's CA
        qtbot.keyClicks(QApplication.focusWidget(), bundle)
        key(qtbot, Qt.Key.Key_Return)
        until(lambda: not dialog.isVisible())
        tls = shell.settings.preferences().tls
        assert (tls.system_store, tls.ca_bundle) == (False, bundle)
        client = shell._sign_in_to(server.url, False).client  # what the next sign-in will use
        try:
            assert run(client.discover()).mode == "och-v1"  # an answer over TLS: the CA was trusted
        finally:
            run(client.aclose())


def test_proxy_text_hides_passwords() -> None:
    assert proxy_in_use({"http_proxy": "http://u:p@h:1", "NO_PROXY": "localhost"}) == [
        "HTTP_PROXY=http://u:…@h:1", "NO_PROXY=localhost"]


def test_the_sign_in_dialog_opens_the_preferences_before_the_first_sign_in(shell, run, until, qtbot,
                                                                           desktop_look) -> None:
    """A university's CA, or a larger font, may be needed before the mentor can sign in at all."""
    sign_in = run(shell.show_sign_in())
    sign_in.activateWindow()
    until(lambda: sign_in.isActiveWindow() and QApplication.focusWidget() is not None)
    dialog = open_preferences(qtbot, until)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "16")
    key(qtbot, Qt.Key.Key_Return)
    until(lambda: not dialog.isVisible())
    assert shell.settings.preferences().font_size == 16 and desktop_look.font().pointSize() == 16
    assert sign_in.isVisible()
