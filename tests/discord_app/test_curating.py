"""Moderators curate from Discord; members cannot, even when a command is visible to them."""

from __future__ import annotations

import json

import pytest

from bot.corpus.records import AnswerRecord
from bot.store.audit import recent_actions
from tests.discord_app.fake_discord import GUILD_ID, Sent
from tests.discord_app.harness import (
    ADMIN,
    CURATOR_ROLE_ID,
    EPHEMERAL,
    MEMBER,
    MEMBER_PERMISSIONS,
    MODERATOR,
    MODERATOR_PERMISSIONS,
    OTHER_MEMBER,
    DiscordHarness,
    Person,
    custom_ids,
    role_payload,
)

GOOD_ADVICE = (
    "For a stiff ankle before squats, do ten slow knee-to-wall rocks per side, then "
    "a goblet squat hold at the bottom for thirty seconds. Elevating the heels on a small "
    "plate also helps while the mobility comes."
)


@pytest.mark.parametrize(
    ("command", "subcommand", "options"),
    [
        ("answer", "add", {}),
        ("answer", "retire", {"answer_id": "hip-flexor-stretching"}),
        ("answer", "show", {"answer_id": "hip-flexor-stretching"}),
        ("corpus", "export", {}),
        ("reindex", None, {}),
        ("unanswered", None, {}),
        ("triage", "stats", {}),
    ],
)
async def test_moderator_commands_refuse_members_even_when_an_admin_made_them_visible(
    harness: DiscordHarness, command: str, subcommand: str | None, options: dict[str, str]
) -> None:
    # Discord delivers the interaction only when the command is visible to the member, so
    # the bot's own check at run time is what stands between members and curation.
    sent = await harness.slash(command, MEMBER, subcommand=subcommand, **options)

    assert sent.body["flags"] & EPHEMERAL
    assert "only moderators" in sent.body["content"].lower()


async def test_managing_messages_in_one_channel_does_not_make_a_moderator(
    harness: DiscordHarness,
) -> None:
    channel_mod = Person(
        940000000000000010,
        "channel_cat",
        MODERATOR_PERMISSIONS,
        guild_permissions=MEMBER_PERMISSIONS,
    )

    sent = await harness.slash(
        "answer", channel_mod, subcommand="show", answer_id="hip-flexor-stretching"
    )

    assert "only moderators" in sent.body["content"].lower()


async def test_members_do_not_see_the_server_settings(harness: DiscordHarness) -> None:
    sent = await harness.slash("triage", MEMBER, subcommand="config")

    assert sent.body["flags"] & EPHEMERAL
    assert "only moderators" in sent.body["content"].lower()
    assert "embeds" not in sent.body or not sent.body["embeds"]


async def test_everyone_cannot_be_the_curator_role(harness: DiscordHarness) -> None:
    from tests.discord_app.fake_discord import GUILD_ID as EVERYONE_ROLE_ID

    role = str(EVERYONE_ROLE_ID)
    sent = await harness.slash(
        "triage",
        ADMIN,
        subcommand="config",
        curator_role=role,
        resolved={"roles": {role: role_payload(EVERYONE_ROLE_ID, "@everyone")}},
    )

    assert "not @everyone" in sent.body["content"]
    assert harness.bot.app.conversation.guild_config(EVERYONE_ROLE_ID).curator_role_id is None


async def test_the_curator_role_counts_as_moderator(harness: DiscordHarness) -> None:
    role = str(CURATOR_ROLE_ID)
    configured = await harness.slash(
        "triage",
        Person(1, "admin", 1 << 5),
        subcommand="config",
        curator_role=role,
        resolved={"roles": {role: role_payload(CURATOR_ROLE_ID, "curators")}},
    )
    assert "embeds" in configured.body, configured.body
    curator = Person(940000000000000009, "curator_cy", roles=(CURATOR_ROLE_ID,))

    sent = await harness.slash(
        "answer", curator, subcommand="show", answer_id="hip-flexor-stretching"
    )

    assert "hip flexor" in sent.body["embeds"][0]["title"].lower()


async def test_a_message_becomes_a_cited_answer(harness: DiscordHarness) -> None:
    target = harness.user_message(GOOD_ADVICE, OTHER_MEMBER)

    modal = await harness.message_command("Add to corpus", target, MODERATOR)
    assert modal.callback_type == 9
    confirm = await harness.submit_modal(
        modal,
        {
            "Title": "Knee-to-wall rocks for stiff ankles in the squat",
            "Tags (comma separated, optional)": "ankles, squat",
        },
        MODERATOR,
    )
    assert "embeds" in confirm.body, confirm.body
    nearest = confirm.body["embeds"][0]["description"]
    assert "Closest existing answers" in nearest
    save = next(i for i in custom_ids(confirm) if i)
    saved = await harness.click(confirm, save, MODERATOR)
    assert "Saved as `knee-to-wall-rocks-for-stiff-ankles-in-the-squat`" in saved.body["content"]

    reindexed = await harness.slash("reindex", MODERATOR)
    await harness.api.wait_for(lambda s: s.method == "PATCH" and "rebuilt" in str(s.json))
    assert reindexed.callback_type == 4
    answer = await harness.slash("ask", question="knee to wall rocks for a stiff ankle in squats?")

    embeds = answer.body["embeds"]
    assert embeds[0]["title"] == "Knee-to-wall rocks for stiff ankles in the squat"
    assert embeds[0]["author"]["name"] == "by Runner_Rae"
    assert embeds[0]["url"].startswith("https://discord.com/channels/")
    actions = [a.action for a in _audit(harness)]
    assert "answer.created" in actions and "index.rebuilt" in actions


async def test_a_6000_character_answer_still_fits_discords_limits(harness: DiscordHarness) -> None:
    long_body = " ".join(["Hinge at the hips and keep the bar close to your shins."] * 110)
    assert len(long_body) > 6000
    record = _save_answer(
        harness, "very-long-deadlift-answer", "Very long deadlift answer", long_body
    )
    harness.bot.app.rebuild_index(str(GUILD_ID))

    sent = await harness.slash("answer", MODERATOR, subcommand="show", answer_id=record)
    asked = await harness.slash("ask", question="hinge at the hips and keep the bar close to shins")

    for reply in (sent, asked):
        embeds = reply.body.get("embeds")
        assert embeds, reply.body
        total = sum(
            len(e.get("title", ""))
            + len(e.get("description", ""))
            + len(e.get("footer", {}).get("text", ""))
            + len(e.get("author", {}).get("name", ""))
            for e in embeds
        )
        assert total <= 6000
        assert all(len(e.get("description", "")) <= 4096 for e in embeds)
        assert all(
            e.get("description", "").endswith("…")
            for e in embeds
            if "Hinge at the hips" in e.get("description", "") and len(e["description"]) > 800
        )


async def test_import_is_all_or_nothing_with_file_and_line(harness: DiscordHarness) -> None:
    good = json.dumps(
        {"id": "calf-raises", "title": "Calf raises", "body": "Do them slowly.", "author": "coach"}
    )
    bad = json.dumps({"id": "no-body", "title": "Missing body", "author": "coach"})
    attachment = _attachment(harness, "answers.jsonl", f"{good}\n{bad}\n")
    harness.api.files["answers.jsonl"] = f"{good}\n{bad}\n".encode()

    sent = await _import(harness, attachment)
    followup = sent

    assert sent.deferred is not None and sent.deferred.callback_type == 5  # thinking
    assert "answers.jsonl:2" in followup.body["content"]
    assert "nothing was imported" in followup.body["content"]
    assert harness.bot.app.curation.export_jsonl(str(GUILD_ID), "test")[1] == 0


async def test_export_sends_the_answers_as_a_file(harness: DiscordHarness) -> None:
    _save_answer(harness, "calf-raises", "Calf raises", "Do them slowly, with a pause at the top.")

    sent = await harness.slash("corpus", MODERATOR, subcommand="export")

    name, data = sent.files[0]
    assert name == f"corpus-{GUILD_ID}.jsonl"
    assert json.loads(data.decode().splitlines()[0])["id"] == "calf-raises"


async def test_unanswered_questions_can_be_answered_from_the_queue(harness: DiscordHarness) -> None:
    for _ in range(2):
        await harness.slash("ask", question="qwzx vlorp frimble gnast")
    await harness.slash("ask", question="plinth zorbo quaggle")

    queue = await harness.slash("unanswered", MODERATOR)
    description = queue.body["embeds"][0]["description"]
    assert description.index("qwzx") < description.index("plinth")
    assert "(2×)" in description
    first = custom_ids(queue)[0]
    modal = await harness.click(queue, first, MODERATOR)

    assert modal.callback_type == 9
    filled = [c for row in modal.body["components"] for c in _walk(row) if c.get("value")]
    assert any(c["value"] == "qwzx vlorp frimble gnast" for c in filled)


async def test_settings_are_changed_by_admins_and_used_in_referrals(
    harness: DiscordHarness,
) -> None:
    admin = Person(940000000000000008, "admin_ada", (1 << 5) | (1 << 13))
    refused = await harness.slash("triage", MODERATOR, subcommand="config", emergency_number="112")
    changed = await harness.slash("triage", admin, subcommand="config", emergency_number="112")
    referral = await harness.slash(
        "ask", question="crushing chest pain when I run that spreads to my left arm"
    )

    assert "manage server" in refused.body["content"].lower()
    assert any(f["value"] == "112" for f in changed.body["embeds"][0]["fields"])
    assert "112" in referral.body["embeds"][0]["description"]


async def test_an_attachment_over_the_size_limit_is_refused_before_it_is_downloaded(
    harness: DiscordHarness,
) -> None:
    attachment = {**_attachment(harness, "huge.jsonl", ""), "size": 40_000_000}

    sent = await _import(harness, attachment)

    assert sent.body["flags"] & EPHEMERAL
    assert "huge.jsonl is 40.0 MB; files up to 5 MB" in sent.body["content"]
    assert not harness.api.matching(lambda s: s.path.startswith("/attachments/"))


async def test_stats_show_figures_and_a_chart(harness: DiscordHarness) -> None:
    await harness.slash("ask", question="my hip flexors are tight from sitting at a desk")

    followup = await harness.slash("triage", MODERATOR, subcommand="stats")

    fields = {f["name"]: f["value"] for f in followup.body["embeds"][0]["fields"]}
    assert fields["Questions"] == "1"
    assert fields["Top unanswered this week"] == "none"  # the one question was answered
    name, data = followup.files[0]
    assert name == "questions-per-day.png" and data.startswith(b"\x89PNG")


def _save_answer(
    harness: DiscordHarness,
    answer_id: str,
    title: str,
    body: str,
    also_asked: tuple[str, ...] = (),
) -> str:
    draft = AnswerRecord(
        id=answer_id, title=title, body=body, author="coach", also_asked=also_asked
    )
    record = harness.bot.app.curation.add(str(GUILD_ID), draft, "test")
    return record.id


def _audit(harness: DiscordHarness) -> list:  # type: ignore[type-arg]
    with harness.bot.app.database.session() as session:
        return list(recent_actions(session, str(GUILD_ID)))


def _attachment(harness: DiscordHarness, filename: str, text: str) -> dict[str, object]:
    attachment_id = str(harness.next_id())
    return {
        "id": attachment_id,
        "filename": filename,
        "size": len(text.encode()),
        "url": f"{harness.api.base_url}/attachments/{filename}",
        "proxy_url": f"{harness.api.base_url}/attachments/{filename}",
        "content_type": "application/jsonl",
    }


async def _import(harness: DiscordHarness, attachment: dict[str, object]) -> Sent:
    """A moderator runs /corpus import with `attachment`."""
    return await harness.slash(
        "corpus",
        MODERATOR,
        subcommand="import",
        file=attachment["id"],
        resolved={"attachments": {attachment["id"]: attachment}},
    )


def _walk(component: dict) -> list[dict]:  # type: ignore[type-arg]
    children = component.get("components") or (
        [component["component"]] if "component" in component else []
    )
    return [component, *[c for child in children for c in _walk(child)]]


async def test_edit_retire_and_history_of_a_server_answer(harness: DiscordHarness) -> None:
    answer_id = _save_answer(harness, "calf-raises", "Calf raises", "Do them slowly.")

    modal = await harness.slash("answer", MODERATOR, subcommand="edit", answer_id=answer_id)
    edited = await harness.submit_modal(
        modal, {"Answer": "Do them slowly, pausing for a second at the top."}, MODERATOR
    )
    retired = await harness.slash("answer", MODERATOR, subcommand="retire", answer_id=answer_id)
    history = await harness.slash("answer", MODERATOR, subcommand="history", answer_id=answer_id)

    assert "updated" in edited.body["content"]
    assert "retired" in retired.body["content"]
    lines = history.body["embeds"][0]["description"].splitlines()
    assert len(lines) == 3
    assert "mod_mo" in lines[1] and "retired" in lines[2]


async def test_an_answer_too_long_for_the_form_is_not_opened_in_it(
    harness: DiscordHarness,
) -> None:
    body = " ".join(["Slow calf raises, three sets of fifteen."] * 150)  # 6,149 characters
    answer_id = _save_answer(harness, "calf-raises", "Calf raises", body)

    refused = await harness.slash("answer", MODERATOR, subcommand="edit", answer_id=answer_id)

    assert refused.body["flags"] & EPHEMERAL
    assert "answer 6,149 of 4,000" in refused.body["content"]
    assert "/corpus export" in refused.body["content"]
    assert harness.bot.app.curation.show([str(GUILD_ID)], answer_id).record.body == body


async def test_editing_an_answer_keeps_the_other_ways_it_is_asked_and_show_lists_them(
    harness: DiscordHarness,
) -> None:
    asked = ("calves burn on stairs", "how to strengthen my calves for running")
    answer_id = _save_answer(harness, "calf-raises", "Calf raises", "Do them slowly.", asked)

    modal = await harness.slash("answer", MODERATOR, subcommand="edit", answer_id=answer_id)
    prefilled = {
        c["label"]: c.get("value")
        for row in modal.body["components"]
        for c in _walk(row)
        if "label" in c
    }
    await harness.submit_modal(modal, {"Answer": "Do them slowly, with a pause."}, MODERATOR)
    shown = await harness.slash("answer", MODERATOR, subcommand="show", answer_id=answer_id)

    assert prefilled["Other ways members ask it (one per line)"] == "\n".join(asked)
    stored = harness.bot.app.curation.show([str(GUILD_ID)], answer_id)
    assert stored.record.also_asked == asked
    assert stored.record.body == "Do them slowly, with a pause."
    fields = {f["name"]: f["value"] for f in shown.body["embeds"][0]["fields"]}
    assert (
        fields["Also asked as"]
        == "• calves burn on stairs\n• how to strengthen my calves for running"
    )
