#!/usr/bin/env python3
"""Screenshots of mentor_desk: the demo's queue, a review, the outbox, the sign-out question and the sign-in
dialog (the first two are in the README).

    python scripts/screenshot.py OUT_DIR [--size 1280x800] [--text-scale 2]

Runs the demo (a sandbox platform in-process, freshly seeded) in a temporary data directory, under the current
display (e.g. Xvfb: ``DISPLAY=:99 QT_QPA_PLATFORM=xcb``) or offscreen when there is none, waits until the queue
is painted, and saves PNGs. Exits 1 if the queue never filled.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


async def _until(predicate: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def _shoot(out: Path, width: int, height: int, data: Path) -> int:
    from PySide6.QtCore import QSettings

    from mentor_desk.app import AppShell
    from mentor_desk.domain.draft import ReviewDraft
    from mentor_desk.launch import AppPaths
    from mentor_desk.services.logs import configure_logging
    from mentor_desk.ui.crash import CrashHandler
    from mentor_desk.ui.settings import AppSettings

    paths = AppPaths(data, data / "logs")
    configure_logging(paths.log_dir)
    settings = AppSettings(QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat))
    shell = AppShell(settings, paths, CrashHandler())
    try:
        await shell.start(demo=True)
        window = shell.window
        if window is None or not await _until(lambda: window.model.rowCount() > 0):
            print("the queue never filled", file=sys.stderr)
            return 1
        window.resize(width, height)
        await asyncio.sleep(0.5)
        window.grab().save(str(out / "queue.png"))
        window.queue.table.setFocus()
        window.queue.move_to_unreviewed(1)
        review_id = window.queue.current_review_id()
        if review_id:
            await window.open_review(review_id)
            workspace = window.workspace()
            await _until(lambda: workspace.review is not None, 20)
            await asyncio.sleep(1.0)
            window.grab().save(str(out / "review.png"))
            workspace.close_review()
            await shell.account.store.save_draft(review_id, "", ReviewDraft(feedback_written="Half-written feedback"))
        window.show_outbox()
        await asyncio.sleep(0.5)
        window.grab().save(str(out / "outbox.png"))
        window.hide_outbox()
        signing_out = asyncio.ensure_future(shell.sign_out())
        if await _until(lambda: window.sign_out_box is not None, 10):
            await asyncio.sleep(0.3)
            window.sign_out_box.grab().save(str(out / "sign-out.png"))
            window.sign_out_box.reject()
        await signing_out
        dialog = await shell.show_sign_in(shell.demo_server.url if shell.demo_server else None)
        await asyncio.sleep(0.3)
        dialog.grab().save(str(out / "sign-in.png"))
        dialog.close()
    finally:
        await shell.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--text-scale", type=float, default=1.0, help="text size, 2 for 200 %% (default 1)")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)

    import qasync

    from mentor_desk.launch import create_application

    app = create_application()
    if args.text_scale != 1.0:  # as a larger text size in the preferences does
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * args.text_scale)
        app.setFont(font)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="mentor-desk-shots-") as tmp, loop:
        status = loop.run_until_complete(_shoot(args.out, width, height, Path(tmp)))
    print("\n".join(str(p) for p in sorted(args.out.glob("*.png"))))
    return status


if __name__ == "__main__":
    sys.exit(main())
