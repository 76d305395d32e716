"""The daily evaluation through a real Celery worker over Redis: one promotion, then a no-op rerun."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from partners.models import Partner, TierChange, TierEvaluationRun
from partners.tasks.tiers import tier_evaluate_task
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, ProgramFactory, TierCriterionFactory, TierFactory, partner_member
from tests.worker_support import wait_for, worker_drained

DAY = date(2026, 4, 1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_promotes_once_and_a_rerun_changes_nothing(worker, tenant_a):
    program = ProgramFactory(tenant=tenant_a)
    registered = TierFactory(program=program, rank=0, name="Registered")
    silver = TierFactory(program=program, rank=1, name="Silver")
    TierCriterionFactory(tier=silver, metric="active_reps", threshold=1)
    partner = PartnerFactory(program=program, tier=registered, joined_at=datetime(2026, 1, 1, tzinfo=UTC))
    partner_member(partner, role=Role.PARTNER_REP)
    partner_member(partner, role=Role.PARTNER_ADMIN, email="owner@partner.example")

    def changes():
        with tenant_context(tenant_a):
            return list(TierChange.objects.values_list("kind", "status", "to_tier_id", "evaluated_on"))

    tier_evaluate_task.delay(tenant_id=tenant_a.pk, today=DAY.isoformat())
    wait_for(lambda: changes() and mail.outbox)
    assert changes() == [("promotion", "applied", silver.pk, DAY)]
    assert [message.to for message in mail.outbox] == [["owner@partner.example"]]

    tier_evaluate_task.delay(tenant_id=tenant_a.pk, today=DAY.isoformat())
    worker_drained(tenant_a)
    assert changes() == [("promotion", "applied", silver.pk, DAY)]
    assert len(mail.outbox) == 1
    with tenant_context(tenant_a):
        assert TierEvaluationRun.objects.get().changes == 1
        assert Partner.objects.get(pk=partner.pk).tier_id == silver.pk
