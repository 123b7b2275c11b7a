"""Review workspace figures: opening a large review to its first paint, and a scoring keystroke to repainted totals.

The review is a realistic synthetic layer B detail (50 subtasks of 4 criteria, 20 evidence files, 12 decisions),
read through the api's wire model on every open as the app's cache path does. The network is left out: the
services answer at once, so the figures measure the workspace alone, offscreen, on the app's qasync loop.
The workspace paints the first subtasks and builds the others right after, in small batches: a mentor can read
and score at once, and the figure is the wait before that.

Baselines, interleaved with the app's samples in the same process and on the same loop: for an open, the first
paint of a bare ``QMainWindow`` holding one ``QTextEdit`` with the review's text (:func:`review_text`); for a scoring
keystroke, one repaint of a bare ``QLabel`` given a new total.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.figures import Figure, figure, ratio_figure

SUBTASKS = 50
CRITERIA = 4
FILES = 20
DECISIONS = 12
OPENS = 9
LEVELS = (("Beginning", "little"), ("Developing", "some"), ("Proficient", "solid"), ("Exemplary", "outstanding"))
_T = TypeVar("_T")
FILE_TYPES = (("pdf", "report.pdf"), ("py", "triage.py"), ("log", "auth.log"), ("pcap", "capture.pcap"),
              ("png", "timeline.png"), ("zip", "artefacts.zip"))


def _rubric(n: int) -> dict[str, Any]:
    topics = ("scoping", "evidence handling", "analysis depth", "communication", "remediation", "tooling")
    criteria = []
    for c in range(CRITERIA):
        topic = topics[(n + c) % len(topics)]
        criteria.append({
            "id": f"c{c + 1}", "title": topic.capitalize(), "weight": float(1 + (n + c) % 3),
            "description": f"How well the work handles {topic}",
            "levels": [{"label": label, "points": float(p + 1), "description": f"The work shows {how} {topic}."}
                       for p, (label, how) in enumerate(LEVELS)],
        })
    return {"id": f"rubric-{n}", "version": 1 + n % 2, "title": f"Rubric {n}", "scale": {"min": 0, "max": 4},
            "pass_threshold": 70.0, "criteria": criteria}


def review_json(review_id: str, learner: str) -> dict[str, Any]:
    """A layer B ``GET /mentor/reviews/{id}`` body the size of a large capstone."""
    rubrics = {r["id"]: r for r in (_rubric(n) for n in range(5))}
    subtasks = [{"id": str(s + 1), "title": f"Subtask {s + 1}: containment step", "weight": float(1 + s % 3),
                 "description": "Contain the intrusion on the affected segment and record each action taken.",
                 "rubric_id": f"rubric-{s % 5}"} for s in range(SUBTASKS)]
    branching, ideal, taken = {}, {}, {}
    for d in range(DECISIONS):
        subtask = str(d * 4 + 1)
        decision = f"decision_{d + 1}"
        choices = [{"id": f"opt_{k}", "label": f"Option {k}: isolate host group {k}", "description": "",
                    "consequences": {"risk": ("low", "medium", "high")[k]}} for k in range(3)]
        branching[subtask] = {"decision_id": decision, "title": "", "choices": choices, "consequences": {},
                              "prompt": f"Which hosts to isolate first ({d + 1})?"}
        ideal[subtask] = {"decision_id": decision, "choice_id": "opt_0", "rationale": "Isolate the beachhead first."}
        taken[decision] = {"choice_id": f"opt_{d % 3}", "subtask_id": subtask,
                           "timestamp": f"2026-11-20T10:{d:02d}:00Z"}
    files = []
    for f in range(FILES):
        file_type, name = FILE_TYPES[f % len(FILE_TYPES)]
        files.append({"id": f"file-{f}", "subtask_id": str(f * 2 + 1), "file_type": file_type,
                      "filename": f"{f:02d}-{name}", "file_size": 10_000 + 977 * f, "sha256": f"{f:064x}",
                      "url": f"/api/v1/files/file-{f}"})
    return {
        "id": review_id, "kind": "capstone", "status": "mentor_review", "attempt": 1, "version": 3,
        "submitted_at": "2026-11-24T10:53:59Z", "updated_at": "2026-11-25T16:53:59Z", "ai_score": 71.5,
        "stage": {"index": 5, "total": 6, "name": "final"},
        "learner": {"id": 58, "name": learner, "email": "learner@learners.och"},
        "mission": {"id": "m-1", "code": "DEF-MAST-001", "title": "Advanced Persistent Threat Investigation",
                    "tier": 5, "track": "DEFENDER_5", "mission_type": "capstone",
                    "description": "Investigate and contain a long-running intrusion.", "subtasks": subtasks,
                    "branching_paths": branching, "ideal_path": ideal},
        "rubrics": rubrics, "decision_paths": taken, "files": files,
        "reflection": "I should have isolated the jump host earlier.\n" * 5,
        "ai_review": {"score": 71.5, "strengths": ["Clear timeline"], "gaps": ["Late containment"],
                      "suggestions": ["Practise isolation runbooks"]},
        "time_per_stage": {str(s + 1): 20 + s for s in range(SUBTASKS)},
        "hints_used": [{"subtask_id": "3", "hint": "Look at the proxy logs", "used_at": "2026-11-20T10:30:00Z"}],
    }


def review_text(review: dict[str, Any]) -> str:
    """Every text of the review a mentor reads, one after the other: the mission and its subtasks with their
    rubrics' criteria and levels, the decisions, the files' names, the reflection and the AI review."""
    mission = review["mission"]
    lines = [f"{review['learner']['name']} · {mission['code']} {mission['title']}", mission["description"]]
    for subtask in mission["subtasks"]:
        lines += [subtask["title"], subtask["description"]]
        for criterion in review["rubrics"][subtask["rubric_id"]]["criteria"]:
            lines.append(f"{criterion['title']} (weight {criterion['weight']}): {criterion['description']}")
            lines += [
                f"  {level['label']} ({level['points']}): {level['description']}" for level in criterion["levels"]
            ]
    for point in mission["branching_paths"].values():
        lines.append(point["prompt"])
        lines += [f"  {choice['label']}" for choice in point["choices"]]
    lines += [file["filename"] for file in review["files"]]
    ai = review["ai_review"]
    lines += [review["reflection"], *ai["strengths"], *ai["gaps"], *ai["suggestions"]]
    return "\n".join(lines)


class InstantServices:
    """A ReviewService answering at once: the review from its cached JSON through the wire model, drafts in memory."""

    mode = "full"

    def __init__(self, library: Path) -> None:
        self.comment_library_path = library
        self.reviews = {rid: review_json(rid, name) for rid, name in (("r-1", "Amina Otieno"), ("r-2", "Chen Silva"))}
        self.drafts: dict[tuple[str, str], Any] = {}

    async def open_review(self, review_id: str) -> Any:
        from mentor_desk.api.models import ReviewDetail
        from mentor_desk.services.review_view import review_view

        return review_view(ReviewDetail.model_validate(self.reviews[review_id]))

    async def load_draft(self, review_id: str, stage: str) -> Any:
        return self.drafts.get((review_id, stage))

    async def save_draft(self, review_id: str, stage: str, draft: Any) -> None:
        self.drafts[(review_id, stage)] = draft

    async def fetch_file(self, file: Any, progress: Any = None) -> Path:
        raise FileNotFoundError(file.filename)  # never asked: no file is opened here

    async def submit(self, review_id: str, stage: str, draft: Any) -> None:
        raise NotImplementedError


def process_events() -> None:
    """One pass of the Qt event loop. Through a QEventLoop instance: PySide6 6.12's static
    ``QCoreApplication.processEvents()`` drops a reference to None on every call, which kills Python 3.11
    after some thousands of calls."""
    from PySide6.QtCore import QEventLoop

    QEventLoop().processEvents()


class PaintWatch:
    """Notes when the event-loop pass that paints ``widget`` (with ``ready()`` true) is over: a zero-time timer
    started at its paint fires right after the pass, so the whole backing-store flush is counted."""

    def __init__(self, widget: Any, ready: Callable[[], bool] = lambda: True) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        watch = self

        class Filter(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and watch.ready() and not watch.armed_paint:
                    watch.armed_paint = True
                    QTimer.singleShot(0, watch.record)
                return False

        self.painted: float | None = None
        self.armed_paint = False
        self.ready = ready
        self.widget = widget
        self._filter = Filter()
        widget.installEventFilter(self._filter)

    def record(self) -> None:
        self.painted = time.perf_counter()

    def arm(self) -> None:
        self.painted, self.armed_paint = None, False

    def wait(self, timeout: float = 5.0) -> float:
        deadline = time.perf_counter() + timeout
        while self.painted is None:
            if time.perf_counter() > deadline:
                raise RuntimeError("the widget was never painted")
            process_events()
        return self.painted

    def remove(self) -> None:
        self.widget.removeEventFilter(self._filter)


def _workspace_session(body: Callable[[Any, Any], _T]) -> _T:
    """Run ``body(loop, workspace)`` with a shown 1400×900 workspace on a qasync loop."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from mentor_desk.ui.review.workspace import ReviewWorkspace

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    executor = qasync.QThreadExecutor(2)  # asyncio.to_thread's threads, joined before Qt goes away
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workspace = ReviewWorkspace(InstantServices(Path(tmp) / "remarks.json"))
            workspace.resize(1400, 900)
            workspace.show()
            process_events()
            try:
                return body(loop, workspace)
            finally:
                loop.run_until_complete(workspace.flush_drafts())  # no autosave may fire after this loop
                workspace.close()
                workspace.deleteLater()
                process_events()
    finally:
        loop.close()  # joins the executor's threads
        asyncio.set_event_loop(None)


def _settle(workspace: Any, seconds: float = 0.3) -> None:
    """Let the previous review finish what it does after its first paint (its later subtasks, the teardown of
    the review before it), as it has long done by the time a mentor opens the next one."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or not workspace.scorer.fully_built:
        process_events()


def _open(loop: Any, workspace: Any, review_id: str) -> float:
    """Milliseconds from the open call to the end of the event-loop pass that first paints the header naming
    ``review_id``'s learner (the whole window is flushed in that pass: scorer, evidence, decision path)."""
    def showing() -> bool:
        document = workspace.document
        return document is not None and document.review.id == review_id

    _settle(workspace)
    watch = PaintWatch(workspace.subtitle, showing)
    try:
        start = time.perf_counter()
        opened = loop.run_until_complete(workspace.open_review(review_id))
        if not opened:
            raise RuntimeError(f"review {review_id} did not open: {workspace.placeholder.text()}")
        return (watch.wait() - start) * 1000
    finally:
        watch.remove()


def _bare_open(text: str) -> float:
    """Milliseconds from building a bare ``QMainWindow`` with one ``QTextEdit`` holding ``text`` to the end of
    the event-loop pass that first paints it (the baseline of an open)."""
    from PySide6.QtWidgets import QMainWindow, QTextEdit

    start = time.perf_counter()
    window = QMainWindow()
    editor = QTextEdit()
    editor.setPlainText(text)
    window.setCentralWidget(editor)
    window.resize(1400, 900)
    watch = PaintWatch(editor.viewport())
    window.show()
    painted = watch.wait()
    watch.remove()
    window.close()
    window.deleteLater()
    process_events()
    return (painted - start) * 1000


@figure("open_review_ms")
def open_review_ms() -> Figure:
    """Median time from ``open_review`` to the first paint of a 50-subtask review (alternating two learners),
    against a bare window showing the same review's text."""

    def body(loop: Any, workspace: Any) -> tuple[list[float], list[float]]:
        texts = {rid: review_text(data) for rid, data in workspace.services.reviews.items()}
        app: list[float] = []
        bare: list[float] = []
        for n in range(OPENS):
            review_id = ("r-1", "r-2")[n % 2]
            app.append(_open(loop, workspace, review_id))
            _settle(workspace)
            bare.append(_bare_open(texts[review_id]))
        return app, bare

    app, bare = _workspace_session(body)
    return ratio_figure("open_review_ms", "ms", app, bare, 1.5)


class BareLabel:
    """The baseline of a scoring keystroke: a shown bare ``QLabel`` repainted with a new total."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QLabel

        self.label = QLabel("Mission score 0.00")
        self.label.resize(300, 40)
        self.label.show()
        process_events()
        self.watch = PaintWatch(self.label)
        self.count = 0

    def repaint(self) -> float:
        self.count += 1
        self.watch.arm()
        start = time.perf_counter()
        self.label.setText(f"Mission score {self.count % 100}.{self.count % 7}0 · passes")
        return (self.watch.wait() - start) * 1000

    def close(self) -> None:
        self.watch.remove()
        self.label.close()
        self.label.deleteLater()


@figure("score_keystroke_ms")
def score_keystroke_ms() -> Figure:
    """Median time from a digit typed in the scorer to the repainted mission totals, over every criterion twice,
    against a bare label's repaint after each keystroke."""
    from PySide6.QtTest import QTest

    def body(loop: Any, workspace: Any) -> tuple[list[float], list[float]]:
        _open(loop, workspace, "r-1")
        _settle(workspace)  # every subtask built
        scorer = workspace.scorer
        bare = BareLabel()
        scorer.activateWindow()
        scorer.setFocus()
        watch = PaintWatch(scorer.totals.label)
        app: list[float] = []
        base: list[float] = []
        for sweep in range(2):
            scorer.select(0)
            process_events()
            for n in range(len(scorer.rows)):
                digit = "1234"[(n + sweep) % 4]
                watch.arm()
                start = time.perf_counter()
                QTest.keyClick(scorer, digit)
                app.append((watch.wait() - start) * 1000)
                base.append(bare.repaint())
        watch.remove()
        bare.close()
        if not workspace.document.summary().complete:
            raise RuntimeError("the keystrokes did not score every criterion")
        return app, base

    app, base = _workspace_session(body)
    return ratio_figure("score_keystroke_ms", "ms", app, base, 3.0, below_value=16.0)
