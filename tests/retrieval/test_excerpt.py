"""The excerpt quotes the matching part of the passage with its sentences in bold."""

from __future__ import annotations

from bot.retrieval.excerpt import make_excerpt
from bot.retrieval.keyword import KeywordIndex

PASSAGE = (
    "Start every session with five minutes of easy cycling. "
    "For a tight lower back, do cat-camel and bird dogs before you squat. "
    "Then ramp up the bar weight in four or five sets."
)
KEYWORDS = KeywordIndex.build([PASSAGE, "Protein per day.", "Shin splints and running."])


def test_the_sentences_sharing_the_questions_words_are_wrapped_in_bold() -> None:
    excerpt = make_excerpt(PASSAGE, "tight lower back when squatting", KEYWORDS)

    assert "**For a tight lower back, do cat-camel and bird dogs before you squat.**" in (
        excerpt.text
    )
    assert excerpt.text.count("**") == 2
    assert excerpt.highlights == (
        "For a tight lower back, do cat-camel and bird dogs before you squat.",
    )


def test_nothing_is_marked_when_no_sentence_matches_and_no_scorer_is_given() -> None:
    excerpt = make_excerpt(PASSAGE, "protein shake", KEYWORDS)

    assert excerpt.highlights == ()
    assert "**" not in excerpt.text
    assert excerpt.text == PASSAGE


def test_a_sentence_scorer_picks_the_closest_sentence_when_no_word_is_shared() -> None:
    def closest_to_warm_up(sentences: list[str]) -> list[float]:
        return [0.9 if "cycling" in s else 0.1 for s in sentences]

    excerpt = make_excerpt(
        PASSAGE, "how to get loose first", KEYWORDS, sentence_scorer=closest_to_warm_up
    )

    assert excerpt.text.startswith("**Start every session with five minutes of easy cycling.**")


def test_list_items_keep_their_bullet_outside_the_bold() -> None:
    passage = "Cues that help:\n- Brace before you pull\n- Keep the bar close to your shins"

    excerpt = make_excerpt(passage, "bar close to shins", KEYWORDS)

    assert "- **Keep the bar close to your shins**" in excerpt.text
    assert excerpt.text.startswith("Cues that help:\n- Brace")


def test_a_long_passage_is_cut_around_the_match_with_ellipses() -> None:
    filler = " ".join(f"Filler sentence number {n} about nothing much." for n in range(30))
    passage = f"{filler} The hip flexor stretch takes thirty seconds a side. {filler}"

    excerpt = make_excerpt(passage, "hip flexor stretch", KEYWORDS, max_chars=200)

    assert excerpt.text.startswith("… ")
    assert excerpt.text.endswith(" …")
    assert "**The hip flexor stretch takes thirty seconds a side.**" in excerpt.text
    assert len(excerpt.text) <= 200 + 10
