"""The context rules' word lists: YAML data beside the modules that use them.

Each YAML file maps a name to a list of regular-expression fragments over normalised text
(see `bot.redflags.text`). A module writes each pattern as a template in which

- ``@name`` stands for the named list joined into an alternation, ``a|b|c``, with no group
  around it (the template supplies one: ``\\b(?:@cues)\\b``), and
- ``(?<!@name )`` stands for one lookbehind per entry, ``(?<!a )(?<!b )``, as a Python
  lookbehind must have a fixed width and so cannot hold the alternation itself.

An entry may use the same two forms to include another list of its file. Entries keep their
order: an alternation tries them left to right, and the order can change how much text a
match covers. Loading fails with an error naming the file and the list when a list is
missing or empty, an entry is not a string (YAML reads an unquoted no as False) or does not
compile.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_HERE = Path(__file__).parent
# "(?<!@name )" first, so that its "@name" is not read as a plain alternation.
_PLACEHOLDER = re.compile(r"\(\?<!@(\w+)( ?)\)|@(\w+)")


class WordListError(ValueError):
    """A word-list file is missing or malformed, or lacks a list a pattern needs."""


class WordLists:
    """The named lists of one YAML file, each entry checked when the file is loaded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            # libyaml's parser when PyYAML has it (the lists load at start-up).
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, yaml.YAMLError) as error:
            raise WordListError(f"{path}: cannot read the word lists: {error}") from error
        if not isinstance(data, dict):
            raise WordListError(f"{path}: expected a mapping of list names to lists")
        self._raw = {str(key): entries for key, entries in data.items()}
        self._lists: dict[str, tuple[str, ...]] = {}
        for key in self._raw:
            self.entries(key)

    def entries(self, key: str, *, _within: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The fragments of list `key`, in file order, with their references filled in."""
        cached = self._lists.get(key)
        if cached is not None:
            return cached
        used_in = f" (used in list {_within[-1]!r})" if _within else ""
        if key not in self._raw:
            raise WordListError(f"{self.path}: no list named {key!r}{used_in}")
        if key in _within:
            loop = " -> ".join((*_within[_within.index(key) :], key))
            raise WordListError(f"{self.path}: lists include each other in a loop: {loop}")
        entries = self._raw[key]
        where = f"{self.path}, list {key!r}"
        if not isinstance(entries, list) or not entries:
            raise WordListError(f"{where}: expected a non-empty list of regex fragments")
        expanded: list[str] = []
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, str) or not entry:
                raise WordListError(
                    f"{where}, entry {number}: {entry!r} is not a non-empty string "
                    "(quote it: YAML reads an unquoted no, yes, on or off as true or false)"
                )
            fragment = self._expand(entry, (*_within, key))
            try:
                re.compile(fragment)
            except re.error as error:
                raise WordListError(
                    f"{where}, entry {number}: {entry!r} does not compile: {error}"
                ) from error
            expanded.append(fragment)
        self._lists[key] = tuple(expanded)
        return self._lists[key]

    def _expand(self, template: str, within: tuple[str, ...] = ()) -> str:
        def fill(found: re.Match[str]) -> str:
            if found.group(1) is not None:
                entries = self.entries(found.group(1), _within=within)
                return "".join(f"(?<!{entry}{found.group(2)})" for entry in entries)
            return "|".join(self.entries(found.group(3), _within=within))

        return _PLACEHOLDER.sub(fill, template)

    def compile(self, template: str) -> re.Pattern[str]:
        """The template with every ``@name`` and ``(?<!@name )`` filled in, compiled."""
        pattern = self._expand(template)
        try:
            return re.compile(pattern)
        except re.error as error:
            names = sorted({m.group(1) or m.group(3) for m in _PLACEHOLDER.finditer(template)})
            raise WordListError(
                f"{self.path}: the pattern built from lists {', '.join(names)} "
                f"does not compile: {error}"
            ) from error


@cache
def word_lists(filename: str) -> WordLists:
    """The word lists in `filename`, a file beside this module, loaded once."""
    return WordLists(_HERE / filename)
