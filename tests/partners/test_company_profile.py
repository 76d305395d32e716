"""Company profile and logo: partner admins edit, reps read; the logo is checked and served privately."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import OnboardingStep, Partner
from partners.services import partner_update_profile
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import ChecklistStepTemplateFactory

from .company_setup import bearer, company_world, png_bytes

COMPLETE = {
    "name": "Nimbus IT Services",
    "website": "https://www.nimbus-it.example/",
    "description": "Cloud reseller for the Benelux.",
    "country": "BE",
    "city": "Ghent",
    "regions": ["europe"],
    "types": ["reseller", "msp"],
    "verticals": ["healthcare"],
    "capabilities": ["licensing", "migration"],
    "products_sold": "Backup, hosting",
    "other_vendor_programs": "Globex Gold",
    "business_model": "Subscription resale",
    "company_size": "11-50",
}


@pytest.fixture
def w(tenant_a):
    world = company_world(tenant_a)
    ChecklistStepTemplateFactory(program=world["program"], kind="complete_profile")
    ChecklistStepTemplateFactory(program=world["program"], kind="upload_logo")
    with tenant_context(tenant_a):
        from partners.services import onboarding_checklist_create

        onboarding_checklist_create(partner=world["partner"])
    return world


def steps_done(tenant, partner) -> set[str]:
    with tenant_context(tenant):
        return set(
            OnboardingStep.objects.filter(partner=partner, completed_at__isnull=False).values_list("kind", flat=True)
        )


def test_partner_admin_completes_the_profile_and_the_onboarding_step(tenant_a, w):
    client = portal_client(tenant_a, w["admin"].user)
    response = client.post("/company/", {**COMPLETE, "description": ""})
    assert response.status_code == 302
    assert steps_done(tenant_a, w["partner"]) == set()  # description still missing
    assert client.post("/company/", COMPLETE).status_code == 302
    with tenant_context(tenant_a):
        partner = Partner.objects.get(pk=w["partner"].pk)
        assert AuditEvent.objects.filter(action="partner.update_profile", object_id=str(partner.pk)).exists()
    assert (partner.name, partner.domain, partner.country, partner.city) == (
        "Nimbus IT Services",
        "nimbus-it.example",
        "BE",
        "Ghent",
    )
    assert partner.types == ["reseller", "msp"] and partner.capabilities == ["licensing", "migration"]
    assert steps_done(tenant_a, w["partner"]) == {"complete_profile"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "Select a valid choice"),
        ("regions", ["atlantis"], "Select a valid choice"),
        ("website", "not a url", "Enter a valid URL"),
        ("name", "", "This field is required"),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(tenant_a, w, field, value, message):
    client = portal_client(tenant_a, w["admin"].user)
    response = client.post("/company/", {**COMPLETE, field: value})
    assert response.status_code == 200 and message in response.content.decode()
    with tenant_context(tenant_a):
        assert Partner.objects.get(pk=w["partner"].pk).name == "Nimbus IT"


def test_the_service_refuses_what_the_form_cannot_see(tenant_a, w):
    """API and admin callers reach the service directly: it checks codes, choices and lengths itself."""
    with tenant_context(tenant_a):
        for values, field in [
            ({"country": "EU"}, "country"),
            ({"country": "nl1"}, "country"),
            ({"types": ["reseller", "pirate"]}, "types"),
            ({"company_size": "huge"}, "company_size"),
            ({"city": "x" * 121}, "city"),
        ]:
            with pytest.raises(InvalidInput) as refused:
                partner_update_profile(partner=Partner.objects.get(pk=w["partner"].pk), actor=None, **values)
            assert field in refused.value.fields
        partner = partner_update_profile(partner=w["partner"], actor=None, country=" nl ")
        assert partner.country == "NL"


def test_reps_see_the_profile_read_only(tenant_a, w):
    client = portal_client(tenant_a, w["rep"].user)
    page = client.get("/company/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Nimbus IT" in content and '<form method="post" action="/company/"' not in content
    assert client.post("/company/", COMPLETE).status_code == 403
    assert client.post("/company/logo", {"logo": SimpleUploadedFile("l.png", png_bytes())}).status_code == 403


def test_vendor_staff_have_no_company_page(tenant_a, w):
    assert portal_client(tenant_a, w["manager"].user).get("/company/").status_code == 403


def test_logo_upload_is_stored_under_a_generated_name_and_completes_the_step(tenant_a, w):
    client = portal_client(tenant_a, w["admin"].user)
    response = client.post("/company/logo", {"logo": SimpleUploadedFile("../../evil.png", png_bytes())})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        partner = Partner.objects.get(pk=w["partner"].pk)
    assert partner.logo.name.startswith(f"partners/{tenant_a.pk}/logo-") and "evil" not in partner.logo.name
    assert steps_done(tenant_a, w["partner"]) == {"upload_logo"}
    served = client.get(f"/partners/{partner.pk}/logo")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Content-Disposition"] == "inline" and served["Cache-Control"].startswith("private")


def test_logo_content_and_size_are_checked(tenant_a, w, settings):
    client = portal_client(tenant_a, w["admin"].user)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post("/company/logo", {"logo": fake})
    assert response.status_code == 400 and "Upload a PNG, JPEG or WebP image." in response.content.decode()
    settings.PRM_LOGO_MAX_BYTES = 100
    big = client.post("/company/logo", {"logo": SimpleUploadedFile("l.png", png_bytes((300, 300)))})
    assert big.status_code == 400 and "The logo may be at most 0 KB." in big.content.decode()
    with tenant_context(tenant_a):
        assert not Partner.objects.get(pk=w["partner"].pk).logo
    assert steps_done(tenant_a, w["partner"]) == set()


def test_logo_is_served_only_to_those_who_may_see_the_partner(tenant_a, tenant_b, w):
    portal_client(tenant_a, w["admin"].user).post("/company/logo", {"logo": SimpleUploadedFile("l.png", png_bytes())})
    path = f"/partners/{w['partner'].pk}/logo"
    assert portal_client(tenant_a, w["rep"].user).get(path).status_code == 200
    assert portal_client(tenant_a, w["staff"].user).get(path).status_code == 200
    assert portal_client(tenant_a, w["other_admin"].user).get(path).status_code == 404  # another partner
    assert portal_client(tenant_a).get(path).status_code == 302  # anonymous: sign in first
    b_world = company_world(tenant_b)
    assert portal_client(tenant_b, b_world["tenant_admin"].user).get(path).status_code == 404


def test_logo_can_be_replaced_and_removed(tenant_a, w, django_capture_on_commit_callbacks):
    client = portal_client(tenant_a, w["admin"].user)
    client.post("/company/logo", {"logo": SimpleUploadedFile("l.png", png_bytes())})
    with tenant_context(tenant_a):
        first = Partner.objects.get(pk=w["partner"].pk).logo
    storage, first_name = first.storage, first.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/company/logo", {"logo": SimpleUploadedFile("l.png", png_bytes(colour="#00ff00"))})
    assert not storage.exists(first_name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/company/logo", {"remove": "1"})
    with tenant_context(tenant_a):
        assert not Partner.objects.get(pk=w["partner"].pk).logo
    assert client.get(f"/partners/{w['partner'].pk}/logo").status_code == 404


def test_api_patch_by_the_partner_admin_and_managers_only(tenant_a, w):
    client = portal_client(tenant_a)
    path = f"/api/v1/partners/{w['partner'].pk}/"
    response = client.patch(
        path, {"city": "Antwerp", "types": ["isv"]}, content_type="application/json", **bearer(w["admin"])
    )
    assert response.status_code == 200
    assert response.json()["city"] == "Antwerp" and response.json()["types"] == ["isv"]
    response = client.patch(path, {"country": "ZZ"}, content_type="application/json", **bearer(w["manager"]))
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["country"] == ["Enter an ISO 3166 country code such as NL or US."]
    assert client.patch(path, {"city": "X"}, content_type="application/json", **bearer(w["rep"])).status_code == 403
    assert client.patch(path, {"city": "X"}, content_type="application/json", **bearer(w["staff"])).status_code == 403
    other = f"/api/v1/partners/{w['other'].pk}/"
    assert client.patch(other, {"city": "X"}, content_type="application/json", **bearer(w["admin"])).status_code == 404
    taken = client.patch(path, {"website": w["other"].website}, content_type="application/json", **bearer(w["manager"]))
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "duplicate"
