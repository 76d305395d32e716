"""The library's demo data: per demo tenant libraries with folders, assets of every kind and visibility (a public
file that downloads without signing in, a co-brandable PDF in two versions), and views and downloads by partner
users; seeding again changes nothing."""

from io import StringIO

from django.core.management import call_command

from content.models import Asset, AssetEvent, AssetKind, AssetVersion, CampaignItem, Folder, Library
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from tests.conftest import portal_client


def _rows():
    return (
        sorted(Library.objects.values_list("pk", "name")),
        sorted(Asset.objects.values_list("pk", "title", "is_published")),
        sorted(AssetVersion.objects.values_list("pk", "sha256")),
        AssetEvent.objects.count(),
    )


def test_demo_library_has_every_kind_and_visibility(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=StringIO())
    acme = Tenant.objects.get(slug="acme")
    with tenant_context(acme):
        first = _rows()
    call_command("seed_demo", stdout=StringIO())
    with tenant_context(acme):
        assert _rows() == first
    for tenant in Tenant.objects.filter(slug__in=["acme", "globex"]):
        with tenant_context(tenant):
            assert Library.objects.count() == 3 and Folder.objects.count() == 5
            assets = Asset.objects.all()
            assert set(assets.values_list("kind", flat=True)) == set(AssetKind.values)
            assert assets.filter(is_public=True, is_published=True).exists()
            assert assets.exclude(visible_program_ids=[]).exists() and assets.exclude(visible_tier_ids=[]).exists()
            assert assets.exclude(visible_types=[]).exists() and assets.exclude(visible_regions=[]).exists()
            assert assets.filter(is_published=False).exists()
            assert {"en", "es", "nl"} <= set(assets.values_list("language", flat=True))
            brochure = assets.get(co_brandable=True)
            assert AssetVersion.objects.filter(asset=brochure).count() == 2
            assert AssetVersion.objects.filter(content_type="image/png").exists()
            assert CampaignItem.objects.count() == 3
            assert AssetEvent.objects.filter(kind="download").exists() and AssetEvent.objects.filter(kind="view")
            public_file = assets.get(is_public=True, kind=AssetKind.FILE)
        response = portal_client(tenant).get(f"/content/assets/{public_file.pk}/download")
        assert response.status_code == 200
