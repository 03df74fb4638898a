"""The core never imports discord.py or the CLI library: adapters stay thin and swappable."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "bot.triage",
    "bot.conversation",
    "bot.curation",
    "bot.app",
    "bot.redflags",
    "bot.retrieval",
    "bot.evaluation.retrieval",
    "bot.corpus.formats",
    "bot.store.stats",
]


def test_core_modules_import_neither_discord_nor_click() -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('discord', 'click') if m in sys.modules))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout

    assert output.strip() == "[]"
