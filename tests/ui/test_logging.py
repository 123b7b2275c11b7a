"""The app's log: written on a thread of its own, tokens redacted before a record leaves the thread that logs,
everything queued written when logging stops."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from mentor_desk.services.logs import configure_logging, stop_logging

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZW50b3IifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
log = logging.getLogger("mentor_desk.test_logging")


class Written:
    """What the log file's handler was given, and on which thread (a spy on RotatingFileHandler.emit)."""

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self.threads: set[str] = set()


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[Written]:
    spy = Written()
    emit = RotatingFileHandler.emit

    def noting_emit(handler: RotatingFileHandler, record: logging.LogRecord) -> None:
        spy.records.append(record)
        spy.threads.add(threading.current_thread().name)
        emit(handler, record)

    monkeypatch.setattr(RotatingFileHandler, "emit", noting_emit)
    yield spy
    stop_logging()


def test_the_file_is_written_off_the_logging_thread_with_tokens_redacted(tmp_path: Path, written: Written) -> None:
    path = configure_logging(tmp_path / "logs")
    log.info("signed in with access_token=%s", TOKEN)
    try:
        raise ValueError(f"refused Bearer {TOKEN}")
    except ValueError:
        log.exception("request failed for %s", "mentor@demo.och")
    for handler in logging.getLogger().handlers:
        handler.flush()  # waits for the writing thread
    text = path.read_text(encoding="utf-8")
    assert TOKEN not in text
    assert "signed in with access_token=[redacted]" in text
    assert "request failed for mentor@demo.och" in text and "refused Bearer [redacted]" in text
    assert "Traceback (most recent call last)" in text
    assert threading.current_thread().name not in written.threads, "file I/O ran on the thread that logged"
    assert written.threads, "the file handler wrote the records"
    for record in written.records:  # what left the logging thread: merged, redacted, no exception object
        assert record.args is None and record.exc_info is None
        assert TOKEN not in record.getMessage()


def test_stopping_writes_everything_queued_and_later_records_too(tmp_path: Path, written: Written) -> None:
    path = configure_logging(tmp_path / "logs")
    for number in range(200):
        log.info("line %d", number)
    stop_logging()  # no flush first: stopping writes what is queued
    assert not any("_monitor" in t.name for t in threading.enumerate()), "the writing thread ended"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.rsplit(" ", 1)[-1] for line in lines] == [str(n) for n in range(200)]
    log.warning("during shutdown, token=%s", TOKEN)  # after the thread ended: still written, still redacted
    text = path.read_text(encoding="utf-8")
    assert "during shutdown, token=[redacted]" in text and TOKEN not in text
    stop_logging()  # idempotent


def test_configuring_again_replaces_the_handlers(tmp_path: Path, written: Written) -> None:
    first = configure_logging(tmp_path / "first")
    second = configure_logging(tmp_path / "second")
    log.info("once")
    stop_logging()
    assert "once" not in first.read_text(encoding="utf-8")
    assert second.read_text(encoding="utf-8").count("once") == 1


def test_warnings_reach_stderr_redacted(tmp_path: Path, written: Written, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(tmp_path / "logs")
    log.info("only in the file")
    log.warning("password=%s", "hunter22")
    stop_logging()
    err = capsys.readouterr().err
    assert "password=[redacted]" in err and "hunter22" not in err and "only in the file" not in err
