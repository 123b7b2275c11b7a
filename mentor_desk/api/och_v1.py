"""OCH v1 as deployed (contract layer A): the endpoints compatibility mode works with.

Paths are exact, trailing slashes included (OCH never redirects between the two forms). Mentor endpoints of
OCH answer 500 to an account that is not set up as a mentor; those calls pass ``mentor=True`` so the error
says so.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mentor_desk.api.base import BaseClient, parse_model, response_json
from mentor_desk.api.errors import PayloadTooLarge
from mentor_desk.api.models import (
    FeedbackMediaRegistered,
    Interaction,
    InteractionRow,
    InteractionUpdated,
    MentorAssignment,
    MentorshipMessage,
    V1CapstoneRow,
    V1Mission,
    V1ReviewResult,
    V1SubmissionRow,
    WorkQueueItem,
)

OCH_V1_ATTACHMENT_LIMIT = 10 * 1024 * 1024


class OchV1Endpoints(BaseClient):
    """The ``v1_*`` methods of :class:`~mentor_desk.api.client.PlatformClient`."""

    # --- layer A (compatibility mode) -------------------------------------------------------------------

    async def v1_submissions(
        self, mentor_id: int, *, status: str = "all", limit: int = 50, offset: int = 0
    ) -> tuple[list[V1SubmissionRow], int | None]:
        """One page of the OCH v1 queue and its total count."""
        params = {"status": status, "limit": limit, "offset": offset}
        path = f"mentors/{mentor_id}/missions/submissions"
        return await self._get_list(V1SubmissionRow, path, params=params, mentor=True)

    async def v1_workqueue(self, *, status: str = "pending", priority: str | None = None) -> list[WorkQueueItem]:
        params = {"status": status, **({"priority": priority} if priority else {})}
        rows, _ = await self._get_list(WorkQueueItem, "mentor/workqueue", params=params, mentor=True)
        return rows

    async def v1_capstones(self, mentor_id: int, *, status: str | None = None) -> list[V1CapstoneRow]:
        params = {"status": status} if status else None
        rows, _ = await self._get_list(V1CapstoneRow, f"mentors/{mentor_id}/capstones", params=params, mentor=True)
        return rows

    async def v1_mission(self, mission_id: str) -> V1Mission:
        return parse_model(V1Mission, await self._get_json(f"missions/{mission_id}/"))

    async def v1_review_submission(
        self, submission_id: str, overall_status: str, written_feedback: str, *, score: int | None = None
    ) -> V1ReviewResult:
        """Record a decision (``pass`` | ``fail`` | ``needs_revision``); re-posting overwrites, so retrying is safe.

        With a ``score`` (0-100) it goes in OCH's "raw" shape, which stores that score (approved for a pass, else
        rejected); without one in the web client's shape, from which OCH derives 100, 50 or 0.
        """
        body: dict[str, Any] = (
            {"overall_status": overall_status, "feedback": {"written": written_feedback}}
            if score is None
            else {"score": score, "approved": overall_status == "pass", "feedback": written_feedback}
        )
        return parse_model(
            V1ReviewResult, await self._call("POST", f"mentor/missions/{submission_id}/review", json=body, mentor=True)
        )

    async def v1_interactions(
        self,
        *,
        mission_id: str | None = None,
        capstone_project_id: str | None = None,
        interaction_type: str | None = None,
        status: str | None = None,
    ) -> list[InteractionRow]:
        filters = {
            "mission_id": mission_id,
            "capstone_project_id": capstone_project_id,
            "interaction_type": interaction_type,
            "status": status,
        }
        params = {"role": "mentor", **{k: v for k, v in filters.items() if v}}
        rows, _ = await self._get_list(InteractionRow, "mentorship-interactions/", params=params)
        return rows

    async def v1_interaction(self, interaction_id: str) -> Interaction:
        return parse_model(Interaction, await self._get_json(f"mentorship-interactions/{interaction_id}/"))

    async def v1_create_interaction(
        self,
        mentee_uuid: str,
        interaction_type: str,
        *,
        mission_id: str | None = None,
        capstone_project_id: str | None = None,
        phase: str | None = None,
        review_phase: int | None = None,
        total_phases: int | None = None,
    ) -> InteractionRow:
        """Create an interaction. NOT idempotent on OCH: look in :meth:`v1_interactions` first."""
        optional = {
            "mission_id": mission_id,
            "capstone_project_id": capstone_project_id,
            "phase": phase,
            "review_phase": review_phase,
            "total_phases": total_phases,
        }
        body: dict[str, Any] = {"mentee_id": mentee_uuid, "interaction_type": interaction_type}
        body |= {k: v for k, v in optional.items() if v is not None}
        return parse_model(InteractionRow, await self._call("POST", "mentorship-interactions/create/", json=body))

    async def v1_update_interaction(self, interaction_id: str, fields: Mapping[str, Any]) -> InteractionUpdated:
        """Set fields of an interaction; JSON maps are replaced whole, so send complete maps."""
        return parse_model(
            InteractionUpdated,
            await self._call("PUT", f"mentorship-interactions/{interaction_id}/update/", json=dict(fields)),
        )

    async def v1_upload_feedback(
        self, interaction_id: str, media_type: str, file_url: str, duration_seconds: float | None = None
    ) -> FeedbackMediaRegistered:
        """Attach an already hosted recording's URL to an interaction (OCH stores URLs, not files)."""
        body: dict[str, Any] = {"media_type": media_type, "file_url": file_url}
        if duration_seconds is not None:
            body["duration_seconds"] = duration_seconds
        return parse_model(
            FeedbackMediaRegistered,
            await self._call("POST", f"mentorship-interactions/{interaction_id}/upload-feedback/", json=body),
        )

    async def v1_assignments(self, mentor_id: int) -> list[MentorAssignment]:
        rows, _ = await self._get_list(MentorAssignment, f"mentorship/mentors/{mentor_id}/assignments", mentor=True)
        return rows

    async def v1_send_message(
        self, assignment_id: str, body: str, attachments: Sequence[Path] = (), *, subject: str | None = None
    ) -> MentorshipMessage:
        """Send a message to a learner, with files (10 MB each on OCH; larger ones are refused up front)."""
        for path in attachments:
            size = await asyncio.to_thread(os.path.getsize, path)
            if size > OCH_V1_ATTACHMENT_LIMIT:
                raise PayloadTooLarge(
                    f"“{path.name}” is {size / 1e6:.1f} MB; this platform accepts attachments up to 10 MB."
                )
        data = {"body": body, **({"subject": subject} if subject else {})}
        handles = [await asyncio.to_thread(path.open, "rb") for path in attachments]
        try:
            parts = [
                ("attachments", (path.name, handle, _guess_type(path)))
                for path, handle in zip(attachments, handles, strict=True)
            ]
            response = await self._send(
                "POST",
                f"mentorship/assignments/{assignment_id}/messages",
                data=data,
                files=parts or None,
                rewind=handles,
            )
        finally:
            for handle in handles:
                handle.close()
        answer = response_json(response)
        if isinstance(answer, Mapping) and isinstance(answer.get("messages"), list) and answer["messages"]:
            answer = answer["messages"][-1]  # OCH re-resolved the assignment and wrapped the answer
        return parse_model(MentorshipMessage, answer)


def _guess_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
