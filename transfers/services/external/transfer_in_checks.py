"""The policy checks on a Transfer In Summary (003 §12.4-§12.5, App. A): the documents, the levels and
MAPPA answers. The services run them before writing; the form runs the same ones for field-level errors."""

from cases.models import HIGH_LEVELS, RiskLevel

from ...models import TransferIn

YES, NO, NA = TransferIn.YesNoNa.YES, TransferIn.YesNoNa.NO, TransferIn.YesNoNa.NA
NA_ALLOWED = {code: na for code, _label, na in TransferIn.DOCUMENTS}
DOCUMENT_LABELS = {code: label for code, label, _na in TransferIn.DOCUMENTS}

# Fields of the Transfer In Summary (App. A) a caller may set through transfer_in_create.
SUMMARY_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "home_yjs",
    "home_case_id",
    "proposed_address",
    "living_with",
    "living_with_relationship",
    "parental_responsibility_name",
    "parental_responsibility_address",
    "social_worker",
    "csc_advised",
    "home_case_manager",
    "order_type",
    "order_start",
    "order_length",
    "iom",
    "high_risk",
    "high_risk_details",
    "rosh",
    "saw",
    "lor",
    "mappa_category",
    "mappa_level",
    "home_mappa_agreed",
    "mappa_coordinator_alerted",
    "safeguarding",
    "safeguarding_details",
    "child_protection_plan",
    "child_protection_details",
    "looked_after",
    "offence_details",
    "order_summary",
)


# The TM/AP's decision (003 §12.4-§12.5) and the status it gives.
def levels_errors(*, high_risk: bool | None, rosh: str, saw: str, lor: str) -> dict[str, str]:
    """App. A "High or very high risk of harm? Yes" asks for the levels, so the 003 §4.1 check (High or
    Very High at allocation goes to a Band B senior case manager) applies when the case is allocated:
    RoSH High or Very High, with SaW and LoR rated. "No" with a High or Very High RoSH contradicts itself."""
    errors = {}
    for name, value in (("rosh", rosh), ("saw", saw), ("lor", lor)):
        if value and value not in RiskLevel.values:
            errors[name] = f"Choose the {name.upper() if name != 'saw' else 'SaW'} level from the list"
    if errors:
        return errors
    if high_risk:
        if not rosh:
            errors["rosh"] = "The risk of harm is high or very high: rate RoSH (High or Very High)"
        elif rosh not in HIGH_LEVELS:
            errors["rosh"] = (
                "The risk of harm is high or very high, so RoSH is High or Very High: change the RoSH level, or "
                "answer No to high or very high risk of harm"
            )
        if not saw:
            errors["saw"] = "The risk of harm is high or very high: rate SaW as well"
        if not lor:
            errors["lor"] = "The risk of harm is high or very high: rate LoR as well"
    elif rosh in HIGH_LEVELS:
        errors["rosh"] = (
            "RoSH is High or Very High but the summary says there is no high or very high risk of harm: "
            "answer Yes to high or very high risk of harm, or change the RoSH level"
        )
    return errors


def mappa_errors(
    *, category: int | None, level: int | None, home_agreed: str, alerted: str
) -> dict[str, str]:
    """App. A's MAPPA answers must agree: a level goes with a category and a category with a level; N/A to
    the MAPPA questions means the young person is not MAPPA managed, so the home MAPPA meeting and our
    MAPPA co-ordinator questions are N/A exactly when there is no category."""
    errors = {}
    if category is None and level is not None:
        errors["mappa_level"] = "A MAPPA level needs a MAPPA category: choose N/A or the category"
    elif category is not None and level is None:
        errors["mappa_level"] = "Choose the MAPPA risk management level for the category"
    if category is None:
        if home_agreed in (YES, NO):
            errors["home_mappa_agreed"] = (
                "There is no MAPPA category, so whether the home MAPPA meeting agreed the move is N/A"
            )
        if alerted in (YES, NO):
            errors["mappa_coordinator_alerted"] = (
                "There is no MAPPA category, so whether our MAPPA co-ordinator was alerted is N/A"
            )
    else:
        if home_agreed == NA:
            errors["home_mappa_agreed"] = (
                f"The young person is MAPPA category {category}: say whether the home MAPPA meeting agreed the "
                "move (Yes or No)"
            )
        if alerted == NA:
            errors["mappa_coordinator_alerted"] = (
                f"The young person is MAPPA category {category}: say whether our MAPPA co-ordinator has been "
                "alerted (Yes or No)"
            )
    return errors


def documents_errors(
    documents: dict, missing_reasons: str = "", *, looked_after: bool = False
) -> dict[str, str]:
    """App. A checklist: every document answered; N/A only where the form allows it (LAC paperwork not for
    a looked-after young person); a "No" needs a reason (its own, or the overall reasons for missing
    paperwork). {code: message}."""
    errors = {}
    overall = bool((missing_reasons or "").strip())
    for code, label, na_allowed in TransferIn.DOCUMENTS:
        entry = documents.get(code) or {}
        answer = entry.get("answer", "")
        if answer not in (YES, NO, NA):
            errors[code] = f"Say whether “{label}” is attached"
        elif answer == NA and not na_allowed:
            errors[code] = f"“{label}” cannot be marked N/A: say Yes or No"
        elif answer == NA and code == "lac" and looked_after:
            errors[code] = "The young person is looked after, so LAC paperwork applies: say Yes or No"
        elif answer == NO and not (entry.get("reason") or "").strip() and not overall:
            errors[code] = f"Give the reason “{label}” is missing"
    return errors


def clean_documents(documents: dict) -> dict:
    """Only the App. A codes, each as {"answer", "reason"} (a reason only where something is missing)."""
    cleaned = {}
    for code in NA_ALLOWED:
        entry = documents.get(code) or {}
        answer = entry.get("answer", "")
        reason = (entry.get("reason") or "").strip() if answer == NO else ""
        cleaned[code] = {"answer": answer, "reason": reason}
    return cleaned
