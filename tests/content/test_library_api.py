"""/api/v1/content/libraries/ and /api/v1/content/assets/: visibility through the one selector (lists, details,
downloads), search and filters, vendor-only fields and counts (one query per page), writes for managers only
through the services, file versions, co-branded downloads and the schema."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from content.models import Asset, AssetEvent, AssetVersion, Library
from content.services import assets_index
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.factories import partner_member

from .library_factories import LibraryWorld, file_asset, pdf_upload

pytestmark = pytest.mark.django_db
ASSETS = "/api/v1/content/assets/"
LIBRARIES = "/api/v1/content/libraries/"


@pytest.fixture
def world(tenant_a):
    return LibraryWorld(tenant_a)


def _titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def test_lists_and_details_follow_the_visibility_rules(world, tenant_a):
    partner, staff = Api(tenant_a, world.partner_admin), Api(tenant_a, world.staff)
    assert _titles(partner.get(ASSETS)) == LibraryWorld.PARTNER_SEES
    assert _titles(staff.get(ASSETS)) == set(LibraryWorld.CASES)
    for case, asset in world.assets.items():
        expected = 200 if case in LibraryWorld.PARTNER_SEES else 404
        assert partner.get(f"{ASSETS}{asset.pk}/").status_code == expected, case
        assert partner.get(f"{ASSETS}{asset.pk}/download").status_code == expected, case
        assert staff.get(f"{ASSETS}{asset.pk}/download").status_code == 200, case


def test_vendor_staff_read_restrictions_and_counts_partners_do_not(world, tenant_a):
    partner, staff = Api(tenant_a, world.partner_admin), Api(tenant_a, world.staff)
    gold = world.assets["gold"]
    partner.get(f"{ASSETS}{gold.pk}/download")
    row = partner.get(f"{ASSETS}{gold.pk}/").json()
    assert "visible_tier_ids" not in row and "downloads" not in row and "is_published" not in row
    assert row["current_version"]["version"] == 1 and row["current_version"]["content_type"] == "application/pdf"
    row = staff.get(f"{ASSETS}{gold.pk}/").json()
    assert row["visible_tier_ids"] == [world.gold.pk]
    assert (row["views"], row["downloads"]) == (2, 1)  # the partner's view, then staff's own (recorded first)
    with tenant_context(tenant_a):
        events = list(AssetEvent.objects.filter(asset=gold).values_list("kind", "partner_id").order_by("pk"))
    assert events == [("download", world.partner.pk), ("view", world.partner.pk), ("view", None)]


def test_the_list_takes_the_same_queries_whatever_its_length(world, tenant_a, django_assert_num_queries):
    staff, partner = Api(tenant_a, world.staff), Api(tenant_a, world.partner_admin)
    staff.get(ASSETS)  # the first call of a token also records when it was last used
    partner.get(ASSETS)
    # Bearer token, membership, role checks; then: count, the page (counts in the same query), current versions,
    # campaign items. A partner user's company is read once more.
    with django_assert_num_queries(8):
        staff.get(ASSETS)
    with tenant_context(tenant_a):
        for n in range(3):
            file_asset(actor=world.manager.user, library=world.library, title=f"extra {n}")
    with django_assert_num_queries(8):
        assert len(staff.get(ASSETS).json()["results"]) == len(LibraryWorld.CASES) + 3
    with django_assert_num_queries(9):
        partner.get(ASSETS)


def test_search_and_filters(world, tenant_a):
    with tenant_context(tenant_a):
        from content.services import asset_create, asset_publish

        article = asset_create(
            actor=world.manager.user, library=world.library, kind="article", title="Renewal playbook",
            body="<p>How to renew a <b>subscription</b></p>", tags=["Renewals"], stage="servicing",
        )  # fmt: skip
        asset_publish(actor=world.manager.user, asset=article)
        assets_index(Asset.objects.values_list("pk", flat=True))
    partner = Api(tenant_a, world.partner_admin)
    assert _titles(partner.get(ASSETS, q="subscriptions")) == {"Renewal playbook"}
    assert _titles(partner.get(ASSETS, tag="renewals")) == {"Renewal playbook"}
    assert _titles(partner.get(ASSETS, kind="article")) == {"Renewal playbook"}
    assert _titles(partner.get(ASSETS, stage="servicing")) == LibraryWorld.PARTNER_SEES | {"Renewal playbook"}
    assert _titles(partner.get(ASSETS, q="europe", kind="file")) == {"europe"}
    assert _titles(partner.get(ASSETS, q="apac")) == set()  # not for this partner: search obeys visibility too
    assert _titles(partner.get(ASSETS, library=world.library.pk + 999)) == set()
    response = partner.get(ASSETS, kind="video")
    assert response.status_code == 400 and "kind" in response.json()["error"]["fields"]


def test_managers_write_through_the_services(world, tenant_a):
    manager, staff, partner = (
        Api(tenant_a, world.manager),
        Api(tenant_a, world.staff),
        Api(tenant_a, world.partner_admin),
    )
    article = {"library": world.library.pk, "kind": "article", "title": "FAQ", "body": "<p>Hi</p><script>x()</script>"}
    assert staff.post(ASSETS, article).status_code == 403
    assert partner.post(ASSETS, article).status_code == 403
    response = manager.post(ASSETS, article)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["body"] == "<p>Hi</p>" and created["is_published"] is False
    assert manager.post(ASSETS, {**article, "kind": "link"}).json()["error"]["fields"] == {
        "url": ["Give the link's address."],
        "body": ["Only an article has a text."],
    }
    assert manager.patch(f"{ASSETS}{created['id']}/", {"tags": ["Faq", "faq "]}).json()["tags"] == ["faq"]
    assert partner.get(f"{ASSETS}{created['id']}/").status_code == 404  # a draft
    assert manager.post(f"{ASSETS}{created['id']}/publish").json()["is_published"] is True
    assert partner.get(f"{ASSETS}{created['id']}/").status_code == 200
    assert partner.post(f"{ASSETS}{created['id']}/unpublish").status_code == 403
    other = {"library": world.library.pk + 999, "kind": "article", "title": "x", "body": "<p>x</p>"}
    assert "library" in manager.post(ASSETS, other).json()["error"]["fields"]


def test_file_assets_and_versions_are_uploaded_as_multipart(world, tenant_a):
    manager = Api(tenant_a, world.manager)
    data = {"library": world.library.pk, "kind": "file", "title": "Deck", "file": pdf_upload("First deck")}
    response = manager.client.post(ASSETS, data, **manager.auth)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    versions = f"{ASSETS}{pk}/versions"
    response = manager.client.post(versions, {"file": pdf_upload("Second deck"), "note": "2027"}, **manager.auth)
    assert response.status_code == 201 and response.json()["current_version"]["version"] == 2
    fake = SimpleUploadedFile("deck.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert manager.client.post(versions, {"file": fake}, **manager.auth).status_code == 415
    with tenant_context(tenant_a):
        assert AssetVersion.objects.filter(asset_id=pk).count() == 2
    download = manager.get(f"{ASSETS}{pk}/download", version=1)
    assert "First deck" in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()
    partner = Api(tenant_a, world.partner_admin)
    manager.post(f"{ASSETS}{pk}/publish")
    assert partner.get(f"{ASSETS}{pk}/download", version=1).status_code == 404
    assert partner.get(f"{ASSETS}{pk}/download", version=2).status_code == 200


def test_cobranded_downloads(world, tenant_a):
    with tenant_context(tenant_a):
        brochure = file_asset(actor=world.manager.user, library=world.library, title="Brochure", co_brandable=True)
    partner = Api(tenant_a, world.partner_admin)
    response = partner.get(f"{ASSETS}{brochure.pk}/cobranded-download")
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Provided by Ruiz Soluciones" in text and "Partner price list" in text
    response = partner.get(f"{ASSETS}{world.assets['everyone'].pk}/cobranded-download")
    assert response.status_code == 409 and response.json()["error"]["code"] == "state_conflict"
    assert partner.get(f"{ASSETS}{world.assets['silver'].pk}/cobranded-download").status_code == 404
    staff = Api(tenant_a, world.staff)
    assert staff.get(f"{ASSETS}{brochure.pk}/cobranded-download").status_code == 400  # whose copy?
    preview = staff.get(f"{ASSETS}{brochure.pk}/cobranded-download", partner=world.other_partner.pk)
    text = PdfReader(io.BytesIO(b"".join(preview.streaming_content))).pages[0].extract_text()
    assert "Provided by Tan Systems" in text
    assert (
        staff.get(f"{ASSETS}{brochure.pk}/cobranded-download", partner=world.other_partner.pk + 999).status_code == 404
    )
    with tenant_context(tenant_a):
        assert not AssetEvent.objects.filter(asset=brochure, partner=world.other_partner).exists()  # not recorded
    rep = Api(tenant_a, partner_member(world.partner))
    other = rep.get(f"{ASSETS}{brochure.pk}/cobranded-download", partner=world.other_partner.pk)  # ignored
    assert (
        "Provided by Ruiz Soluciones"
        in PdfReader(io.BytesIO(b"".join(other.streaming_content))).pages[0].extract_text()
    )


def test_libraries(world, tenant_a):
    manager, partner = Api(tenant_a, world.manager), Api(tenant_a, world.partner_admin)
    response = manager.post(LIBRARIES, {"name": "Marketing"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert manager.post(LIBRARIES, {"name": "Marketing"}).status_code == 400
    folder = manager.post(f"{LIBRARIES}{pk}/folders", {"name": "Logos"}).json()["folders"][0]
    nested = manager.post(f"{LIBRARIES}{pk}/folders", {"name": "Dark", "parent": folder["id"]})
    assert {f["name"] for f in nested.json()["folders"]} == {"Logos", "Dark"}
    assert (
        manager.post(f"{LIBRARIES}{world.library.pk}/folders", {"name": "x", "parent": folder["id"]}).status_code == 400
    )
    assert manager.patch(f"{LIBRARIES}{pk}/", {"name": "Brand"}).json()["name"] == "Brand"
    assert partner.post(LIBRARIES, {"name": "Mine"}).status_code == 403
    rows = {row["name"]: row["asset_count"] for row in partner.get(LIBRARIES).json()["results"]}
    assert rows == {world.library.name: len(LibraryWorld.PARTNER_SEES), "Brand": 0}
    with tenant_context(tenant_a):
        assert Library.objects.count() == 2
