"""Who sees which asset: one selector decides for pages, search, the API and downloads (public, program, tier,
partner type, region; drafts; the vendor's staff; other tenants)."""

import pytest
from django.test import RequestFactory

from content.models import Asset
from content.rules import Audience, Restrictions, is_for
from content.selectors import assets_for_partner, assets_visible_to, public_assets
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.content.factories import AssetFactory, LibraryFactory
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member


def test_every_restriction_set_must_match_and_an_empty_one_matches_anyone():
    gold_reseller_eu = Audience(program_id=1, tier_id=7, types=("reseller", "msp"), regions=("europe",))
    assert is_for(Restrictions(), gold_reseller_eu)
    assert is_for(
        Restrictions(program_ids=(1, 2), tier_ids=(7,), types=("msp",), regions=("europe",)), gold_reseller_eu
    )
    assert not is_for(Restrictions(program_ids=(2,)), gold_reseller_eu)
    assert not is_for(Restrictions(tier_ids=(8,)), gold_reseller_eu)
    assert not is_for(Restrictions(types=("isv",)), gold_reseller_eu)
    assert not is_for(Restrictions(regions=("asia_pacific",)), gold_reseller_eu)
    assert not is_for(Restrictions(tier_ids=(7,)), Audience(program_id=1, tier_id=None))


@pytest.fixture
def world(tenant_a):
    with tenant_context(tenant_a):
        program, other_program = ProgramFactory(tenant=tenant_a), ProgramFactory(tenant=tenant_a)
        gold, silver = TierFactory(program=program), TierFactory(program=program)
        partner = PartnerFactory(program=program, tier=gold, types=["reseller"], regions=["europe"])
        library = LibraryFactory(tenant=tenant_a)
        asset = lambda title, **values: AssetFactory(tenant=tenant_a, library=library, title=title, **values)  # noqa: E731
        assets = {
            "everyone": asset("everyone"),
            "public": asset("public", is_public=True, visible_program_ids=[other_program.pk]),
            "draft": asset("draft", is_published=False),
            "public draft": asset("public draft", is_published=False, is_public=True),
            "our program": asset("our program", visible_program_ids=[program.pk, other_program.pk]),
            "other program": asset("other program", visible_program_ids=[other_program.pk]),
            "gold": asset("gold", visible_tier_ids=[gold.pk]),
            "silver": asset("silver", visible_tier_ids=[silver.pk]),
            "resellers": asset("resellers", visible_types=["reseller", "msp"]),
            "isvs": asset("isvs", visible_types=["isv"]),
            "europe": asset("europe", visible_regions=["europe"]),
            "apac": asset("apac", visible_regions=["asia_pacific"]),
            "gold resellers in europe": asset(
                "gold resellers in europe", visible_tier_ids=[gold.pk], visible_types=["reseller"],
                visible_regions=["europe"],
            ),
            "gold isvs": asset("gold isvs", visible_tier_ids=[gold.pk], visible_types=["isv"]),
        }  # fmt: skip
    return {"program": program, "gold": gold, "partner": partner, "assets": assets}


def _titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


PARTNER_SEES = {"everyone", "public", "our program", "gold", "resellers", "europe", "gold resellers in europe"}


@pytest.mark.django_db
def test_the_visibility_matrix(tenant_a, tenant_b, world):
    with tenant_context(tenant_b):
        AssetFactory(library__tenant=tenant_b, title="another vendor's public asset", is_public=True)
    with tenant_context(tenant_a):
        assert _titles(assets_for_partner(world["partner"])) == PARTNER_SEES
        assert _titles(public_assets()) == {"public"}
        assert _titles(Asset.objects.all()) == set(world["assets"])


@pytest.mark.django_db
def test_a_partner_without_a_tier_misses_tier_restricted_assets(tenant_a, world):
    with tenant_context(tenant_a):
        untiered = PartnerFactory(program=world["program"], tier=None, types=["reseller"], regions=["europe"])
        assert _titles(assets_for_partner(untiered)) == PARTNER_SEES - {"gold", "gold resellers in europe"}


def _request(tenant, membership=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.tenant = tenant
    request.user = membership.user if membership else AnonymousUser()
    request.membership = membership
    return request


@pytest.mark.django_db
def test_who_asks_decides_which_selector_applies(tenant_a, world):
    with tenant_context(tenant_a):
        staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
        rep = partner_member(world["partner"], role=Role.PARTNER_REP)
        assert _titles(assets_visible_to(_request(tenant_a, staff))) == set(world["assets"])
        assert _titles(assets_visible_to(_request(tenant_a, rep))) == PARTNER_SEES
        assert _titles(assets_visible_to(_request(tenant_a))) == {"public"}
