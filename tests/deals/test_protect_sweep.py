"""The daily protection sweep: expiry of ended protection, reminders 14/7/1 days before, idempotency."""

from datetime import date, timedelta

import pytest
from django.core import mail

from deals.models import Deal, DealEvent, ExtensionRequest, ProtectionReminder
from deals.services import deal_protection_sweep
from deals.tasks.protection import deal_protection_sweep_all_task
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, PartnerFactory, partner_member

TODAY = date(2026, 5, 10)


@pytest.fixture
def people(tenant_a):
    partner = PartnerFactory(program__tenant=tenant_a)
    rep = partner_member(partner, role=Role.PARTNER_REP, email="rep@partner.example")
    admin = partner_member(partner, role=Role.PARTNER_ADMIN, email="admin@partner.example")
    partner_member(partner, role=Role.PARTNER_REP, email="other.rep@partner.example")
    return {"partner": partner, "rep": rep, "admin": admin}


def approved(people, ends: date, **kwargs) -> Deal:
    return DealFactory(
        partner=people["partner"],
        registered_by=people["rep"].user,
        status="approved",
        protected_until=ends,
        **kwargs,
    )


def sweep(tenant, today=TODAY):
    with tenant_context(tenant):
        return deal_protection_sweep(today=today)


def test_protection_ending_yesterday_expires_and_the_last_day_does_not(tenant_a, people):
    ended = approved(people, TODAY - timedelta(days=1), customer_name="Ended Ltd")
    last_day = approved(people, TODAY)
    DealFactory(partner=people["partner"], status="submitted", protected_until=TODAY - timedelta(days=5))

    result = sweep(tenant_a)

    assert result.expired == [ended.pk]
    with tenant_context(tenant_a):
        assert Deal.objects.get(pk=ended.pk).status == "expired"
        assert Deal.objects.get(pk=last_day.pk).status == "approved"
        event = DealEvent.objects.get(deal=ended, kind="expired")
        assert (event.from_status, event.to_status) == ("approved", "expired")
        assert "2026-05-09" in event.reason
        assert AuditEvent.objects.filter(action="deal.expire", object_id=str(ended.pk)).count() == 1
        titles = dict(Notification.objects.filter(title__contains="Ended").values_list("user__email", "title"))
    # the registering rep and the partner admins, not the partner's other reps
    assert titles == {
        "rep@partner.example": "Protection ended: Ended Ltd",
        "admin@partner.example": "Protection ended: Ended Ltd",
    }


@pytest.mark.parametrize(
    ("days", "window"),
    [(15, None), (14, 14), (10, 14), (8, 14), (7, 7), (2, 7), (1, 1), (0, 1)],
)
def test_reminder_windows(tenant_a, people, days, window):
    deal = approved(people, TODAY + timedelta(days=days))

    result = sweep(tenant_a)

    assert result.reminded == ([(deal.pk, window)] if window else [])
    with tenant_context(tenant_a):
        rows = list(ProtectionReminder.objects.values_list("deal_id", "protected_until", "days_before"))
    assert rows == ([(deal.pk, deal.protected_until, window)] if window else [])


def test_reminders_go_to_the_rep_and_partner_admins_by_portal_and_email(
    tenant_a, people, celery_eager, django_capture_on_commit_callbacks
):
    approved(people, TODAY + timedelta(days=7), customer_name="Initech", extensions_used=0)

    with django_capture_on_commit_callbacks(execute=True):
        sweep(tenant_a)

    with tenant_context(tenant_a):
        notes = list(Notification.objects.order_by("user__email").values_list("user__email", "title", "body"))
    assert [email for email, _title, _body in notes] == ["admin@partner.example", "rep@partner.example"]
    assert notes[0][1] == "Protection of Initech ends in 7 days"
    assert "Protected until 2026-05-17." in notes[0][2]
    assert "1 more extension of 30 days" in notes[0][2]
    assert sorted(message.to[0] for message in mail.outbox) == ["admin@partner.example", "rep@partner.example"]
    assert mail.outbox[0].subject == "Protection of Initech ends in 7 days"
    assert "acme." in mail.outbox[0].body


def test_a_second_sweep_the_same_day_changes_and_sends_nothing(
    tenant_a, people, celery_eager, django_capture_on_commit_callbacks
):
    approved(people, TODAY - timedelta(days=3))
    approved(people, TODAY + timedelta(days=14))
    approved(people, TODAY + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep(tenant_a)
    with tenant_context(tenant_a):
        counts = (DealEvent.objects.count(), ProtectionReminder.objects.count(), Notification.objects.count())
    emails = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = sweep(tenant_a)

    assert (len(first.expired), len(first.reminded)) == (1, 2)
    assert (second.expired, second.reminded, callbacks) == ([], [], [])
    with tenant_context(tenant_a):
        assert (DealEvent.objects.count(), ProtectionReminder.objects.count(), Notification.objects.count()) == counts
    assert len(mail.outbox) == emails == 6


def test_each_window_reminds_once_as_the_end_approaches_and_again_after_an_extension(tenant_a, people):
    deal = approved(people, TODAY + timedelta(days=14))
    sent = []
    for offset in range(16):
        sent += [days for _pk, days in sweep(tenant_a, TODAY + timedelta(days=offset)).reminded]
    assert sent == [14, 7, 1]
    with tenant_context(tenant_a):
        assert Deal.objects.get(pk=deal.pk).status == "expired"

    extended = approved(people, TODAY + timedelta(days=7))
    assert sweep(tenant_a).reminded == [(extended.pk, 7)]
    with tenant_context(tenant_a):
        Deal.objects.filter(pk=extended.pk).update(protected_until=TODAY + timedelta(days=37))
    assert sweep(tenant_a, TODAY + timedelta(days=30)).reminded == [(extended.pk, 7)]


def test_a_deal_whose_extension_awaits_a_decision_is_not_expired(tenant_a, people):
    deal = approved(people, TODAY - timedelta(days=1))
    with tenant_context(tenant_a):
        ExtensionRequest.objects.create(deal=deal, requested_by=people["rep"].user, reason="Board meets next week")

    assert sweep(tenant_a).expired == []

    with tenant_context(tenant_a):
        ExtensionRequest.objects.filter(deal=deal).update(status="rejected")
    assert sweep(tenant_a).expired == [deal.pk]


def test_the_sweep_stays_in_its_tenant(tenant_a, tenant_b, people):
    other = DealFactory(partner__program__tenant=tenant_b, status="approved", protected_until=TODAY - timedelta(1))
    approved(people, TODAY - timedelta(days=1))

    assert len(sweep(tenant_a).expired) == 1

    with tenant_context(tenant_b):
        assert Deal.objects.get(pk=other.pk).status == "approved"


def test_the_beat_entry_sweeps_every_active_tenant_for_its_today(tenant_a, tenant_b, people, celery_eager):
    long_ago = date(2000, 1, 1)
    approved(people, long_ago)
    other = DealFactory(partner__program__tenant=tenant_b, status="approved", protected_until=long_ago)

    assert deal_protection_sweep_all_task.delay().get() == 2

    with tenant_context(tenant_b):
        assert Deal.objects.get(pk=other.pk).status == "expired"
    with tenant_context(tenant_a):
        assert Deal.objects.filter(status="expired").count() == 1
