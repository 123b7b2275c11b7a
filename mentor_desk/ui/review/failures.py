"""What to tell the mentor when something the workspace asked for failed."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

UNEXPECTED = "mentor_desk hit an unexpected problem; the details are in its log."


def reason(err: BaseException, doing: str) -> str:
    """Why ``doing`` failed, as a sentence: the ``user_message`` that platform and store errors carry. Anything
    else is a bug: logged with its traceback, and summed up in :data:`UNEXPECTED`."""
    message = getattr(err, "user_message", None)
    if isinstance(message, str) and message:
        return message
    log.error("%s failed", doing, exc_info=err)
    return UNEXPECTED
