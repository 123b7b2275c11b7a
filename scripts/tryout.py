#!/usr/bin/env python3
"""A keyboard-only session with mentor_desk, as a mentor has it, with a screenshot of each step.

    python scripts/tryout.py OUT_DIR

Starts an X server (Xvfb) with a window manager (openbox) unless ``--display`` names one, a sandbox platform on a
free port, and the app in a fresh data folder and home; then, with ``xdotool`` keys only: signs in to the sandbox
with Enter, reviews three items with "Submit & open next", works offline, reviews an item it never opened (one
copied for offline work in the background), comes back online and syncs. Each step's screen lands in OUT_DIR as a
numbered PNG. At the end it asks the sandbox what it recorded and exits 1 unless all four reviews arrived.

Needs: Xvfb, openbox, xdotool, ImageMagick's ``import`` (apt: xvfb openbox xdotool imagemagick).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MENTOR, PASSWORD = "mentor@demo.och", "mentor-demo"
FEEDBACK = "Clear evidence for each finding; the timeline is easy to follow."


class Screen:
    """Keys to the focused window and screenshots of the whole screen."""

    def __init__(self, display: str, out: Path) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        self.out = out
        self.shots = 0

    def keys(self, *names: str, pause: float = 0.15) -> None:
        for name in names:
            subprocess.run(["xdotool", "key", "--clearmodifiers", name], env=self.env, check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "25", text], env=self.env, check=True)
        time.sleep(0.2)

    def active_title(self) -> str:
        found = subprocess.run(
            ["xdotool", "getactivewindow", "getwindowname"], env=self.env, capture_output=True, text=True
        )
        return found.stdout.strip()

    def shoot(self, what: str) -> Path:
        self.shots += 1
        path = self.out / f"{self.shots:02d}-{what}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True)
        print(f"  {path.name}: {self.active_title()}")
        return path


def until(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise SystemExit(f"gave up waiting for {what} after {seconds:.0f} s")


@contextlib.contextmanager
def x_display(size: str) -> Iterator[str]:
    """A fresh Xvfb with openbox on it."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = f":{pipe.readline().strip()}"
    openbox = subprocess.Popen(["openbox"], env={**os.environ, "DISPLAY": display}, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        yield display
    finally:
        for process in (openbox, xvfb):
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def sandbox() -> Iterator[str]:
    """A freshly seeded sandbox platform on a free port, as a separate process; yields its URL."""
    process = subprocess.Popen(
        [PYTHON, "-m", "mentor_desk", "sandbox", "--demo", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # "listening on http://127.0.0.1:PORT"
    if "http://" not in first:
        process.kill()
        raise SystemExit(f"the sandbox did not start: {first}")
    try:
        yield first.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=20)


def review_states(server: str) -> dict[str, tuple[str, str]]:
    """The mentor's reviews as the platform has them: review id → (status, stage) (a claim changes neither)."""
    with httpx.Client(base_url=f"{server}/api/v1", timeout=30) as client:
        token = client.post("/auth/login", json={"email": MENTOR, "password": PASSWORD}).json()["access_token"]
        rows = client.get("/mentor/reviews", params={"limit": 500}, headers={"Authorization": f"Bearer {token}"})
        return {
            row["id"]: (row["status"], (row.get("stage") or {}).get("name") or "") for row in rows.json()["results"]
        }


def review_and_send(screen: Screen, decision: str = "alt+a") -> None:
    """Score every criterion "3" (the focused scorer moves on by itself), write the feedback, decide, submit and
    open the next review (Ctrl+Shift+Enter), confirming with Enter."""
    screen.keys(*["3"] * 45, pause=0.03)
    screen.keys("alt+5")
    screen.type(FEEDBACK)
    screen.keys(decision, "ctrl+shift+Return")
    time.sleep(1.0)
    screen.shoot("confirm")
    screen.keys("Return")
    time.sleep(3.0)


def session(screen: Screen, server: str, data: Path) -> int:
    before = review_states(server)
    env = {
        **screen.env,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(data),
        "XDG_CONFIG_HOME": str(data / "config"),
        "MENTOR_DESK_DATA_DIR": str(data / "mentor-desk"),
    }
    app = subprocess.Popen(
        [PYTHON, "-m", "mentor_desk", "--server", "http://127.0.0.1:9"],
        cwd=ROOT,
        env=env,
        stdout=(data / "app.out").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        until(lambda: screen.active_title().startswith("Sign in"), 60, "the sign-in window")
        screen.shoot("sign-in")
        print("sign in to the sandbox on another port, with Enter")
        screen.keys("alt+s", "ctrl+a")
        screen.type(server)
        screen.keys("alt+e", "ctrl+a")
        screen.type(MENTOR)
        screen.keys("alt+p")
        screen.type(PASSWORD)
        screen.shoot("sign-in-typed")
        screen.keys("Return")
        until(lambda: server in screen.active_title(), 60, "the queue")
        time.sleep(4.0)  # the queue's first pull, and the offline copies started in the background
        screen.shoot("queue")

        print("filter to the reviews awaiting a mentor; review three with Submit & open next")
        screen.keys("ctrl+f")
        screen.type("Awaiting mentor review")
        screen.keys("Tab", "Home")
        screen.shoot("filtered")
        screen.keys("Return")
        time.sleep(3.0)
        for _ in range(3):
            screen.shoot("review")
            review_and_send(screen)
        screen.shoot("fourth-opened")
        screen.keys("alt+Left")  # leave the fourth, opened by the third's Submit & open next, unreviewed
        time.sleep(1.0)

        print("work offline and review a copied item never opened before")
        screen.keys("ctrl+shift+o")
        time.sleep(1.0)
        screen.shoot("offline-queue")
        screen.keys("j", "Return")  # the fifth: never opened, copied in the background
        time.sleep(3.0)
        screen.shoot("offline-review")
        review_and_send(screen)
        screen.keys("alt+Left")
        time.sleep(1.0)
        screen.keys("ctrl+shift+s")
        time.sleep(1.0)
        screen.shoot("offline-outbox")

        print("back online; sync")
        screen.keys("ctrl+shift+o")
        time.sleep(1.0)
        screen.keys("F5")
        time.sleep(8.0)
        screen.shoot("synced")
        screen.keys("ctrl+q")
        app.wait(timeout=30)
    finally:
        if app.poll() is None:
            app.terminate()
            app.wait(timeout=30)
    after = review_states(server)
    changed = {review_id: after[review_id] for review_id in after if before.get(review_id) != after[review_id]}
    print(f"the platform recorded {len(changed)} reviews (4 sent):")
    for review_id, now in changed.items():
        print(f"  {review_id}: {before.get(review_id, ('new', ''))} -> {now}")
    return 0 if len(changed) >= 4 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the screenshots")
    parser.add_argument("--display", help="an X display with a window manager (default: a new Xvfb + openbox)")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("xdotool", "import", "openbox", "Xvfb") if not shutil.which(tool)]
    if missing and not args.display:
        raise SystemExit(f"missing tools: {', '.join(missing)} (apt install xvfb openbox xdotool imagemagick)")
    args.out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        display = args.display or stack.enter_context(x_display(args.size))
        server = stack.enter_context(sandbox())
        data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mentor-desk-tryout-")))
        return session(Screen(display, args.out), server, data)


if __name__ == "__main__":
    sys.exit(main())
