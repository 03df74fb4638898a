"""Corpus files are read strictly, with every problem named by file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.corpus.formats import (
    CorpusProblems,
    parse_jsonl,
    parse_markdown,
    read_corpus,
    to_markdown,
    write_corpus,
)
from bot.errors import CorpusError

GOOD_MARKDOWN = """\
---
id: windmills-before-football
title: Windmills and leg swings before football
question: what warm up for a tight lower back before a match?
author: hinge_not_hunch
source_url: https://forum.example.org/t/tight-l3/1042/5
tags: [warm-ups, football]
---
Ten windmills each side, then leg swings.

Keep the lower back quiet; let the hips move.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_markdown_answer_takes_its_fields_from_front_matter_and_its_body_from_the_rest() -> None:
    record = parse_markdown(GOOD_MARKDOWN, "windmills.md")

    assert record.id == "windmills-before-football"
    assert record.author == "hinge_not_hunch"
    assert record.tags == ("warm-ups", "football")
    assert record.body.startswith("Ten windmills")
    assert record.body.endswith("let the hips move.")


def test_markdown_written_out_reads_back_as_the_same_record() -> None:
    record = parse_markdown(GOOD_MARKDOWN, "a.md")
    assert parse_markdown(to_markdown(record), "b.md") == record


def test_other_ways_of_asking_are_read_as_a_list_and_written_back() -> None:
    also_asked = (
        "also_asked:\n  - warm up ideas for footy with a stiff back\n  - pre-match  routine?\n"
    )
    text = GOOD_MARKDOWN.replace("tags:", also_asked + "tags:")

    record = parse_markdown(text, "a.md")

    assert record.also_asked == ("warm up ideas for footy with a stiff back", "pre-match routine?")
    assert parse_markdown(to_markdown(record), "b.md") == record
    assert "also_asked" not in to_markdown(parse_markdown(GOOD_MARKDOWN, "c.md"))


def test_other_ways_of_asking_must_be_questions_not_a_mapping() -> None:
    text = GOOD_MARKDOWN.replace("tags:", "also_asked: {a: 1}\ntags:")

    with pytest.raises(CorpusError, match="'also_asked' must be a list of questions"):
        parse_markdown(text, "a.md")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            GOOD_MARKDOWN.replace("author: hinge_not_hunch\n", ""),
            1,
            "missing required field 'author'",
        ),
        (GOOD_MARKDOWN.replace("tags:", "mood: great\ntags:"), 1, "unknown field mood"),
        (
            GOOD_MARKDOWN.replace("tags: [warm-ups, football]", "tags: [warm-ups"),
            7,
            "malformed YAML",
        ),
        (GOOD_MARKDOWN.split("---\nTen")[0] + "---\n   \n", 1, "empty body"),
        ("no front matter here", 1, "missing YAML front matter"),
        (
            GOOD_MARKDOWN.replace("id: windmills-before-football", "id: Windmills!"),
            1,
            "id 'Windmills!'",
        ),
    ],
    ids=["missing-field", "unknown-field", "bad-yaml", "empty-body", "no-front-matter", "bad-id"],
)
def test_bad_markdown_is_reported_with_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(CorpusError) as caught:
        parse_markdown(text, "answers/windmills.md")

    assert caught.value.location == f"answers/windmills.md:{line}"
    assert message in str(caught.value)


def test_json_lines_report_the_line_of_a_malformed_object() -> None:
    good = json.dumps({"id": "a-one", "title": "A", "body": "Text.", "author": "me"})
    with pytest.raises(CorpusError) as caught:
        list(parse_jsonl(f"{good}\n\n{{not json\n", "answers.jsonl"))

    assert caught.value.location == "answers.jsonl:3"
    assert "malformed JSON" in str(caught.value)


def test_a_folder_is_read_recursively_and_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    write(tmp_path / "warm-ups" / "windmills.md", GOOD_MARKDOWN)
    line = json.dumps(
        {"id": "windmills-before-football", "title": "Dup", "body": "x", "author": "y"}
    )
    write(tmp_path / "more" / "extra.jsonl", line + "\n")

    with pytest.raises(CorpusProblems) as caught:
        read_corpus(tmp_path)

    message = str(caught.value)
    assert "duplicate id 'windmills-before-football'" in message
    assert str(tmp_path / "more" / "extra.jsonl") + ":1" in message
    assert str(tmp_path / "warm-ups" / "windmills.md") + ":1" in message


def test_all_problems_of_an_import_are_listed_together(tmp_path: Path) -> None:
    write(tmp_path / "a.md", GOOD_MARKDOWN.replace("author: hinge_not_hunch\n", ""))
    write(tmp_path / "b.jsonl", "[1, 2]\n")

    with pytest.raises(CorpusProblems) as caught:
        read_corpus(tmp_path)

    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith("2 problems in the corpus input, nothing was imported")


def test_export_then_read_gives_the_same_records_in_both_formats(tmp_path: Path) -> None:
    records = [parse_markdown(GOOD_MARKDOWN, "a.md")]
    write_corpus(records, tmp_path / "md", "md")
    write_corpus(records, tmp_path / "all.jsonl", "jsonl")

    assert read_corpus(tmp_path / "md") == records
    assert read_corpus(tmp_path / "all.jsonl") == records


def test_a_missing_path_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        read_corpus(tmp_path / "nope")
