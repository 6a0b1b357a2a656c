"""Sign-off queues with work in them (001 App. 1): every locality team manager and AP has an AssetPlus
review waiting for their sign-off, and the North team manager a few (the README's walk-through starts
from `tm.north`'s **Sign-off** queue), as far as their team's open children allow: in a very small demo
the team manager is served first."""

import datetime

from cases.models import MEDIUM_OR_ABOVE, Assessment, Programme

from .children import PlannedChild
from .records import CaseRecords

# Programmes whose AssetPlus is reviewed 3- or 6-monthly, so a review can be waiting for sign-off.
SIGN_OFF_KINDS = {
    Programme.Kind.YRO,
    Programme.Kind.REFERRAL_ORDER,
    Programme.Kind.BAIL_SUPERVISION_SUPPORT,
    Programme.Kind.DTO_LICENCE,
    Programme.Kind.DTO_CUSTODY,
}
# How many stages at least wait for each locality TM's and AP's sign-off, by username; others one.
WAITING = {"tm.north": 3}


def _eligible(
    entry: PlannedChild,
    *,
    signer,
    slug: str,
    busy: set[int],
    settled: datetime.date,
    strict: bool,
    elevated: bool,
):
    """Whether this child's case holder could have sent a review to `signer` (see fill_sign_off_queues)."""
    child, programmes, child_slug, manager = entry.child, entry.programmes, entry.slug, entry.manager
    programme = programmes[-1]
    if child_slug != slug or not child.is_open or manager is None or manager.pk == signer.pk:
        return False
    if child.pk in busy or programme.end_date is not None:
        return False
    if strict and (programme.kind not in SIGN_OFF_KINDS or programme.start_date > settled):
        return False
    return not elevated or child.rosh in MEDIUM_OR_ABOVE or child.saw in MEDIUM_OR_ABOVE


def fill_sign_off_queues(planned: list[PlannedChild], by_name: dict, work: CaseRecords) -> None:
    """Top up each locality TM's and AP's queue to its WAITING size with AssetPlus reviews sent for
    sign-off by the case holders of their team's open children: a Medium+ child (whose reviews App. 1
    gives the TM/AP) on a reviewed order for two months or more where the team has one, else any child on
    such an order, else any allocated open child. `planned` is a PlannedChild per child, as
    `children.build_children` made them; the first children are taken, so the
    journeys that pick from the end of the list (an internal transfer, MAPPA) leave them in the team."""
    waiting: dict[int, int] = {}
    busy: set[int] = set()
    for signer_id, child_id in Assessment.objects.filter(
        status=Assessment.Status.AWAITING_SIGN_OFF
    ).values_list("assigned_to_id", "child_id"):
        waiting[signer_id] = waiting.get(signer_id, 0) + 1
        busy.add(child_id)
    settled = work.today - datetime.timedelta(days=60)
    slugs = list(dict.fromkeys(entry.slug for entry in planned))
    for slug in slugs:
        for signer in (by_name.get(f"tm.{slug}"), by_name.get(f"ap.{slug}")):
            if signer is None:
                continue
            needed = WAITING.get(signer.username, 1) - waiting.get(signer.pk, 0)
            for strict, elevated in ((True, True), (True, False), (False, False)):
                for entry in planned:
                    if needed <= 0:
                        break
                    if not _eligible(
                        entry,
                        signer=signer,
                        slug=slug,
                        busy=busy,
                        settled=settled,
                        strict=strict,
                        elevated=elevated,
                    ):
                        continue
                    child, programmes, manager = entry.child, entry.programmes, entry.manager
                    work.add_assessment(
                        child,
                        programmes[-1],
                        manager,
                        Assessment.Kind.ASSETPLUS,
                        Assessment.Stage.REVIEW,
                        None,
                        signer,
                        awaiting=True,
                    )
                    busy.add(child.pk)
                    needed -= 1
    work.flush()
