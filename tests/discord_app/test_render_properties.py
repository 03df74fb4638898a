"""Whatever text an answer or a question holds, the reply fits Discord and pings no one."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord_app.embeds import (
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
    TOTAL_LIMIT,
    embed_total,
    result_embeds,
)
from bot.redflags import RedFlagChecker
from bot.retrieval.retriever import RetrievedAnswer
from bot.triage import TriageResult

HOSTILE = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<@&987654321098765432>",
        "**",
        "`",
        "\u200b",
        "\u202e",
        "\x00",
        "\n\n",
        "# ",
        "> ",
        "||",
        "[link](javascript:alert(1))",
        "ﷺ",
        "🏋️",
        "Ж",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=200), HOSTILE), max_size=30).map("".join)
LONG_TEXT = st.one_of(TEXT, st.integers(1_000, 100_000).map(lambda n: "word " * (n // 5)))


def answer(title: str, excerpt: str, author: str, url: str) -> RetrievedAnswer:
    return RetrievedAnswer(
        id="some-answer",
        scope="global",
        title=title,
        author=author,
        source_url=url,
        tags=(),
        score=0.5,
        excerpt=excerpt,
        highlights=(),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    question=LONG_TEXT,
    titles=st.lists(TEXT, min_size=0, max_size=3),
    excerpt=LONG_TEXT,
    author=TEXT,
    url=TEXT,
)
def test_any_reply_fits_discords_limits_and_cannot_ping(
    question: str, titles: list[str], excerpt: str, author: str, url: str
) -> None:
    report = RedFlagChecker.default().check(question)
    result = TriageResult(question, [answer(t, excerpt, author, url) for t in titles], report)

    embeds = result_embeds(result)

    assert 1 <= len(embeds) <= 10
    assert embed_total(embeds) <= TOTAL_LIMIT
    for embed in embeds:
        data = embed.to_dict()
        assert len(data.get("title", "")) <= TITLE_LIMIT
        assert len(data.get("description", "")) <= DESCRIPTION_LIMIT
        text = str(data)
        assert "@everyone" not in text and "@here" not in text
        assert "<@1" not in text and "<@&" not in text
        assert data.get("url", "https://").startswith(("http://", "https://"))
