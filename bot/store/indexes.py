"""Index builds as recorded in the store (the files themselves live in the index folder)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import IndexBuildRecord


class FinishedBuild(Protocol):
    """What the store keeps of a build (the retrieval layer's BuildManifest has it all; the
    store does not import retrieval)."""

    @property
    def scope(self) -> str: ...
    @property
    def build_id(self) -> str: ...
    @property
    def model(self) -> str: ...
    @property
    def dimension(self) -> int: ...
    @property
    def answer_count(self) -> int: ...
    @property
    def passage_count(self) -> int: ...
    @property
    def counts(self) -> Mapping[str, int]: ...
    @property
    def corpus_checksum(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def duration_seconds(self) -> float: ...


def record_build(session: Session, manifest: FinishedBuild, status: str = "current") -> None:
    """Remember a finished build; the scope's earlier current build becomes superseded."""
    for earlier in session.scalars(
        select(IndexBuildRecord).where(
            IndexBuildRecord.scope == manifest.scope, IndexBuildRecord.status == "current"
        )
    ):
        earlier.status = "superseded"
    finished = datetime.fromisoformat(manifest.created_at)
    session.add(
        IndexBuildRecord(
            scope=manifest.scope,
            build_id=manifest.build_id,
            model=manifest.model,
            dimension=manifest.dimension,
            answer_count=manifest.answer_count,
            passage_count=manifest.passage_count,
            embedded_count=manifest.counts.get("embedded", 0),
            corpus_checksum=manifest.corpus_checksum,
            status=status,
            started_at=finished - timedelta(seconds=manifest.duration_seconds),
            finished_at=finished,
        )
    )
