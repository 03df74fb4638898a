"""Running triagebot in a fresh interpreter, to see what a new process loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence

MODEL_MODULES = ("torch", "sentence_transformers", "transformers", "onnxruntime")
HEAVY_MODULES = (*MODEL_MODULES, "matplotlib")


def cli_calls(*commands: Sequence[str]) -> str:
    """Python source running each `triagebot` command in turn, in-process; a non-zero exit
    fails the probe."""
    lines = ["from bot.cli import cli"]
    for command in commands:
        lines += [
            "try:",
            f"    cli({list(command)!r})",
            "except SystemExit as stop:",
            f"    assert not stop.code, {list(command)!r}",
        ]
    return "\n".join(lines) + "\n"


def run_fresh(code: str, environment: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Run `code` in a new interpreter: what it printed, and which HEAVY_MODULES it then held."""
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
        env=environment if environment is not None else dict(os.environ),
    )
    *printed, loaded = finished.stdout.strip().splitlines()
    return "\n".join(printed), json.loads(loaded)
