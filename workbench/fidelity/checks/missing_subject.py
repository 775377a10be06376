"""A translation whose sentence opens on its finite verb (`Said NATO was ready.`, `A déclaré que
l'OTAN était prête.`): the subject was dropped.

English and French, unlike Spanish, Italian or Portuguese, need a subject, and a statement that
starts with a finite verb lost it. The encoder hardly notices (the rest still matches the source);
the grammar does. Read only where it is unambiguous:
- English: a reporting verb in the past or the present (`said`, `says`, `told`, `warned` ...)
  followed by a word; or an auxiliary or a modal (`has`, `was`, `did`, `will`, `could` ...)
  followed by `not` or a verb form, in a sentence with no question mark (questions and
  conditional inversions, `Should you need help`, put a subject after the auxiliary).
- French: an auxiliary or a modal followed by a participle or an infinitive (`A déclaré`,
  `Ont été`, `Pourrait lancer`); inverted questions hyphenate (`A-t-il`), so they never match.
A sentence ending on a colon announces its subject in what follows (`Ont été gravis :`).
A source that opens the same way (a headline, a note) gives no verdict. Other languages: none.
"""

from __future__ import annotations

import re

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import FR_INFINITIVE, base_lang

_OPENING = r"^[\s\"'«“‘(\[—–-]*"
_OPENING_RX = re.compile(_OPENING)
_EN_REPORTING = (r"said|says|told|tells|added|adds|warned|warns|stated|states|announced|announces|noted|"
                 r"notes|argued|argues|insisted|insists|claimed|claims|explained|explains|wrote|writes|"
                 r"urged|urges|declined|declines|denied|denies|confirmed|confirms|acknowledged|acknowledges")
_EN_AUX = r"has|have|had|is|are|was|were|will|would|could|can|should|must|may|might|does|did|shall"
_EN_VERBISH = r"not|n't|been|being|be|\w+ed|\w+en|\w+ing|said|made|told|gave|took|met|left|sent|held|led|become"
_EN_SUBJECTLESS = re.compile(
    _OPENING + rf"(?:(?:{_EN_REPORTING}),?\s+\w|(?:{_EN_AUX})(?:\s+(?:also|still|already|now|only|just|never))?"
    rf"\s+(?:{_EN_VERBISH})\b)", re.IGNORECASE)
_FR_AUX = r"a|ont|avait|avaient|est|sont|était|étaient|sera|seront|aura|auront|serait|seraient|aurait|auraient"
_FR_MODAL = r"peut|peuvent|pourrait|pourraient|doit|doivent|devrait|devraient|va|vont|veut|veulent"
#: regular participles, and the irregular ones news prose uses most (`A trois reprises`, `A midi` are
#: `À` written without its accent, so loose endings such as -is or -i would misread them)
_FR_PARTICIPLE = (r"(?:\w+(?:é|ée|és|ées)|dit|dits|fait|faits|pris|mis|eu|été|vu|su|dû|pu|voulu|ouvert|offert|"
                  r"écrit|permis|promis|admis|reconnu|obtenu|soutenu|tenu|venu|venus|perdu|rendu|répondu|entendu|"
                  r"attendu|vendu|produit|conduit|construit|réduit|mort|morts|né|nés|rejoint|atteint|craint)")
_FR_SUBJECTLESS = re.compile(
    _OPENING + rf"(?:(?:{_FR_AUX})(?:\s+(?:déjà|également|aussi|toujours|encore|pas))?\s+{_FR_PARTICIPLE}\b"
    rf"|(?:{_FR_MODAL})\s+(\w+)\b)", re.IGNORECASE)


_SUBJECTLESS = {"en": _EN_SUBJECTLESS, "fr": _FR_SUBJECTLESS}


def reads_subjects(lang: str) -> bool:
    return base_lang(lang) in _SUBJECTLESS


def subjectless(text: str, lang: str) -> tuple[int, int] | None:
    """The span of the opening verb of a statement without a subject, or None."""
    rx = _SUBJECTLESS.get(base_lang(lang))
    if rx is None or "?" in text or text.rstrip().endswith(":"):
        return None  # a question inverts; `Ont été gravis :` announces its subject as a list
    m = rx.match(text)
    if m is None or (m.groups() and m.group(1) is not None and not FR_INFINITIVE.match(m.group(1).lower())):
        return None  # a French modal must govern an infinitive (`Doit être`, not `Va bien`)
    start = _OPENING_RX.match(text).end()  # after the quotes and brackets the sentence opens with
    word = re.match(r"\w+", text[start:])
    return (start, start + word.end()) if word else None


@check_registry.register("missing_subject")
class MissingSubjectCheck(Check):
    name = "missing_subject"
    defaults = {"weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        if not reads_subjects(ctx.tgt_lang):
            return None
        tgt = subjectless(case.tgt_text, ctx.tgt_lang)
        if tgt is None or subjectless(case.src_text, ctx.src_lang):
            return CheckResult(0.0)
        return CheckResult(self.settings["severity"], "the target opens on its verb: its subject is missing",
                           [], span_list([tgt]))
