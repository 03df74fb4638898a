"""Retrieval evaluation: ranking quality and the answer/no-answer decision, per mode.

Questions come from ``corpus/eval/retrieval*.jsonl``: one JSON object per line with
``question``, ``relevant`` (answer ids, best first; empty when the corpus has no answer
for it) and ``split`` (``tune``, used to choose settings, or ``holdout``, only reported).

For in-scope questions (at least one relevant answer) the ranking is measured without
the threshold: MRR@10, Hit@1, Hit@3 and nDCG@10 (graded: the first relevant id gains 1,
the next 1/2, then 1/4...). The decision is measured with the threshold, as the bot
would answer: the share of out-of-scope questions that get no answer, and the share of
in-scope questions answered with a relevant answer among those shown. BM25 alone, dense
alone and the hybrid are run side by side in the same run on the same builds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.errors import TriagebotError
from bot.retrieval.config import DENSE, HYBRID, KEYWORD, RRF
from bot.retrieval.retriever import Retriever, shown_positions

# The modes side by side; "rrf" is the hybrid ranked by reciprocal rank fusion, the
# plain hybrid baseline.
RRF_BASELINE = "rrf"
MODES = (KEYWORD, DENSE, RRF_BASELINE, HYBRID)
SPLITS = ("tune", "holdout")
ALL = "all"
RANK_DEPTH = 10
SHOWN = 3
IN_SCOPE_TARGET = 0.95
OUT_OF_SCOPE_TARGET = 0.8
COLUMN = 13
MODE_LABELS = {
    KEYWORD: "BM25 alone",
    DENSE: "dense alone",
    RRF_BASELINE: "RRF baseline",
    HYBRID: "hybrid",
}
METRICS = (
    ("mrr@10", "MRR@10"),
    ("hit@1", "Hit@1"),
    ("hit@3", "Hit@3"),
    ("ndcg@10", "nDCG@10"),
    ("out_of_scope_no_answer", "OOS declined"),
    ("in_scope_answered_relevant", "IS answered"),
)


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    relevant: tuple[str, ...]
    split: str
    source: str = ""

    @property
    def in_scope(self) -> bool:
        return bool(self.relevant)


def load_questions(path_or_folder: Path | str) -> list[EvalQuestion]:
    """Questions from a .jsonl file, or from every retrieval*.jsonl file of a folder."""
    path = Path(path_or_folder)
    files = sorted(path.glob("retrieval*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise TriagebotError(f"no retrieval*.jsonl evaluation files in {path}")
    questions: list[EvalQuestion] = []
    for file in files:
        for line_number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file}:{line_number}"
            try:
                data = json.loads(line)
                question = str(data["question"]).strip()
                relevant = tuple(str(i) for i in data.get("relevant") or ())
                split = str(data.get("split") or "tune")
            except (ValueError, KeyError, TypeError) as error:
                raise TriagebotError(
                    f"{where}: not an evaluation question ({error}); expected "
                    '{"question": ..., "relevant": [...], "split": "tune"|"holdout"}'
                ) from error
            questions.append(EvalQuestion(question, relevant, split, where))
    return questions


def ranking_metrics(ranked: Sequence[str], relevant: Sequence[str]) -> dict[str, float]:
    """MRR@10, Hit@1, Hit@3 and graded nDCG@10 of one ranking."""
    ranked = list(ranked[:RANK_DEPTH])
    wanted = set(relevant)
    first = next((n for n, answer_id in enumerate(ranked) if answer_id in wanted), None)
    gains = {answer_id: 0.5**position for position, answer_id in enumerate(relevant)}
    dcg = sum(gains.get(a, 0.0) / math.log2(n + 2) for n, a in enumerate(ranked))
    ideal = sorted(gains.values(), reverse=True)[:RANK_DEPTH]
    idcg = sum(g / math.log2(n + 2) for n, g in enumerate(ideal))
    return {
        "mrr@10": 0.0 if first is None else 1.0 / (first + 1),
        "hit@1": float(first == 0),
        "hit@3": float(first is not None and first < 3),
        "ndcg@10": dcg / idcg if idcg else 0.0,
    }


@dataclass(frozen=True)
class Ranked:
    """One question's ranking by one mode, without the threshold: ids and scores, best first."""

    question: EvalQuestion
    ids: tuple[str, ...]
    scores: tuple[float, ...]
    decisions: tuple[float, ...]
    thresholds: tuple[float, ...]
    """Each answer's decision score and its build's cut-off (decision.py)."""

    def shown(self, related_margin: float, threshold: float | None = None) -> list[str]:
        """The ids the bot would show (the retriever's own rule), with the builds' own
        thresholds or one `threshold` for all."""
        top = len(self.scores[:SHOWN])
        thresholds = self.thresholds[:top] if threshold is None else (threshold,) * top
        positions = shown_positions(
            self.scores[:top], self.decisions[:top], thresholds, related_margin=related_margin
        )
        return [self.ids[n] for n in positions]


def rank_questions(
    retriever: Retriever, questions: Sequence[EvalQuestion], scopes: Sequence[str]
) -> list[Ranked]:
    """Each question's top 10 by the retriever's mode, with scores."""
    ranked = []
    for question in questions:
        result = retriever.search(
            question.question, scopes, k=RANK_DEPTH, use_threshold=False, with_excerpts=False
        )
        ranked.append(
            Ranked(
                question,
                tuple(a.id for a in result.answers),
                tuple(float(a.score) for a in result.answers),
                tuple(float(a.decision_score) for a in result.answers),
                tuple(float(a.threshold) for a in result.answers),
            )
        )
    return ranked


def calibrate_threshold(
    ranked: Sequence[Ranked],
    related_margin: float,
    *,
    in_scope_target: float = IN_SCOPE_TARGET,
    out_of_scope_target: float = OUT_OF_SCOPE_TARGET,
) -> float:
    """The threshold to ship, chosen on the given (tune) questions.

    When some thresholds meet both targets (in-scope questions shown a relevant answer,
    out-of-scope ones declined), the middle of that range: the furthest from either
    edge, so that new questions are least likely to fall on the wrong side. Otherwise
    the middle of the range that maximises the mean of the two rates.
    """
    best_scores = [r.decisions[0] for r in ranked if r.decisions]
    if not best_scores:
        return 0.0
    low, high = min(best_scores) - 0.01, max(best_scores) + 0.01
    grid = [low + n * (high - low) / 1000 for n in range(1001)]
    rates = [_decision_rates(ranked, t, related_margin) for t in grid]
    feasible = [
        t
        for t, (answered, declined) in zip(grid, rates, strict=True)
        if answered >= in_scope_target and declined >= out_of_scope_target
    ]
    if not feasible:
        balanced = [(a + d) / 2 for a, d in rates]
        top = max(balanced)
        feasible = [t for t, b in zip(grid, balanced, strict=True) if b >= top - 1e-12]
    return round((min(feasible) + max(feasible)) / 2, 4)


def _decision_rates(
    ranked: Sequence[Ranked], threshold: float, related_margin: float
) -> tuple[float, float]:
    answered = [
        bool(set(r.shown(related_margin, threshold)) & set(r.question.relevant))
        for r in ranked
        if r.question.in_scope
    ]
    declined = [not r.shown(related_margin, threshold) for r in ranked if not r.question.in_scope]
    # A split without one kind of question constrains nothing on that side.
    return (_mean(answered) if answered else 1.0, _mean(declined) if declined else 1.0)


def evaluate(
    retriever: Retriever,
    questions: Sequence[EvalQuestion],
    scopes: Sequence[str],
    *,
    modes: Sequence[str] = MODES,
    calibrate: bool = False,
) -> dict[str, object]:
    """Figures for each mode, per split and overall, from one run over the same builds.

    Each mode uses its own threshold: the shipped default (RetrievalConfig), or with
    `calibrate` one chosen on the tune split by `calibrate_threshold`.
    """
    report: dict[str, object] = {
        "questions": _counts(questions),
        "modes": {},
        "thresholds": {},
        "calibrated": calibrate,
        "details": {},
    }
    retriever.remember_questions([q.question for q in questions])
    for mode in modes:
        if mode == RRF_BASELINE:
            config = replace(retriever.config, mode=HYBRID, fusion=RRF)
        else:
            config = replace(retriever.config, mode=mode)
        if mode != retriever.config.mode:
            config = replace(config, min_score=None)
        ranked = rank_questions(retriever.with_config(config), questions, scopes)
        threshold: float | None = None
        if calibrate:
            tune = [r for r in ranked if r.question.split == "tune"] or ranked
            threshold = calibrate_threshold(tune, config.related_margin)
        details = [_judge(r, threshold, config.related_margin) for r in ranked]
        if threshold is None:
            threshold = next((r.thresholds[0] for r in ranked if r.thresholds), 0.0)
        report["modes"][mode] = {  # type: ignore[index]
            split: _summarise([d for d in details if split in (ALL, d["split"])])
            for split in (*SPLITS, ALL)
        }
        report["thresholds"][mode] = threshold  # type: ignore[index]
        report["details"][mode] = details  # type: ignore[index]
    return report


def _judge(ranked: Ranked, threshold: float | None, related_margin: float) -> dict:
    question = ranked.question
    shown_ids = ranked.shown(related_margin, threshold)
    detail: dict[str, object] = {
        "question": question.question,
        "split": question.split,
        "relevant": list(question.relevant),
        "ranked": list(ranked.ids),
        "shown": shown_ids,
        "best_score": ranked.scores[0] if ranked.scores else None,
        "in_scope": question.in_scope,
    }
    if question.in_scope:
        detail.update(ranking_metrics(ranked.ids, question.relevant))
        detail["answered"] = bool(shown_ids)
        detail["answered_relevant"] = bool(set(shown_ids) & set(question.relevant))
    else:
        detail["no_answer"] = not shown_ids
    return detail


def _summarise(details: Iterable[dict]) -> dict[str, float | int]:
    details = list(details)
    in_scope = [d for d in details if d["in_scope"]]
    out_of_scope = [d for d in details if not d["in_scope"]]
    summary: dict[str, float | int] = {"in_scope": len(in_scope), "out_of_scope": len(out_of_scope)}
    for key in ("mrr@10", "hit@1", "hit@3", "ndcg@10"):
        summary[key] = _mean(d[key] for d in in_scope)
    summary["in_scope_answered"] = _mean(d["answered"] for d in in_scope)
    summary["in_scope_answered_relevant"] = _mean(d["answered_relevant"] for d in in_scope)
    summary["out_of_scope_no_answer"] = _mean(d["no_answer"] for d in out_of_scope)
    return summary


def _mean(values: Iterable[float | bool]) -> float:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else float("nan")


def _counts(questions: Sequence[EvalQuestion]) -> dict[str, dict[str, int]]:
    counts = {}
    for split in (*SPLITS, ALL):
        chosen = [q for q in questions if split in (ALL, q.split)]
        counts[split] = {
            "in_scope": sum(q.in_scope for q in chosen),
            "out_of_scope": sum(not q.in_scope for q in chosen),
        }
    return counts


def format_report(report: dict[str, object], *, show_misses: int = 0) -> str:
    """The figures as a terminal table: one block per split, one row per mode."""
    modes: dict[str, dict[str, dict[str, float]]] = report["modes"]  # type: ignore[assignment]
    thresholds: dict[str, float] = report["thresholds"]  # type: ignore[assignment]
    counts: dict[str, dict[str, int]] = report["questions"]  # type: ignore[assignment]
    label_width = max(len(label) for label in MODE_LABELS.values()) + 2
    header = "".join(f"{title:>{COLUMN}}" for _, title in METRICS)
    source = "chosen on the tune split" if report.get("calibrated") else "shipped defaults"
    lines: list[str] = [f"thresholds: {source}", ""]
    for split in (*SPLITS, ALL):
        count = counts[split]
        lines.append(
            f"{split} ({count['in_scope']} in scope, {count['out_of_scope']} out of scope)"
        )
        lines.append(f"  {'mode':<{label_width}}{'threshold':>10}{header}")
        for mode, figures in modes.items():
            values = figures[split]
            row = "".join(f"{_figure(values[key]):>{COLUMN}}" for key, _ in METRICS)
            label = MODE_LABELS.get(mode, mode)
            lines.append(f"  {label:<{label_width}}{thresholds[mode]:>10.3f}{row}")
        lines.append("")
    lines.append(
        "MRR, Hit and nDCG rank in-scope questions without the threshold; with it, OOS "
        "declined is the share of out-of-scope questions given no answer and IS answered "
        "the share of in-scope ones shown a relevant answer."
    )
    lines.append("")
    if show_misses and HYBRID in report["details"]:  # type: ignore[operator]
        lines.extend(_misses(report["details"][HYBRID], show_misses))  # type: ignore[index]
    return "\n".join(lines).rstrip() + "\n"


def _misses(details: list[dict], limit: int) -> list[str]:
    lines = ["hybrid misses (question | expected | shown):"]
    misses = [
        d
        for d in details
        if (d["in_scope"] and not d["answered_relevant"]) or (not d["in_scope"] and d["shown"])
    ]
    for d in misses[:limit]:
        expected = ", ".join(d["relevant"]) or "no answer"
        shown = ", ".join(d["shown"]) or "no answer"
        lines.append(f"  [{d['split']}] {d['question']} | {expected} | {shown}")
    if not misses:
        lines.append("  none")
    return lines


def _figure(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"
