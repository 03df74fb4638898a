"""Is a matched symptom past history, or one that has since settled, rather than current?

"had sciatica years ago, fine now" is history; "blacked out mid run, fine now" is a recent
event that has settled (some rules still count it); "had cancer 5 years ago and now new back
pain" is current. The answer is per clause: a date or a resolution governs the symptom it is
attached to, and a current or new marker in the match's clause ("but since last night",
"never used to") keeps it current whatever came before. The word lists are in history.yaml.
"""

from __future__ import annotations

from bot.redflags.context.words import word_lists
from bot.redflags.text import NormalisedText, Sentence

_WORDS = word_lists("history.yaml")

_PAST_STRONG = _WORDS.compile(r"\b(?:@past_strong)\b")
_PAST_WEAK = _WORDS.compile(r"\b(?:@past_weak)\b")
# A weak past that still dates an event to a while ago: with a resolution it is old history
# ("knocked out last season, fine since"), not a recent event that has settled.
_PAST_DATED = _WORDS.compile(r"\b(?:@past_dated)\b")
# Doing something again is a return to activity, not a symptom coming back: "cleared to spar
# again", "able to run again", "back to training again".
_ACTIVITY_AGAIN = _WORDS.compile(r"\b(?:@activity_again) (?:\w+ ){0,2}?again\b")
# How someone feels overall ("I feel ok now", "feeling alright now"), as opposed to a symptom
# that has gone ("it went away", "the numbness has cleared"). In another sentence it does not
# resolve a symptom: "had some kind of fit. i feel ok now" still describes a fit.
_GENERAL_REASSURANCE = _WORDS.compile(r"\b(?:@reassured_subjects) (?:\w+ ){0,3}?(?:@reassured)\b")
# The symptom named before is back: "..., but it came back this morning".
_RECURRENCE = _WORDS.compile(
    r"\b(?:@recurrence_subjects) (?:\w+ ){0,2}?(?:@recurrence)\b(?! (?:@back_to_normal)\b)"
)
# A condition named in the past tense, just before or at the start of a match.
_PAST_CLAIM_BEFORE = _WORDS.compile(r"\b(?:@past_claims)(?: (?:a|an|some))? $")
_PAST_CLAIM_IN = _WORDS.compile(r"^(?:\w+ ){0,3}?(?:@past_claims)(?: (?:a|an|some))? ")
_RESOLVED = _WORDS.compile(
    # "no better after 8 weeks" and "hasn't got any better since" are not recoveries.
    r"\b(?:(?<!@not_recovered_after )"
    r"(?:all |totally |completely |fully |been |was |is |its |been totally |been "
    r"completely )?(?:@recovered) (?:@recovered_when)|@fully_recovered|"
    # "went away when I stopped" describes a symptom eased by resting from an effort (as
    # angina is), not a recovery; "went away when I got out of the car" is still resolved.
    r"(?:@settled)(?! (?:\w+ )?(?:@eased_when) (?:i|he|she|they|we) (?:\w+ )?(?:@eased_by))|"
    r"@resolved)\b"
)
_ONGOING = _WORDS.compile(r"\b(?:@ongoing)\b")
# "an ache that started about a month ago" is still there: the date is when it began.
_STARTED_AGO = _WORDS.compile(
    r"\b(?:started|began|came on) (?:about |around |roughly |maybe )?(?:@began_counts) "
    r"(?:days?|weeks?|months?) ago\b"
)
# "now" opens a clause ("now I can't pee") unless it closes a resolution ("fine now").
_CLAUSE_CUT = _WORDS.compile(r"\b(?:@clause_cuts)\b|;|(?<!@now_ends_resolution )\bnow\b")
_CLAUSE_REACH = 300
_CONTRAST_CLAUSE = _WORDS.compile(r"^(?:@contrast_openers)\b")


class History:
    """Past, resolved and ongoing over one message; per-sentence answers are cached."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._specific_resolutions: dict[int, bool] = {}
        self._past: dict[int, tuple[bool, bool, bool]] = {}
        self._resolved_in: dict[int, bool] = {}

    def history(self, sentence: Sentence, start: int, end: int) -> tuple[bool, bool]:
        """(dated past history, recently settled) for the match; both False when current.

        A resolution governs the match when it is in the match's clause, elsewhere in its
        sentence next to a past-tense verb ("had a sore back last month, fine now"), or in a
        later sentence that says the symptom itself went ("... it cleared up"). How the member
        feels overall in another sentence ("i feel ok now") resolves nothing. A current or new
        marker in the clause ("but since last night", "new since yesterday", "never used to")
        keeps the match current whatever came before.
        """
        clause = self._clause(sentence, start, end)
        if _CONTRAST_CLAUSE.match(clause):
            # "used to get gout in my big toe, but this is my knee and it's hot": what the
            # sentence said before the contrast does not date the clause of the match.
            past_here = bool(_PAST_STRONG.search(clause))
            weak_past_here = bool(_PAST_WEAK.search(clause))
            dated_here = bool(_PAST_DATED.search(clause))
        else:
            past_here, weak_past_here, dated_here = self._past_marks(sentence)
        resolved_here = _RESOLVED.search(clause)
        if not (past_here or resolved_here):
            diagnosis = self._past_diagnosis(sentence, start, end)
            if not (weak_past_here and self._resolution_follows(sentence, diagnosis)):
                return False, False
        # "had cancer 5 years ago and now new back pain": the clause of the match is current.
        without_resolution = _RESOLVED.sub(" ", clause)
        if _STARTED_AGO.search(without_resolution):
            return False, False
        without_resolution = _PAST_STRONG.sub(" ", without_resolution)
        without_resolution = _ACTIVITY_AGAIN.sub(" ", without_resolution)
        if _ONGOING.search(without_resolution):
            return False, False
        if self._recurs_after(sentence, end):
            return False, False
        if past_here or dated_here:
            return True, False
        return False, True

    def _recurs_after(self, sentence: Sentence, end: int) -> bool:
        """Later in the sentence (or the next one) the symptom is said to be back.

        "had numbness down there years ago that settled, but it came back this morning".
        """
        text = self.text.text
        stop = sentence.end
        if sentence.index + 1 < len(self.text.sentences):
            stop = self.text.sentences[sentence.index + 1].end
        return bool(_RECURRENCE.search(text, end, min(stop, end + _CLAUSE_REACH)))

    def _past_marks(self, sentence: Sentence) -> tuple[bool, bool, bool]:
        """(strong past, weak past, dated weak past) in the sentence; cached per sentence."""
        marks = self._past.get(sentence.index)
        if marks is None:
            text = sentence.text
            marks = (
                bool(_PAST_STRONG.search(text)),
                bool(_PAST_WEAK.search(text)),
                bool(_PAST_DATED.search(text)),
            )
            self._past[sentence.index] = marks
        return marks

    def _resolution_follows(self, sentence: Sentence, diagnosis: bool = False) -> bool:
        """A resolution in this sentence, or one in a later sentence that settles the match.

        A later "i feel fine now" settles a past diagnosis ("I had a PE after my c-section.
        I feel great now"), but not an event such as a fit or an accident, whose danger does
        not depend on how the member feels afterwards.
        """
        here = self._resolved_in.get(sentence.index)
        if here is None:
            here = self._resolved_in[sentence.index] = bool(_RESOLVED.search(sentence.text))
        if here:
            return True
        later = self.text.sentences[sentence.index + 1 : sentence.index + 4]
        if diagnosis:
            return any(
                _RESOLVED.search(s.text) or _GENERAL_REASSURANCE.search(s.text) for s in later
            )
        return any(self._specific_resolution(s.index) for s in later)

    def _past_diagnosis(self, sentence: Sentence, start: int, end: int) -> bool:
        """The match names a condition the member had: "I had a PE", "had heatstroke"."""
        text = self.text.text
        lead = text[max(sentence.start, start - 30) : start]
        claim = _PAST_CLAIM_BEFORE.search(lead)
        span = text[start:end]
        inside = _PAST_CLAIM_IN.match(span)
        if inside:
            span = span[inside.end() :]
        elif not claim:
            return False
        return len(span.split()) <= 2 and " and " not in f" {span} "

    def _specific_resolution(self, index: int) -> bool:
        cached = self._specific_resolutions.get(index)
        if cached is None:
            text = self.text.sentences[index].text
            cached = any(
                not _GENERAL_REASSURANCE.search(text, max(0, found.start() - 40), found.end())
                for found in _RESOLVED.finditer(text)
            )
            self._specific_resolutions[index] = cached
        return cached

    def _clause(self, sentence: Sentence, start: int, end: int) -> str:
        """The part of the sentence around the match, between clause breaks."""
        text = self.text.text
        # Bounded: a run-on paste with no full stops must not make every match scan it all.
        before = text[max(sentence.start, start - _CLAUSE_REACH) : start]
        after = text[end : min(sentence.end, end + _CLAUSE_REACH)]
        cut = _CLAUSE_CUT
        breaks = list(cut.finditer(before))
        left = before[breaks[-1].start() :] if breaks else before
        forward = cut.search(after)
        right = after[: forward.start()] if forward else after
        return left + text[start:end] + right
