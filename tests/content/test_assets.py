"""Writing the library: articles are sanitised (scripts never survive), each kind needs its own parts, files are
checked by content and keep every version, audiences name only the vendor's programs and tiers, campaigns bundle
assets, and views and downloads are recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from content.models import Asset, AssetEvent, AssetVersion
from content.sanitise import sanitise_article
from content.selectors import asset_search
from content.services import (
    asset_create,
    asset_event_record,
    asset_update,
    asset_version_add,
    campaign_items_set,
    folder_create,
    library_create,
)
from prm.errors import InvalidInput
from prm.files.inspection import UploadRejected
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, ProgramFactory, TierFactory
from tests.mdf.proof_files import PDF

ATTACKS = [
    "<script>alert(1)</script><p>Hello</p>",
    '<p onclick="alert(1)">Hello</p>',
    '<a href="javascript:alert(1)">Hello</a>',
    '<img src="x" onerror="alert(1)"><p>Hello</p>',
    "<svg><script>alert(1)</script></svg><p>Hello</p>",
    '<p style="background:url(javascript:alert(1))">Hello</p>',
    '<iframe src="https://evil.example"></iframe><p>Hello</p>',
    "<scr<script>ipt>alert(1)</script><p>Hello</p>",
]


@pytest.mark.parametrize("html", ATTACKS)
def test_scripts_handlers_and_javascript_links_never_survive(html):
    clean = sanitise_article(html).lower()
    assert "hello" in clean
    for danger in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<svg", "style="):
        assert danger not in clean


def test_the_formatting_of_an_article_survives():
    html = (
        '<h2>Setup</h2><p>Read <a href="https://docs.example/x">the guide</a>.</p>'
        "<ul><li><strong>One</strong></li></ul>"
    )
    assert sanitise_article(html) == (
        '<h2>Setup</h2><p>Read <a href="https://docs.example/x" rel="noopener noreferrer">the guide</a>.</p>'
        "<ul><li><strong>One</strong></li></ul>"
    )


def _pdf(name="deck.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def library(tenant_a):
    with tenant_context(tenant_a):
        return library_create(actor=None, name="Sales enablement")


@pytest.mark.django_db
def test_each_kind_needs_its_own_parts(tenant_a, library):
    with tenant_context(tenant_a):
        cases = [
            ({"kind": "link"}, "url"),
            ({"kind": "article", "body": "<script>x</script>"}, "body"),  # nothing left once sanitised
            ({"kind": "campaign"}, "instructions"),
            ({"kind": "link", "url": "https://x.example", "co_brandable": True}, "co_brandable"),
            ({"kind": "link", "url": "https://x.example", "body": "<p>x</p>"}, "body"),
            ({"kind": "file"}, "file"),
        ]
        for values, field in cases:
            with pytest.raises(InvalidInput) as refused:
                asset_create(actor=None, library=library, title="Thing", **values)
            assert field in refused.value.fields, values
        assert not Asset.objects.exists()
        article = asset_create(
            actor=None, library=library, kind="article", title="Setup", body="<p onclick='x()'>Step one</p>"
        )
        assert article.body == "<p>Step one</p>" and not article.is_published


@pytest.mark.django_db
def test_audiences_name_only_the_vendors_programs_and_tiers(tenant_a, tenant_b, library):
    with tenant_context(tenant_b):
        foreign_tier = TierFactory(program__tenant=tenant_b)
    with tenant_context(tenant_a):
        tier = TierFactory(program=ProgramFactory(tenant=tenant_a))
        with pytest.raises(InvalidInput) as refused:
            asset_create(
                actor=None, library=library, kind="link", title="Deck", url="https://x.example",
                visible_tier_ids=[tier.pk, foreign_tier.pk], visible_program_ids=[foreign_tier.program_id],
            )  # fmt: skip
        assert set(refused.value.fields) == {"visible_tier_ids", "visible_program_ids"}
        assert str(foreign_tier.pk) in refused.value.fields["visible_tier_ids"][0]


@pytest.mark.django_db
def test_replacing_a_file_keeps_its_history_and_checks_the_content(tenant_a, library):
    with tenant_context(tenant_a):
        asset = asset_create(actor=None, library=library, kind="file", title="Deck", upload=_pdf("../../deck v1.pdf"))
        asset_version_add(actor=None, asset=asset, upload=_pdf("deck-v2.pdf"), note="New pricing")
        with pytest.raises(UploadRejected) as refused:
            asset_version_add(
                actor=None, asset=asset, upload=SimpleUploadedFile("deck.pdf", b"MZ\x90\x00 an executable")
            )
        assert refused.value.status == 415
        versions = list(AssetVersion.objects.filter(asset=asset).order_by("number"))
        assert [(v.number, v.original_name, v.note) for v in versions] == [
            (1, "deck v1.pdf", ""),
            (2, "deck-v2.pdf", "New pricing"),
        ]
        assert all(v.file.name.startswith(f"content/{tenant_a.pk}/") for v in versions)
        assert versions[0].file.read() == PDF  # the first version is still there


@pytest.mark.django_db
def test_writes_keep_the_search_current_and_campaigns_bundle_assets(tenant_a, library):
    with tenant_context(tenant_a):
        folder = folder_create(actor=None, library=library, name="Decks")
        link = asset_create(actor=None, library=library, folder=folder, kind="link", title="Pricing page",
                            url="https://x.example/pricing", tags=["Pricing ", "pricing"])  # fmt: skip
        assert link.tags == ["pricing"]
        assert list(asset_search(Asset.objects.all(), text="pricing").values_list("pk", flat=True)) == [link.pk]
        asset_update(actor=None, asset=link, title="Price list")
        assert list(asset_search(Asset.objects.all(), text="list").values_list("pk", flat=True)) == [link.pk]
        campaign = asset_create(
            actor=None, library=library, kind="campaign", title="Spring promo", instructions="Send the mail, then call."
        )
        with pytest.raises(InvalidInput):
            campaign_items_set(actor=None, campaign=campaign, items=[campaign])
        items = campaign_items_set(actor=None, campaign=campaign, items=[link])
        assert [item.item_id for item in items] == [link.pk]


@pytest.mark.django_db
def test_views_and_downloads_are_recorded_per_user_and_partner(tenant_a, library):
    with tenant_context(tenant_a):
        partner = PartnerFactory(program=ProgramFactory(tenant=tenant_a))
        asset = asset_create(actor=None, library=library, kind="link", title="Deck", url="https://x.example")
        asset_event_record(asset=asset, kind="view", partner=partner)
        asset_event_record(asset=asset, kind="download", partner=partner)
        assert set(AssetEvent.objects.values_list("kind", "partner_id")) == {
            ("view", partner.pk),
            ("download", partner.pk),
        }


@pytest.mark.django_db
def test_slides_and_videos_are_file_assets_too(tenant_a, library):
    from tests.files.test_inspection import MP4, office

    with tenant_context(tenant_a):
        slides = SimpleUploadedFile("pitch.pptx", office("ppt/", "presentation.xml"))
        deck = asset_create(actor=None, library=library, kind="file", title="Pitch", upload=slides)
        video = asset_create(
            actor=None, library=library, kind="file", title="Demo", upload=SimpleUploadedFile("demo.mp4", MP4)
        )
        assert AssetVersion.objects.get(asset=deck).original_name == "pitch.pptx"
        assert AssetVersion.objects.get(asset=video).content_type == "video/mp4"
