from django.db import models


class Heartbeat(models.Model):
    """Last time a worker ran the beat-scheduled heartbeat task (platform-wide, not tenant-owned)."""

    name = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
