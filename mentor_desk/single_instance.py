"""One running app per data folder: a second launch asks the running one to come to the front, then exits.

Two apps on one data folder would open the same stores twice (two sync engines pushing one outbox, two windows
autosaving one draft). The first app to start on a folder binds a Unix socket in Linux's abstract namespace named
after the user and the folder; the kernel lets only one process bind a name and frees it when the process ends,
however it ends, so there is no stale lock to clean up and no race between two launches. A later launch finds the
name taken, connects (a connection means "come to the front") and exits. Only the standard library and QtCore
are used (QtNetwork would add ~30 ms to every start). On systems without the abstract namespace there is no
guard.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import socket
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)

SUPPORTED = sys.platform.startswith("linux")


def instance_address(data_dir: Path) -> bytes:
    """The abstract socket name of the app on ``data_dir`` for this user."""
    folder = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:32]
    return f"\0mentor_desk-{os.getuid()}-{folder}".encode()


class SingleInstance(QObject):
    """The guard of one data folder. :meth:`claim` it at start; ``raise_requested`` fires on each later launch."""

    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.address = instance_address(data_dir) if SUPPORTED else b""
        self._socket: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None

    def claim(self) -> bool:
        """True when this process is now the app on the folder; False when another one runs (it was asked to
        come to the front)."""
        if not SUPPORTED:
            return True
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self.address)
        except OSError as err:
            listener.close()
            if err.errno != errno.EADDRINUSE:
                log.warning("no single-instance guard (%s): starting anyway", err)
                return True
            return not self._ask_the_running_app()
        listener.listen(8)
        listener.setblocking(False)
        self._socket = listener
        # No parent: released, the notifier goes at once (a socket opened later may get the same number).
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._accept)
        return True

    def release(self) -> None:
        """Stop being the app on the folder (the process ending does the same)."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _ask_the_running_app(self) -> bool:
        """Whether the app holding the name took the request (False: it was ending; this launch may start)."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as asking:
                asking.settimeout(5)
                asking.connect(self.address)  # the connection is the whole request: nothing is sent
        except OSError as err:
            log.info("the running app did not answer (%s)", err)
            return False
        return True

    def _accept(self) -> None:
        assert self._socket is not None
        while True:
            try:
                connection, _ = self._socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            connection.close()
            log.info("a second launch on this data folder: the running window comes to the front")
            self.raise_requested.emit()
