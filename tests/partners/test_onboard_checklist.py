"""Onboarding checklists: steps that complete from events, manual ticks, progress and days on both sides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import OnboardingStep, Partner
from partners.selectors.checklist import onboarding_in_progress, onboarding_status_of
from partners.services import partner_update_profile, partner_user_invite
from partners.services.agreements import agreement_accept
from partners.services.checklist import onboarding_step_complete_manual, onboarding_step_undo_manual
from prm.accounts.roles import Role
from prm.errors import InvalidInput, StateConflict
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, issue_token, partner_member

from .onboard_world import complete_step, onboarding_partner, program_with_checklist, step_of

FULL_PROFILE = {
    "description": "Cloud reseller",
    "country": "NL",
    "regions": ["europe"],
    "types": ["reseller"],
    "verticals": ["financial_services"],
    "capabilities": ["migration"],
    "company_size": "11-50",
}


@pytest.fixture
def setup(tenant_a):
    program = program_with_checklist(tenant_a, target_days=30)
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    partner = onboarding_partner(program, joined_days_ago=10, channel_manager=manager.user)
    return {
        "program": program,
        "partner": partner,
        "admin": partner_member(partner),
        "manager": manager,
        "staff": MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF),
    }


def test_steps_complete_themselves_from_events(tenant_a, setup, celery_eager, django_capture_on_commit_callbacks):
    partner, admin = setup["partner"], setup["admin"]
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        agreement_accept(partner=partner, user=admin.user, ip_address=None)
        partner_update_profile(partner=partner, actor=admin.user, **FULL_PROFILE)
        partner_user_invite(partner=partner, actor=admin.user, email="rep@nimbus.example", role=Role.PARTNER_REP)
        status = onboarding_status_of(partner)
    done = {step.kind: step.is_done for step in status.steps}
    assert done == {"accept_agreement": True, "complete_profile": True, "manual": False, "upload_logo": False}
    assert (status.pace.required_done, status.pace.required_total, status.pace.progress) == (2, 3, 66)
    assert status.next_step.kind == "manual"


def test_manual_steps_are_ticked_and_unticked_by_hand_only(tenant_a, setup):
    partner, manager = setup["partner"], setup["manager"].user
    manual, automatic = step_of(partner, "manual"), step_of(partner, "accept_agreement")
    with tenant_context(tenant_a):
        ticked = onboarding_step_complete_manual(step=manual, actor=manager, note="Call held on Monday")
        assert ticked.completed_by == manager and ticked.completion_note == "Call held on Monday"
        with pytest.raises(StateConflict) as conflict:
            onboarding_step_complete_manual(step=manual, actor=manager)
        assert conflict.value.current_state == "done"
        with pytest.raises(InvalidInput):
            onboarding_step_complete_manual(step=automatic, actor=manager)
        with pytest.raises(InvalidInput):
            onboarding_step_undo_manual(step=automatic, actor=manager)
        onboarding_step_undo_manual(step=manual, actor=manager)
        assert not OnboardingStep.objects.get(pk=manual.pk).is_done
        with pytest.raises(StateConflict) as conflict:
            onboarding_step_undo_manual(step=manual, actor=manager)
        assert conflict.value.current_state == "open"


def test_progress_and_days_against_the_program_target(tenant_a, setup):
    partner = setup["partner"]
    complete_step(partner, "manual", days_ago=2)
    complete_step(partner, "upload_logo", days_ago=1)  # optional: does not count
    with tenant_context(tenant_a):
        pace = onboarding_status_of(partner, today=timezone.localdate()).pace
        assert (pace.progress, pace.days, pace.target_days, pace.days_left) == (33, 10, 30, 20)
        assert not pace.over_target and not pace.stalled
        later = onboarding_status_of(partner, today=timezone.localdate() + timedelta(days=30)).pace
        assert later.days == 40 and later.days_left == -10 and later.days_over == 10
        assert later.over_target and later.stalled
        [row] = onboarding_in_progress()
        last_activity = timezone.localdate() - timedelta(days=1)  # the optional step counts as activity too
        assert (row.pace.progress, row.pace.days, row.pace.last_activity_on) == (33, 10, last_activity)


def test_overview_lists_partners_in_onboarding_riskiest_first(tenant_a, setup, django_assert_num_queries):
    program = setup["program"]
    over = onboarding_partner(program, "Over Target BV", joined_days_ago=45)
    complete_step(over, "manual", days_ago=1)
    onboarding_partner(program, "Stalled BV", joined_days_ago=20)
    onboarding_partner(program, "Fresh BV")
    active = onboarding_partner(program, "Active BV")
    with tenant_context(tenant_a):
        Partner.objects.filter(pk=active.pk).update(status="active")
    client = portal_client(tenant_a, setup["staff"].user)
    content = client.get("/onboarding/partners/").content.decode()
    order = [content.index(name) for name in ("Over Target BV", "Stalled BV", setup["partner"].name, "Fresh BV")]
    assert order == sorted(order) and "Active BV" not in content
    assert "Over target" in content and "Stalled" in content
    # tenant, enter context, session, user, membership, partners in onboarding (one query), leave context
    client.get("/onboarding/partners/")
    with django_assert_num_queries(7) as captured:
        client.get("/onboarding/partners/")
    for index in range(5):
        onboarding_partner(program, f"More {index}", joined_days_ago=index)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get("/onboarding/partners/")


def test_partner_page_shows_steps_progress_and_next_step(tenant_a, setup):
    complete_step(setup["partner"], "manual")
    client = portal_client(tenant_a, setup["admin"].user)
    with tenant_context(tenant_a):
        agreement_accept(partner=setup["partner"], user=setup["admin"].user, ip_address=None)
    page = client.get("/onboarding/").content.decode()
    assert "66%" in page and "10 of a 30-day target" in page and "20 days left" in page
    assert "Next:</strong> Complete your profile" in page
    assert "accepted Reseller agreement v1" in page  # how it was completed
    assert setup["admin"].user.email in page  # who accepted which version
    dashboard = client.get("/").content.decode()
    assert 'id="panel-your_onboarding"' in dashboard and "66%" in dashboard


def test_vendor_checklist_page_ticks_manual_steps_with_htmx(tenant_a, setup):
    partner = setup["partner"]
    manual = step_of(partner, "manual")
    client = portal_client(tenant_a, setup["manager"].user)
    page = client.get(f"/onboarding/partners/{partner.pk}/").content.decode()
    assert f"/onboarding/partners/{partner.pk}/steps/{manual.pk}/complete" in page
    assert f"steps/{step_of(partner, 'accept_agreement').pk}/complete" not in page  # only manual steps
    row = client.post(f"/onboarding/partners/{partner.pk}/steps/{manual.pk}/complete", HTTP_HX_REQUEST="true")
    assert (
        row.content.decode().lstrip().startswith(f'<tr id="step-{manual.pk}"') and "Ticked off." in row.content.decode()
    )
    again = client.post(f"/onboarding/partners/{partner.pk}/steps/{manual.pk}/complete", HTTP_HX_REQUEST="true")
    assert "This step is already done." in again.content.decode()
    undone = client.post(f"/onboarding/partners/{partner.pk}/steps/{manual.pk}/undo", follow=True)
    assert "Tick taken back." in undone.content.decode()
    assert not step_of(partner, "manual").is_done
    assert client.post(f"/onboarding/partners/{partner.pk}/steps/{manual.pk}/explode").status_code == 404


def test_vendor_staff_read_but_do_not_tick(tenant_a, setup):
    partner, manual = setup["partner"], step_of(setup["partner"], "manual")
    client = portal_client(tenant_a, setup["staff"].user)
    page = client.get(f"/onboarding/partners/{partner.pk}/").content.decode()
    assert "Kick-off call" in page and "/complete" not in page
    assert client.post(f"/onboarding/partners/{partner.pk}/steps/{manual.pk}/complete").status_code == 403
    rep = partner_member(partner, role=Role.PARTNER_REP)
    assert portal_client(tenant_a, rep.user).get("/onboarding/partners/").status_code == 403


def test_api_onboarding_and_manual_ticks(tenant_a, setup, django_assert_num_queries):
    partner = setup["partner"]
    manual = step_of(partner, "manual")
    client = portal_client(tenant_a)
    manager = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(setup['manager'])}"}
    body = client.get(f"/api/v1/partners/{partner.pk}/onboarding", **manager).json()
    assert (body["progress"], body["days"], body["target_days"], body["days_left"]) == (0, 10, 30, 20)
    assert [step["kind"] for step in body["steps"]] == ["accept_agreement", "complete_profile", "manual", "upload_logo"]
    assert body["next_step"] == step_of(partner, "accept_agreement").pk
    url = f"/api/v1/partners/{partner.pk}/onboarding/steps/{manual.pk}"
    ticked = client.post(f"{url}/complete", **manager)
    assert ticked.status_code == 200 and ticked.json()["done"] and ticked.json()["completed_by"]["email"]
    conflict = client.post(f"{url}/complete", **manager)
    assert conflict.status_code == 409 and conflict.json()["error"]["current_state"] == "done"
    automatic = step_of(partner, "accept_agreement")
    refused = client.post(f"/api/v1/partners/{partner.pk}/onboarding/steps/{automatic.pk}/complete", **manager)
    assert refused.status_code == 400
    assert client.post(f"{url}/undo", **manager).json()["done"] is False
    staff = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(setup['staff'])}"}
    assert client.post(f"{url}/complete", **staff).status_code == 403
    own = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(setup['admin'])}"}
    assert client.get(f"/api/v1/partners/{partner.pk}/onboarding", **own).status_code == 200
    assert client.post(f"{url}/complete", **own).status_code == 403
    client.get(f"/api/v1/partners/{partner.pk}/onboarding", **manager)
    # session, tenant, token, membership, partner, steps, acceptances, leave context
    with django_assert_num_queries(8) as captured:
        client.get(f"/api/v1/partners/{partner.pk}/onboarding", **manager)
    for _ in range(3):
        add_done_step(partner, "manual")
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(f"/api/v1/partners/{partner.pk}/onboarding", **manager)


def add_done_step(partner, kind):
    with tenant_context(partner.tenant):
        OnboardingStep.objects.create(partner=partner, kind=kind, title="Extra", completed_at=timezone.now())


def test_vendor_dashboard_shows_onboarding_at_risk(tenant_a, setup, django_assert_num_queries):
    program = setup["program"]
    onboarding_partner(program, "Late BV", joined_days_ago=45)
    onboarding_partner(program, "On Track BV")
    client = portal_client(tenant_a, setup["manager"].user)
    panel = client.get("/").content.decode()
    assert 'id="panel-onboarding_at_risk"' in panel
    assert "2 of 3 partners in onboarding are over the target or stalled." in panel
    assert panel.index("Late BV") < panel.index(setup["partner"].name) and "On Track BV" not in panel
    # tenant, enter context, session, user, membership, account panel (2), partner pipeline panel (3),
    # partners in onboarding, leave context
    with django_assert_num_queries(12) as captured:
        client.get("/")
    for index in range(4):
        onboarding_partner(program, f"Late {index}", joined_days_ago=50 + index)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get("/")
