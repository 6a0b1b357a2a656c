"""Test-only hook for the sweep fault tests, imported by their Celery worker (CELERY_IMPORTS in
`tests/faults/worker_settings.py`) and by their one-off sweeps; the product never imports it.

It changes nothing the sweep does, only when it does it, from the environment:

- FAULTS_NOW (ISO datetime): the sweep's clock, so every run, clean or faulted, is as of the same moment.
- FAULTS_DIR: a folder for the marks below.
- FAULTS_PAUSE: pause points, comma-separated. The first process to reach a point writes `<point>.paused`
  (its pid) in FAULTS_DIR and stops there for up to two minutes, to be killed; later runs go straight on.
    - "rejudge": after the first chunk of children has been re-judged and committed (chunks of
      FAULTS_CHUNK, default 25), before the next.
    - "raise": inside the raise's transaction, after the children's notifications are inserted and before
      the workers' are.
- FAULTS_BARRIER (a number N): each sweep, as its re-judge ends and its raise begins, marks `barrier.<pid>`
  and waits (up to 30 s) until N sweeps are there, so they raise at the same moment.
"""

import datetime
import functools
import logging
import os
import time
import types
from pathlib import Path

from django.utils import timezone

from alerts import services as alert_services
from alerts import tasks
from cases.services import rejudge

logger = logging.getLogger(__name__)
FAULTS_DIR = Path(os.environ.get("FAULTS_DIR", "."))
PAUSES = {p for p in os.environ.get("FAULTS_PAUSE", "").split(",") if p}
BARRIER = int(os.environ.get("FAULTS_BARRIER", "0"))
CHUNK = int(os.environ.get("FAULTS_CHUNK", "25"))
_sweep = {"chunks": 0, "barrier": False}


def _pause(point: str) -> None:
    """Stop here to be killed, the first time any process gets here."""
    if point not in PAUSES:
        return
    try:
        with open(FAULTS_DIR / f"{point}.paused", "x") as mark:
            mark.write(str(os.getpid()))
    except FileExistsError:
        return
    logger.warning("Fault hook: pid %s stopped at %r, to be killed", os.getpid(), point)
    time.sleep(120)


def _barrier() -> None:
    """Wait until BARRIER sweeps have come this far (once per sweep)."""
    if not BARRIER or _sweep["barrier"]:
        return
    _sweep["barrier"] = True
    (FAULTS_DIR / f"barrier.{os.getpid()}").touch()
    deadline = time.monotonic() + 30
    while len(list(FAULTS_DIR.glob("barrier.*"))) < BARRIER and time.monotonic() < deadline:
        time.sleep(0.02)


if os.environ.get("FAULTS_NOW"):
    _now = datetime.datetime.fromisoformat(os.environ["FAULTS_NOW"])
    tasks.timezone = types.SimpleNamespace(
        now=lambda: _now, localdate=timezone.localdate, localtime=timezone.localtime
    )

_rejudge_all = tasks.obligations_rejudge_all
_raise = tasks.alerts_raise
_rejudge_chunk = rejudge._rejudge_chunk
_insert = alert_services._insert


@functools.wraps(_rejudge_all)
def _rejudge_all_in_small_chunks(**kwargs):
    """A new sweep: small chunks, so there are several to be killed between."""
    _sweep.update(chunks=0, barrier=False)
    return _rejudge_all(**kwargs, chunk_size=CHUNK)


@functools.wraps(_rejudge_chunk)
def _rejudge_chunk_paused(**kwargs):
    if kwargs.get("owner") == "child":
        _sweep["chunks"] += 1
        if _sweep["chunks"] == 2:
            _pause("rejudge")
    return _rejudge_chunk(**kwargs)


@functools.wraps(_raise)
def _raise_together(**kwargs):
    _barrier()
    return _raise(**kwargs)


@functools.wraps(_insert)
def _insert_paused(notifications):
    _insert(notifications)
    _pause("raise")


tasks.obligations_rejudge_all = _rejudge_all_in_small_chunks
tasks.alerts_raise = _raise_together
rejudge._rejudge_chunk = _rejudge_chunk_paused
alert_services._insert = _insert_paused
