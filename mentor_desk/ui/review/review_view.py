"""How the review's words and times are put to the mentor (decisions in words, times in the mentor's zone).

The review itself arrives as a domain :class:`~mentor_desk.domain.review.ReviewView`, converted once from the
platform's detail by ``services/review_view.py`` (``ReviewService.open_review``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentor_desk.domain.status import Decision, human_label, resulting_status
from mentor_desk.domain.words import local_time_in_words


def decision_label(raw: str) -> str:
    """A decision ("approve"...) or a status word, in words ("Approved", "Revision requested", ...)."""
    try:
        return human_label(resulting_status(Decision(raw)))
    except ValueError:
        return human_label(raw)


def local_time(value: Any) -> str:
    """A time (a datetime or ISO text) in words in the mentor's zone ("27 Nov 19:54"); anything else as it came,
    None as ""."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return local_time_in_words(value, datetime.now().astimezone())
