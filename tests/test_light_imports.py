"""What a process loads depends on what it does: commands that need no model load none, and
asking (the default encoder) runs without torch. Checked in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fresh_process import cli_calls, run_fresh


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGEBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRIAGEBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRIAGEBOT_REDFLAGS_LEARNED", raising=False)


def loaded_after(code: str, **environment: str) -> list[str]:
    """Which heavy modules a fresh interpreter holds after running `code`."""
    return run_fresh(code, os.environ | environment)[1]


def run_cli(*args: str) -> str:
    return cli_calls(args)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("corpus", "--help"),
        ("db", "--help"),
        ("index", "--help"),
        ("redflags", "--help"),
    ],
    ids=" ".join,
)
def test_help_loads_no_model(args: tuple[str, ...]) -> None:
    assert loaded_after(run_cli(*args)) == []


def test_the_patterns_alone_check_a_message_without_loading_a_model() -> None:
    loaded = loaded_after(
        run_cli("redflags", "my back hurts and I cannot feel the toilet paper", "--json"),
        TRIAGEBOT_REDFLAGS_LEARNED="false",
    )

    assert loaded == []


def test_the_learned_check_runs_on_onnx_runtime_without_torch() -> None:
    loaded = loaded_after(run_cli("redflags", "my chest goes tight when I run", "--json"))

    assert loaded == ["onnxruntime"]


def test_importing_the_settings_compiles_no_regular_expression() -> None:
    code = (
        "import re, pydantic_settings\n"
        "before = set(re._cache)\n"
        "import bot.settings\n"
        "print([key for key in re._cache if key not in before])\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert finished.stdout.strip() == "[]"
