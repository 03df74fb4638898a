"""The result of a red-flag check: levels, raised flags and the report (pure data)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any


class Level(str, Enum):  # noqa: UP042 - a str mixin, as the public API documents
    """How soon a clinician should see the member; compare with <, >=, max()."""

    NONE = "none"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @classmethod
    def parse(cls, value: str) -> Level:
        """The level named `value` ("none", "soon", "urgent", "emergency")."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(level.value for level in cls)
            raise ValueError(f"unknown level {value!r} (expected one of: {names})") from None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return self.value


_RANKS = {Level.NONE: 0, Level.SOON: 1, Level.URGENT: 2, Level.EMERGENCY: 3}


@dataclass(frozen=True)
class RaisedFlag:
    """One concern referred: what it is about, why, and what the member should do."""

    id: str
    level: Level
    title: str
    evidence: str
    referral: str
    detector: str = "patterns"
    """Which detector's evidence is quoted: "patterns" or "learned"."""

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "level": self.level.value,
            "title": self.title,
            "evidence": self.evidence,
            "detector": self.detector,
        }


@dataclass(frozen=True)
class ScreeningQuestion:
    """One yes/no question about a concern the evidence suggests but does not settle.

    A yes raises `level` (the concern's own); a no leaves the report as it stands.
    """

    concern: str
    question: str
    level: Level
    evidence: str

    def to_dict(self) -> dict[str, str]:
        return {
            "concern": self.concern,
            "question": self.question,
            "level": self.level.value,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class SafetyNetList:
    """The "get help now if..." signs of one topic the reply touches."""

    topic: str
    title: str
    signs: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "title": self.title, "signs": list(self.signs)}


@dataclass(frozen=True)
class RedFlagReport:
    """Every flag raised for one message, most severe first, and the member-facing message."""

    level: Level
    """The level that stands without an answer to any screening question."""
    flags: tuple[RaisedFlag, ...]
    message: str | None
    about_someone_else: bool = False
    confirm: tuple[ScreeningQuestion, ...] = ()
    safety_net: tuple[SafetyNetList, ...] = ()

    @classmethod
    def clear(cls, about_someone_else: bool = False) -> RedFlagReport:
        return cls(Level.NONE, (), None, about_someone_else)

    @property
    def raised(self) -> bool:
        return self.level is not Level.NONE

    def with_safety_net(self, safety_net: tuple[SafetyNetList, ...]) -> RedFlagReport:
        return replace(self, safety_net=safety_net)

    def to_dict(self) -> dict[str, Any]:
        """The `red_flags` object of docs/contracts.md."""
        return {
            "level": self.level.value,
            "flags": [flag.to_dict() for flag in self.flags],
            "message": self.message,
            "confirm": [question.to_dict() for question in self.confirm],
            "safety_net": [topic.to_dict() for topic in self.safety_net],
        }
