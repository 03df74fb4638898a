"""Retrieval benchmark: how fast triagebot answers, builds and searches, against its floors.

Run from the repository root (or with `make bench`):

    .venv/bin/python -m tests.benchmarks.retrieval_bench

Everything is measured in one process and one run, so each ratio compares numbers taken
on the same machine under the same load:

- ask: Retriever.search (k=3, with excerpts) over the evaluation questions on the starter
  corpus, against the floor of encoding each question alone (the red-flag check has its own
  benchmark, tests/benchmarks/redflags_bench.py);
- build: a full build of a generated 2,000-answer corpus with an empty embedding cache,
  against encoding the passage texts of a sample of those answers alone (per answer);
  then one answer's body edited and rebuilt incrementally with the same cache;
- dense search: exact (flat) against HNSW on synthetic vectors, the measurement behind
  HNSW_THRESHOLD in bot/retrieval/dense.py;
- scale: the index the builder picks (choose_index_type) for 10,000, 100,000 and
  1,000,000 answers' worth of synthetic vectors: build time, p50 search time on one
  thread, recall@10 against exact search, and memory. Run it alone with `--scale-only`
  (a few minutes, mostly building the 1,000,000-vector index).

Nothing is asserted. Progress lines go to stdout; the last line is one JSON object.
"""

from __future__ import annotations

import os

# Set before the tokenizers and huggingface_hub are imported: both read them at import.
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["HF_HUB_OFFLINE"] = "1"

import argparse
import contextlib
import ctypes
import json
import random
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import product
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bot import paths
from bot.corpus.formats import read_corpus
from bot.corpus.records import AnswerRecord, slugify
from bot.evaluation.retrieval import load_questions
from bot.retrieval import (
    Encoder,
    IndexBuilder,
    MemoryEmbeddingCache,
    RetrievalConfig,
    Retriever,
    load_encoder,
)
from bot.retrieval.builder import EMBED_BATCH
from bot.retrieval.dense import FLAT, HNSW, HNSW_THRESHOLD, DenseIndex, choose_index_type
from bot.retrieval.passages import corpus_passages
from bot.scopes import GLOBAL_SCOPE
from bot.store.database import Database
from bot.store.embedding_cache import SqlEmbeddingCache

# The same generator as the dense-index tests: vectors clustered by topic on a
# low-dimensional manifold, so HNSW recall is as hard as on real sentence embeddings.
from tests.retrieval.test_dense import clustered_unit_vectors

SEED = 20240611
ASK_ROUNDS = 2
"""Passes over the evaluation questions, each with a fresh retriever (cold question cache)."""
WARMUP_QUESTIONS = (
    "how should I warm up before heavy squats",
    "my shoulder clicks when I bench press",
    "is it fine to run every day",
)
GENERATED_ANSWERS = 2_000
ENCODE_SAMPLE_EVERY = 4
"""Raw encoding times every 4th generated answer's passages: a second full pass over all
of them would add ~2 minutes and measure the same rate per answer."""
BUSY_LOAD = 1.0
"""A 1-minute load average above this at the start means other work shares the CPUs."""
MIN_PARAGRAPH_WORDS = 12
"""Shorter blocks ("What to do:") are lead-ins that make no sense moved elsewhere."""
# 200,000 would take another ~70 s of HNSW building for a size far past the crossover.
DENSE_SIZES = (2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
DENSE_DIMENSION = 384
DENSE_QUERIES = 100
MIN_RECALL = 0.95
# One vector per answer: real answers have several passages, so 1,000,000 vectors stand
# for a corpus of a few hundred thousand answers, the largest the bot is meant to hold.
SCALE_SIZES = (10_000, 100_000, 1_000_000)
SCALE_TARGET_SIZE = 1_000_000
SCALE_P50_TARGET_MS = 5.0
TRUTH_CHUNK = 100_000
"""Rows scored at a time for the exact top 10 (100 queries x 100,000 floats: 40 MB)."""

ASK_TARGET = 1.3
BUILD_TARGET = 0.8
ONE_EDIT_TARGET = 0.05

# Who and what a generated answer is about; every (starter answer, audience, angle)
# triple gives a distinct title, so generated passages do not collapse into one another
# in the content-hashed embedding cache.
AUDIENCES = (
    ("for beginners", "as a complete beginner"),
    ("for runners", "as a runner"),
    ("after 40", "now that I'm over 40"),
    ("at home", "training at home with dumbbells"),
    ("for powerlifters", "as a powerlifter"),
    ("after a layoff", "coming back after months off"),
    ("for desk workers", "sitting at a desk all day"),
    ("for climbers", "as a climber"),
    ("for teenagers", "as a 16 year old"),
    ("with little time", "with only 30 minutes per session"),
)
ANGLES = (
    "what to do first",
    "common mistakes",
    "a four-week plan",
    "how to progress",
    "when to get it checked",
    "the short version",
)
EDIT_SENTENCE = " Keep a short training log so you can see whether this is getting better."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale-only", action="store_true", help="only the dense-index scale measurement"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    if load_at_start > BUSY_LOAD:
        say(f"load average {load_at_start:.1f}: other processes share the CPUs, expect noise")
    if args.scale_only:
        results = bench_scale(RetrievalConfig().depth)
        finish(results, started, load_at_start)
        report_scale_target(results)
        print(json.dumps(results, sort_keys=True), flush=True)
        return
    say(f"loading the embedding model ({os.cpu_count()} cores)")
    encoder = load_encoder(None)
    starter = read_corpus(paths.starter_answers_dir())
    questions = [q.question for q in load_questions(paths.retrieval_sets_dir())]
    say(f"starter corpus: {len(starter)} answers; {len(questions)} evaluation questions")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="triagebot-bench-") as tmp:
        results |= bench_ask(encoder, starter, questions, Path(tmp) / "starter")
        generated = generate_corpus(starter, GENERATED_ANSWERS, SEED)
        results |= bench_build(encoder, generated, Path(tmp) / "generated", questions)
    results |= bench_flat_vs_hnsw(RetrievalConfig().depth)
    results |= bench_scale(RetrievalConfig().depth)
    results |= bench_torch_backend(encoder, questions, starter)
    finish(results, started, load_at_start)
    report_targets(results)
    report_scale_target(results)
    print(json.dumps(results, sort_keys=True), flush=True)


def finish(results: dict[str, Any], started: float, load_at_start: float) -> None:
    results["bench_s"] = round(time.perf_counter() - started, 1)
    # Other work on the machine skews the numbers (the ratios less than the absolutes).
    results["load_avg_1m_start"] = round(load_at_start, 2)
    results["load_avg_1m_end"] = round(os.getloadavg()[0], 2)


# --- asking -------------------------------------------------------------------------


def bench_ask(
    encoder: Encoder, records: Sequence[AnswerRecord], questions: Sequence[str], root: Path
) -> dict[str, Any]:
    """The ask path against its floor, encoding the question, on the starter corpus."""
    say("building the starter corpus index")
    IndexBuilder(root, encoder, MemoryEmbeddingCache()).build(GLOBAL_SCOPE, records)
    encode_ms, ask_ms = time_asks(encoder, root, questions)
    results = {
        "ask_p50_ms": p50(ask_ms),
        "ask_p95_ms": percentile(ask_ms, 95),
        "encode_p50_ms": p50(encode_ms),
        "encode_p95_ms": percentile(encode_ms, 95),
    }
    results["ask_to_encode_ratio"] = ratio(results["ask_p50_ms"], results["encode_p50_ms"])
    say(
        f"ask p50 {results['ask_p50_ms']} ms, p95 {results['ask_p95_ms']} ms; "
        f"encode p50 {results['encode_p50_ms']} ms; ratio {results['ask_to_encode_ratio']}"
    )
    return results


def time_asks(
    encoder: Encoder, root: Path, questions: Sequence[str]
) -> tuple[list[float], list[float]]:
    """(encode ms, ask ms) per question, interleaved so both see the same machine state."""
    encode_ms: list[float] = []
    ask_ms: list[float] = []
    for _ in range(ASK_ROUNDS):
        # A fresh retriever: its question-vector cache must not answer for the encoder.
        retriever = warmed_retriever(root, encoder)
        for question in questions:
            encode_ms.append(elapsed_ms(encoder.encode, [question]))
            ask_ms.append(elapsed_ms(retriever.search, question, [GLOBAL_SCOPE], k=3))
    return encode_ms, ask_ms


def warmed_retriever(root: Path, encoder: Encoder) -> Retriever:
    """A retriever with its build loaded and the model warmed, on questions not timed."""
    retriever = Retriever(root, encoder)
    for question in WARMUP_QUESTIONS:
        encoder.encode([question])
        retriever.search(question, [GLOBAL_SCOPE], k=3)
    return retriever


def ask_p50_ms(root: Path, encoder: Encoder, questions: Sequence[str]) -> float:
    """The ask path's p50 on another index (one pass: the questions are not repeated)."""
    retriever = warmed_retriever(root, encoder)
    return p50([elapsed_ms(retriever.search, q, [GLOBAL_SCOPE], k=3) for q in questions])


# --- the generated corpus -----------------------------------------------------------


def generate_corpus(starter: Sequence[AnswerRecord], count: int, seed: int) -> list[AnswerRecord]:
    """`count` plausible answers recombined from the starter corpus, the same for a seed.

    Each takes a starter answer's title and question for a given audience and angle, two
    of its paragraphs and one paragraph of another answer on the same topic.
    """
    rng = random.Random(seed)
    by_topic = answers_by_topic(starter)
    combinations = list(product(range(len(starter)), range(len(AUDIENCES)), range(len(ANGLES))))
    rng.shuffle(combinations)
    generated = []
    for number in range(count):
        lap, position = divmod(number, len(combinations))
        answer, audience, angle = combinations[position]
        base = starter[answer]
        donor = rng.choice(by_topic[topic_of(base)])
        generated.append(
            recombined_answer(number, lap, base, donor, AUDIENCES[audience], ANGLES[angle], rng)
        )
    say(f"generated {len(generated)} answers from {len(starter)} starter answers")
    return generated


def recombined_answer(
    number: int,
    lap: int,
    base: AnswerRecord,
    donor: AnswerRecord,
    audience: tuple[str, str],
    angle: str,
    rng: random.Random,
) -> AnswerRecord:
    title_audience, question_context = audience
    title = f"{base.title} {title_audience}: {angle}"
    if lap:  # only when asked for more answers than there are combinations
        title += f" (part {lap + 1})"
    own = paragraphs(base)
    kept = [own[n] for n in sorted(rng.sample(range(len(own)), min(2, len(own))))]
    # The donor's paragraph goes in the middle, so the base's closing (often "when to see
    # someone") still closes; one that opens like a kept paragraph would repeat it.
    openings = {opening(p) for p in kept}
    extra = [p for p in paragraphs(donor) if opening(p) not in openings]
    body = kept[:1] + ([rng.choice(extra)] if extra else []) + kept[1:]
    question = None
    if base.question:
        question = f"{base.question.rstrip(' ?.')} {question_context}?"
    return AnswerRecord(
        id=f"gen-{number:04d}-{slugify(base.id, 100)}",
        title=title,
        body="\n\n".join(body),
        author=base.author,
        question=question,
        tags=(*base.tags, slugify(title_audience)),
    )


def answers_by_topic(records: Sequence[AnswerRecord]) -> dict[str, list[AnswerRecord]]:
    topics: dict[str, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        topics[topic_of(record)].append(record)
    return topics


def topic_of(record: AnswerRecord) -> str:
    """The starter corpus keeps one topic per folder (knees/, lower-back/, ...)."""
    return Path(record.origin.path).parent.name if record.origin else "misc"


def paragraphs(record: AnswerRecord) -> list[str]:
    blocks = (b.strip() for b in re.split(r"\n[ \t]*\n", record.body))
    return [b for b in blocks if len(b.split()) >= MIN_PARAGRAPH_WORDS]


def opening(paragraph: str) -> str:
    return " ".join(paragraph.split()[:3]).lower()


def edited(records: Sequence[AnswerRecord], position: int) -> list[AnswerRecord]:
    """The corpus with one answer's body changed (a sentence added at its end)."""
    changed = list(records)
    changed[position] = replace(changed[position], body=changed[position].body + EDIT_SENTENCE)
    return changed


# --- building -----------------------------------------------------------------------


def bench_build(
    encoder: Encoder, records: Sequence[AnswerRecord], root: Path, questions: Sequence[str]
) -> dict[str, Any]:
    """Full build against raw encoding, then one edit rebuilt incrementally."""
    cache = MemoryEmbeddingCache()
    builder = IndexBuilder(root, encoder, cache)
    say(f"full build of {len(records)} answers with an empty cache")
    full_s, manifest = elapsed_s(builder.build, GLOBAL_SCOPE, records)
    counts = manifest.counts
    say(f"  {full_s:.1f} s: {counts['passages']} passages, {counts['embedded']} embedded")

    sample = records[::ENCODE_SAMPLE_EVERY]
    texts = list(dict.fromkeys(p.embed_text for p in corpus_passages(sample)))
    say(f"raw encoding of the distinct passage texts of {len(sample)} of those answers")
    encode_s, _ = elapsed_s(encoder.encode, texts, batch_size=builder.batch_size)
    say(f"  {encode_s:.1f} s for {len(texts)} texts")

    changed = edited(records, len(records) // 2)
    say("rebuild after editing one answer's body, same cache")
    edit_s, edit_manifest = elapsed_s(builder.build, GLOBAL_SCOPE, changed)
    say(f"  {edit_s:.2f} s, {edit_manifest.counts['embedded']} passage(s) embedded")
    edit_sql_s = one_edit_with_sql_cache(encoder, records, changed, root, cache)

    results: dict[str, Any] = {
        "generated_answers": len(records),
        "generated_passages": counts["passages"],
        "full_rebuild_s": round(full_s, 2),
        "one_edit_rebuild_s": round(edit_s, 3),
        "one_edit_ratio": ratio(edit_s, full_s, digits=4),
        "one_edit_embedded": edit_manifest.counts["embedded"],
        "one_edit_rebuild_sql_cache_s": round(edit_sql_s, 3),
        "build_answers_per_s": round(len(records) / full_s, 2),
        "encode_answers_per_s": round(len(sample) / encode_s, 2),
        "build_to_encode_ratio": ratio(len(records) / full_s, len(sample) / encode_s),
        "ask_p50_ms_generated": ask_p50_ms(root, encoder, questions),
    }
    say(
        f"build {results['build_answers_per_s']} answers/s vs encode "
        f"{results['encode_answers_per_s']} answers/s; ratio {results['build_to_encode_ratio']}; "
        f"one edit {results['one_edit_ratio']:.2%} of a full build; "
        f"ask p50 on this index {results['ask_p50_ms_generated']} ms"
    )
    return results


def one_edit_with_sql_cache(
    encoder: Encoder,
    records: Sequence[AnswerRecord],
    changed: Sequence[AnswerRecord],
    root: Path,
    memory: MemoryEmbeddingCache,
) -> float:
    """The one-edit rebuild as the bot runs it: with the store's cache (SQLite here).

    The store is filled from the in-memory cache rather than by another full build.
    """
    database = Database(f"sqlite:///{root / 'cache.db'}")
    database.upgrade()
    cache = SqlEmbeddingCache(database)
    hashes = [p.content_hash for p in corpus_passages(records)]
    cache.put_many(encoder.name, memory.get_many(encoder.name, hashes))
    seconds, _ = elapsed_s(IndexBuilder(root, encoder, cache).build, GLOBAL_SCOPE, changed)
    database.dispose()
    say(f"  with the SQLite embedding cache: {seconds:.2f} s")
    return seconds


# --- exact against approximate dense search -----------------------------------------


def bench_flat_vs_hnsw(depth: int) -> dict[str, Any]:
    """p50 search time of flat and HNSW, and HNSW's recall@10, by number of vectors."""
    say(
        f"flat vs HNSW: {DENSE_DIMENSION}-d clustered unit vectors, {DENSE_QUERIES} held-out "
        f"queries, depth {depth} (the retriever's)"
    )
    say(table_line("vectors", "flat p50 ms", "hnsw p50 ms", "recall@10", "hnsw build s"))
    rows = []
    for size in DENSE_SIZES:
        row = compare_dense(size, depth)
        rows.append(row)
        say(table_line(*(f"{value:,}" for value in row.values())))
    crossover = hnsw_faster_from(rows)
    if crossover is None:
        say(
            f"HNSW is never faster than flat at recall@10 >= {MIN_RECALL} up to {DENSE_SIZES[-1]:,}"
        )
    else:
        say(
            f"HNSW is faster than flat (p50) with recall@10 >= {MIN_RECALL} from {crossover:,} "
            f"vectors on (of the sizes measured); HNSW_THRESHOLD is {HNSW_THRESHOLD:,}"
        )
    return {"flat_vs_hnsw": rows, "hnsw_faster_from": crossover, "hnsw_threshold": HNSW_THRESHOLD}


def compare_dense(size: int, depth: int) -> dict[str, Any]:
    vectors = clustered_unit_vectors(size + DENSE_QUERIES, DENSE_DIMENSION, seed=size)
    # The last rows come from the same topic clusters but are not in the index.
    stored, queries = vectors[:size], vectors[size:]
    flat = DenseIndex.build(stored, index_type=FLAT)
    build_s, hnsw = elapsed_s(DenseIndex.build, stored, index_type=HNSW)
    flat_ms, exact = search_each(flat, queries, depth)
    hnsw_ms, approximate = search_each(hnsw, queries, depth)
    return {
        "vectors": size,
        "flat_p50_ms": p50(flat_ms),
        "hnsw_p50_ms": p50(hnsw_ms),
        "hnsw_recall_at_10": round(recall_at(10, exact, approximate), 4),
        "hnsw_build_s": round(build_s, 2),
    }


def table_line(*cells: str) -> str:
    return "".join(f"{cell:>14}" for cell in cells)


def search_each(
    index: DenseIndex, queries: np.ndarray, depth: int
) -> tuple[list[float], list[np.ndarray]]:
    """Time one query at a time, as the retriever asks them."""
    for query in queries[:5]:
        index.search(query, depth)
    times, found = [], []
    for query in queries:
        start = time.perf_counter()
        _, ids = index.search(query, depth)
        times.append((time.perf_counter() - start) * 1000)
        found.append(ids)
    return times, found


def recall_at(k: int, exact: Sequence[np.ndarray], approximate: Sequence[np.ndarray]) -> float:
    shares = [
        len(set(truth[:k].tolist()) & set(found[:k].tolist())) / k
        for truth, found in zip(exact, approximate, strict=True)
    ]
    return float(np.mean(shares))


def hnsw_faster_from(rows: Sequence[dict[str, Any]]) -> int | None:
    """The smallest size from which on HNSW is faster at the required recall, or None."""
    crossover = None
    for row in reversed(rows):
        wins = row["hnsw_p50_ms"] < row["flat_p50_ms"] and row["hnsw_recall_at_10"] >= MIN_RECALL
        if not wins:
            break
        crossover = row["vectors"]
    return crossover


# --- scale ---------------------------------------------------------------------------


def bench_scale(depth: int) -> dict[str, Any]:
    """The builder's choice of index at each size of SCALE_SIZES, on synthetic vectors."""
    say(
        f"scale: the index choose_index_type picks, {DENSE_DIMENSION}-d clustered unit "
        f"vectors, {DENSE_QUERIES} held-out queries, depth {depth}, one search thread"
    )
    say(table_line("vectors", "index", "build s", "p50 ms", "recall@10", "index MB", "RSS MB"))
    rows = []
    for size in SCALE_SIZES:
        row = measure_scale(size, depth)
        rows.append(row)
        say(
            table_line(
                *(
                    f"{value:,}" if isinstance(value, int | float) else value
                    for value in row.values()
                )
            )
        )
    return {"scale": rows}


def measure_scale(size: int, depth: int) -> dict[str, Any]:
    vectors = clustered_unit_vectors(size + DENSE_QUERIES, DENSE_DIMENSION, seed=size)
    stored, queries = vectors[:size], vectors[size:]
    truth = exact_top(stored, queries, 10)
    kind = choose_index_type(size)
    release_free_memory()
    rss_before = rss_mb()
    build_s, index = elapsed_s(DenseIndex.build, stored)
    rss_mb_used = rss_mb() - rss_before
    assert index.index_type == kind
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        search_ms, found = search_each(index, queries, depth)
    finally:
        faiss.omp_set_num_threads(threads)
    with tempfile.TemporaryDirectory(prefix="triagebot-scale-") as tmp:
        index.save(Path(tmp) / "dense.faiss")
        index_mb = (Path(tmp) / "dense.faiss").stat().st_size / 2**20
    return {
        "answers": size,
        "index_type": kind,
        "build_s": round(build_s, 2),
        "p50_ms": p50(search_ms),
        "recall10": round(recall_at(10, list(truth), found), 4),
        "index_mb": round(index_mb, 1),
        "rss_mb": round(rss_mb_used, 1),
    }


def exact_top(stored: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The ids of each query's exact top k by inner product, brute force in chunks."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(stored), TRUTH_CHUNK):
        scores = queries @ stored[start : start + TRUTH_CHUNK].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.concatenate([best_scores, np.take_along_axis(scores, top, 1)], 1)
        best_ids = np.concatenate([best_ids, top + start], 1)
        order = np.argsort(-best_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(best_scores, order, 1)
        best_ids = np.take_along_axis(best_ids, order, 1)
    return best_ids


def release_free_memory() -> None:
    """Hand freed heap back to the OS (glibc), so the next RSS growth is new memory only."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the default (onnx-int8) encoder against the torch backend ----------------------


def bench_torch_backend(
    encoder: Encoder, questions: Sequence[str], records: Sequence[AnswerRecord]
) -> dict[str, Any]:
    """The default encoder against the torch backend: p50 single-question encode, and the
    batched encode rate a build runs at (the starter corpus's distinct passage texts).

    Not interleaved: with both thread pools busy in one process on two cores, each slows the
    other. The default encoder goes first; torch is loaded after it.
    """
    texts = list(dict.fromkeys(p.embed_text for p in corpus_passages(records)))
    default_ms = [elapsed_ms(encoder.encode, [question]) for question in questions]
    default_s, _ = elapsed_s(encoder.encode, texts, batch_size=EMBED_BATCH)
    say("loading the torch backend for comparison")
    torch_encoder = load_encoder(None, backend="torch")
    torch_encoder.encode(list(WARMUP_QUESTIONS))
    torch_ms = [elapsed_ms(torch_encoder.encode, [question]) for question in questions]
    torch_s, _ = elapsed_s(torch_encoder.encode, texts, batch_size=EMBED_BATCH)
    results = {
        "encode_p50_ms": p50(default_ms),
        "torch_encode_p50_ms": p50(torch_ms),
        "encode_speedup_over_torch": ratio(p50(torch_ms), p50(default_ms), 2),
        "build_encode_texts_per_s": round(len(texts) / default_s, 1),
        "torch_build_encode_texts_per_s": round(len(texts) / torch_s, 1),
    }
    say(
        f"encode p50 {encoder.name} {results['encode_p50_ms']} ms, torch "
        f"{results['torch_encode_p50_ms']} ms (x{results['encode_speedup_over_torch']}); "
        f"batched {results['build_encode_texts_per_s']} vs "
        f"{results['torch_build_encode_texts_per_s']} texts/s over {len(texts)} passages"
    )
    return results


# --- reporting ----------------------------------------------------------------------


def report_targets(results: dict[str, Any]) -> None:
    checks = (
        ("ask / encode p50", results["ask_to_encode_ratio"], "<=", ASK_TARGET),
        ("one edit / full rebuild", results["one_edit_ratio"], "<=", ONE_EDIT_TARGET),
        ("build / raw encode rate", results["build_to_encode_ratio"], ">=", BUILD_TARGET),
    )
    for name, value, sense, target in checks:
        met = value <= target if sense == "<=" else value >= target
        say(f"{name}: {value} (target {sense} {target}): {'met' if met else 'MISSED'}")
    say(f"whole bench: {results['bench_s']} s")


def report_scale_target(results: dict[str, Any]) -> None:
    for row in results["scale"]:
        if row["answers"] != SCALE_TARGET_SIZE:
            continue
        met = row["p50_ms"] < SCALE_P50_TARGET_MS and row["recall10"] >= MIN_RECALL
        say(
            f"{row['answers']:,} answers ({row['index_type']}): p50 {row['p50_ms']} ms "
            f"(target < {SCALE_P50_TARGET_MS}), recall@10 {row['recall10']} "
            f"(target >= {MIN_RECALL}): {'met' if met else 'MISSED'}"
        )


def say(line: str) -> None:
    print(f"[bench] {line}", flush=True)


def elapsed_s(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def elapsed_ms(function: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    return elapsed_s(function, *args, **kwargs)[0] * 1000


def percentile(samples: Sequence[float], q: float) -> float:
    return round(float(np.percentile(samples, q)), 3)


def p50(samples: Sequence[float]) -> float:
    return percentile(samples, 50)


def ratio(numerator: float, denominator: float, digits: int = 3) -> float:
    return round(numerator / denominator, digits)


if __name__ == "__main__":
    main()
