"""Keyword search: BM25 (bm25s, Lucene variant) over passages, with Snowball stemming.

Raw BM25 scores depend on the corpus (its size, its vocabulary) and on the question's
length, so they cannot be compared across scopes nor held against a threshold. The
index therefore also reports each score divided by the most the question could score
(the sum of its terms' IDF, counting a word the corpus never uses as the rarest word,
and never less than MIN_CEILING_RAREST rarest words): a share of the question's
information that the passage matches, between 0 and 1.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

# bm25s sets its own logger to DEBUG, which prints "Building index from tokens" through
# any handler the application installs.
logging.getLogger("bm25s").setLevel(logging.WARNING)

TERMS_FILE = "terms.json"
# Lucene's defaults. A grid on the tune split (k1 0.9-2.0, b 0.3-0.9) moved the hybrid
# by no more than a question or two either way, so they stay.
K1 = 1.2
B = 0.75
# The shortest part a compound word of the question is split into (see query_terms).
MIN_COMPOUND_PART = 3
# The least a question could score, in IDFs of the rarest word (see scores). On the tune
# split 1.5 separates in-scope from out-of-scope best scores better than no floor (AUC
# 0.997 against 0.991 for the hybrid, 0.967 against 0.926 for BM25 alone) at the same
# decisions; 2 and more start to cost in-scope short questions their rank.
MIN_CEILING_RAREST = 1.5

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Function words, plus the chatter of questions ("any tips?", "what's the best way")
# that says nothing about the topic.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren as at be because
    been before being below between both but by can cannot could couldn did didn do does
    doesn doing don down during each else etc ever every few for from further get gets
    getting got had hadn has hasn have haven having he her here hers herself him himself
    his how however if in into is isn it its itself just ll me might more most much must
    mustn my myself need needs no nor not now of off on once one only or other our ours
    ourselves out over own re same shall shan she should shouldn so some such than that
    the their theirs them themselves then there these they this those through thus to
    too under until up upon us ve very was wasn way we were weren what when where which
    while who whom whose why will with within without won would wouldn you your yours
    yourself yourselves im ive id youre thats whats hows dont cant wont isnt anyone
    anybody someone somebody guys hi hello hey thanks thank please advice tips tip help
    question questions wondering know recommend recommendation recommendations best good
    better really actually thing things ok okay yeah many lot lots something anything
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class TextAnalyzer:
    """Lower-case word tokens without stopwords, stemmed; safe to share between threads."""

    def __init__(self, language: str = "english") -> None:
        self.language = language
        self._local = threading.local()

    def terms(self, text: str) -> list[str]:
        return self.stem(self.words(text))

    def words(self, text: str) -> list[str]:
        """Lower-case word tokens without stopwords, not stemmed."""
        return [w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]

    def stem(self, words: list[str]) -> list[str]:
        return self._stemmer().stemWords(words) if words else []

    def _stemmer(self) -> Stemmer.Stemmer:
        # PyStemmer objects are not thread-safe; one per thread.
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            stemmer = self._local.stemmer = Stemmer.Stemmer(self.language)
        return stemmer


class KeywordIndex:
    """BM25 over a list of passage texts; scores come back in passage order."""

    def __init__(
        self,
        bm25: bm25s.BM25 | None,
        doc_freq: dict[str, int],
        n_docs: int,
        analyzer: TextAnalyzer | None = None,
    ) -> None:
        self._bm25 = bm25
        self.doc_freq = doc_freq
        self.n_docs = n_docs
        self.analyzer = analyzer or TextAnalyzer()

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        analyzer = TextAnalyzer()
        tokenized = [analyzer.terms(text) for text in texts]
        doc_freq: Counter[str] = Counter()
        for terms in tokenized:
            doc_freq.update(set(terms))
        bm25 = None
        if texts:
            bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
            bm25.index(tokenized, show_progress=False)
        return cls(bm25, dict(doc_freq), len(texts), analyzer)

    def save(self, folder: Path) -> list[Path]:
        """Write the index into `folder`; returns the files written."""
        folder.mkdir(parents=True, exist_ok=True)
        before = set(folder.iterdir())
        if self._bm25 is not None:
            self._bm25.save(str(folder), show_progress=False)
        terms = {"n_docs": self.n_docs, "doc_freq": self.doc_freq}
        (folder / TERMS_FILE).write_text(json.dumps(terms, sort_keys=True), encoding="utf-8")
        return sorted(set(folder.iterdir()) - before | {folder / TERMS_FILE})

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        terms = json.loads((folder / TERMS_FILE).read_text(encoding="utf-8"))
        n_docs = int(terms["n_docs"])
        bm25 = None
        if n_docs:
            # Read fully into memory: a pruned build's files may vanish under a reader.
            bm25 = bm25s.BM25.load(str(folder), mmap=False, show_progress=False)
        return cls(bm25, {str(k): int(v) for k, v in terms["doc_freq"].items()}, n_docs)

    def idf(self, term: str) -> float:
        """Lucene's IDF; a term the corpus never uses gets the highest value."""
        df = self.doc_freq.get(term, 0)
        return math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))

    def rarest_idf(self) -> float:
        """The IDF of a word the corpus never uses, the highest there is."""
        return math.log(1.0 + (self.n_docs + 0.5) / 0.5)

    def query_terms(self, text: str) -> list[str]:
        """The question's distinct stemmed terms, compounds the corpus splits split up.

        People run two words together that the answers write apart ("facepulls",
        "situps", "hipflexor"). A word the corpus never uses, that is two words it does
        use, is searched as those two; a known word is never split.
        """
        terms: list[str] = []
        for word in self.analyzer.words(text):
            (stemmed,) = self.analyzer.stem([word])
            if stemmed not in self.doc_freq:
                parts = self._split_compound(word)
                if parts:
                    terms.extend(parts)
                    continue
            terms.append(stemmed)
        return list(dict.fromkeys(terms))

    def _split_compound(self, word: str) -> list[str] | None:
        """The stems of two corpus words making `word`, longest first part first."""
        if len(word) < 2 * MIN_COMPOUND_PART:
            return None
        for cut in range(len(word) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if head in STOPWORDS or tail in STOPWORDS:
                continue
            stems = self.analyzer.stem([head, tail])
            if all(stem in self.doc_freq for stem in stems):
                return stems
        return None

    def scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(raw BM25, normalised share in [0, 1]) of every passage for the question `text`."""
        terms = self.query_terms(text)
        if self._bm25 is None or not terms:
            empty = np.zeros(self.n_docs, dtype=np.float32)
            return empty, empty.copy()
        raw = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
        # A question of one or two content words ("good laptop?") carries little
        # information; matching it should not count as a full match. The ceiling is
        # at least MIN_CEILING_RAREST of the rarest word's IDF.
        floor = MIN_CEILING_RAREST * self.rarest_idf()
        ceiling = max(sum(self.idf(term) for term in terms), floor)
        if ceiling <= 0:
            return raw, np.zeros_like(raw)
        return raw, (raw / ceiling).astype(np.float32)
