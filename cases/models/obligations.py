"""What the rules module computed for a child or a worker: the obligations, and the facts behind them."""

from django.conf import settings
from django.db import models

from .child import Child


class Obligation(models.Model):
    """What a policy requires for a child (or a worker), as the rules module computed it from facts.

    Stored per child and recomputed whenever the child's record changes (architecture.md): pages and
    beat jobs read these rows and never compute a deadline themselves.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Due"
        OVERDUE = "overdue", "Overdue"
        MET = "met", "Met"
        MET_LATE = "met_late", "Met late"

    # Still to do (shown as due or overdue, alerted on), and done (on time or late).
    OUTSTANDING = frozenset({Status.OPEN, Status.OVERDUE})
    DONE = frozenset({Status.MET, Status.MET_LATE})

    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations"
    )
    # Worker obligations (003 §7.2 leave, 000 §4.1 supervision) name the worker and no child.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations"
    )
    code = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="For hour-based rules")
    earliest = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    met_on = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=200)
    # Why it is due then, in the rules module's words (cases/rules/describe.py explain): "11 weeks after
    # the levels agreed (RoSH medium) on 4 December 2026".
    explanation = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(help_text="Order given by the rules module")
    as_of = models.DateField()

    class Meta:
        ordering = ["child", "position"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["child", "position"]),
            models.Index(fields=["worker", "position"]),
            # The compliance dashboard counts what fell due in a period, per code (dashboards/).
            models.Index(fields=["due", "code"]),
        ]

    def __str__(self):
        return f"{self.code} due {self.due} ({self.status})"

    @property
    def is_outstanding(self):
        """Due or overdue: still to do."""
        return self.status in self.OUTSTANDING


class FactSnapshot(models.Model):
    """The facts a child's (or worker's) obligations were last computed from (cases/services/core.py).

    Facts change only when a record changes, and every change recomputes the obligations, which stores
    them here; so the alerts sweep can re-judge every obligation as of a new date with the rules module
    alone, without re-reading each child's records (alerts/services.py).
    """

    child = models.OneToOneField(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="fact_snapshot"
    )
    worker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fact_snapshot",
    )
    facts = models.JSONField(default=list)
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, worker__isnull=True)
                | models.Q(child__isnull=True, worker__isnull=False),
                name="fact_snapshot_child_xor_worker",
            )
        ]

    def __str__(self):
        return (
            f"Facts for {'child ' + str(self.child_id) if self.child_id else 'worker ' + str(self.worker_id)}"
        )


class ObligationMonth(models.Model):
    """The compliance roll-up (issue 19, ADR 0020): the stored obligations due in one calendar month,
    counted by code, title, basis and team (the child's team, or the worker's for a worker's own
    obligation; none for a worker in no team). The dashboard reads whole months from here and only a
    part-month at a period's edge from the obligations. Rebuilt month by month from the obligations
    whenever a month is marked stale (cases/services/rollup.py), never edited by hand."""

    month = models.DateField(help_text="The month's first day")
    code = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    basis = models.CharField(max_length=200)
    team = models.IntegerField(null=True, blank=True, help_text="The team's id; empty for no team")
    n_due = models.PositiveIntegerField(default=0)
    n_met = models.PositiveIntegerField(default=0)
    n_met_late = models.PositiveIntegerField(default=0)
    n_overdue = models.PositiveIntegerField(default=0)
    n_open = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "code"], name="obligationmonth_month_code")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.code} team {self.team}: {self.n_due} due"


class ObligationMonthStale(models.Model):
    """A month whose roll-up no longer matches the obligations: marked in the transaction that changed
    them (so it is never missed) and rebuilt before the next read of that month, or by the sweep."""

    month = models.DateField(unique=True)
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.month:%Y-%m} stale since {self.marked_at:%Y-%m-%d %H:%M}"
