from celery import shared_task

from .services import heartbeat_record


@shared_task
def heartbeat_task() -> None:
    """Scheduled by beat every 30 s; its timestamp proves beat → broker → worker works."""
    heartbeat_record()
