"""Evaluation of the core against the curated evaluation sets in ``corpus/eval``."""
