"""Pure review logic: no Qt, no network, no database.

- :mod:`.queue` — :class:`~mentor_desk.domain.queue.QueueItem` (shared)
- :mod:`.scoring` — rubrics, weighted subtask/mission scores, pass line, validation, ``summarize``
- :mod:`.status` — the review status machine, both layers' vocabularies, mentor decisions
- :mod:`.decision_path` — the learner's decision path against the ideal path
- :mod:`.agreement` — a scoring meeting panel's scores side by side, Krippendorff's α, mean/median consensus
- :mod:`.tier5` — the Tier-5 sign-off checklist and whether the platform will accept an approval
"""
