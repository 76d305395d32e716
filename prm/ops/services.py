from django.utils import timezone

from .models import Heartbeat

BEAT_WORKER = "beat-worker"


def heartbeat_record(*, name: str = BEAT_WORKER) -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return heartbeat
