"""Factories of announcements (rows as stored: the services sanitise and check what these write directly)."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import TenantFactory, TenantOwnedFactory


class AnnouncementFactory(TenantOwnedFactory):
    """Live since yesterday, for every partner, by default."""

    class Meta:
        model = "content.Announcement"

    tenant = factory.SubFactory(TenantFactory)
    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "<p>News.</p>"
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
