"""The plain-language message a member (or the person helping them) is shown."""

from __future__ import annotations

from collections.abc import Sequence

from bot.redflags.report import Level
from bot.redflags.rules import SELF_HARM, Rule, emergency_number_words

# Wording for someone helping another person, when a rule has no `referral_other`.
_HELPER_TEMPLATES = {
    Level.EMERGENCY: (
        "Get them to an emergency department now, or call {emergency_number} for them; "
        "do not wait to see whether it settles. Tell the staff about: {concern}."
    ),
    Level.URGENT: (
        "Help them see a doctor today: a same-day GP appointment, an urgent care centre or "
        "your local urgent medical advice line. Tell the doctor about: {concern}."
    ),
    Level.SOON: (
        "Suggest they book an appointment with a doctor or physiotherapist in the coming "
        "days or weeks, and mention: {concern}."
    ),
}
_EMERGENCY_CLOSING = {
    False: "Stop training: exercise advice is not the right thing now, getting help is.",
    True: "Exercise advice is not the right thing for them now; getting help is.",
}
_MAX_LISTED = 4


def compose_message(
    rules: Sequence[Rule], emergency_number: str | None, *, for_helper: bool = False
) -> str | None:
    """The referral for the most severe rule first, then what else to mention."""
    if not rules:
        return None
    ordered = sorted(rules, key=lambda rule: -rule.level.rank)
    top = ordered[0]
    parts = [referral_text(top, emergency_number, for_helper=for_helper)]
    others = [rule.title for rule in ordered[1:_MAX_LISTED]]
    if others:
        who = "Also mention" if not for_helper else "Also tell them about"
        parts.append(f"{who}: {'; '.join(title[0].lower() + title[1:] for title in others)}.")
    if top.level is Level.EMERGENCY and not any(
        word in parts[0].lower() for word in ("exercise advice", "training advice")
    ):
        parts.append(_EMERGENCY_CLOSING[for_helper])
    return " ".join(parts)


def referral_text(rule: Rule, emergency_number: str | None, *, for_helper: bool) -> str:
    """One rule's referral, addressed to the member or to the person helping them."""
    if not for_helper:
        return rule.render_referral(emergency_number)
    if rule.referral_other:
        return rule.render_referral(emergency_number, for_helper=True)
    template = _HELPER_TEMPLATES[rule.level]
    concern = rule.title[0].lower() + rule.title[1:]
    return template.format(
        emergency_number=emergency_number_words(emergency_number), concern=concern
    )


# When a member says one of a reply's "get help now if..." signs applies to them: the action
# of the most severe sign listed, since which one applies is not known.
_SAFETY_NET_LEAD = {
    Level.EMERGENCY: (
        "Thank you for telling us. If one of those signs is happening now, go to an emergency "
        "department now or call {emergency_number}; do not wait to see whether it settles."
    ),
    Level.URGENT: (
        "Thank you for telling us. If one of those signs is happening now, see a doctor today: "
        "a same-day GP appointment, an urgent care centre or your local urgent advice line."
    ),
    Level.SOON: "Thank you for telling us. Book an appointment with a doctor or physiotherapist.",
}
_SAFETY_NET_TAIL = (
    "Tell them which sign you have. Exercise advice can wait until you have been seen."
)


def safety_net_referral(rules: Sequence[Rule], emergency_number: str | None) -> str:
    """What to do when one of the listed signs (each a rule's `sign`) applies."""
    level = max((rule.level for rule in rules), default=Level.EMERGENCY)
    lead = _SAFETY_NET_LEAD.get(level, _SAFETY_NET_LEAD[Level.EMERGENCY])
    self_harm = [rule for rule in rules if rule.id == SELF_HARM]
    parts = [lead.format(emergency_number=emergency_number_words(emergency_number))]
    if self_harm:
        # Thoughts of self-harm need their own help, not only a hospital.
        parts.append(self_harm[0].render_referral(emergency_number))
    parts.append(_SAFETY_NET_TAIL)
    return " ".join(parts)
