"""Agreement versions, acceptance, and the ask-at-next-visit gate (portal redirect, API flag)."""

import pytest

from partners.models import Agreement, AgreementAcceptance
from partners.selectors.agreements import agreement_current
from partners.services.agreements import (
    agreement_accept,
    agreement_draft_create,
    agreement_draft_update,
    agreement_publish,
)
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.errors import Duplicate, InvalidInput, NotAllowed, StateConflict
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, ProgramFactory, issue_token, partner_member

from .onboard_world import onboarding_partner, program_with_checklist, step_of


@pytest.fixture
def setup(tenant_a):
    program = program_with_checklist(tenant_a)
    partner = onboarding_partner(program)
    return {
        "program": program,
        "partner": partner,
        "admin": partner_member(partner),
        "rep": partner_member(partner, role=Role.PARTNER_REP),
        "tenant_admin": MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN),
    }


def test_versions_increase_and_published_versions_are_immutable(tenant_a, setup):
    program, actor = setup["program"], setup["tenant_admin"].user
    with tenant_context(tenant_a):
        draft = agreement_draft_create(program=program, actor=actor, title="Reseller agreement", body="v2 text")
        assert draft.version == 2 and draft.published_at is None
        assert agreement_current(program).version == 1  # a draft is not current
        with pytest.raises(Duplicate):
            agreement_draft_create(program=program, actor=actor, title="Another", body="text")
        draft = agreement_draft_update(agreement=draft, actor=actor, body="v2 text, revised")
        agreement_publish(agreement=draft, actor=actor)
        assert agreement_current(program).pk == draft.pk
        with pytest.raises(StateConflict) as conflict:
            agreement_draft_update(agreement=draft, actor=actor, body="sneaky edit")
        assert conflict.value.current_state == "published"
        with pytest.raises(StateConflict):
            agreement_publish(agreement=draft, actor=actor)
        assert Agreement.objects.get(pk=draft.pk).body == "v2 text, revised"
        with pytest.raises(InvalidInput) as invalid:
            agreement_draft_create(program=program, actor=actor, title=" ", body="")
        assert set(invalid.value.fields) == {"title", "body"}
        assert agreement_draft_create(program=program, actor=actor, title="v3", body="text").version == 3
        assert AuditEvent.objects.filter(action="agreement.publish").count() == 1


def test_accepting_records_once_and_completes_the_onboarding_step(tenant_a, setup):
    partner, admin = setup["partner"], setup["admin"]
    with tenant_context(tenant_a):
        first = agreement_accept(partner=partner, user=admin.user, ip_address="203.0.113.9")
        again = agreement_accept(partner=partner, user=admin.user, ip_address="198.51.100.1")
        assert first.pk == again.pk and first.ip_address == "203.0.113.9"
        assert AgreementAcceptance.objects.count() == 1
        assert AuditEvent.objects.filter(action="agreement.accept").count() == 1
    step = step_of(partner, "accept_agreement")
    assert step.is_done and step.completed_by == admin.user
    assert step.completion_note == "accepted Reseller agreement v1"


def test_only_the_current_version_and_only_partner_admins(tenant_a, setup):
    partner, actor = setup["partner"], setup["tenant_admin"].user
    with tenant_context(tenant_a):
        old = agreement_current(setup["program"])
        new = agreement_publish(
            agreement=agreement_draft_create(program=setup["program"], actor=actor, title="v2", body="new"), actor=actor
        )
        with pytest.raises(StateConflict) as conflict:
            agreement_accept(partner=partner, user=setup["admin"].user, ip_address=None, agreement=old)
        assert conflict.value.current_state == "superseded"
        with pytest.raises(NotAllowed):
            agreement_accept(partner=partner, user=setup["rep"].user, ip_address=None)
        with pytest.raises(NotAllowed):
            agreement_accept(partner=partner, user=actor, ip_address=None)
        accepted = agreement_accept(partner=partner, user=setup["admin"].user, ip_address="not an ip", agreement=new)
        assert accepted.agreement == new and accepted.ip_address is None
        bare = onboarding_partner(ProgramFactory(tenant=tenant_a), "Bare")
        bare_admin = partner_member(bare)
        with pytest.raises(StateConflict, match="no published agreement"):
            agreement_accept(partner=bare, user=bare_admin.user, ip_address=None)


def test_partner_admin_is_sent_to_the_agreement_before_any_page(tenant_a, setup):
    client = portal_client(tenant_a, setup["admin"].user)
    response = client.get("/onboarding/")
    assert response.status_code == 302 and response.url == "/agreement/?next=%2Fonboarding%2F"
    htmx = client.get("/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == "/agreement/?next=%2F"
    # the way out and the API stay reachable
    assert client.get("/settings/tokens/").status_code == 302
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/accounts/password/change/").status_code == 200
    page = client.get("/agreement/?next=/onboarding/")
    assert page.status_code == 200 and "Be nice to customers." in page.content.decode()
    with tenant_context(tenant_a):
        current = agreement_current(setup["program"])
    accepted = client.post("/agreement/", {"agreement": current.pk, "next": "/onboarding/"})
    assert accepted.status_code == 302 and accepted.url == "/onboarding/"
    assert client.get("/onboarding/").status_code == 200


def test_a_new_version_asks_again_but_never_asks_reps(tenant_a, setup):
    admin_client = portal_client(tenant_a, setup["admin"].user)
    rep_client = portal_client(tenant_a, setup["rep"].user)
    with tenant_context(tenant_a):
        agreement_accept(partner=setup["partner"], user=setup["admin"].user, ip_address=None)
    assert admin_client.get("/").status_code == 200
    assert rep_client.get("/").status_code == 200
    actor = setup["tenant_admin"].user
    with tenant_context(tenant_a):
        draft = agreement_draft_create(program=setup["program"], actor=actor, title="Reseller agreement", body="v2")
        assert admin_client.get("/").status_code == 200  # a draft asks nothing
        agreement_publish(agreement=draft, actor=actor)
    assert admin_client.get("/").url.startswith("/agreement/")
    assert rep_client.get("/").status_code == 200
    rep_page = rep_client.get("/agreement/").content.decode()
    assert "Your partner admins accept the agreement" in rep_page
    assert rep_client.post("/agreement/", {"agreement": draft.pk}).status_code == 403
    # a stale form (an old version) explains instead of accepting
    stale = admin_client.post("/agreement/", {"agreement": draft.pk - 1})
    assert "not the current version" in stale.content.decode()
    admin_client.post("/agreement/", {"agreement": draft.pk})
    assert admin_client.get("/").status_code == 200
    with tenant_context(tenant_a):
        versions = sorted(AgreementAcceptance.objects.values_list("agreement__version", flat=True))
    assert versions == [1, 2]


def test_api_reports_the_agreement_state_instead_of_redirecting(tenant_a, setup):
    client = portal_client(tenant_a)
    admin_auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(setup['admin'])}"}
    rep_auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(setup['rep'])}"}
    program_id = setup["program"].pk
    other = ProgramFactory(tenant=tenant_a)

    def flags(auth):
        rows = {row["id"]: row for row in client.get("/api/v1/programs/", **auth).json()["results"]}
        own = rows[program_id]
        assert rows[other.pk]["agreement_accepted"] is None and rows[other.pk]["agreement_required"] is None
        return own["agreement_accepted"], own["agreement_required"], own["current_agreement"]

    accepted, required, current = flags(admin_auth)
    assert (accepted, required) == (False, True) and current["version"] == 1
    assert flags(rep_auth)[:2] == (False, False)
    assert client.post(f"/api/v1/agreements/{current['id']}/accept", **rep_auth).status_code == 403
    response = client.post(f"/api/v1/agreements/{current['id']}/accept", **admin_auth)
    assert response.status_code == 200 and response.json()["agreement"]["version"] == 1
    assert client.post(f"/api/v1/agreements/{current['id']}/accept", **admin_auth).status_code == 200
    assert flags(admin_auth)[:2] == (True, False)
    assert flags(rep_auth)[:2] == (True, False)

    actor = setup["tenant_admin"].user
    with tenant_context(tenant_a):
        draft = agreement_draft_create(program=setup["program"], actor=actor, title="v2", body="v2")
    assert client.post(f"/api/v1/agreements/{draft.pk}/accept", **admin_auth).status_code == 404  # drafts unseen
    with tenant_context(tenant_a):
        agreement_publish(agreement=draft, actor=actor)
    assert flags(admin_auth)[:2] == (False, True)
    stale = client.post(f"/api/v1/agreements/{current['id']}/accept", **admin_auth)
    assert stale.status_code == 409 and stale.json()["error"]["current_state"] == "superseded"
    foreign = ProgramFactory(tenant=tenant_a)
    with tenant_context(tenant_a):
        other_program = agreement_publish(
            agreement=agreement_draft_create(program=foreign, actor=actor, title="Other", body="x"), actor=actor
        )
    assert client.post(f"/api/v1/agreements/{other_program.pk}/accept", **admin_auth).status_code == 409
