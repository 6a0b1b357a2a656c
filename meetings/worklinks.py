"""Where the meetings' obligations are done (registered in `core.registry` by meetings/plugin.py)."""

from core.registry import WorkLink

# Meetings that meet an obligation: booked from the due item with the meeting type chosen (000 §1.3).
BOOK_MEETING: dict[str, str] = {
    "cmm.risk_review": "risk_review",
    "cmm.compliance": "compliance",
    "cmm.reoffending": "reoffending",
    "cmm.bail": "bail",
    "cmm.release": "release",
    "cmm.post_release": "risk_review",
    "mappa.meeting": "mappa_level_1",
}

LINKS = [
    # Booked by a manager or the gatekeeper (001 §6.2); anyone else sees it on the child's meetings, with
    # "Ask a manager to book it".
    *(
        WorkLink(
            code,
            "meeting_book",
            f"kind={kind}&obligation={code}",
            permission="meetings.open_booking",
            fallback="meeting_list",
        )
        for code, kind in BOOK_MEETING.items()
    ),
    # 000 §1.3, 001 §6.2: the actions and minutes are written on the held meeting's record.
    WorkLink("cmm.actions_recorded", "meeting_list"),
    WorkLink("cmm.minutes", "meeting_list"),
    WorkLink("mappa.minutes", "meeting_list"),
]
