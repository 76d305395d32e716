"""Co-branded PDFs: the partner's name (and logo) stamped on every page of the original, cached per version and
partner until the branding changes, served by the authorising views only, refused (409) for assets that are not
co-brandable and for PDFs that cannot be stamped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from content.models import CoBrandedCopy
from content.pdf_stamp import UnstampablePdf, stamp_pdf
from content.services import asset_update, cobranded_copy_get
from partners.services import partner_logo_set
from prm.errors import StateConflict
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .library_factories import LibraryWorld, add_version, file_asset, pdf_bytes, png_bytes, png_upload

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_stamping_keeps_every_page_and_adds_the_strip_to_each():
    stamped = stamp_pdf(pdf_bytes("Page one pricing", "Page two terms"), text="Provided by Ruiz", logo=png_bytes())
    pages = _text(stamped)
    assert len(pages) == 2
    assert "Page one pricing" in pages[0] and "Page two terms" in pages[1]
    assert all("Provided by Ruiz" in page for page in pages)


def test_damaged_and_encrypted_pdfs_cannot_be_stamped():
    with pytest.raises(UnstampablePdf):
        stamp_pdf(b"%PDF-1.4\nnot really a pdf\n%%EOF\n", text="x")
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes("secret")))
    writer.encrypt("pw")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(UnstampablePdf):
        stamp_pdf(encrypted.getvalue(), text="x")


@pytest.fixture
def world(tenant_a):
    world = LibraryWorld(tenant_a)
    with tenant_context(tenant_a):
        world.brochure = file_asset(
            actor=world.manager.user, library=world.library, title="Brochure", co_brandable=True,
            pages=("Cloud Suite brochure", "Second page"), name="brochure.pdf",
        )  # fmt: skip
    return world


def _cobranded(client, asset):
    return client.get(f"/content/assets/{asset.pk}/cobranded")


def test_the_stamp_is_in_the_documents_language_whoever_downloads_it(world, tenant_a):
    with tenant_context(tenant_a):
        folleto = file_asset(
            actor=world.manager.user, library=world.library, title="Folleto", co_brandable=True, language="es",
            pages=("Folleto de la suite",), name="folleto.pdf",
        )  # fmt: skip
    response = _cobranded(portal_client(tenant_a, world.partner_admin.user), folleto)  # an English session
    [page] = _text(b"".join(response.streaming_content))
    assert "Folleto de la suite" in page and "Proporcionado por Ruiz Soluciones" in page


def test_a_partner_downloads_a_copy_with_its_name_on_every_page(world, tenant_a):
    response = _cobranded(portal_client(tenant_a, world.partner_admin.user), world.brochure)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="brochure - Ruiz Soluciones.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    pages = _text(b"".join(response.streaming_content))
    assert "Cloud Suite brochure" in pages[0] and "Second page" in pages[1]
    assert all("Provided by Ruiz Soluciones" in page for page in pages)
    with tenant_context(tenant_a):
        copy = CoBrandedCopy.objects.get()
    assert copy.partner_id == world.partner.pk
    assert copy.file.name.startswith(f"cobranded/{tenant_a.pk}/")


def test_the_copy_is_cached_until_the_name_or_logo_changes(world, tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a):
        version = world.brochure.versions.get()
        first = cobranded_copy_get(version=version, partner=world.partner)
        again = cobranded_copy_get(version=version, partner=world.partner)
        assert (again.pk, again.file.name, again.created_at) == (first.pk, first.file.name, first.created_at)
        world.partner.name = "Ruiz Cloud"
        world.partner.save()
        with django_capture_on_commit_callbacks(execute=True):
            renamed = cobranded_copy_get(version=version, partner=world.partner)
        assert renamed.pk == first.pk and renamed.file.name != first.file.name
        assert not first.file.storage.exists(first.file.name)  # the stale copy is deleted
        with renamed.file.open("rb") as handle:
            assert "Provided by Ruiz Cloud" in _text(handle.read())[0]
        partner_logo_set(partner=world.partner, actor=world.partner_admin.user, upload=png_upload(color="navy"))
        world.partner.refresh_from_db()
        with_logo = cobranded_copy_get(version=version, partner=world.partner)
        assert with_logo.file.name != renamed.file.name
        assert CoBrandedCopy.objects.count() == 1


def test_a_new_version_gets_its_own_copy(world, tenant_a):
    with tenant_context(tenant_a):
        add_version(actor=world.manager.user, asset=world.brochure, pages=("Brochure 2027",))
    client = portal_client(tenant_a, world.partner_admin.user)
    pages = _text(b"".join(_cobranded(client, world.brochure).streaming_content))
    assert "Brochure 2027" in pages[0] and "Provided by Ruiz Soluciones" in pages[0]


def test_copies_are_per_partner_and_follow_the_visibility_rules(world, tenant_a, tenant_b):
    other = portal_client(tenant_a, world.other_partner_admin.user)
    assert "Provided by Tan Systems" in _text(b"".join(_cobranded(other, world.brochure).streaming_content))[0]
    with tenant_context(tenant_a):
        asset_update(actor=world.manager.user, asset=world.assets["gold"], co_brandable=True)
    assert _cobranded(other, world.assets["gold"]).status_code == 404  # silver: not for it
    assert _cobranded(portal_client(tenant_a, world.partner_admin.user), world.assets["gold"]).status_code == 200
    b = LibraryWorld(tenant_b)
    assert _cobranded(portal_client(tenant_b, b.partner_admin.user), world.brochure).status_code == 404
    assert _cobranded(portal_client(tenant_a), world.brochure).status_code == 302  # sign in first
    assert _cobranded(portal_client(tenant_a, world.staff.user), world.brochure).status_code == 403  # partners only


def test_an_asset_that_is_not_co_brandable_is_refused(world, tenant_a):
    client = portal_client(tenant_a, world.partner_admin.user)
    response = _cobranded(client, world.assets["everyone"])
    assert response.status_code == 302 and response.url == f"/content/assets/{world.assets['everyone'].pk}/"
    with tenant_context(tenant_a), pytest.raises(StateConflict):
        cobranded_copy_get(version=world.assets["everyone"].versions.get(), partner=world.partner)
    page = client.get(f"/content/assets/{world.assets['everyone'].pk}/").content.decode()
    assert "download-cobranded" not in page
    assert "download-cobranded" in client.get(f"/content/assets/{world.brochure.pk}/").content.decode()


def test_a_damaged_pdf_gives_a_clear_conflict_not_a_server_error(world, tenant_a):
    damaged = SimpleUploadedFile("bad.pdf", b"%PDF-1.4\nnot really a pdf\n%%EOF\n", content_type="application/pdf")
    with tenant_context(tenant_a):
        from content.services import asset_create, asset_publish

        asset = asset_create(
            actor=world.manager.user, library=world.library, kind="file", title="Bad", co_brandable=True, upload=damaged
        )
        asset_publish(actor=world.manager.user, asset=asset)
        with pytest.raises(StateConflict, match="damaged"):
            cobranded_copy_get(version=asset.versions.get(), partner=world.partner)
    response = _cobranded(portal_client(tenant_a, world.partner_admin.user), asset)
    assert response.status_code == 302
