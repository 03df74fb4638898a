"""A per-member limit on asking, shared by /ask, mentions and help-forum posts."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable


class MemberCooldown:
    """At most `rate` questions per `per` seconds for each key (guild, member)."""

    def __init__(
        self, rate: int = 3, per: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("rate must be at least 1 and per positive")
        self.rate = rate
        self.per = per
        self._clock = clock
        self._asked: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def try_acquire(self, key: Hashable) -> float:
        """0.0 when the member may ask now (and counts the question); otherwise the
        seconds to wait."""
        now = self._clock()
        with self._lock:
            times = self._asked.setdefault(key, deque())
            while times and now - times[0] >= self.per:
                times.popleft()
            if len(times) >= self.rate:
                return max(0.1, self.per - (now - times[0]))
            times.append(now)
            return 0.0
