<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>BoardModel</name>
    <message>
        <source>Learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capstone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reflections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rubric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mentor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closeness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-off pending confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke pending confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given by {mentor}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for sign-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing: mastery complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only your approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source> points from the median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flag scores more than</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement — Krippendorff&apos;s α, interval (points): {interval} · ordinal (levels): {ordinal}. Reading: ≥ 0.800 good, ≥ 0.667 tentative, below: discuss.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subtask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>α (criterion)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than {points} points from the median</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>≠ differs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not read from the server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores per criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score: {subtask} / {criterion}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment on {subtask}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Annotation: {decision}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where each version stands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mission score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt {attempt} (history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve a conflict — mentor_desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{review}
changed on the server while your review waited to be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows marked “{differs}” are not the same on both sides. Keep mine, take the server&apos;s version, or merge: choose per field in the last column.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s details could not be read: {error}
Only where it stands is shown below. Merging needs the details: try again when the platform can be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your review beside the server&apos;s, field by field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine (not sent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge uses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send my review again, against the server&apos;s new version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Take theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop my review (a copy is exported to a file first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send my review with the fields chosen in “{merge_uses}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge uses for {field}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both: my text, then the server&apos;s, one after the other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsensusEditor</name>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median of the panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean of the panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from the</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subtask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consensus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback for the learner (required to request a revision or fail)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The meeting&apos;s notes (kept in the meeting record, not sent to the learner)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the consensus (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The consensus cannot be scored: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consensus mission score {score} / 100: passes ({pass_line}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consensus mission score {score} / 100: is below the pass line ({pass_line}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the feedback for the learner: a revision or a fail needs it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InRoomMeeting</name>
    <message>
        <source>In-room meeting — {mission} ({learner})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who scores, in order (names separated by commas):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who scores, in order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names separated by commas; Enter starts the scoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Maya, Lena, Arjun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start scoring (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal everyone&apos;s scores (Ctrl+Shift+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone has scored. The lead reveals the scores when the panel is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scored: {members}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{member}&apos;s turn. Everyone else, please look away. (Scored so far: {done}.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revealed: compare, agree, then save the consensus (Ctrl+S).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The consensus could not be queued: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The consensus is in the outbox as the review; it is sent as soon as the platform answers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>◀ &amp;Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next unreviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous unreviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open the selected review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work &amp;offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline &amp;budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the &amp;outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tier-5 board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Meetings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign o&amp;ut…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⟳ Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Working offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier-5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing waiting to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews copied for offline work and their disk budget (Ctrl+Shift+B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the outbox (Ctrl+Shift+S) to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO practice platform (not OCH)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>({count} new) </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} waiting to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{conflicts} to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts — queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} new review(s) in your queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has ended: sign in again to sync. You can keep working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline copies: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: {reviews} · {used} of {budget} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk space for offline copies of your queue&apos;s evidence, in MB.
Now: {now}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing copied yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not claim the review: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed by another mentor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This review is claimed by {holder}, who may be reviewing it right now.

Open it anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They stay on this computer and are sent after you sign in again as this mentor. You can also export a copy to a file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export a copy, then sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the meetings…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MasteryDialog</name>
    <message>
        <source>Mission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores by attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off the ideal path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subtask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mastery record — {learner}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores per criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the mastery record as {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} could not be written: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written: {file}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MeetingView</name>
    <message>
        <source>Panel member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scores handed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal everyone&apos;s scores (Ctrl+Shift+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} · {handed_in} of {panel} handed in · lead {lead}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your scores were not accepted: {error} Open the outbox (Ctrl+Shift+S) to keep yours or take the server&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the meeting moved on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your scores are handed in and waiting to be sent: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your scores are handed in and waiting to be sent (they go as soon as the platform answers).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your scores could not be kept: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your scores are handed in (they are sent as soon as the platform answers). Nobody sees them before the reveal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: consensus {decision}, mission score {score}; the learner&apos;s review carries it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MeetingsPage</name>
    <message>
        <source>Scoring (blind)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revealed: compare and agree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live: changes appear as they happen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The platform sends no live updates: checking every few seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: the platform cannot be reached; what you score is kept and sent later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New meeting… (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a meeting, or set up a new one (Ctrl+N).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server has no scoring meetings (OCH v1): hold one in the room, on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} · {handed_in}/{panel} handed in · review {review}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MissingTree</name>
    <message>
        <source>What is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter opens the review that blocks the selected item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter opens this review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is missing but your approval.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModeBanner</name>
    <message>
        <source>Full Tier-5 review API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCH v1 compatibility mode — no rubrics from the server, no decision paths, no evidence files, no claims, no Tier-5 approval; reviews are sent as a decision + written feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working offline — showing the queue saved on this computer; reviews wait in the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO — a practice platform on this computer with made-up learners. Nothing you review here reaches OCH; sign out to sign in to your real server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Font size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rubric shipped with mentor_desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rubric file (OCH v1 compatibility mode):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rubric file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rubrics (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell me when new reviews arrive while the window is minimised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set MENTOR_DESK_DATA_DIR before starting mentor_desk to use another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an action; Tab moves to its new keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;set to default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;No keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an action, press Tab, then press its new keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;keys:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust the certificates installed on this computer (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses the operating system&apos;s trust store, so a CA your organisation installed is trusted. Unticked, only the certificates shipped with mentor_desk are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra &amp;CA bundle (PEM):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: connections go directly to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy (from the environment):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection settings apply from the next sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{keys} is already used by “{action}”: choose other keys, or change that action first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{action}” is now {keys}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresenterWindow</name>
    <message>
        <source>Presenting {learner}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No scores to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scores}
Median {median} · mean {mean} · spread {spread}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole panel — points (interval): {interval} · levels (ordinal): {ordinal}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Mission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time since submission: amber and ⚠ after 24 h, red and ⚠ after 48 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage {index} of {total}: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server status: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting over 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting over 48 h</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueTable</name>
    <message>
        <source>Under 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24–48 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over 48 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved views (counts are live)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by mission, learner, track, status or flag (“claimed by …”, “draft”); Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words, flags or “claimed by …”; Down or Enter moves on to the table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by mission, learner, track, status, flag…  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows matching the filter; Esc goes back to the view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the current filters as a named view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter opens the review; J and K move to the next and previous unreviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} of {total} match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} matching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · {count} more elsewhere in the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading {count} reviews…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reviews here yet.
Press F5 to fetch the queue from the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of the {count} reviews match these filters.
Change the filters or choose “{everything}” in the views list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of this view:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(single stage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(nothing to choose yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue (over 48 h)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RevealPanel</name>
    <message>
        <source>Present (Ctrl+Shift+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Projector:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record could not be written to {file}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meeting record written to {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the meeting record</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SavedViews</name>
    <message>
        <source>“{name}” cannot be used as a view name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScoringPane</name>
    <message>
        <source>Scoring as {member} — nobody sees these scores before the reveal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your comment for the panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand in my scores (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score at least one criterion first (digits pick a level).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>New scoring meeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other mentors&apos; user ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other mentors&apos; user ids, e.g. 12, 15</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blind: nobody sees another&apos;s scores before the reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the room, on this computer (members score in turn)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capstone or review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no review to meet about in your queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a user id: {text}. Type numbers separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one panel member.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>This address uses plain http:// and is not on this computer: your password and reviews would travel unencrypted. Use the https:// address, or tick the box below if you trust this network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again — mentor_desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in — mentor_desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to OCH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password to continue where you left off. Nothing you were doing has been lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review Tier-5 mastery missions. Your drafts stay on this computer until they are sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The platform&apos;s address (remembered servers are in the list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification &amp;code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 digits from your authenticator app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow an unencrypted connection to this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep me signed in on this computer (stored unencrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keyring is available. The session is saved in a file only your account can read, but not encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a local practice platform with sample submissions and sign in to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the queue and drafts saved on this computer; sync resumes later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;references…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme, font size and how HTTPS servers are trusted (Ctrl+,)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example https://och.example.org.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the email address you sign in to OCH with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the verification code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can work offline on the reviews saved on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <source>{mark}  Mandatory modules: {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not given yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>given by {mentor}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{mark}  Mentor approval (required): {given}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{mark}  Mentor approval: not required on this track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion: {percent} %, mastery complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion: {percent} %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the Tier-5 approval of {learner}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the Tier-5 approval of {learner} on {track}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign off Tier-5 mastery for {learner}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign off Tier-5 mastery for {learner} on {track}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-off is possible once everything but the approval holds. Still missing: {missing}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment (required; the platform keeps it with the revoke):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment (required; the platform keeps it with the sign-off):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the approval is taken back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the mentor panel saw, for the learner&apos;s record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflict — needs you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not accepted — needs you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox — Esc or Ctrl+Shift+S closes it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox: reviews waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing waiting: every submitted review has reached the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve conflict…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review could not be sent again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The conflict could not be resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review could not be discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard this review?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your review of {review} has not reached the server. Discard it?

A copy is saved to a file first, so nothing is lost for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review discarded; a copy was saved to {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took the server&apos;s version; your review was saved to {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your review will be sent again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tier5Board</name>
    <message>
        <source>Not pulled from the platform yet on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier-5 learners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter opens the review that blocks the learner; Ctrl+Enter signs off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Track:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;eadiness:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for my sign-off (R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign off… (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is missing (Enter opens the review that blocks it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Tier-5 board could not be refreshed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} of {total} learners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total} learners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No learner selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No learners to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No review of {learner} blocks their Tier-5 completion on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the mastery record of {learner}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mastery record could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-off for {learner} queued: pending confirmation by the platform.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke for {learner} queued: pending confirmation by the platform.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier-5 sign-off — {learner} ({track})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier-5 sign-off — learner {learner} ({track})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All learners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for my sign-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending confirmation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UploadProgress</name>
    <message>
        <source>Upload progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel upload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop uploading; retry it in the outbox (Ctrl+Shift+S) to continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} recordings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading {what}: {sent} of {total} MB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
