"""Local SQLite store: cache of server data, drafts of reviews in progress, and the outbox of writes to send.

Use :class:`Store` (async: writes run in order on one worker thread that owns the writing connection, reads on
a second, query-only connection; known SQLite failures arrive as :class:`StoreError` with a ``user_message``)::

    store = await Store.open(server_url, user_email, data_dir=...)
    await store.save_draft(review_id, stage, draft)                 # a domain ReviewDraft
    entry = await store.submit_draft(review_id, stage, "stage_review", draft)
    badges = await store.badges()
"""

from mentor_desk.store.cache import CachedDocument, DocumentKind
from mentor_desk.store.drafts import Draft
from mentor_desk.store.errors import DiskFull, StoreCorrupt, StoreError, StoreTooNew
from mentor_desk.store.files import BadFileId, HashMismatch, checked_sha256
from mentor_desk.store.outbox import OPEN_STATES, Badges, Conflict, OutboxEntry, OutboxState
from mentor_desk.store.store import Store

__all__ = [
    "OPEN_STATES",
    "BadFileId",
    "Badges",
    "CachedDocument",
    "Conflict",
    "DiskFull",
    "DocumentKind",
    "Draft",
    "HashMismatch",
    "OutboxEntry",
    "OutboxState",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreTooNew",
    "checked_sha256",
]
