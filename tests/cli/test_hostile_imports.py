"""Hostile corpus files: each is refused in one line naming the file and line, on SQLite and
PostgreSQL alike, and nothing of it is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.corpus.records import MAX_ANSWERS_PER_IMPORT
from tests.cli.conftest import Invoke

GOOD = {"id": "calf-raises", "title": "Calf raises", "author": "coach", "body": "Slowly."}


def jsonl(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


HOSTILE = {
    "non-text front-matter keys": (
        "a.md",
        "---\n1: x\n~: y\nid: a-b\ntitle: T\nauthor: c\n---\nBody.\n",
        "a.md:1: field names must be text",
    ),
    "deeply nested YAML": (
        "a.md",
        "---\nid: a-b\ntitle: T\nauthor: c\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n",
        "a.md:",
    ),
    "deeply nested JSON": (
        "a.jsonl",
        jsonl(GOOD) + '{"id": "x-y", "tags": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
        "a.jsonl:2:",
    ),
    "a lone surrogate in JSON": (
        "a.jsonl",
        '{"id": "a-b", "title": "T \\ud800", "author": "c", "body": "B"}\n',
        "a.jsonl:1: field 'title' contains a lone surrogate",
    ),
    "a NUL byte": (
        "a.jsonl",
        '{"id": "a-b", "title": "T", "author": "c", "body": "B\\u0000"}\n',
        "a.jsonl:1: field 'body' contains a NUL character",
    ),
    "a 100k-character title": (
        "a.jsonl",
        jsonl({**GOOD, "title": "t" * 100_000}),
        "a.jsonl:1: field 'title' is 100,000 characters long; at most 300",
    ),
    "a javascript: link": (
        "a.jsonl",
        jsonl({**GOOD, "source_url": "javascript:alert(1)"}),
        "a.jsonl:1: source_url 'javascript:alert(1)' is not a web address",
    ),
    "a link with spaces": (
        "a.jsonl",
        jsonl({**GOOD, "source_url": "https://exa mple.org/a b"}),
        "a.jsonl:1: source_url",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_one_line_with_file_and_line_and_nothing_is_written(
    triagebot: Invoke, tmp_path: Path, name: str
) -> None:
    filename, text, expected = HOSTILE[name]
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8", errors="surrogatepass")

    result = triagebot("corpus", "import", str(path))
    listed = triagebot("corpus", "list")

    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert expected in result.output, result.output
    assert "calf-raises" not in listed.output


def test_an_import_beyond_the_size_limit_is_refused_whole(
    triagebot: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "many.jsonl"
    count = MAX_ANSWERS_PER_IMPORT + 1
    path.write_text(jsonl(*({**GOOD, "id": f"answer-{n}"} for n in range(count))), encoding="utf-8")

    result = triagebot("corpus", "import", str(path))

    assert result.exit_code != 0
    assert f"holds {count:,} answers; import at most {MAX_ANSWERS_PER_IMPORT:,}" in result.output
    assert "answer-1" not in triagebot("corpus", "list").output
