"""Questions that wait for an answer without blocking the event loop."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog


async def answer(dialog: QDialog) -> int:
    """Open ``dialog`` window-modal and wait for the result it finishes with: a QMessageBox's standard button,
    a QDialog's ``Accepted`` or ``Rejected``.

    ``exec()`` would run a nested event loop, in which the qasync loop's other tasks run re-entrantly; here the
    coroutine simply waits while the application's own loop carries on.
    """
    result: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(code: int) -> None:
        if not result.done():
            result.set_result(code)

    dialog.finished.connect(finished)
    dialog.open()
    return await result
