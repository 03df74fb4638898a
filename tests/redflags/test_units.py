"""The units the learned detector scores: sentences, neighbouring pairs, word windows of
run-on text, and a short message whole; never more than MAX_UNITS."""

from __future__ import annotations

from bot.redflags.text import NormalisedText
from bot.redflags.units import MAX_UNITS, WINDOW_WORDS, split_units


def texts(message: str) -> list[str]:
    return [unit.text for unit in split_units(NormalisedText(message))]


def test_a_one_sentence_message_is_one_unit() -> None:
    assert texts("My lower back is tight after deadlifts.") == [
        "My lower back is tight after deadlifts."
    ]


def test_sentences_are_scored_alone_in_pairs_and_a_short_message_whole() -> None:
    units = texts("Back went on Saturday. Now I can't feel the loo roll. Is that normal?")

    assert "Now I can't feel the loo roll." in units
    assert "Back went on Saturday. Now I can't feel the loo roll." in units
    assert units[-1] == "Back went on Saturday. Now I can't feel the loo roll. Is that normal?"


def test_a_long_post_is_not_scored_whole() -> None:
    story = " ".join(f"Week {n} I squatted more and felt fine about it all." for n in range(12))

    assert story not in texts(story)


def test_a_run_on_paste_is_cut_into_overlapping_windows() -> None:
    words = [f"w{n}" for n in range(100)]

    units = texts(" ".join(words))

    assert all(len(unit.split()) <= WINDOW_WORDS for unit in units)
    assert units[0].split()[0] == "w0"
    assert any("w99" in unit for unit in units)


def test_the_number_of_units_is_bounded() -> None:
    paste = "Did some rows and core. " * 5000

    assert len(texts(paste)) <= MAX_UNITS


def test_units_quote_the_members_own_words() -> None:
    assert texts("I CAN'T feel my feet!!") == ["I CAN'T feel my feet!!"]


def test_empty_and_one_word_messages() -> None:
    assert texts("") == []
    assert texts("help") == ["help"]
