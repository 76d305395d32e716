"""Demo data: the library. Per demo tenant three libraries with folders and assets of every kind and visibility —
public, program-, tier-, partner-type- and region-restricted, and a draft — with real small PDFs (a co-brandable
brochure in two versions), a PNG logo pack, links, articles in English, Spanish and Dutch, a campaign in a box,
and some views and downloads by partner users. Everything goes through the services. Idempotent: a tenant that
has the demo libraries is left as it is."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from partners.models import Partner, PartnerUser, Program, Tier
from prm.accounts.models import User
from prm.accounts.roles import Role

from ..models import AssetEvent, Library
from ..services import (
    asset_create,
    asset_event_record,
    asset_publish,
    asset_version_add,
    campaign_items_set,
    folder_create,
    library_create,
)

LIBRARIES = [
    ("Sales enablement", "Pitch decks, price lists and playbooks.", ["Pitch decks", "Price lists"]),
    ("Marketing", "Campaigns in a box and the brand kit.", ["Campaigns", "Brand"]),
    ("Technical", "Guides for implementing and supporting the products.", ["Guides"]),
]


def _pdf(title: str, *lines: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setFont("Helvetica-Bold", 20)
    sheet.drawString(60, 770, title)
    sheet.setFont("Helvetica", 12)
    for row, line in enumerate(lines):
        sheet.drawString(60, 730 - row * 18, line)
    sheet.showPage()
    sheet.save()
    name = title.lower().replace(" ", "-")
    return SimpleUploadedFile(f"{name}.pdf", buffer.getvalue(), content_type="application/pdf")


def _png(name: str, color: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _published(actor, **values):
    asset = asset_create(actor=actor, **values)
    return asset_publish(actor=actor, asset=asset)


def seed(tenant, out) -> None:
    """Seed this area's demo data for `tenant` (idempotent)."""
    if Library.objects.filter(name=LIBRARIES[0][0]).exists():
        return
    actor = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    programs = list(Program.objects.order_by("pk"))
    top_tier = Tier.objects.order_by("-rank", "pk").first()
    folders = {}
    libraries = {}
    for position, (name, description, folder_names) in enumerate(LIBRARIES):
        library = library_create(actor=actor, name=name, description=description, position=position)
        libraries[name] = library
        for folder_name in folder_names:
            folders[folder_name] = folder_create(actor=actor, library=library, name=folder_name)
    sales, marketing, technical = (libraries[name] for name, _d, _f in LIBRARIES)
    program_ids = [programs[0].pk] if programs else []

    overview = _published(
        actor, library=sales, kind="file", title="Partner program overview", stage="onboarding", is_public=True,
        summary="What the partner program offers, tier by tier.", tags=["program", "overview"],
        upload=_pdf("Partner program overview", "Tiers, benefits and how to apply."),
    )  # fmt: skip
    brochure = _published(
        actor, library=sales, folder=folders["Pitch decks"], kind="file", title="Cloud Suite brochure",
        stage="selling", co_brandable=True, summary="Two pages for your customers; download it with your logo.",
        tags=["brochure", "cloud suite"], upload=_pdf("Cloud Suite brochure", "Edition 2026"),
    )  # fmt: skip
    asset_version_add(
        actor=actor, asset=brochure, upload=_pdf("Cloud Suite brochure", "Edition 2027: new prices"),
        note="New prices for 2027",
    )  # fmt: skip
    _published(
        actor, library=sales, folder=folders["Price lists"], kind="file", title="Partner price list",
        stage="selling", visible_program_ids=program_ids, tags=["pricing"],
        upload=_pdf("Partner price list", "Discounts by tier are applied at order time."),
    )  # fmt: skip
    playbook = _published(
        actor, library=sales, kind="article", title="Deal desk playbook", stage="selling",
        visible_tier_ids=[top_tier.pk] if top_tier else [], tags=["deals", "playbook"],
        summary="How our deal desk prices large deals.",
        body="<h2>Before you quote</h2><p>Register the deal first, then ask the deal desk for a price.</p>",
    )  # fmt: skip
    _published(
        actor, library=technical, folder=folders["Guides"], kind="link", title="MSP billing guide",
        stage="servicing", visible_types=["msp"], url="https://docs.example.com/msp-billing", tags=["billing"],
    )  # fmt: skip
    _published(
        actor, library=marketing, kind="article", title="Guía de lanzamiento de campañas", language="es",
        stage="selling", visible_regions=["europe", "latin_america"], tags=["campañas"],
        body="<h2>Campañas</h2><p>Cómo lanzar campañas con nuestros materiales.</p>",
    )  # fmt: skip
    _published(
        actor, library=technical, kind="article", title="Handleiding facturen", language="nl", stage="servicing",
        visible_regions=["europe"], tags=["facturen"], body="<p>Zo leest u de facturen van uw klanten.</p>",
    )  # fmt: skip
    _published(
        actor, library=marketing, folder=folders["Brand"], kind="file", title="Logo pack", tags=["brand", "logo"],
        upload=_png("logo-pack.png", "#0f3d91"),
    )  # fmt: skip
    docs = _published(
        actor, library=technical, kind="link", title="Product documentation", is_public=True,
        url="https://docs.example.com/", tags=["docs"],
    )  # fmt: skip
    onboarding = _published(
        actor, library=sales, kind="article", title="Your first 30 days", stage="onboarding",
        body="<ol><li>Accept the agreement</li><li>Invite your reps</li><li>Register a first deal</li></ol>",
    )  # fmt: skip
    _published(
        actor, library=technical, kind="article", title="Renewal playbook", stage="servicing", tags=["renewals"],
        body="<p>Call your customers ninety days before their subscription renews.</p>",
    )  # fmt: skip
    asset_create(
        actor=actor, library=sales, kind="article", title="Next year's pricing (draft)",
        body="<p>Not ready to share.</p>",
    )  # fmt: skip
    campaign = _published(
        actor, library=marketing, folder=folders["Campaigns"], kind="campaign", title="Spring cloud campaign",
        stage="selling", summary="An email, a brochure and a landing page, ready to run.",
        instructions="1. Download the brochure with your logo.\n2. Send the email to your customers.\n"
        "3. Follow up with a call after a week.",
    )  # fmt: skip
    campaign_items_set(actor=actor, campaign=campaign, items=[brochure, playbook, docs])

    users = (
        PartnerUser.objects.filter(membership__role__in=[Role.PARTNER_ADMIN, Role.PARTNER_REP])
        .select_related("membership__user")
        .order_by("pk")[:6]
    )
    for index, link in enumerate(users):
        partner = Partner.objects.get(pk=link.partner_id)
        user = link.membership.user
        for asset in (overview, brochure, onboarding)[: 1 + index % 3]:
            asset_event_record(asset=asset, kind=AssetEvent.Kind.VIEW, user=user, partner=partner)
        if index % 2 == 0:
            asset_event_record(asset=brochure, kind=AssetEvent.Kind.DOWNLOAD, user=user, partner=partner)
    out.write(f"  {tenant.slug}: {Library.objects.count()} libraries with assets of every kind and visibility")
