"""The service import's Celery tasks: thin wrappers named after the services they call (eager by default)."""

from celery import shared_task

from .services.runs import (
    service_import_check,
    service_import_confirm_run,
    service_import_runs_expire,
    service_import_runs_resume,
)


@shared_task(acks_late=True)
def service_import_check_task(run_id: int) -> str:
    """Check an uploaded set (the dry run); a second delivery of the same run does nothing."""
    return service_import_check(run_id=run_id)


@shared_task(acks_late=True)
def service_import_run_task(run_id: int) -> str:
    """Import a checked set; a second delivery of the same run does nothing."""
    return service_import_confirm_run(run_id=run_id)


@shared_task
def service_import_runs_expire_task() -> int:
    """Clear old runs' reports and uploads (SERVICE_IMPORT_KEEP_DAYS; Celery beat, daily)."""
    return service_import_runs_expire()


@shared_task
def service_import_runs_resume_task() -> int:
    """Start again the runs whose queueing was lost or whose worker died (Celery beat, every 5 minutes)."""
    return service_import_runs_resume()
