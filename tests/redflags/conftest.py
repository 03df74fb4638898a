"""Shared fixtures: the shipped rules and a checker over them (compiled once per session)."""

from __future__ import annotations

import pytest

from bot.redflags import RedFlagChecker, RuleSet, load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def checker(rules: RuleSet) -> RedFlagChecker:
    return RedFlagChecker(rules)
