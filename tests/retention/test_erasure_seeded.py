"""Erasure on the demo service (issue 19): the child with rows in the most models across every app (meetings,
supervision, court, transfers, MAPPA, alerts...) is closed and erased; no model keeps a row of it, no
history table keeps a version of anything it owned (nested records included), and every other child
keeps exactly what it had. Seeded with a fixed date and seed: no random data is asserted on."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from cases.models import Child, Role, User
from core.erasure import is_history_model
from retention.erasure import _owned, child_erase

from .test_erasure import child_models, rows_of

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 3, 10, 30, tzinfo=ZoneInfo("Europe/London"))


def counts_by_child() -> dict[str, Counter]:
    """For each model with a child, its row count per child (other children's rows must not move)."""
    out = {}
    for model in child_models():
        rows = model._default_manager.values("child_id").annotate(n=Count("pk")).values_list("child_id", "n")
        out[model._meta.label] = Counter(dict(rows))
    return out


def test_erasing_the_richest_seeded_child_leaves_nothing_of_it():
    with time_machine.travel(NOW, tick=False):
        with override_settings(DEBUG=True):
            call_command(
                "seed_demo",
                "--children",
                "12",
                "--today",
                "2026-03-03",
                "--seed",
                "2024",
                stdout=io.StringIO(),
            )
        # The child with rows in the most models, then the most rows: the demo's long histories have the
        # most rows on few models (issue 20 leaves little undone), the fresh scenario cases reach more.
        totals: Counter = Counter()
        models: Counter = Counter()
        for per_child in counts_by_child().values():
            for child_id, n in per_child.items():
                if child_id is not None:
                    totals[child_id] += n
                    models[child_id] += 1
        child = Child.objects.get(pk=max(sorted(totals), key=lambda pk: (models[pk], totals[pk])))
        child.is_open = False
        child.save(update_fields=["is_open"])
        reached = {label for label, n in rows_of(child.pk).items() if n}
        assert len(reached) >= 15, sorted(reached)  # the test reaches well beyond the cases app
        owned = {model: set(pks) for model, pks in _owned(child).items()}
        before = counts_by_child()
        sm = User.objects.filter(role=Role.SERVICE_MANAGER).order_by("pk").first()

        child_erase(
            child_id=child.pk, user=sm, reason="Retention period ended", confirmation=child.case_number
        )

    assert {label: n for label, n in rows_of(child.pk).items() if n} == {}
    # No history table keeps a version of anything the child owned (an action of its discussion...).
    for model in apps.get_models():
        original = getattr(model, "instance_type", None)
        if is_history_model(model) and original in owned:
            pk_name = original._meta.pk.attname
            assert not model._default_manager.filter(**{f"{pk_name}__in": owned[original]}).exists(), model
    after = counts_by_child()
    for label, per_child in before.items():
        per_child.pop(child.pk, None)
        assert after[label] == per_child, label
