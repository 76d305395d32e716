"""The partner's MDF pages: the home page (allocation cards, deadlines, requests and claims with the next step),
the request form (errors on the form, nothing saved), the claim page (uploads refused with the reason and nothing
kept, files removed, submission), and fixed query counts on the lists."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from mdf.models import ClaimAttachment, MdfClaim, MdfRequest
from prm.tenancy.context import tenant_context

from . import proof_files
from .factories import MdfClaimFactory, MdfRequestFactory
from .pages_support import client_of, html_of, ids, pages_world
from .test_pages_flow import request_form

D = Decimal


@pytest.fixture
def world(tenant_a):
    return pages_world(tenant_a)


def own_request(world, **overrides):
    with tenant_context(world.tenant):
        values = {"allocation": world.mdf.allocation, "activity_type": world.mdf.webinar, **overrides}
        return MdfRequestFactory(tenant=world.tenant, **values)


def own_claim(world, **overrides):
    with tenant_context(world.tenant):
        return MdfClaimFactory(tenant=world.tenant, request=own_request(world), **overrides)


def stored_files(world) -> set[str]:
    """The names of the proof files stored for the tenant (under a folder named after it)."""
    files = (Path(settings.MEDIA_ROOT) / "mdf").glob("**/*")
    return {path.name for path in files if path.is_file() and path.parent.name == str(world.tenant.pk)}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "rep"])
def test_home_shows_the_allocation_the_deadlines_and_the_next_steps(world, who):
    draft = own_request(world, status="draft", approved_amount=None, title="Draft booth")
    returned = own_request(
        world, status="returned", approved_amount=None, title="Returned radio", decision_reason="Which station?"
    )
    unclaimed = own_request(world, title="Unclaimed webinar", approved_amount=D("600.00"))
    claim = own_claim(world, amount=D("400.00"))
    member = world.mdf.admin if who == "admin" else world.rep
    html = html_of(client_of(world, member).get("/mdf/"))

    # the card: 3000 allocated; 600 + 1000 pre-approved (the draft claim does not count yet) → 1400 available
    assert ids(html, "allocation") == {world.mdf.allocation.pk}
    assert 'class="available">1400.00 USD' in html and 'class="balance-requested">1600.00 USD' in html
    assert 'class="seg-requested" x="0" y="0" width="53.33"' in html  # 1600 of 3000
    # deadlines: the unclaimed request and the draft claim, soonest first
    assert ids(html, "deadline") == {unclaimed.pk, claim.request_id}
    assert f'href="/mdf/requests/{unclaimed.pk}/#claim">Claim now' in html
    # the next step on each row
    assert ids(html, "request") == {draft.pk, returned.pk, unclaimed.pk, claim.request_id}
    due = (unclaimed.ends_on + datetime.timedelta(days=60)).strftime("%-d %b")
    assert f"Claim now — due {due}" in html
    assert ">Submit<" in html and "Returned: see reason" in html
    assert f"Add the proof and submit — due {claim.due_on.strftime('%-d %b')}" in html
    assert ids(html, "claim") == {claim.pk}
    assert 'href="/mdf/"' in html  # the nav item
    assert 'href="/mdf/roi/" id="roi-link"' in html


@pytest.mark.django_db
def test_a_bad_request_shows_the_errors_and_saves_nothing(world):
    client = client_of(world, world.mdf.admin)
    response = client.post("/mdf/requests/new", request_form(world, title="", ends_on="2020-01-01", save="1"))
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    data = request_form(world, starts_on="2026-05-10", ends_on="2026-05-01", save="1")
    response = client.post("/mdf/requests/new", data)
    assert response.status_code == 400 and "The activity cannot end before it starts." in response.content.decode()
    # saving and submitting over the cap keeps nothing: 50 % of 1000 is 500
    response = client.post("/mdf/requests/new", request_form(world, planned_cost="1000.00", submit="1"))
    assert response.status_code == 400
    assert "You can ask for at most 500.00 USD for this activity." in response.content.decode()
    response = client.post(
        "/mdf/requests/new", request_form(world, allocation=world.rival_request.allocation_id, save="1")
    )
    assert response.status_code == 400  # another partner's allocation is not a choice
    with tenant_context(world.tenant):
        assert not MdfRequest.objects.filter(partner=world.mdf.partner).exists()


@pytest.mark.django_db
def test_a_request_is_changed_while_draft_or_returned_only(world):
    client = client_of(world, world.mdf.admin)
    returned = own_request(world, status="returned", approved_amount=None, decision_reason="Lower it, please.")
    html = html_of(client.get(f"/mdf/requests/{returned.pk}/edit"))
    assert "Lower it, please." in html and returned.title in html
    data = request_form(world, title="Smaller webinar", requested_amount="700.00", submit="1")
    assert client.post(f"/mdf/requests/{returned.pk}/edit", data).status_code == 302
    with tenant_context(world.tenant):
        returned.refresh_from_db()
    assert (returned.title, returned.requested_amount, returned.status) == ("Smaller webinar", D("700.00"), "submitted")
    response = client.get(f"/mdf/requests/{returned.pk}/edit")
    assert response.status_code == 302 and response.url == f"/mdf/requests/{returned.pk}/"
    response = client.post(f"/mdf/requests/{returned.pk}/submit", follow=True)
    assert "A request that is submitted cannot be submitted." in html_of(response)


@pytest.mark.django_db
def test_a_bad_claim_figure_is_shown_on_the_form(world):
    mdf_request = own_request(world)
    client = client_of(world, world.mdf.admin)
    response = client.post(f"/mdf/requests/{mdf_request.pk}/claim", {"actual_cost": "1000.00", "amount": "900.00"})
    assert response.status_code == 400
    assert "You can claim at most 500.00 USD" in response.content.decode()
    with tenant_context(world.tenant):
        assert not MdfClaim.objects.filter(request=mdf_request).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "upload", "status", "message"),
    [
        (
            "invoice",
            SimpleUploadedFile(
                "invoice.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
            ),
            415,
            "This file is not a valid PDF, PNG, JPEG file (checked by its content, not its name).",
        ),
        (
            "invoice",
            SimpleUploadedFile("huge.pdf", proof_files.PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"),
            413,
            "The file is larger than 10 MB.",
        ),
        (
            "leads",
            proof_files.csv_file("company_name,country\nGlobex,Narnia\n,US\n"),
            400,
            "Line 3, company_name: This field is required.",
        ),
        ("photo", proof_files.pdf(), 415, "This file is not a valid PNG, JPEG file"),
    ],
)
def test_a_refused_upload_is_explained_and_nothing_is_kept(world, kind, upload, status, message):
    claim = own_claim(world)
    before = stored_files(world)
    client = client_of(world, world.mdf.admin)
    response = client.post(f"/mdf/claims/{claim.pk}/attachments", {"kind": kind, "file": upload})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    if kind == "leads":
        assert "Line 2, country: Enter a two-letter ISO 3166 country code, e.g. NL." in html
    with tenant_context(world.tenant):
        assert not ClaimAttachment.objects.filter(claim=claim).exists()
    assert stored_files(world) == before


@pytest.mark.django_db
def test_files_are_added_and_removed_and_the_submission_checks_the_proof(world, django_capture_on_commit_callbacks):
    with tenant_context(world.tenant):
        claim = MdfClaimFactory(tenant=world.tenant, request=own_request(world, activity_type=world.mdf.event))
    client = client_of(world, world.mdf.admin)
    response = client.post(f"/mdf/claims/{claim.pk}/submit")
    assert response.status_code == 302
    html = html_of(client.get(f"/mdf/claims/{claim.pk}/"))
    assert "Attach the invoice and your proof of performance." in html
    assert "Still missing: Invoice, Photo, Attendee list (CSV)." in html
    upload = f"/mdf/claims/{claim.pk}/attachments"
    client.post(upload, {"kind": "invoice", "file": proof_files.pdf()})
    client.post(upload, {"kind": "photo", "file": proof_files.png()})
    client.post(upload, {"kind": "attendees", "file": proof_files.csv_file(proof_files.ATTENDEES)})
    with tenant_context(world.tenant):
        photo = ClaimAttachment.objects.get(claim=claim, kind="photo")
        attendees = ClaimAttachment.objects.get(claim=claim, kind="attendees")
    html = html_of(client.get(f"/mdf/claims/{claim.pk}/"))
    assert f'id="attachment-{attendees.pk}"' in html and "All the required proof is attached." in html
    stored = photo.file.name.rsplit("/", 1)[-1]
    assert stored in stored_files(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/mdf/attachments/{photo.pk}/remove").status_code == 302
    assert stored not in stored_files(world)
    assert "Still missing: Photo." in html_of(client.get(f"/mdf/claims/{claim.pk}/"))
    client.post(upload, {"kind": "photo", "file": proof_files.png()})
    assert (
        client.post(f"/mdf/claims/{claim.pk}/edit", {"actual_cost": "1500.00", "amount": "750.00"}).status_code == 302
    )
    assert client.post(f"/mdf/claims/{claim.pk}/submit").status_code == 302
    with tenant_context(world.tenant):
        claim.refresh_from_db()
    assert (claim.status, claim.amount, claim.actual_cost) == ("submitted", D("750.00"), D("1500.00"))
    # submitted: nothing can be changed from the page any more
    assert client.post(f"/mdf/attachments/{attendees.pk}/remove").status_code == 302
    with tenant_context(world.tenant):
        assert ClaimAttachment.objects.filter(pk=attendees.pk).exists()
    html = html_of(client.get(f"/mdf/claims/{claim.pk}/"))
    assert "A claim that is submitted cannot be changed." in html and 'id="upload"' not in html


@pytest.mark.django_db
def test_the_download_is_an_attachment_with_the_checked_type(world):
    claim = own_claim(world)
    client = client_of(world, world.rep)
    client.post(f"/mdf/claims/{claim.pk}/attachments", {"kind": "invoice", "file": proof_files.pdf("../../etc/x.pdf")})
    with tenant_context(world.tenant):
        attachment = ClaimAttachment.objects.get(claim=claim)
    response = client.get(f"/mdf/attachments/{attachment.pk}/download")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="x.pdf"'
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/mdf/attachments/999999/download").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_the_home_page_has_a_fixed_query_count(world, count, django_assert_num_queries):
    for _ in range(count):
        own_claim(world)
        own_request(world, status="draft", approved_amount=None)
    client = client_of(world, world.mdf.admin)
    client.get("/mdf/")  # session warm-up
    # tenant by host, enter its context, session, user, membership, partner of the user (the partners middleware
    # and the page share it), pending agreement, allocations, their balances, deadlines (unclaimed requests, open
    # claims), requests (count, rows), claims (count, rows), leave
    with django_assert_num_queries(16):
        html = html_of(client.get("/mdf/"))
    assert len(ids(html, "claim")) == count


@pytest.mark.django_db
def test_the_two_lists_page_on_their_own(world):
    with tenant_context(world.tenant):
        for _ in range(26):
            MdfRequestFactory(
                tenant=world.tenant, allocation=world.mdf.allocation, status="draft", approved_amount=None
            )
    client = client_of(world, world.mdf.admin)
    html = html_of(client.get("/mdf/?claims_page=1"))
    assert len(ids(html, "request")) == 25
    assert 'href="?claims_page=1&amp;requests_page=2"' in html
    second = html_of(client.get("/mdf/?claims_page=1&requests_page=2"))
    assert len(ids(second, "request")) == 1 and 'href="?claims_page=1&amp;requests_page=1"' in second


@pytest.mark.django_db
def test_a_lapsed_request_and_its_claim_offer_no_next_step(world):
    claim = own_claim(world)
    with tenant_context(world.tenant):
        MdfRequest.objects.filter(pk=claim.request_id).update(status="lapsed")
    client = client_of(world, world.mdf.admin)
    html = html_of(client.get("/mdf/"))
    assert claim.request_id not in ids(html, "deadline")
    row = html.split(f'id="claim-{claim.pk}"')[1].split("</tr>")[0]
    assert "Add the proof" not in row
    assert ">Lapsed<" in html.split(f'id="request-{claim.request_id}"')[1].split("</tr>")[0]
    html = html_of(client.get(f"/mdf/claims/{claim.pk}/"))
    assert 'id="lapsed"' in html and 'id="upload"' not in html and 'id="actions"' not in html
