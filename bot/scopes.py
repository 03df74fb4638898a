"""Scopes: where answers live and questions are searched.

A scope is "global" (the shared starter corpus) or a Discord guild id. A guild searches its
own answers and, when it has opted in, the global ones.
"""

from __future__ import annotations

GLOBAL_SCOPE = "global"


def searched_scopes(scope: str, include_global: bool) -> list[str]:
    """The scopes a question asked in `scope` is searched in, its own first."""
    if include_global and scope != GLOBAL_SCOPE:
        return [scope, GLOBAL_SCOPE]
    return [scope]
