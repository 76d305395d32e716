"""Lead services: create and import, assign (by hand and best match), accept, reject, first action, convert."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from deals.models import Deal, Lead, LeadAssignment
from deals.selectors import lead_time_to_accept_hours, lead_time_to_first_action_hours
from deals.services import (
    ACCEPT_SLA,
    LeadImportRejected,
    lead_accept,
    lead_assign,
    lead_assign_best,
    lead_convert,
    lead_create,
    lead_record_first_action,
    lead_reject,
    leads_import,
)
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput, NotAllowed, StateConflict
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context

from ..factories import PartnerFactory, ProductFactory
from .lead_support import a_lead, assigned_lead, lead_world


@pytest.fixture
def world(tenant_a):
    return lead_world(tenant_a)


# --- Create -----------------------------------------------------------------------------------------------------
def test_lead_create_normalises_and_stores_a_new_lead(world):
    with tenant_context(world.tenant):
        lead = lead_create(
            actor=world.manager.user,
            company_name="  Globodyne AG ",
            company_domain="https://www.Globodyne.example/about",
            contact_email="Pat@Globodyne.example",
            country="de",
            region="europe",
            vertical="healthcare",
            capability="implementation",
            context_notes="Read the migration guide twice.",
            estimated_value="25000",
        )
        assert (lead.status, lead.company_name, lead.company_domain, lead.country, lead.contact_email) == (
            "new",
            "Globodyne AG",
            "globodyne.example",
            "DE",
            "pat@globodyne.example",
        )
        assert lead.estimated_value == Decimal("25000") and lead.created_by == world.manager.user
        assert AuditEvent.objects.filter(action="lead.create", object_id=str(lead.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"company_name": " "}, "company_name"),
        ({"country": "XX"}, "country"),
        ({"country": "Germany"}, "country"),
        ({"region": "mars"}, "region"),
        ({"vertical": "mining"}, "vertical"),
        ({"capability": "magic"}, "capability"),
        ({"estimated_value": "-1"}, "estimated_value"),
        ({"estimated_value": "lots"}, "estimated_value"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_lead_create_refuses_bad_input_and_stores_nothing(world, fields, field):
    with tenant_context(world.tenant):
        with pytest.raises(InvalidInput) as error:
            lead_create(actor=world.manager.user, **{"company_name": "Globodyne", **fields})
        assert list(error.value.fields) == [field]
        assert not Lead.objects.exists()


# --- Import -----------------------------------------------------------------------------------------------------
def test_import_creates_every_row(world):
    content = (
        b"company_name,country,vertical,context_notes,estimated_value\n"
        b"Globodyne,de,healthcare,Viewed the pricing page,1000\n"
        b"\n"
        b"Initech,NL,,,\n"
    )
    with tenant_context(world.tenant):
        created = leads_import(actor=world.manager.user, content=content)
        rows = list(Lead.objects.order_by("company_name").values_list("company_name", "country", "status"))
    assert len(created) == 2
    assert rows == [("Globodyne", "DE", "new"), ("Initech", "NL", "new")]


def test_import_is_all_or_nothing_with_a_row_report(world):
    content = "company_name,country,region\nGlobodyne,DE,europe\n,NL,europe\nInitech,ZZ,mars\n"
    with tenant_context(world.tenant):
        with pytest.raises(LeadImportRejected) as error:
            leads_import(actor=world.manager.user, content=content)
        assert not Lead.objects.exists()
    assert [(row.line, row.field) for row in error.value.rows] == [
        (3, "company_name"),
        (4, "country"),
        (4, "region"),
    ]
    assert "line 4.region" in error.value.fields


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name,country\nGlobodyne,DE\n", "company_name"),
        (b"company_name,colour\nGlobodyne,blue\n", "Unknown columns: colour"),
        (b"company_name\n", "no leads"),
        ("company_name\nMüller".encode("latin-1"), "UTF-8"),
        (b"company_name\n" + b"x" * (2 * 1024 * 1024), "larger than"),
    ],
)
def test_import_refuses_unreadable_files(world, content, expected):
    with tenant_context(world.tenant):
        with pytest.raises(InvalidInput) as error:
            leads_import(actor=world.manager.user, content=content)
        assert expected in error.value.message and "file" in error.value.fields
        assert not Lead.objects.exists()


def test_import_reports_a_line_with_too_many_values(world):
    with tenant_context(world.tenant), pytest.raises(LeadImportRejected) as error:
        leads_import(actor=world.manager.user, content="company_name,country\nGlobodyne,DE,extra\n")
    assert [(row.line, row.field) for row in error.value.rows] == [(2, "row")]


# --- Assign -----------------------------------------------------------------------------------------------------
def test_assign_offers_the_lead_with_an_sla_and_tells_the_partner_admins(
    world, celery_eager, django_capture_on_commit_callbacks
):
    lead = a_lead(world, company_name="Globodyne", need="A migration", context_notes="Viewed the healthcare webinar")
    before = timezone.now()
    with tenant_context(world.tenant), django_capture_on_commit_callbacks(execute=True):
        lead_assign(lead=lead, partner=world.partner, actor=world.manager.user)
    with tenant_context(world.tenant):
        lead.refresh_from_db()
        assignment = LeadAssignment.objects.get(lead=lead)
        notified = list(Notification.objects.values_list("user_id", "title", "url"))
    assert (lead.status, lead.partner_id, assignment.outcome, assignment.method) == (
        "assigned",
        world.partner.pk,
        "open",
        "manual",
    )
    assert before + ACCEPT_SLA <= lead.accept_due_at <= timezone.now() + ACCEPT_SLA
    assert timedelta(hours=48) == ACCEPT_SLA
    # The partner admin (not the rep, not the other partner) hears about it, in the portal and by email.
    assert notified == [(world.admin.user_id, "New lead: Globodyne", f"/leads/{lead.pk}/")]
    assert [message.to for message in mail.outbox] == [[world.admin.user.email]]
    assert "Globodyne" in mail.outbox[0].subject
    assert "Viewed the healthcare webinar" in mail.outbox[0].body and f"/leads/{lead.pk}/" in mail.outbox[0].body


def test_reassigning_withdraws_the_open_offer(world):
    lead = assigned_lead(world)
    with tenant_context(world.tenant):
        lead_assign(lead=lead, partner=world.other, actor=world.manager.user)
        outcomes = list(LeadAssignment.objects.filter(lead=lead).order_by("id").values_list("partner", "outcome"))
        lead.refresh_from_db()
    assert outcomes == [(world.partner.pk, "withdrawn"), (world.other.pk, "open")]
    assert lead.partner_id == world.other.pk


def test_assign_refuses_inactive_partners_same_partner_and_accepted_leads(world):
    lead = a_lead(world)
    suspended = PartnerFactory(program=world.partner.program, status="suspended")
    with tenant_context(world.tenant):
        with pytest.raises(InvalidInput) as error:
            lead_assign(lead=lead, partner=suspended, actor=world.manager.user)
        assert "partner" in error.value.fields
        lead_assign(lead=lead, partner=world.partner, actor=world.manager.user)
        with pytest.raises(StateConflict):
            lead_assign(lead=lead, partner=world.partner, actor=world.manager.user)
        lead_accept(lead=lead, actor=world.rep.user)
        with pytest.raises(StateConflict) as error:
            lead_assign(lead=lead, partner=world.other, actor=world.manager.user)
        assert error.value.current_state == "accepted"
        assert LeadAssignment.objects.filter(lead=lead).count() == 1


def test_assign_best_picks_the_top_match_and_stores_its_factors(world):
    lead = a_lead(world)
    with tenant_context(world.tenant):
        lead_assign_best(lead=lead, actor=world.manager.user)
        assignment = LeadAssignment.objects.get(lead=lead)
    # Nimbus: DE 30 + europe 15 + healthcare 20 + gold (rank 2) 10 = 75; Cumulus: 30 + 15 = 45.
    assert assignment.partner_id == world.partner.pk and assignment.method == "matched"
    assert assignment.factors["total"] == 75
    assert assignment.factors["tier"] == {"value": 2, "points": 10}


def test_assign_best_skips_partners_that_had_the_lead_and_says_when_none_fits(world):
    lead = assigned_lead(world)
    with tenant_context(world.tenant):
        lead_reject(lead=lead, actor=world.admin.user, reason="Too small for us")
        lead_assign_best(lead=lead, actor=world.manager.user)
        lead.refresh_from_db()
        assert lead.partner_id == world.other.pk
        lead_reject(lead=lead, actor=world.other_admin.user, reason="No capacity")
        with pytest.raises(InvalidInput) as error:
            lead_assign_best(lead=lead, actor=world.manager.user)
        assert "partner" in error.value.fields


# --- The partner's answer ---------------------------------------------------------------------------------------
def test_a_rep_accepts_and_the_time_to_accept_is_recorded(world):
    lead = assigned_lead(world, hours_ago=5)
    with tenant_context(world.tenant):
        lead_accept(lead=lead, actor=world.rep.user)
        lead.refresh_from_db()
        assignment = LeadAssignment.objects.get(lead=lead)
        medians = lead_time_to_accept_hours(partner_ids=[world.partner.pk])
        creator_told = Notification.objects.filter(user=world.manager.user, title__contains="accepted").exists()
    assert lead.status == "accepted" and lead.accepted_at == assignment.decided_at
    assert assignment.outcome == "accepted"
    assert timedelta(hours=5) <= assignment.decided_at - assignment.assigned_at < timedelta(hours=5, minutes=1)
    assert 5 <= medians[world.partner.pk] < 5.02
    assert creator_told


def test_time_to_accept_is_the_median_per_partner(world):
    for hours in (2, 10, 30):
        lead = assigned_lead(world, hours_ago=hours)
        with tenant_context(world.tenant):
            lead_accept(lead=lead, actor=world.admin.user)
    with tenant_context(world.tenant):
        medians = lead_time_to_accept_hours()
    assert list(medians) == [world.partner.pk] and 10 <= medians[world.partner.pk] < 10.02


def test_only_the_assigned_partners_people_may_answer(world):
    lead = assigned_lead(world)
    with tenant_context(world.tenant):
        for actor in (world.other_admin.user, world.manager.user):
            with pytest.raises(NotAllowed):
                lead_accept(lead=lead, actor=actor)
            with pytest.raises(NotAllowed):
                lead_reject(lead=lead, actor=actor, reason="x")
        lead.refresh_from_db()
        assert lead.status == "assigned"


def test_answers_after_the_deadline_are_refused(world):
    lead = assigned_lead(world, hours_ago=49)
    with tenant_context(world.tenant):
        with pytest.raises(StateConflict):
            lead_accept(lead=lead, actor=world.admin.user)
        with pytest.raises(StateConflict):
            lead_reject(lead=lead, actor=world.admin.user, reason="late")
        assert LeadAssignment.objects.get(lead=lead).outcome == "open"


def test_reject_needs_a_reason_and_returns_the_lead_to_new(world):
    lead = assigned_lead(world)
    with tenant_context(world.tenant):
        with pytest.raises(InvalidInput) as error:
            lead_reject(lead=lead, actor=world.admin.user, reason="  ")
        assert "reason" in error.value.fields
        lead_reject(lead=lead, actor=world.admin.user, reason="Outside our region")
        lead.refresh_from_db()
        assignment = LeadAssignment.objects.get(lead=lead)
        told = Notification.objects.get(user=world.manager.user, title__contains="rejected")
        # The lead is no longer the partner's: a second answer is refused as not theirs.
        with pytest.raises(NotAllowed):
            lead_accept(lead=lead, actor=world.admin.user)
    assert (lead.status, lead.partner_id, lead.accept_due_at) == ("new", None, None)
    assert (assignment.outcome, assignment.reason) == ("rejected", "Outside our region")
    assert told.body == "Outside our region"


def test_a_second_answer_is_a_state_conflict(world):
    lead = assigned_lead(world)
    with tenant_context(world.tenant):
        lead_accept(lead=lead, actor=world.admin.user)
        with pytest.raises(StateConflict) as error:
            lead_accept(lead=lead, actor=world.rep.user)
        assert error.value.current_state == "accepted"
        with pytest.raises(StateConflict):
            lead_reject(lead=lead, actor=world.rep.user, reason="changed our mind")


def test_the_first_action_is_recorded_once(world):
    lead = assigned_lead(world)
    with tenant_context(world.tenant):
        with pytest.raises(StateConflict):
            lead_record_first_action(lead=lead, actor=world.rep.user, note="Called")
        lead_accept(lead=lead, actor=world.admin.user)
        lead_record_first_action(lead=lead, actor=world.rep.user, note="Called the contact")
        lead.refresh_from_db()
        first = lead.first_action_at
        lead_record_first_action(lead=lead, actor=world.admin.user, note="Sent a proposal")
        lead.refresh_from_db()
        events = list(AuditEvent.objects.filter(action="lead.first_action").values_list("context", flat=True))
    assert first is not None and lead.first_action_at == first
    assert [event["note"] for event in events] == ["Called the contact"]


def test_time_to_first_action_is_the_median_per_partner(world):
    for hours in (1, 3, 8):
        lead = assigned_lead(world)
        with tenant_context(world.tenant):
            lead_accept(lead=lead, actor=world.admin.user)
            Lead.objects.filter(pk=lead.pk).update(accepted_at=timezone.now() - timedelta(hours=hours))
            lead_record_first_action(lead=lead, actor=world.rep.user, note="Called")
    assigned_lead(world)  # never acted on: not counted
    with tenant_context(world.tenant):
        medians = lead_time_to_first_action_hours()
    assert list(medians) == [world.partner.pk] and 3 <= medians[world.partner.pk] < 3.02


# --- Convert ----------------------------------------------------------------------------------------------------
def test_convert_registers_a_vendor_lead_deal_prefilled_from_the_lead(world):
    product = ProductFactory(tenant=world.tenant, list_price=Decimal("1200.00"))
    lead = assigned_lead(
        world,
        company_name="Globodyne AG",
        company_domain="globodyne.example",
        contact_name="Pat Prospect",
        need="Moving 400 seats to the cloud",
        estimated_value=Decimal("48000.00"),
    )
    with tenant_context(world.tenant):
        lead_accept(lead=lead, actor=world.admin.user)
        deal = lead_convert(
            lead=lead,
            actor=world.rep.user,
            expected_close_date=datetime.date(2027, 6, 30),
            lines=[{"product": product.pk, "quantity": 2}],
        )
        lead.refresh_from_db()
        deal = Deal.objects.get(pk=deal.pk)
        line_count = deal.lines.count()
    assert (deal.source, deal.lead_id, deal.partner_id, deal.registered_by_id, deal.status) == (
        "vendor_lead",
        lead.pk,
        world.partner.pk,
        world.rep.user_id,
        "draft",
    )
    assert (deal.customer_name, deal.customer_domain, deal.country, deal.contact_name, deal.notes) == (
        "Globodyne AG",
        "globodyne.example",
        "DE",
        "Pat Prospect",
        "Moving 400 seats to the cloud",
    )
    assert (deal.estimated_value, deal.currency, line_count) == (Decimal("48000.00"), world.tenant.currency, 1)
    assert lead.status == "converted" and lead.first_action_at is not None


def test_convert_lets_the_partner_override_the_prefill_and_refuses_bad_input(world):
    lead = assigned_lead(world, estimated_value=None)
    with tenant_context(world.tenant):
        with pytest.raises(StateConflict):
            lead_convert(lead=lead, actor=world.admin.user, expected_close_date=datetime.date(2027, 1, 31))
        lead_accept(lead=lead, actor=world.admin.user)
        with pytest.raises(InvalidInput) as error:
            lead_convert(lead=lead, actor=world.admin.user, expected_close_date=datetime.date(2027, 1, 31))
        assert "estimated_value" in error.value.fields
        with pytest.raises(InvalidInput) as error:
            lead_convert(lead=lead, actor=world.admin.user, estimated_value="9000")
        assert "expected_close_date" in error.value.fields
        with pytest.raises(NotAllowed):
            lead_convert(lead=lead, actor=world.other_admin.user, expected_close_date=datetime.date(2027, 1, 31))
        lead.refresh_from_db()
        assert lead.status == "accepted" and not Deal.objects.exists()
        deal = lead_convert(
            lead=lead,
            actor=world.admin.user,
            expected_close_date=datetime.date(2027, 1, 31),
            estimated_value="9000",
            customer_name="Globodyne Europe",
        )
        assert (deal.customer_name, deal.estimated_value) == ("Globodyne Europe", Decimal("9000"))
        with pytest.raises(StateConflict) as error:
            lead_convert(lead=lead, actor=world.admin.user, expected_close_date=datetime.date(2027, 1, 31))
        assert error.value.current_state == "converted"
