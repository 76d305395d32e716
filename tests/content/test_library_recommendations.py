"""The partner home page's recommendations: the stage of the partner's journey (a pure rule), assets aimed at its
program or tier first, then by stage fit, newest first, skipping what the user already opened; one query."""

import pytest

from content.models import AssetEvent
from content.rules import journey_stage, recommended_stages
from content.selectors import recommended_assets
from partners.models import PartnerStatus
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import PartnerFactory, ProgramFactory, TierFactory, partner_member

from .factories import AssetFactory, LibraryFactory


def test_the_journey_stage_follows_the_partners_status():
    assert journey_stage(PartnerStatus.APPLICANT) == "onboarding"
    assert journey_stage(PartnerStatus.ONBOARDING) == "onboarding"
    assert journey_stage(PartnerStatus.ACTIVE) == "selling"
    assert recommended_stages("onboarding") == ("onboarding", "")
    assert recommended_stages("selling") == ("selling", "servicing", "")


@pytest.fixture
def shelf(tenant_a):
    with tenant_context(tenant_a):
        program, other = ProgramFactory(tenant=tenant_a), ProgramFactory(tenant=tenant_a)
        gold = TierFactory(program=program)
        active = PartnerFactory(program=program, tier=gold, status=PartnerStatus.ACTIVE)
        onboarding = PartnerFactory(program=program, tier=None, status=PartnerStatus.ONBOARDING)
        library = LibraryFactory(tenant=tenant_a)

        def asset(title, **values):
            return AssetFactory(tenant=tenant_a, library=library, title=title, **values)

        # oldest first: the newest of equals comes first
        assets = {
            "welcome kit": asset("welcome kit", stage="onboarding"),
            "old pitch": asset("old pitch", stage="selling"),
            "support guide": asset("support guide", stage="servicing"),
            "brand book": asset("brand book", stage=""),
            "gold pitch": asset("gold pitch", stage="selling", visible_tier_ids=[gold.pk]),
            "program onboarding": asset("program onboarding", stage="onboarding", visible_program_ids=[program.pk]),
            "new pitch": asset("new pitch", stage="selling"),
            "other program pitch": asset("other program pitch", stage="selling", visible_program_ids=[other.pk]),
            "draft pitch": asset("draft pitch", stage="selling", is_published=False),
        }
    return {"active": active, "onboarding": onboarding, "assets": assets}


def _titles(assets) -> list[str]:
    return [asset.title for asset in assets]


@pytest.mark.django_db
def test_a_selling_partner_gets_targeted_then_selling_servicing_and_general_content(
    tenant_a, shelf, django_assert_num_queries
):
    user = partner_member(shelf["active"]).user
    with tenant_context(tenant_a), django_assert_num_queries(1):
        titles = _titles(recommended_assets(partner=shelf["active"], user=user))
    assert titles == ["gold pitch", "new pitch", "old pitch", "support guide", "brand book"]


@pytest.mark.django_db
def test_an_onboarding_partner_gets_onboarding_content_program_first(tenant_a, shelf):
    user = partner_member(shelf["onboarding"]).user
    with tenant_context(tenant_a):
        titles = _titles(recommended_assets(partner=shelf["onboarding"], user=user))
    assert titles == ["program onboarding", "welcome kit", "brand book"]


@pytest.mark.django_db
def test_assets_the_user_opened_are_skipped_and_the_rest_move_up(tenant_a, shelf):
    user = partner_member(shelf["active"]).user
    colleague = partner_member(shelf["active"]).user
    with tenant_context(tenant_a):
        AssetEvent.objects.create(asset=shelf["assets"]["gold pitch"], kind="view", user=user)
        AssetEvent.objects.create(asset=shelf["assets"]["new pitch"], kind="download", user=user)
        titles = _titles(recommended_assets(partner=shelf["active"], user=user))
        assert titles == ["old pitch", "support guide", "brand book"]
        assert _titles(recommended_assets(partner=shelf["active"], user=colleague))[0] == "gold pitch"


@pytest.mark.django_db
def test_content_in_the_readers_language_comes_first(tenant_a, shelf):
    user = partner_member(shelf["active"]).user
    with tenant_context(tenant_a):
        AssetFactory(tenant=tenant_a, library=shelf["assets"]["old pitch"].library, title="guía", language="es",
                     stage="selling")  # fmt: skip
        in_spanish = _titles(recommended_assets(partner=shelf["active"], user=user, language="es"))
        in_english = _titles(recommended_assets(partner=shelf["active"], user=user, language="en"))
    assert in_spanish == ["guía", "gold pitch", "new pitch", "old pitch", "support guide"]
    assert in_english == ["gold pitch", "new pitch", "old pitch", "support guide", "brand book"]


@pytest.mark.django_db
def test_the_home_page_panel_shows_them_to_partner_users(tenant_a, shelf, member):
    user = partner_member(shelf["active"]).user
    page = portal_client(tenant_a, user).get("/").content.decode()
    assert 'id="panel-content_recommended"' in page
    assert f'id="recommended-{shelf["assets"]["gold pitch"].pk}"' in page
    assert f'id="recommended-{shelf["assets"]["draft pitch"].pk}"' not in page
    vendor = portal_client(tenant_a, member(tenant_a).user).get("/").content.decode()
    assert 'id="panel-content_recommended"' not in vendor
