"""Query-side normalisation of gym and physio shorthand before a question is searched.

People ask the way they talk ("lbp after deads", "hammy tweak", "tspine mobility"),
while the curated answers are written out ("lower back pain", "hamstring", "thoracic
spine"). BM25 cannot match a word the answers never use, and the embedding model reads
most of these abbreviations as noise. Each shorthand below is rewritten to the words the
answers use. Shorthand the answers themselves use (DOMS, RDL, ACL) is left alone: there
is no gap to bridge, and writing it out only weighs that one topic twice in the
question (on the tune split, expanding "doms" pulled a question about a back injury
after deadlifts towards the DOMS answer). Where the answers use both forms ("ITB" and
"IT band"), the shorthand is kept beside its expansion.

The map is deliberately short and general: common abbreviations and nicknames of the
field, each with a single unambiguous meaning. Ambiguous ones ("pt": personal trainer
or physical therapist, "rc", "ss") are left alone. Only the question is rewritten; the
indexed answers are not, so a rebuild is never needed when this list changes.
"""

from __future__ import annotations

import re

# shorthand (lower case, matched as a whole word in any case) -> what to search for
SHORTHAND = {
    # body parts and joints
    "lbp": "lower back pain",
    "tspine": "thoracic spine",
    "lspine": "lumbar spine",
    "sij": "si joint",
    "hammy": "hamstring",
    "hammies": "hamstrings",
    "hammys": "hamstrings",
    "itb": "itb it band",
    # conditions
    "pfps": "patellofemoral pain syndrome runners knee",
    # lifts and equipment
    "ohp": "overhead press",
    "sldl": "stiff leg deadlift",
    "deads": "deadlifts",
    "db": "dumbbell",
    "dbs": "dumbbells",
    "kb": "kettlebell",
    "kbs": "kettlebells",
    "bw": "bodyweight",
    "1rm": "one rep max",
    # conditioning
    "hiit": "high intensity interval training",
    "liss": "low intensity steady state cardio",
    "z2": "zone 2",
    # everyday shorthand
    "wfh": "working from home",
}

# Also written with a hyphen or a space: "t-spine", "t spine".
_SPLIT_FORMS = {"tspine": r"t[-\s]?spine", "lspine": r"l[-\s]?spine"}

_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(
        _SPLIT_FORMS.get(short, re.escape(short))
        for short in sorted(SHORTHAND, key=len, reverse=True)
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)


def expand_shorthand(question: str) -> str:
    """The question with known shorthand written out (the rest of the text untouched)."""
    return _PATTERN.sub(_replacement, question)


def _replacement(match: re.Match[str]) -> str:
    found = re.sub(r"[-\s]", "", match.group(0).lower())
    return SHORTHAND[found]
