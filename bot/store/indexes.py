"""Index builds as recorded in the store (the files themselves live in the index folder)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.retrieval.manifest import BuildManifest
from bot.store.schema import IndexBuildRecord


def record_build(session: Session, manifest: BuildManifest, status: str = "current") -> None:
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
