"""The red-flag referral check: rules as data, a pure checker, and its evaluation.

    checker = RedFlagChecker.default()
    report = checker.check("my dad can't pee and his bum is numb", emergency_number="999")
    report.level            # Level.EMERGENCY
    report.to_dict()        # the `red_flags` object of DESIGN.md

Nothing here imports discord or click.
"""

from bot.redflags.checker import RedFlagChecker
from bot.redflags.report import Level, RaisedFlag, RedFlagReport
from bot.redflags.rules import Rule, RulesError, RuleSet, load_rules

__all__ = [
    "Level",
    "RaisedFlag",
    "RedFlagChecker",
    "RedFlagReport",
    "Rule",
    "RuleSet",
    "RulesError",
    "load_rules",
]
