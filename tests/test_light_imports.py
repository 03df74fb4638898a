"""What a process loads depends on what it does: commands that need no model load none, and
asking (the default encoder) runs without torch. Checked in fresh interpreters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MODEL_MODULES = ("torch", "sentence_transformers", "transformers", "onnxruntime")
HEAVY_MODULES = (*MODEL_MODULES, "matplotlib")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGEBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRIAGEBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRIAGEBOT_REDFLAGS_LEARNED", raising=False)


def loaded_after(code: str, **environment: str) -> list[str]:
    """Which of HEAVY_MODULES a fresh interpreter holds after running `code`."""
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | environment,
    )
    loaded: list[str] = json.loads(finished.stdout.strip().splitlines()[-1])
    return loaded


def run_cli(*args: str) -> str:
    return (
        "from bot.cli import cli\n"
        "try:\n"
        f"    cli({list(args)!r})\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
    )


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
