"""The red-flag referral check: a catalogue of concerns as data, detectors, and a checker.

    checker = RedFlagChecker.default()            # the catalogue's patterns alone
    report = checker.check("my dad can't pee and his bum is numb", emergency_number="999")
    report.level            # Level.EMERGENCY
    report.to_dict()        # the `red_flags` object of docs/contracts.md

`bot.app.red_flag_checker` adds the learned detector, as the bot and the CLI run it.
Nothing here imports discord or click.
"""

from bot.redflags.checker import RedFlagChecker
from bot.redflags.report import (
    Level,
    RaisedFlag,
    RedFlagReport,
    SafetyNetList,
    ScreeningQuestion,
)
from bot.redflags.rules import Rule, RulesError, RuleSet, load_rules

__all__ = [
    "Level",
    "RaisedFlag",
    "RedFlagChecker",
    "RedFlagReport",
    "Rule",
    "RuleSet",
    "RulesError",
    "SafetyNetList",
    "ScreeningQuestion",
    "load_rules",
]
