"""Isolation of every library route: another tenant's libraries, assets, files and co-branded copies are a 404 on
pages, API and downloads (signed in or not), another tenant's token is a 401, and within a tenant a partner reaches
only what is meant for it (another partner's restricted asset is a 404, its co-branded copy never served)."""

import pytest

from content.models import AssetVersion, CoBrandedCopy
from content.services import cobranded_copy_get, folder_create
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, issue_token

from .factories import LibraryFactory
from .library_factories import LibraryWorld, file_asset

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "/content/libraries/{library}/"),
    ("get", "/content/assets/{asset}/"),
    ("get", "/content/assets/{asset}/download"),
    ("get", "/content/assets/{asset}/download?version=1"),
    ("get", "/content/assets/{asset}/cobranded"),
    ("get", "/content/assets/{link}/open"),
    ("post", "/content/assets/{campaign}/launch"),
    ("post", "/content/assets/{asset}/publish"),
    ("post", "/content/assets/{asset}/unpublish"),
]
API = [
    ("get", "/api/v1/content/libraries/{library}/"),
    ("patch", "/api/v1/content/libraries/{library}/"),
    ("post", "/api/v1/content/libraries/{library}/folders"),
    ("get", "/api/v1/content/assets/{asset}/"),
    ("patch", "/api/v1/content/assets/{asset}/"),
    ("get", "/api/v1/content/assets/{asset}/download"),
    ("get", "/api/v1/content/assets/{asset}/cobranded-download"),
    ("post", "/api/v1/content/assets/{asset}/publish"),
    ("post", "/api/v1/content/assets/{asset}/unpublish"),
    ("post", "/api/v1/content/assets/{asset}/versions"),
]


def _refused(status: int, role_may: bool) -> bool:
    """A role-gated route answers 403 to a role without the capability before any row is read; a role with it
    gets 404 for another tenant's row."""
    return status == 404 if role_may else status in (403, 404)


def _manager_only(method: str, path: str) -> bool:
    return path.endswith(("publish", "folders", "versions")) or method == "patch"


def library_b_rows(tenant_b) -> dict:
    """One row of tenant B for every library admin model, with a public co-brandable file, a link, a campaign and a
    co-branded copy (the isolation matrix reads these too)."""
    from content.services import asset_create, asset_publish, campaign_items_set

    with tenant_context(tenant_b):
        manager = MembershipFactory(tenant=tenant_b, role=Role.CHANNEL_MANAGER).user
        library = LibraryFactory(tenant=tenant_b, name="Globex library")
        folder_create(actor=manager, library=library, name="Globex folder")
        asset = file_asset(actor=manager, library=library, title="Globex brochure", is_public=True, co_brandable=True)
        link = asset_publish(
            actor=manager,
            asset=asset_create(
                actor=manager, library=library, kind="link", title="Globex link", url="https://globex.example/",
                is_public=True,
            ),
        )  # fmt: skip
        campaign = asset_publish(
            actor=manager,
            asset=asset_create(
                actor=manager, library=library, kind="campaign", title="Globex campaign", instructions="Run it",
                is_public=True,
            ),
        )  # fmt: skip
        campaign_items_set(actor=manager, campaign=campaign, items=[asset, link])
        version = AssetVersion.objects.get(asset=asset)
        partner = PartnerFactory(program__tenant=tenant_b, name="Globex Partner")
        copy = cobranded_copy_get(version=version, partner=partner)
    return {
        "content.library": library,
        "content.asset": asset,
        "content.assetversion": version,
        "link": link,
        "campaign": campaign,
        "copy": copy,
    }


def _ids(rows) -> dict:
    return {
        "library": rows["content.library"].pk,
        "asset": rows["content.asset"].pk,
        "link": rows["link"].pk,
        "campaign": rows["campaign"].pk,
    }


def _call(client, method, path, **extra):
    if method == "get":
        return client.get(path, **extra)
    if method == "patch":
        return client.patch(path, {"name": "x", "title": "x"}, content_type="application/json", **extra)
    return client.post(path, {"name": "x"}, **extra)


@pytest.fixture
def world(tenant_a):
    return LibraryWorld(tenant_a)


def test_another_tenants_library_is_404_on_every_page(world, tenant_a, tenant_b):
    ids = _ids(library_b_rows(tenant_b))
    clients = {
        "manager": portal_client(tenant_a, world.manager.user),
        "partner": portal_client(tenant_a, world.partner_admin.user),
        "anonymous": portal_client(tenant_a),
    }
    for who, client in clients.items():
        for method, path in PAGES:
            response = _call(client, method, path.format(**ids))
            if who == "anonymous" and "/download" not in path:
                assert response.status_code == 302, (who, path)  # sign in first; never the row
                continue
            role_may = (
                (who == "partner")
                if path.endswith("cobranded")
                else (who == "manager" or not _manager_only(method, path))
            )
            assert _refused(response.status_code, role_may), (who, path)
    for client in (clients["manager"], clients["partner"]):
        for path in ("/content/", "/content/search?q=globex"):
            assert "Globex" not in client.get(path).content.decode()
    assert "Globex" not in clients["anonymous"].get("/join/").content.decode()


def test_another_tenants_library_is_404_in_the_api(world, tenant_a, tenant_b):
    rows = library_b_rows(tenant_b)
    ids = _ids(rows)
    for membership in (world.manager, world.partner_admin):
        api = Api(tenant_a, membership)
        manager = membership is world.manager
        for method, path in API:
            status = _call(api.client, method, path.format(**ids), **api.auth).status_code
            role_may = (
                not manager if path.endswith("cobranded-download") else (manager or not _manager_only(method, path))
            )
            assert _refused(status, role_may), (membership, path)
        for path in ("/api/v1/content/assets/", "/api/v1/content/libraries/"):
            assert "Globex" not in api.get(path, q="globex").content.decode()
    b_token = issue_token(MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN))
    for path in ("/api/v1/content/assets/", "/api/v1/content/libraries/", f"/api/v1/content/assets/{ids['asset']}/"):
        assert portal_client(tenant_a).get(path, HTTP_AUTHORIZATION=f"Bearer {b_token}").status_code == 401
    with tenant_context(tenant_b):
        assert CoBrandedCopy.objects.count() == 1
        rows["content.asset"].refresh_from_db()
        assert rows["content.asset"].is_published and rows["content.asset"].title == "Globex brochure"


def test_the_admins_version_download_is_the_hosts_own(world, tenant_a, tenant_b):
    rows = library_b_rows(tenant_b)
    client = portal_client(tenant_a, world.manager.user)
    version = rows["content.assetversion"]
    assert client.get(f"/admin/content/assetversion/{version.pk}/download/").status_code == 404
    with tenant_context(tenant_a):
        own = AssetVersion.objects.get(asset=world.assets["draft"])
    response = client.get(f"/admin/content/assetversion/{own.pk}/download/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    partner_admin = portal_client(tenant_a, world.partner_admin.user)
    assert partner_admin.get(f"/admin/content/assetversion/{own.pk}/download/").status_code in (302, 403, 404)


def test_a_partner_reaches_only_what_is_meant_for_it(world, tenant_a):
    silver_only = world.assets["silver"]
    with tenant_context(tenant_a):
        from content.services import asset_update

        asset_update(actor=world.manager.user, asset=silver_only, co_brandable=True)
        # the other partner has a co-branded copy of its own asset
        other_copy = cobranded_copy_get(version=silver_only.versions.get(), partner=world.other_partner)
    ids = {"library": world.library.pk, "asset": silver_only.pk, "link": silver_only.pk, "campaign": silver_only.pk}
    client = portal_client(tenant_a, world.partner_admin.user)
    for method, path in PAGES:
        if path.endswith("publish"):
            continue  # managers only: 403 for partners whatever the row
        if path.startswith("/content/libraries/"):
            assert client.get(path.format(**ids)).status_code == 200  # the shared library, without the asset
            continue
        assert _call(client, method, path.format(**ids)).status_code == 404, path
    api = Api(tenant_a, world.partner_admin)
    for method, path in API:
        if "libraries" in path or method != "get":
            continue
        assert api.get(path.format(**ids)).status_code == 404, path
    library_page = client.get(f"/content/libraries/{world.library.pk}/").content.decode()
    assert f'id="asset-{silver_only.pk}"' not in library_page
    assert other_copy.partner_id == world.other_partner.pk
    other = portal_client(tenant_a, world.other_partner_admin.user)
    assert other.get(f"/content/assets/{silver_only.pk}/cobranded").status_code == 200
    with tenant_context(tenant_a):
        assert CoBrandedCopy.objects.filter(partner=world.partner).count() == 0


def test_partners_and_vendor_staff_cannot_write(world, tenant_a):
    asset = world.assets["everyone"]
    for membership in (world.partner_admin, world.staff):
        client = portal_client(tenant_a, membership.user)
        assert client.post(f"/content/assets/{asset.pk}/unpublish").status_code == 403
        api = Api(tenant_a, membership)
        assert api.post(f"/api/v1/content/assets/{asset.pk}/unpublish").status_code == 403
        assert api.patch(f"/api/v1/content/assets/{asset.pk}/", {"title": "x"}).status_code == 403
    with tenant_context(tenant_a):
        asset.refresh_from_db()
        assert asset.is_published and asset.title == "everyone"
