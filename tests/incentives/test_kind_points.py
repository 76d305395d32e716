"""Activity points runs from real rows: registrations submitted, approved and won through the deals
services, leads accepted within the SLA, logged demos and webinars; caps per recipient, kind and
period; awards to the rep and to the partner company."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from deals.models import Lead, LeadAssignment
from deals.services import deal_approve, deal_close_won, deal_submit, lead_accept, lead_assign, lead_create
from incentives.event_kinds import event_kind_keys
from incentives.models import LedgerEntry
from incentives.periods import period_containing
from incentives.services import activity_log
from prm.tenancy.context import tenant_context
from tests.deals.core_support import core_world, register

from .kinds_helpers import partner_lines, program_of, run, user_lines

POINTS = {
    "deal_registered": 10,
    "deal_approved": 20,
    "deal_won": 100,
    "lead_accepted_within_sla": 15,
    "webinar_attended": 5,
    "demo_logged": 3,
}
CAPS = {"deal_registered": 25, "demo_logged": 4}


def _activity(world):
    """Events of this quarter (they happen now): returns the deals and leads, in id order."""
    rep, other_rep, manager = world.rep.user, world.other_rep.user, world.manager.user
    deals = []
    for i in range(3):
        deal = register(world, customer_name=f"Points Customer {i}", customer_domain=f"points{i}.example")
        deals.append(deal_submit(deal=deal, actor=rep))
    other = register(world, partner=world.other, customer_name="Other Customer", customer_domain="other.example")
    deal_submit(deal=other, actor=other_rep)
    deal_approve(deal=deals[0], actor=manager)
    deal_approve(deal=deals[1], actor=manager)
    deal_close_won(deal=deals[0], actor=rep, amount="5000.00", lines=[{"product": world.product, "quantity": 2}])
    leads = []
    for i in range(2):
        lead = lead_create(actor=manager, company_name=f"Lead {i}", company_domain=f"lead{i}.example")
        lead_assign(lead=lead, partner=world.partner, actor=manager)
        leads.append(lead_accept(lead=lead, actor=rep))
    # The second lead's answer came after its accept-by time (as if the SLA had been shorter).
    late = LeadAssignment.objects.get(lead=leads[1])
    Lead.objects.filter(pk=leads[1].pk).update(accept_due_at=late.decided_at - timedelta(minutes=1))
    today = timezone.now().date()
    webinar = activity_log(
        actor=manager,
        kind="webinar_attended",
        user=rep,
        partner=world.partner,
        occurred_on=today,
        reference="webinar-42",
    )
    demos = [
        activity_log(
            actor=rep, kind="demo_logged", user=rep, partner=world.partner, occurred_on=today, reference=f"demo-{i}"
        )
        for i in range(2)
    ]
    return deals, other, leads, webinar, demos


def test_the_registry_holds_the_deal_lead_and_manual_kinds():
    assert set(POINTS) <= set(event_kind_keys())
    assert {"course_completed", "certification_earned"} <= set(event_kind_keys())  # registered by content


@pytest.mark.django_db
def test_points_to_reps_from_every_kind_with_caps(tenant_a):
    world = core_world(tenant_a)
    period = period_containing(timezone.now().date(), "quarter").key
    with tenant_context(tenant_a):
        deals, other, leads, webinar, demos = _activity(world)
        program = program_of("points", {"points": POINTS, "caps": CAPS}, award_to="rep", unit="points")

        run(program, period)

        rep, other_rep = world.rep.user.pk, world.other_rep.user.pk
        # rep: registered 3 deals at 10, capped at 25 -> 10, 10, 5; 2 approved x 20; 1 won x 100;
        # the lead accepted in time 15 (the late one nothing); a webinar 5; 2 demos at 3, capped at 4 -> 3, 1.
        # other rep: 1 registration, 10.
        d0, d1, d2 = (d.pk for d in deals)
        expected = [
            (rep, f"event:deal_registered:{d0}", "earning", Decimal("10")),
            (rep, f"event:deal_registered:{d1}", "earning", Decimal("10")),
            (rep, f"event:deal_registered:{d2}", "earning", Decimal("5")),
            (rep, f"event:deal_approved:{d0}", "earning", Decimal("20")),
            (rep, f"event:deal_approved:{d1}", "earning", Decimal("20")),
            (rep, f"event:deal_won:{d0}", "earning", Decimal("100")),
            (rep, f"event:lead_accepted_within_sla:{leads[0].pk}", "earning", Decimal("15")),
            (rep, f"event:webinar_attended:{webinar.pk}", "earning", Decimal("5")),
            (rep, f"event:demo_logged:{demos[0].pk}", "earning", Decimal("3")),
            (rep, f"event:demo_logged:{demos[1].pk}", "earning", Decimal("1")),
            (other_rep, f"event:deal_registered:{other.pk}", "earning", Decimal("10")),
        ]
        assert user_lines(program) == sorted(expected)
        assert set(LedgerEntry.objects.filter(program=program).values_list("unit", "currency")) == {("points", "")}
        cut = LedgerEntry.objects.get(program=program, source=f"event:deal_registered:{d2}")
        assert cut.explanation["capped"] is True
        assert cut.explanation["earned_before"] == "20"

        run(program, period)  # nothing changed: nothing posted
        assert LedgerEntry.objects.filter(program=program).count() == len(expected)


@pytest.mark.django_db
def test_company_points_cap_per_partner(tenant_a):
    world = core_world(tenant_a)
    period = period_containing(timezone.now().date(), "quarter").key
    with tenant_context(tenant_a):
        _activity(world)
        program = program_of(
            "points",
            {"points": {"deal_registered": 10, "demo_logged": 3}, "caps": {"deal_registered": 35}},
            award_to="partner",
            unit="points",
        )

        run(program, period)

        totals = {}
        for partner_id, _source, _type, amount in partner_lines(program):
            totals[partner_id] = totals.get(partner_id, 0) + amount
        # The partner: 3 registrations (30, under 35) + 2 demos x 3 = 36; the other partner: 10.
        assert totals == {world.partner.pk: Decimal("36"), world.other.pk: Decimal("10")}
        assert user_lines(program) == []
