"""`triagebot redflags` as a user runs it: JSON with level, flags, confirm and safety_net."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)
    return result.exit_code, result.output


def test_json_has_the_contracts_keys() -> None:
    code, output = run("redflags", "--json", "my lower back aches after squats")

    assert code == 0
    report = json.loads(output)
    assert set(report) == {"level", "flags", "message", "confirm", "safety_net"}
    assert "lower-back" in [topic["topic"] for topic in report["safety_net"]]


def test_batch_prints_one_object_per_line_in_order(tmp_path: Path) -> None:
    batch = tmp_path / "messages.txt"
    batch.write_text(
        "crushing chest pain while running uphill\n\nhow many sets for a beginner?\n",
        encoding="utf-8",
    )

    code, output = run("redflags", "--batch", str(batch))

    reports = [json.loads(line) for line in output.splitlines()]
    assert code == 0
    assert [report["level"] for report in reports] == ["emergency", "none"]


def test_text_output_ends_with_the_safety_net() -> None:
    code, output = run("redflags", "stiff neck from my desk job")

    assert code == 0
    assert "Get help now if:" in output
    assert "Neck:" in output


def test_the_patterns_alone_when_the_learned_detector_is_switched_off() -> None:
    code, output = run(
        "redflags", "--json", "numb when I wipe and can't pee",
        env={"TRIAGEBOT_REDFLAGS_LEARNED": "false"},
    )  # fmt: skip

    assert code == 0
    assert all(flag["detector"] == "patterns" for flag in json.loads(output)["flags"])


def test_no_text_and_no_batch_is_one_clear_error() -> None:
    code, output = run("redflags")

    assert code == 2
    assert "give a TEXT or --batch FILE" in output
