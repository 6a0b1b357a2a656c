"""The RoSH and SaW decision frameworks (001 App. 2, App. 3) as radios, and what the answers point to."""

from collections import Counter
from typing import TypedDict

from crispy_forms_gds.choices import Choice
from django import forms

from ...models import RiskLevel

LEVEL_LABELS = dict(RiskLevel.choices)


class Framework(TypedDict):
    """One decision framework: its title, and for each column its label and rows (level: text)."""

    title: str
    columns: dict[str, tuple[str, dict[str, str]]]


# 001 App. 2 (RoSH) and App. 3 (SaW), abbreviated: for each column, the rows from Very High to Low.
# The worker picks the row that fits; the level the row sits on is what it points to. A guided aid
# for the worker's own judgement, which is what counts (001 §6.2).
FRAMEWORKS: dict[str, Framework] = {
    "rosh": {
        "title": "Risk of serious harm decision framework (001 App. 2)",
        "columns": {
            "seriousness": (
                "Seriousness",
                {
                    RiskLevel.VERY_HIGH: "Presents an ongoing risk of committing an offence causing serious harm",
                    RiskLevel.HIGH: "History of causing serious harm and remains capable of it, or risk factors "
                    "and past or current behaviour show a propensity to cause serious harm",
                    RiskLevel.MEDIUM: "May have caused serious harm in the past, but a repeat is not probable; "
                    "any propensity is not probable and not imminent",
                    RiskLevel.LOW: "May have caused serious harm in the past, but a repeat is very unlikely",
                },
            ),
            "protective": (
                "Absence or presence of protective factors",
                {
                    RiskLevel.VERY_HIGH: "Pervasive risk and a lack of protective factors to mitigate it",
                    RiskLevel.HIGH: "Sufficient protective factors to mitigate the risk; capacity to engage "
                    "with risk management; some capacity to self-risk manage",
                    RiskLevel.MEDIUM: "Will co-operate with risk management or treatment; some capacity to "
                    "self-risk manage with support; protective factors present",
                    RiskLevel.LOW: "Protective factors substantially outweigh risk factors; no current "
                    "indicators of risk of serious harm",
                },
            ),
            "imminence": (
                "Imminence",
                {
                    RiskLevel.VERY_HIGH: "More than likely to happen imminently; will happen if controls are "
                    "absent; needs long-term risk management",
                    RiskLevel.HIGH: "Ongoing risk that will or could increase if protective factors fail, are "
                    "absent or diminish",
                    RiskLevel.MEDIUM: "Not imminent; a repeat offence is on the balance of probability unlikely",
                    RiskLevel.LOW: "Not imminent and deemed very unlikely",
                },
            ),
        },
    },
    "saw": {
        "title": "Safety and wellbeing decision framework (001 App. 3)",
        "columns": {
            "seriousness": (
                "Seriousness",
                {
                    RiskLevel.VERY_HIGH: "In an unsafe situation or environment with ongoing adverse outcomes "
                    "and the need for immediate action",
                    RiskLevel.HIGH: "A history of safety and wellbeing adversely affected, by their own "
                    "behaviour or that of others, which is ongoing",
                    RiskLevel.MEDIUM: "Safety and wellbeing needs identified which are unlikely to have an "
                    "immediate adverse outcome",
                    RiskLevel.LOW: "May have experienced adverse outcomes before, but a repeat is very unlikely",
                },
            ),
            "protective": (
                "Absence or presence of protective factors",
                {
                    RiskLevel.VERY_HIGH: "Pervasive adverse outcomes and a lack of protective factors to "
                    "mitigate them",
                    RiskLevel.HIGH: "Sufficient protective factors to mitigate adverse outcomes; capacity to "
                    "engage with keep-safe strategies; some capacity to manage own safety",
                    RiskLevel.MEDIUM: "Will engage with intervention or treatment; some capacity for keeping "
                    "safe with support; protective factors present",
                    RiskLevel.LOW: "Protective factors substantially outweigh risk factors; no current "
                    "indicators of adverse outcomes",
                },
            ),
            "imminence": (
                "Imminence",
                {
                    RiskLevel.VERY_HIGH: "More than likely to happen imminently; needs immediate action or "
                    "long-term intervention; will happen if controls are absent",
                    RiskLevel.HIGH: "Ongoing adverse outcomes that will or could increase if protective "
                    "factors fail, are absent or diminish",
                    RiskLevel.MEDIUM: "Not imminent; a repeat of adverse outcomes is on the balance of "
                    "probability unlikely",
                    RiskLevel.LOW: "Not imminent and deemed very unlikely",
                },
            ),
        },
    },
}

LEVEL_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH]


def framework_suggestion(*, framework: str, assessment) -> dict | None:
    """What the worker's framework answers point to, beside their own level (App. 2/3); None if unanswered.

    Where two or three answers agree, they point to that level; where all three differ, there is no single
    pointer and the worker weighs them. The worker's own level is what counts either way.
    """
    columns = FRAMEWORKS[framework]["columns"]
    answers = [getattr(assessment, f"{framework}_{column}") for column in columns]
    given = [a for a in answers if a]
    own = getattr(assessment, framework)
    name = "RoSH" if framework == "rosh" else "SaW"
    if not given:
        return None
    if len(given) < len(answers):
        return {
            "level": "",
            "text": f"Answer all three {name} framework questions to see what they point to.",
            "differs": False,
        }
    level, count = Counter(given).most_common(1)[0]
    if count == 1:
        low = min(given, key=LEVEL_ORDER.index)
        high = max(given, key=LEVEL_ORDER.index)
        return {
            "level": "",
            "text": f"The {name} framework answers range from {LEVEL_LABELS[low]} to {LEVEL_LABELS[high]}: "
            "weigh them with your professional judgement.",
            "differs": False,
        }
    text = f"The {name} framework answers point to {LEVEL_LABELS[level]}."
    differs = bool(own) and own != level
    if differs:
        text += (
            f" Your {name} level is {LEVEL_LABELS[own]}: your judgement is what counts, so explain it in "
            "the rationale."
        )
    return {"level": level, "text": text, "differs": differs}


def framework_field(framework: str, column: str) -> forms.ChoiceField:
    """A radio group whose options are one framework column's rows, Very High first (as in App. 2/3)."""
    label, rows = FRAMEWORKS[framework]["columns"][column]
    label = f"{'RoSH' if framework == 'rosh' else 'SaW'}: {label[:1].lower()}{label[1:]}"
    choices = [Choice(level, text) for level, text in rows.items()]
    choices.append(Choice("", "Not considered yet"))
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)
