"""The sign-in dialog, and the same dialog in re-authentication mode when a session expires mid-work.

The dialog owns the sign-in conversation: password, then a verification code when the server asks for one,
with errors in words and a busy state that never freezes the window (the requests are awaited on the qasync
loop). The conversation itself is :class:`~mentor_desk.services.session.SignIn`; on success
:attr:`SignInDialog.signed_in` holds it, signed in. In re-authentication mode it signs in again on the *existing*
client, so every screen keeps its state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.session import CodeNeeded, InsecureAddress, NotAMentor, SignIn, SignInRefused
from mentor_desk.ui.settings import AppSettings
from mentor_desk.ui.theme import error_colour

log = logging.getLogger(__name__)

SignInFactory = Callable[[str, bool], SignIn]
"""``(server_url, allow_insecure_http) -> SignIn`` on a new client; may raise
:class:`~mentor_desk.services.session.InsecureAddress`."""

OFFLINE_RESULT = 2
"""The dialog's result code when the user chose to work offline."""

INSECURE_EXPLANATION = str(QT_TRANSLATE_NOOP(
    "SignInDialog",
    "This address uses plain http:// and is not on this computer: your password and reviews would travel "
    "unencrypted. Use the https:// address, or tick the box below if you trust this network."
))


class SignInDialog(QDialog):
    """Sign in (or sign in again) to an OCH server."""

    demo_requested = Signal()
    """The user pressed "Try the demo": the app starts a local platform and calls :meth:`sign_in_with`."""
    offline_requested = Signal()
    preferences_requested = Signal()
    """Ctrl+, or the Preferences button: a university's CA may need to be trusted before the first sign-in."""
    """The server is unreachable and this computer has its queue: open it without signing in."""

    def __init__(
        self,
        settings: AppSettings,
        connect: SignInFactory,
        *,
        server: str | None = None,
        reauth: SignIn | None = None,
        reauth_email: str = "",
        offer_token_file: bool = False,
        has_offline_copy: Callable[[str, str], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._connect = connect
        self._reauth = reauth
        self._has_offline_copy = has_offline_copy
        self._demo_server: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Future[None]] = set()
        self.signed_in: SignIn | None = reauth
        """The conversation (with its client); signed in once the dialog is accepted."""

        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in again — mentor_desk") if reauth else self.tr("Sign in — mentor_desk"))
        self.setMinimumWidth(460)

        title = QLabel(self.tr("Your session has ended") if reauth else self.tr("Sign in to OCH"))
        title.setObjectName("dialogTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            self.tr("Enter your password to continue where you left off. Nothing you were doing has been lost.")
            if reauth
            else self.tr("Review Tier-5 mastery missions. Your drafts stay on this computer until they are sent.")
        )
        subtitle.setWordWrap(True)
        subtitle.setTextFormat(Qt.TextFormat.PlainText)

        self.server_box = QComboBox()
        self.server_box.setEditable(True)
        self.server_box.addItems(settings.servers())
        self.server_box.setCurrentText(server or (settings.servers() or ["https://"])[0])
        server_line = self.server_box.lineEdit()
        assert server_line is not None  # the combo is editable
        server_line.setPlaceholderText("https://och.example.org")
        server_line.setAccessibleName(self.tr("Server"))
        self.server_box.setToolTip(self.tr("The platform's address (remembered servers are in the list)"))
        self.email_edit = QLineEdit(reauth_email or settings.email_for(self.server_box.currentText()))
        self.email_edit.setPlaceholderText("you@example.org")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.code_label = QLabel(self.tr("Verification &code"))
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("6 digits from your authenticator app"))
        self.code_edit.setMaxLength(10)
        self.insecure_check = QCheckBox(self.tr("Allow an unencrypted connection to this server"))
        self.keep_check = QCheckBox(self.tr("Keep me signed in on this computer (stored unencrypted)"))
        self.keep_check.setToolTip(
            self.tr("No system keyring is available. The session is saved in a file only your account can read, "
                    "but not encrypted.")
        )
        self.keep_check.setChecked(settings.token_file_opt_in())
        self.keep_check.setVisible(offer_token_file and reauth is None)

        if reauth is not None:
            self.server_box.setEnabled(False)
            self.email_edit.setReadOnly(True)
        self.insecure_check.setChecked(settings.insecure_allowed(self.server_box.currentText()))
        self.insecure_check.setVisible(self.insecure_check.isChecked())
        self.code_label.setVisible(False)
        self.code_edit.setVisible(False)

        form = QFormLayout()  # each label is its field's buddy: Alt+S, E, P (and C for the code) move to the field
        form.addRow(self.tr("&Server"), self.server_box)
        form.addRow(self.tr("&Email"), self.email_edit)
        form.addRow(self.tr("&Password"), self.password_edit)
        self.code_label.setBuddy(self.code_edit)
        form.addRow(self.code_label, self.code_edit)
        form.addRow("", self.insecure_check)
        form.addRow("", self.keep_check)

        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(f"color: {error_colour()};")
        self.message.setVisible(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.setVisible(False)

        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.demo_button = QPushButton(self.tr("Try the demo"))
        self.demo_button.setToolTip(
            self.tr("Start a local practice platform with sample submissions and sign in to it")
        )
        self.demo_button.setAutoDefault(False)  # Enter signs in to the typed server, never into the demo
        self.demo_button.setVisible(reauth is None)
        self.offline_button = QPushButton(self.tr("Work offline"))
        self.offline_button.setToolTip(self.tr("Open the queue and drafts saved on this computer; sync resumes later"))
        self.offline_button.setVisible(False)
        self.offline_button.setAutoDefault(False)
        self.offline_button.clicked.connect(self._work_offline)
        self.preferences_button = QPushButton(self.tr("P&references…"))
        self.preferences_button.setToolTip(self.tr("Theme, font size and how HTTPS servers are trusted (Ctrl+,)"))
        self.preferences_button.setAutoDefault(False)
        self.preferences_button.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_button.clicked.connect(self.preferences_requested.emit)
        self.sign_in_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self._cancel)
        self.demo_button.clicked.connect(self._demo)
        self.server_box.currentTextChanged.connect(self._server_changed)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        button_row = QHBoxLayout()
        button_row.addWidget(self.demo_button)
        button_row.addWidget(self.offline_button)
        button_row.addWidget(self.preferences_button)
        button_row.addStretch(1)
        button_row.addWidget(self.buttons)
        layout.addLayout(button_row)
        self.setMinimumWidth(max(460, layout.sizeHint().width()))  # its widest row, also at 200 % text
        self.adjustSize()  # as tall as the wrapped subtitle needs at that width
        (self.password_edit if self.email_edit.text() else self.email_edit).setFocus()

    # -- public -------------------------------------------------------------------------------------------

    @property
    def server(self) -> str:
        return self.server_box.currentText().strip().rstrip("/")

    @property
    def email(self) -> str:
        return self.email_edit.text().strip()

    @property
    def is_busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def sign_in_with(self, server: str, email: str, password: str, *, demo: bool = False) -> None:
        """Fill the form and sign in (used by the demo: ``demo`` keeps its throw-away server out of the
        remembered ones, so that it is never offered as the default server)."""
        self.server_box.setCurrentText(server)
        self.email_edit.setText(email)
        self.password_edit.setText(password)
        self._demo_server = server if demo else None
        self.submit()

    def submit(self) -> None:
        if self.is_busy:
            return
        problem = self._validate()
        if problem:
            self.show_error(problem)
            return
        self._set_busy(True)  # at once: the request starts on the next turn of the loop
        self._task = asyncio.ensure_future(self._run())

    # -- the conversation ---------------------------------------------------------------------------------

    def _validate(self) -> str | None:
        if not self.server or self.server in {"https:", "http:"}:
            return self.tr("Enter the server's address, for example https://och.example.org.")
        if "@" not in self.email:
            return self.tr("Enter the email address you sign in to OCH with.")
        if self.signed_in is not None and self.signed_in.waiting_for_code:
            return None if self.code_edit.text().strip() else self.tr("Enter the verification code.")
        return None if self.password_edit.text() else self.tr("Enter your password.")

    async def _run(self) -> None:
        self.show_error("")
        try:
            await self._sign_in()
        except asyncio.CancelledError:
            self.show_error(self.tr("Sign-in cancelled."))
        except InsecureAddress as err:
            self.insecure_check.setVisible(True)
            self.show_error(f"{self.tr(INSECURE_EXPLANATION)}\n({err.user_message})")
        except CodeNeeded:
            self.code_label.setVisible(True)
            self.code_edit.setVisible(True)
            self.code_edit.setFocus()
            self.show_error("")
        except NotAMentor as err:
            if self._reauth is None:
                self._drop_client()
            self.show_error(err.user_message)
        except SignInRefused as err:
            log.info("sign-in failed: %s", type(err.__cause__).__name__)
            if err.code_expired:
                self._forget_challenge()  # the MFA session expired: start again with the password
            offline = self._offer_offline(err)
            self.show_error(
                err.user_message + "\n" + self.tr("You can work offline on the reviews saved on this computer.")
                if offline
                else err.user_message
            )
        finally:
            self._set_busy(False)

    async def _sign_in(self) -> None:
        conversation = self._conversation()
        if conversation.waiting_for_code:
            await conversation.with_code(self.code_edit.text().strip())
        else:
            await conversation.with_password(self.email, self.password_edit.text())
        if self.server != self._demo_server:
            self._settings.remember_server(self.server, self.email)
        self._settings.set_insecure_allowed(self.server, self.insecure_check.isChecked())
        if self.keep_check.isVisible():
            self._settings.set_token_file_opt_in(self.keep_check.isChecked())
        self.accept()

    def _conversation(self) -> SignIn:
        if self.signed_in is None:
            self.signed_in = self._connect(self.server, self.insecure_check.isChecked())
        return self.signed_in

    def _offer_offline(self, err: SignInRefused) -> bool:
        offline = (
            self._reauth is None
            and err.unreachable
            and self._has_offline_copy is not None
            and self._has_offline_copy(self.server, self.email)
        )
        self.offline_button.setVisible(offline)
        return offline

    def _work_offline(self) -> None:
        self.offline_requested.emit()
        self.done(OFFLINE_RESULT)

    def _forget_challenge(self) -> None:
        if self.signed_in is not None:
            self.signed_in.forget_code()
        self.code_edit.clear()
        self.code_label.setVisible(False)
        self.code_edit.setVisible(False)

    def _server_changed(self, server: str) -> None:
        """A different server needs a new client, a new challenge and its own insecure choice."""
        if self._reauth is not None:
            return
        self._forget_challenge()
        self._drop_client()
        allowed = self._settings.insecure_allowed(server.strip().rstrip("/"))
        self.insecure_check.setChecked(allowed)
        self.insecure_check.setVisible(allowed)
        remembered = self._settings.email_for(server.strip().rstrip("/"))
        if remembered and not self.email_edit.text():
            self.email_edit.setText(remembered)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.server_box, self.email_edit, self.password_edit, self.code_edit, self.demo_button):
            widget.setEnabled(not busy and not (self._reauth is not None and widget is self.server_box))
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))

    def _cancel(self) -> None:
        if self.is_busy:
            assert self._task is not None
            self._task.cancel()
            return
        self.reject()

    def _demo(self) -> None:
        self.show_error("")
        self.demo_requested.emit()

    def reject(self) -> None:
        if self.is_busy:
            assert self._task is not None
            self._task.cancel()
        if self._reauth is None and (self.signed_in is None or self.signed_in.me is None):
            self._drop_client()
        super().reject()

    def _drop_client(self) -> None:
        """Close a client that never signed in (in the background: closing awaits its connections)."""
        if self.signed_in is not None:
            task = asyncio.ensure_future(self.signed_in.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
            self.signed_in = None
