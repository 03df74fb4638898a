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
    r"\b(?:no|not|never|without|none|nor|neither|zero|nothing like|denies|denied|unrelated to|"
    r"nothing (?:to do with|related to|connected to)|not (?:related|connected|linked) to|"
    r"negative for|free of|lack of|ruled out|nothings|nothing (?:is|feels|felt|was|has been|"
    r"went|gone|going)|havent|hasnt|hadnt|dont|doesnt|didnt|isnt|"
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
# "happens when I'm stressed, not when training": a denied circumstance, which the scope
# break at "when" would otherwise hide.
_NEGATED_CIRCUMSTANCE = re.compile(
    r"\b(?:not|never|isnt|wasnt|doesnt|dont|didnt) (?:just |only |really |even )?(?:when|while|"
    r"during|from|after|with|on|in) (?:(?:i|im|i am|my|the|a|an|me|doing|it)\b ?){0,2}"
    r"(?:\w+ ){0,1}$"
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
    r"droop\w*|slurr\w*|lopsided|crooked|wonky|blurry|pale|"
    r"fever|feverish|temperature|breathless|short of breath)\b"
)
_POST_NEGATION = re.compile(
    r"^[\s,:?=>]*(?:(?:no|none|nope|nah|negative|nil|never|not really|not at all|none at all|"
    r"no never)"
    r"(?=\s*(?:[.,;!?\n]|$|and\b|or\b|but\b|,))|(?:and (?:my |his |her |the )?\w+ )?"
    r"(?:is|are|was|were|has been|have been|feels?|seems?|look|looks) (?:totally |completely |"
    r"all |perfectly |both |absolutely )?(?:fine|normal|ok|okay|good|unaffected|unhurt|clear)\b"
    # "out for a few seconds, feel fine now" is a reassurance about the present (see history),
    # not a denial of the symptom.
    r"(?! (?:now|again|since|after|afterwards|these days)\b))"
)

# --- hypothetical and educational -----------------------------------------------------

_HYPOTHETICAL_CUE = re.compile(
    r"\b(?:what if|what happens (?:if|when)|what (?:should|do|would|can) (?:i|we|you) (?:say|tell|"
    r"do)\b|"
    r"if (?:a|my|someone|somebody|anyone|one of (?:my|the|our)) ?(?:\w+ ){0,2}?(?:tells|says|"
    r"mentions|talks about|admits|shows|ever|complains)|what would happen|what (?:should|do|would) "
    r"(?:i|we|you|one|they|someone) do (?:if|when)|should (?:i|you|we|one) (?:be )?"
    r"(?:worry|worried|concerned|panic|stop|go to|see someone|see a doctor) (?:if|when|about "
    r"(?:getting|developing|having))|is it (?:bad|serious|dangerous|a problem|an emergency|"
    r"worrying) (?:if|when)|if (?:i|you|someone|somebody|a person|anyone|they|he|she|"
    r"your|my \w+|one|we) (?:ever|were to|was to|should|happen to)|"
    # "if my back pain ever came with a fever"
    r"if (?:my|your|his|her|the) (?:\w+ ){1,3}?(?:ever|were to|was to|should)\b|"
    r"(?<!sure )(?<!know )(?<!wonder )(?<!wondering )(?<!unsure )(?<!check )(?<!tell )"
    r"if (?:my|your|our) \w+ (?:got|gets|get|was|were|had|started|collapsed|collapses|fainted|"
    r"faints|fell|falls)\b|"
    r"if (?:i|you|someone|"
    r"somebody|a person|anyone|they|one|we) (?:get(?! me\b| what i mean)|gets|got|start|starts|"
    r"develop|develops|"
    r"stopped|became|"
    r"notice|notices|lose|loses|pass|passes|tear|tears|collapse|collapses|faint|faints|"
    r"suddenly|experience|experiences|end up|ended up)\b|if (?:ever|it ever|this ever|that ever)|"
    r"(?:if|whenever) (?:someones?|somebodys?|anyones?|anybodys?|a (?:client|member|player|runner|"
    r"lifter|person|participant|student|athlete|patient|teammate))\b|"
    r"what would (?:\w+ ){0,10}?(?:feel|look|be) like|"
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
    r"(?:be|count as) (?:a |an )?(?:red flag|emergency|sign)|"
    r"if (?:it|this|that) (?:ever )?(?:happens|happened|were to|was to|starts|started|should)\b|"
    # A generic person in the past subjunctive: "if you had back pain and then got numbness".
    r"if (?:you|someone|somebody|a person|anyone|anybody|one|people) (?:had|were)\b|"
    r"if (?:someone|somebody|a person|anyone|anybody|one) (?:has|have|is)\b|"
    # Asking where the threshold is: "is that when you go to a&e?"
    r"is (?:that|this|it) when (?:you|i|we|one|people|someone|they) (?:should |would |need to |"
    r"have to |must |ought to )?(?:go|call|ring|head|see|get|seek|phone|stop))\b"
)
# A what-if after the match governs it only within its clause: "numb legs - what if that
# happens?", not "stiff for ages, and ... gets better if i get up".
_AFTER_CUE_BREAK = re.compile(r"\b(?:but|and now|now)\b|[,;]")
# "would sudden breathlessness on the plane be something to worry about?" is a what-if only
# when the message plans ahead ("flying back next week"); asked about something happening
# now, it is the member's own symptom.
_WOULD_WORRY = re.compile(
    r"\bwould (?:\w+ ){0,12}?(?:be|count as|mean) (?:\w+ )?(?:something|anything|"
    r"a (?:red flag|worry|"
    r"concern|problem|sign|bad sign|reason|cause)|an emergency|worrying|serious|dangerous|bad|a "
    r"big deal|cause for)\b"
)
# "would numbness in your groin be something to worry about": a generic person.
_GENERIC_PERSON = re.compile(r"\b(?:your|someone|somebody|a person|people|anyone|anybody)\b")
_FUTURE_PLAN = re.compile(
    r"\b(?:next (?:week|month|year|time|weekend|season|block)|tomorrow|upcoming|in a few (?:days|"
    r"weeks)|(?:flying|going|heading|travelling|traveling|driving) (?:back|home|out|away|abroad)|"
    r"before (?:my|the|a) (?:trip|flight|race|comp|competition|holiday|meet|marathon|event)|"
    r"(?:im|i am|were|we are) (?:doing|running|flying|racing|competing|going|starting|about to)|"
    r"planning to|"
    r"(?:will|gonna|going to) be (?:doing|flying|running|racing))\b"
)
# "I don't have it, I just read about it": a would-question asked out of curiosity.
_DISCLAIMER = re.compile(
    r"\b(?:(?:dont|do not|havent|have not) (?:got |had )?(?:it|this|that|any of (?:it|this|that|"
    r"these|those|them))\b(?! in (?:me|him|her))|just (?:curious|wondering|asking)|"
    r"(?:just )?want(?:ed)? to know|nothing wrong (?:atm|at the moment|right now|now)|"
    r"(?:im|i am) (?:just )?curious)"
)
_EDUCATIONAL_CUE = re.compile(
    r"\b(?:(?:signs?|symptoms?|red flags?|warning signs?|indicators?|features?|"
    r"presentation|criteria) (?:of|for)|red flags?|warning signs?|tests? (?:for|of)|"
    r"(?:physio|physiotherapy|medical|nursing|sports science|sport science|pt|kinesiology) "
    r"students?|revising|revision|"
    # "which symptoms after a concussion mean you need hospital?"
    r"(?:which|what) (?:\w+ )?(?:symptoms|signs)\b|what (?:is|are|does|do|"
    r"causes?|counts? as|exactly|actually)(?! (?:happening|going on|wrong|up|this|that)\b)|"
    r"whats (?:a|an|the)|how (?:do|does|can|would) "
    r"(?:you|one|people|someone|a person) (?:tell|know|spot|recogni[sz]e|get|test)|"
    r"difference between|explain|article|read (?:about|that|an?|up)|reading about|"
    r"learn(?:ed|ing|t)? (?:about|that)|studying|exam|module|course|lecture|assignment|"
    r"textbook|cpd|certification|cert|quiz|psa|til|today i (?:learned|learnt)|"
    r"screening (?:questions?|tools?|tests?)|(?:older|younger|new) clients|"
    r"what (?:kind|sort|type) of (?:\w+ ){0,3}?(?:would|should|means?|is|counts)|"
    r"what (?:should|do|must) (?:i|we|you|people) know about|"
    r"how common|any data|statistics|(?:a|my|for a) presentation|nerding out|"
    r"(?:for|to) (?:anyone|everyone|all) (?:new|out there|reading|wondering)|guidelines?|"
    r"coach education|how long should (?:an? |the )?(?:adult|person|player|athlete|kid|child)|"
    r"just (?:learned|"
    r"learnt|read|found out)|fyi|(?:the )?source (?:is|was)|"
    # "saw a video on it", not "did the rehab stuff from youtube"
    r"(?:on|in|watched|watching|saw|seen|heard|listening to) (?:a |an |this |that |some |the )?"
    r"(?:\w+ )?(?:podcast|video|documentary|youtube|tiktok|instagram|reddit)|"
    r"blog(?: post)?|writing (?:a|an|my) (?:post|article|piece|essay)|"
    r"why (?:do|does|is|are) (?!(?:my|i|it|this|that|he|she|his|her)\b)\w+ (?:\w+ )?"
    r"(?:come on|happen|occur|cause|get|settle|go|feel)|"
    r"why (?:do|does|would|can) (?:people|you|patients|someone|athletes|"
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
    r"curious|m curious|wonder|was wondering)|(?:should|can|do|would|could) i|i (?:just )?read|"
    r"when (?:i|we) (?:train|run|lift|exercise|work out|race|play)|"
    r"(?:our|my) (?:\w+ ){0,2}?(?:club|team|squad|members|players|group|class)|"
    # family history as the reason for asking: "my dad had a heart attack at 52"
    r"(?:my|our) (?:dad|father|mum|mother|mom|old man|grandad|grandfather|grandma|gran|brother|"
    r"sister|uncle|aunt)s? (?:had|died of|passed from) (?:a |an )?(?:\w+ ){1,3}?(?:at (?:the age "
    r"of |age )?\d\d|when (?:he|she) was \d\d|young))\b"
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
    # "in my twenties" dates an event; "a client in her 40s" only gives an age
    r"(?<!client )(?<!woman )(?<!man )(?<!lady )(?<!guy )(?<!bloke )(?<!member )(?<!im )"
    r"(?<!i am )(?<!shes )(?<!hes )(?<!someone )(?<!person )"
    r"in (?:my|his|her) (?:teens|twenties|thirties|forties|20s|30s|40s|youth)|"
    r"(?<!never )(?<!not )(?<!didnt )(?<!did not )(?<!wasnt )(?<!dont )used to|"
    r"once had|previously|in the past|years earlier|as a student|"
    # "2 years post achilles repair"
    r"(?:\d+|a few|few|several|many|two|three|four|five|six|seven|eight|nine|ten) "
    r"(?:years?|yrs?) post|(?:two|three|four|five|\d+|a few|several|many) seasons (?:ago|back)|"
    # a one-off long ago: "fainted at a concert once"
    r"(?:fainted|collapsed|passed out|blacked out|happened|had (?:it|one|that)|did it)"
    r"(?: \w+){0,7}? once"
    r"(?! (?:i|we|you|he|she|the|it|its|im|my)\b))\b"
)
_PAST_WEAK = re.compile(
    r"\b(?:last (?:month|summer|winter|spring|autumn|fall|(?:\w+ )?season)|"
    r"(?:\d+|a few|few|several|"
    r"two|three|four|five|six|seven|eight|couple(?: of)?) (?:weeks?|wks?) ago|had|was|got)\b"
)
# A weak past that still dates an event to a while ago: with a resolution it is old history
# ("knocked out last season, fine since"), not a recent event that has settled.
_PAST_DATED = re.compile(
    r"\b(?:last (?:month|summer|winter|spring|autumn|fall|(?:\w+ )?season|term)|"
    r"(?:\d+|a few|few|several|"
    r"two|three|four|five|six|seven|eight|couple(?: of)?) (?:weeks?|wks?) ago|"
    # "in March" dates it; "in may" is left out as it is mostly "... in may be" and the like.
    r"(?:back )?in (?:january|february|march|april|june|july|august|september|october|"
    r"november|december))\b"
)
# Doing something again is a return to activity, not a symptom coming back: "cleared to spar
# again", "able to run again", "back to training again".
_ACTIVITY_AGAIN = re.compile(
    r"\b(?:to|can|could|cleared to|able to|allowed to|back to|ready to|get back to|start) "
    r"(?:\w+ ){0,2}?again\b"
)
# How someone feels overall ("I feel ok now", "feeling alright now"), as opposed to a symptom
# that has gone ("it went away", "the numbness has cleared"). In another sentence it does not
# resolve a symptom: "had some kind of fit. i feel ok now" still describes a fit.
_GENERAL_REASSURANCE = re.compile(
    r"\b(?:i|im|i am|ive been|he|hes|she|shes|they|theyre|(?:i |he |she |they )?(?:feel|feels|"
    r"felt|feeling|seem|seems|seemed)) (?:\w+ ){0,3}?(?:fine|ok|okay|alright|all right|good|grand|"
    r"great|normal|well|better)\b"
)
# The symptom named before is back: "..., but it came back this morning".
_RECURRENCE = re.compile(
    r"\b(?:it|its|it has|it is|that|this|they|theyre|which|the same thing|the same) (?:\w+ ){0,2}?"
    r"(?:came back|come back|coming back|is back|are back|returned|started again|starting again|"
    r"flared (?:up )?again|back again|happening again|happened again)\b"
    r"(?! (?:fully|completely|totally|to normal|properly|all the way|fine)\b)"
)
# A condition named in the past tense, just before or at the start of a match.
_PAST_CLAIM_BEFORE = re.compile(
    r"\b(?:had|suffered|diagnosed with|treated for|recovered from)(?: (?:a|an|some))? $"
)
_PAST_CLAIM_IN = re.compile(
    r"^(?:\w+ ){0,3}?(?:had|suffered|diagnosed with|treated for|recovered from)(?: (?:a|an|some))? "
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
    r"(?:came|come|coming|has come|got|went) back (?:fully|completely|totally|100|to normal|"
    r"properly|"
    r"all the way|fine)|(?:strength|feeling|sensation|power|movement|function|control|use of "
    r"(?:it|the \w+|my \w+)) (?:\w+ ){0,2}?(?:came|come|has come|returned|is back|was back|"
    r"back to normal)|"
    r"resolved|recovered|(?:no|zero|never had any) (?:problems?|issues?|"
    r"symptoms?|trouble|recurrence|relapse)s? (?:since|after|afterwards|now|ever since)|"
    r"never (?:came back|returned|happened again)|hasnt (?:come back|returned|happened "
    r"again)|havent had (?:it|any|one) since|back to normal|long gone|doing (?:really )?"
    r"(?:well|great|fine|good) now|(?:it|that|this) (?:was|is) (?:long )?(?:over|behind me)|"
    r"(?:gone|cleared|fine|better|resolved) for (?:months|weeks|ages|a long time)|"
    r"fine since|good since|ok since|all sorted|(?:symptom|pain|problem|issue) free (?:for|since|"
    r"now|ever since))\b"
)
_ONGOING = re.compile(
    r"\b(?:now|still|again|currently|at the moment|atm|today|tonight|suddenly|this (?:morning|week|"
    r"evening|afternoon)|since (?:yesterday|last night|this morning|then|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|the|my|i)|ever since|right now|getting "
    r"worse|worse|keeps?|recently|lately|these days|new|came back|come back|returned|"
    r"(?:started|starting) (?:\w+ )?(?:today|yesterday|again|recently|this|last night|a few days)|"
    r"for the (?:past|last) \w+|for (?:\d+|a few|two|three|four|five|couple of|a couple of) "
    r"(?:hours|days)|yesterday|last night|\d+ (?:hours?|days?) "
    r"ago|(?:a|one|two|three) (?:days?|hours?) ago|"
    # "had breast cancer years ago ... this last month my back has started aching"
    r"this (?:last |past )?(?:month|week|fortnight)|the (?:last|past) (?:few |couple of |\d+ )?"
    r"(?:days|weeks|months|month|week|fortnight)|(?:last|past) (?:few|couple of|\d+) "
    r"(?:days|weeks|months)|(?:has|have|hes|shes|its|ive|weve) (?:\w+ )?started|"
    # A present-tense habit is current even beside an unrelated past event: "every time I do
    # heavy squats a bit of wee comes out, had my son last year".
    r"(?:every time|each time|whenever|any ?time) (?:i|he|she|they|you|we) (?:do|jump|lift|squat|"
    r"run|cough|sneeze|laugh|skip|deadlift|train|go|try|bend|sit|stand|walk|get up|lie|sleep)|"
    # Novelty: "never used to", "never had it before", "first time", "new thing".
    r"(?:never|didnt|did not|not something i) used to|never (?:had|felt|happened|experienced) "
    r"(?:\w+ ){0,3}?before|first time|brand new|new thing)\b"
)

# "an ache that started about a month ago" is still there: the date is when it began.
_STARTED_AGO = re.compile(
    r"\b(?:started|began|came on) (?:about |around |roughly |maybe )?(?:a|one|two|three|four|five|"
    r"six|\d+|a few|a couple of) (?:days?|weeks?|months?) ago\b"
)

# "now" opens a clause ("now I can't pee") unless it closes a resolution ("fine now").
_CLAUSE_CUT = re.compile(
    r"\b(?:but|however|though|although|and now|whereas|yet)\b|;|"
    r"(?<!fine )(?<!ok )(?<!okay )(?<!good )(?<!better )(?<!normal )(?<!well )(?<!great )"
    r"(?<!alright )(?<!gone )(?<!clear )(?<!sorted )(?<!healed )(?<!recovered )\bnow\b"
)
_CLAUSE_REACH = 300
_CONTRAST_CLAUSE = re.compile(r"^(?:but|however|though|although|yet|whereas|and now|now)\b")

# --- look-alike exclusions -------------------------------------------------------------

# "like after 6 hrs on a bike seat", "like a constant cramp", "as if ive been on the bike":
# the look-alike is a comparison, not what happened.
_SIMILE_BEFORE = re.compile(
    r"\b(?:like|as if|as though|similar to|same as|kinda like|kind of like|sort of like|more like)"
    r"(?: (?:a|an|the|some|when|after|from|being|on|in|ive been|i have been|id been|i had been|"
    r"i was|im|youve been|you have been|ive done|i did|id done|youve done|ive had|i had))"
    r"(?: (?!(?:after|from|since|during|following|because|but|and)\b)\w+){0,4} ?$"
)
# "way worse than shin splints", "nothing like doms", "unlike a pump": set apart from it.
_COMPARED_BEFORE = re.compile(
    r"\b(?:(?:worse|more painful|sorer|different|stronger|harder|bigger|tighter) (?:than|from|to)|"
    r"nothing like|not like|unlike|(?:way |far |well )?beyond)"
    r"(?: (?:a|an|the|any|normal|usual|my|regular|ordinary))* ?$"
)
# A look-alike tried and found wanting explains nothing: "the inhaler didnt do anything",
# "gaviscon does nothing for it".
_FAILED_AFTER = re.compile(
    r"\W*(?:\w+ ){0,2}?(?:(?:didnt|doesnt|did not|does not|hasnt|has not|wont|never) "
    r"(?:do anything|do a thing|help\w*|work\w*|make (?:any|a) difference|fix \w+|touch \w+)|"
    r"(?:does|did|do) nothing)"
)
# What the look-alike is usually like, set against now: "pump is normally gone in 20 min".
_USUAL_AFTER = re.compile(
    r"\W*(?:is |s |are |goes |fades )?(?:normally|usually|always|typically) (?:\w+ )?(?:gone|over|"
    r"fine|better|done|away)"
)
# "just a bad cramp?", "is it just doms?": the member's hopeful guess, which the red flag
# should not be talked out of; so is "should I stop doing farmer's carries?".
_GUESS_BEFORE = re.compile(
    r"\b(?:just|prob|probably|probs|maybe|surely|is (?:it|this|that)|could (?:it|this|that) be|"
    r"(?:should|do|can|must) i (?:\w+ )?(?:stop|keep|avoid|skip|drop|cut out|carry on|continue)"
    r"(?: doing)?)"
    r"(?: (?:just|only|a|an|some|the|bad|really|normal|big|massive|weird|nasty|severe|my))* ?$"
)
_CUE_NEGATION_GAP = 3
# A contrast that sets what follows against what came before.
_CONTRAST = re.compile(
    r"\b(?:but|however|though|although|except|yet|whereas|this time|today though|different)\b"
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
    r"teenager|pupil|mum|mam|regular|climber|rower|cyclist|boxer|gymnast|dancer|walker|"
    r"old man|old lady|old dear)s?"
    r"\b(?! and i\b)|"
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
    r"(?:told|tells|telling|texted|messaged|sent|sends|wrote|dmd|dmed|said to|admitted to|"
    r"confided in|asking|asks|asked|showed|shows|showing) (?:me|us)|"
    # "a player I coach", "a client I train"
    r"i (?:coach|train|teach|look after|care for|work with|manage)|"
    r"i (?:told|said|asked|called|rang|drove|took))\b"
)


@dataclass(frozen=True)
class MatchContext:
    """How one matched span is framed in its message."""

    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    third_person: bool = False
    # Settled, but recent and not dated to the past: "blacked out mid run, fine now".
    resolved: bool = False

    def blocks(self, *, history_ok: bool = False, resolved_ok: bool = False) -> bool:
        """True when the match should not count as a current symptom."""
        if self.negated or self.hypothetical:
            return True
        if self.historical:
            return not history_ok
        return self.resolved and not (history_ok or resolved_ok)


class MessageContext:
    """Context rules over one normalised message; per-sentence answers are cached."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._sentence_frames: dict[int, tuple[bool, bool]] = {}
        self._third_person: list[bool] = []
        self._specific_resolutions: dict[int, bool] = {}
        self._lookalikes: dict[tuple[int, int], list[int]] = {}
        self._denied: dict[tuple[int, int], set[str]] = {}
        self._past: dict[int, tuple[bool, bool, bool]] = {}
        self._resolved_in: dict[int, bool] = {}

    def classify(self, start: int, end: int) -> MatchContext:
        sentence = self.text.sentence_at(start)
        historical, resolved = self.history(sentence, start, end)
        return MatchContext(
            negated=self.is_negated(sentence, start, end),
            hypothetical=self.is_hypothetical(sentence, start),
            historical=historical,
            third_person=self.is_third_person(sentence),
            resolved=resolved,
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
        if _NEGATED_CIRCUMSTANCE.search(before):
            return True
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

    # look-alike exclusions --------------------------------------------------------------

    def lookalike_applies(
        self, exclusions: re.Pattern[str], sentence: Sentence, start: int | None = None
    ) -> bool:
        """A pattern's look-alike cue is asserted in the sentence and reaches the match.

        "my undercarriage is numb like after 6 hrs on a bike seat, except i havent been on a
        bike" mentions a bike twice and asserts it neither time; "right calf is puffy, hot and
        achey, like a constant cramp" compares, and "just a bad cramp?" guesses. A cue counts
        unless it is denied, compared with or guessed at. A cue set against the match by a
        contrast ("usual migraine sufferer, but this one came on like a thunderclap") does not
        reach it; one that explains it afterwards ("numb, but I was on the bike") does. A cue the
        member denies anywhere in the message does not count where someone else offers it:
        "coach says its asthma but i dont have asthma".
        """
        key = (id(exclusions), sentence.index)
        asserted = self._lookalikes.get(key)
        if asserted is None:
            denied = self._denied_cues(exclusions)
            asserted = [
                found.end()
                for found in exclusions.finditer(sentence.text)
                if found.end() > found.start()
                and found.group(0) not in denied
                and self._cue_asserted(sentence, found)
            ]
            self._lookalikes[key] = asserted
        if start is None:
            return bool(asserted)
        offset = start - sentence.start
        return any(
            cue_end >= offset or not _CONTRAST.search(sentence.text, cue_end, offset)
            for cue_end in asserted
        )

    def _denied_cues(self, exclusions: re.Pattern[str]) -> set[str]:
        """The look-alike words the member denies somewhere in the message."""
        key = (id(exclusions), -1)
        cached = self._denied.get(key)
        if cached is None:
            cached = {
                found.group(0)
                for sentence in self.text.sentences
                for found in exclusions.finditer(sentence.text)
                if found.end() > found.start() and self._cue_negated(sentence, found)
            }
            self._denied[key] = cached
        return cached

    def _cue_asserted(self, sentence: Sentence, found: re.Match[str]) -> bool:
        before = sentence.text[: found.start()]
        if _SIMILE_BEFORE.search(before) or _COMPARED_BEFORE.search(before):
            return False
        if _GUESS_BEFORE.search(before) and "?" in sentence.text[found.end() : found.end() + 40]:
            return False
        if _FAILED_AFTER.match(sentence.text, found.end()) or _USUAL_AFTER.match(
            sentence.text, found.end()
        ):
            return False
        return not self._cue_negated(sentence, found)

    def _cue_negated(self, sentence: Sentence, found: re.Match[str]) -> bool:
        before = sentence.text[: found.start()]
        breaks = list(_SCOPE_BREAK.finditer(before))
        window = before[breaks[-1].end() :] if breaks else before
        window = window.rsplit(",", 1)[-1]
        for cue in _NEGATION_CUE.finditer(window):
            if _NOT_A_NEGATION.match(window, cue.start()):
                continue
            if len(window[cue.end() :].split()) <= _CUE_NEGATION_GAP:
                return True
        return False

    # hypothetical / educational ---------------------------------------------------------

    def is_hypothetical(self, sentence: Sentence, start: int) -> bool:
        hypothetical, educational = self._frame(sentence.index)
        if educational:
            return True
        if not hypothetical:
            return False
        before = self.text.text[sentence.start : start]
        cues = list(_HYPOTHETICAL_CUE.finditer(sentence.text))
        if self._plans_ahead or self._disclaims or _GENERIC_PERSON.search(sentence.text):
            cues += list(_WOULD_WORRY.finditer(sentence.text))
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
            elif not _AFTER_CUE_BREAK.search(self.text.text[start:cue_start]):
                return not bool(_OWN_EXPERIENCE.search(before))
        return False

    def _frame(self, index: int) -> tuple[bool, bool]:
        """(hypothetical, educational) for sentence `index`, inheriting into fragments."""
        # Filled in order (not recursively): a 100 kB message may have thousands of fragments.
        for current in range(len(self._sentence_frames), index + 1):
            sentence = self.text.sentences[current].text
            hypothetical = bool(_HYPOTHETICAL_CUE.search(sentence)) or (
                bool(_WOULD_WORRY.search(sentence))
                and (self._plans_ahead or self._disclaims or bool(_GENERIC_PERSON.search(sentence)))
            )
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

    @cached_property
    def _plans_ahead(self) -> bool:
        return bool(_FUTURE_PLAN.search(self.text.text))

    @cached_property
    def _disclaims(self) -> bool:
        return bool(_DISCLAIMER.search(self.text.text))

    # history ----------------------------------------------------------------------------

    def is_historical(self, sentence: Sentence, start: int, end: int) -> bool:
        """The match is past history or a symptom that has since settled."""
        historical, resolved = self.history(sentence, start, end)
        return historical or resolved

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
