"""Malformed corpus files are reported with file and line, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.curation import parse_upload
from bot.errors import CorpusError

FRONT_MATTER_BITS = st.sampled_from(
    [
        "---\n",
        "id: a-b\n",
        "title: T\n",
        "author: x\n",
        "tags: [a, b\n",
        "body: x\n",
        ": :\n",
        "\t",
        "\x00",
        "\u200b",
        "id: UPPER CASE\n",
        "unknown: 1\n",
        "- list\n",
        "'unclosed\n",
    ]
)
MARKDOWN = st.lists(st.one_of(FRONT_MATTER_BITS, st.text(max_size=40)), max_size=20).map("".join)
JSONL = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                '{"id": "a-b", "title": "T", "author": "x", "body": "B"}',
                "{",
                "[]",
                "null",
                '{"id": 1}',
            ]
        ),
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(text=MARKDOWN)
def test_any_markdown_upload_is_answers_or_a_located_error(text: str) -> None:
    try:
        records = parse_upload("answer.md", text.encode("utf-8", "surrogatepass"))
    except CorpusError as error:
        assert "answer.md" in str(error)
    else:
        assert all(r.id and r.title and r.body and r.author for r in records)


@settings(max_examples=200, deadline=None)
@given(text=JSONL)
def test_any_jsonl_upload_is_answers_or_a_located_error(text: str) -> None:
    try:
        records = parse_upload("answers.jsonl", text.encode("utf-8", "surrogatepass"))
    except CorpusError as error:
        assert "answers.jsonl" in str(error)
    else:
        assert records and all(r.body for r in records)
