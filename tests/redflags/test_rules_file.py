"""The rules file validator: a broken file gives one clear line naming the file and the rule."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.errors import TriagebotError
from bot.redflags import RedFlagChecker, RulesError, load_rules
from bot.redflags.rules import default_rules_path


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _rule(document: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(rule for rule in document["rules"] if rule["id"] == rule_id)


def _error_for(tmp_path: Path, document: dict[str, Any]) -> str:
    path = _write(tmp_path, document)
    with pytest.raises(RulesError) as raised:
        load_rules(path)
    message = str(raised.value)
    assert "\n" not in message, "the error is one line"
    assert message.startswith(str(path)), "the error names the file"
    return message


def _set(key: str, value: Any):  # type: ignore[no-untyped-def]
    return lambda rule: rule.update({key: value})


def _first_pattern(**changes: Any):  # type: ignore[no-untyped-def]
    return lambda rule: rule["patterns"][0].update(changes)


def _keep(key: str, count: int):  # type: ignore[no-untyped-def]
    return lambda rule: rule.update({key: rule[key][:count]})


def _first_example_kind(kind: str):  # type: ignore[no-untyped-def]
    return lambda rule: rule["must_not_catch"][0].update(kind=kind)


BREAKAGES = [
    ("an invalid regex", _first_pattern(any=["(unclosed"]), "not a valid regular expression"),
    ("an unknown term", _first_pattern(any=["@no_such_term"]), "unknown term '@no_such_term'"),
    ("a missing title", lambda rule: rule.pop("title"), "missing 'title'"),
    ("an unknown level", _set("level", "whenever"), "unknown level 'whenever'"),
    ("too few must_catch examples", _keep("must_catch", 2), "at least 5 must_catch"),
    ("too few must_not_catch examples", _keep("must_not_catch", 1), "at least 3 must_not_catch"),
    ("an unknown example kind", _first_example_kind("sarcastic"), "kind 'sarcastic'"),
    ("an unknown placeholder", _set("referral", "Call {phone} now"), "only {emergency_number}"),
    ("an unknown field", _set("severity", "high"), "unknown field(s): severity"),
    ("both any and all", _first_pattern(all=["a", "b"]), "exactly one of 'any' or 'all'"),
    ("no guidance", _set("guidance", []), "'guidance' must name"),
    ("a resolved_ok that is not a boolean", _first_pattern(resolved_ok="yes"), "true or false"),
    ("an unknown 'within'", _first_pattern(within="paragraph"), "'within' must be"),
    ("'within: nearby' with one group", _first_pattern(within="nearby"), "'within: nearby' needs"),
]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [pytest.param(change, expected, id=name) for name, change, expected in BREAKAGES],
)
def test_a_broken_rule_is_reported_with_file_and_rule_id(
    tmp_path: Path, document: dict[str, Any], breakage, expected: str
) -> None:  # type: ignore[no-untyped-def]
    broken = copy.deepcopy(document)
    breakage(_rule(broken, "stroke"))
    message = _error_for(tmp_path, broken)
    assert "rule 'stroke'" in message
    assert expected in message


def test_a_duplicate_rule_id_is_reported(tmp_path: Path, document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    broken["rules"].append(copy.deepcopy(_rule(broken, "dvt")))
    assert "rule 'dvt': duplicate rule id" in _error_for(tmp_path, broken)


def test_superseding_an_unknown_rule_is_reported(tmp_path: Path, document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    _rule(broken, "concussion")["superseded_by"] = ["concussion-red-flagz"]
    message = _error_for(tmp_path, broken)
    assert "rule 'concussion'" in message and "concussion-red-flagz" in message


def test_a_missing_version_is_reported(tmp_path: Path, document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    del broken["version"]
    assert "missing top-level 'version'" in _error_for(tmp_path, broken)


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nrules: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(RulesError, match=rf"^{path}:\d+: .*fix the YAML syntax"):
        load_rules(path)


def test_a_key_given_twice_is_reported_with_its_line(tmp_path: Path) -> None:
    # YAML would silently keep only the second 'except', dropping the first one's exclusions.
    path = tmp_path / "rules.yaml"
    path.write_text(
        "version: 1\nreviewed: 2025-01-01\nrules:\n  - id: x\n    patterns:\n"
        "      - any: ['a']\n        except: ['b']\n        except: ['c']\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match=rf"^{path}:8: duplicate key 'except'"):
        load_rules(path)


def test_a_missing_rules_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(TriagebotError, match="rules file not found"):
        load_rules(tmp_path / "nope.yaml")


def test_a_minimal_rules_file_loads_and_checks(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        """
version: 7
reviewed: 2025-05-01
terms:
  pee: ['pee', 'wee']
rules:
  - id: cannot-pee
    level: emergency
    title: Cannot pass urine
    screening: Is it impossible to pee at all?
    referral: Call {emergency_number} now.
    guidance: [NHS page on urinary retention]
    patterns:
      - any: ['cant @pee']
    must_catch: [a, b, c, d, e]
    must_not_catch: [{text: x, kind: negated}, {text: y, kind: hypothetical}, z]
""",
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert rules.version == "7"
    report = RedFlagChecker(rules).check("I can't wee", emergency_number="000")
    assert report.to_dict()["flags"][0]["id"] == "cannot-pee"
    assert report.message is not None and "Call 000 now." in report.message


def test_resolved_ok_and_nearby_change_what_fires(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    body = """
version: 1
reviewed: 2025-05-01
rules:
  - id: knocked-out
    level: emergency
    title: Knocked out
    screening: Was anyone knocked out?
    referral: Call {emergency_number} now.
    guidance: [made up for a test]
    patterns:
      - all: ['tackle', 'out cold']
        within: nearby
        resolved_ok: RESOLVED
    must_catch: [a, b, c, d, e]
    must_not_catch: [{text: x, kind: negated}, {text: y, kind: hypothetical}, z]
"""
    path.write_text(body.replace("RESOLVED", "true"), encoding="utf-8")
    checker = RedFlagChecker(load_rules(path))
    assert checker.check("big tackle. out cold for a bit, feel fine now").level.value == "emergency"
    # Not in the same or the next sentence.
    assert checker.check("big tackle. then lunch. out cold for a bit").level.value == "none"
    # Dated to the past, it is history even with resolved_ok.
    assert checker.check("big tackle at school, out cold, fine since").level.value == "none"

    path.write_text(body.replace("RESOLVED", "false"), encoding="utf-8")
    strict = RedFlagChecker(load_rules(path))
    assert strict.check("big tackle. out cold for a bit, feel fine now").level.value == "none"
