"""Authorised downloads in the portal: the one visibility selector decides (public, program, tier, type, region,
draft, another tenant), the latest version by default and earlier ones for the vendor's staff only, a download
event per download, a view per asset page, links opened only to their stored address."""

import pytest

from content.models import AssetEvent
from content.services import asset_create, asset_publish
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .library_factories import LibraryWorld, add_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant_a):
    return LibraryWorld(tenant_a)


def _download(client, asset, query=""):
    return client.get(f"/content/assets/{asset.pk}/download{query}")


def test_downloads_obey_the_visibility_matrix(world, tenant_a, tenant_b):
    b = LibraryWorld(tenant_b)
    partner = portal_client(tenant_a, world.partner_admin.user)
    anonymous = portal_client(tenant_a)
    staff = portal_client(tenant_a, world.staff.user)
    for case, asset in world.assets.items():
        expected = 200 if case in LibraryWorld.PARTNER_SEES else 404
        assert _download(partner, asset).status_code == expected, case
        assert _download(anonymous, asset).status_code == (200 if case == "public" else 404), case
        assert _download(staff, asset).status_code == 200, case
    for asset in b.assets.values():  # another tenant's files, even public ones, are not found on this host
        assert _download(partner, asset).status_code == 404
        assert _download(staff, asset).status_code == 404
        assert _download(anonymous, asset).status_code == 404


def test_a_download_is_an_attachment_of_the_checked_type_and_is_counted(world, tenant_a):
    asset = world.assets["gold"]
    response = _download(portal_client(tenant_a, world.partner_admin.user), asset)
    assert response["Content-Disposition"] == 'attachment; filename="price-list.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    with tenant_context(tenant_a):
        event = AssetEvent.objects.get(asset=asset)
    assert (event.kind, event.user_id, event.partner_id) == ("download", world.partner_admin.user_id, world.partner.pk)


def test_the_latest_version_by_default_earlier_ones_for_vendor_staff_only(world, tenant_a):
    asset = world.assets["everyone"]
    with tenant_context(tenant_a):
        add_version(actor=world.manager.user, asset=asset, pages=("Second edition",), note="New prices")
    partner = portal_client(tenant_a, world.partner_admin.user)
    staff = portal_client(tenant_a, world.staff.user)
    latest = b"".join(_download(partner, asset).streaming_content)
    assert latest == b"".join(_download(staff, asset, "?version=2").streaming_content)
    assert b"".join(_download(staff, asset, "?version=1").streaming_content) != latest
    assert _download(partner, asset, "?version=1").status_code == 404
    assert _download(partner, asset, "?version=2").status_code == 200
    assert _download(staff, asset, "?version=9").status_code == 404
    assert _download(staff, asset, "?version=x").status_code == 404
    page = partner.get(f"/content/assets/{asset.pk}/").content.decode()
    assert "version-2" in page and "version-1" not in page
    page = staff.get(f"/content/assets/{asset.pk}/").content.decode()
    assert "version-2" in page and "version-1" in page and "New prices" in page


def test_the_asset_page_records_a_view_and_shows_counts_to_vendors_only(world, tenant_a):
    asset = world.assets["everyone"]
    partner = portal_client(tenant_a, world.partner_admin.user)
    _download(partner, asset)
    page = partner.get(f"/content/assets/{asset.pk}/").content.decode()
    assert 'id="counts"' not in page
    page = portal_client(tenant_a, world.manager.user).get(f"/content/assets/{asset.pk}/").content.decode()
    assert "2 views · 1 downloads" in page
    with tenant_context(tenant_a):
        kinds = sorted(AssetEvent.objects.filter(asset=asset).values_list("kind", "partner_id"), key=str)
    assert kinds == [("download", world.partner.pk), ("view", world.partner.pk), ("view", None)]


def test_a_link_opens_its_stored_address_only(world, tenant_a):
    with tenant_context(tenant_a):
        link = asset_publish(
            actor=world.manager.user,
            asset=asset_create(
                actor=world.manager.user,
                library=world.library,
                kind="link",
                title="Docs",
                url="https://docs.example.com/a",
            ),
        )
    partner = portal_client(tenant_a, world.partner_admin.user)
    response = partner.get(f"/content/assets/{link.pk}/open?next=https://evil.example.com")
    assert response.status_code == 302 and response.url == "https://docs.example.com/a"
    assert partner.get(f"/content/assets/{world.assets['gold'].pk}/open").status_code == 404  # not a link
    with tenant_context(tenant_a):
        assert AssetEvent.objects.filter(asset=link, kind="view", partner=world.partner).count() == 1
