"""The store's schema as numbered migrations.

``PRAGMA user_version`` holds ``major << 16 | minor`` (qutebrowser's scheme). A *minor* migration only adds
(tables, columns, indexes) so an older mentor_desk can still use a file a newer one touched; a *major* bump is
incompatible and an older version refuses to open the file rather than damage it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """Brings the schema to ``version`` by running ``script`` (inside one transaction)."""

    version: tuple[int, int]
    description: str
    script: str


_INITIAL = """
CREATE TABLE queue_items (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    track         TEXT NOT NULL DEFAULT '',
    mission_title TEXT NOT NULL,
    learner_name  TEXT NOT NULL,
    submitted_at  TEXT,
    updated_at    TEXT,
    version       INTEGER,
    data          TEXT NOT NULL          -- the whole QueueItem as JSON
);
CREATE INDEX queue_items_status ON queue_items (status);

-- Cached server documents that are read whole: review details, missions, Tier-5 status bodies.
CREATE TABLE documents (
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    version    INTEGER,
    data       TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Every rubric version ever seen: a review keeps the version it was scored against.
CREATE TABLE rubrics (
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL,
    data       TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE drafts (
    review_id    TEXT NOT NULL,
    stage        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    base_version INTEGER,
    state        TEXT NOT NULL DEFAULT 'editing' CHECK (state IN ('editing', 'submitted')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (review_id, stage)
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id       TEXT NOT NULL,
    stage           TEXT NOT NULL,
    operation       TEXT NOT NULL,
    client_op_id    TEXT NOT NULL UNIQUE,
    base_version    INTEGER,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'conflict', 'failed', 'discarded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL
);
CREATE INDEX outbox_open ON outbox (review_id, id) WHERE state NOT IN ('done', 'discarded');

CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id   INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    review_id   TEXT NOT NULL,
    mine        TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    resolution  TEXT
);
CREATE INDEX conflicts_open ON conflicts (review_id) WHERE resolved_at IS NULL;

-- Content-addressed evidence and media files; the bytes live in files/<sha256[:2]>/<sha256>.
CREATE TABLE files (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    accessed_at TEXT NOT NULL
);
CREATE INDEX files_lru ON files (accessed_at);
"""

_OUTBOX_STATE_INDEX = """
-- The sync panel's counts (read after every sent entry) from the index rather than every entry's payload.
CREATE INDEX outbox_state ON outbox (state);
"""

_QUEUE_ORDER_INDEX = """
-- The queue in the order it is shown: start-up reads its first screenful by walking this index, not by sorting
-- every row, and counts the rows from it.
CREATE INDEX queue_items_order ON queue_items (submitted_at, id);
"""

_DRAFT_ATTACHMENTS = """
-- Review drafts are typed now (mentor_desk.domain.draft.ReviewDraft) and carry media attachments: every stored
-- draft, waiting review and conflict's own side gets the list, empty. Older versions ignore the key.
UPDATE drafts SET payload = json_set(payload, '$.attachments', json('[]'))
 WHERE json_valid(payload) AND json_type(payload, '$.attachments') IS NULL;
UPDATE outbox SET payload = json_set(payload, '$.attachments', json('[]'))
 WHERE operation IN ('stage_review', 'v1_review') AND json_valid(payload)
   AND json_type(payload, '$.attachments') IS NULL;
UPDATE conflicts SET mine = json_set(mine, '$.attachments', json('[]'))
 WHERE json_valid(mine) AND json_type(mine, '$.attachments') IS NULL;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration((1, 0), "initial schema", _INITIAL),
    Migration((1, 1), "index the outbox by state", _OUTBOX_STATE_INDEX),
    Migration((1, 2), "index the queue in its shown order", _QUEUE_ORDER_INDEX),
    Migration((1, 3), "media attachments in review drafts", _DRAFT_ATTACHMENTS),
)
"""Every migration, oldest first. Append; never edit one that has shipped."""
