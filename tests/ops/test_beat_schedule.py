"""Every beat entry names a task the workers register (a typo would only show when beat fires)."""

from django.conf import settings

from prm.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    missing = {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in app.tasks
    }
    assert missing == {}
