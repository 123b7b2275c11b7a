"""Signing out: the stored session is forgotten and revoked, local work is never deleted, and unsynced work is
announced first with an export offered."""

from __future__ import annotations

import json

from mentor_desk.api.client import PlatformClient
from mentor_desk.app import AppShell
from mentor_desk.domain.draft import ReviewDraft
from mentor_desk.store.store import Store

EMAIL = "mentor@demo.och"


def open_signed_in(shell: AppShell, sandbox, run, until):  # type: ignore[no-untyped-def]
    client = PlatformClient(sandbox.url)
    run(client.login(EMAIL, "mentor-demo"))
    run(shell.open_account(client, EMAIL, run(client.me())))
    window = shell.window
    assert window is not None
    until(lambda: window.model.rowCount() > 0 and not window._refreshing)
    return client, window


def test_sign_out_with_a_draft_warns_exports_and_keeps_the_draft(shell: AppShell, sandbox, run, until) -> None:
    client, window = open_signed_in(shell, sandbox, run, until)
    review_id = window.model.item(0).id
    store = shell.account.store
    run(store.save_draft(review_id, "review", ReviewDraft(feedback_written="half-written feedback")))
    database = store.path
    signing_out = shell.spawn(shell.sign_out())
    until(lambda: window.sign_out_box is not None and window.sign_out_box.isVisible())
    box = window.sign_out_box
    assert box.text().startswith("1 draft has not reached the platform yet.")
    export_button = next(b for b in box.buttons() if b.text().startswith("Export"))
    export_button.click()
    until(signing_out.done)
    export = signing_out.result()
    assert export is not None and export.exists()
    assert [d["review_id"] for d in json.loads(export.read_text())["drafts"]] == [review_id]
    assert shell.window is None and shell.sign_in is not None and shell.sign_in.isVisible()
    assert shell.sign_in.server == sandbox.url
    assert client.session is None, "the session was revoked and forgotten"
    assert run(shell.vault.load(sandbox.url, EMAIL)) is None
    again = run(Store.open(sandbox.url, EMAIL, data_dir=shell.paths.data_dir))
    try:
        draft = run(again.draft(review_id, "review"))
        assert draft is not None and draft.draft.feedback_written == "half-written feedback", "the draft survives"
    finally:
        run(again.close())
    assert database.exists()


def test_cancelling_the_warning_keeps_the_mentor_signed_in(shell: AppShell, sandbox, run, until) -> None:
    client, window = open_signed_in(shell, sandbox, run, until)
    run(shell.account.store.save_draft(window.model.item(0).id, "review", ReviewDraft(feedback_written="x")))
    signing_out = shell.spawn(shell.sign_out())
    until(lambda: window.sign_out_box is not None and window.sign_out_box.isVisible())
    window.sign_out_box.reject()
    until(signing_out.done)
    assert signing_out.result() is None
    assert shell.window is window and client.session is not None and shell.sign_in is None


def test_sign_out_without_unsynced_work_asks_nothing(shell: AppShell, sandbox, run, until) -> None:
    client, window = open_signed_in(shell, sandbox, run, until)
    window.actions_by_name["sign_out"].trigger()
    until(lambda: shell.sign_in is not None and shell.sign_in.isVisible())
    assert window.sign_out_box is None and shell.window is None and client.session is None
