"""/api/v1/mdf/claims/{id}/attachments/: multipart uploads checked by content (413, 415, a bad CSV's rows),
generated storage names, downloads as attachments, removal, and who reaches which file."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from mdf.models import ClaimAttachment
from prm.tenancy.context import tenant_context
from tests.mdf import proof_files
from tests.mdf.factories import MdfClaimFactory, MdfRequestFactory

from .api_world import clients, mdf_api_world


@pytest.fixture
def people(tenant_a):
    return mdf_api_world(tenant_a)


@pytest.fixture
def api(tenant_a, people):
    return clients(tenant_a, people)


@pytest.fixture
def claim(people, tenant_a):
    """A draft claim of partner A."""
    world = people["world"]
    with tenant_context(tenant_a):
        request = MdfRequestFactory(tenant=tenant_a, allocation=world.allocation, activity_type=world.webinar)
        return MdfClaimFactory(tenant=tenant_a, request=request)


def _url(claim, pk=None):
    base = f"/api/v1/mdf/claims/{claim.pk}/attachments/"
    return base if pk is None else f"{base}{pk}/"


def upload(api, claim, kind, file):
    return api.client.post(_url(claim), {"kind": kind, "file": file}, **api.auth)


def _stored() -> set[str]:
    """Every stored claim file (paths under the storage's mdf/claims folder)."""
    root = Path(default_storage.path("mdf/claims"))
    return {str(path) for path in root.rglob("*") if path.is_file()}


def _no_attachment(tenant, claim) -> bool:
    with tenant_context(tenant):
        return not ClaimAttachment.objects.filter(claim=claim).exists()


def test_an_upload_is_stored_under_a_generated_name_and_downloaded_as_an_attachment(api, claim, tenant_a):
    response = upload(api["a_rep"], claim, "invoice", proof_files.pdf("../../etc/passwd.pdf"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["name"], body["content_type"]) == ("invoice", "passwd.pdf", "application/pdf")
    assert body["size"] == len(proof_files.PDF) and body["rows"] is None
    assert body["download_url"] == _url(claim, body["id"]).rstrip("/")
    with tenant_context(tenant_a):
        stored = ClaimAttachment.objects.get(pk=body["id"]).file.name
    assert re.search(rf"(^|/)mdf/claims/{tenant_a.pk}/[0-9a-f]{{32}}\.pdf$", stored) and "passwd" not in stored

    download = api["a_admin"].get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="passwd.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == proof_files.PDF
    listed = api["a_rep"].get(_url(claim)).json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_an_oversized_file_is_a_413(api, claim, tenant_a, monkeypatch):
    monkeypatch.setattr("mdf.services.claims.MAX_ATTACHMENT_BYTES", 32)
    before = _stored()
    response = upload(api["a_rep"], claim, "invoice", proof_files.pdf())
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large" and "file" in response.json()["error"]["fields"]
    assert _no_attachment(tenant_a, claim) and _stored() == before


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("invoice", "invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("photo", "booth.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
        ("invoice", "invoice.pdf", b"%PDF-1.4\n<html><body>hi</body></html>\n%%EOF\n"),
    ],
    ids=["executable-renamed-pdf", "html-behind-a-png-header", "html-in-a-pdf"],
)
def test_content_that_is_not_the_allowed_kind_is_a_415(api, claim, tenant_a, kind, name, content):
    before = _stored()
    response = upload(api["a_rep"], claim, kind, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file_type"
    assert _no_attachment(tenant_a, claim) and _stored() == before


def test_a_bad_lead_csv_is_refused_with_its_rows_and_nothing_is_stored(api, claim, tenant_a):
    before = _stored()
    bad = "company_name,country,estimated_value\nGlobex,US,100\n,US,5\nInitech,Narnia,abc\n"
    response = upload(api["a_rep"], claim, "leads", proof_files.csv_file(bad, "leads.csv"))
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"line 3.company_name", "line 4.country", "line 4.estimated_value"} <= set(fields)
    assert _no_attachment(tenant_a, claim) and _stored() == before

    good = upload(api["a_rep"], claim, "leads", proof_files.csv_file(proof_files.LEADS, "leads.csv"))
    assert good.status_code == 201 and good.json()["rows"] == 2
    assert len(_stored() - before) == 1  # the check above can see a stored file


def test_bad_form_input(api, claim):
    rep = api["a_rep"]
    no_kind = rep.client.post(_url(claim), {"file": proof_files.pdf()}, **rep.auth)
    assert no_kind.status_code == 400 and "kind" in no_kind.json()["error"]["fields"]
    wrong_kind = upload(rep, claim, "selfie", proof_files.pdf())
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()["error"]["fields"]
    no_file = rep.client.post(_url(claim), {"kind": "invoice"}, **rep.auth)
    assert no_file.status_code == 400 and "file" in no_file.json()["error"]["fields"]
    as_json = rep.post(_url(claim), {"kind": "invoice"})
    assert as_json.status_code == 415 and as_json.json()["error"]["code"] == "unsupported_media_type"


def test_removing_a_file_and_the_claims_state(api, claim, tenant_a):
    rep = api["a_rep"]
    first = upload(rep, claim, "invoice", proof_files.pdf()).json()
    second = upload(rep, claim, "photo", proof_files.png()).json()
    removed = rep.client.delete(_url(claim, second["id"]), **rep.auth)
    assert removed.status_code == 204
    assert rep.get(_url(claim, second["id"])).status_code == 404
    assert rep.post(f"/api/v1/mdf/claims/{claim.pk}/submit/").status_code == 200
    locked = rep.client.delete(_url(claim, first["id"]), **rep.auth)
    assert locked.status_code == 409 and locked.json()["error"]["current_state"] == "submitted"
    late = upload(rep, claim, "photo", proof_files.png())
    assert late.status_code == 409
    with tenant_context(tenant_a):
        assert list(ClaimAttachment.objects.values_list("pk", flat=True)) == [first["id"]]


def test_another_partners_files_are_404_and_vendor_staff_only_read(api, people, claim, tenant_a):
    mine = upload(api["a_rep"], claim, "invoice", proof_files.pdf()).json()
    other = api["b_admin"]
    assert other.get(_url(claim)).status_code == 404
    assert other.get(_url(claim, mine["id"])).status_code == 404
    assert other.client.delete(_url(claim, mine["id"]), **other.auth).status_code == 404
    assert upload(other, claim, "invoice", proof_files.pdf()).status_code == 404
    with tenant_context(tenant_a):
        theirs = MdfClaimFactory(tenant=tenant_a, request__allocation=people["allocation_b"], request__tenant=tenant_a)
    # partner B's own claim does not open partner A's file either
    assert other.get(_url(theirs, mine["id"])).status_code == 404

    staff = api["staff"]
    assert staff.get(_url(claim, mine["id"])).status_code == 200
    assert upload(staff, claim, "invoice", proof_files.pdf()).status_code == 403
    assert staff.client.delete(_url(claim, mine["id"]), **staff.auth).status_code == 403
    assert upload(api["manager"], claim, "invoice", proof_files.pdf()).status_code == 403
    with tenant_context(tenant_a):
        assert ClaimAttachment.objects.count() == 1
