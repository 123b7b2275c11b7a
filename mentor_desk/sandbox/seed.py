"""Deterministic seed data: users, assignments, missions, rubrics and review items with real evidence.

Everything derives from ``random.Random(seed)`` and uuid5 ids, so a seed always yields the same rows. Times are
offsets from the moment of seeding (``now``), never in its future: items waiting for a mentor were submitted
within the last five days (a mix of < 24 h, 24–48 h and > 48 h, as a real queue's SLA colours show), decided
ones two to thirty days ago. ``scale`` multiplies learners and hence review items: at scale 1 there are 60
learners and 360 review items, 240 of them on ``mentor@demo.och``'s learners.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from mentor_desk.sandbox import catalog, scoring
from mentor_desk.sandbox.accounts import DEMO_ACCOUNTS, demo_totp_secret
from mentor_desk.sandbox.auth import password_hash
from mentor_desk.sandbox.db import dumps
from mentor_desk.sandbox.evidence import Evidence, catalogue
from mentor_desk.sandbox.state import iso

LEARNERS_PER_SCALE = 60
MENTOR, LEAD, MENTOR2, MENTOR3, MFA_MENTOR, STUDENT = range(1, 7)
TIER5_TRACKS = [code for code, _, tier, _ in catalog.TRACKS if tier == 5]
PRIMARY_MENTORS = {"DEFENDER_5": MENTOR, "OFFENSIVE_5": MENTOR, "GRC_5": MENTOR2, "INNOVATION_5": MENTOR3,
                   "LEADERSHIP_5": MFA_MENTOR}
# Where a waiting item's age falls: (share of items, youngest, oldest) in hours.
WAITING_AGES = ((0.4, 1, 24), (0.3, 24, 48), (0.3, 48, 120))
DECIDED_AGE_HOURS = (48, 24 * 30)
STAGE_HOURS = 6  # a capstone stage review follows the previous one (or the submission) after this long
STATUS_WEIGHTS = {"submitted": 10, "ai_reviewed": 20, "mentor_review": 25, "approved": 25,
                  "revision_requested": 10, "failed": 10}
FIRST = ["Amara", "Ben", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Jia", "Kwame", "Lucia",
         "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tendai", "Uma", "Viktor", "Wanjiru",
         "Xavier", "Yara", "Zoltan"]
LAST = ["Achieng", "Brandt", "Castillo", "Dube", "Eriksen", "Fofana", "Gupta", "Haddad", "Ivanova", "Jensen",
        "Kamau", "Lindqvist", "Mensah", "Nakamura", "Oyelaran", "Petrov", "Quispe", "Rahman", "Silva",
        "Tanaka", "Uchenna", "Varga", "Wekesa", "Xu", "Yilmaz", "Zulu"]
REFLECTIONS = [
    "Scoping the investigation properly took longer than I expected, but it stopped me chasing the noisy "
    "beacon alerts and let me focus on the lateral movement that mattered.",
    "I underestimated how much the stakeholder updates would shape the technical work. Next time I would "
    "agree the reporting cadence on day one.",
    "My first timeline had two pivot points in the wrong order; replaying the proxy logs fixed it. "
    "Lesson: verify every timestamp's time zone before correlating.",
    "I chose speed over completeness at the second decision point and the mentor feedback on attempt one "
    "showed why that was risky. This attempt documents the trade-off explicitly.",
]
HOSTILE = [
    "<script>alert(1)</script> I pasted my payload notes here by mistake.",
    "Used <b>bold</b> markup in my report and it rendered as tags in the portal.",
    "Filename seen on the host: invoice\u202egpj.exe (right-to-left override trick).",
    "Long line: " + "A" * 3000 + " end of long line.",
]
STRENGTHS = ["Clear scoping and stakeholder mapping", "Good use of packet captures", "Well-structured report",
             "Accurate indicator extraction", "Thoughtful risk trade-offs"]
GAPS = ["Timeline misses the initial access vector", "Detections not tested against real telemetry",
        "Remediation lacks owners and dates", "Executive summary too technical"]
SUGGESTIONS = ["Add a MITRE ATT&CK mapping", "Quantify residual risk", "Include a rollback plan",
               "Attach the raw evidence hashes"]
EVIDENCE_FOR_TYPE = {"pdf": "report", "docx": "report", "pcap": "pcap", "log": "authlog", "csv": "longlog",
                     "zip": "zip", "txt": "authlog", "py": "script", "png": "diagram", "mp4": "video",
                     "xlsx": "report", "yml": "script", "json": "script", "md": "report"}


def seed_database(conn: sqlite3.Connection, *, seed: int, scale: int, now: datetime | None = None) -> None:
    """Fill an empty database (inside the caller's transaction); times are relative to ``now`` (default:
    the current UTC time; a naive ``now`` is taken as UTC)."""
    Seeder(conn, seed, scale, now).run()


def waiting_age(position: float) -> timedelta:
    """The age of a waiting item at ``position`` (uniform in [0, 1)) along the ``WAITING_AGES`` mix."""
    for share, youngest, oldest in WAITING_AGES:
        if position < share:
            return timedelta(hours=youngest + (oldest - youngest) * position / share)
        position -= share
    return timedelta(hours=WAITING_AGES[-1][2])


class Seeder:
    def __init__(self, conn: sqlite3.Connection, seed: int, scale: int, now: datetime | None = None) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = max(1, scale)
        moment = now or datetime.now(UTC)
        self.now = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).replace(microsecond=0)
        self.evidence = catalogue()
        self.digests = {key: hashlib.sha256(e.content).hexdigest() for key, e in self.evidence.items()}
        self.missions = [catalog.mission_document(spec) for spec in catalog.MISSIONS]
        self.rubrics = {catalog.rubric_id(key): catalog.current_rubric(key) for key in catalog.RUBRICS}
        self.names: dict[int, str] = {}
        self.reviews: list[tuple[Any, ...]] = []
        self.files: list[tuple[Any, ...]] = []

    def run(self) -> None:
        self.conn.execute("INSERT INTO meta VALUES ('jwt_secret', ?)", (hashlib.sha256(
            f"och-sandbox-{self.seed}-{self.rng.random()}".encode()).hexdigest(),))
        self.conn.execute("INSERT INTO meta VALUES ('seed', ?)", (str(self.seed),))
        self.conn.execute("INSERT INTO meta VALUES ('scale', ?)", (str(self.scale),))
        self._curriculum()
        self._demo_users()
        learners = self._learners()
        self._assignments_and_reviews(learners)
        self.conn.executemany("INSERT INTO reviews VALUES (" + ",".join("?" * 21) + ")", self.reviews)
        self.conn.executemany("INSERT INTO files VALUES (?,?,?,?,?,?,?,?)", self.files)
        self.conn.executemany("INSERT INTO blobs VALUES (?,?)",
                              [(self.digests[key], e.content) for key, e in self.evidence.items()])
        self._interactions()

    # -- curriculum ---------------------------------------------------------------------------------------
    def _curriculum(self) -> None:
        self.conn.executemany(
            "INSERT INTO tracks VALUES (?,?,?,?,?,?,?)",
            [(code, name, tier, key, "sequential", int(tier == 5), PRIMARY_MENTORS.get(code))
             for code, name, tier, key in catalog.TRACKS])
        self.conn.executemany(
            "INSERT INTO missions VALUES (?,?,?,?,?,?,?)",
            [(m["id"], m["code"], m["track_code"], m["mission_type"], m["title"], dumps(m),
              iso(self.now - timedelta(days=120))) for m in self.missions])
        rows = []
        for key, (_, latest, _) in catalog.RUBRICS.items():
            rows += [(catalog.rubric_id(key), v, dumps(catalog.rubric_document(key, v))) for v in
                     range(1, latest + 1)]
        self.conn.executemany("INSERT INTO rubrics VALUES (?,?,?)", rows)

    # -- people -------------------------------------------------------------------------------------------
    def _user_row(self, user_id: int, email: str, name: str, role: str, password: str | None,
                  track: str | None = None) -> tuple[Any, ...]:
        first, _, last = name.partition(" ")
        self.names[user_id] = name
        created = iso(self.now - timedelta(days=200 - user_id % 90))
        return (user_id, catalog.stable_uuid("user", email), email,
                password_hash(password, email) if password else None, first, last, role,
                int(role == "mentor"), demo_totp_secret() if email.startswith("mfa-") else None, track,
                catalog.stable_uuid("cohort", track) if track else None, created, created)

    def _demo_users(self) -> None:
        rows = [self._user_row(i, a.email, a.name, a.role, a.password, "DEFENDER_5" if a.role == "student"
                               else None) for i, a in enumerate(DEMO_ACCOUNTS, start=1)]
        self.conn.executemany("INSERT INTO users VALUES (" + ",".join("?" * 13) + ")", rows)

    def _learners(self) -> list[tuple[int, str]]:
        """(user id, primary track) per learner; learner 0 is student@demo.och."""
        learners = [(STUDENT, "DEFENDER_5")]
        rows = []
        for index in range(1, LEARNERS_PER_SCALE * self.scale):
            user_id = STUDENT + index
            track = TIER5_TRACKS[index % len(TIER5_TRACKS)]
            name = f"{FIRST[index % len(FIRST)]} {LAST[(index * 7 + index // len(FIRST)) % len(LAST)]}"
            email = f"{name.lower().replace(' ', '.')}{index}@learners.och"
            rows.append(self._user_row(user_id, email, name, "student", None, track))
            learners.append((user_id, track))
        self.conn.executemany("INSERT INTO users VALUES (" + ",".join("?" * 13) + ")", rows)
        return learners

    def _mentors_of(self, index: int) -> list[int]:
        if index == 0:
            return [MENTOR, MENTOR2]
        if index % 3 == 0:
            return [(MENTOR2, MENTOR3, MFA_MENTOR)[(index // 3) % 3]]
        mentors = [MENTOR]
        if index % 5 == 1:
            mentors.append(MENTOR2)
        if index % 5 == 2:
            mentors.append(MENTOR3)
        return mentors

    # -- review items -------------------------------------------------------------------------------------
    def _assignments_and_reviews(self, learners: list[tuple[int, str]]) -> None:
        assignments, progress = [], []
        for index, (learner_id, track) in enumerate(learners):
            mentors = self._mentors_of(index)
            created = iso(self.now - timedelta(days=90))
            for mentor_id in mentors:
                assignments.append((catalog.stable_uuid("assignment", mentor_id, learner_id), mentor_id,
                                    learner_id, "active", "track", track, created, created))
            if index == 3:  # a learner recently moved away from the demo mentor: "assigned": false rows
                moved = iso(self.now - timedelta(hours=2))
                assignments.append((catalog.stable_uuid("assignment", MENTOR, learner_id), MENTOR, learner_id,
                                    "cancelled", "track", track, created, moved))
            ready = index % 10 in (4, 8)
            progress.append((learner_id, track, 3 if ready else self.rng.randint(1, 3), int(index % 10 == 8),
                             MENTOR if index % 10 == 8 else None,
                             iso(self.now - timedelta(days=1)) if index % 10 == 8 else None,
                             "Signed off after the capstone panel." if index % 10 == 8 else None, None))
            tracks = [track, TIER5_TRACKS[(index + 2) % len(TIER5_TRACKS)]]
            for track_code in tracks:
                for mission in (m for m in self.missions if m["track_code"] == track_code):
                    status = "approved" if ready and track_code == track else self._pick_status()
                    if len(mentors) > 1 and mission["mission_type"] == "capstone" and not ready:
                        status = "mentor_review"  # panel material: shared capstones await a scoring meeting
                    self._review(index, learner_id, mentors, mission, status)
        self.conn.executemany("INSERT INTO assignments VALUES (?,?,?,?,?,?,?,?)", assignments)
        self.conn.executemany("INSERT INTO track_progress VALUES (?,?,?,?,?,?,?,?)", progress)

    def _pick_status(self) -> str:
        return self.rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]

    def _scores(self, mission: dict[str, Any], band: tuple[int, ...], subtasks: list[dict[str, Any]]
                ) -> dict[str, dict[str, int]]:
        return {str(s["id"]): {c["id"]: self.rng.choice(band) for c in self.rubrics[s["rubric_id"]]["criteria"]}
                for s in subtasks}

    def _stage(self, name: str, status: str, reviewer: int | None, mission: dict[str, Any],
               scores: dict[str, dict[str, int]] | None, when: datetime | None, decision: str | None,
               feedback: str = "") -> dict[str, Any]:
        result = None
        if scores:
            total, per = scoring.mission_score(mission["subtasks"], self.rubrics, scores, complete=False)
            result = {"subtask_scores": scores, "subtask_results": per, "mission_score": total,
                      "rubric_versions": {s["rubric_id"]: self.rubrics[s["rubric_id"]]["version"]
                                          for s in mission["subtasks"] if str(s["id"]) in scores}}
        return {"name": name, "status": status,
                "reviewer": {"id": reviewer, "name": self.names[reviewer]} if reviewer else None,
                "completed_at": iso(when) if when else None, "scores": result, "decision": decision,
                "feedback_written": feedback}

    def _review(self, index: int, learner_id: int, mentors: list[int], mission: dict[str, Any],
                status: str) -> None:
        rng = self.rng
        review_id = catalog.stable_uuid("review", learner_id, mission["code"])
        capstone = mission["mission_type"] == "capstone"
        stage_names = catalog.CAPSTONE_STAGES if capstone else ("final",)
        decided = status in ("approved", "failed", "revision_requested")
        attempt = rng.choice((1, 1, 2, 3)) if decided or rng.random() < 0.25 else 1
        age_draw = rng.random()  # where the item's age falls in its status's range
        reviewer = mentors[0]
        subtasks = mission["subtasks"]
        band = {"approved": (3, 4), "failed": (0, 1, 2), "revision_requested": (1, 2, 3)}.get(status, (2, 3, 4))

        stage_index = 0
        stages = []
        if decided:
            stage_index = len(stage_names) - 1
        elif status == "mentor_review" and capstone:
            stage_index = rng.randrange(len(stage_names))
        # Reviews so far: one per completed stage, STAGE_HOURS apart, all before now.
        reviewed = stage_index + int(decided)
        if decided:
            low, high = DECIDED_AGE_HOURS
            age = timedelta(hours=low + (high - low) * age_draw)
        else:
            age = max(waiting_age(age_draw), timedelta(hours=STAGE_HOURS * reviewed + 1))
        submitted = self.now - age
        final_scores = self._scores(mission, band, subtasks) if decided else None
        mentor_score = None
        for position, name in enumerate(stage_names):
            when = submitted + timedelta(hours=STAGE_HOURS * (position + 1))
            if position < stage_index or (decided and position == stage_index):
                final = position == len(stage_names) - 1
                partial = subtasks[: max(1, len(subtasks) * (position + 1) // len(stage_names))]
                scores = final_scores if final else self._scores(mission, band, partial)
                decision = {"approved": "approve", "failed": "fail",
                            "revision_requested": "request_revision"}.get(status) if final else None
                stage = self._stage(name, "completed", reviewer, mission, scores, when, decision,
                                    "Thorough, well-evidenced work." if status == "approved" else
                                    "The containment reasoning needs evidence; see the per-subtask notes.")
                if final:
                    mentor_score = stage["scores"]["mission_score"]
            else:
                stage = self._stage(name, "current" if position == stage_index else "pending", None, mission,
                                    None, None, None)
            stages.append(stage)

        history = [{"attempt": n, "status": "revision_requested", "decision": "request_revision",
                    "mentor_score": round(rng.uniform(45, 68), 2),
                    "reviewer": {"id": reviewer, "name": self.names[reviewer]},
                    "feedback_written": "Good start; the timeline and remediation owners are missing.",
                    "decided_at": iso(submitted - timedelta(days=7 * (attempt - n)))}
                   for n in range(1, attempt)]
        ai_score = None if status == "submitted" else round(rng.uniform(55, 95), 1)
        files = self._files(review_id, mission, capstone, index)
        hostile = HOSTILE[index % len(HOSTILE)] if index % 7 == 5 else None
        decisions = {}
        for subtask_key, point in mission["branching_paths"].items():
            choice = rng.choice(point["choices"])["id"]
            decisions[point["decision_id"]] = {"choice_id": choice, "subtask_id": int(subtask_key),
                                               "timestamp": iso(submitted - timedelta(hours=30))}
        data = {
            "subtasks_progress": {str(s["id"]): {
                "completed": True, "completed_at": iso(submitted - timedelta(hours=len(subtasks) - s["id"] + 1)),
                "notes": hostile if hostile and s["id"] == 1 else f"Completed {s['title'].lower()}; evidence "
                                                                  "attached.",
                "evidence": [f[0] for f in files if f[2] == s["id"]]} for s in subtasks},
            "decision_paths": decisions,
            "reflection": (hostile + "\n\n" if hostile else "") + REFLECTIONS[index % len(REFLECTIONS)],
            "reflection_required": True, "reflection_submitted": True,
            "ai_review": None if ai_score is None else {
                "score": ai_score, "strengths": rng.sample(STRENGTHS, 2), "gaps": rng.sample(GAPS, 2),
                "suggestions": rng.sample(SUGGESTIONS, 2)},
            "time_per_stage": {str(s["id"]): rng.randint(45, 400) for s in subtasks},
            "hints_used": [{"subtask_id": 2, "hint_level": 1, "timestamp": iso(submitted - timedelta(hours=20))}]
            if index % 4 == 1 else [],
            "presentation": {"required": capstone, "submitted": capstone,
                             "file_id": next((f[0] for f in files if f[3] == "video"), None)},
            "stages": stages, "history": history,
            "decision_annotations": {}, "feedback_per_subtask": {}, "audio_media_id": None,
            "video_media_id": None, "recommended_recipes": [],
        }
        claimed_by = claimed_at = expires = None
        if status == "mentor_review" and MENTOR in mentors and len(mentors) > 1 and index % 2 == 1:
            claimed_by, claimed_at = mentors[1], iso(self.now - timedelta(minutes=5))
            expires = iso(self.now + timedelta(hours=12))
        updated = submitted + timedelta(hours=STAGE_HOURS * reviewed)
        self.reviews.append((
            review_id, "capstone" if capstone else "mission", mission["id"], learner_id, status,
            {"approved": "pass", "failed": "fail"}.get(status, "pending" if decided else None), stage_index,
            attempt, iso(submitted), ai_score, mentor_score, claimed_by, claimed_at, expires, 1, iso(updated),
            None, None, stages[-1]["feedback_written"] if decided else None,
            iso(updated) if decided else None, dumps(data)))

    def _files(self, review_id: str, mission: dict[str, Any], capstone: bool, index: int
               ) -> list[tuple[Any, ...]]:
        rows = []
        for subtask in mission["subtasks"]:
            keys = {EVIDENCE_FOR_TYPE.get(t, "report") for t in subtask["evidence_schema"]["file_types"]}
            keys.discard("video")
            if subtask["id"] == 2 and index % 5 == 0:
                keys.add("longlog")
            for key in sorted(keys):
                rows.append(self._file_row(review_id, subtask["id"], self.evidence[key], f"s{subtask['id']}"))
        if capstone:
            rows.append(self._file_row(review_id, None, self.evidence["video"], "presentation"))
        self.files += rows
        return rows

    def _file_row(self, review_id: str, subtask_id: int | None, evidence: Evidence, tag: str
                  ) -> tuple[Any, ...]:
        return (catalog.stable_uuid("file", review_id, tag, evidence.key), review_id, subtask_id,
                evidence.file_type, evidence.filename, evidence.content_type, self.digests[evidence.key],
                len(evidence.content))

    def _interactions(self) -> None:
        """A few mission_review interactions, so a layer A client can learn mentees' uuid_ids (as on OCH)."""
        rows = self.conn.execute(
            "SELECT r.mission_id, r.learner_id, u.uuid_id FROM reviews r JOIN users u ON u.id = r.learner_id "
            "JOIN assignments a ON a.mentee_id = r.learner_id AND a.mentor_id = ? AND a.status = 'active' "
            "WHERE r.status = 'mentor_review' ORDER BY r.id LIMIT 5", (MENTOR,)).fetchall()
        mentor_uuid = catalog.stable_uuid("user", DEMO_ACCOUNTS[0].email)
        created = iso(self.now - timedelta(days=1))
        inserts = []
        for mission_id, learner_id, learner_uuid in rows:
            interaction_id = catalog.stable_uuid("interaction", mission_id, learner_id)
            data = {"mentor_id": mentor_uuid, "mentee_id": learner_uuid, "mission_id": mission_id,
                    "capstone_project_id": None, "interaction_type": "mission_review", "phase": "investigation",
                    "status": "in_progress", "review_phase": 1, "total_phases": 1, "written_feedback": "",
                    "feedback_per_subtask": {}, "feedback_per_decision": {}, "audio_feedback_url": None,
                    "video_feedback_url": None, "audio_duration_seconds": None, "video_duration_seconds": None,
                    "rubric_scores": {}, "subtask_scores": {}, "overall_score": None,
                    "is_scoring_meeting": False, "meeting_notes": "", "meeting_duration_minutes": None,
                    "recommended_next_steps": [], "recommended_recipes": [], "scheduled_at": None,
                    "started_at": created, "completed_at": None}
            inserts.append((interaction_id, MENTOR, learner_id, dumps(data), created))
        self.conn.executemany("INSERT INTO interactions VALUES (?,?,?,?,?)", inserts)
