"""Keeping the local store and the platform in step (no Qt: shared by the app and the headless sync).

- :class:`~mentor_desk.sync.engine.SyncEngine` — ``submit``, ``pull``, ``push``, ``sync_once``, ``run``/``stop``/
  ``wake``/``resume``, ``resolve_conflict``, ``retry``, ``discard``; observers via ``subscribe(callback)`` receive
  the dataclasses of :mod:`mentor_desk.sync.events`.
- :func:`~mentor_desk.sync.headless.sync_once_headless` — ``mentor-desk sync --once``.
"""
