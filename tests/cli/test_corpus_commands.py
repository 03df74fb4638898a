"""`triagebot corpus` and `triagebot db` as an operator uses them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from bot.store.database import Database
from tests.cli.conftest import Invoke

ANSWER = """\
---
id: {id}
title: {title}
author: glute_activator
tags: [glutes]
---
{body}
"""


def write_answer(folder: Path, answer_id: str, body: str = "Squeeze at the top.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{answer_id}.md"
    path.write_text(ANSWER.format(id=answer_id, title=answer_id.title(), body=body))
    return path


def test_import_then_export_then_reimport_gives_identical_files(
    triagebot: Invoke, tmp_path: Path, database_url: str
) -> None:
    for n in range(3):
        write_answer(tmp_path / "in" / f"topic-{n}", f"glute-bridge-{n}")

    assert triagebot("corpus", "import", str(tmp_path / "in")).exit_code == 0
    assert triagebot("corpus", "export", str(tmp_path / "out1")).exit_code == 0
    assert triagebot("corpus", "export", str(tmp_path / "out1.jsonl")).exit_code == 0

    # Into an empty scope, from the export, and export again.
    assert triagebot("corpus", "import", str(tmp_path / "out1"), "--scope", "42").exit_code == 0
    assert triagebot("corpus", "export", str(tmp_path / "out2"), "--scope", "42").exit_code == 0
    assert (
        triagebot("corpus", "import", str(tmp_path / "out1.jsonl"), "--scope", "7").exit_code == 0
    )
    triagebot("corpus", "export", str(tmp_path / "out2.jsonl"), "--scope", "7")

    first = {p.name: p.read_text() for p in (tmp_path / "out1").iterdir()}
    second = {p.name: p.read_text() for p in (tmp_path / "out2").iterdir()}
    assert first == second
    assert len(first) == 3
    assert (tmp_path / "out1.jsonl").read_text() == (tmp_path / "out2.jsonl").read_text()


def test_importing_again_reports_everything_unchanged(triagebot: Invoke, tmp_path: Path) -> None:
    write_answer(tmp_path / "in", "glute-bridge")
    triagebot("corpus", "import", str(tmp_path / "in"))

    result = triagebot("corpus", "import", str(tmp_path / "in"), "--json")

    assert json.loads(result.output) == {
        "scope": "global",
        "created": 0,
        "updated": 0,
        "unchanged": 1,
    }


def test_a_bad_file_fails_the_whole_import_with_file_and_line_and_no_traceback(
    triagebot: Invoke, tmp_path: Path
) -> None:
    write_answer(tmp_path / "in", "good-one")
    bad = write_answer(tmp_path / "in", "bad-one", body="   ")

    result = triagebot("corpus", "import", str(tmp_path / "in"))

    assert result.exit_code == 1
    assert f"{bad}:1: empty body" in result.output
    assert "Traceback" not in result.output
    listing = triagebot("corpus", "list")
    assert "good-one" not in listing.output


def test_list_show_retire_and_restore(triagebot: Invoke, tmp_path: Path) -> None:
    write_answer(tmp_path / "in", "glute-bridge", body="Drive through the heels.")
    triagebot("corpus", "import", str(tmp_path / "in"))

    assert "glute-bridge  Glute-Bridge" in triagebot("corpus", "list").output
    shown = triagebot("corpus", "show", "glute-bridge", "--history")
    assert "Drive through the heels." in shown.output
    assert "revision 1: active" in shown.output

    assert "Retired 'glute-bridge'." in triagebot("corpus", "retire", "glute-bridge").output
    assert "glute-bridge" not in triagebot("corpus", "list").output
    assert "[retired]" in triagebot("corpus", "list", "--include-retired").output
    assert "Restored" in triagebot("corpus", "restore", "glute-bridge").output


def test_an_unknown_id_is_one_line_saying_where_to_look(triagebot: Invoke) -> None:
    result = triagebot("corpus", "show", "nope")

    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: no answer 'nope' in scope 'global'; `triagebot corpus list` shows the ids"
    )


def test_db_upgrade_migrates_and_an_outdated_store_is_refused(
    triagebot: Invoke, database_url: str
) -> None:
    assert "upgraded from empty" in triagebot("db", "upgrade").output
    assert "already at the newest" in triagebot("db", "upgrade").output
    database = Database(database_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    database.dispose()

    result = triagebot("corpus", "list")

    assert result.exit_code == 1
    assert "run `triagebot db upgrade`" in result.output
