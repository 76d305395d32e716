"""The library admin: assets written through the services (articles sanitised, files checked and versioned with a
note, campaign bundles), publish and unpublish actions, download counts in one query per page, read-only versions
with an authorised download, libraries with folders; vendor staff read, managers change."""

import pytest

from content.models import Asset, AssetVersion, CampaignItem, Folder, Library
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .library_factories import LibraryWorld, file_asset, pdf_upload

pytestmark = pytest.mark.django_db
ASSETS = "/admin/content/asset/"


@pytest.fixture
def world(tenant_a):
    return LibraryWorld(tenant_a)


def _asset_form(world, **values) -> dict:
    form = {
        "library": world.library.pk, "folder": "", "kind": "article", "title": "FAQ", "summary": "", "tags": "",
        "language": "en", "stage": "", "url": "", "body": "", "instructions": "", "visible_program_ids": "",
        "visible_tier_ids": "", "visible_types": "", "visible_regions": "", "version_note": "",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0",
    }  # fmt: skip
    return {**form, **values}


# Session, user, membership …, then the counts of rows, the page (views and downloads in the same query) and the
# library filter's choices; the versions' page joins its assets.
QUERIES_ASSET_CHANGELIST = 10
QUERIES_VERSION_CHANGELIST = 9


def test_the_changelist_shows_counts_in_a_fixed_number_of_queries(world, tenant_a, django_assert_num_queries):
    client = portal_client(tenant_a, world.manager.user)
    client.get(f"/content/assets/{world.assets['gold'].pk}/download")
    client.get(ASSETS)
    with django_assert_num_queries(QUERIES_ASSET_CHANGELIST):
        page = client.get(ASSETS).content.decode()
    assert 'class="field-downloads">1<' in page
    with tenant_context(tenant_a):
        for n in range(4):
            file_asset(actor=world.manager.user, library=world.library, title=f"More {n}")
    with django_assert_num_queries(QUERIES_ASSET_CHANGELIST):
        client.get(ASSETS)
    with django_assert_num_queries(QUERIES_VERSION_CHANGELIST):
        client.get("/admin/content/assetversion/")


def test_an_article_is_added_through_the_services(world, tenant_a):
    client = portal_client(tenant_a, world.manager.user)
    response = client.post(f"{ASSETS}add/", _asset_form(world, body="<p>Hi</p><script>x()</script>", tags="FAQ, faq"))
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        asset = Asset.objects.get(title="FAQ")
    assert asset.body == "<p>Hi</p>" and asset.tags == ["faq"] and asset.created_by == world.manager.user
    assert asset.search is not None and not asset.is_published
    response = client.post(f"{ASSETS}add/", _asset_form(world, kind="link", title="No address"))
    assert response.status_code == 200 and "Give the link&#x27;s address." in response.content.decode()


def test_files_and_new_versions_are_uploaded_through_the_services(world, tenant_a):
    client = portal_client(tenant_a, world.manager.user)
    response = client.post(f"{ASSETS}add/", _asset_form(world, kind="file", title="Deck", upload=pdf_upload("v1")))
    assert response.status_code == 302
    with tenant_context(tenant_a):
        deck = Asset.objects.get(title="Deck")
    form = _asset_form(world, kind="file", title="Deck", upload=pdf_upload("v2"), version_note="New prices")
    assert client.post(f"{ASSETS}{deck.pk}/change/", form).status_code == 302
    with tenant_context(tenant_a):
        versions = list(AssetVersion.objects.filter(asset=deck).values_list("number", "note"))
    assert versions == [(2, "New prices"), (1, "")]
    page = client.get(f"{ASSETS}{deck.pk}/change/").content.decode()
    assert "/admin/content/assetversion/" in page and "v2 · price-list.pdf" in page


def test_campaign_items_and_publishing(world, tenant_a):
    client = portal_client(tenant_a, world.manager.user)
    items = [world.assets["gold"].pk, world.assets["europe"].pk]
    form = _asset_form(world, kind="campaign", title="Spring", instructions="Run it", items=items)
    assert client.post(f"{ASSETS}add/", form).status_code == 302
    with tenant_context(tenant_a):
        spring = Asset.objects.get(title="Spring")
        assert set(CampaignItem.objects.filter(campaign=spring).values_list("item", flat=True)) == set(items)
    client.post(ASSETS, {"action": "publish", "_selected_action": [spring.pk, world.assets["draft"].pk]})
    with tenant_context(tenant_a):
        assert set(Asset.objects.filter(is_published=False).values_list("pk", flat=True)) == set()
    client.post(ASSETS, {"action": "unpublish", "_selected_action": [spring.pk]})
    with tenant_context(tenant_a):
        assert not Asset.objects.get(pk=spring.pk).is_published


def test_libraries_with_folders(world, tenant_a):
    client = portal_client(tenant_a, world.manager.user)
    form = {"name": "Brand", "description": "", "position": "0", "folders-TOTAL_FORMS": "1",
            "folders-INITIAL_FORMS": "0", "folders-0-name": "Logos", "folders-0-position": "0"}  # fmt: skip
    response = client.post("/admin/content/library/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        brand = Library.objects.get(name="Brand")
        assert list(Folder.objects.filter(library=brand).values_list("name", flat=True)) == ["Logos"]
    duplicate = client.post("/admin/content/library/add/", {**form, "folders-TOTAL_FORMS": "0"})
    assert duplicate.status_code == 200 and "exists already" in duplicate.content.decode()


def test_vendor_staff_read_and_cannot_change(world, tenant_a):
    client = portal_client(tenant_a, world.staff.user)
    assert client.get(ASSETS).status_code == 200
    assert client.get(f"{ASSETS}add/").status_code == 403
    client.post(ASSETS, {"action": "unpublish", "_selected_action": [world.assets["gold"].pk]})
    with tenant_context(tenant_a):
        assert Asset.objects.get(pk=world.assets["gold"].pk).is_published
    with tenant_context(tenant_a):
        version = AssetVersion.objects.get(asset=world.assets["gold"])
    assert client.get(f"/admin/content/assetversion/{version.pk}/download/").status_code == 200
