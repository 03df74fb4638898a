"""Where the files that ship with triagebot live (the starter corpus, the rules, migrations).

In a source checkout (editable install) they are the repository's top-level folders;
in a wheel they are bundled under ``bot/_bundled``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED_DIR = _PACKAGE_DIR / "_bundled"
_REPOSITORY_DIR = _PACKAGE_DIR.parent


def _shipped(name: str) -> Path:
    bundled = _BUNDLED_DIR / name
    return bundled if bundled.exists() else _REPOSITORY_DIR / name


def corpus_dir() -> Path:
    """The top-level ``corpus/`` folder: the starter answers and the red-flag catalogue."""
    return _shipped("corpus")


def starter_answers_dir() -> Path:
    """The starter corpus of curated answers (Markdown with YAML front matter)."""
    return corpus_dir() / "answers"


def eval_dir() -> Path:
    """Labelled evaluation sets (``eval/`` in a source checkout; not shipped in the wheel)."""
    return _REPOSITORY_DIR / "eval"


def retrieval_sets_dir() -> Path:
    return eval_dir() / "retrieval"


def redflag_sets_dir() -> Path:
    return eval_dir() / "redflags"


def migrations_dir() -> Path:
    """The Alembic migrations folder."""
    return _shipped("migrations")


def installed_models_dir() -> Path:
    """Model exports made once for the whole environment (`triagebot model export`, which
    `make install` runs): ``<virtualenv>/share/triagebot/models``."""
    return Path(sys.prefix) / "share" / "triagebot" / "models"
