"""Program admin with its checklist inline, agreement versions and acceptances: tenant admins change,
other vendor roles read."""

import pytest

from partners.models import Agreement, AgreementAcceptance, ChecklistStepTemplate, Program
from partners.services.agreements import agreement_accept
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import (
    AgreementFactory,
    ChecklistStepTemplateFactory,
    MembershipFactory,
    ProgramFactory,
    partner_member,
)

from .onboard_world import onboarding_partner


@pytest.fixture
def people(tenant_a):
    return {
        role: MembershipFactory(tenant=tenant_a, role=role)
        for role in (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF)
    }


def program_post(steps=(), existing=0, agreements=0, **overrides):
    data = {
        "name": "Solutions",
        "slug": "solutions",
        "kind": "solutions",
        "summary": "",
        "description": "",
        "rules_of_engagement": "",
        "is_public": "on",
        "demotion_grace_days": "90",
        "onboarding_target_days": "45",
        "application_questions": "[]",
        "position": "0",
        "checklist-TOTAL_FORMS": str(len(steps)),
        "checklist-INITIAL_FORMS": str(existing),
        "agreements-TOTAL_FORMS": str(agreements),
        "agreements-INITIAL_FORMS": str(agreements),
        **overrides,
    }
    for index, step in enumerate(steps):
        for key, value in step.items():
            data[f"checklist-{index}-{key}"] = value
    return data


def test_tenant_admin_creates_a_program_with_its_checklist(tenant_a, people):
    client = portal_client(tenant_a, people[Role.TENANT_ADMIN].user)
    page = client.get("/admin/partners/program/add/").content.decode()
    assert 'value="accept_agreement"' in page and 'value="manual"' in page  # kinds from the registry
    steps = [
        {"position": "1", "kind": "accept_agreement", "title": "Accept the agreement", "is_required": "on"},
        {"position": "2", "kind": "manual", "title": "Kick-off call", "description": "30 minutes"},
    ]
    response = client.post("/admin/partners/program/add/", program_post(steps))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        program = Program.objects.get(slug="solutions")
        assert program.onboarding_target_days == 45
        assert list(program.checklist.values_list("kind", "title", "is_required")) == [
            ("accept_agreement", "Accept the agreement", True),
            ("manual", "Kick-off call", False),
        ]
        assert AuditEvent.objects.filter(action="program.create").count() == 1
        assert AuditEvent.objects.filter(action="checklist_step.add").count() == 2
    # A checklist step changes and another goes, through the same page.
    with tenant_context(tenant_a):
        first, second = program.checklist.order_by("position")
    data = program_post(
        [
            {
                "id": str(first.pk),
                "program": str(program.pk),
                "position": "1",
                "kind": "accept_agreement",
                "title": "Sign it",
                "is_required": "on",
            },
            {
                "id": str(second.pk),
                "program": str(program.pk),
                "position": "2",
                "kind": "manual",
                "title": "Kick-off call",
                "DELETE": "on",
            },
        ],
        existing=2,
    )
    assert client.post(f"/admin/partners/program/{program.pk}/change/", data).status_code == 302
    with tenant_context(tenant_a):
        assert list(program.checklist.values_list("title", flat=True)) == ["Sign it"]


def test_bad_input_is_explained_and_changes_nothing(tenant_a, people):
    client = portal_client(tenant_a, people[Role.TENANT_ADMIN].user)
    ProgramFactory(tenant=tenant_a, slug="taken")
    bad_kind = client.post(
        "/admin/partners/program/add/", program_post([{"position": "1", "kind": "fly", "title": "x"}])
    )
    assert bad_kind.status_code == 200 and "Select a valid choice" in bad_kind.content.decode()
    questions = client.post("/admin/partners/program/add/", program_post(application_questions='[{"label": "Why?"}]'))
    assert "Question 1: needs a key and a label." in questions.content.decode()
    taken = client.post("/admin/partners/program/add/", program_post(slug="taken"))
    assert "Another program already uses the slug taken." in taken.content.decode()
    zero = client.post("/admin/partners/program/add/", program_post(onboarding_target_days="0"))
    assert "Ensure this value is greater than or equal to 1." in zero.content.decode()
    with tenant_context(tenant_a):
        assert Program.objects.count() == 1 and ChecklistStepTemplate.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.VENDOR_STAFF])
def test_other_vendor_roles_read_programs_only(tenant_a, people, role):
    program = ProgramFactory(tenant=tenant_a, name="Reseller")
    ChecklistStepTemplateFactory(program=program, title="Kick-off call")
    agreement = AgreementFactory(program=program, published_at=None)
    client = portal_client(tenant_a, people[role].user)
    assert "Reseller" in client.get("/admin/partners/program/").content.decode()
    page = client.get(f"/admin/partners/program/{program.pk}/change/")
    assert page.status_code == 200 and "Kick-off call" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/partners/program/add/").status_code == 403
    assert client.post(f"/admin/partners/program/{program.pk}/change/", program_post(existing=1)).status_code == 403
    assert (
        client.post("/admin/partners/agreement/add/", {"program": program.pk, "title": "x", "body": "y"}).status_code
        == 403
    )
    publish = {"action": "publish", "_selected_action": [agreement.pk]}
    client.post("/admin/partners/agreement/", publish)
    with tenant_context(tenant_a):
        assert Agreement.objects.get(pk=agreement.pk).published_at is None


def test_agreement_versions_in_admin(tenant_a, people):
    program = ProgramFactory(tenant=tenant_a)
    client = portal_client(tenant_a, people[Role.TENANT_ADMIN].user)
    response = client.post("/admin/partners/agreement/add/", {"program": program.pk, "title": "Terms", "body": "v1"})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        draft = Agreement.objects.get()
    assert draft.version == 1 and draft.published_at is None
    client.post(f"/admin/partners/agreement/{draft.pk}/change/", {"title": "Terms", "body": "v1, final"})
    client.post("/admin/partners/agreement/", {"action": "publish", "_selected_action": [draft.pk]})
    with tenant_context(tenant_a):
        draft.refresh_from_db()
    assert draft.body == "v1, final" and draft.published_at is not None
    page = client.get(f"/admin/partners/agreement/{draft.pk}/change/")
    assert 'name="_save"' not in page.content.decode()  # published: read-only
    assert client.post(f"/admin/partners/agreement/{draft.pk}/change/", {"title": "x", "body": "y"}).status_code == 403
    assert client.post(f"/admin/partners/agreement/{draft.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post("/admin/partners/agreement/", {"action": "new_version", "_selected_action": [draft.pk]})
    with tenant_context(tenant_a):
        versions = [(a.version, a.body, a.published_at is not None) for a in Agreement.objects.order_by("version")]
    assert versions == [(1, "v1, final", True), (2, "v1, final", False)]


def test_acceptances_are_listed_per_partner_and_read_only(tenant_a, people):
    program = ProgramFactory(tenant=tenant_a)
    AgreementFactory(program=program)
    partner = onboarding_partner(program, "Nimbus IT")
    admin = partner_member(partner, email="owner@nimbus.example")
    with tenant_context(tenant_a):
        agreement_accept(partner=partner, user=admin.user, ip_address="203.0.113.5")
        acceptance = AgreementAcceptance.objects.get()
    client = portal_client(tenant_a, people[Role.VENDOR_STAFF].user)
    listing = client.get("/admin/partners/agreementacceptance/?q=Nimbus").content.decode()
    assert "Nimbus IT" in listing and "owner@nimbus.example" in listing and "203.0.113.5" in listing
    admin_client = portal_client(tenant_a, people[Role.TENANT_ADMIN].user)
    assert admin_client.get("/admin/partners/agreementacceptance/add/").status_code == 403
    page = admin_client.get(f"/admin/partners/agreementacceptance/{acceptance.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
