"""Is a matched symptom the member's own, current and actually present?

A pattern match on "numb down there" means nothing by itself: the member may be saying
they do NOT have it ("no numbness, no bladder issues"), asking about it ("what if my leg
goes numb?"), describing something long over ("had sciatica years ago, fine now") or
talking about someone else ("my dad can't pee"). This module answers those questions for
one matched span, with small hand-written rules tuned to how people write on a fitness
server. Off-the-shelf negation rules are not used on purpose: they read "can't feel it
when I wipe" and "no feeling down there" as negated, when both are the symptom itself.
Patterns include such negative-form symptoms in the match, and only cues *before* the
match (or a bare "no"/"none" right after it) negate it.

When in doubt the rules leave the match live: a needless referral is cheaper than a
missed emergency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from bot.redflags.text import NormalisedText, Sentence

# --- negation -------------------------------------------------------------------------

_NEGATION_CUE = re.compile(
    r"\b(?:no|not|never|without|none|nor|neither|zero|nothing like|denies|denied|"
    r"negative for|free of|lack of|ruled out|havent|hasnt|hadnt|dont|doesnt|didnt|isnt|"
    r"arent|wasnt|werent|aint|do not|does not|did not|have not|has not|is not|are not|"
    r"was not|were not|nope|nah)\b"
)
# Cue words that do not negate what follows them.
_NOT_A_NEGATION = re.compile(
    r"\b(?:no|not) (?:idea|clue|joke|matter|longer|way|wonder|doubt|reason|apparent reason|"
    r"warning|lie|cap|one|sure|certain|only|just|even sure|kidding|gonna lie|going to lie|"
    r"sure why|sure if|sure what|sure whether|quite sure|that i know)\b|"
    r"\b(?:dont|do not|didnt|did not|doesnt) (?:know|understand|think so|remember|care|"
    r"want to|wanna|mean to|get it|notice|realise|realize|even|know why|know what|"
    r"really know)\b|"
    r"\bwithout (?:warning|noticing|realising|realizing|knowing|meaning|trying|any warning|"
    r"feeling it|reason|any reason)\b|"
    r"\bnever (?:had|felt|experienced|seen) (?:\w+ ){0,3}?(?:like (?:this|it|that)|before)\b|"
    r"\bnothing like (?:this|it) before\b|"
    # "hasn't got any better in 3 months", "no better after 6 weeks": saying a problem
    # persists is the symptom itself, not a negation of the duration that follows.
    r"\b(?:no|not|isnt|arent|hasnt|havent|wasnt|doesnt|dont|didnt|wont|never|has not|have not|"
    r"is not|does not) (?:(?:got|getting|gotten|get|any|really|much|been|even|that|very|ever|"
    r"at all|showing|shown|seen|seeing|made|making|had) ){0,3}(?:better|improv\w*|changed?|"
    r"eas(?:ed|ing)|"
    r"settl\w*|gone away|going away|go away|heal\w*|shift\w*|budg\w*|respond\w*|"
    r"touch(?:ing|ed)? (?:it|the pain))\b"
)
# Where a negation's reach ends inside a sentence.
_SCOPE_BREAK = re.compile(
    r"\b(?:but|however|though|although|except|apart from|other than|besides|aside from|yet|"
    r"whereas|while|whilst|now|then|so|because|cos|coz|since|until|till|which|when|"
    r"only|just|plus|also|instead|and (?=(?:i|im|ive|id|my|now|then|it|its|he|she|his|"
    r"her|they|their|this|that|suddenly|today|since|also|still|then|after|the (?:next|"
    r"following)|recently|lately|have|has|got|get|am|feel|can|cant|started)\b))\b|"
    r"[:()\"]"
)
# After a comma a new clause has begun when the segment has its own subject or verb.
_CLAUSE_WORDS = re.compile(
    r"\b(?:i|im|ive|id|ill|my|me|he|hes|she|shes|his|her|they|theyre|their|it|its|this|"
    r"that|there|theres|now|and then|cant|cannot|wont|keeps?|started|getting|got|feels?|"
    r"felt|went|is|are|was|were|has|have|had)\b"
)
_LIST_JOIN = re.compile(r"\b(?:or|nor|and no|or any|and any)\b")
_NEGATIVE_FORM = re.compile(
    r"^(?:cant|cannot|can not|couldnt|unable|not able|no|zero|lost|havent|hasnt|dont|"
    r"doesnt|didnt|wont|barely|hardly|nothing)\b"
)
# "calf not swollen or hot": a negation inside a match, right before a symptom word.
_INNER_NEGATION = re.compile(
    r"\b(?:not|no|isnt|arent|wasnt|werent|never|nor|neither|without)(?: (?:really|very|at all|"
    r"too|that|even|particularly|any|remotely|visibly))? (?:swollen|swelling|hot|warm|red|numb|"
    r"weak|painful|sore|tender|hard|tight|bruised|bruising|tingly|tingling|dark|brown|bloody|"
    r"dizzy|confused|sick|throbbing|puffy|bigger|hurting|aching|blood|numbness|weakness|pain|"
    r"fever|feverish|temperature|breathless|short of breath)\b"
)
_POST_NEGATION = re.compile(
    r"^[\s,:?=>]*(?:(?:no|none|nope|nah|negative|nil|never|not really|not at all|none at all|"
    r"no never)"
    r"(?=\s*(?:[.,;!?\n]|$|and\b|or\b|but\b|,))|(?:and (?:my |his |her |the )?\w+ )?"
    r"(?:is|are|was|were|has been|have been|feels?|seems?|look|looks) (?:totally |completely |"
    r"all |perfectly |both |absolutely )?(?:fine|normal|ok|okay|good|unaffected|unhurt|clear)\b)"
)

# --- hypothetical and educational -----------------------------------------------------

_HYPOTHETICAL_CUE = re.compile(
    r"\b(?:what if|what happens (?:if|when)|what (?:should|do|would|can) (?:i|we|you) (?:say|tell|"
    r"do)\b|"
    r"if (?:a|my|someone|somebody|anyone|one of my) ?\w* (?:tells|says|mentions|talks about|admits|"
    r"shows|ever)|what would happen|what (?:should|do|would) "
    r"(?:i|we|you|one|they|someone) do (?:if|when)|should (?:i|you|we|one) (?:be )?"
    r"(?:worry|worried|concerned|panic|stop|go to|see someone|see a doctor) (?:if|when|about "
    r"(?:getting|developing|having))|is it (?:bad|serious|dangerous|a problem|an emergency|"
    r"worrying) (?:if|when)|if (?:i|you|someone|somebody|a person|anyone|they|he|she|"
    r"your|my \w+|one|we) (?:ever|were to|was to|should|happen to)|if (?:i|you|someone|"
    r"somebody|a person|anyone|they|one|we) (?:get|gets|got|start|starts|develop|develops|"
    r"notice|notices|lose|loses|pass|passes|tear|tears|collapse|collapses|faint|faints|"
    r"suddenly|experience|experiences|end up|ended up)\b|if (?:ever|it ever|this ever|that ever)|"
    r"(?:if|whenever) (?:someone|somebody|anyone|anybody|a (?:client|member|player|runner|"
    r"lifter|person|participant|student|athlete|patient|teammate))\b|"
    r"in case|hypothetical\w*|imagine|suppos(?:e|ing)|(?:lets|let us) say|say (?:i|you|"
    r"someone) (?:hit|got|get|tore|had|have)|(?:scared|afraid|worried|paranoid|terrified|"
    r"anxious|nervous|concerned|fear(?:ful)?|worry) (?:\w+ )?(?:of|about|that) (?:getting|"
    r"developing|having|ending up|it (?:turning|becoming|being)|tearing|rupturing|doing)|"
    r"(?:scared|afraid|worried|paranoid|terrified|anxious|nervous|concerned|worry) (?:i|"
    r"that i) (?:might|could|will|may|am going to|would|ll) (?:get|develop|have|end up|"
    r"tear|rupture|do|pass out|faint|collapse|hurt)|how (?:do|would|can|could|will|should|"
    r"to) (?:i |you |we |one |someone |people |a person )?(?:know|tell|spot|recogni[sz]e|"
    r"check|avoid|prevent|notice|identify)|(?:avoid|avoiding|prevent|preventing|reduce the "
    r"risk of|lower the risk of|lower my risk of|reduce my risk of|risk of|chance of|odds of)\b|"
    r"could (?:\w+ ){0,6}?(?:ever )?(?:cause|lead to|give (?:you|me|someone)|result in|"
    r"trigger|bring on)|can (?:\w+ ){1,3}?(?:cause|lead to|give you|result in|trigger)|"
    r"is it possible (?:to|that|for)|possible to (?:get|have|develop)|would (?:\w+ ){0,3}?"
    r"(?:be|count as) (?:a |an )?(?:red flag|emergency|sign))\b"
)
_EDUCATIONAL_CUE = re.compile(
    r"\b(?:(?:signs?|symptoms?|red flags?|warning signs?|indicators?|features?|"
    r"presentation|criteria) (?:of|for)|red flags?|warning signs?|what (?:is|are|does|do|"
    r"causes?|counts? as|exactly|actually)(?! (?:happening|going on|wrong|up|this|that)\b)|"
    r"whats (?:a|an|the)|how (?:do|does|can|would) "
    r"(?:you|one|people|someone|a person) (?:tell|know|spot|recogni[sz]e|get|test)|"
    r"difference between|explain|article|read (?:about|that|an?|up)|reading about|"
    r"learn(?:ed|ing|t)? (?:about|that)|studying|exam|module|course|lecture|assignment|"
    r"textbook|cpd|certification|cert|quiz|podcast|video|documentary|youtube|tiktok|"
    r"instagram|reddit|why (?:do|does|would|can) (?:people|you|patients|someone|athletes|"
    r"lifters|runners|it)|(?:always|usually|typically|generally|normally) (?:a |an )?"
    r"(?:emergency|sign|serious|red flag|dangerous)|(?:coach|coaches|trainer|trainers|pts?) "
    r"(?:should|need to|must) (?:know|look out|watch)|for (?:my|a|our) (?:class|course|"
    r"clients in general|exam|module|essay|study))\b|"
    r"\b(?:is it|its|is that) (?:\w+ )?(?:normal|common|usual|bad|ok|okay|dangerous) for (?:women|"
    r"men|"
    r"people|lifters|runners|athletes|older \w+|young \w+|someone|anyone|a person|mums|moms|"
    r"beginners)\b"
)
# A sentence in which the member describes their own (or someone's) current experience.
_OWN_EXPERIENCE = re.compile(
    r"\b(?:(?:told|tells|telling|texted|messaged) (?:me|us)|i (?:have|got|am|feel|felt|cant|cannot|"
    r"couldnt|keep|noticed|get|woke|think i|"
    r"just|started|now|still|was|did|had|hurt|tweaked|pulled|fell|hit|banged|passed|blacked|"
    r"fainted|collapsed|lost|heard)|ive (?:got|had|been|noticed|lost|started)|im (?:getting|"
    r"having|feeling|numb|now|still|currently|in|so)|(?:my|his|her) \w+ (?:is|are|has|have|"
    r"feels?|felt|went|goes|keeps|hurts?|started|looks?|was|were|got|gets|became|swelled|"
    r"popped|snapped)|(?:hes|shes|theyre)|(?:he|she|they) (?:is|has|have|cant|says|said|feels?|"
    r"felt|got|keeps|"
    r"went|was|were|collapsed|fainted|passed)|since (?:yesterday|this morning|last night|"
    r"today|then|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|right now|"
    r"at the moment|currently|this morning|last night|today|yesterday|tonight)\b"
)
# Personal words that do not make an educational question about the member's own body.
_EDUCATIONAL_PERSONAL_OK = re.compile(
    r"\b(?:my (?:\w+ ){0,2}?(?:module|course|class|classes|exam|exams|cert\w*|studies|degree|"
    r"essay|assignment|lecturer|teacher|tutor|clients?|athletes?|students?|team|members|physio|"
    r"pt|coach|doctor|gp|understanding|knowledge|notes|revision)|i (?:should|need to|want to|"
    r"have to|must|ought to) (?:know|teach|learn|look|watch|tell|explain|understand|be aware)|"
    r"i (?:read|learned|learnt|saw|heard|was reading|am studying|m studying|teach|coach|am "
    r"curious|m curious|wonder|was wondering)|(?:should|can|do|would|could) i|i (?:just )?read)\b"
)
_SPECIFIC_PERSON = re.compile(
    r"\b(?:i|im|ive|id|my|me|mine|he|hes|she|shes|his|her|him|we|our|us)\b"
)
_PERSONAL_MARKER = re.compile(
    r"\b(?:i|im|ive|id|my|me|mine|he|hes|she|shes|his|her|him|they|theyre|their|them|we|our|"
    r"us)\b"
)

# --- history --------------------------------------------------------------------------

_PAST_STRONG = re.compile(
    r"\b(?:(?:\d+|a few|few|several|many|some|couple(?: of)?|two|three|four|five|six|seven|"
    r"eight|nine|ten|a|one) (?:years?|yrs?|decades?) (?:ago|back|before)|(?:\d+|a few|few|"
    r"several|many|some|couple(?: of)?|two|three|four|five|six|seven|eight|nine|ten|a|one) "
    r"(?:months?|mths?) (?:ago|back)|last year|years (?:ago|back)|a (?:long )?(?:while|time) "
    r"(?:ago|back)|long time ago|back in (?:the day|(?:19|20)\d\d|school|uni|college)|in "
    r"(?:19|20)\d\d|(?:when|while) i was (?:a kid|a child|a teen\w*|younger|at school|in "
    r"(?:school|uni|college|my)|\d+)|as a (?:kid|child|teen\w*|youngster|junior)|at school|"
    r"in (?:my|his|her) (?:teens|twenties|thirties|forties|20s|30s|40s|youth)|used to|"
    r"once had|previously|in the past|years earlier|as a student)\b"
)
_PAST_WEAK = re.compile(
    r"\b(?:last (?:month|summer|winter|spring|autumn|fall|season)|(?:\d+|a few|few|several|"
    r"two|three|four|five|six|seven|eight|couple(?: of)?) (?:weeks?|wks?) ago|had|was|got)\b"
)
_RESOLVED = re.compile(
    # "no better after 8 weeks" and "hasn't got any better since" are not recoveries.
    r"\b(?:(?<!no )(?<!not )(?<!any )(?<!nt )(?<!never )"
    r"(?:all |totally |completely |fully |been |was |is |its |been totally |been "
    r"completely )?(?:fine|good|ok|okay|great|well|sorted|healed|resolved|recovered|"
    r"cleared(?: up)?|gone|clear|normal|better) (?:now|since|ever since|after(?:wards)?|"
    r"again|since then|for years|these days)|fully (?:recovered|healed|resolved|better)|"
    r"all (?:clear|good|resolved|sorted|fine|healed|gone|cleared)|"
    # "went away when I stopped" describes a symptom eased by resting from an effort (as angina
    # is), not a recovery; "went away when I got out of the car" is still resolved.
    r"(?:went away|cleared up|settled(?: down)?|eased off)(?! (?:\w+ )?(?:when|once|as soon as|"
    r"whenever|each time|every time|if|after) (?:i|he|she|they|we) (?:\w+ )?(?:stop\w*|rest\w*|"
    r"slow\w*|sat|sit|eased off|took a (?:break|breather)|walked|paused))|"
    r"resolved|recovered|(?:no|zero|never had any) (?:problems?|issues?|"
    r"symptoms?|trouble|recurrence|relapse)s? (?:since|after|afterwards|now|ever since)|"
    r"never (?:came back|returned|happened again)|hasnt (?:come back|returned|happened "
    r"again)|havent had (?:it|any|one) since|back to normal|long gone|doing (?:really )?"
    r"(?:well|great|fine|good) now|(?:it|that|this) (?:was|is) (?:long )?(?:over|behind me)|"
    r"fine since|good since|ok since|all sorted)\b"
)
_ONGOING = re.compile(
    r"\b(?:now|still|again|currently|at the moment|atm|today|tonight|this (?:morning|week|"
    r"evening|afternoon)|since (?:yesterday|last night|this morning|then|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|the|my|i)|ever since|right now|getting "
    r"worse|worse|keeps?|recently|lately|these days|new|came back|come back|returned|"
    r"(?:started|starting) (?:\w+ )?(?:today|yesterday|again|recently|this|last night|a few days)|"
    r"for the (?:past|last) \w+|yesterday|last night|\d+ (?:hours?|days?) "
    r"ago|(?:a|one|two|three) (?:days?|hours?) ago|"
    # "had breast cancer years ago ... this last month my back has started aching"
    r"this (?:last |past )?(?:month|week|fortnight)|the (?:last|past) (?:few |couple of |\d+ )?"
    r"(?:days|weeks|months|month|week|fortnight)|(?:last|past) (?:few|couple of|\d+) "
    r"(?:days|weeks|months)|(?:has|have|hes|shes|its|ive|weve) (?:\w+ )?started|"
    # A present-tense habit is current even beside an unrelated past event: "every time I do
    # heavy squats a bit of wee comes out, had my son last year".
    r"(?:every time|each time|whenever|any ?time) (?:i|he|she|they|you|we) (?:do|jump|lift|squat|"
    r"run|cough|sneeze|laugh|skip|deadlift|train|go|try|bend|sit|stand|walk|get up|lie|sleep))\b"
)

# --- other people ---------------------------------------------------------------------

_OTHER_PERSON = re.compile(
    r"(?:\b(?:my|our|a|his|her) (?:dad|father|mum|mom|mother|mam|ma|pa|husband|hubby|wife|"
    r"missus|partner|boyfriend|girlfriend|bf|gf|fiance|fiancee|spouse|other half|son|"
    r"daughter|kid|kids|child|children|boy|girl|baby|brother|bro|sister|sis|friend|mate|"
    r"buddy|pal|client|athlete|patient|teammate|team mate|"
    r"(?:training|lifting|sparring|running|climbing|cycling|gym|swim|rugby|football|boxing|"
    r"crossfit) (?:buddy|partner|friend|mate|pal)|coworker|co worker|colleague|uncle|"
    r"aunt|auntie|aunty|grandad|granddad|grandpa|grandma|nan|nana|nanna|gran|granny|"
    r"grandmother|grandfather|neighbou?r|roommate|flatmate|housemate|student|cousin|nephew|"
    r"niece|stepdad|stepmum|stepmom|parent|parents|member|lifter|runner|swimmer|player|"
    r"team ?mate|guy|girl|man|woman|lady|bloke|fella|dude|boss|lad|lass|chap|youngster|teen|"
    r"teenager|pupil|mum|mam|regular)s?\b(?! and i\b)|"
    r"\b(?:someone|somebody|one of (?:my|our|the) \w+|this (?:guy|girl|man|woman|lady|bloke|"
    r"lad)))(?: (?:in|at|from|of) (?:my|our|the) \w+(?: \w+)?)?"
)
_THIRD_PRONOUN = re.compile(
    r"\b(?:he|hes|she|shes|him|his|her|hers|they|theyre|their|them|himself|herself|themselves)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|im|ive|id|ill|me|my|mine|myself)\b")
_THIRD_SUBJECT = re.compile(
    r"(?:he|hes|she|shes|he is|she is|he has|she has|"
    # a relation named without "my" at the start: "dad's speech went garbled", "teammate collapsed"
    r"(?:dad|mum|mom|husband|hubby|wife|partner|son|daughter|brother|sister|grandad|grandpa|"
    r"grandma|nan|gran|friend|mate|teammate|client|boyfriend|girlfriend|bf|gf|coach)s?)\b"
)
_GENERIC_FIRST = re.compile(
    r"\b(?:what (?:should|do|can|would) i|should i|can i|do i|how (?:do|can|should) i|"
    r"i (?:think|guess|reckon|wonder|dont know|am worried|m worried|was wondering)|"
    r"(?:tell|help|call|ring|take|get) (?:him|her|them)|im (?:worried|scared|not sure)|"
    r"(?:told|tells|telling|texted|messaged|said to|admitted to|confided in) (?:me|us)|"
    r"i (?:told|said|asked|called|rang|drove|took))\b"
)


@dataclass(frozen=True)
class MatchContext:
    """How one matched span is framed in its message."""

    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    third_person: bool = False

    def blocks(self, *, history_ok: bool = False) -> bool:
        """True when the match should not count as a current symptom."""
        return self.negated or self.hypothetical or (self.historical and not history_ok)


class MessageContext:
    """Context rules over one normalised message; per-sentence answers are cached."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._sentence_frames: dict[int, tuple[bool, bool]] = {}
        self._third_person: list[bool] = []

    def classify(self, start: int, end: int) -> MatchContext:
        sentence = self.text.sentence_at(start)
        return MatchContext(
            negated=self.is_negated(sentence, start, end),
            hypothetical=self.is_hypothetical(sentence, start),
            historical=self.is_historical(sentence, start, end),
            third_person=self.is_third_person(sentence),
        )

    # negation ---------------------------------------------------------------------

    def is_negated(self, sentence: Sentence, start: int, end: int) -> bool:
        if _INNER_NEGATION.search(self.text.text, start, end):
            return True
        before = self.text.text[sentence.start : start]
        if self._negated_from_before(before, self.text.text[start:end], sentence, end):
            return True
        after = self.text.text[end : min(len(self.text.text), end + 40)]
        return bool(_POST_NEGATION.match(after))

    def _negated_from_before(self, before: str, span: str, sentence: Sentence, end: int) -> bool:
        breaks = list(_SCOPE_BREAK.finditer(before))
        window = before[breaks[-1].end() :] if breaks else before
        cue = None
        for candidate in _NEGATION_CUE.finditer(window):
            if not _NOT_A_NEGATION.match(window, candidate.start()):
                cue = candidate
        if cue is None:
            return False
        between = window[cue.end() :]
        if len(between.split()) > 8:
            return False
        segments = re.split(r",|\s-\s", between)
        if len(segments) > 1:
            # "no numbness, tingling or weakness" is one negated list; "no back pain,
            # my bum is numb" and "no numbness, cant pee" are not.
            if _NEGATIVE_FORM.match(span):
                return False
            if any(_CLAUSE_WORDS.search(segment) for segment in segments[1:]):
                return False
            rest = self.text.text[
                cue.start() + (len(before) - len(window)) + sentence.start : sentence.end
            ]
            if not _LIST_JOIN.search(rest):
                return False
        return True

    # hypothetical / educational ---------------------------------------------------------

    def is_hypothetical(self, sentence: Sentence, start: int) -> bool:
        hypothetical, educational = self._frame(sentence.index)
        if educational:
            return True
        if not hypothetical:
            return False
        before = self.text.text[sentence.start : start]
        cues = list(_HYPOTHETICAL_CUE.finditer(sentence.text))
        if not cues:
            return True  # inherited from the sentence before
        # The cue must come before the match (or be in the same clause after it, as in
        # "numb legs - what if that happens?"), with no "but now" in between.
        for cue in cues:
            cue_start = sentence.start + cue.start()
            if cue_start <= start:
                gap = self.text.text[cue_start:start]
                if not re.search(r"\b(?:but|however|now|and now|anyway)\b", gap):
                    return True
            elif not re.search(r"\b(?:but|and now|now)\b", self.text.text[start:cue_start]):
                return not bool(_OWN_EXPERIENCE.search(before))
        return False

    def _frame(self, index: int) -> tuple[bool, bool]:
        """(hypothetical, educational) for sentence `index`, inheriting into fragments."""
        # Filled in order (not recursively): a 100 kB message may have thousands of fragments.
        for current in range(len(self._sentence_frames), index + 1):
            sentence = self.text.sentences[current].text
            hypothetical = bool(_HYPOTHETICAL_CUE.search(sentence))
            educational = bool(_EDUCATIONAL_CUE.search(sentence)) and not _SPECIFIC_PERSON.search(
                _EDUCATIONAL_PERSONAL_OK.sub(" ", sentence)
            )
            inherits = current > 0 and not _PERSONAL_MARKER.search(sentence)
            if not (hypothetical or educational) and inherits:
                # "What counts as a red flag? night pain, weight loss?" - the fragment
                # continues the question before it.
                hypothetical, educational = self._sentence_frames[current - 1]
            self._sentence_frames[current] = (hypothetical, educational)
        return self._sentence_frames[index]

    # history ----------------------------------------------------------------------------

    def is_historical(self, sentence: Sentence, start: int, end: int) -> bool:
        clause = self._clause(sentence, start, end)
        resolved_anywhere = self._resolved_anywhere
        past_here = _PAST_STRONG.search(sentence.text)
        weak_past_here = _PAST_WEAK.search(sentence.text)
        resolved_here = _RESOLVED.search(clause)
        if not (past_here or resolved_here or (weak_past_here and resolved_anywhere)):
            return False
        # "had cancer 5 years ago and now new back pain": the clause of the match is current.
        without_resolution = _RESOLVED.sub(" ", clause)
        without_resolution = _PAST_STRONG.sub(" ", without_resolution)
        return not _ONGOING.search(without_resolution)

    def _clause(self, sentence: Sentence, start: int, end: int) -> str:
        """The part of the sentence around the match, between clause breaks."""
        text = self.text.text
        before = text[sentence.start : start]
        after = text[end : sentence.end]
        cut = re.compile(r"\b(?:but|however|though|although|and now|now|whereas|yet)\b|;")
        breaks = list(cut.finditer(before))
        left = before[breaks[-1].start() :] if breaks else before
        forward = cut.search(after)
        right = after[: forward.start()] if forward else after
        return left + text[start:end] + right

    @cached_property
    def _resolved_anywhere(self) -> bool:
        return bool(_RESOLVED.search(self.text.text))

    # other people -----------------------------------------------------------------------

    @cached_property
    def mentions_other_person(self) -> bool:
        # A named person ("my dad", "a lad at parkrun"), or a message that opens about "he" or
        # "she" ("he's had a bad back for a week and ..."; not "Physio says I'm fine. He ...").
        return bool(_OTHER_PERSON.search(self.text.text)) or bool(
            _THIRD_SUBJECT.match(self.text.text)
        )

    def is_third_person(self, sentence: Sentence) -> bool:
        if not self.mentions_other_person:
            return False
        for current in range(len(self._third_person), sentence.index + 1):
            self._third_person.append(self._sentence_is_third_person(current))
        return self._third_person[sentence.index]

    def _sentence_is_third_person(self, index: int) -> bool:
        text = self.text.sentences[index].text
        stripped = _GENERIC_FIRST.sub(" ", _OTHER_PERSON.sub(" ", text))
        if _FIRST_PERSON.search(stripped):
            return False
        if _OTHER_PERSON.search(text) or _THIRD_PRONOUN.search(text):
            return True
        if index == 0 and _THIRD_SUBJECT.match(text.strip()):
            return True
        # A fragment after "my dad is 70." with no person of its own is still about him.
        return index > 0 and not _PERSONAL_MARKER.search(text) and self._third_person[index - 1]

    def about_someone_else(self) -> bool:
        """The message as a whole is about another person, with no first-person symptoms."""
        if not self.mentions_other_person:
            return False
        return all(
            self.is_third_person(s) or not _OWN_EXPERIENCE.search(s.text)
            for s in self.text.sentences
        ) and any(self.is_third_person(s) for s in self.text.sentences)
