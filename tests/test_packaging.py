"""What the wheel ships: the starter corpus, the catalogue and the red-flag model, not the
labelled evaluation or training sets."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shipped_folders() -> list[Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    return [ROOT / name for name in wheel["packages"]] + [
        ROOT / source for source in wheel.get("force-include", {})
    ]


def test_no_labelled_set_ships_in_the_wheel() -> None:
    labelled = [path for folder in shipped_folders() for path in folder.rglob("*.jsonl")]

    assert labelled == []
    assert not any(folder.name in {"eval", "training"} for folder in shipped_folders())


def test_the_red_flag_model_and_the_context_word_lists_ship_inside_the_package() -> None:
    package = ROOT / "bot"

    assert (package / "redflags" / "model" / "card.json").is_file()
    assert sorted(p.name for p in (package / "redflags" / "context").glob("*.yaml")) == [
        "history.yaml",
        "hypothetical.yaml",
        "lookalike.yaml",
        "negation.yaml",
        "person.yaml",
    ]
