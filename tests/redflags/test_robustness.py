"""The check never crashes and stays fast, whatever a member pastes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.redflags import Level, RedFlagChecker, RedFlagReport
from bot.redflags.checker import MAX_CHECKED_HEAD, MAX_CHECKED_TAIL, capped

ODD_TEXT = st.lists(
    st.one_of(
        st.characters(),  # any code point: control, zero-width, combining marks, any script
        st.sampled_from(list("\u200b\u200d\u202e\ufeff\x00\x07\n\r\t'’-—😂💀🏋️")),
        st.sampled_from(["can't pee ", "numb ", "no ", "my dad ", "? ", "years ago ", "bum "]),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ODD_TEXT, number=st.one_of(st.none(), st.text(max_size=8)))
def test_any_text_gives_a_well_formed_report(
    checker: RedFlagChecker, text: str, number: str | None
) -> None:
    report = checker.check(text, emergency_number=number)
    assert isinstance(report, RedFlagReport)
    assert (report.message is None) is (report.level is Level.NONE)
    data = report.to_dict()
    assert data["level"] in {"none", "soon", "urgent", "emergency"}


def test_empty_and_whitespace_messages_are_clear(checker: RedFlagChecker) -> None:
    for text in ("", " ", "\n\n", "\u200b\u200b", "\x00"):
        assert checker.check(text).level is Level.NONE


def test_a_100_kb_message_still_finds_a_red_flag_at_its_end(checker: RedFlagChecker) -> None:
    # Only the head and the tail of a long paste are read (`capped`), so its cost is bounded;
    # `make bench` measures it against a 2,000-character message.
    filler = "Did my squats today, felt good, then some rows and a bit of core work. " * 1450
    text = filler + "Also since this morning I can't pee at all."
    assert len(text) > 100_000

    assert checker.check(text).level is Level.EMERGENCY


def test_a_long_paste_is_read_as_its_head_and_its_tail() -> None:
    text = "a" * 50_000 + "MIDDLE" + "b" * 50_000

    kept = capped(text)

    assert len(kept) <= MAX_CHECKED_HEAD + MAX_CHECKED_TAIL + 1
    assert kept.startswith("a" * MAX_CHECKED_HEAD) and kept.endswith("b" * MAX_CHECKED_TAIL)
    assert "MIDDLE" not in kept
    assert capped("short message") == "short message"


def test_emoji_and_mixed_scripts_do_not_hide_a_red_flag(checker: RedFlagChecker) -> None:
    text = "😭😭 my bum is numb и я не могу пописать 💀 since my back went 背中が痛い"
    assert checker.check(text).level is Level.EMERGENCY


def test_zero_width_characters_inside_words_do_not_hide_a_red_flag(
    checker: RedFlagChecker,
) -> None:
    assert checker.check("can\u200b't p\u200dee and my back hurts").level is Level.EMERGENCY
