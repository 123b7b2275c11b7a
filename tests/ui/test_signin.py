"""The sign-in dialog against real sandboxes: success, wrong password, MFA, unreachable, insecure, not a mentor."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pyotp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from mentor_desk.sandbox.accounts import demo_totp_secret
from mentor_desk.services.session import sign_in_to
from mentor_desk.ui.settings import AppSettings
from mentor_desk.ui.signin import INSECURE_EXPLANATION, SignInDialog


def make_dialog(qtbot, settings: AppSettings, server: str) -> SignInDialog:
    dialog = SignInDialog(settings, sign_in_to, server=server)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def finished(dialog: SignInDialog) -> Callable[[], bool]:
    return lambda: dialog._task is not None and dialog._task.done()


def test_sign_in_succeeds_and_remembers_the_server(qtbot, settings, sandbox, until, run) -> None:
    dialog = make_dialog(qtbot, settings, sandbox.url)
    dialog.sign_in_with(sandbox.url, "mentor@demo.och", "mentor-demo")
    assert dialog.is_busy and not dialog.sign_in_button.isEnabled()  # busy while awaiting, never frozen
    until(finished(dialog))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.signed_in is not None and dialog.signed_in.me is not None and dialog.signed_in.me.is_mentor
    assert dialog.signed_in is not None and dialog.signed_in.client.session is not None
    assert settings.servers() == [sandbox.url]
    assert settings.email_for(sandbox.url) == "mentor@demo.och"
    run(dialog.signed_in.aclose())


def test_wrong_password_is_said_in_words_and_nothing_is_lost(qtbot, settings, sandbox, until) -> None:
    dialog = make_dialog(qtbot, settings, sandbox.url)
    dialog.sign_in_with(sandbox.url, "mentor@demo.och", "not-the-password")
    until(finished(dialog))
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.isVisible()
    assert "password" in dialog.message.text().lower()
    assert dialog.email_edit.text() == "mentor@demo.och" and dialog.sign_in_button.isEnabled()


def test_mfa_asks_for_a_code_then_signs_in(qtbot, settings, sandbox, until, run) -> None:
    dialog = make_dialog(qtbot, settings, sandbox.url)
    dialog.sign_in_with(sandbox.url, "mfa-mentor@demo.och", "mfa-mentor-demo")
    until(finished(dialog))
    assert dialog.code_edit.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.code_edit.setText("000000")
    dialog.submit()
    until(finished(dialog))
    assert dialog.message.isVisible() and dialog.code_edit.isVisible()  # a wrong code keeps the challenge
    dialog.code_edit.setText(pyotp.TOTP(demo_totp_secret()).now())
    dialog.submit()
    until(finished(dialog))
    assert dialog.result() == QDialog.DialogCode.Accepted
    signed_in = dialog.signed_in
    assert signed_in is not None and signed_in.me is not None and signed_in.me.email == "mfa-mentor@demo.och"
    run(dialog.signed_in.aclose())


def test_unreachable_server(qtbot, settings, until) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dialog = make_dialog(qtbot, settings, f"http://127.0.0.1:{port}")
    dialog.sign_in_with(f"http://127.0.0.1:{port}", "mentor@demo.och", "mentor-demo")
    until(finished(dialog))
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "reach" in dialog.message.text().lower()


def test_plain_http_to_another_machine_needs_an_explicit_opt_in(qtbot, settings, until) -> None:
    dialog = make_dialog(qtbot, settings, "http://och.example.org")
    assert not dialog.insecure_check.isVisible()
    dialog.sign_in_with("http://och.example.org", "mentor@demo.och", "mentor-demo")
    until(finished(dialog))
    assert dialog.insecure_check.isVisible()
    assert dialog.message.text().startswith(INSECURE_EXPLANATION)
    assert dialog.signed_in is None  # refused before anything was sent


def test_an_account_without_the_mentor_role_is_turned_away(qtbot, settings, sandbox, until) -> None:
    dialog = make_dialog(qtbot, settings, sandbox.url)
    dialog.sign_in_with(sandbox.url, "student@demo.och", "student-demo")
    until(finished(dialog))
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "not a mentor" in dialog.message.text()
    assert settings.servers() == []


def test_empty_fields_are_explained_without_a_request(qtbot, settings) -> None:
    dialog = make_dialog(qtbot, settings, "https://och.example.org")
    dialog.email_edit.setText("mentor@demo.och")
    dialog.submit()
    assert not dialog.is_busy and dialog.message.text() == "Enter your password."


def test_alt_and_a_labels_letter_moves_to_its_field(qtbot, settings, sandbox) -> None:
    dialog = make_dialog(qtbot, settings, sandbox.url)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.code_label.setVisible(True)  # as after the server asked for a code
    dialog.code_edit.setVisible(True)
    for key, field in (
        (Qt.Key.Key_E, dialog.email_edit),
        (Qt.Key.Key_P, dialog.password_edit),
        (Qt.Key.Key_C, dialog.code_edit),
        (Qt.Key.Key_S, dialog.server_box),
    ):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() in (field, field.focusProxy()), key


def test_enter_in_the_password_field_signs_in_to_the_typed_server_never_the_demo(
    qtbot, settings, sandbox, until, run
) -> None:
    dialog = make_dialog(qtbot, settings, "https://och.example.org")
    demo: list[bool] = []
    dialog.demo_requested.connect(lambda: demo.append(True))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    server_line = dialog.server_box.lineEdit()
    server_line.selectAll()
    qtbot.keyClicks(server_line, sandbox.url)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(dialog.email_edit, "mentor@demo.och")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, "mentor-demo")
    assert not dialog.demo_button.isDefault() and not dialog.demo_button.autoDefault()
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    until(finished(dialog))
    assert demo == []
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.signed_in is not None and dialog.signed_in.client.server_url == sandbox.url
    run(dialog.signed_in.aclose())


def test_the_demo_server_is_never_remembered_as_a_default(qtbot, settings, sandbox, until, run) -> None:
    dialog = make_dialog(qtbot, settings, "https://och.example.org")
    dialog.sign_in_with(sandbox.url, "mentor@demo.och", "mentor-demo", demo=True)
    until(finished(dialog))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.servers() == [] and settings.last_account() is None
    run(dialog.signed_in.aclose())
