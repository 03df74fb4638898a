"""The composition root: settings in, a ready triage service (and its parts) out.

The CLI and the Discord bot both build one `TriagebotApp` at start-up; the model is
loaded once, lazily, the first time something needs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from bot.conversation import Conversation
from bot.curation import Curation
from bot.redflags import RedFlagChecker
from bot.retrieval.builder import BuildManifest, IndexBuilder
from bot.retrieval.config import RetrievalConfig
from bot.retrieval.encoder import Encoder, load_encoder
from bot.retrieval.retriever import Retriever
from bot.settings import Settings
from bot.store.database import Database
from bot.store.embedding_cache import SqlEmbeddingCache
from bot.store.indexes import record_build
from bot.store.phrasings import index_records
from bot.store.privacy import purge_expired_text
from bot.triage import TriageService

Progress = Callable[[int, int], None]


def red_flag_checker(settings: Settings) -> RedFlagChecker:
    """The shipped catalogue's patterns, and the learned detector unless switched off."""
    checker = RedFlagChecker.default()
    if not settings.redflags_learned:
        return checker
    from bot.redflags.detectors.learned import LearnedDetector, shipped_classifier

    return checker.with_detector(LearnedDetector(checker.rules, shipped_classifier()))


@dataclass
class TriagebotApp:
    settings: Settings
    database: Database
    _encoder: Encoder | None = None
    retrieval_config: RetrievalConfig | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = load_encoder(
                    self.settings.embedding_model,
                    backend=self.settings.encoder_backend,
                    data_dir=self.settings.data_dir,
                )
            return self._encoder

    @cached_property
    def checker(self) -> RedFlagChecker:
        return red_flag_checker(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.settings.index_root, self.encoder, config=self.retrieval_config)

    @cached_property
    def service(self) -> TriageService:
        return TriageService(self.checker, self.retriever, self.database)

    @cached_property
    def conversation(self) -> Conversation:
        return Conversation(self.service, self.database)

    @cached_property
    def curation(self) -> Curation:
        return Curation(self.database, self.retriever, self.rebuild_index)

    def warm_up(self) -> None:
        """Load everything the first question needs: the red-flag rules and model, the
        embedding model and the global index (blocking: seconds to tens of seconds).

        The Discord bot calls it before it connects, so that no member's question pays for
        it and nothing of it runs on the event loop.
        """
        conversation = self.conversation  # the service, its checker and its retriever
        conversation.service.checker.check("warming up")
        self.retriever.question_vector("warming up")
        self.retriever.build_for("global")

    def builder(self) -> IndexBuilder:
        return IndexBuilder(
            self.settings.index_root, self.encoder, SqlEmbeddingCache(self.database)
        )

    def rebuild_index(
        self, scope: str, *, full: bool = False, progress: Progress | None = None
    ) -> BuildManifest:
        """Build the index of `scope` from its active answers (and the shared answers it
        confirmed phrasings for) and make it current."""
        with self.database.session() as session:
            records = index_records(session, scope)
        manifest = self.builder().build(scope, records, full=full, progress=progress)
        with self.database.session() as session:
            record_build(session, manifest)
        return manifest

    def purge_expired(self) -> int:
        """Blank question text older than TRIAGEBOT_UNANSWERED_RETENTION_DAYS."""
        with self.database.session() as session:
            return purge_expired_text(session, self.settings.unanswered_retention_days)

    def close(self) -> None:
        self.database.dispose()
