"""The library pages: libraries, folders and search (through the one visibility selector, with the portal pager),
articles shown from their sanitised text only, campaigns in a box launched, vendor staff's drafts and counts,
publishing for managers, the nav item, and the public resources of the recruitment page."""

import pytest

from content.models import AssetEvent
from content.services import asset_create, asset_publish, assets_index, campaign_items_set, folder_create
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .library_factories import LibraryWorld, file_asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant_a):
    world = LibraryWorld(tenant_a)
    with tenant_context(tenant_a):
        actor = world.manager.user
        world.folder = folder_create(actor=actor, library=world.library, name="Pitch decks")
        world.subfolder = folder_create(actor=actor, library=world.library, name="2027", parent=world.folder)
        world.deck = file_asset(actor=actor, library=world.library, folder=world.subfolder, title="Deck 2027")
        world.article = asset_publish(
            actor=actor,
            asset=asset_create(
                actor=actor, library=world.library, kind="article", title="Renewal playbook", tags=["renewals"],
                body='<h2>Renew</h2><p onclick="steal()">Call early</p><script>alert(1)</script>', language="en",
            ),
        )  # fmt: skip
        world.link = asset_publish(
            actor=actor,
            asset=asset_create(
                actor=actor, library=world.library, kind="link", title="Docs", url="https://docs.example.com/"
            ),
        )
        world.campaign = asset_publish(
            actor=actor,
            asset=asset_create(
                actor=actor, library=world.library, kind="campaign", title="Spring campaign",
                instructions="Send the email, then call.",
            ),
        )  # fmt: skip
        campaign_items_set(
            actor=actor, campaign=world.campaign, items=[world.article, world.assets["silver"], world.link]
        )
    return world


def test_browsing_libraries_and_folders(world, tenant_a):
    client = portal_client(tenant_a, world.partner_admin.user)
    index = client.get("/content/").content.decode()
    assert f'id="library-{world.library.pk}"' in index
    page = client.get(f"/content/libraries/{world.library.pk}/").content.decode()
    assert f'id="folder-{world.folder.pk}"' in page and f'id="folder-{world.subfolder.pk}"' not in page
    assert f'id="asset-{world.assets["gold"].pk}"' in page and f'id="asset-{world.assets["silver"].pk}"' not in page
    assert f'id="asset-{world.deck.pk}"' not in page  # it is in a folder
    page = client.get(f"/content/libraries/{world.library.pk}/?folder={world.subfolder.pk}").content.decode()
    assert f'id="asset-{world.deck.pk}"' in page and "Pitch decks" in page  # the trail
    assert client.get(f"/content/libraries/{world.library.pk}/?folder=999999").status_code == 404


def test_search_with_filters_pages_and_obeys_visibility(world, tenant_a):
    with tenant_context(tenant_a):
        from content.models import Asset

        assets_index(Asset.objects.values_list("pk", flat=True))
    client = portal_client(tenant_a, world.partner_admin.user)
    page = client.get("/content/search", {"q": "renewing"}).content.decode()
    assert f'id="asset-{world.article.pk}"' in page and "1 result" in page
    page = client.get("/content/search", {"kind": "file"}).content.decode()
    assert f'id="asset-{world.assets["gold"].pk}"' in page and f'id="asset-{world.assets["apac"].pk}"' not in page
    page = client.get("/content/search", {"tag": "Renewals"}).content.decode()
    assert f'id="asset-{world.article.pk}"' in page and f'id="asset-{world.deck.pk}"' not in page
    assert client.get("/content/search", {"kind": "video"}).status_code == 400
    assert "Draft" not in client.get("/content/search").content.decode()
    staff = portal_client(tenant_a, world.staff.user).get("/content/search").content.decode()
    assert f'id="asset-{world.assets["draft"].pk}"' in staff and 'class="downloads"' in staff


# Session, user, membership, nav badges …; then: count and the page (counts in the same query).
QUERIES_SEARCH_PAGE = 8


def test_the_search_page_takes_the_same_queries_whatever_its_length(world, tenant_a, django_assert_num_queries):
    client = portal_client(tenant_a, world.staff.user)
    client.get("/content/search")
    with django_assert_num_queries(QUERIES_SEARCH_PAGE):
        client.get("/content/search")
    with tenant_context(tenant_a):
        for n in range(4):
            file_asset(actor=world.manager.user, library=world.library, title=f"More {n}")
    with django_assert_num_queries(QUERIES_SEARCH_PAGE):
        client.get("/content/search")


def test_an_article_shows_only_its_sanitised_text(world, tenant_a):
    page = portal_client(tenant_a, world.partner_admin.user).get(f"/content/assets/{world.article.pk}/")
    html = page.content.decode()
    assert "<h2>Renew</h2>" in html and "<p>Call early</p>" in html
    assert "alert(1)" not in html and "steal()" not in html


def test_launching_a_campaign_records_views_and_shows_the_kit(world, tenant_a):
    client = portal_client(tenant_a, world.partner_admin.user)
    page = client.get(f"/content/assets/{world.campaign.pk}/").content.decode()
    assert "Send the email" in page and f'id="item-{world.article.pk}"' in page
    assert f'id="item-{world.assets["silver"].pk}"' not in page  # bundled, but not for this partner
    response = client.post(f"/content/assets/{world.campaign.pk}/launch")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/content/assets/{world.link.pk}/open"' in html
    with tenant_context(tenant_a):
        viewed = set(
            AssetEvent.objects.filter(kind="view", partner=world.partner, user=world.partner_admin.user).values_list(
                "asset_id", flat=True
            )
        )
    assert viewed == {world.campaign.pk, world.article.pk, world.link.pk}
    assert client.post(f"/content/assets/{world.article.pk}/launch").status_code == 404  # not a campaign


def test_managers_publish_and_unpublish_from_the_asset_page(world, tenant_a):
    draft = world.assets["draft"]
    manager = portal_client(tenant_a, world.manager.user)
    page = manager.get(f"/content/assets/{draft.pk}/").content.decode()
    assert 'id="draft"' in page and 'id="publishing"' in page
    assert manager.post(f"/content/assets/{draft.pk}/publish").status_code == 302
    assert portal_client(tenant_a, world.partner_admin.user).get(f"/content/assets/{draft.pk}/").status_code == 200
    manager.post(f"/content/assets/{draft.pk}/unpublish")
    assert portal_client(tenant_a, world.partner_admin.user).get(f"/content/assets/{draft.pk}/").status_code == 404
    assert manager.post(f"/content/assets/{draft.pk}/archive").status_code == 404
    staff = portal_client(tenant_a, world.staff.user)
    assert 'id="publishing"' not in staff.get(f"/content/assets/{draft.pk}/").content.decode()


def test_the_nav_shows_content_to_vendors_and_partners(world, tenant_a):
    for membership in (world.staff, world.partner_admin):
        assert 'href="/content/"' in portal_client(tenant_a, membership.user).get("/").content.decode()


def test_the_join_page_lists_public_files_that_download_without_signing_in(world, tenant_a):
    page = portal_client(tenant_a).get("/join/").content.decode()
    public = world.assets["public"]
    assert f'id="resource-{public.pk}"' in page
    assert f'id="resource-{world.assets["everyone"].pk}"' not in page
    response = portal_client(tenant_a).get(f"/content/assets/{public.pk}/download")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    with tenant_context(tenant_a):
        event = AssetEvent.objects.get(asset=public)
    assert (event.kind, event.user_id, event.partner_id) == ("download", None, None)


# Session, user, membership, the partner, nav and panels …; then the library (with its count), its folders, the
# count and the page of assets.
QUERIES_LIBRARY_PAGE = 12


def test_the_library_page_takes_the_same_queries_whatever_its_length(world, tenant_a, django_assert_num_queries):
    client = portal_client(tenant_a, world.partner_admin.user)
    path = f"/content/libraries/{world.library.pk}/"
    client.get(path)
    with django_assert_num_queries(QUERIES_LIBRARY_PAGE):
        client.get(path)
    with tenant_context(tenant_a):
        for n in range(4):
            file_asset(actor=world.manager.user, library=world.library, title=f"More {n}")
    with django_assert_num_queries(QUERIES_LIBRARY_PAGE):
        assert "More 3" in client.get(path).content.decode()
