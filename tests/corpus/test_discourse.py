"""A Discourse topic becomes cited answers: one per reply, in clean Markdown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.corpus.discourse import (
    load_discourse_topic,
    looks_like_discourse_topic,
    records_from_discourse_topic,
)
from bot.corpus.records import ID_PATTERN, AnswerRecord
from bot.errors import CorpusError

FIXTURE = Path(__file__).parent / "data" / "discourse_topic_tight_l3.json"
FORUM = "https://forum.example.org/"
SLUG = "tight-l3-warm-ups-stretches-and-prehab"


@pytest.fixture
def topic() -> dict[str, Any]:
    """A fresh copy of the saved topic, safe to change in a test."""
    return load_discourse_topic(FIXTURE)


def answers(topic: dict[str, Any], **options: Any) -> dict[int, AnswerRecord]:
    """The answers by post number."""
    records = records_from_discourse_topic(topic, forum_url=FORUM, **options)
    return {int(r.source_url.rsplit("/", 1)[1]): r for r in records if r.source_url}


def post(topic: dict[str, Any], number: int) -> dict[str, Any]:
    return next(p for p in topic["post_stream"]["posts"] if p["post_number"] == number)


def test_every_reply_with_text_becomes_an_answer_but_not_the_question_deleted_post_or_closing_note(
    topic: dict[str, Any],
) -> None:
    by_number = answers(topic)

    assert list(by_number) == [2, 3, 4, 6]
    assert [r.author for r in by_number.values()] == [
        "coach_marta",
        "hinge_not_hunch",
        "glute_activator",
        "deskbound_physio",
    ]


def test_each_answer_links_to_its_post_and_has_a_stable_valid_id(topic: dict[str, Any]) -> None:
    records = records_from_discourse_topic(topic, forum_url=FORUM)

    assert [r.source_url for r in records] == [
        f"https://forum.example.org/t/{SLUG}/1042/{n}" for n in (2, 3, 4, 6)
    ]
    assert [r.id for r in records] == [f"{SLUG}-{n}" for n in (2, 3, 4, 6)]
    assert records == records_from_discourse_topic(load_discourse_topic(FIXTURE), forum_url=FORUM)
    for record in records:
        assert ID_PATTERN.match(record.id)
        assert record.body.strip()
        assert record.origin is not None and record.origin.path == "topic.json"


def test_titles_stay_distinguishable_by_naming_the_replier_and_the_post(
    topic: dict[str, Any],
) -> None:
    by_number = answers(topic)

    assert (
        by_number[2].title == "Tight L3: warm-ups, stretches and prehab — reply by coach_marta (#2)"
    )
    assert len({r.title for r in by_number.values()}) == len(by_number)


def test_the_opening_post_is_every_answers_question_in_markdown(topic: dict[str, Any]) -> None:
    question = answers(topic)[3].question

    assert question is not None
    assert question.startswith("I’ve got what my physio calls a “tight L3”")
    assert "1. a warm-up I can do on the touchline in ten minutes\n" in question
    assert "3. some *prehab* I can do at my desk during the week" in question


def test_a_long_opening_post_is_cut_at_a_sentence_end_with_an_ellipsis(
    topic: dict[str, Any],
) -> None:
    sentence = "My back locks up after every match and the desk makes it worse. "
    post(topic, 1)["cooked"] = f"<p>{sentence * 40}</p>"

    question = answers(topic)[2].question

    assert question is not None
    assert 500 <= len(question) <= 1000
    assert question.endswith("makes it worse. …")


def test_tags_are_the_topics_plus_the_given_ones_slugified_without_repeats(
    topic: dict[str, Any],
) -> None:
    records = records_from_discourse_topic(
        topic, forum_url=FORUM, tags=["Football", "Old Forum", "!!"]
    )

    assert records[0].tags == ("lower-back", "desk-job", "football", "old-forum")


def test_tags_given_as_objects_by_newer_discourse_versions_are_read_too(
    topic: dict[str, Any],
) -> None:
    topic["tags"] = [{"id": 3, "name": "Lower Back", "slug": "lower-back"}, {"name": "prehab"}]

    assert answers(topic)[2].tags == ("lower-back", "prehab")


def test_posts_picks_those_post_numbers_in_topic_order(topic: dict[str, Any]) -> None:
    assert list(answers(topic, posts={6, 2})) == [2, 6]


def test_the_opening_post_can_be_picked_and_is_then_its_own_answer(
    topic: dict[str, Any],
) -> None:
    opening = answers(topic, posts=[1])[1]

    assert opening.id == f"{SLUG}-1"
    assert opening.author == "tight_l3_tom"
    assert opening.title.endswith("— opening post by tight_l3_tom (#1)")
    assert opening.question is None
    assert opening.body.startswith("I’ve got what my physio calls")


def test_an_unknown_post_number_is_named_with_the_post_numbers_available(
    topic: dict[str, Any],
) -> None:
    with pytest.raises(CorpusError) as caught:
        records_from_discourse_topic(topic, forum_url=FORUM, posts={2, 9}, source="tight.json")

    assert str(caught.value) == "tight.json: no post 9 in this topic (it has posts 1-7)"


def test_an_unknown_post_number_in_a_partial_download_says_how_to_get_every_post(
    topic: dict[str, Any],
) -> None:
    topic["post_stream"]["stream"].extend([5051, 5052])

    with pytest.raises(CorpusError, match=r"holds 7 of 9 posts.*\?print=true"):
        records_from_discourse_topic(topic, forum_url=FORUM, posts={9})


@pytest.mark.parametrize(
    ("number", "reason"), [(5, "post 5 is deleted"), (7, "post 7 is a small action")]
)
def test_picking_a_deleted_post_or_a_moderator_note_is_an_error(
    topic: dict[str, Any], number: int, reason: str
) -> None:
    with pytest.raises(CorpusError, match=reason):
        records_from_discourse_topic(topic, forum_url=FORUM, posts={number})


@pytest.mark.parametrize(
    "change",
    [{"hidden": True}, {"post_type": 4}, {"post_type": 2}],
    ids=["hidden", "whisper", "mod"],
)
def test_hidden_posts_whispers_and_moderator_actions_are_left_out(
    topic: dict[str, Any], change: dict[str, Any]
) -> None:
    post(topic, 3).update(change)

    assert list(answers(topic)) == [2, 4, 6]


def test_a_post_with_no_text_after_conversion_is_skipped_but_an_error_when_picked(
    topic: dict[str, Any],
) -> None:
    post(topic, 3)["cooked"] = '<p> </p>\n<div class="quote-controls"></div>'

    assert list(answers(topic)) == [2, 4, 6]
    with pytest.raises(CorpusError, match="post 3 has no text"):
        records_from_discourse_topic(topic, forum_url=FORUM, posts={3})


def test_a_quote_becomes_a_blockquote_with_its_attribution(topic: dict[str, Any]) -> None:
    body = answers(topic)[2].body

    assert body.startswith(
        "> tight_l3_tom said:\n"
        ">\n"
        "> a warm-up I can do on the touchline in ten minutes\n"
        "\n"
        "Ten minutes is plenty."
    )
    assert "avatar" not in body and "user_avatar" not in body


def test_headings_are_atx_and_bullets_are_dashes(topic: dict[str, Any]) -> None:
    body = answers(topic)[2].body

    assert "\n## Touchline warm-up\n\n- **Cat-camel**, 10 slow reps" in body
    assert "\n- **Leg swings**, 10 each way, holding the fence\n" in body


def test_a_onebox_preview_becomes_just_its_link(topic: dict[str, Any]) -> None:
    body = answers(topic)[3].body

    assert (
        "culprit:\n\n"
        "[Why desk workers have angry hip flexors]"
        "(https://www.example.org/articles/desk-workers-hip-flexors)\n\n"
        "Then my"
    ) in body
    assert "favicon" not in body and "Eight hours in a chair" not in body


def test_links_to_the_forum_are_made_absolute(topic: dict[str, Any]) -> None:
    by_number = answers(topic)

    assert (
        "[this thread](https://forum.example.org/t/half-kneeling-hip-flexor-stretch-form-check/877)"
        in by_number[3].body
    )
    assert (
        "[bridge-plan.pdf](https://forum.example.org/uploads/default/original/2X/c/c44b1d2e.pdf)"
        in by_number[4].body
    )


def test_links_keep_the_forums_subfolder_without_doubling_it(topic: dict[str, Any]) -> None:
    post(topic, 3)["cooked"] = '<p>See <a href="/community/t/hips/877">hips</a>.</p>'

    record = records_from_discourse_topic(
        topic, forum_url="https://example.org/community", posts={3}
    )[0]

    assert record.body == "See [hips](https://example.org/community/t/hips/877)."
    assert record.source_url == f"https://example.org/community/t/{SLUG}/1042/3"


def test_a_lightbox_becomes_the_full_size_image_without_its_caption_junk(
    topic: dict[str, Any],
) -> None:
    body = answers(topic)[4].body

    assert (
        "think:\n\n"
        "![glute_bridge_feet](https://forum.example.org/uploads/default/original/2X/7/7a1c9e0b3f.jpeg)"
        "\n\n3 × 12"
    ) in body
    for junk in ("optimized", "148 KB", "glute_bridge_feet.jpeg", "srcset"):
        assert junk not in body


def test_mentions_and_emoji_become_plain_text(topic: dict[str, Any]) -> None:
    body = answers(topic)[6].body

    assert body.startswith("Agree with @coach_marta on the hips :+1:. One caveat")
    assert body.endswith("build up the bridges slowly :muscle:")
    assert "emoji.discourse-cdn.com" not in body


def test_underscores_inside_words_are_not_escaped_but_emphasis_like_ones_are(
    topic: dict[str, Any],
) -> None:
    post(topic, 3)["cooked"] += "<p>Not _optional_ though.</p>"

    body = answers(topic)[3].body

    assert "my desk_reset routine" in body
    assert "Not \\_optional\\_ though." in body


def test_line_breaks_blank_lines_and_trailing_spaces_are_tidied(topic: dict[str, Any]) -> None:
    post(topic, 3)["cooked"] = (
        "<p>Bridges  <br>\nthen planks</p><p></p><p></p><div><p>Done.</p></div>"
    )

    assert answers(topic)[3].body == "Bridges\nthen planks\n\nDone."


def test_a_malformed_json_file_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "topic.json"
    path.write_text('{\n  "title": "Tight L3",\n  "post_stream": {"posts": [}\n}\n')

    with pytest.raises(CorpusError) as caught:
        load_discourse_topic(path)

    assert str(caught.value).startswith(f"{path}:3:")
    assert "malformed JSON" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        [{"id": "windmills", "title": "Windmills"}],
        {"id": 1042, "title": "Tight L3"},
        {"post_stream": {"posts": []}},
    ],
    ids=["a-list", "no-post-stream", "no-title"],
)
def test_json_that_is_not_a_topic_is_reported_with_what_to_download(
    tmp_path: Path, data: object
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CorpusError, match=r"not a Discourse topic.*/t/<id>\.json") as caught:
        load_discourse_topic(path)

    assert caught.value.location == f"{path}:1"
    assert not looks_like_discourse_topic(data)


def test_a_saved_topic_looks_like_a_discourse_topic(topic: dict[str, Any]) -> None:
    assert looks_like_discourse_topic(topic)
